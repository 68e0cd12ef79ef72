//! The end_session_endpoint: RP-initiated logout, with a confirmation page when the request
//! does not prove who asks (no valid id_token_hint).

use super::language::Preferences;
use super::present::{Presenter, Problem, see_other};
use super::request::{self, Format};
use super::{body, cookies, pages};
use crate::live::State;
use crate::state::AppState;
use actix_web::http::{Method, StatusCode};
use actix_web::web::Payload;
use actix_web::{HttpRequest, HttpResponse};
use wagate_oidc::{LogoutError, LogoutStep, Params};

/// Parameters of the logout request that the confirmation form carries back.
const CARRIED: [&str; 4] = [
    "client_id",
    "post_logout_redirect_uri",
    "state",
    "ui_locales",
];

pub async fn logout(req: HttpRequest, payload: Payload, state: State) -> HttpResponse {
    let preferences = Preferences::of(&req);
    let browser = preferences.lang(&state.texts, &[]);
    let unread = Presenter::new(Format::Page, &state.web.base).speaking(&browser);
    let (params, posted) = match read(&req, payload, &state, unread).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    // RP-initiated logout carries the portal's `ui_locales` too.
    let ui_locales: Vec<String> = params
        .get("ui_locales")
        .ok()
        .flatten()
        .map(|v| {
            v.split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let lang = preferences.lang(&state.texts, &ui_locales);
    let present = unread.speaking(&lang);
    // Only our own confirmation form (a POST) can carry the confirmation token.
    let confirmation = posted.then(|| params.get("csrf").ok().flatten()).flatten();
    let session_cookie = cookies::read_session(&req, state.web.secure_cookies);
    let step = state
        .provider
        .logout(&params, session_cookie.as_deref(), confirmation)
        .await;
    match step {
        Ok(LogoutStep::Done { redirect }) => {
            signed_out(present, redirect, session_cookie.is_some(), &state)
        }
        Ok(LogoutStep::Confirm {
            csrf,
            client_id,
            client_name,
        }) => confirm(present, &params, &csrf, client_id, client_name),
        Err(e) => refused(present, &e),
    }
}

/// Signed out: to the portal's page, or ours.
fn signed_out(
    present: Presenter,
    redirect: Option<String>,
    came_with_cookie: bool,
    state: &AppState,
) -> HttpResponse {
    let mut res = match redirect {
        Some(uri) => see_other(&uri),
        None => pages::render(
            StatusCode::OK,
            &pages::SignedOutPage {
                base: present.base,
                t: present.lang,
            },
        ),
    };
    // Only a request that came with the cookie clears it: a cross-site POST (which the Lax
    // cookie does not follow) must not sign anyone out unasked.
    if came_with_cookie {
        let _ = res.add_cookie(&cookies::session_removal(state.web.secure_cookies));
    }
    res
}

/// The request's parameters (the query, or a posted form), and whether they were posted.
async fn read(
    req: &HttpRequest,
    payload: Payload,
    state: &AppState,
    present: Presenter<'_>,
) -> Result<(Params, bool), HttpResponse> {
    if req.method() != Method::POST {
        return Ok((body::query_params(req), false));
    }
    let params = request::form(req, payload, &state.web).await;
    params
        .map(|params| (params, true))
        .map_err(|e| present.unreadable(&e, REFUSED))
}

/// The title and advice of every refused sign-out.
/// Message ids.
const REFUSED: (&str, &str) = ("logout-failed", "logout-failed-advice");

/// Asks the person before signing out, for a request that does not prove who asks.
fn confirm(
    present: Presenter,
    params: &Params,
    csrf: &str,
    client_id: Option<String>,
    client_name: Option<String>,
) -> HttpResponse {
    let mut carried: Vec<(&str, &str)> = CARRIED
        .iter()
        .filter_map(|k| params.get(k).ok().flatten().map(|v| (*k, v)))
        .collect();
    // A client named only by the hint must survive the confirmation.
    if let Some(id) = client_id.as_deref()
        && !carried.iter().any(|(k, _)| *k == "client_id")
    {
        carried.push(("client_id", id));
    }
    pages::render(
        StatusCode::OK,
        &pages::LogoutConfirmPage {
            base: present.base,
            t: present.lang,
            csrf,
            client_name: client_name.as_deref(),
            carried,
        },
    )
}

fn refused(present: Presenter, e: &LogoutError) -> HttpResponse {
    let (title, advice) = REFUSED;
    let (title, advice) = (present.lang.get(title), present.lang.get(advice));
    let (status, code, message) = match e {
        LogoutError::Storage(e) => {
            tracing::error!(error = %e, "logout failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                present.lang.get("logout-unavailable"),
            )
        }
        // What is wrong with the request is the portal's to fix: said in its words, in English.
        LogoutError::UnknownClient
        | LogoutError::ClientMismatch
        | LogoutError::MissingClient
        | LogoutError::UnregisteredRedirect => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("This sign-out request is not valid: {e}."),
        ),
    };
    present.problem(&Problem::new(status, code, &message).titled(&title, &advice))
}
