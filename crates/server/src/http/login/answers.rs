//! What the journey answered, presented as the request asked: a page (or 303) for people,
//! JSON for apps; with the cookies a finished login sets, and the step counted in the metrics.

use super::super::login_errors::{Described, describe};
use super::super::present::see_other;
use super::super::request::Format;
use super::super::{body, cookies, pages};
use super::screens;
use super::step::Step;
use crate::state::AppState;
use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use serde_json::json;
use wagate_core::{Answer, Finished, LoginError, Refused, Screen};
use wagate_oidc::SessionOpened;

const AUTHENTICATOR_REQUIRED: &str = "needs a code from an authenticator app as well as the WhatsApp code, and you have not set one up yet.";

impl Step<'_> {
    /// The answer to step `name`. `typed_phone`: shown again on a refused phone page.
    pub fn present(
        &self,
        name: &'static str,
        result: Result<Answer, Refused>,
        typed_phone: &str,
    ) -> HttpResponse {
        let metrics = &self.state.metrics;
        match result {
            Err(refused) => {
                metrics.login_step(name, describe(&refused.error).code);
                self.refused(&refused, typed_phone)
            }
            Ok(Answer::Sent(sent)) => {
                metrics.login_step(name, "ok");
                match self.format {
                    Format::Json => body::json(StatusCode::OK, &screens::code_sent(&sent)),
                    Format::Page => self.to_flow(),
                }
            }
            Ok(Answer::Continue { screen, factor }) => {
                metrics.login_step(name, if factor { "next_factor" } else { "next_step" });
                match self.format {
                    Format::Json => body::json(StatusCode::OK, &screens::json(&screen)),
                    Format::Page => self.to_flow(),
                }
            }
            Ok(Answer::Finished(finished)) => {
                let outcome = match &finished {
                    Finished::SignedIn { .. } => "ok",
                    Finished::AuthenticatorMissing { .. } => "authenticator_required",
                    Finished::Declined { .. } => "declined",
                };
                metrics.login_step(name, outcome);
                finish(self.state, self.req, self.format, finished)
            }
        }
    }

    /// The flow's current screen.
    pub fn screen(&self, screen: &Screen) -> HttpResponse {
        match self.format {
            Format::Json => body::json(StatusCode::OK, &screens::json(screen)),
            Format::Page => screens::page(self.base(), screen, StatusCode::OK, None, ""),
        }
    }

    fn to_flow(&self) -> HttpResponse {
        see_other(&format!("{}/login/{}", self.base(), self.flow_id))
    }

    /// A refused step: JSON, the flow's page with the message on it, or a page of its own
    /// when the flow cannot be drawn again.
    pub fn refused(&self, refused: &Refused, typed_phone: &str) -> HttpResponse {
        let e = &refused.error;
        if let LoginError::Misconfigured(detail) | LoginError::Unavailable(detail) = e {
            tracing::error!(%detail, "login step failed");
        }
        let d = describe(e);
        let mut res = match (self.format, &refused.screen) {
            (Format::Json, _) => body::json_error(d.status, d.code, d.message, &d.extra),
            (Format::Page, Some(screen)) => {
                screens::page(self.base(), screen, d.status, Some(d.message), typed_phone)
            }
            (Format::Page, None) => self.error_page(e, &d),
        };
        if let Some(secs) = d.retry_after
            && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }

    fn error_page(&self, e: &LoginError, d: &Described) -> HttpResponse {
        let (title, advice) = match e {
            LoginError::Storage(_) => ("Sign-in is unavailable", "Reload this page in a moment."),
            _ => ("Sign-in stopped", "You can close this page."),
        };
        pages::error_page(self.base(), d.status, title, d.message, advice)
    }
}

/// A finished login: to the portal (or the account page), with the cookies it sets.
pub(in crate::http) fn finish(
    state: &AppState,
    req: &actix_web::HttpRequest,
    format: Format,
    finished: Finished,
) -> HttpResponse {
    match finished {
        Finished::SignedIn {
            to,
            session,
            spent_binding,
        } => {
            let mut res = match format {
                Format::Json => {
                    body::json(StatusCode::OK, &json!({"step": "done", "redirect_to": to}))
                }
                Format::Page => see_other(&to),
            };
            signed_in(state, req, &mut res, session, spent_binding.as_deref());
            res
        }
        Finished::AuthenticatorMissing {
            client_name,
            to_portal,
            session,
            spent_binding,
        } => {
            let mut res = match format {
                Format::Json => body::json_error(
                    StatusCode::FORBIDDEN,
                    "authenticator_required",
                    &format!("{client_name} {AUTHENTICATOR_REQUIRED}"),
                    &[
                        ("redirect_to", json!(to_portal)),
                        ("account", json!(format!("{}/account", state.web.issuer))),
                    ],
                ),
                Format::Page => pages::render(
                    StatusCode::FORBIDDEN,
                    &pages::AuthenticatorRequiredPage {
                        base: &state.web.base,
                        client_name: &client_name,
                        message: AUTHENTICATOR_REQUIRED,
                        account_url: format!("{}/account", state.web.base),
                        back_url: to_portal,
                    },
                ),
            };
            signed_in(state, req, &mut res, session, spent_binding.as_deref());
            res
        }
        Finished::Declined { to } => match format {
            Format::Json => body::json(
                StatusCode::OK,
                &json!({"step": "declined", "redirect_to": to}),
            ),
            Format::Page => see_other(&to),
        },
    }
}

/// Sets the session cookie of a finished login (when one was opened or renewed), and renews
/// the browser's bindings: the one this login used is spent (replaced by a new value); those
/// of other tabs stay.
fn signed_in(
    state: &AppState,
    req: &actix_web::HttpRequest,
    res: &mut HttpResponse,
    session: Option<SessionOpened>,
    spent: Option<&str>,
) {
    let secure = state.web.secure_cookies;
    if let Some(opened) = session {
        let cookie = cookies::session(opened.cookie.expose().to_owned(), secure, opened.lifetime);
        let _ = res.add_cookie(&cookie);
    }
    let fresh = wagate_storage::random_token(state.random.as_ref(), 32);
    let values = cookies::renewed(req, secure, fresh, spent);
    let _ = res.add_cookie(&cookies::binding(&values, secure));
}
