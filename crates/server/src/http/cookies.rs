//! The browser-binding cookie: random secrets that tie login flows to the browser that
//! started them, one per flow open in the browser (tabs), newest first. Only their hashes are
//! stored with the flows. wagate makes every value itself: a new one for each flow it opens,
//! and the one a login used is replaced when it finishes.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};

/// `__Host-` makes browsers refuse the cookie unless it is Secure, host-only and path `/`.
pub fn name(secure: bool) -> &'static str {
    if secure {
        "__Host-wagate_browser"
    } else {
        "wagate_browser"
    }
}

/// Logins one browser may have open at once.
pub const MAX_BINDINGS: usize = 4;

/// The binding values the browser holds, newest first.
pub fn read(req: &HttpRequest, secure: bool) -> Vec<String> {
    req.cookie(name(secure))
        .map(|c| {
            c.value()
                .split('.')
                .filter(|v| (22..=64).contains(&v.len()))
                .take(MAX_BINDINGS)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `fresh` first, then the values held now but for `spent` (the digest of a finished login's
/// value), at most [`MAX_BINDINGS`].
pub fn renewed(req: &HttpRequest, secure: bool, fresh: String, spent: Option<&str>) -> Vec<String> {
    let mut values = vec![fresh];
    for held in read(req, secure) {
        let used = spent.is_some_and(|s| wagate_core::binding_hash(&held) == s);
        if !used && !values.contains(&held) {
            values.push(held);
        }
    }
    values.truncate(MAX_BINDINGS);
    values
}

/// A session cookie (no Max-Age): it ends with the browser session, like the flows it binds.
pub fn binding(values: &[String], secure: bool) -> Cookie<'static> {
    Cookie::build(name(secure), values.join("."))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish()
}

/// The SSO session cookie: `sid.secret`, only the secret's hash is stored.
pub fn session_name(secure: bool) -> &'static str {
    if secure {
        "__Host-wagate_session"
    } else {
        "wagate_session"
    }
}

pub fn read_session(req: &HttpRequest, secure: bool) -> Option<String> {
    req.cookie(session_name(secure))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() <= 200)
}

/// Lives as long as the session may (its absolute lifetime); the server ends it sooner when idle.
pub fn session(value: String, secure: bool, lifetime: std::time::Duration) -> Cookie<'static> {
    let seconds = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
    Cookie::build(session_name(secure), value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(seconds))
        .finish()
}

pub fn session_removal(secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build(session_name(secure), "")
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    cookie.make_removal();
    cookie
}

/// The language a person picked on a page: a year, as a preference, not a secret.
pub fn language(tag: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(super::language::COOKIE, tag.to_owned())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish()
}
