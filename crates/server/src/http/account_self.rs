//! The person's own account beyond the authenticator: their sessions (`POST
//! /account/sessions/end-others`), a new number proven by a WhatsApp code (`POST
//! /account/phone`, then `POST /account/phone/confirm`), and deleting the account (`POST
//! /account/delete`, with `confirm`). JSON for apps, the account page for people; the people
//! service does the work, as for operators, with the person as the actor.

use super::account::{Account, Shown, login_url};
use super::login_errors;
use super::pages::{self, SessionRow};
use super::present::Words;
use super::request::Format;
use super::{body, cookies};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::{Value, json};
use wagate_core::people::{PeopleError, PersonView};
use wagate_core::{Browser, Csrf, LoginError};

const TITLE: &str = "account-title";

/// The page's rows for the person's sessions.
pub(super) fn session_rows(person: &PersonView, current: &str) -> Vec<SessionRow> {
    person
        .sessions
        .iter()
        .map(|s| SessionRow {
            since: chrono::DateTime::from_timestamp(s.auth_time.secs(), 0)
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default(),
            portals: s.clients.join(", "),
            current: s.sid == current,
        })
        .collect()
}

/// What a person's own change failed on: status, code, and the sentence's message id.
fn describe(e: &PeopleError) -> (StatusCode, &'static str, &'static str) {
    match e {
        PeopleError::UnknownPerson => (
            StatusCode::UNAUTHORIZED,
            "login_required",
            "account-error-sign-in-first",
        ),
        PeopleError::StaleAuthentication => (
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "account-error-stale-change",
        ),
        PeopleError::NotConfirmed => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "account-error-not-confirmed",
        ),
        PeopleError::PhoneTaken => (
            StatusCode::CONFLICT,
            "phone_taken",
            "account-error-phone-taken",
        ),
        PeopleError::InvalidPhone(_) => (
            StatusCode::BAD_REQUEST,
            "invalid_phone",
            "error-invalid-phone",
        ),
        PeopleError::Conflict => (StatusCode::CONFLICT, "conflict", "account-error-conflict"),
        PeopleError::UnknownSession
        | PeopleError::NoAuthenticator
        | PeopleError::BadCursor
        | PeopleError::Storage(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "account-error-unavailable",
        ),
    }
}

/// A people error as JSON, or as the account page with the sentence (for what a person can
/// fix there) or a page of its own.
pub(super) fn people_failure(a: &Account, e: &PeopleError) -> HttpResponse {
    if let PeopleError::Storage(err) = e {
        tracing::error!(error = %err, "account: storage failed");
    }
    let (status, code, message) = describe(e);
    let lang = a.lang();
    let words = Words::of(&lang, TITLE, message, "account-advice-back");
    let login = [("login", login_url(&a.state))];
    a.present()
        .speaking(&lang)
        .problem(&words.problem(status, code).with(&login))
}

async fn refused(a: &Account, e: &PeopleError) -> HttpResponse {
    match e {
        PeopleError::StaleAuthentication
        | PeopleError::NotConfirmed
        | PeopleError::PhoneTaken
        | PeopleError::InvalidPhone(_)
            if a.format == Format::Page =>
        {
            let (status, _, message) = describe(e);
            let shown = Shown {
                error: Some(message),
                ..Shown::default()
            };
            a.page(status, shown).await
        }
        _ => people_failure(a, e),
    }
}

/// A code step's refusal: the login API's answer, or the page with the sentence.
async fn code_refused(a: &Account, e: &LoginError, number: Option<String>) -> HttpResponse {
    let lang = a.lang();
    let d = login_errors::describe(e, &lang);
    if a.format == Format::Page
        && !matches!(e, LoginError::Storage(_) | LoginError::Misconfigured(_))
    {
        let shown = Shown {
            error_text: Some(d.message.clone()),
            number_code: number,
            ..Shown::default()
        };
        return a.page(d.status, shown).await;
    }
    a.present()
        .speaking(&lang)
        .problem(&super::login::problem(e, &d))
}

