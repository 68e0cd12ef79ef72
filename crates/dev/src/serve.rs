//! `wagate dev fake-cripsa`: the fake Cripsa/Cognito upstream over HTTP, for local tries and
//! the tests.

use crate::cripsa::{FakeUpstream, HttpOperation, Reply};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn cognito(
    req: HttpRequest,
    body: web::Bytes,
    fake: web::Data<Arc<FakeUpstream>>,
) -> HttpResponse {
    let reply = fake.handle(
        header(&req, "content-type"),
        header(&req, "x-amz-target"),
        &body,
    );
    respond(reply, wagate_cripsa::CONTENT_TYPE)
}

/// `mode = "http"`: Cripsa's own operations, in the default (Cognito-shaped) JSON layout.
async fn cripsa_http(
    op: HttpOperation,
    req: HttpRequest,
    body: web::Bytes,
    fake: web::Data<Arc<FakeUpstream>>,
) -> HttpResponse {
    let reply = fake.handle_http(
        op,
        header(&req, "authorization"),
        header(&req, "content-type"),
        &body,
    );
    respond(reply, "application/json")
}

fn respond(reply: Reply, content_type: &str) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(reply.status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status)
        .content_type(content_type)
        .body(reply.body.to_string())
}

async fn jwks(fake: web::Data<Arc<FakeUpstream>>) -> HttpResponse {
    HttpResponse::Ok().json(fake.jwks())
}

/// Serves `fake` on `listener` until the returned server is stopped or dropped.
pub fn serve_fake_cripsa(
    listener: TcpListener,
    fake: Arc<FakeUpstream>,
) -> std::io::Result<actix_web::dev::Server> {
    let path = fake.jwks_path();
    let data = web::Data::new(fake);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/", web::post().to(cognito))
            .route(
                &format!("/{}", HttpOperation::SignIn.path()),
                web::post().to(|r, b, f| cripsa_http(HttpOperation::SignIn, r, b, f)),
            )
            .route(
                &format!("/{}", HttpOperation::Respond.path()),
                web::post().to(|r, b, f| cripsa_http(HttpOperation::Respond, r, b, f)),
            )
            .route(&path, web::get().to(jwks))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run())
}

/// Runs a fake's `server` until Ctrl-C; `name` prefixes its error.
pub(crate) async fn until_interrupted(
    server: actix_web::dev::Server,
    name: &str,
) -> std::process::ExitCode {
    let handle = server.handle();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        handle.stop(true).await;
    });
    match server.await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
