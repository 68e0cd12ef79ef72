//! The login steps, as hosted pages (forms, 303 after each post) and as a JSON API at the same
//! URLs (`Content-Type: application/json` / `Accept: application/json`). Each handler reads its
//! request, asks the journey, and presents the answer.

mod answers;
mod screens;
mod step;

use super::request::Format;
use super::{client_ip, cookies};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use step::Step;
use wagate_core::Opened;

pub(super) use answers::{finish, problem};

pub async fn show(step: Step) -> HttpResponse {
    match step
        .state
        .journey
        .show(&step.flow_id, &step.browser())
        .await
    {
        Ok(screen) => step.screen(&screen),
        Err(refused) => step.refused(&refused, ""),
    }
}

/// `POST /login/{flow}/phone`: `phone`.
pub async fn phone(step: Step) -> HttpResponse {
    let Some(phone) = step.field("phone") else {
        return step.missing("phone");
    };
    let journey = &step.state.journey;
    let answer = journey.phone(&step.flow_id, &step.browser(), phone).await;
    step.present("phone", answer, phone)
}

/// `POST /login/{flow}/resend`: a new code; with `channel=fallback`, the same code the other
/// way.
pub async fn resend(step: Step) -> HttpResponse {
    let journey = &step.state.journey;
    let answer = match (step.field("channel"), step.has("channel")) {
        (None, false) => journey.resend(&step.flow_id, &step.browser()).await,
        (Some("fallback"), _) => journey.fallback(&step.flow_id, &step.browser()).await,
        _ => {
            return step.invalid(
                "invalid-channel",
                "channel must be \"fallback\" (or left out for a new code)",
            );
        }
    };
    step.present("resend", answer, "")
}

/// `POST /login/{flow}/code`: `code`, the WhatsApp code.
pub async fn code(step: Step) -> HttpResponse {
    let Some(code) = step.field("code") else {
        return step.missing("code");
    };
    let journey = &step.state.journey;
    let answer = journey
        .code(&step.flow_id, &step.browser(), code, step.session())
        .await;
    step.present("code", answer, "")
}

/// `POST /login/{flow}/totp`: `code` from the authenticator app (or a recovery code), with
/// `phone` when it is the first factor.
pub async fn totp(step: Step) -> HttpResponse {
    let Some(code) = step.field("code") else {
        return step.missing("code");
    };
    let phone = step.field("phone");
    let journey = &step.state.journey;
    let answer = journey
        .totp(
            &step.flow_id,
            &step.browser(),
            (phone, code),
            step.session(),
        )
        .await;
    step.present("totp", answer, phone.unwrap_or_default())
}

/// `POST /login/{flow}/account`: `choice` is `continue` (as the session's person) or `other`.
pub async fn account_choice(step: Step) -> HttpResponse {
    let Some(other) = step.either("choice", "other", "continue") else {
        return step.missing("choice");
    };
    let journey = &step.state.journey;
    let answer = journey
        .choose_account(&step.flow_id, &step.browser(), other, step.session())
        .await;
    step.present("account", answer, "")
}

/// `POST /login/{flow}/consent`: `decision` is `allow` or `deny`.
pub async fn consent(step: Step) -> HttpResponse {
    let Some(allow) = step.either("decision", "allow", "deny") else {
        return step.missing("decision");
    };
    let journey = &step.state.journey;
    let answer = journey
        .consent(&step.flow_id, &step.browser(), allow, step.session())
        .await;
    step.present("consent", answer, "")
}

/// The browser goes to a login that was just opened (`Opened`), with a new binding value of
/// ours for it: a value the browser already holds may have been planted (by a sibling
/// domain, say) by someone who wants to know it.
pub(super) async fn opened<E>(
    req: &HttpRequest,
    state: &AppState,
    open: impl AsyncFnOnce(&str) -> Result<Opened, E>,
) -> Result<HttpResponse, E> {
    let binding = wagate_storage::random_token(state.random.as_ref(), 32);
    let values = cookies::renewed(req, state.web.secure_cookies, binding.clone(), None);
    match open(&binding).await? {
        Opened::Flow { id } => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("{}/login/{id}", state.web.base)))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .cookie(cookies::binding(&values, state.web.secure_cookies))
            .finish()),
        // Nothing to ask: the browser goes on as after a login.
        Opened::Finished(finished) => Ok(finish(state, req, Format::Page, finished)),
    }
}

/// The client address, for the per-address limits of opening logins.
pub(super) fn address(req: &HttpRequest, state: &AppState) -> Option<std::net::IpAddr> {
    client_ip::of(req, &state.web)
}