fn stale(a: &Account) -> Option<PeopleError> {
    (!a.state.people.fresh(a.session.auth_time)).then_some(PeopleError::StaleAuthentication)
}

/// `POST /account/sessions/end-others`: signs out every other session of the person.
pub async fn end_others(a: Account) -> HttpResponse {
    let ended = match a
        .state
        .people
        .end_sessions(
            &wagate_core::events::Actor::Person,
            &a.session.subject,
            Some(&a.session.sid),
        )
        .await
    {
        Ok(n) => n,
        Err(e) => return people_failure(&a, &e),
    };
    let lang = a.lang();
    let shown = Shown {
        notice_text: Some(lang.count("account-ended-others", "n", ended as u64)),
        ..Shown::default()
    };
    drop(lang);
    a.done(json!({ "ended": ended }), shown).await
}

/// `POST /account/phone` `{"phone", "country"?}`: sends a code to the new number.
pub async fn send_number_code(a: Account) -> HttpResponse {
    if let Some(e) = stale(&a) {
        return refused(&a, &e).await;
    }
    let typed = a
        .input
        .get("phone")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let region = a
        .input
        .get("country")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty());
    let browser = Browser {
        bindings: &[],
        ip: a.ip,
        csrf: Csrf::NotNeeded,
        languages: a.languages().all(),
        region,
        solution: a.input.get("altcha").and_then(Value::as_str),
    };
    let login = a.state.journey.login();
    match login
        .send_number_code(&a.session.sid, typed, &browser)
        .await
    {
        Ok(sent) => {
            let value = json!({
                "step": "code",
                "phone": sent.phone,
                "code_length": sent.code_length,
                "expires_in": sent.expires_in.as_secs(),
            });
            let shown = Shown {
                number_code: Some(sent.phone),
                ..Shown::default()
            };
            a.done(value, shown).await
        }
        Err(e) => code_refused(&a, &e, None).await,
    }
}

/// `POST /account/phone/confirm` `{"code"}`: the number proven by the code becomes theirs.
pub async fn confirm_number(a: Account) -> HttpResponse {
    if let Some(e) = stale(&a) {
        return refused(&a, &e).await;
    }
    let code = a
        .input
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let login = a.state.journey.login();
    let proven = match login.check_number_code(&a.session.sid, code).await {
        Ok(phone) => phone,
        Err(e) => {
            let again = matches!(e, LoginError::WrongCode { .. } | LoginError::MalformedCode);
            return code_refused(&a, &e, again.then(String::new)).await;
        }
    };
    match a
        .state
        .people
        .change_own_phone(&a.session.subject, a.session.auth_time, &proven)
        .await
    {
        Ok(person) => {
            let lang = a.lang();
            let shown = Shown {
                notice_text: Some(lang.with(
                    "account-number-changed",
                    "phone",
                    wagate_core::international(&person.phone),
                )),
                ..Shown::default()
            };
            drop(lang);
            a.done(json!({ "phone": person.phone }), shown).await
        }
        Err(e) => refused(&a, &e).await,
    }
}

/// `POST /account/delete` `{"confirm": true}`: erases the person; the session cookie goes.
pub async fn delete(a: Account) -> HttpResponse {
    let confirmed = a.input.get("confirm").and_then(Value::as_bool) == Some(true);
    if let Err(e) = a
        .state
        .people
        .delete_own(&a.session.subject, a.session.auth_time, confirmed)
        .await
    {
        return refused(&a, &e).await;
    }
    let secure = a.state.web.secure_cookies;
    let mut res = match a.format {
        Format::Json => body::json(StatusCode::OK, &json!({ "deleted": true })),
        Format::Page => {
            let lang = a.lang();
            pages::render(
                StatusCode::OK,
                &pages::AccountDeletedPage {
                    base: &a.state.web.base,
                    t: &lang,
                },
            )
        }
    };
    let _ = res.add_cookie(&cookies::session_removal(secure));
    res
}
