//! What the provider reports for security events. The provider knows no event schema: it
//! says what happened to whom, and the login crate's publisher writes the events.

use async_trait::async_trait;
use wagate_storage::Session;

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The person signed out (RP-initiated logout).
    Logout,
    /// Someone else signed in in the same browser.
    Replaced,
    /// The person ended it from their account page.
    Person,
    /// An operator ended it (or blocked or erased the person).
    Operator,
}

impl SessionEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::Logout => "logout",
            SessionEnd::Replaced => "replaced",
            SessionEnd::Person => "person",
            SessionEnd::Operator => "operator",
        }
    }
}

#[async_trait]
pub trait ProviderEvents: Send + Sync {
    /// A refresh token was presented again after it rotated; its grant is revoked.
    async fn refresh_reused(&self, subject: &str, client_id: &str);
    /// A session ended (its back-channel logout notices are on their way).
    async fn session_ended(&self, session: &Session, why: SessionEnd);
}

/// Reports nothing (tests, and before a publisher is set).
pub struct NoEvents;

#[async_trait]
impl ProviderEvents for NoEvents {
    async fn refresh_reused(&self, _: &str, _: &str) {}
    async fn session_ended(&self, _: &Session, _: SessionEnd) {}
}
