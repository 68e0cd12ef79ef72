//! People as operators (the admin API, `wagate users ...`) and the people themselves (the
//! account page) manage them: find, list, block, erase, change a number, remove the
//! authenticator, end sessions. One implementation for every caller; every change is a
//! security event naming who made it.

mod view;

pub use view::{PersonView, SessionView};

use crate::events::{Actor, EventType, Events, SecurityEvent};
use crate::{PhoneError, PhonePolicy};
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use wagate_oidc::{Provider, SessionEnd};
use wagate_storage::{Block, Clock, PhoneChange, StoreError, UnixTime, User};

#[derive(Debug, Error)]
pub enum PeopleError {
    #[error("no such person")]
    UnknownPerson,
    #[error("no such session")]
    UnknownSession,
    #[error("phone number refused: {0}")]
    InvalidPhone(#[from] PhoneError),
    /// The new number belongs to someone else.
    #[error("the number belongs to someone else")]
    PhoneTaken,
    #[error("no authenticator is active")]
    NoAuthenticator,
    /// The person kept changing under us.
    #[error("concurrent update")]
    Conflict,
    #[error("page cursor is not one of ours")]
    BadCursor,
    /// The person's own change needs a recent login.
    #[error("a recent login is needed")]
    StaleAuthentication,
    /// Deleting one's own account needs an explicit confirmation.
    #[error("not confirmed")]
    NotConfirmed,
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// How often a read-modify-write of a person is tried against concurrent changes.
const TRIES: usize = 5;

/// One page of people.
#[derive(Debug, Clone)]
pub struct PeoplePage {
    pub people: Vec<PersonView>,
    pub next: Option<String>,
}

pub struct People {
    provider: Arc<Provider>,
    events: Arc<Events>,
    phones: PhonePolicy,
    clock: Arc<dyn Clock>,
    /// A person's own number change or deletion needs a login at most this old.
    fresh_for: Duration,
}

impl People {
    pub fn new(
        provider: Arc<Provider>,
        events: Arc<Events>,
        phones: PhonePolicy,
        clock: Arc<dyn Clock>,
        fresh_for: Duration,
    ) -> Self {
        People {
            provider,
            events,
            phones,
            clock,
            fresh_for,
        }
    }

    /// Whether a login at `auth_time` is recent enough for the person's own big changes.
    pub fn fresh(&self, auth_time: UnixTime) -> bool {
        auth_time.plus(self.fresh_for) >= self.clock.now()
    }

    /// The person deletes their own account: a recent login and an explicit confirmation.
    pub async fn delete_own(
        &self,
        sub: &str,
        auth_time: UnixTime,
        confirmed: bool,
    ) -> Result<bool, PeopleError> {
        if !self.fresh(auth_time) {
            return Err(PeopleError::StaleAuthentication);
        }
        if !confirmed {
            return Err(PeopleError::NotConfirmed);
        }
        self.delete(&Actor::Person, sub).await
    }

    /// The person takes the number they have just proven (E.164); needs a recent login.
    pub async fn change_own_phone(
        &self,
        sub: &str,
        auth_time: UnixTime,
        proven: &str,
    ) -> Result<PersonView, PeopleError> {
        if !self.fresh(auth_time) {
            return Err(PeopleError::StaleAuthentication);
        }
        self.change_phone(&Actor::Person, sub, proven).await
    }

    fn store(&self) -> &Arc<dyn wagate_storage::Store> {
        self.provider.store()
    }

    async fn person(&self, sub: &str) -> Result<User, PeopleError> {
        self.store()
            .get_user(sub)
            .await?
            .ok_or(PeopleError::UnknownPerson)
    }

    async fn view(&self, user: User) -> Result<PersonView, PeopleError> {
        let (sessions, last_login) = futures_util::future::try_join(
            self.store().sessions_of(&user.sub),
            self.store().last_login(&user.sub),
        )
        .await?;
        Ok(PersonView::of(user, last_login, &sessions))
    }

    /// The person with this number, typed in any format the phone policy reads.
    pub async fn find_by_phone(&self, typed: &str) -> Result<Option<PersonView>, PeopleError> {
        let number = self.phones.parse(typed)?;
        match self.store().find_user_by_phone(number.e164()).await? {
            Some(user) => Ok(Some(self.view(user).await?)),
            None => Ok(None),
        }
    }

    pub async fn get(&self, sub: &str) -> Result<PersonView, PeopleError> {
        let user = self.person(sub).await?;
        self.view(user).await
    }

    /// People newest first. The cursor is opaque (base64url of the index entry).
    pub async fn list(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<PeoplePage, PeopleError> {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let entry = cursor
            .map(|c| {
                URL_SAFE_NO_PAD
                    .decode(c)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or(PeopleError::BadCursor)
            })
            .transpose()?;
        let page = self.store().list_users(entry.as_deref(), limit).await?;
        let people =
            futures_util::future::try_join_all(page.users.into_iter().map(|u| self.view(u)))
                .await?;
        Ok(PeoplePage {
            people,
            next: page.next.map(|n| URL_SAFE_NO_PAD.encode(n)),
        })
    }

    /// Reads, changes and writes the person back, again while others change them.
    async fn revise(
        &self,
        sub: &str,
        change: impl Fn(&User) -> Option<User>,
    ) -> Result<(User, bool), PeopleError> {
        for _ in 0..TRIES {
            let user = self.person(sub).await?;
            let Some(next) = change(&user) else {
                return Ok((user, false));
            };
            if self.store().update_user(&next).await? {
                return Ok((next, true));
            }
        }
        Err(PeopleError::Conflict)
    }

    async fn audit(&self, actor: &Actor, action: &str, sub: &str) {
        self.events
            .emit(
                SecurityEvent::new(EventType::AdminAction)
                    .subject(sub)
                    .actor(actor)
                    .with("action", action),
            )
            .await;
    }

    /// Blocks the person: no login from now on, their sessions end (clients are told by
    /// back-channel logout) and what they were granted is revoked. Blocking again changes
    /// nothing.
    pub async fn block(
        &self,
        actor: &Actor,
        sub: &str,
        reason: Option<String>,
    ) -> Result<PersonView, PeopleError> {
        let now = self.clock.now();
        let (user, changed) = self
            .revise(sub, |u| {
                u.blocked.is_none().then(|| User {
                    blocked: Some(Block {
                        at: now,
                        reason: reason.clone(),
                    }),
                    tokens_revoked_at: Some(now),
                    ..u.revised()
                })
            })
            .await?;
        // Ended again even when already blocked: a session that raced the block goes too.
        self.provider
            .end_sessions_of(sub, None, SessionEnd::Operator)
            .await?;
        self.provider.revoke_grants_of(sub, false).await?;
        if changed {
            let mut event = SecurityEvent::new(EventType::UserBlocked)
                .subject(sub)
                .actor(actor);
            if let Some(reason) = &reason {
                event = event.with("reason", reason.as_str());
            }
            self.events.emit(event).await;
        }
        self.audit(actor, "block", sub).await;
        self.view(user).await
    }

    /// Lifts a block. What the block revoked stays revoked.
    pub async fn unblock(&self, actor: &Actor, sub: &str) -> Result<PersonView, PeopleError> {
        let (user, changed) = self
            .revise(sub, |u| {
                u.blocked.is_some().then(|| User {
                    blocked: None,
                    ..u.revised()
                })
            })
            .await?;
        if changed {
            self.events
                .emit(
                    SecurityEvent::new(EventType::UserUnblocked)
                        .subject(sub)
                        .actor(actor),
                )
                .await;
        }
        self.audit(actor, "unblock", sub).await;
        self.view(user).await
    }

    /// Erases the person: sessions (with back-channel logout), refresh families, the record,
    /// the number's index and the authenticator with it. The number may sign up again as
    /// someone new. True when there was someone to erase; erasing again is harmless.
    pub async fn delete(&self, actor: &Actor, sub: &str) -> Result<bool, PeopleError> {
        let user = self.store().get_user(sub).await?;
        self.provider
            .end_sessions_of(sub, None, SessionEnd::Operator)
            .await?;
        self.provider.revoke_grants_of(sub, true).await?;
        let deleted = self.store().delete_user(sub).await?;
        if let (true, Some(user)) = (deleted, user) {
            self.events
                .emit(
                    SecurityEvent::new(EventType::UserDeleted)
                        .subject(sub)
                        .phone(user.phone)
                        .actor(actor),
                )
                .await;
        }
        if *actor != Actor::Person {
            self.audit(actor, "delete", sub).await;
        }
        Ok(deleted)
    }

    /// Gives the person a new number (typed in any format); the old one is freed.
    pub async fn change_phone(
        &self,
        actor: &Actor,
        sub: &str,
        typed: &str,
    ) -> Result<PersonView, PeopleError> {
        let number = self.phones.parse(typed)?;
        for _ in 0..TRIES {
            let user = self.person(sub).await?;
            if user.phone == number.e164() {
                return self.view(user).await;
            }
            let next = User {
                phone: number.e164().to_owned(),
                phone_verified: true,
                ..user.revised()
            };
            match self.store().change_phone(&next, &user.phone).await? {
                PhoneChange::Changed => {
                    self.events
                        .emit(
                            SecurityEvent::new(EventType::UserPhoneChanged)
                                .subject(sub)
                                .phone(next.phone.clone())
                                .previous_phone(user.phone.clone())
                                .actor(actor),
                        )
                        .await;
                    if *actor != Actor::Person {
                        self.audit(actor, "change_phone", sub).await;
                    }
                    return self.view(next).await;
                }
                PhoneChange::Taken => return Err(PeopleError::PhoneTaken),
                PhoneChange::Conflict => continue,
            }
        }
        Err(PeopleError::Conflict)
    }

    /// Removes the authenticator app and its recovery codes.
    pub async fn remove_authenticator(
        &self,
        actor: &Actor,
        sub: &str,
    ) -> Result<PersonView, PeopleError> {
        let (user, changed) = self
            .revise(sub, |u| {
                (u.totp.is_some() || u.totp_pending.is_some()).then(|| User {
                    totp: None,
                    totp_pending: None,
                    ..u.revised()
                })
            })
            .await?;
        if !changed {
            return Err(PeopleError::NoAuthenticator);
        }
        self.events
            .emit(
                SecurityEvent::new(EventType::AuthenticatorRemoved)
                    .subject(sub)
                    .actor(actor),
            )
            .await;
        self.audit(actor, "remove_authenticator", sub).await;
        self.view(user).await
    }

    /// Ends one session of the person.
    pub async fn end_session(
        &self,
        actor: &Actor,
        sub: &str,
        sid: &str,
    ) -> Result<(), PeopleError> {
        self.person(sub).await?;
        let why = session_end(actor);
        self.provider
            .end_session_of(sub, sid, why)
            .await?
            .ok_or(PeopleError::UnknownSession)?;
        if *actor != Actor::Person {
            self.audit(actor, "end_session", sub).await;
        }
        Ok(())
    }

    /// Ends every session of the person but `keep`; returns how many ended.
    pub async fn end_sessions(
        &self,
        actor: &Actor,
        sub: &str,
        keep: Option<&str>,
    ) -> Result<usize, PeopleError> {
        self.person(sub).await?;
        let ended = self
            .provider
            .end_sessions_of(sub, keep, session_end(actor))
            .await?;
        if *actor != Actor::Person {
            self.audit(actor, "end_sessions", sub).await;
        }
        Ok(ended.len())
    }
}

fn session_end(actor: &Actor) -> SessionEnd {
    match actor {
        Actor::Person => SessionEnd::Person,
        Actor::Client { .. } | Actor::Cli => SessionEnd::Operator,
    }
}
