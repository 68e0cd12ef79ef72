//! The signed-in person's account: `GET /account` (page, or JSON status), and the
//! authenticator app: `POST /account/totp` (start), `POST /account/totp/confirm`,
//! `DELETE /account/totp` (and `POST /account/totp/remove` for the page's form).
//! The session cookie says who; JSON requests need no CSRF token (a cross-site page cannot
//! send them without a preflight we never grant), forms carry the session's token.

use super::body;
use super::request::Posted;
use super::{cookies, pages};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};
use wagate_core::{AccountError, AccountService, NewAuthenticator, SignedIn};
use wagate_storage::Session;

/// What the account page shows besides the status.
#[derive(Default)]
struct Shown<'a> {
    enrolling: Option<&'a NewAuthenticator>,
    recovery_codes: Vec<&'a str>,
    notice: Option<&'a str>,
    error: Option<&'a str>,
}

/// A request to an account endpoint, once the person behind it is known.
struct Account<'a> {
    state: &'a AppState,
    service: &'a AccountService,
    session: Session,
    json: bool,
}

impl Account<'_> {
    fn who(&self) -> SignedIn<'_> {
        SignedIn {
            sub: &self.session.subject,
            sid: &self.session.sid,
            auth_time: self.session.auth_time,
            amr: &self.session.amr,
        }
    }

    fn base(&self) -> &str {
        &self.state.web.base
    }

    /// The page (or JSON status) with `shown` on it.
    async fn page(&self, status: StatusCode, shown: Shown<'_>) -> HttpResponse {
        let who = self.who();
        let totp = match self.service.status(&who).await {
            Ok(t) => t,
            Err(e) => return self.failure(&e),
        };
        if self.json {
            return body::json(
                status,
                &json!({
                    "phone": totp.phone,
                    "totp": {
                        "active": totp.active,
                        "confirmed_at": totp.confirmed_at.map(|t| t.secs()),
                        "recovery_codes_left": totp.recovery_codes_left,
                    },
                    "fresh_login": totp.fresh,
                    "can_remove": totp.removable,
                }),
            );
        }
        // An enrollment in progress stays on the page until confirmed or expired.
        let pending = match shown.enrolling {
            Some(_) => None,
            None => self.service.pending(&who).await.ok().flatten(),
        };
        let enrolling = shown.enrolling.or(pending.as_ref());
        pages::render(
            status,
            &pages::AccountPage {
                base: self.base(),
                phone: &totp.phone,
                csrf: self.session.csrf_token.expose(),
                active: totp.active,
                recovery_codes_left: totp.recovery_codes_left,
                fresh: totp.fresh,
                removable: totp.removable,
                enrolling: enrolling.map(|n| (n.qr.expose(), n.secret.expose())),
                recovery_codes: shown.recovery_codes,
                notice: shown.notice,
                error: shown.error,
            },
        )
    }

    /// An account error as JSON, or as the page with the message on it.
    fn failure(&self, e: &AccountError) -> HttpResponse {
        let (status, code, message) = describe(e);
        if let AccountError::Misconfigured(detail) = e {
            tracing::error!(%detail, "authenticator secrets unusable");
        }
        if self.json {
            let login = json!(format!("{}/account/login", self.state.web.issuer));
            body::json_error(status, code, message, &[("login", login)])
        } else {
            pages::error_page(
                self.base(),
                status,
                "Your account",
                message,
                "Go back to your account page and try again.",
            )
        }
    }

    async fn refused(&self, e: &AccountError) -> HttpResponse {
        match e {
            // The page itself can say these.
            AccountError::WrongCode
            | AccountError::MalformedCode
            | AccountError::StaleAuthentication
            | AccountError::AuthenticatorLoginNeeded
                if !self.json =>
            {
                let (status, _, message) = describe(e);
                self.page(
                    status,
                    Shown {
                        error: Some(message),
                        ..Shown::default()
                    },
                )
                .await
            }
            _ => self.failure(e),
        }
    }
}

