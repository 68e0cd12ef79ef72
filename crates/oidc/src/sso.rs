//! The authorization step with the browser's session (OIDC Core §3.1.2.1: prompt, max_age,
//! id_token_hint): single sign-on answers at once, or the person is asked to log in.

use crate::acr::{self, MfaDemand};
use crate::authorize;
use crate::error::{AuthorizeErrorCode as Code, AuthorizeRedirectError, CodeIssueError};
use crate::params::Params;
use crate::{AuthorizeOutcome, Provider};
use wagate_storage::{PendingAuthorization, Session, StoreError, UnixTime};

/// What /authorize does next.
#[derive(Debug)]
pub enum AuthorizeStep {
    /// The person must log in (no usable session, the request asks for a fresh login, or for
    /// more factors than the session proved).
    Login(Box<LoginNeeded>),
    /// A session answered: send the browser here (the client's redirect URI with a code).
    Issued(String),
}

/// A login the request needs.
#[derive(Debug)]
pub struct LoginNeeded {
    pub pending: PendingAuthorization,
    /// How much the request wants the second factor.
    pub mfa: MfaDemand,
    /// The browser's live session, when the login builds on it: a step-up asks only for the
    /// missing factor, `select_account` offers to continue as its person, `consent` asks
    /// before its person's code goes to the portal.
    pub session: Option<LiveSession>,
    /// `prompt=consent`: ask the person before the portal gets a code.
    pub consent: bool,
    /// `prompt=select_account` with a live session: ask which account to use first.
    pub select_account: bool,
}

/// What the browser's live session has proven.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub sid: String,
    pub sub: String,
    pub amr: Vec<String>,
    pub auth_time: UnixTime,
}

/// An error for the client, sent to its verified redirect URI: code and fixed description.
type Refusal = (Code, &'static str);

/// What the session decided, before the pending request is attached.
enum Next {
    Issued(String),
    Login {
        mfa: MfaDemand,
        session: Option<LiveSession>,
        select_account: bool,
    },
}

fn asks(pending: &PendingAuthorization, prompt: &str) -> bool {
    pending.prompt.iter().any(|p| p == prompt)
}

fn unavailable(e: StoreError) -> Refusal {
    tracing::error!(error = %e, "session lookup failed");
    (
        Code::TemporarilyUnavailable,
        "sign-in is unavailable right now; try again in a moment",
    )
}

/// Whether `session` may answer `pending` without a new login: not asked to log in again, and
/// authenticated recently enough for `max_age`.
fn fresh_enough(pending: &PendingAuthorization, session: &Session, now: UnixTime) -> bool {
    if asks(pending, "login") {
        return false;
    }
    match pending.max_age {
        None => true,
        // max_age=0 asks for a login every time.
        Some(0) => false,
        Some(max) => {
            now.secs() - session.auth_time.secs() <= i64::try_from(max).unwrap_or(i64::MAX)
        }
    }
}

impl Provider {
    /// Validates an authorization request and decides, with the browser's session, whether the
    /// person must log in (or be asked something) or a code can be issued at once.
    pub async fn authorize(
        &self,
        params: &Params,
        session_cookie: Option<&str>,
    ) -> Result<AuthorizeStep, AuthorizeOutcome> {
        let now = self.now();
        let pending = authorize::validate(params, &self.clients, now)?;
        match self.next(params, session_cookie, &pending, now).await {
            Ok(Next::Issued(redirect)) => Ok(AuthorizeStep::Issued(redirect)),
            Ok(Next::Login {
                mfa,
                session,
                select_account,
            }) => Ok(AuthorizeStep::Login(Box::new(LoginNeeded {
                consent: asks(&pending, "consent"),
                pending,
                mfa,
                session,
                select_account,
            }))),
            Err((code, description)) => Err(AuthorizeOutcome::Redirect(AuthorizeRedirectError {
                redirect_uri: pending.redirect_uri,
                state: pending.state,
                code,
                description,
            })),
        }
    }

    async fn next(
        &self,
        params: &Params,
        session_cookie: Option<&str>,
        pending: &PendingAuthorization,
        now: UnixTime,
    ) -> Result<Next, Refusal> {
        let mfa = self.offered_demand(pending)?;
        // An expired hint is still a good hint (OIDC Core §3.1.2.1); a forged one is not.
        let hint = match params.get("id_token_hint").ok().flatten() {
            None => None,
            Some(token) => Some(
                self.our_id_token(token)
                    .map_err(|_| (Code::InvalidRequest, "id_token_hint is not valid"))?,
            ),
        };
        let session = match session_cookie {
            Some(cookie) => self.session(cookie).await.map_err(unavailable)?,
            None => None,
        };
        let usable = session.filter(|s| {
            let same_person = hint.as_ref().is_none_or(|h| h.sub == s.subject);
            same_person && fresh_enough(pending, s, now)
        });
        let prompt_none = asks(pending, "none");
        if let Some(session) = usable {
            // A session short of a second factor the request wants: the login asks for the
            // missing one. Without interaction, only a demand is refused; a preference is
            // answered at the session's level.
            let short = mfa != MfaDemand::NotAsked && acr::reached(&session.amr) != acr::ACR_MFA;
            if prompt_none && short && mfa == MfaDemand::Required {
                return Err((
                    Code::InteractionRequired,
                    "the request needs a second factor the session has not proven",
                ));
            }
            let select_account = asks(pending, "select_account");
            if !prompt_none && (short || asks(pending, "consent") || select_account) {
                let session = LiveSession {
                    sid: session.sid.clone(),
                    sub: session.subject.clone(),
                    amr: session.amr.clone(),
                    auth_time: session.auth_time,
                };
                return Ok(Next::Login {
                    mfa,
                    session: Some(session),
                    select_account,
                });
            }
            // `None` when the session ended meanwhile: as if there were none.
            let answered =
                self.answer_with_session(pending, session)
                    .await
                    .map_err(|e| match e {
                        CodeIssueError::Storage(e) => unavailable(e),
                        CodeIssueError::UnknownClient => (Code::InvalidRequest, "unknown client"),
                    })?;
            if let Some(redirect) = answered {
                return Ok(Next::Issued(redirect));
            }
        }
        if prompt_none {
            return Err((
                Code::LoginRequired,
                "the user is not signed in (or not as the hinted user, or too long ago)",
            ));
        }
        Ok(Next::Login {
            mfa,
            session: None,
            select_account: false,
        })
    }

    /// The request's second-factor demand as this provider can serve it. Said before anyone is
    /// sent a code for a login that cannot succeed.
    fn offered_demand(&self, pending: &PendingAuthorization) -> Result<MfaDemand, Refusal> {
        const UNMET: Refusal = (
            Code::UnmetAuthenticationRequirements,
            "no authentication this provider offers meets the essential acr values",
        );
        match self.mfa_demand(pending).map_err(|_| UNMET)? {
            MfaDemand::Required if !self.mfa_available() => Err(UNMET),
            MfaDemand::Preferred if !self.mfa_available() => Ok(MfaDemand::NotAsked),
            demand => Ok(demand),
        }
    }
}
