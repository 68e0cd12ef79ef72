//! The admin API's handlers: check the caller's token and scope, parse, call the people
//! service, present. Every change is audited there, naming the client and its token.

use super::dto::{
    ApiError, BlockRequest, ListQuery, PeopleList, Person, PhoneRequest, SessionList, SessionsEnded,
};
use super::errors::{bad_request, people_error};
use crate::http::oidc::bearer_error;
use crate::live::State;
use crate::state::AppState;
use actix_web::dev;
use actix_web::error::InternalError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use wagate_core::events::Actor;
use wagate_core::people::{PeopleError, PersonView};
use wagate_oidc::{SCOPE_ADMIN_READ, SCOPE_ADMIN_WRITE};

const DEFAULT_PAGE: usize = 50;
const MAX_REASON: usize = 500;

/// The calling machine client, if its token is live and carries `scope`.
async fn caller(req: &HttpRequest, state: &AppState, scope: &str) -> Result<Actor, HttpResponse> {
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let caller = state
        .provider
        .service_caller(authorization, scope)
        .await
        .map_err(|e| bearer_error(&e))?;
    Ok(Actor::Client {
        client_id: caller.client_id,
        token_id: caller.jti,
    })
}

/// The caller of a call that reads people: a machine client whose live token carries
/// `wagate:admin.read`. Extracted first, so nothing else of a refused request is read.
pub struct Reader;

/// The caller of a call that changes people (`wagate:admin.write`), named in the audit.
pub struct Writer(Actor);

/// Checks the request's token for `scope`; a refusal is the answer.
fn authorized(
    req: &HttpRequest,
    scope: &'static str,
) -> LocalBoxFuture<'static, Result<Actor, actix_web::Error>> {
    let req = req.clone();
    Box::pin(async move {
        let state = State::extract(&req).await?;
        caller(&req, &state, scope)
            .await
            .map_err(|res| InternalError::from_response("admin call refused", res).into())
    })
}

impl FromRequest for Reader {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Reader, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut dev::Payload) -> Self::Future {
        let checked = authorized(req, SCOPE_ADMIN_READ);
        Box::pin(async move { checked.await.map(|_| Reader) })
    }
}

impl FromRequest for Writer {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Writer, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut dev::Payload) -> Self::Future {
        let checked = authorized(req, SCOPE_ADMIN_WRITE);
        Box::pin(async move { checked.await.map(Writer) })
    }
}

/// A JSON body (an empty one reads as `empty`, where the call allows it); `None` when it is
/// not the JSON the call takes.
fn json_body<T: DeserializeOwned>(body: &[u8], empty: Option<T>) -> Option<T> {
    if body.iter().all(u8::is_ascii_whitespace)
        && let Some(value) = empty
    {
        return Some(value);
    }
    serde_json::from_slice(body).ok()
}

const NOT_OUR_JSON: &str = "the body is not the JSON this call takes";

/// A person as the answer, or the error.
fn person(result: Result<PersonView, PeopleError>) -> HttpResponse {
    match result {
        Ok(p) => ok(Person::from(p)),
        Err(e) => people_error(&e),
    }
}

fn ok<T: serde::Serialize>(value: T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(value)
}

/// Find people by number or `sub`, or list them newest first.
#[utoipa::path(
    get, path = "/admin/v1/users", tag = "people", params(ListQuery),
    security(("bearer" = ["wagate:admin.read"])),
    responses(
        (status = 200, body = PeopleList),
        (status = 400, body = ApiError, description = "a bad number or cursor"),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
    )
)]
pub async fn list(
    _: Reader,
    state: State,
    query: Result<web::Query<ListQuery>, actix_web::Error>,
) -> HttpResponse {
    let Ok(web::Query(q)) = query else {
        return bad_request("the query is malformed");
    };
    let found = match (&q.phone_number, &q.sub) {
        (Some(_), Some(_)) => return bad_request("find by phone_number or by sub, not both"),
        (Some(phone), None) => state.people.find_by_phone(phone).await,
        (None, Some(sub)) => match state.people.get(sub).await {
            Ok(p) => Ok(Some(p)),
            Err(wagate_core::people::PeopleError::UnknownPerson) => Ok(None),
            Err(e) => Err(e),
        },
        (None, None) => {
            let limit = q.limit.unwrap_or(DEFAULT_PAGE);
            if !(1..=wagate_storage::MAX_PAGE).contains(&limit) {
                return bad_request("limit is between 1 and 200");
            }
            return match state.people.list(q.cursor.as_deref(), limit).await {
                Ok(page) => ok(PeopleList::from(page)),
                Err(e) => people_error(&e),
            };
        }
    };
    match found {
        Ok(person) => ok(PeopleList {
            people: person.into_iter().map(Person::from).collect(),
            next_cursor: None,
        }),
        Err(e) => people_error(&e),
    }
}

/// A person.
#[utoipa::path(
    get, path = "/admin/v1/users/{sub}", tag = "people",
    params(("sub" = String, Path)), security(("bearer" = ["wagate:admin.read"])),
    responses((status = 200, body = Person), (status = 404, body = ApiError))
)]
pub async fn get(_: Reader, state: State, sub: web::Path<String>) -> HttpResponse {
    person(state.people.get(&sub).await)
}

