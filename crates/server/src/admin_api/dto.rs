//! The admin API's JSON: what it answers and accepts. Field names are part of its contract
//! (docs/admin-api.openapi.json).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wagate_core::people::{PeoplePage, PersonView, SessionView};

/// A person.
#[derive(Debug, Serialize, ToSchema)]
pub struct Person {
    /// The person's stable identifier, as portals know it.
    pub sub: String,
    /// E.164.
    #[schema(example = "+447400123456")]
    pub phone_number: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the start of their newest session, if any was recorded.
    pub last_login_at: Option<i64>,
    /// An authenticator app is active.
    pub authenticator: bool,
    pub blocked: bool,
    pub blocked_at: Option<i64>,
    pub block_reason: Option<String>,
    /// Live single sign-on sessions, newest first.
    pub sessions: Vec<Session>,
}

/// A single sign-on session.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// The `sid` of ID and logout tokens.
    pub session_id: String,
    /// Unix seconds of the login.
    pub auth_time: i64,
    /// Unix seconds of the absolute end.
    pub expires_at: i64,
    /// RFC 8176 methods of the login.
    pub amr: Vec<String>,
    /// Clients that received a code in this session.
    pub clients: Vec<String>,
}

/// A page of people, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleList {
    pub people: Vec<Person>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<Session>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionsEnded {
    pub ended: usize,
}

/// Every error: an OAuth-style code and a short description.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    #[schema(example = "not_found")]
    pub error: String,
    pub error_description: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockRequest {
    /// For other operators; never shown to the person. At most 500 characters.
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneRequest {
    /// The new number, in any format `login.default_region` reads (E.164 always works).
    #[schema(example = "+447400123456")]
    pub phone_number: String,
}

/// Finding and listing people.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Find the person with this number (any format); the list then has at most one entry.
    pub phone_number: Option<String>,
    /// Find the person with this `sub`.
    pub sub: Option<String>,
    /// From a previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// People per page, 1 to 200 (default 50).
    pub limit: Option<usize>,
}

impl From<&SessionView> for Session {
    fn from(s: &SessionView) -> Self {
        Session {
            session_id: s.sid.clone(),
            auth_time: s.auth_time.secs(),
            expires_at: s.expires_at.secs(),
            amr: s.amr.clone(),
            clients: s.clients.clone(),
        }
    }
}

impl From<PersonView> for Person {
    fn from(p: PersonView) -> Self {
        Person {
            sessions: p.sessions.iter().map(Session::from).collect(),
            sub: p.sub,
            phone_number: p.phone,
            created_at: p.created_at.secs(),
            last_login_at: p.last_login.map(|t| t.secs()),
            authenticator: p.authenticator,
            blocked: p.blocked.is_some(),
            blocked_at: p.blocked.as_ref().map(|b| b.at.secs()),
            block_reason: p.blocked.and_then(|b| b.reason),
        }
    }
}

impl From<PeoplePage> for PeopleList {
    fn from(page: PeoplePage) -> Self {
        PeopleList {
            people: page.people.into_iter().map(Person::from).collect(),
            next_cursor: page.next,
        }
    }
}
