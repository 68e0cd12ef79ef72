//! `wagate dev fake-whatsapp`: the fake WhatsApp Cloud API on a port of its own, for trying
//! wagate with `delivery.channel = "whatsapp"` without a Meta account. It prints every code it
//! "sends" and what wagate answered to each status it posted.

use crate::whatsapp::{FakeWhatsApp, FakeWhatsAppSettings, Magic, SentMessage};
use std::net::{SocketAddr, TcpListener};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::Secret;

/// What `wagate dev fake-whatsapp` takes.
pub struct FakeWhatsAppArgs {
    pub listen: String,
    pub phone_number_id: String,
    pub access_token: String,
    pub app_secret: String,
    /// wagate's status webhook; None posts no statuses.
    pub callback_url: Option<String>,
    pub status_delay_ms: u64,
    pub late_delay_ms: u64,
}

fn failed(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("fake-whatsapp: {e}");
    ExitCode::FAILURE
}

/// Serves the fake WhatsApp Cloud API until Ctrl-C, printing how to point wagate at it, every
/// message it "sends" and every status it posts.
pub async fn fake_whatsapp(args: FakeWhatsAppArgs) -> ExitCode {
    let listener = match TcpListener::bind(&args.listen) {
        Ok(l) => l,
        Err(e) => return failed(format!("cannot listen on {}: {e}", args.listen)),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return failed(e),
    };
    let fake = Arc::new(
        FakeWhatsApp::new(settings(&args))
            .with_on_message(Box::new(print_message))
            .with_on_status(Box::new(print_status)),
    );
    let server = match crate::serve_fake_whatsapp(listener, fake) {
        Ok(s) => s,
        Err(e) => return failed(e),
    };
    announce(&args, addr);
    crate::serve::until_interrupted(server, "fake-whatsapp").await
}

fn settings(args: &FakeWhatsAppArgs) -> FakeWhatsAppSettings {
    FakeWhatsAppSettings {
        phone_number_id: args.phone_number_id.clone(),
        access_token: Secret::new(args.access_token.as_str()),
        app_secret: Secret::new(args.app_secret.as_str()),
        callback_url: args.callback_url.clone(),
        status_delay: Some(Duration::from_millis(args.status_delay_ms)),
        late_delay: Duration::from_millis(args.late_delay_ms),
    }
}

fn print_message(m: &SentMessage) {
    println!(
        "fake-whatsapp: WhatsApp code for +{}: {} (template {}, {}, {})",
        m.to, m.code, m.template, m.language, m.id
    );
}

fn print_status(id: &str, status: &str, result: &Result<u16, String>) {
    match result {
        Ok(http) => println!("fake-whatsapp: posted {status} for {id}: wagate answered {http}"),
        Err(e) => println!("fake-whatsapp: could not post {status} for {id}: {e}"),
    }
}

fn announce(args: &FakeWhatsAppArgs, addr: SocketAddr) {
    let FakeWhatsAppArgs {
        phone_number_id,
        access_token,
        app_secret,
        ..
    } = args;
    println!("fake-whatsapp: listening on http://{addr} (a fake; never use it in production)");
    match &args.callback_url {
        Some(url) => println!(
            "statuses go to {url}: sent at once, delivered after {} ms",
            args.status_delay_ms
        ),
        None => println!("no callback URL: no statuses are posted"),
    }
    println!("point wagate at it:");
    println!("  WAGATE__DELIVERY__CHANNEL=whatsapp \\");
    println!("  WAGATE__DELIVERY__WHATSAPP__API_BASE_URL=http://{addr} \\");
    println!("  WAGATE__DELIVERY__WHATSAPP__PHONE_NUMBER_ID={phone_number_id} \\");
    println!("  WAGATE__DELIVERY__WHATSAPP__ACCESS_TOKEN={access_token} \\");
    println!("  WAGATE__DELIVERY__WHATSAPP__APP_SECRET={app_secret} \\");
    println!("  WAGATE__DELIVERY__WHATSAPP__VERIFY_TOKEN=anything wagate serve");
    println!("numbers ending in these digits make Meta's failures:");
    for m in Magic::ALL {
        println!("  {}: {}", m.suffix(), m.describe());
    }
}
