//! The browser-binding cookie: a random secret that ties login flows to the browser that
//! started them. Only its hash is stored with a flow.

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

pub fn read(req: &HttpRequest, secure: bool) -> Option<String> {
    req.cookie(name(secure))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 22 && v.len() <= 64)
}

/// A session cookie (no Max-Age): it ends with the browser session, like the flows it binds.
pub fn binding(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name(secure), value)
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
