//! The listener's edge, around every route: plain http behind a TLS proxy is sent to https or
//! refused, and every answer is counted and timed.

use super::client_ip;
use crate::live::State;
use crate::metrics::{HttpLabels, RouteLabel};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse};
use std::time::Instant;

pub async fn edge(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = State::of(req.request()) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    // A trusted proxy that says the client came over plain http, for an https issuer: send
    // GETs to https, refuse the rest (credentials never over http).
    let web = &state.web;
    if web.issuer.starts_with("https://")
        && client_ip::forwarded_proto(req.request(), web).as_deref() == Some("http")
    {
        // Answered without reaching a handler.
        let answer = to_https(req.request(), &web.issuer, &web.base);
        return Ok(req.into_response(answer));
    }
    let started = Instant::now();
    let method = method_label(req.method());
    let res = next.call(req).await?.map_into_boxed_body();
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let metrics = &state.metrics;
    metrics
        .http_requests
        .get_or_create(&HttpLabels {
            route: route.clone(),
            method,
            status: res.status().as_u16(),
        })
        .inc();
    metrics
        .http_duration
        .get_or_create(&RouteLabel { route })
        .observe(started.elapsed().as_secs_f64());
    Ok(res)
}

/// The same resource on the issuer's https origin (GET, HEAD), or a refusal.
fn to_https(req: &HttpRequest, issuer: &str, base: &str) -> HttpResponse {
    let method = req.method();
    if method == Method::GET || method == Method::HEAD {
        let origin = issuer.strip_suffix(base).unwrap_or(issuer);
        let target = match req.query_string() {
            "" => format!("{origin}{}", req.path()),
            q => format!("{origin}{}?{q}", req.path()),
        };
        HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, target))
            .finish()
    } else {
        super::body::json_error(StatusCode::BAD_REQUEST, "invalid_request", "use https", &[])
    }
}

/// Standard methods by name, anything else as "other": labels must not grow with input.
pub(super) fn method_label(method: &Method) -> String {
    let known = [
        Method::GET,
        Method::POST,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::PATCH,
    ];
    if known.contains(method) {
        method.as_str().to_owned()
    } else {
        "other".to_owned()
    }
}
