//! The signed-in person's account: `GET /account` (page, or JSON status), and the
//! authenticator app: `POST /account/totp` (start), `POST /account/totp/confirm`,
//! `DELETE /account/totp` (and `POST /account/totp/remove` for the page's form). Sessions,
//! the number and deletion are in `account_self.rs`.
//! The session cookie says who; JSON requests need no CSRF token (a cross-site page cannot
//! send them without a preflight we never grant), forms carry the session's token.

use super::account_errors::describe;
use super::language::{Preferences, back_to};
use super::login_errors;
use super::present::{Presenter, Problem, SOMETHING_WENT_WRONG, Words};
use super::request::{Format, Posted};
use super::{body, cookies, pages};
use crate::live::State;
use crate::state::AppState;
use actix_web::dev;
use actix_web::error::InternalError;
use actix_web::http::{Method, StatusCode};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use serde_json::{Value, json};
use std::sync::Arc;
use wagate_core::i18n::Lang;
use wagate_core::{AccountError, AccountService, NewAuthenticator, SignedIn};
use wagate_storage::Session;

/// The title of the account's pages (a message id).
const TITLE: &str = "account-title";

/// What the account page shows besides the status; `notice` and `error` are message ids.
#[derive(Default)]
pub(super) struct Shown<'a> {
    pub enrolling: Option<&'a NewAuthenticator>,
    pub recovery_codes: Vec<&'a str>,
    pub notice: Option<&'static str>,
    pub error: Option<&'static str>,
    /// A notice or error already in the person's words (with a number or a count in it).
    pub notice_text: Option<String>,
    pub error_text: Option<String>,
    /// A code went to this new number: the page asks for it.
    pub number_code: Option<String>,
}

/// A request to an account endpoint, once the person behind it is known and a POST's body is
/// read (JSON, or a form that proves it came from the account page).
pub(super) struct Account {
    pub state: State,
    /// `None` when authenticator apps are off.
    service: Option<Arc<AccountService>>,
    pub session: Session,
    pub format: Format,
    /// What a POST carried: its JSON object, or the form's fields.
    pub input: Value,
    languages: Preferences,
    /// The client's address, for the send budgets of a new number's code.
    pub ip: Option<std::net::IpAddr>,
}

impl FromRequest for Account {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Account, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let refusal = |res| InternalError::from_response("account request refused", res);
            let state = State::extract(&req).await?;
            let mut a = account(&req, state).await.map_err(refusal)?;
            // DELETE carries no body.
            if req.method() == Method::POST {
                a.input = posted(&req, payload, &a).await.map_err(refusal)?;
            }
            Ok(a)
        })
    }
}

