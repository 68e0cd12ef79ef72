//! `wagate dev fake-cripsa`: the fake upstream on a port of its own, for trying wagate with
//! `backend = "cripsa"` without an AWS account.

use crate::cripsa::{FakeSettings, FakeUpstream};
use std::process::ExitCode;
use std::sync::Arc;
use wagate_storage::{OsRandom, Secret, SystemClock};

/// What `wagate dev fake-cripsa` takes.
pub struct FakeCripsaArgs {
    pub listen: String,
    pub pool_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub developer_token: Option<String>,
}

/// Serves the fake Cripsa/Cognito upstream until Ctrl-C, printing how to point wagate at it
/// and every code it "sends".
pub async fn fake_cripsa(args: FakeCripsaArgs) -> ExitCode {
    let FakeCripsaArgs {
        listen,
        pool_id,
        client_id,
        client_secret,
        developer_token,
    } = args;
    let listener = match std::net::TcpListener::bind(&listen) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("fake-cripsa: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base_url = match listener.local_addr() {
        Ok(a) => format!("http://{a}/"),
        Err(e) => {
            eprintln!("fake-cripsa: {e}");
            return ExitCode::FAILURE;
        }
    };
    let settings = FakeSettings {
        base_url: base_url.clone(),
        pool_id: pool_id.clone(),
        client_id: client_id.clone(),
        client_secret: Secret::new(&client_secret),
        session_ttl_secs: 180,
        developer_token: developer_token.as_deref().map(Secret::new),
    };
    let on_code = Box::new(|phone: &str, code: &str| {
        println!("fake-cripsa: WhatsApp code for {phone}: {code}");
    });
    let fake = match FakeUpstream::new(settings, Arc::new(SystemClock), Arc::new(OsRandom), on_code)
    {
        Ok(f) => Arc::new(f),
        Err(e) => {
            eprintln!("fake-cripsa: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match crate::serve_fake_cripsa(listener, fake) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fake-cripsa: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("fake-cripsa: listening on {base_url} (a fake; never use it in production)");
    println!("point wagate at it:");
    println!("  WAGATE__LOGIN__BACKEND=cripsa WAGATE__CRIPSA__ENDPOINT={base_url} \\");
    println!("  WAGATE__CRIPSA__USER_POOL_ID={pool_id} WAGATE__CRIPSA__CLIENT_ID={client_id} \\");
    println!("  WAGATE__CRIPSA__CLIENT_SECRET={client_secret} wagate serve");
    println!("for Cripsa's own operations (mode = \"http\") add:");
    print!("  WAGATE__CRIPSA__MODE=http WAGATE__CRIPSA__HTTP__BASE_URL={base_url}");
    match &developer_token {
        Some(token) => println!(
            " \\\n  WAGATE__CRIPSA__HTTP__AUTH_HEADER=Authorization WAGATE__CRIPSA__HTTP__AUTH_VALUE=\"Bearer {token}\""
        ),
        None => println!(),
    }
    println!(
        "+447911000001: user not found; +447911000429: throttled; +447911000500: the send fails"
    );
    crate::serve::until_interrupted(server, "fake-cripsa").await
}
