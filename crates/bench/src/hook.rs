//! The operator's gateway as the benchmark plays it: wagate POSTs each code here (the
//! `webhook` channel) and answers the person only after this answered, so the code is waiting
//! when the person's `/phone` request returns.

use actix_web::{App, HttpResponse, HttpServer, web};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Deserialize)]
struct Payload {
    to: String,
    code: String,
}

/// Codes received and not yet taken, by number.
#[derive(Clone, Default)]
pub struct Codes(Arc<Mutex<HashMap<String, String>>>);

impl Codes {
    /// The code last sent to `phone`, once.
    pub fn take(&self, phone: &str) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(phone)
    }

    fn put(&self, phone: String, code: String) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(phone, code);
    }
}

async fn receive(codes: web::Data<Codes>, body: web::Json<Payload>) -> HttpResponse {
    let Payload { to, code } = body.into_inner();
    codes.put(to, code);
    HttpResponse::NoContent().finish()
}

/// Serves the gateway on `listener` until the process ends. The signature is not checked:
/// the benchmark measures wagate, and the tests already check what it signs.
pub fn serve(listener: TcpListener, codes: Codes) -> std::io::Result<()> {
    let data = web::Data::new(codes);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::JsonConfig::default().limit(16 * 1024))
            .route("/", web::post().to(receive))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok(())
}
