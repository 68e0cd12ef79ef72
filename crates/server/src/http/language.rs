//! A request's languages: the one the person picked on a page (a cookie), then the browser's
//! `Accept-Language`. The portal's `ui_locales` come first, from the login they belong to;
//! `Texts::negotiate` weighs them all in one place.

use super::present::see_other;
use super::{body, cookies};
use crate::live::State;
use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{HttpRequest, HttpResponse};
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
            .map(|v| accept_language::parse(&sane(v)))
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

    /// The language to answer in; `ui_locales`: what the login's portal asked for. A
    /// language the person picked on a page wins over the portal's hint: it is their own
    /// word, and without it the menu could not help someone who cannot read the portal's
    /// choice.
    pub fn lang<'a>(&self, texts: &'a Texts, ui_locales: &[String]) -> Lang<'a> {
        texts.negotiate(&[&self.picked, ui_locales, &self.browser])
    }
}

/// The entries of an `Accept-Language` value worth weighing: a few, each with a quality that
/// is a number above zero (`q=NaN` would leave the parser's sort without an order).
fn sane(header: &str) -> String {
    header
        .split(',')
        .filter(|entry| {
            let q = entry
                .split(';')
                .nth(1)
                .and_then(|p| p.trim().strip_prefix("q="));
            q.is_none_or(|q| {
                q.parse::<f32>()
                    .is_ok_and(|q| q.is_finite() && q > 0.0 && q <= 1.0)
            })
        })
        .take(MAX_TAGS)
        .collect::<Vec<_>>()
        .join(",")
}

/// `path`, ready for the switcher's `back` parameter.
pub fn back_to(path: &str) -> String {
    url::form_urlencoded::byte_serialize(path.as_bytes()).collect()
}

/// `GET /language?lang=es&back=/login/...`: the switcher on the pages. Remembers the language
/// and goes back to the page, or to the start page when `back` is not one of ours.
pub async fn pick(req: HttpRequest, state: State) -> HttpResponse {
    let params = body::query_params(&req);
    let get = |name: &str| params.get(name).ok().flatten();
    let base = &state.web.base;
    let back = get("back")
        .filter(|b| local_page(b, base))
        .map_or_else(|| format!("{base}/"), str::to_owned);
    let mut res = see_other(&back);
    let known = state.texts.languages();
    if let Some(tag) = get("lang").and_then(|l| known.iter().find(|k| k.eq_ignore_ascii_case(l))) {
        let _ = res.add_cookie(&cookies::language(tag, state.web.secure_cookies));
    }
    res
}

/// A path of this server's pages (under `base`), never another site's address: no scheme or
/// host, no `//` (another host to a browser), no backslashes, no control characters.
fn local_page(path: &str, base: &str) -> bool {
    path.len() <= 512
        && path.starts_with(&format!("{base}/"))
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::{local_page, sane};

    #[test]
    fn odd_qualities_are_left_out() {
        assert_eq!(sane("ar;q=NaN,en;q=0.5,fr;q=0,de;q=inf,hi"), "en;q=0.5,hi");
        let many = vec!["en"; 100].join(",");
        assert_eq!(sane(&many).split(',').count(), 8);
    }

    #[test]
    fn only_our_own_pages_are_gone_back_to() {
        assert!(local_page("/login/abc", ""));
        assert!(local_page("/auth/login/abc?x=1", "/auth"));
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "login/abc",
            "/other/login",
            "/login/a\nb",
        ] {
            assert!(
                !local_page(
                    bad,
                    if bad.starts_with("/other") {
                        "/auth"
                    } else {
                        ""
                    }
                ),
                "{bad}"
            );
        }
    }
}
