//! Every path of the public listener and the methods it answers.

use super::{
    account, account_self, body, cors, demo, language, login, logout, oidc, whatsapp_hook,
};
use actix_web::http::{Method, header};
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Resource, Responder, web};

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

/// Discovery, keys and the OAuth/OIDC endpoints portals call.
pub fn protocol(cfg: &mut web::ServiceConfig) {
    cfg.service(
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
    );
}

/// The login pages a browser steps through.
pub fn login(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::at("/login/{flow}").get(login::show).done())
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
        );
}

/// The person's own account page, the demo portal and the stylesheet.
pub fn pages(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::at("/account").get(account::show).done())
        .service(
            Endpoint::at("/account/sessions/end-others")
                .post(account_self::end_others)
                .done(),
        )
        .service(
            Endpoint::at("/account/phone")
                .post(account_self::send_number_code)
                .done(),
        )
        .service(
            Endpoint::at("/account/phone/confirm")
                .post(account_self::confirm_number)
                .done(),
        )
        .service(
            Endpoint::at("/account/delete")
                .post(account_self::delete)
                .done(),
        )
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
        .service(Endpoint::at("/").get(demo::index).done())
        .service(Endpoint::at("/demo/start").acting(demo::start).done())
        .service(Endpoint::at("/demo/callback").acting(demo::callback).done())
        .service(Endpoint::at("/language").acting(language::pick).done())
        .service(Endpoint::at("/assets/{file}").get(asset).done());
}

/// Channels reporting back: Meta's status webhook.
pub fn hooks(cfg: &mut web::ServiceConfig) {
    cfg.service(
        Endpoint::at("/hooks/whatsapp")
            .get(whatsapp_hook::verify)
            .post(whatsapp_hook::statuses)
            .done(),
    );
}

/// The stylesheet and logos. Their names change with their content, so browsers keep them.
async fn asset(file: web::Path<String>, state: crate::live::State) -> HttpResponse {
    match state.web.base.asset(&file) {
        Some(a) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, a.content_type))
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            // An SVG opened on its own must not run anything on wagate's origin.
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            ))
            .body(a.bytes.to_vec()),
        None => HttpResponse::NotFound().finish(),
    }
}
