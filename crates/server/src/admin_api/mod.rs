//! The admin API (`/admin/v1`, on the ops listener): people, their sessions and their
//! authenticators, for machine clients with `wagate:admin.read` / `wagate:admin.write`
//! tokens from the `client_credentials` grant. Its OpenAPI document is generated from the
//! handlers below and served at `/admin/v1/openapi.json`; docs/admin-api.openapi.json is a
//! copy a test keeps equal.

pub(crate) mod dto;
mod errors;
mod handlers;

use actix_web::{HttpResponse, web};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "wagate admin API",
        version = "1",
        description = "People, their sessions and authenticators. Served on wagate's ops listener. \
            Call with a bearer access token from the token endpoint's client_credentials grant \
            (scope wagate:admin.read to read, wagate:admin.write to change). Every change is a \
            security event (admin.action) naming the client and its token."
    ),
    paths(
        handlers::list, handlers::get, handlers::delete, handlers::block, handlers::unblock,
        handlers::change_phone, handlers::remove_authenticator, handlers::sessions,
        handlers::end_sessions, handlers::end_session
    ),
    modifiers(&BearerScheme)
)]
pub struct AdminApi;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The OpenAPI 3.1 document, as served and committed.
pub fn openapi_json() -> String {
    AdminApi::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".to_owned())
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(openapi_json())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin/v1")
            .route("/openapi.json", web::get().to(openapi))
            .route("/users", web::get().to(handlers::list))
            .route("/users/{sub}", web::get().to(handlers::get))
            .route("/users/{sub}", web::delete().to(handlers::delete))
            .route("/users/{sub}/block", web::post().to(handlers::block))
            .route("/users/{sub}/unblock", web::post().to(handlers::unblock))
            .route(
                "/users/{sub}/phone_number",
                web::put().to(handlers::change_phone),
            )
            .route(
                "/users/{sub}/authenticator",
                web::delete().to(handlers::remove_authenticator),
            )
            .route("/users/{sub}/sessions", web::get().to(handlers::sessions))
            .route(
                "/users/{sub}/sessions",
                web::delete().to(handlers::end_sessions),
            )
            .route(
                "/users/{sub}/sessions/{session_id}",
                web::delete().to(handlers::end_session),
            ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed copy is the generated document. `WAGATE_WRITE_OPENAPI=1 cargo test -p
    /// wagate-server openapi` writes it after a change to the API.
    #[test]
    fn the_committed_openapi_document_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/admin-api.openapi.json"
        );
        let generated = openapi_json() + "\n";
        if std::env::var_os("WAGATE_WRITE_OPENAPI").is_some() {
            std::fs::write(path, &generated).expect("write the document");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/admin-api.openapi.json is out of date: run WAGATE_WRITE_OPENAPI=1 cargo test -p wagate-server openapi"
        );
        let doc: serde_json::Value = serde_json::from_str(&generated).expect("JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"]["/admin/v1/users/{sub}/block"]["post"].is_object());
    }
}
