//! The end_session_endpoint: RP-initiated logout, with a confirmation page when the request
//! does not prove who asks (no valid id_token_hint).

use super::body;
use super::present::see_other;
use super::{cookies, pages};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use wagate_oidc::{LogoutError, LogoutStep, Params};

/// Parameters of the logout request that the confirmation form carries back.
const CARRIED: [&str; 4] = [
    "client_id",
    "post_logout_redirect_uri",
    "state",
    "ui_locales",
];

pub async fn logout(req: HttpRequest, payload: Payload, state: Data<AppState>) -> HttpResponse {
    let base = state.web.base.as_str();
    let refuse = |status: StatusCode, message: &str| {
        pages::error_page(
            base,
            status,
            "Sign-out failed",
            message,
            "Go back to the site you came from.",
        )
    };
    let (params, posted) = if req.method() == actix_web::http::Method::POST {
        if !body::is_form(&req) {
            return refuse(StatusCode::BAD_REQUEST, "The request must be a form post.");
        }
        match body::read(&req, payload, &state.web).await {
            Ok(bytes) => (Params::parse(&bytes), true),
            Err(e) => return e.finish(refuse(e.status(), e.message())),
        }
    } else {
        (body::query_params(&req), false)
    };
    // Only our own confirmation form (a POST) can carry the confirmation token.
    let confirmation = if posted {
        params.get("csrf").ok().flatten()
    } else {
        None
    };
    let secure = state.web.secure_cookies;
    let session_cookie = cookies::read_session(&req, secure);
    match state
        .provider
        .logout(&params, session_cookie.as_deref(), confirmation)
        .await
    {
        Ok(LogoutStep::Done { redirect }) => {
            let mut res = match redirect {
                Some(uri) => see_other(&uri),
                None => pages::render(StatusCode::OK, &pages::SignedOutPage { base }),
            };
            // Only a request that came with the cookie clears it: a cross-site POST (which the
            // Lax cookie does not follow) must not sign anyone out unasked.
            if session_cookie.is_some() {
                let _ = res.add_cookie(&cookies::session_removal(secure));
            }
            res
        }
        Ok(LogoutStep::Confirm {
            csrf,
            client_id,
            client_name,
        }) => {
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
                    base,
                    csrf: &csrf,
                    client_name: client_name.as_deref(),
                    carried,
                },
            )
        }
        Err(LogoutError::Storage(e)) => {
            tracing::error!(error = %e, "logout failed");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sign-out is unavailable right now; try again in a moment.",
            )
        }
        Err(
            e @ (LogoutError::UnknownClient
            | LogoutError::ClientMismatch
            | LogoutError::MissingClient
            | LogoutError::UnregisteredRedirect),
        ) => refuse(
            StatusCode::BAD_REQUEST,
            &format!("This sign-out request is not valid: {e}."),
        ),
    }
}