impl Account {
    pub(super) fn present(&self) -> Presenter<'_> {
        Presenter::new(self.format, &self.state.web.base)
    }

    /// The person's language (the browser's, or the one they picked).
    pub(super) fn lang(&self) -> Lang<'_> {
        self.languages.lang(&self.state.texts, &[])
    }

    pub(super) fn languages(&self) -> &Preferences {
        &self.languages
    }

    /// The answer when authenticator apps are off.
    fn authenticators_off(&self) -> HttpResponse {
        let lang = self.lang();
        disabled(self.present().speaking(&lang))
    }

    fn who(&self) -> SignedIn<'_> {
        SignedIn {
            sub: &self.session.subject,
            sid: &self.session.sid,
            auth_time: self.session.auth_time,
            amr: &self.session.amr,
        }
    }

    /// The page (or JSON status) with `shown` on it.
    pub(super) async fn page(&self, status: StatusCode, shown: Shown<'_>) -> HttpResponse {
        let who = self.who();
        let person = match self.state.people.get(&self.session.subject).await {
            Ok(p) => p,
            Err(e) => return super::account_self::people_failure(self, &e),
        };
        let totp = match &self.service {
            Some(service) => match service.status(&who).await {
                Ok(t) => Some(t),
                Err(e) => return self.failure(&e),
            },
            None => None,
        };
        let fresh = self.state.people.fresh(self.session.auth_time);
        if self.format == Format::Json {
            let sessions: Vec<Value> = person
                .sessions
                .iter()
                .map(|s| {
                    json!({
                        "session_id": s.sid,
                        "auth_time": s.auth_time.secs(),
                        "clients": s.clients,
                        "current": s.sid == self.session.sid,
                    })
                })
                .collect();
            let value = json!({
                "phone": person.phone,
                "totp": totp.as_ref().map(|t| json!({
                    "active": t.active,
                    "confirmed_at": t.confirmed_at.map(|c| c.secs()),
                    "recovery_codes_left": t.recovery_codes_left,
                })),
                "fresh_login": fresh,
                "can_remove": totp.as_ref().is_some_and(|t| t.removable),
                "can_change_phone": fresh,
                "can_delete": fresh,
                "sessions": sessions,
            });
            return body::json(status, &value);
        }
        // An enrollment in progress stays on the page until confirmed or expired.
        let pending = match (shown.enrolling, &self.service) {
            (None, Some(service)) => service.pending(&who).await.ok().flatten(),
            _ => None,
        };
        let enrolling = shown.enrolling.or(pending.as_ref());
        let lang = self.lang();
        let notice = shown
            .notice_text
            .clone()
            .or_else(|| shown.notice.map(|key| lang.get(key)));
        let error = shown
            .error_text
            .clone()
            .or_else(|| shown.error.map(|key| lang.get(key)));
        let sessions = super::account_self::session_rows(&person, &self.session.sid);
        pages::render(
            status,
            &pages::AccountPage {
                base: &self.state.web.base,
                t: &lang,
                here: back_to(&format!("{}/account", self.state.web.base)),
                phone: &person.phone,
                csrf: self.session.csrf_token.expose(),
                totp_enabled: totp.is_some(),
                active: totp.as_ref().is_some_and(|t| t.active),
                recovery_codes_left: totp.as_ref().map_or(0, |t| {
                    u64::try_from(t.recovery_codes_left).unwrap_or(u64::MAX)
                }),
                fresh: totp.as_ref().is_some_and(|t| t.fresh),
                removable: totp.as_ref().is_some_and(|t| t.removable),
                fresh_login: fresh,
                sessions,
                number_code: shown.number_code.as_deref(),
                enrolling: enrolling.map(|n| {
                    (
                        n.qr.expose(),
                        in_fours(n.secret.expose()),
                        n.otpauth_uri.expose(),
                    )
                }),
                codes_file: codes_file(&shown.recovery_codes),
                recovery_codes: shown.recovery_codes,
                notice: notice.as_deref(),
                error: error.as_deref(),
            },
        )
    }

    /// An account error as JSON, or as a page of its own.
    pub(super) fn failure(&self, e: &AccountError) -> HttpResponse {
        let (status, code, message) = describe(e);
        if let AccountError::Misconfigured(detail) = e {
            tracing::error!(%detail, "authenticator secrets unusable");
        }
        let login = [("login", login_url(&self.state))];
        let lang = self.lang();
        let words = Words::of(&lang, TITLE, message, "account-advice-back");
        self.present()
            .speaking(&lang)
            .problem(&words.problem(status, code).with(&login))
    }

    /// A refused change: the page says the ones a person can fix there.
    async fn refused(&self, e: &AccountError) -> HttpResponse {
        match e {
            AccountError::WrongCode
            | AccountError::MalformedCode
            | AccountError::StaleAuthentication
            | AccountError::AuthenticatorLoginNeeded
                if self.format == Format::Page =>
            {
                let (status, _, message) = describe(e);
                let shown = Shown {
                    error: Some(message),
                    ..Shown::default()
                };
                self.page(status, shown).await
            }
            _ => self.failure(e),
        }
    }

    /// The answer to a change that went through: JSON for apps, the page with `shown` for people.
    pub(super) async fn done(&self, value: Value, shown: Shown<'_>) -> HttpResponse {
        match self.format {
            Format::Json => body::json(StatusCode::OK, &value),
            Format::Page => self.page(StatusCode::OK, shown).await,
        }
    }
}

