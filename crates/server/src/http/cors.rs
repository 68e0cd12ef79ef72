//! Cross-origin calls from single-page apps (Fetch standard, CORS) to the endpoints public
//! clients use: token, userinfo, revocation. Only the web origins of registered clients are
//! allowed, never with credentials (cookies): these endpoints authenticate by their requests'
//! own secrets and tokens. The login API, the pages and introspection stay same-origin.

use super::body;
use crate::live::State;
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse};

/// Headers a browser may send on these calls.
const ALLOWED_HEADERS: &str = "authorization, content-type";
/// How long a browser may keep a preflight answer.
const PREFLIGHT_MAX_AGE: &str = "600";

/// The request's `Origin`, when a page of it may use `client` (any registered client when the
/// request names none).
fn allowed_origin<'r>(
    req: &'r HttpRequest,
    state: &AppState,
    client: Option<&str>,
) -> Option<&'r HeaderValue> {
    let origin = req.headers().get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    state
        .provider
        .clients()
        .allows_origin(text, client)
        .then_some(origin)
}

/// Adds the CORS answer to `res`: the origin when allowed for `client` (the one the request
/// names, if it names one), and `Vary: Origin` always (the answer differs by origin).
pub fn expose(
    req: &HttpRequest,
    state: &AppState,
    client: Option<&str>,
    mut res: HttpResponse,
) -> HttpResponse {
    let headers = res.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allowed_origin(req, state, client) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        // Browser code reads these to back off (RFC 6750 challenges, Retry-After).
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("www-authenticate, retry-after"),
        );
    }
    res
}

/// `OPTIONS` before a cross-origin call: allowed for registered origins, the endpoint's own
/// `methods` and the usual headers; anything else is refused with 403.
pub fn preflight(req: &HttpRequest, state: &AppState, methods: &'static str) -> HttpResponse {
    let method_ok = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .and_then(|m| m.to_str().ok())
        .and_then(|m| m.parse::<Method>().ok())
        .is_some_and(|m| methods.split(", ").any(|allowed| allowed == m.as_str()));
    let headers_ok = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .map(|h| h.to_str().unwrap_or("\u{0}"))
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .all(|h| {
            ALLOWED_HEADERS
                .split(", ")
                .any(|allowed| allowed.eq_ignore_ascii_case(h))
        });
    let vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    match allowed_origin(req, state, None) {
        Some(origin) if method_ok && headers_ok => HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone()))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, methods))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE))
            .insert_header((header::VARY, vary))
            .finish(),
        _ => {
            let mut res = body::json_error(
                StatusCode::FORBIDDEN,
                "invalid_request",
                "this origin, method or header is not allowed for cross-origin calls",
                &[],
            );
            res.headers_mut()
                .insert(header::VARY, HeaderValue::from_static(vary));
            res
        }
    }
}

pub async fn token_preflight(req: HttpRequest, state: State) -> HttpResponse {
    preflight(&req, &state, "POST")
}

pub async fn revoke_preflight(req: HttpRequest, state: State) -> HttpResponse {
    preflight(&req, &state, "POST")
}

pub async fn userinfo_preflight(req: HttpRequest, state: State) -> HttpResponse {
    preflight(&req, &state, "GET, POST")
}
