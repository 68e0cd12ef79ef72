//! The public listener: shared headers, the edge (https, metrics) and the routes. Handlers are
//! thin: parse the request, call the journey or the provider, present the answer.

mod account;
mod account_errors;
mod account_self;
pub(crate) mod body;
mod client_ip;
mod cookies;
mod cors;
mod demo;
mod edge;
mod language;
mod login;
mod login_errors;
mod logout;
pub(crate) mod oidc;
mod pages;
mod present;
mod request;
mod routes;
mod script;
mod site;
pub(crate) mod trace;

pub use site::Site;
mod whatsapp_hook;

use crate::live::State;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::{HttpRequest, HttpResponse, web};
use present::{Presenter, Words};
use request::Format;

/// The routes under `base` (the issuer's path), with `hsts` (an https issuer's
/// `Strict-Transport-Security`): both fixed for the life of the listener.
pub fn configure(cfg: &mut web::ServiceConfig, base: &str, hsts: Option<&str>) {
    let mut headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"));
    if let Some(hsts) = hsts {
        headers = headers.add((header::STRICT_TRANSPORT_SECURITY, hsts.to_owned()));
    }
    cfg.service(
        web::scope(base)
            .wrap(headers)
            .wrap(from_fn(edge::edge))
            .wrap(from_fn(trace::traced))
            .configure(routes::protocol)
            .configure(routes::login)
            .configure(routes::pages)
            .configure(routes::hooks)
            .default_service(web::to(not_found)),
    );
}

pub(super) async fn not_found(req: HttpRequest, state: State) -> HttpResponse {
    let lang = language::Preferences::of(&req).lang(&state.texts, &[]);
    let words = Words::of(
        &lang,
        "problem-not-found",
        "problem-not-found-message",
        "problem-not-found-advice",
    );
    Presenter::new(Format::of(&req), &state.web.base)
        .speaking(&lang)
        .problem(
            &words
                .problem(StatusCode::NOT_FOUND, "not_found")
                .described("no such endpoint"),
        )
}
