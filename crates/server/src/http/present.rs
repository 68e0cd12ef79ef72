//! Answers every handler shares.

use actix_web::HttpResponse;
use actix_web::http::header;

/// `303 See Other` to `location` (after a form post, and to send the browser on), never cached.
pub fn see_other(location: &str) -> HttpResponse {
    match header::HeaderValue::from_str(location) {
        Ok(value) => HttpResponse::SeeOther()
            .insert_header((header::LOCATION, value))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
        // Registered URIs are checked at start, so this means a bug, not bad input; still no 500.
        Err(_) => {
            tracing::error!("refusing to redirect to a location that is not a valid header");
            HttpResponse::BadRequest()
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body("This sign-in cannot continue: the return address is not valid.")
        }
    }
}
