//! The public listener: routes, shared headers and request metrics. Handlers are thin: parse,
//! call one service method, map the result.

mod account;
mod body;
mod client_ip;

pub use client_ip::ProxyHeaders;
mod cookies;
mod demo;
mod login;
pub use login::ACCOUNT_FLOW;
mod login_errors;
mod logout;
mod oidc;
mod pages;

use crate::metrics::{HttpLabels, RouteLabel};
use crate::state::AppState;
use actix_web::dev::Service;
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, web};
use std::time::Instant;

pub fn configure(cfg: &mut web::ServiceConfig, state: &web::Data<AppState>) {
    let metrics = state.metrics.clone();
    let https_only = state
        .web
        .issuer
        .starts_with("https://")
        .then(|| state.web.clone());
    cfg.service(
        web::scope(&state.web.base)
            .wrap(
                DefaultHeaders::new()
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::REFERRER_POLICY, "no-referrer")),
            )
            .wrap_fn(move |req, srv| {
                // A trusted proxy that says the client came over plain http, for an https
                // issuer: send GETs to https, refuse the rest (credentials never over http).
                let plain = https_only.as_ref().is_some_and(|web| {
                    client_ip::forwarded_proto(req.request(), web).as_deref() == Some("http")
                });
                let refusal = match (plain, https_only.as_ref()) {
                    (true, Some(web)) => Some(to_https(req.request(), &web.issuer, &web.base)),
                    _ => None,
                };
                let metrics = metrics.clone();
                let started = Instant::now();
                let method = method_label(req.method());
                let fut = refusal.is_none().then(|| srv.call(req));
                async move {
                    let Some(fut) = fut else {
                        // Answered without reaching a handler (see `to_https`).
                        return Err(actix_web::error::InternalError::from_response(
                            "plain http behind a TLS proxy",
                            refusal.unwrap_or_else(|| HttpResponse::BadRequest().finish()),
                        )
                        .into());
                    };
                    let res = fut.await?;
                    let route = res
                        .request()
                        .match_pattern()
                        .unwrap_or_else(|| "unmatched".to_owned());
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
            })
            .route("/", web::get().to(demo::index))
            .route("/assets/wagate.css", web::get().to(stylesheet))
            .route(
                "/.well-known/openid-configuration",
                web::get().to(oidc::discovery),
            )
            .route("/jwks.json", web::get().to(oidc::jwks))
            .route("/authorize", web::get().to(oidc::authorize_get))
            .route("/authorize", web::post().to(oidc::authorize_post))
            .route("/token", web::post().to(oidc::token))
            .route("/userinfo", web::get().to(oidc::userinfo))
            .route("/userinfo", web::post().to(oidc::userinfo))
            .route("/revoke", web::post().to(oidc::revoke))
            .route("/introspect", web::post().to(oidc::introspect))
            .route("/logout", web::get().to(logout::logout))
            .route("/logout", web::post().to(logout::logout))
            .route("/login/{flow}", web::get().to(login::show))
            .route("/login/{flow}/phone", web::post().to(login::phone))
            .route("/login/{flow}/code", web::post().to(login::code))
            .route("/login/{flow}/resend", web::post().to(login::resend))
            .route("/login/{flow}/totp", web::post().to(login::totp))
            .route("/account", web::get().to(account::show))
            .route("/account/login", web::get().to(account::login))
            .route("/account/totp", web::post().to(account::begin))
            .route("/account/totp", web::delete().to(account::remove))
            .route("/account/totp/confirm", web::post().to(account::confirm))
            .route("/account/totp/remove", web::post().to(account::remove))
            .route("/demo/start", web::get().to(demo::start))
            .route("/demo/callback", web::get().to(demo::callback))
            .default_service(web::to(not_found)),
    );
}

/// The same resource on the issuer's https origin (GET, HEAD), or a refusal.
fn to_https(req: &HttpRequest, issuer: &str, base: &str) -> HttpResponse {
    let method = req.method();
    if method == actix_web::http::Method::GET || method == actix_web::http::Method::HEAD {
        let origin = issuer.strip_suffix(base).unwrap_or(issuer);
        let target = match req.query_string() {
            "" => format!("{origin}{}", req.path()),
            q => format!("{origin}{}?{q}", req.path()),
        };
        HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, target))
            .finish()
    } else {
        body::json_error(
            actix_web::http::StatusCode::BAD_REQUEST,
            "invalid_request",
            "use https",
            &[],
        )
    }
}

/// Standard methods by name, anything else as "other": labels must not grow with input.
fn method_label(method: &actix_web::http::Method) -> String {
    use actix_web::http::Method;
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

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../assets/wagate.css"))
}

async fn not_found(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if body::wants_json(&req) {
        body::json_error(
            actix_web::http::StatusCode::NOT_FOUND,
            "not_found",
            "no such endpoint",
            &[],
        )
    } else {
        pages::error_page(
            &state.web.base,
            actix_web::http::StatusCode::NOT_FOUND,
            "Page not found",
            "There is nothing at this address.",
            "Check the link, or go back to the site you came from.",
        )
    }
}
