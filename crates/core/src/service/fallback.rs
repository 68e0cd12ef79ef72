//! The same code, the other way: when the first channel reported a failure, or when no
//! delivery report came in time and the person asks. (A number the first channel refuses at
//! once goes the other way inside the backend, in the same send.) Every fallback send counts
//! against the same budgets as any send, and a code goes the other way at most once.

use super::{Browser, CodeSent, LoginService};
use crate::delivery::FallbackReason;
use crate::machine;
use crate::{ChallengeRequest, LoginError};
use std::net::IpAddr;
use wagate_storage::{LoginFlow, MessageStatus};

impl LoginService {
    /// The person asks for the code by the fallback channel.
    pub async fn send_by_fallback(
        &self,
        id: &str,
        browser: &Browser<'_>,
    ) -> Result<CodeSent, LoginError> {
        let flow = self.flow(id, browser).await?;
        let offer = self
            .backend
            .fallback()
            .ok_or(LoginError::FallbackUnavailable)?;
        let now = self.clock.now();
        let via = machine::may_fall_back(&flow, now, &self.policy)?;
        match self.reported(via).await {
            MessageStatus::Delivered | MessageStatus::Read => {
                return Err(LoginError::FallbackUnavailable);
            }
            MessageStatus::Failed => {}
            MessageStatus::Sent => {
                let ready_at = via.sent_at.plus(offer.after);
                if now < ready_at {
                    return Err(LoginError::ResendTooSoon {
                        retry_in: now.until(ready_at),
                    });
                }
            }
        }
        let sender = (browser.ip, browser.languages);
        self.fall_back(flow, sender, FallbackReason::Requested)
            .await
    }

    /// The channel reported that message `message_id` of flow `flow_id` failed: its code goes
    /// the other way, if it is still the flow's current one and still valid.
    pub async fn fall_back_after_failure(
        &self,
        flow_id: &str,
        message_id: &str,
    ) -> Result<(), LoginError> {
        let Some(flow) = self.store.get_flow(flow_id).await? else {
            return Ok(());
        };
        let now = self.clock.now();
        machine::ensure_alive(&flow, now)?;
        let via = match machine::may_fall_back(&flow, now, &self.policy) {
            Ok(via) => via,
            // It went the other way already (a repeated report, or the person asked).
            Err(LoginError::FallbackUnavailable) => return Ok(()),
            Err(e) => return Err(e),
        };
        if via.message_id != message_id {
            // A report about an earlier code of this login.
            return Ok(());
        }
        self.fall_back(flow, (None, &[]), FallbackReason::Failed)
            .await
            .map(|_| ())
    }

    /// Sends the flow's live code by the fallback channel. `(ip, languages)`: the person's,
    /// when they asked.
    async fn fall_back(
        &self,
        flow: LoginFlow,
        (ip, languages): (Option<IpAddr>, &[String]),
        reason: FallbackReason,
    ) -> Result<CodeSent, LoginError> {
        let offer = self
            .backend
            .fallback()
            .ok_or(LoginError::FallbackUnavailable)?;
        let now = self.clock.now();
        let (number, _) = machine::awaiting_code(&flow, now)?;
        let phone = self
            .phones
            .parse(number)
            .map_err(|_| LoginError::WrongStep)?;
        let Some(challenge) = self.store.get_challenge(&flow.id).await? else {
            return Err(LoginError::CodeExpired);
        };
        let spent = self.spend_budgets(&phone, ip).await?;
        let claimed = machine::claim_fallback(&flow, &offer);
        if !self.store.update_flow(&claimed).await? {
            self.release_budgets(&spent).await;
            return Err(LoginError::Conflict);
        }
        let locales = self.locales(&flow, languages);
        let request = ChallengeRequest {
            flow_id: &flow.id,
            phone: &phone,
            locales: &locales,
        };
        let expires_in = now.until(challenge.expires_at);
        let dispatch = match self
            .backend
            .send_fallback(&request, &challenge, expires_in)
            .await
        {
            Ok(dispatch) => dispatch,
            Err(e) => return Err(self.send_failed(e, (&claimed, &flow), &spent).await),
        };
        self.observer.fallback(reason);
        tracing::info!(phone = %phone.masked(), reason = reason.as_str(), channel = dispatch.channel, "the code went by the fallback channel");
        let sent = machine::fell_back(&claimed, &dispatch, now);
        if !self.store.update_flow(&sent).await? {
            return Err(LoginError::Conflict);
        }
        self.await_receipts(&sent).await;
        self.code_sent(&sent, false).await
    }
}
