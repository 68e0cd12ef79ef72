//! What the journey answered, presented as the request asked: a page (or 303) for people,
//! JSON for apps; with the cookies a finished login sets, and the step counted in the metrics.

use super::super::language::Preferences;
use super::super::login_errors::{Described, describe, status_and_code};
use super::super::present::{Presenter, Problem, see_other};
use super::super::request::Format;
use super::super::{body, cookies, pages};
use super::screens;
use super::step::Step;
use crate::state::AppState;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::json;
use wagate_core::{Answer, Finished, LoginError, Refused, Screen, WaysOut};
use wagate_oidc::SessionOpened;

impl Step {
    /// The answer to step `name`. `typed_phone`: shown again on a refused phone page.
    pub fn present(
        &self,
        name: &'static str,
        result: Result<Answer, Refused>,
        typed_phone: &str,
    ) -> HttpResponse {
        let metrics = &self.state.metrics;
        let present = self.presenter();
        match result {
            Err(refused) => {
                metrics.login_step(name, status_and_code(&refused.error).1);
                self.refused(&refused, typed_phone)
            }
            Ok(Answer::Sent(sent)) => {
                metrics.login_step(name, "ok");
                // A resend's page says what happened to the code sent before.
                let said = match (name, sent.new_code) {
                    ("resend", true) => "?sent=new",
                    ("resend", false) => "?sent=fallback",
                    _ => "",
                };
                present.data(
                    StatusCode::OK,
                    || screens::code_sent(&sent),
                    || see_other(&format!("{}/login/{}{said}", self.base(), self.flow_id)),
                )
            }
            Ok(Answer::Continue { screen, factor }) => {
                metrics.login_step(name, if factor { "next_factor" } else { "next_step" });
                present.data(StatusCode::OK, || screens::json(&screen), || self.to_flow())
            }
            Ok(Answer::Finished(finished)) => {
                let outcome = match &finished {
                    Finished::SignedIn { .. } => "ok",
                    Finished::AuthenticatorMissing { .. } => "authenticator_required",
                    Finished::Declined { .. } => "declined",
                    Finished::NotOpened { .. } => "not_opened",
                };
                metrics.login_step(name, outcome);
                finish(&self.state, &self.req, self.format, finished)
            }
        }
    }

    /// The flow's current screen.
    pub fn screen(&self, screen: &Screen) -> HttpResponse {
        let lang = self.lang(&screen.ui_locales);
        self.presenter().speaking(&lang).data(
            StatusCode::OK,
            || screens::json(screen),
            || screens::page(&self.chrome(&lang), screen, StatusCode::OK, None, ""),
        )
    }

    fn to_flow(&self) -> HttpResponse {
        see_other(&format!("{}/login/{}", self.base(), self.flow_id))
    }

    /// A refused step: JSON, the flow's page with the message on it, or a page of its own
    /// when the flow cannot be drawn again.
    pub fn refused(&self, refused: &Refused, typed_phone: &str) -> HttpResponse {
        let ui_locales = match (&refused.screen, &refused.ways_out) {
            (Some(s), _) => &s.ui_locales[..],
            (None, Some(w)) => &w.ui_locales[..],
            (None, None) => &[][..],
        };
        let lang = self.lang(ui_locales);
        let d = describe(&refused.error, &lang);
        let present = self.presenter().speaking(&lang);
        let problem = problem(&refused.error, &d);
        match &refused.screen {
            Some(screen) => present.problem_on(&problem, |p| {
                let mut chrome = self.chrome(&lang);
                if let LoginError::ChallengeRequired(c) | LoginError::ChallengeFailed(c) =
                    &refused.error
                {
                    chrome.challenge = Some(c.as_ref().clone());
                }
                screens::page(&chrome, screen, p.status, Some(p.message), typed_phone)
            }),
            None => match &refused.ways_out {
                Some(w) => self.ended(present, &problem, w),
                None => present.problem(&problem),
            },
        }
    }

    /// A login that ended in this browser: the refusal with the ways on from it (JSON
    /// `start_again` and `back_to`; links on the page).
    fn ended(&self, present: Presenter, problem: &Problem, w: &WaysOut) -> HttpResponse {
        let mut extra = problem.extra.to_vec();
        extra.push(("start_again", json!(w.start_again)));
        extra.push(("back_to", json!(w.back)));
        let problem = Problem {
            extra: &extra,
            ..*problem
        };
        present.problem_on(&problem, |p| {
            pages::error_page(
                (present.base, present.lang),
                p.status,
                (p.title, p.message, p.advice),
                Some((&w.start_again, &w.back, &w.client_name)),
            )
        })
    }
}

/// A login error as a problem to present; failures of what wagate depends on are logged.
pub(in crate::http) fn problem<'a>(e: &LoginError, d: &'a Described) -> Problem<'a> {
    if let LoginError::Misconfigured(detail) | LoginError::Unavailable(detail) = e {
        tracing::error!(%detail, "login step failed");
    }
    Problem {
        retry_after: d.retry_after,
        ..Problem::new(d.status, d.code, &d.message)
            .described(&d.description)
            .with(&d.extra)
            .titled(&d.title, &d.advice)
    }
}

/// A finished login: to the portal (or the account page), with the cookies it sets.
pub(in crate::http) fn finish(
    state: &AppState,
    req: &actix_web::HttpRequest,
    format: Format,
    finished: Finished,
) -> HttpResponse {
    let ui_locales = match &finished {
        Finished::AuthenticatorMissing { ui_locales, .. } => ui_locales.clone(),
        Finished::SignedIn { .. } | Finished::Declined { .. } | Finished::NotOpened { .. } => {
            Vec::new()
        }
    };
    let lang = Preferences::of(req).lang(&state.texts, &ui_locales);
    let present = Presenter::new(format, &state.web.base).speaking(&lang);
    match finished {
        Finished::SignedIn {
            to,
            session,
            spent_binding,
        } => {
            let mut res = present.go(&to, || json!({"step": "done", "redirect_to": to}));
            signed_in(state, req, &mut res, session, spent_binding.as_deref());
            res
        }
        Finished::AuthenticatorMissing {
            client_name,
            to_portal,
            session,
            spent_binding,
            ui_locales: _,
        } => {
            let mut res = authenticator_missing(state, present, &client_name, to_portal);
            signed_in(state, req, &mut res, session, spent_binding.as_deref());
            res
        }
        Finished::Declined { to } => {
            present.go(&to, || json!({"step": "declined", "redirect_to": to}))
        }
        Finished::NotOpened { to } => {
            present.go(&to, || json!({"step": "not_opened", "redirect_to": to}))
        }
    }
}

/// The portal needs an authenticator the person has not set up: where to set one up, and the
/// way back to the portal.
fn authenticator_missing(
    state: &AppState,
    present: Presenter,
    client_name: &str,
    to_portal: String,
) -> HttpResponse {
    present.either(
        || {
            body::json_error(
                StatusCode::FORBIDDEN,
                "authenticator_required",
                &present
                    .lang
                    .with("authenticator-required-lead", "client", client_name),
                &[
                    ("redirect_to", json!(to_portal)),
                    ("account", json!(format!("{}/account", state.web.issuer))),
                ],
            )
        },
        || {
            pages::render(
                StatusCode::FORBIDDEN,
                &pages::AuthenticatorRequiredPage {
                    base: &state.web.base,
                    t: present.lang,
                    client_name,
                    account_url: format!("{}/account", state.web.base),
                    back_url: to_portal.clone(),
                },
            )
        },
    )
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
