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
