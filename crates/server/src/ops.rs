//! The ops listener: metrics and health, kept off the public port.

use crate::live::State;
use actix_web::{HttpResponse, web};

pub fn configure(cfg: &mut web::ServiceConfig) {
    crate::admin_api::configure(cfg);
    cfg.route("/metrics", web::get().to(metrics))
        .route("/healthz/live", web::get().to(live))
        .route("/healthz/ready", web::get().to(ready));
}

async fn metrics(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.encode())
}

async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// Ready only while storage answers and there are keys to sign tokens with (an instance
/// started while storage was down has none until it can load them).
async fn ready(state: State) -> HttpResponse {
    let unavailable = |reason: &str| {
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "unavailable", "reason": reason}))
    };
    if let Err(e) = state.store.ping().await {
        tracing::warn!(error = %e, "not ready: storage does not answer");
        return unavailable("storage");
    }
    if !state.provider.can_sign() {
        tracing::warn!("not ready: no signing keys loaded yet");
        return unavailable("signing_keys");
    }
    HttpResponse::Ok().json(serde_json::json!({"status": "ready"}))
}