/// `key` in groups of four, easier to copy by hand.
fn in_fours(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The recovery codes as a text file's content, percent-encoded for a `data:` URL.
fn codes_file(codes: &[&str]) -> String {
    let text: String = codes.iter().map(|c| format!("{c}\n")).collect();
    url::form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub(super) fn login_url(state: &AppState) -> Value {
    json!(format!("{}/account/login", state.web.issuer))
}

fn disabled(present: Presenter) -> HttpResponse {
    let words = Words::of(
        present.lang,
        TITLE,
        "account-error-disabled",
        "account-advice-site",
    );
    present.problem(
        &words
            .problem(StatusCode::NOT_FOUND, "not_enabled")
            .described("authenticator apps are not enabled here"),
    )
}

/// The person behind the request, or the answer that says they must sign in (or that
/// authenticators are off).
async fn account(req: &HttpRequest, state: State) -> Result<Account, HttpResponse> {
    // DELETE is an API call whatever it accepts.
    let format = match Format::of(req) {
        _ if req.method() == Method::DELETE => Format::Json,
        format => format,
    };
    let languages = Preferences::of(req);
    let lang = languages.lang(&state.texts, &[]);
    let present = Presenter::new(format, &state.web.base).speaking(&lang);
    let service = state.account.clone();
    let cookie = cookies::read_session(req, state.web.secure_cookies);
    let session = match cookie {
        Some(c) => state.provider.session(&c).await,
        None => Ok(None),
    };
    match session {
        Ok(Some(session)) => Ok(Account {
            service,
            session,
            format,
            input: Value::Null,
            languages,
            ip: super::client_ip::of(req, &state.web),
            state: state.clone(),
        }),
        Ok(None) => Err(match format {
            Format::Json => {
                let login = [("login", login_url(&state))];
                present.problem(
                    &Problem::new(
                        StatusCode::UNAUTHORIZED,
                        "login_required",
                        "no wagate session: sign in first",
                    )
                    .with(&login),
                )
            }
            Format::Page => pages::render(
                StatusCode::UNAUTHORIZED,
                &pages::AccountSignInPage {
                    base: &state.web.base,
                    t: &lang,
                    here: back_to(&format!("{}/account", state.web.base)),
                },
            ),
        }),
        Err(e) => {
            tracing::error!(error = %e, "session lookup failed");
            let words = Words::of(
                &lang,
                TITLE,
                "account-error-unavailable",
                "account-advice-later",
            );
            Err(present.problem(
                &words
                    .problem(StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable")
                    .described("try again in a moment"),
            ))
        }
    }
}

/// Reads a posted body: JSON, or a form whose CSRF token matches the session's.
async fn posted(
    req: &HttpRequest,
    payload: dev::Payload,
    a: &Account,
) -> Result<Value, HttpResponse> {
    let posted = Posted::read(req, payload, &a.state.web)
        .await
        .map_err(|e| {
            let lang = a.lang();
            a.present()
                .speaking(&lang)
                .unreadable(&e, SOMETHING_WENT_WRONG)
        })?;
    if !posted.csrf().allows(&a.session.csrf_token) {
        let lang = a.lang();
        let words = Words::of(&lang, TITLE, "account-error-csrf", "account-advice-reload");
        return Err(a
            .present()
            .speaking(&lang)
            .problem(&words.problem(StatusCode::FORBIDDEN, "invalid_request")));
    }
    Ok(match posted {
        Posted::Json(fields) => Value::Object(fields),
        Posted::Form(_) => {
            let field = |name| posted.field(name).map(str::to_owned);
            json!({
                "code": field("code").unwrap_or_default(),
                "phone": field("phone"),
                "country": field("country"),
                "confirm": field("confirm").is_some(),
            })
        }
    })
}

pub async fn show(a: Account) -> HttpResponse {
    a.page(StatusCode::OK, Shown::default()).await
}

/// Starts a sign-in for the account page itself: a fresh login, whatever the session.
pub async fn login(req: HttpRequest, state: State) -> HttpResponse {
    let lang = Preferences::of(&req).lang(&state.texts, &[]);
    let present = Presenter::new(Format::Page, &state.web.base).speaking(&lang);
    let ip = super::login::address(&req, &state);
    let opened = super::login::opened(&req, &state, async |binding| {
        state.journey.start_account_sign_in(binding, ip).await
    })
    .await;
    match opened {
        Ok(res) => res,
        Err(e) => {
            tracing::warn!(error = %e, "could not open an account sign-in");
            let d = login_errors::describe(&e, &lang);
            present.problem(&super::login::problem(&e, &d))
        }
    }
}

/// `POST /account/totp`: a new secret, its `otpauth://` URI and QR code.
pub async fn begin(a: Account) -> HttpResponse {
    let Some(service) = a.service.as_deref() else {
        return a.authenticators_off();
    };
    let new = match service.begin(&a.who()).await {
        Ok(new) => new,
        Err(e) => return a.refused(&e).await,
    };
    a.state.metrics.login_step("totp_enroll", "started");
    let value = json!({
        "secret": new.secret.expose(),
        "otpauth_uri": new.otpauth_uri.expose(),
        "qr": new.qr.expose(),
        "expires_in": new.expires_in.as_secs(),
    });
    let shown = Shown {
        enrolling: Some(&new),
        ..Shown::default()
    };
    a.done(value, shown).await
}

/// `POST /account/totp/confirm` `{"code"}`: activates the authenticator; answers the recovery
/// codes, once.
pub async fn confirm(a: Account) -> HttpResponse {
    let Some(service) = a.service.as_deref() else {
        return a.authenticators_off();
    };
    let Some(code) = a.input.get("code").and_then(Value::as_str) else {
        return a.failure(&AccountError::MalformedCode);
    };
    let codes = match service.confirm(&a.who(), code).await {
        Ok(codes) => codes,
        Err(e) => return a.refused(&e).await,
    };
    a.state.metrics.login_step("totp_enroll", "confirmed");
    let shown: Vec<&str> = codes.iter().map(|c| c.expose()).collect();
    let value = json!({ "active": true, "recovery_codes": shown });
    let shown = Shown {
        recovery_codes: shown,
        ..Shown::default()
    };
    a.done(value, shown).await
}

/// `DELETE /account/totp` (JSON) and `POST /account/totp/remove` (the page's form).
pub async fn remove(a: Account) -> HttpResponse {
    let Some(service) = a.service.as_deref() else {
        return a.authenticators_off();
    };
    if let Err(e) = service.remove(&a.who()).await {
        return a.refused(&e).await;
    }
    a.state.metrics.login_step("totp_enroll", "removed");
    let shown = Shown {
        notice: Some("account-removed"),
        ..Shown::default()
    };
    a.done(json!({ "active": false }), shown).await
}
