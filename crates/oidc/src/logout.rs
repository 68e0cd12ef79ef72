//! Ending sessions: RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) and the
//! back-channel notices to clients (OpenID Connect Back-Channel Logout 1.0).

use crate::claims::{BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TYP, LogoutTokenClaims};
use crate::params::Params;
use crate::provider::with_query;
use crate::{Client, Provider, SessionEnd};
use serde_json::json;
use std::time::Duration;
use thiserror::Error;
use wagate_storage::{Session, StoreError};

/// Logout tokens are short-lived: they are used once, right away.
const LOGOUT_TOKEN_TTL: Duration = Duration::from_secs(120);

/// What the logout endpoint does next.
#[derive(Debug, PartialEq)]
pub enum LogoutStep {
    /// Signed out (or nobody was signed in): go here, or show a "signed out" page.
    Done { redirect: Option<String> },
    /// No valid hint: ask the person first, with this token in the form (and the client the
    /// request named, so the confirmation can still return to it).
    Confirm {
        csrf: String,
        client_id: Option<String>,
        client_name: Option<String>,
    },
}

/// Logout requests that cannot be followed; shown to the person, never redirected.
#[derive(Debug, Error)]
pub enum LogoutError {
    #[error("the application that sent you here is not registered")]
    UnknownClient,
    #[error("client_id does not match the id_token_hint")]
    ClientMismatch,
    #[error("post_logout_redirect_uri needs client_id or id_token_hint")]
    MissingClient,
    #[error("the return address is not registered for this application")]
    UnregisteredRedirect,
    #[error(transparent)]
    Storage(#[from] StoreError),
}

impl Provider {
    /// Ends a session once (of parallel callers one does it) and tells its clients.
    pub async fn end_session(
        &self,
        sid: &str,
        why: SessionEnd,
    ) -> Result<Option<Session>, StoreError> {
        let ended = self.store.take_session(sid).await?;
        if let Some(session) = &ended {
            self.notify_logout(session);
            self.events.session_ended(session, why).await;
        }
        Ok(ended)
    }

    /// RP-initiated logout. `confirmation` is the CSRF token of our confirmation form, when the
    /// person answered it.
    pub async fn logout(
        &self,
        params: &Params,
        session_cookie: Option<&str>,
        confirmation: Option<&str>,
    ) -> Result<LogoutStep, LogoutError> {
        let get = |k: &str| params.get(k).ok().flatten();
        // A hint we cannot verify (forged, or signed by a key we no longer have) is ignored,
        // as RP-Initiated Logout §4 asks: the person is asked instead.
        let hint = get("id_token_hint").and_then(|token| match self.our_id_token(token) {
            Ok(claims) => Some(claims),
            Err(_) => {
                tracing::info!("logout with an id_token_hint we cannot verify: asking the person");
                None
            }
        });
        let client_id = match (get("client_id"), hint.as_ref().map(|h| h.aud.as_str())) {
            (Some(a), Some(b)) if a != b => return Err(LogoutError::ClientMismatch),
            (Some(id), _) | (None, Some(id)) => Some(id),
            (None, None) => None,
        };
        let client: Option<&Client> = match client_id {
            Some(id) => Some(self.clients.get(id).ok_or(LogoutError::UnknownClient)?),
            None => None,
        };
        let redirect = match get("post_logout_redirect_uri") {
            None => None,
            Some(uri) => {
                let client = client.ok_or(LogoutError::MissingClient)?;
                if !client.post_logout_redirect_uris.iter().any(|u| u == uri) {
                    return Err(LogoutError::UnregisteredRedirect);
                }
                Some(with_query(uri, &[("state", get("state"))]))
            }
        };
        let session = match session_cookie {
            Some(cookie) => self.session(cookie).await?,
            None => None,
        };
        let Some(session) = session else {
            return Ok(LogoutStep::Done { redirect });
        };
        let confirmed = confirmation.is_some_and(|t| session.csrf_token.ct_eq(t));
        // The hint must belong to this very session (RP-Initiated Logout §2): an old ID token of
        // the same person, leaked from a URL, must not end a newer session unasked.
        let hinted = hint
            .as_ref()
            .is_some_and(|h| h.sub == session.subject && h.sid.as_deref() == Some(&session.sid));
        if confirmed || hinted {
            self.end_session(&session.sid, SessionEnd::Logout).await?;
            return Ok(LogoutStep::Done { redirect });
        }
        Ok(LogoutStep::Confirm {
            csrf: session.csrf_token.expose().to_owned(),
            client_id: client.map(|c| c.id.clone()),
            client_name: client.map(|c| c.name.clone()),
        })
    }

    /// Sends a signed logout token to every client of `session` that registered a
    /// back-channel URI. Delivery runs in the background: a slow or failing client never holds
    /// up the person's logout; failures are logged.
    pub(crate) fn notify_logout(&self, session: &Session) {
        let now = self.now();
        for client in session.clients.iter().filter_map(|id| self.clients.get(id)) {
            let Some(uri) = client.backchannel_logout_uri.clone() else {
                continue;
            };
            let claims = LogoutTokenClaims {
                iss: self.issuer.clone(),
                aud: client.id.clone(),
                iat: now.secs(),
                exp: now.plus(LOGOUT_TOKEN_TTL).secs(),
                jti: self.random_token(16),
                sub: session.subject.clone(),
                sid: session.sid.clone(),
                events: json!({ BACKCHANNEL_LOGOUT_EVENT: {} }),
            };
            let token = match self
                .keys()
                .signer(client.id_token_alg)
                .and_then(|k| k.sign(LOGOUT_TOKEN_TYP, &claims))
            {
                Ok(token) => token,
                Err(e) => {
                    tracing::error!(client = %client.id, error = %e, "cannot sign a logout token");
                    continue;
                }
            };
            self.backchannel.deliver(client.id.clone(), uri, token);
        }
    }
}
