//! `/hooks/whatsapp`: Meta's webhook. `GET` is Meta's set-up check; `POST` carries status
//! reports, accepted only with a valid `X-Hub-Signature-256`, recorded, and answered at once.
//! A code whose message failed goes the other way after the answer, so Meta never waits on it.

use super::body;
use crate::live::State;
use actix_web::http::StatusCode;
use actix_web::web::Payload;
use actix_web::{HttpRequest, HttpResponse};
use wagate_core::delivery::whatsapp::{parse_statuses, receipts, signature_valid, subscription};

/// `GET /hooks/whatsapp?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...`.
pub async fn verify(req: HttpRequest, state: State) -> HttpResponse {
    let Some(hook) = &state.whatsapp_hook else {
        return super::not_found(req, state.clone()).await;
    };
    let params = body::query_params(&req);
    let get = |name: &str| params.get(name).ok().flatten();
    let echoed = subscription(
        get("hub.mode"),
        get("hub.verify_token"),
        get("hub.challenge"),
        &hook.verify_token,
    );
    match echoed {
        Some(challenge) => {
            state.metrics.whatsapp_webhook("verified");
            HttpResponse::Ok()
                .content_type("text/plain; charset=utf-8")
                .body(challenge.to_owned())
        }
        None => {
            state.metrics.whatsapp_webhook("verify_refused");
            plain(StatusCode::FORBIDDEN, "The verify token does not match.")
        }
    }
}

/// `POST /hooks/whatsapp`: status reports.
pub async fn statuses(req: HttpRequest, payload: Payload, state: State) -> HttpResponse {
    let Some(hook) = &state.whatsapp_hook else {
        return super::not_found(req, state.clone()).await;
    };
    let raw = match body::read(&req, payload, &state.web).await {
        Ok(raw) => raw,
        Err(e) => return e.finish(plain(e.status(), e.description())),
    };
    let signature = req
        .headers()
        .get(receipts::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok());
    if !signature_valid(&hook.app_secret, signature, &raw) {
        state.metrics.whatsapp_webhook("bad_signature");
        tracing::warn!("a WhatsApp webhook without a valid signature was refused");
        return plain(StatusCode::UNAUTHORIZED, "The signature does not match.");
    }
    let reports = match parse_statuses(&raw, state.clock.now()) {
        Ok(reports) => reports,
        Err(e) => {
            state.metrics.whatsapp_webhook("unreadable");
            tracing::warn!(error = %e, "an unreadable WhatsApp webhook was refused");
            return plain(StatusCode::BAD_REQUEST, "Not a WhatsApp webhook body.");
        }
    };
    let recorded = state.journey.delivery_reports(&reports).await;
    if !recorded.fallbacks.is_empty() {
        let state = state.clone();
        actix_web::rt::spawn(async move {
            for due in &recorded.fallbacks {
                if let Err(e) = state.journey.fall_back(due).await {
                    tracing::warn!(error = %e, "the code could not go by the fallback channel");
                }
            }
        });
    }
    if recorded.incomplete {
        // Meta sends again later; what was recorded is not recorded twice.
        state.metrics.whatsapp_webhook("unavailable");
        return plain(StatusCode::SERVICE_UNAVAILABLE, "Try again later.");
    }
    state.metrics.whatsapp_webhook("ok");
    HttpResponse::Ok().finish()
}

fn plain(status: StatusCode, text: &'static str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(text)
}
