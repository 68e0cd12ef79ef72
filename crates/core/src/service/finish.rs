//! Where a proven factor leads: the next factor, the consent, or the end of the login; and the
//! person's choices at the select-account and consent screens.

use super::{Browser, LoginOutcome, LoginService, LoginSuccess};
use crate::LoginError;
use crate::events::{EventType, SecurityEvent};
use crate::machine::{self, Next};
use wagate_storage::{
    FlowPurpose, FlowStage, LoginFlow, PendingAuthorization, Proof, UnixTime, User,
};

impl LoginService {
    /// A factor (`method`) is proven for `user` (or, with `None`, the person chose to go on
    /// with what the flow already holds): finish, or go on to what the portal still needs.
    pub(super) async fn proved(
        &self,
        flow: LoginFlow,
        user: User,
        method: Option<&str>,
        now: UnixTime,
    ) -> Result<LoginOutcome, LoginError> {
        if flow.proven.as_ref().is_some_and(|p| p.sub != user.sub) {
            self.kill(&flow.id).await?;
            return Err(LoginError::FlowExpired);
        }
        // Only someone who has just proven the number learns that it is blocked.
        if user.blocked.is_some() {
            self.kill(&flow.id).await?;
            self.login_failed(&flow, Some(&user.phone), Some(&user.sub), "blocked")
                .await;
            return Err(LoginError::AccountBlocked);
        }
        let before = flow.proven.as_ref().map_or(&[][..], |p| &p.amr[..]);
        let amr = match method {
            Some(method) => machine::with_method(before, method),
            None => before.to_vec(),
        };
        // The login happened when its first factor was proven (for a step-up, the session's
        // login): a day-old factor plus a new one is not a fresh login for `max_age`.
        let since = flow
            .proven
            .as_ref()
            .and_then(|p| p.since)
            .map_or(now, |t| t.min(now));
        let step_up_of = flow.proven.as_ref().and_then(|p| p.session.clone());
        let proof = Proof {
            sub: user.sub.clone(),
            phone: user.phone.clone(),
            amr: amr.clone(),
            since: Some(since),
            session: step_up_of.clone(),
        };
        let has_app = self.can_use_authenticator(&user);
        let (updated, outcome) =
            match machine::next(machine::second_factor(&flow), flow.consent, has_app, &amr) {
                Next::Authenticator => (
                    machine::await_authenticator(&flow, proof),
                    LoginOutcome::NeedsAuthenticator,
                ),
                Next::WhatsApp => (
                    machine::await_whatsapp(&flow, proof),
                    LoginOutcome::NeedsWhatsApp,
                ),
                Next::Consent => (
                    machine::await_consent(&flow, proof),
                    LoginOutcome::NeedsConsent,
                ),
                end @ (Next::Done | Next::AuthenticatorMissing) => {
                    let flow = self.finish(&flow.id).await?;
                    self.report(
                        SecurityEvent::new(EventType::LoginSucceeded)
                            .subject(&user.sub)
                            .with("client_id", flow.authorization.client_id.as_str())
                            .with("amr", amr.clone()),
                    )
                    .await;
                    let success = finished(Ok(flow), user, proof, now);
                    return Ok(if end == Next::Done {
                        LoginOutcome::Done(success)
                    } else {
                        LoginOutcome::AuthenticatorMissing(success)
                    });
                }
            };
        if !self.store.update_flow(&updated).await? {
            return Err(LoginError::Conflict);
        }
        Ok(outcome)
    }

    /// `prompt=select_account`: go on as the session's person (`other` false), or sign in
    /// with another number.
    pub async fn choose_account(
        &self,
        id: &str,
        browser: &Browser<'_>,
        other: bool,
    ) -> Result<LoginOutcome, LoginError> {
        let flow = self.flow(id, browser).await?;
        if flow.stage != FlowStage::ChooseAccount {
            return Err(LoginError::WrongStep);
        }
        if other {
            if !self.store.update_flow(&machine::start_over(&flow)).await? {
                return Err(LoginError::Conflict);
            }
            return Ok(LoginOutcome::NeedsPhone);
        }
        let sub = flow
            .proven
            .as_ref()
            .map(|p| p.sub.clone())
            .ok_or(LoginError::FlowExpired)?;
        let user = self
            .store
            .get_user(&sub)
            .await?
            .ok_or(LoginError::FlowExpired)?;
        self.proved(flow, user, None, self.clock.now()).await
    }

    /// `prompt=consent`: the person lets the portal have its code (`allow`), or not.
    pub async fn consent(
        &self,
        id: &str,
        browser: &Browser<'_>,
        allow: bool,
    ) -> Result<LoginOutcome, LoginError> {
        let flow = self.flow(id, browser).await?;
        if flow.stage != FlowStage::Consent {
            return Err(LoginError::WrongStep);
        }
        let proof = flow.proven.clone().ok_or(LoginError::FlowExpired)?;
        if !allow {
            let flow = self.finish(&flow.id).await?;
            return Ok(LoginOutcome::Declined(flow.authorization));
        }
        let user = self
            .store
            .get_user(&proof.sub)
            .await?
            .ok_or(LoginError::FlowExpired)?;
        let flow = self.finish(&flow.id).await?;
        Ok(LoginOutcome::Done(finished(
            Ok(flow),
            user,
            proof,
            self.clock.now(),
        )))
    }
}

/// What a login that proved `proof` for `user` hands out.
/// `binding_hash`: of the flow that finished, if a flow was needed.
/// What a login that proved `proof` for `user` hands out. `flow`: the flow that finished
/// (consumed), if one was needed, else the authorization and purpose it would have had.
pub(super) fn finished(
    flow: Result<LoginFlow, (PendingAuthorization, FlowPurpose)>,
    user: User,
    proof: Proof,
    now: UnixTime,
) -> LoginSuccess {
    let (authorization, purpose, binding_hash) = match flow {
        Ok(flow) => (flow.authorization, flow.purpose, Some(flow.binding_hash)),
        Err((authorization, purpose)) => (authorization, purpose, None),
    };
    LoginSuccess {
        authorization,
        user,
        amr: machine::reported_amr(&proof.amr),
        auth_time: proof.since.unwrap_or(now),
        step_up_of: proof.session,
        binding_hash,
        purpose,
    }
}
