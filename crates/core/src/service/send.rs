//! Sending codes: the phone step, resends, and the budgets every send spends.

use super::{Browser, CodeSent, HOUR, LoginService};
use crate::machine;
use crate::{BackendError, ChallengeRequest, LoginError, PhoneNumber};
use wagate_storage::{Counter, LoginFlow, OtpChallenge};

impl LoginService {
    /// Phone step: parse the number and send a code to it.
    pub async fn submit_phone(
        &self,
        id: &str,
        browser: &Browser<'_>,
        input: &str,
    ) -> Result<CodeSent, LoginError> {
        let flow = self.flow(id, browser).await?;
        let phone = self.phones.parse(input)?;
        machine::check_number(&flow, &phone)?;
        self.send(flow, phone, browser).await
    }

    /// Sends a new code to the number of the code step.
    pub async fn resend(&self, id: &str, browser: &Browser<'_>) -> Result<CodeSent, LoginError> {
        let flow = self.flow(id, browser).await?;
        let phone = self
            .phones
            .parse(machine::resend_target(&flow)?)
            .map_err(|_| LoginError::WrongStep)?;
        self.send(flow, phone, browser).await
    }

    async fn send(
        &self,
        flow: LoginFlow,
        phone: PhoneNumber,
        browser: &Browser<'_>,
    ) -> Result<CodeSent, LoginError> {
        let now = self.clock.now();
        machine::may_send(&flow, now, &self.policy)?;
        let spent = self.spend_budgets(&phone, browser).await?;

        let claimed = machine::claim_send(&flow, &phone, now, &self.policy);
        if !self.store.update_flow(&claimed).await? {
            self.release_budgets(&spent).await;
            return Err(LoginError::Conflict);
        }
        let request = ChallengeRequest {
            flow_id: &flow.id,
            phone: &phone,
        };
        let started = match self.backend.start(&request).await {
            Ok(started) => started,
            Err(e) => {
                tracing::error!(backend = self.backend.name(), error = %e, "could not start a challenge");
                // Only a send that certainly never left wagate is given back (budgets, the
                // flow's count and cooldown). One that may have gone out (a timeout, an error
                // answer) counts like any send, or a slow gateway would make sends free. The
                // claimed flow already counts it.
                if !matches!(e, BackendError::MaybeSent(_)) {
                    // Best effort: if this fails the person waits for the cooldown, no worse.
                    let _ = self
                        .store
                        .update_flow(&machine::send_failed(&claimed, &flow))
                        .await;
                    self.release_budgets(&spent).await;
                }
                return Err(map_backend(e));
            }
        };
        let challenge = OtpChallenge {
            backend_state: started.state.clone(),
            phone: phone.e164().to_owned(),
            created_at: now,
            expires_at: now.plus(started.expires_in),
        };
        self.store
            .put_challenge(&flow.id, &challenge, started.expires_in)
            .await?;
        if !self
            .store
            .update_flow(&machine::code_sent(&claimed, &started, now))
            .await?
        {
            return Err(LoginError::Conflict);
        }
        Ok(CodeSent {
            code_length: started.code_length,
            expires_in: started.expires_in,
            resend_in: self.policy.resend_cooldown,
        })
    }

    /// Counts this send against the number's and the address's hourly budgets; returns the
    /// counters it spent, to give back if the send does not happen.
    async fn spend_budgets(
        &self,
        phone: &PhoneNumber,
        browser: &Browser<'_>,
    ) -> Result<Vec<Counter>, LoginError> {
        let number_key = Counter::SendsToNumber(phone.e164().to_owned());
        if self.store.increment(&number_key, HOUR).await? > self.policy.sends_per_number_per_hour {
            tracing::warn!(phone = %phone.masked(), "hourly send budget of the number exhausted");
            return Err(LoginError::SendLimitReached);
        }
        let mut spent = vec![number_key];
        if let Some(ip) = browser.ip {
            let ip_key = Counter::SendsFromAddress(ip);
            if self.store.increment(&ip_key, HOUR).await? > self.policy.sends_per_ip_per_hour {
                tracing::warn!(%ip, "hourly send budget of the address exhausted");
                self.release_budgets(&spent).await;
                return Err(LoginError::SendLimitReached);
            }
            spent.push(ip_key);
        }
        Ok(spent)
    }

    async fn release_budgets(&self, keys: &[Counter]) {
        for key in keys {
            if let Err(e) = self.store.release(key).await {
                tracing::warn!(error = %e, "could not give back a send budget");
            }
        }
    }
}

pub(super) fn map_backend(e: BackendError) -> LoginError {
    match e {
        BackendError::RestartRequired => LoginError::CodeExpired,
        BackendError::TooManyAttempts => LoginError::FlowExpired,
        BackendError::RateLimited => LoginError::UpstreamRateLimited,
        BackendError::NotDeliverable(_) => LoginError::NotDeliverable,
        BackendError::Unavailable(detail) | BackendError::MaybeSent(detail) => {
            LoginError::Unavailable(detail)
        }
        BackendError::Misconfigured(detail) => LoginError::Misconfigured(detail),
    }
}