/// Erase a person: account, number, authenticator, sessions (with back-channel logout) and
/// refresh tokens. Idempotent: 204 whether or not there was someone.
#[utoipa::path(
    delete, path = "/admin/v1/users/{sub}", tag = "people",
    params(("sub" = String, Path)), security(("bearer" = ["wagate:admin.write"])),
    responses((status = 204, description = "erased, or nobody to erase"))
)]
pub async fn delete(Writer(actor): Writer, state: State, sub: web::Path<String>) -> HttpResponse {
    match state.people.delete(&actor, &sub).await {
        Ok(_) => HttpResponse::NoContent().finish(),
        Err(e) => people_error(&e),
    }
}

/// Block a person: no login; their sessions end and their grants are revoked.
#[utoipa::path(
    post, path = "/admin/v1/users/{sub}/block", tag = "people",
    params(("sub" = String, Path)), request_body(content = BlockRequest, description = "optional"),
    security(("bearer" = ["wagate:admin.write"])),
    responses((status = 200, body = Person), (status = 404, body = ApiError))
)]
pub async fn block(
    Writer(actor): Writer,
    state: State,
    sub: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(request) = json_body::<BlockRequest>(&body, Some(BlockRequest::default())) else {
        return bad_request(NOT_OUR_JSON);
    };
    if request
        .reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON || r.chars().any(char::is_control))
    {
        return bad_request("reason is at most 500 printable characters");
    }
    person(state.people.block(&actor, &sub, request.reason).await)
}

/// Lift a block (what it revoked stays revoked).
#[utoipa::path(
    post, path = "/admin/v1/users/{sub}/unblock", tag = "people",
    params(("sub" = String, Path)), security(("bearer" = ["wagate:admin.write"])),
    responses((status = 200, body = Person), (status = 404, body = ApiError))
)]
pub async fn unblock(Writer(actor): Writer, state: State, sub: web::Path<String>) -> HttpResponse {
    person(state.people.unblock(&actor, &sub).await)
}

/// Give a person a new number; the old one is freed.
#[utoipa::path(
    put, path = "/admin/v1/users/{sub}/phone_number", tag = "people",
    params(("sub" = String, Path)), request_body = PhoneRequest,
    security(("bearer" = ["wagate:admin.write"])),
    responses(
        (status = 200, body = Person), (status = 400, body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, body = ApiError, description = "`phone_taken`: someone else has the number"),
    )
)]
pub async fn change_phone(
    Writer(actor): Writer,
    state: State,
    sub: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Some(request) = json_body::<PhoneRequest>(&body, None) else {
        return bad_request(NOT_OUR_JSON);
    };
    person(
        state
            .people
            .change_phone(&actor, &sub, &request.phone_number)
            .await,
    )
}

/// Remove the person's authenticator app and recovery codes.
#[utoipa::path(
    delete, path = "/admin/v1/users/{sub}/authenticator", tag = "people",
    params(("sub" = String, Path)), security(("bearer" = ["wagate:admin.write"])),
    responses((status = 200, body = Person), (status = 404, body = ApiError))
)]
pub async fn remove_authenticator(
    Writer(actor): Writer,
    state: State,
    sub: web::Path<String>,
) -> HttpResponse {
    person(state.people.remove_authenticator(&actor, &sub).await)
}

/// The person's live sessions, newest first.
#[utoipa::path(
    get, path = "/admin/v1/users/{sub}/sessions", tag = "sessions",
    params(("sub" = String, Path)), security(("bearer" = ["wagate:admin.read"])),
    responses((status = 200, body = SessionList), (status = 404, body = ApiError))
)]
pub async fn sessions(_: Reader, state: State, sub: web::Path<String>) -> HttpResponse {
    match state.people.get(&sub).await {
        Ok(p) => ok(SessionList {
            sessions: Person::from(p).sessions,
        }),
        Err(e) => people_error(&e),
    }
}

/// End every session of the person (clients get back-channel logout).
#[utoipa::path(
    delete, path = "/admin/v1/users/{sub}/sessions", tag = "sessions",
    params(("sub" = String, Path)), security(("bearer" = ["wagate:admin.write"])),
    responses((status = 200, body = SessionsEnded), (status = 404, body = ApiError))
)]
pub async fn end_sessions(
    Writer(actor): Writer,
    state: State,
    sub: web::Path<String>,
) -> HttpResponse {
    match state.people.end_sessions(&actor, &sub, None).await {
        Ok(ended) => ok(SessionsEnded { ended }),
        Err(e) => people_error(&e),
    }
}

/// End one session of the person.
#[utoipa::path(
    delete, path = "/admin/v1/users/{sub}/sessions/{session_id}", tag = "sessions",
    params(("sub" = String, Path), ("session_id" = String, Path)),
    security(("bearer" = ["wagate:admin.write"])),
    responses((status = 204, description = "ended"), (status = 404, body = ApiError))
)]
pub async fn end_session(
    Writer(actor): Writer,
    state: State,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (sub, sid) = path.into_inner();
    match state.people.end_session(&actor, &sub, &sid).await {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(e) => people_error(&e),
    }
}