fn describe(e: &AccountError) -> (StatusCode, &'static str, &'static str) {
    match e {
        AccountError::UnknownPerson => {
            (StatusCode::UNAUTHORIZED, "login_required", "Sign in first.")
        }
        AccountError::StaleAuthentication => (
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "For your safety, sign in again before changing your authenticator app.",
        ),
        AccountError::AuthenticatorLoginNeeded => (
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "To remove your authenticator app, sign in again with a code from it (or a recovery code).",
        ),
        AccountError::AlreadyActive => (
            StatusCode::CONFLICT,
            "already_enrolled",
            "An authenticator app is already active. Remove it first to use another.",
        ),
        AccountError::NotActive => (
            StatusCode::NOT_FOUND,
            "not_enrolled",
            "No authenticator app is active.",
        ),
        AccountError::NoEnrollment => (
            StatusCode::CONFLICT,
            "no_enrollment",
            "There is no authenticator set-up to confirm (it may have expired). Start again.",
        ),
        AccountError::MalformedCode => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Type the six digits your authenticator app shows.",
        ),
        AccountError::WrongCode => (
            StatusCode::BAD_REQUEST,
            "invalid_code",
            "That code is not right. Check the time on your phone and type the current code.",
        ),
        AccountError::Conflict => (
            StatusCode::CONFLICT,
            "conflict",
            "Another request changed your account at the same moment. Reload and try again.",
        ),
        AccountError::Storage(_) | AccountError::Misconfigured(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "Your account is unavailable right now. Try again in a moment.",
        ),
    }
}

fn disabled(state: &AppState, json: bool) -> HttpResponse {
    if json {
        body::json_error(
            StatusCode::NOT_FOUND,
            "not_enabled",
            "authenticator apps are not enabled here",
            &[],
        )
    } else {
        pages::error_page(
            &state.web.base,
            StatusCode::NOT_FOUND,
            "Your account",
            "Authenticator apps are not offered here.",
            "Go back to the site you came from.",
        )
    }
}

/// The person behind the request, or the answer that says they must sign in (or that
/// authenticators are off).
async fn account<'a>(req: &HttpRequest, state: &'a AppState) -> Result<Account<'a>, HttpResponse> {
    // DELETE is an API call whatever it accepts.
    let json = body::is_json(req)
        || body::wants_json(req)
        || req.method() == actix_web::http::Method::DELETE;
    let Some(service) = state.account.as_ref() else {
        return Err(disabled(state, json));
    };
    let cookie = cookies::read_session(req, state.web.secure_cookies);
    let session = match cookie {
        Some(c) => state.provider.session(&c).await,
        None => Ok(None),
    };
    match session {
        Ok(Some(session)) => Ok(Account {
            state,
            service,
            session,
            json,
        }),
        Ok(None) if json => Err(body::json_error(
            StatusCode::UNAUTHORIZED,
            "login_required",
            "no wagate session: sign in first",
            &[(
                "login",
                json!(format!("{}/account/login", state.web.issuer)),
            )],
        )),
        Ok(None) => Err(pages::render(
            StatusCode::UNAUTHORIZED,
            &pages::AccountSignInPage {
                base: &state.web.base,
                message: "Sign in to manage your authenticator app.",
            },
        )),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            Err(body::json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "try again in a moment",
                &[],
            ))
        }
    }
}

/// Reads a posted body: JSON, or a form whose CSRF token matches the session's.
async fn posted(
    req: &HttpRequest,
    payload: Payload,
    a: &Account<'_>,
) -> Result<Value, HttpResponse> {
    let posted = match Posted::read(req, payload, &a.state.web).await {
        Ok(posted) => posted,
        Err(e) => {
            let res = body::json_error(e.status(), "invalid_request", e.message(), &[]);
            return Err(if e.timed_out() {
                body::BodyError::TimedOut.finish(res)
            } else {
                res
            });
        }
    };
    if !posted.csrf().allows(&a.session.csrf_token) {
        return Err(pages::error_page(
            a.base(),
            StatusCode::FORBIDDEN,
            "Your account",
            "This form was not sent from your account page.",
            "Reload your account page and try again.",
        ));
    }
    Ok(match posted {
        Posted::Json(fields) => Value::Object(fields),
        Posted::Form(_) => json!({ "code": posted.field("code").unwrap_or_default() }),
    })
}

