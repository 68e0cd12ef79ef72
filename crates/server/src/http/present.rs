//! Presenting an answer the way the request asked: JSON for apps, a page (or a 303) for
//! people. The login steps, the account page's refusals, `/authorize`'s pages, logout, the demo
//! and unknown paths draw through here.

use super::body;
use super::pages;
use super::request::{Format, Unreadable};
use super::site::Site;
use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use serde_json::Value;
use wagate_core::i18n::{Lang, english};

/// The title and advice (message ids) of a page for a problem nothing more specific
/// describes.
pub const SOMETHING_WENT_WRONG: (&str, &str) = ("problem-wrong", "problem-wrong-advice");

/// Whole seconds to wait, rounded up: a client that waits what it is told must not come back
/// a fraction of a second early and be refused again.
pub fn wait_secs(wait: std::time::Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// Something that stopped a request, told to an app and to a person.
pub struct Problem<'a> {
    pub status: StatusCode,
    /// For apps: the `error` code.
    pub code: &'a str,
    /// For apps: the `error_description`.
    pub description: &'a str,
    /// For apps: fields to act on beside the code.
    pub extra: &'a [(&'a str, Value)],
    /// For people: the page's title, what happened, and what to do next.
    pub title: &'a str,
    pub message: &'a str,
    pub advice: &'a str,
    /// `Retry-After` seconds, where waiting is the answer.
    pub retry_after: Option<u64>,
}

impl<'a> Problem<'a> {
    /// A problem whose sentence for people is also the description for apps.
    pub fn new(status: StatusCode, code: &'a str, message: &'a str) -> Self {
        // Pages title their problems in the person's language; this is only a safety net.
        let (title, advice) = ("Something went wrong", "Go back and try again.");
        Problem {
            status,
            code,
            description: message,
            extra: &[],
            title,
            message,
            advice,
            retry_after: None,
        }
    }

    pub fn titled(self, title: &'a str, advice: &'a str) -> Self {
        Problem {
            title,
            advice,
            ..self
        }
    }

    pub fn described(self, description: &'a str) -> Self {
        Problem {
            description,
            ..self
        }
    }

    pub fn with(self, extra: &'a [(&'a str, Value)]) -> Self {
        Problem { extra, ..self }
    }
}

/// A problem's words in a person's language: the page's title, the sentence (also the
/// `error_description` for apps), and what to do next.
pub struct Words {
    pub title: String,
    pub message: String,
    pub advice: String,
}

impl Words {
    /// The messages `title`, `message` and `advice` (ids) in `lang`.
    pub fn of(lang: &Lang, title: &str, message: &str, advice: &str) -> Words {
        Words {
            title: lang.get(title),
            message: lang.get(message),
            advice: lang.get(advice),
        }
    }

    pub fn problem<'a>(&'a self, status: StatusCode, code: &'a str) -> Problem<'a> {
        Problem::new(status, code, &self.message).titled(&self.title, &self.advice)
    }
}

/// Draws answers for one request.
#[derive(Clone, Copy)]
pub struct Presenter<'a> {
    pub format: Format,
    pub base: &'a Site,
    /// The language of its pages (English until told).
    pub lang: &'a Lang<'a>,
}

impl<'a> Presenter<'a> {
    pub fn new(format: Format, base: &'a Site) -> Self {
        Presenter {
            format,
            base,
            lang: english(),
        }
    }

    /// Pages in `lang`.
    pub fn speaking(self, lang: &'a Lang<'a>) -> Self {
        Presenter { lang, ..self }
    }

    /// One of two drawings, by the request's format.
    pub fn either(
        &self,
        json: impl FnOnce() -> HttpResponse,
        page: impl FnOnce() -> HttpResponse,
    ) -> HttpResponse {
        match self.format {
            Format::Json => json(),
            Format::Page => page(),
        }
    }

    /// `value` for apps, `page` for people, both with `status`.
    pub fn data(
        &self,
        status: StatusCode,
        value: impl FnOnce() -> Value,
        page: impl FnOnce() -> HttpResponse,
    ) -> HttpResponse {
        self.either(|| body::json(status, &value()), page)
    }

    /// Sends people on to `to` (303); tells apps where to send them, in `value`.
    pub fn go(&self, to: &str, value: impl FnOnce() -> Value) -> HttpResponse {
        self.either(|| body::json(StatusCode::OK, &value()), || see_other(to))
    }

    /// A problem as a JSON error or an error page.
    pub fn problem(&self, p: &Problem) -> HttpResponse {
        self.problem_on(p, |p| {
            pages::error_page(
                (self.base, self.lang),
                p.status,
                (p.title, p.message, p.advice),
                None,
            )
        })
    }

    /// A problem as a JSON error, or drawn by `page` (the page the person was on, say).
    pub fn problem_on(
        &self,
        p: &Problem,
        page: impl FnOnce(&Problem) -> HttpResponse,
    ) -> HttpResponse {
        let mut res = self.either(
            || body::json_error(p.status, p.code, p.description, p.extra),
            || page(p),
        );
        if let Some(secs) = p.retry_after
            && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }

    /// A body that could not be taken, on a page titled as the endpoint says; the connection
    /// ends after one that did not arrive.
    /// `(title, advice)`: message ids.
    pub fn unreadable(&self, e: &Unreadable, (title, advice): (&str, &str)) -> HttpResponse {
        let words = Words::of(self.lang, title, e.message_key(), advice);
        let res = self.problem(&words.problem(e.status(), "invalid_request"));
        if e.timed_out() {
            body::BodyError::TimedOut.finish(res)
        } else {
            res
        }
    }
}

/// `303 See Other` to `location` (after a form post, and to send the browser on), never cached.
pub fn see_other(location: &str) -> HttpResponse {
    match header::HeaderValue::from_str(location) {
        Ok(value) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, value))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
        // Registered URIs are checked at start, so this means a bug, not bad input; still no 500.
        Err(_) => {
            tracing::error!("refusing to redirect to a location that is not a valid header");
            HttpResponse::BadRequest()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body("This sign-in cannot continue: the return address is not valid.")
        }
    }
}
