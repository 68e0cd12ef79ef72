//! What callers are shown of a person.

use wagate_storage::{Block, Session, UnixTime, User};

#[derive(Debug, Clone, PartialEq)]
pub struct SessionView {
    pub sid: String,
    pub auth_time: UnixTime,
    pub expires_at: UnixTime,
    /// RFC 8176 methods of the login.
    pub amr: Vec<String>,
    /// Clients that received a code in it.
    pub clients: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonView {
    pub sub: String,
    /// E.164.
    pub phone: String,
    pub created_at: UnixTime,
    pub last_login: Option<UnixTime>,
    pub authenticator: bool,
    pub blocked: Option<Block>,
    pub sessions: Vec<SessionView>,
}

impl PersonView {
    pub fn of(user: User, last_login: Option<UnixTime>, sessions: &[Session]) -> Self {
        PersonView {
            sub: user.sub,
            phone: user.phone,
            created_at: user.created_at,
            last_login,
            authenticator: user.totp.is_some(),
            blocked: user.blocked,
            sessions: sessions
                .iter()
                .map(|s| SessionView {
                    sid: s.sid.clone(),
                    auth_time: s.auth_time,
                    expires_at: s.expires_at,
                    amr: s.amr.clone(),
                    clients: s.clients.clone(),
                })
                .collect(),
        }
    }
}