pub async fn show(req: HttpRequest, state: Data<AppState>) -> HttpResponse {
    match account(&req, &state).await {
        Ok(a) => a.page(StatusCode::OK, Shown::default()).await,
        Err(res) => res,
    }
}

/// Starts a sign-in for the account page itself: a fresh login, whatever the session.
pub async fn login(req: HttpRequest, state: Data<AppState>) -> HttpResponse {
    let base = &state.web.base;
    if state.account.is_none() {
        return disabled(&state, false);
    }
    let ip = super::login::address(&req, &state);
    let opened = super::login::opened(&req, &state, async |binding| {
        state.journey.start_account_sign_in(binding, ip).await
    })
    .await;
    match opened {
        Ok(res) => res,
        Err(wagate_core::LoginError::TooManyLogins) => pages::error_page(
            base,
            StatusCode::TOO_MANY_REQUESTS,
            "Your account",
            "Too many sign-ins were started from your network.",
            "Wait a minute and try again.",
        ),
        Err(e) => {
            tracing::warn!(error = %e, "could not open an account sign-in");
            pages::error_page(
                base,
                StatusCode::SERVICE_UNAVAILABLE,
                "Your account",
                "Signing in is unavailable right now.",
                "Try again in a moment.",
            )
        }
    }
}

/// `POST /account/totp`: a new secret, its `otpauth://` URI and QR code.
pub async fn begin(req: HttpRequest, payload: Payload, state: Data<AppState>) -> HttpResponse {
    let a = match account(&req, &state).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    if let Err(res) = posted(&req, payload, &a).await {
        return res;
    }
    let new = match a.service.begin(&a.who()).await {
        Ok(new) => new,
        Err(e) => return a.refused(&e).await,
    };
    state.metrics.login_step("totp_enroll", "started");
    if a.json {
        return body::json(
            StatusCode::OK,
            &json!({
                "secret": new.secret.expose(),
                "otpauth_uri": new.otpauth_uri.expose(),
                "qr": new.qr.expose(),
                "expires_in": new.expires_in.as_secs(),
            }),
        );
    }
    a.page(
        StatusCode::OK,
        Shown {
            enrolling: Some(&new),
            ..Shown::default()
        },
    )
    .await
}

/// `POST /account/totp/confirm` `{"code"}`: activates the authenticator; answers the recovery
/// codes, once.
pub async fn confirm(req: HttpRequest, payload: Payload, state: Data<AppState>) -> HttpResponse {
    let a = match account(&req, &state).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    let input = match posted(&req, payload, &a).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let Some(code) = input.get("code").and_then(Value::as_str) else {
        return a.failure(&AccountError::MalformedCode);
    };
    let codes = match a.service.confirm(&a.who(), code).await {
        Ok(codes) => codes,
        Err(e) => return a.refused(&e).await,
    };
    state.metrics.login_step("totp_enroll", "confirmed");
    let shown: Vec<&str> = codes.iter().map(|c| c.expose()).collect();
    if a.json {
        return body::json(
            StatusCode::OK,
            &json!({ "active": true, "recovery_codes": shown }),
        );
    }
    a.page(
        StatusCode::OK,
        Shown {
            recovery_codes: shown,
            ..Shown::default()
        },
    )
    .await
}

/// `DELETE /account/totp` (JSON) and `POST /account/totp/remove` (the page's form).
pub async fn remove(req: HttpRequest, payload: Payload, state: Data<AppState>) -> HttpResponse {
    let a = match account(&req, &state).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    // DELETE carries no body; a form post must prove it came from the page.
    if req.method() != actix_web::http::Method::DELETE
        && let Err(res) = posted(&req, payload, &a).await
    {
        return res;
    }
    if let Err(e) = a.service.remove(&a.who()).await {
        return a.refused(&e).await;
    }
    state.metrics.login_step("totp_enroll", "removed");
    if a.json {
        return body::json(StatusCode::OK, &json!({ "active": false }));
    }
    a.page(
        StatusCode::OK,
        Shown {
            notice: Some(
                "The authenticator app is removed. Sign in with WhatsApp codes from now on.",
            ),
            ..Shown::default()
        },
    )
    .await
}
