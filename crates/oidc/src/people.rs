//! What the provider undoes for a person an operator blocks or erases, or who ends their own
//! sessions: sessions (with back-channel logout) and grants.

use crate::{Provider, SessionEnd};
use wagate_storage::{Session, StoreError};

impl Provider {
    /// Waits (at most `limit`) for the back-channel logout notices sent so far.
    pub async fn logout_notices_settled(&self, limit: std::time::Duration) {
        self.backchannel.settled(limit).await;
    }

    /// Ends every session of `sub` except `keep`; returns those ended.
    pub async fn end_sessions_of(
        &self,
        sub: &str,
        keep: Option<&str>,
        why: SessionEnd,
    ) -> Result<Vec<Session>, StoreError> {
        let mut ended = Vec::new();
        for session in self.store.sessions_of(sub).await? {
            if keep == Some(session.sid.as_str()) {
                continue;
            }
            if let Some(s) = self.end_session(&session.sid, why).await? {
                ended.push(s);
            }
        }
        Ok(ended)
    }

    /// Ends one session of `sub`; `None` when it is not theirs or already over.
    pub async fn end_session_of(
        &self,
        sub: &str,
        sid: &str,
        why: SessionEnd,
    ) -> Result<Option<Session>, StoreError> {
        match self.store.get_session(sid).await? {
            Some(s) if s.subject == sub => self.end_session(sid, why).await,
            _ => Ok(None),
        }
    }

    /// Revokes every grant of `sub` that has refresh tokens, and with `erase` deletes their
    /// families too. Returns how many there were. (Grants without refresh tokens are voided
    /// through the person's record: see `User::honours`.)
    pub async fn revoke_grants_of(&self, sub: &str, erase: bool) -> Result<usize, StoreError> {
        let grants = self.store.grants_of(sub).await?;
        for grant in &grants {
            self.revoke_grant(grant).await?;
            if erase {
                self.store.delete_family(grant).await?;
            }
        }
        Ok(grants.len())
    }
}
