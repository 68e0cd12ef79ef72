//! Single sign-on sessions: the one a browser's cookie stands for, a session answering a new
//! client, and the end of a login: its session and its code.

use crate::acr::{self, MfaDemand};
use crate::error::CodeIssueError;
use crate::provider::with_query;
use crate::{AuthenticatedSubject, Provider};
use sha2::{Digest, Sha256};
use std::time::Duration;
use wagate_storage::{
    AuthorizationCode, PendingAuthorization, Secret, Session, StoreError, UnixTime,
};

/// A session opened (or renewed) by a login.
#[derive(Debug)]
pub struct SessionOpened {
    pub sid: String,
    pub cookie: Secret,
    pub lifetime: Duration,
}

/// A finished login: where the browser goes, and the session cookie to set.
#[derive(Debug)]
pub struct LoginCompleted {
    pub redirect: String,
    pub session: SessionOpened,
}

fn secret_hash(secret: &str) -> String {
    hex_digest(secret.as_bytes())
}

fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Provider {
    /// The session a browser's cookie (`sid.secret`) stands for, if it is live.
    pub async fn session(&self, cookie: &str) -> Result<Option<Session>, StoreError> {
        let Some((sid, secret)) = cookie.split_once('.') else {
            return Ok(None);
        };
        if sid.is_empty() || sid.len() > 64 || secret.len() > 128 {
            return Ok(None);
        }
        let Some(session) = self.store.get_session(sid).await? else {
            return Ok(None);
        };
        let presented = Secret::new(secret_hash(secret));
        if !presented.ct_eq(&session.secret_hash) || session.expires_at <= self.now() {
            return Ok(None);
        }
        Ok(Some(session))
    }

    /// How long a session may live from now: idle, but never past its absolute end.
    fn session_ttl(&self, session: &Session) -> Duration {
        self.lifetimes
            .session_idle
            .min(self.now().until(session.expires_at))
    }

    /// Records use of a session (renewing its idle lifetime) and the client it serves. `None`
    /// when the session ended meanwhile, or the client could not be recorded (so it would miss
    /// the back-channel logout): then the session must not answer.
    async fn touch(
        &self,
        mut session: Session,
        client_id: &str,
    ) -> Result<Option<Session>, StoreError> {
        // Compare-and-swap: a parallel update for another client must not be lost.
        for _ in 0..4 {
            let mut next = session.clone();
            next.revision = session.revision.wrapping_add(1);
            if !next.clients.iter().any(|c| c == client_id) {
                next.clients.push(client_id.to_owned());
            }
            if self
                .store
                .update_session(&next, self.session_ttl(&next))
                .await?
            {
                return Ok(Some(next));
            }
            match self.store.get_session(&session.sid).await? {
                Some(current) => session = current,
                None => return Ok(None),
            }
        }
        Ok(None)
    }

    /// The browser's live session answers `pending` with a code, as single sign-on does: the
    /// session is recorded as serving the client, its cookie and lifetimes stay as they are.
    /// `None` when the session ended meanwhile.
    pub async fn answer_with_session(
        &self,
        pending: &PendingAuthorization,
        session: Session,
    ) -> Result<Option<String>, CodeIssueError> {
        let Some(session) = self.touch(session, &pending.client_id).await? else {
            return Ok(None);
        };
        let subject = AuthenticatedSubject {
            sub: session.subject.clone(),
            auth_time: session.auth_time,
            amr: session.amr.clone(),
            acr: session.acr.clone(),
        };
        self.issue_code(pending, &subject, Some(&session.sid))
            .await
            .map(Some)
    }

    /// How much a login for `pending` wants the second factor (see [`acr`]).
    pub fn mfa_demand(&self, pending: &PendingAuthorization) -> Result<MfaDemand, acr::Unmet> {
        let client = self
            .clients
            .get(&pending.client_id)
            .is_some_and(|c| c.require_mfa);
        acr::demand(client, &pending.acr_values, &pending.acr_essential)
    }

    /// A login finished: open (or renew) the browser's session and issue the code.
    pub async fn complete_login(
        &self,
        pending: &PendingAuthorization,
        subject: &AuthenticatedSubject,
        session_cookie: Option<&str>,
    ) -> Result<LoginCompleted, CodeIssueError> {
        if self.clients.get(&pending.client_id).is_none() {
            return Err(CodeIssueError::UnknownClient);
        }
        let (opened, new) = self
            .session_for(Some(&pending.client_id), subject, session_cookie)
            .await?;
        // A new session and the code go together (one round trip): the code is of no use
        // until the browser gets it, which is after both are in.
        let (stored, redirect) = futures_util::future::join(
            self.store_new_session(new.as_ref()),
            self.issue_code(pending, subject, Some(&opened.sid)),
        )
        .await;
        stored?;
        let redirect = redirect?;
        Ok(LoginCompleted {
            redirect,
            session: opened,
        })
    }

    /// Opens (or renews) the browser's session for a login, recording `client_id` as a
    /// participant when the login is for a portal (not for wagate's own account page).
    pub async fn open_session(
        &self,
        client_id: Option<&str>,
        subject: &AuthenticatedSubject,
        session_cookie: Option<&str>,
    ) -> Result<SessionOpened, StoreError> {
        let (opened, new) = self.session_for(client_id, subject, session_cookie).await?;
        self.store_new_session(new.as_ref()).await?;
        Ok(opened)
    }

    /// Stores a session [`Self::session_for`] made, if it made one.
    async fn store_new_session(&self, new: Option<&Session>) -> Result<(), StoreError> {
        match new {
            Some(session) => {
                self.store
                    .insert_session(session, self.session_ttl(session))
                    .await
            }
            None => Ok(()),
        }
    }

    /// The browser's session for a login: renewed (and stored) when it is the same person's,
    /// else a new one, returned beside it for the caller to store.
    async fn session_for(
        &self,
        client_id: Option<&str>,
        subject: &AuthenticatedSubject,
        session_cookie: Option<&str>,
    ) -> Result<(SessionOpened, Option<Session>), StoreError> {
        let now = self.now();
        let old = match session_cookie {
            Some(cookie) => self.session(cookie).await?,
            None => None,
        };
        // A new secret at every authentication (ASVS 7.2.4); the same person keeps the sid,
        // so portals holding ID tokens of this session still get its logout.
        let secret = self.random_token(32);
        let renewed = match old {
            Some(old) if old.subject == subject.sub => {
                let mut next = old.clone();
                next.revision = old.revision.wrapping_add(1);
                next.secret_hash = secret_hash(&secret);
                next.auth_time = subject.auth_time;
                next.amr = subject.amr.clone();
                next.acr = subject.acr.clone();
                // Counted from the login: a step-up (which keeps the login's time) does not
                // make the session live longer; a fresh login does.
                next.expires_at = subject.auth_time.plus(self.lifetimes.session_absolute);
                if let Some(client_id) = client_id
                    && !next.clients.iter().any(|c| c == client_id)
                {
                    next.clients.push(client_id.to_owned());
                }
                let ttl = self.session_ttl(&next);
                self.store.update_session(&next, ttl).await?.then_some(next)
            }
            Some(other) => {
                // Someone else signs in in this browser: the previous person is signed out.
                self.end_session(&other.sid, crate::SessionEnd::Replaced)
                    .await?;
                None
            }
            None => None,
        };
        let (sid, new) = match renewed {
            Some(session) => (session.sid, None),
            None => {
                let session = Session {
                    sid: self.random_token(16),
                    secret_hash: secret_hash(&secret),
                    subject: subject.sub.clone(),
                    auth_time: subject.auth_time,
                    amr: subject.amr.clone(),
                    acr: subject.acr.clone(),
                    clients: client_id.map(str::to_owned).into_iter().collect(),
                    csrf_token: Secret::new(self.random_token(24)),
                    created_at: now,
                    expires_at: now.plus(self.lifetimes.session_absolute),
                    revision: 0,
                };
                (session.sid.clone(), Some(session))
            }
        };
        let opened = SessionOpened {
            cookie: Secret::new(format!("{sid}.{secret}")),
            sid,
            lifetime: self.lifetimes.session_absolute,
        };
        Ok((opened, new))
    }

    /// Stores a single-use code for a login and returns the redirect to the client.
    pub async fn issue_code(
        &self,
        pending: &PendingAuthorization,
        subject: &AuthenticatedSubject,
        sid: Option<&str>,
    ) -> Result<String, CodeIssueError> {
        if self.clients.get(&pending.client_id).is_none() {
            return Err(CodeIssueError::UnknownClient);
        }
        let now: UnixTime = self.now();
        let code = self.random_token(32);
        let record = AuthorizationCode {
            sid: sid.map(str::to_owned),
            client_id: pending.client_id.clone(),
            redirect_uri: pending.redirect_uri.clone(),
            scopes: pending.scopes.clone(),
            nonce: pending.nonce.clone(),
            code_challenge: pending.code_challenge.clone(),
            subject: subject.sub.clone(),
            auth_time: subject.auth_time,
            amr: subject.amr.clone(),
            acr: Some(acr::reported(
                subject
                    .acr
                    .as_deref()
                    .unwrap_or_else(|| acr::reached(&subject.amr)),
                &pending.acr_values,
                &pending.acr_essential,
            )),
            issued_at: now,
            expires_at: now.plus(self.lifetimes.authorization_code),
        };
        self.store
            .insert_code(
                &crate::provider::digest_key(&code),
                &record,
                self.lifetimes.authorization_code,
            )
            .await?;
        Ok(with_query(
            &pending.redirect_uri,
            &[
                ("code", Some(&code)),
                ("state", pending.state.as_deref()),
                ("iss", Some(&self.issuer)),
            ],
        ))
    }
}
