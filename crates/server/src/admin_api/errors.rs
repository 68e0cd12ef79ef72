//! The admin API's errors, mapped exhaustively from the people service's.

use crate::http::body::json_error;
use actix_web::HttpResponse;
use actix_web::http::StatusCode as S;
use wagate_core::PhoneError;
use wagate_core::people::PeopleError;

pub fn people_error(e: &PeopleError) -> HttpResponse {
    let (status, code, description) = match e {
        PeopleError::UnknownPerson => (S::NOT_FOUND, "not_found", "no such person"),
        PeopleError::UnknownSession => (S::NOT_FOUND, "not_found", "no such session"),
        PeopleError::InvalidPhone(PhoneError::Invalid) => (
            S::BAD_REQUEST,
            "invalid_phone_number",
            "this is not a phone number",
        ),
        PeopleError::InvalidPhone(PhoneError::CountryNotAllowed | PhoneError::TypeNotAllowed) => (
            S::BAD_REQUEST,
            "phone_not_allowed",
            "this number cannot sign in here",
        ),
        PeopleError::PhoneTaken => (
            S::CONFLICT,
            "phone_taken",
            "the number belongs to someone else",
        ),
        PeopleError::NoAuthenticator => (
            S::NOT_FOUND,
            "no_authenticator",
            "the person has no authenticator app",
        ),
        PeopleError::Conflict => (
            S::CONFLICT,
            "conflict",
            "the person changed meanwhile; try again",
        ),
        PeopleError::BadCursor => (
            S::BAD_REQUEST,
            "invalid_request",
            "cursor is not one this API gave",
        ),
        PeopleError::StaleAuthentication => {
            (S::FORBIDDEN, "login_required", "a recent login is needed")
        }
        PeopleError::NotConfirmed => (
            S::BAD_REQUEST,
            "invalid_request",
            "the deletion was not confirmed",
        ),
        PeopleError::Storage(err) => {
            tracing::error!(error = %err, "admin API: storage failed");
            (
                S::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "storage is unavailable",
            )
        }
    };
    json_error(status, code, description, &[])
}

pub fn bad_request(description: &str) -> HttpResponse {
    json_error(S::BAD_REQUEST, "invalid_request", description, &[])
}
