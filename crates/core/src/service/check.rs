//! Checking a factor: the WhatsApp code or the authenticator's, with the attempts they spend.

use super::send::map_backend;
use super::{Browser, HOUR, LoginOutcome, LoginService};
use crate::guard::TEST_NUMBER;
use crate::machine;
use crate::otp::LOCAL;
use crate::totp::{CheckError, RecoveryCode};
use crate::{AMR_WHATSAPP, BackendError, LoginError, OtpCode, Verdict};
use wagate_storage::{Counter, FlowStage, LoginFlow, OtpChallenge};

impl LoginService {
    /// Code step: check the code; on success the flow is consumed and the person known.
    pub async fn submit_code(
        &self,
        id: &str,
        browser: &Browser<'_>,
        input: &str,
    ) -> Result<LoginOutcome, LoginError> {
        let flow = self.flow(id, browser).await?;
        let code = OtpCode::parse(input).ok_or(LoginError::MalformedCode)?;
        let now = self.clock.now();
        let (_, code_length) = machine::awaiting_code(&flow, now)?;
        // A code of the wrong length cannot be right: refuse it without spending an attempt.
        if code.expose().len() != usize::from(code_length) {
            return Err(LoginError::MalformedCode);
        }

        // Reserve the attempt before checking, so parallel guesses cannot exceed the limit.
        // The challenge is read beside it (one round trip); a refused attempt wins.
        let (attempts_left, challenge) =
            futures_util::future::join(self.attempt(&flow), self.store.get_challenge(&flow.id))
                .await;
        let attempts_left = attempts_left?;
        let challenge = challenge?.ok_or(LoginError::CodeExpired)?;

        let backend = self.backend_for(&challenge.phone);
        match backend.verify(&challenge, &code).await {
            Ok(Verdict::Accepted) => {
                // Exactly one of several parallel correct answers gets past this. The person
                // is looked up beside it (one round trip); the taking decides.
                let (taken, found) = futures_util::future::join(
                    self.store.take_challenge(&flow.id),
                    self.store.find_user_by_phone(&challenge.phone),
                )
                .await;
                if taken?.is_none() {
                    return Err(LoginError::FlowExpired);
                }
                // The code is used up: counted even if finding the person fails, beside
                // making the person of a sign-up rather than after it. After a fallback the
                // flow names the fallback's channel.
                let via = match &flow.stage {
                    FlowStage::Code { via: Some(via), .. } => Some(via.channel.as_str()),
                    _ => None,
                };
                let (user, ()) = futures_util::future::join(
                    async { self.known_or_new_user(found?, &challenge.phone, now).await },
                    self.code_verified(&challenge, via),
                )
                .await;
                let user = user?;
                self.proved(flow, user, Some(AMR_WHATSAPP), now).await
            }
            Ok(Verdict::Rejected { replacement_state }) => {
                let reason = if attempts_left == 0 {
                    "too_many_attempts"
                } else {
                    "wrong_code"
                };
                self.login_failed(&flow, Some(&challenge.phone), None, reason)
                    .await;
                if attempts_left == 0 {
                    self.kill(&flow.id).await?;
                } else if let Some(state) = replacement_state {
                    let replaced = OtpChallenge {
                        backend_state: state,
                        ..challenge
                    };
                    let ttl = now.until(replaced.expires_at);
                    self.store.put_challenge(&flow.id, &replaced, ttl).await?;
                }
                Err(LoginError::WrongCode {
                    attempts_left,
                    authenticator: false,
                })
            }
            Err(BackendError::TooManyAttempts) => {
                self.login_failed(&flow, Some(&challenge.phone), None, "too_many_attempts")
                    .await;
                self.kill(&flow.id).await?;
                Err(LoginError::FlowExpired)
            }
            Err(e) => {
                tracing::error!(backend = backend.name(), error = %e, "could not check a code");
                Err(map_backend(e))
            }
        }
    }

    /// Reserves one attempt of the flow before a code is checked, so parallel guesses cannot
    /// exceed the limit; the attempt over the limit ends the flow.
    async fn attempt(&self, flow: &LoginFlow) -> Result<u32, LoginError> {
        let used = self
            .store
            .increment(
                &Counter::FlowAttempts(flow.id.clone()),
                self.policy.flow_ttl,
            )
            .await?;
        match machine::attempts_left(used, &self.policy) {
            Some(left) => Ok(left),
            None => {
                self.kill(&flow.id).await?;
                Err(LoginError::FlowExpired)
            }
        }
    }

