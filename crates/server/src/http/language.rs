//! A request's languages: the one the person picked on a page (a cookie), then the browser's
//! `Accept-Language`. The portal's `ui_locales` come first, from the login they belong to;
//! `Texts::negotiate` weighs them all in one place.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;
use wagate_core::i18n::{Lang, Texts};

/// Where a language picked on a page is remembered.
pub const COOKIE: &str = "wagate_lang";

/// At most this many tags are weighed from a header; a real browser sends a handful.
const MAX_TAGS: usize = 8;

#[derive(Debug, Clone, Default)]
pub struct Preferences {
    picked: Vec<String>,
    browser: Vec<String>,
    /// Both, picked first: what a message sent to the person is written in.
    all: Vec<String>,
}

impl Preferences {
    pub fn of(req: &HttpRequest) -> Self {
        let picked: Vec<String> = req
            .cookie(COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|v| v.len() <= 35 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            .into_iter()
            .collect();
        let browser: Vec<String> = req
            .headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() <= 512)
            .map(accept_language::parse)
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t != "*")
            .take(MAX_TAGS)
            .collect();
        let all = picked.iter().chain(&browser).cloned().collect();
        Preferences {
            picked,
            browser,
            all,
        }
    }

    /// The person's languages, most wanted first (for messages sent to them).
    pub fn all(&self) -> &[String] {
        &self.all
    }

    /// The language to answer in; `ui_locales`: what the login's portal asked for.
    pub fn lang<'a>(&self, texts: &'a Texts, ui_locales: &[String]) -> Lang<'a> {
        texts.negotiate(&[ui_locales, &self.picked, &self.browser])
    }
}
