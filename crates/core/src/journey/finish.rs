//! How a login ends: a session and a code for the portal (or the account page), an error for
//! the portal, or a session answering as single sign-on does.

use super::{Finished, Journey};
use crate::{LoginError, LoginSuccess};
use wagate_oidc::{
    AuthenticatedSubject, AuthorizeErrorCode, AuthorizeRedirectError, CodeIssueError,
};
use wagate_storage::{FlowPurpose, PendingAuthorization, Session};

fn issue_failed(e: CodeIssueError) -> LoginError {
    match e {
        CodeIssueError::UnknownClient => LoginError::FlowExpired,
        CodeIssueError::Storage(e) => LoginError::Storage(e),
    }
}

fn subject(success: &LoginSuccess) -> AuthenticatedSubject {
    AuthenticatedSubject::logged_in(
        success.user.sub.clone(),
        success.auth_time,
        success.amr.clone(),
    )
}

/// The login holds no method the session had not proven already.
fn proves_nothing_new(session: &Session, success: &LoginSuccess) -> bool {
    success.auth_time == session.auth_time && success.amr.iter().all(|m| session.amr.contains(m))
}

impl Journey {
    /// Everything is proven: open (or renew) the session, then the portal's code, or the
    /// account page. A login counts as done only once the code exists.
    pub(super) async fn complete(
        &self,
        success: &LoginSuccess,
        session_cookie: Option<&str>,
    ) -> Result<Finished, LoginError> {
        let spent_binding = success.binding_hash.clone();
        if let Some(live) = self.carried_session(success, session_cookie).await?
            && proves_nothing_new(&live, success)
        {
            // "Continue as", a consent, or a preference the session meets: the session
            // answers as single sign-on does, its cookie and lifetimes untouched.
            let to = self
                .provider
                .answer_with_session(&success.authorization, live)
                .await
                .map_err(issue_failed)?
                .ok_or(LoginError::FlowExpired)?;
            return Ok(Finished::SignedIn {
                to,
                session: None,
                spent_binding,
            });
        }
        let subject = subject(success);
        let (to, session) = match success.purpose {
            FlowPurpose::Account => {
                let opened = self
                    .provider
                    .open_session(None, &subject, session_cookie)
                    .await?;
                // The account sign-in's pending request points at the account page.
                (success.authorization.redirect_uri.clone(), opened)
            }
            FlowPurpose::Portal => {
                let done = self
                    .provider
                    .complete_login(&success.authorization, &subject, session_cookie)
                    .await
                    .map_err(issue_failed)?;
                (done.redirect, done.session)
            }
        };
        Ok(Finished::SignedIn {
            to,
            session: Some(session),
            spent_binding,
        })
    }

    /// The portal demands an authenticator and the person has none. What they proved opens a
    /// one-factor session (so the account page can add an authenticator at once), unless it
    /// came from the browser's live session, which simply stays; the portal is told
    /// `unmet_authentication_requirements`.
    pub(super) async fn authenticator_missing(
        &self,
        success: &LoginSuccess,
        session_cookie: Option<&str>,
    ) -> Result<Finished, LoginError> {
        let session = match self.carried_session(success, session_cookie).await? {
            Some(_) => None,
            None => Some(
                self.provider
                    .open_session(None, &subject(success), session_cookie)
                    .await?,
            ),
        };
        let pending = &success.authorization;
        Ok(Finished::AuthenticatorMissing {
            client_name: self.client_name(success.purpose, &pending.client_id),
            to_portal: self.unmet(pending),
            session,
            spent_binding: success.binding_hash.clone(),
            ui_locales: pending.ui_locales.clone(),
        })
    }

    /// The portal is told the person could not give the second factor it demands.
    pub(super) fn unmet(&self, pending: &PendingAuthorization) -> String {
        self.portal_error(
            pending,
            AuthorizeErrorCode::UnmetAuthenticationRequirements,
            "this request needs an authenticator app, and the person has none",
        )
    }

    pub(super) fn declined(&self, pending: &PendingAuthorization) -> Finished {
        Finished::Declined {
            to: self.portal_error(
                pending,
                AuthorizeErrorCode::AccessDenied,
                "the person did not allow this application",
            ),
        }
    }

    /// A login that could not be opened, told to the portal.
    pub(super) fn not_opened(&self, pending: &PendingAuthorization, e: LoginError) -> Finished {
        let description = match e {
            LoginError::TooManyLogins => {
                "too many sign-ins from this network; try again in a minute"
            }
            other => {
                tracing::error!(error = %other, "could not open a login flow");
                "sign-in is unavailable right now; try again in a moment"
            }
        };
        Finished::NotOpened {
            to: self.portal_error(
                pending,
                AuthorizeErrorCode::TemporarilyUnavailable,
                description,
            ),
        }
    }

    /// An error for the portal at its verified redirect URI.
    pub(super) fn portal_error(
        &self,
        pending: &PendingAuthorization,
        code: AuthorizeErrorCode,
        description: &'static str,
    ) -> String {
        self.provider.error_redirect(&AuthorizeRedirectError {
            redirect_uri: pending.redirect_uri.clone(),
            state: pending.state.clone(),
            code,
            description,
        })
    }

    /// The browser's session, when the login's factors came from one (`step_up_of`). They
    /// count only while it is still this browser's session: signed out or replaced
    /// meanwhile, the login is over (`flow_expired`).
    async fn carried_session(
        &self,
        success: &LoginSuccess,
        session_cookie: Option<&str>,
    ) -> Result<Option<Session>, LoginError> {
        let Some(sid) = &success.step_up_of else {
            return Ok(None);
        };
        let live = match session_cookie {
            Some(cookie) => self.provider.session(cookie).await?,
            None => None,
        };
        match live {
            Some(session) if session.sid == *sid => Ok(Some(session)),
            _ => Err(LoginError::FlowExpired),
        }
    }
}