    /// Authenticator step: a code from the app (or a recovery code), as the first factor with
    /// `phone`, or as the second after the WhatsApp code. A number without an authenticator is
    /// answered exactly like a wrong code.
    pub async fn submit_totp(
        &self,
        id: &str,
        browser: &Browser<'_>,
        phone: Option<&str>,
        input: &str,
    ) -> Result<LoginOutcome, LoginError> {
        let flow = self.flow(id, browser).await?;
        let authenticators = self
            .authenticators
            .as_ref()
            .ok_or(LoginError::AuthenticatorsDisabled)?;
        let input = crate::totp::compact(input);
        let plausible = crate::totp::is_app_code(&input) || RecoveryCode::parse(&input).is_some();
        if !plausible {
            return Err(LoginError::MalformedCode);
        }
        let number = self.authenticator_number(&flow, (phone, browser.region))?;
        let now = self.clock.now();
        let attempts_left = self.attempt(&flow).await?;
        // Flows are cheap, so a budget per number across flows backs the flow's attempts,
        // reserved before checking and given back on success. Two budgets: the first factor's
        // can be spent by anyone who knows the number; the second factor's only by someone
        // who proved the first (a session can open step-up flows without new WhatsApp
        // codes), so strangers cannot lock the owner out of MFA.
        let failures_key = Counter::AuthenticatorFailures {
            number: number.clone(),
            second_factor: flow.stage == FlowStage::Totp,
        };
        if self.store.increment(&failures_key, HOUR).await?
            > self.policy.totp_failures_per_number_per_hour
        {
            tracing::warn!("hourly authenticator failures of a number exhausted");
            if attempts_left == 0 {
                self.kill(&flow.id).await?;
            }
            return Err(LoginError::TooManyWrongCodes);
        }
        let user = self.store.find_user_by_phone(&number).await?;
        let factor = match &user {
            Some(user) => authenticators
                .verify(user, &input)
                .await
                .map_err(|e| match e {
                    CheckError::Storage(e) => LoginError::Storage(e),
                    other => LoginError::Misconfigured(other.to_string()),
                })?,
            None => None,
        };
        match (user, factor) {
            (Some(user), Some(factor)) => {
                if let Err(e) = self.store.release(&failures_key).await {
                    tracing::warn!(error = %e, "could not give back an authenticator failure");
                }
                self.proved(flow, user, Some(factor.amr()), now).await
            }
            _ => {
                self.login_failed(&flow, Some(&number), None, "wrong_authenticator_code")
                    .await;
                if attempts_left == 0 {
                    self.kill(&flow.id).await?;
                }
                Err(LoginError::WrongCode {
                    attempts_left,
                    authenticator: true,
                })
            }
        }
    }

    /// The number an authenticator code is checked for: the proven one after a first factor,
    /// else the one typed with it.
    fn authenticator_number(
        &self,
        flow: &LoginFlow,
        (typed, region): (Option<&str>, Option<&str>),
    ) -> Result<String, LoginError> {
        match (&flow.stage, &flow.proven) {
            (FlowStage::Totp, Some(proof)) => Ok(proof.phone.clone()),
            (FlowStage::Totp, None) => Err(LoginError::FlowExpired),
            (FlowStage::ChooseAccount | FlowStage::Consent, _) => Err(LoginError::WrongStep),
            _ => {
                // The authenticator is proven already; the WhatsApp code is what is missing.
                if machine::proven_authenticator(flow) {
                    return Err(LoginError::WrongStep);
                }
                let typed = typed.filter(|t| !t.trim().is_empty());
                let typed = typed.ok_or(LoginError::PhoneRequired)?;
                let phone = self.phones.parse_in(typed, region)?;
                machine::check_number(flow, &phone)?;
                Ok(phone.e164().to_owned())
            }
        }
    }

    /// A code typed back, once the taking of its challenge decided (parallel answers count
    /// once): the funnel's last step and the country's conversion. `via`: the channel that
    /// carried it last, where the challenge's own may be out of date (a fallback).
    pub(super) async fn code_verified(&self, challenge: &OtpChallenge, via: Option<&str>) {
        // As the send recorded it; the number is read again (tens of µs) only for challenges
        // stored before the region was kept.
        let region = challenge
            .region
            .clone()
            .or_else(|| crate::region_of(&challenge.phone))
            .unwrap_or_else(|| "ZZ".into());
        self.count_verified(challenge, via, &region);
        if let Some(guard) = &self.guard {
            guard.verified(&challenge.phone, &region).await;
        }
    }

    /// The funnel's last step, by channel and the number's country. A backend that sends its
    /// own messages (Cripsa) is the channel; test numbers got no message, and a local code
    /// that names no channel is from before channels were kept: neither is counted.
    fn count_verified(&self, challenge: &OtpChallenge, via: Option<&str>, region: &str) {
        let backend = self.backend_for(&challenge.phone).name();
        let channel = match via.or(challenge.channel.as_deref()) {
            Some(channel) => channel,
            None if backend == TEST_NUMBER || backend == LOCAL => return,
            None => backend,
        };
        self.observer.verified(channel, region);
    }
}
