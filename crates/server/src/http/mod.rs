//! The public listener: routes, shared headers and request metrics. Handlers are thin: parse,
//! call one service method, map the result.

mod account;
mod body;
mod client_ip;

mod cookies;
mod cors;
mod demo;
mod login;
mod login_errors;
mod logout;
mod oidc;
mod pages;
mod present;
mod request;

use crate::metrics::{HttpLabels, RouteLabel};
use crate::state::AppState;
use actix_web::dev::Service;
use actix_web::http::{Method, header};
use actix_web::middleware::DefaultHeaders;
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Resource, Responder, web};
use std::time::Instant;

/// One path and the methods it answers. A GET that only reads brings HEAD (RFC 9110 §9.3.2);
/// a GET that acts (opens a login, signs out) does not, so a HEAD cannot act. Any other
/// method gets 405 with `Allow` (RFC 9110 §15.5.6).
struct Endpoint {
    resource: Resource,
    allow: Vec<String>,
}

impl Endpoint {
    fn at(path: &str) -> Self {
        Endpoint {
            resource: web::resource(path),
            allow: Vec::new(),
        }
    }

    fn on<F, Args>(mut self, method: Method, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.allow.push(method.as_str().to_owned());
        self.allow.sort_unstable();
        self.resource = self.resource.route(web::route().method(method).to(handler));
        self
    }

    /// A GET that only reads, and HEAD.
    fn get<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args> + Clone,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::HEAD, handler.clone())
            .on(Method::GET, handler)
    }

    /// A GET that acts: no HEAD.
    fn acting<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::GET, handler)
    }

    fn post<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::POST, handler)
    }

    fn done(self) -> Resource {
        let allow = self.allow.join(", ");
        self.resource
            .default_service(web::to(move |req: HttpRequest| {
                let allow = allow.clone();
                async move { method_not_allowed(&req, &allow) }
            }))
    }
}

/// A known path asked with a method it does not answer.
fn method_not_allowed(req: &HttpRequest, allow: &str) -> HttpResponse {
    let mut res = if body::wants_json(req) {
        body::json_error(
            actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            "this endpoint does not answer this method",
            &[],
        )
    } else {
        HttpResponse::MethodNotAllowed()
            .content_type("text/plain; charset=utf-8")
            .body("This address does not answer this method.\n")
    };
    if let Ok(v) = header::HeaderValue::from_str(allow) {
        res.headers_mut().insert(header::ALLOW, v);
    }
    res
}

pub fn configure(cfg: &mut web::ServiceConfig, state: &web::Data<AppState>) {
    let metrics = state.metrics.clone();
    let https_only = state
        .web
        .issuer
        .starts_with("https://")
        .then(|| state.web.clone());
    let mut headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"));
    if let Some(hsts) = &state.web.hsts {
        headers = headers.add((header::STRICT_TRANSPORT_SECURITY, hsts.clone()));
    }
    cfg.service(
        web::scope(&state.web.base)
            .wrap(headers)
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
            .service(Endpoint::at("/").get(demo::index).done())
            .service(Endpoint::at("/assets/wagate.css").get(stylesheet).done())
            .service(
                Endpoint::at("/.well-known/openid-configuration")
                    .get(oidc::discovery)
                    .done(),
            )
            .service(Endpoint::at("/jwks.json").get(oidc::jwks).done())
            .service(
                Endpoint::at("/authorize")
                    .acting(oidc::authorize_get)
                    .post(oidc::authorize_post)
                    .done(),
            )
            .service(
                Endpoint::at("/token")
                    .post(oidc::token)
                    .on(Method::OPTIONS, cors::token_preflight)
                    .done(),
            )
            .service(
                Endpoint::at("/userinfo")
                    .get(oidc::userinfo)
                    .post(oidc::userinfo)
                    .on(Method::OPTIONS, cors::userinfo_preflight)
                    .done(),
            )
            .service(
                Endpoint::at("/revoke")
                    .post(oidc::revoke)
                    .on(Method::OPTIONS, cors::revoke_preflight)
                    .done(),
            )
            .service(Endpoint::at("/introspect").post(oidc::introspect).done())
            .service(
                Endpoint::at("/logout")
                    .acting(logout::logout)
                    .post(logout::logout)
                    .done(),
            )
            .service(Endpoint::at("/login/{flow}").get(login::show).done())
            .service(
                Endpoint::at("/login/{flow}/phone")
                    .post(login::phone)
                    .done(),
            )
            .service(Endpoint::at("/login/{flow}/code").post(login::code).done())
            .service(
                Endpoint::at("/login/{flow}/resend")
                    .post(login::resend)
                    .done(),
            )
            .service(Endpoint::at("/login/{flow}/totp").post(login::totp).done())
            .service(
                Endpoint::at("/login/{flow}/account")
                    .post(login::account_choice)
                    .done(),
            )
            .service(
                Endpoint::at("/login/{flow}/consent")
                    .post(login::consent)
                    .done(),
            )
            .service(Endpoint::at("/account").get(account::show).done())
            .service(Endpoint::at("/account/login").acting(account::login).done())
            .service(
                Endpoint::at("/account/totp")
                    .post(account::begin)
                    .on(Method::DELETE, account::remove)
                    .done(),
            )
            .service(
                Endpoint::at("/account/totp/confirm")
                    .post(account::confirm)
                    .done(),
            )
            .service(
                Endpoint::at("/account/totp/remove")
                    .post(account::remove)
                    .done(),
            )
            .service(Endpoint::at("/demo/start").acting(demo::start).done())
            .service(Endpoint::at("/demo/callback").acting(demo::callback).done())
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
