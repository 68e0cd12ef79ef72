//! Sending codes: the phone step, resends, and the budgets every send spends.

use super::{Browser, CodeSent, HOUR, LoginService};
use crate::events::{EventType, SecurityEvent};
use crate::machine;
use crate::{BackendError, ChallengeRequest, LoginError, PhoneNumber, Started};
use std::net::IpAddr;
use wagate_storage::{Counter, FlowStage, LoginFlow, OtpChallenge, SentMessage, UnixTime};

impl LoginService {
    /// Phone step: parse the number and send a code to it.
    pub async fn submit_phone(
        &self,
        id: &str,
        browser: &Browser<'_>,
        input: &str,
    ) -> Result<CodeSent, LoginError> {
        let flow = self.flow(id, browser).await?;
        let phone = self.phones.parse_in(input, browser.region)?;
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
        let spent = self.admit(&phone, browser).await?;

        let claimed = machine::claim_send(&flow, &phone, now, &self.policy);
        if !self.store.update_flow(&claimed).await? {
            self.release_budgets(&spent).await;
            return Err(LoginError::Conflict);
        }
        let locales = self.locales(&flow, browser.languages);
        let request = ChallengeRequest {
            flow_id: &flow.id,
            phone: &phone,
            locales: &locales,
        };
        let started = match self.backend_for(phone.e164()).start(&request).await {
            Ok(started) => started,
            Err(e) => return Err(self.send_failed(e, (&claimed, &flow), &spent).await),
        };
        let sent = machine::code_sent(&claimed, &started, now);
        // The challenge and the flow that awaits it are written together (one round trip). If
        // the flow moved on meanwhile, its update is refused and a code for it is refused too
        // (it no longer awaits one), so the kept challenge is of no use to anyone.
        let (kept, updated) = futures_util::future::join(
            self.keep_challenge(&flow.id, &started, &phone, now),
            self.store.update_flow(&sent),
        )
        .await;
        kept?;
        if !updated? {
            return Err(LoginError::Conflict);
        }
        self.await_receipts(&sent).await;
        let channel = match &sent.stage {
            FlowStage::Code { via: Some(via), .. } => via.channel.clone(),
            _ => self.backend_for(phone.e164()).name().to_owned(),
        };
        self.report(
            SecurityEvent::new(EventType::CodeSent)
                .phone(phone.e164())
                .with("channel", channel)
                .with("region", phone.region())
                .with("client_id", flow.authorization.client_id.as_str()),
        )
        .await;
        self.code_sent(&sent, true).await
    }

    /// A send that failed: logged, and given back (budgets, the flow's count and cooldown)
    /// only when it certainly never left wagate. One that may have gone out (a timeout, an
    /// error answer) counts like any send, or a slow gateway would make sends free; the
    /// claimed flow already counts it.
    pub(super) async fn send_failed(
        &self,
        e: BackendError,
        (claimed, before): (&LoginFlow, &LoginFlow),
        spent: &[Counter],
    ) -> LoginError {
        tracing::error!(backend = self.backend.name(), error = %e, "could not start a challenge");
        if !matches!(e, BackendError::MaybeSent(_)) {
            // Best effort: if this fails the person waits for the cooldown, no worse.
            let _ = self
                .store
                .update_flow(&machine::send_failed(claimed, before))
                .await;
            // The channel's own refusals still cost the address: each answer tells whether a
            // number is on WhatsApp, and numbers that get throttled spend the business's
            // throughput, so one address must not ask about numbers without limit.
            let probe = matches!(
                e,
                BackendError::NotDeliverable(_) | BackendError::RateLimited { .. }
            );
            // The number's budget comes first (safe-listed and test numbers spend none).
            let given_back = if probe {
                &spent[..spent.len().min(1)]
            } else {
                spent
            };
            self.release_budgets(given_back).await;
        }
        map_backend(e)
    }

    /// Keeps what checks the code `started` sent to `phone`, under `key`, while it lives.
    pub(super) async fn keep_challenge(
        &self,
        key: &str,
        started: &Started,
        phone: &PhoneNumber,
        now: UnixTime,
    ) -> Result<(), LoginError> {
        let challenge = OtpChallenge {
            backend_state: started.state.clone(),
            phone: phone.e164().to_owned(),
            region: Some(phone.region().to_owned()),
            channel: started.dispatch.as_ref().map(|d| d.channel.to_owned()),
            created_at: now,
            expires_at: now.plus(started.expires_in),
        };
        self.store
            .put_challenge(key, &challenge, started.expires_in)
            .await?;
        Ok(())
    }

    /// Keeps the message of a code whose channel reports delivery, so that a report that
    /// reaches any instance finds its login. Written after the flow names the message, so a
    /// report never finds a login that does not know it yet. Best effort: the code went out
    /// either way, and without reports the page shows it as sent.
    pub(super) async fn await_receipts(&self, flow: &LoginFlow) {
        let FlowStage::Code {
            via: Some(via),
            code_expires_at,
            ..
        } = &flow.stage
        else {
            return;
        };
        if !via.receipts {
            return;
        }
        let message = SentMessage {
            flow_id: flow.id.clone(),
            channel: via.channel.clone(),
            sent_at: via.sent_at,
        };
        // Reports are of use while the code is: then the login is over either way.
        let ttl = via.sent_at.until(*code_expires_at).max(HOUR / 60);
        if let Err(e) = self.store.put_message(&via.message_id, &message, ttl).await {
            tracing::warn!(error = %e, "the message's delivery reports will not be followed");
        }
    }

    /// The person's languages: what the portal asked for (`ui_locales`), then the browser's.
    pub(super) fn locales(&self, flow: &LoginFlow, browser: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for tag in flow.authorization.ui_locales.iter().chain(browser) {
            if !out.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                out.push(tag.clone());
            }
        }
        out
    }

    /// Lets the send through the rules against abuse, then the number's and the address's
    /// budgets; returns the counters it spent, to give back if the send does not happen.
    /// Safe-listed and test numbers spend nothing.
    pub(super) async fn admit(
        &self,
        phone: &PhoneNumber,
        browser: &Browser<'_>,
    ) -> Result<Vec<Counter>, LoginError> {
        let Some(guard) = &self.guard else {
            return self.spend_budgets(phone, browser.ip).await;
        };
        if guard.exempt(phone.e164()) {
            return Ok(Vec::new());
        }
        // The rules and the budgets are counted side by side (each gives back its own when it
        // refuses), so the rules add no round trip to the send.
        let (rules, budgets) = futures_util::future::join(
            guard.admit(phone, (browser.solution, browser.ip)),
            self.spend_budgets(phone, browser.ip),
        )
        .await;
        match (rules, budgets) {
            (Ok(mut spent), Ok(mut all)) => {
                // The budgets first: a refused send gives back the address's budget last.
                all.append(&mut spent);
                Ok(all)
            }
            (Ok(given_back), Err(e)) | (Err(e), Ok(given_back)) => {
                self.release_budgets(&given_back).await;
                Err(e)
            }
            (Err(e), Err(_)) => Err(e),
        }
    }

    /// Counts this send against the number's and the address's hourly budgets; returns the
    /// counters it spent, to give back if the send does not happen.
    pub(super) async fn spend_budgets(
        &self,
        phone: &PhoneNumber,
        ip: Option<IpAddr>,
    ) -> Result<Vec<Counter>, LoginError> {
        let number_key = Counter::SendsToNumber(phone.e164().to_owned());
        let ip_key = ip.map(Counter::SendsFromAddress);
        // Both budgets are counted at once (one round trip); whatever one refusal leaves
        // spent is given back.
        let address = async {
            match &ip_key {
                Some(key) => self.store.increment(key, HOUR).await.map(Some),
                None => Ok(None),
            }
        };
        let (number, address) =
            futures_util::future::join(self.store.increment(&number_key, HOUR), address).await;
        let mut spent = Vec::new();
        if number.is_ok() {
            spent.push(number_key);
        }
        if let (Ok(Some(_)), Some(key)) = (&address, ip_key) {
            spent.push(key);
        }
        let refused = match (number, address) {
            (Err(e), _) | (_, Err(e)) => Some(LoginError::from(e)),
            (Ok(n), _) if n > self.policy.sends_per_number_per_hour => {
                tracing::warn!(phone = %phone.masked(), "hourly send budget of the number exhausted");
                Some(LoginError::SendLimitReached)
            }
            (_, Ok(Some(n))) if n > self.policy.sends_per_ip_per_hour => {
                if let Some(ip) = ip {
                    tracing::warn!(%ip, "hourly send budget of the address exhausted");
                }
                Some(LoginError::SendLimitReached)
            }
            _ => None,
        };
        match refused {
            Some(e) => {
                self.release_budgets(&spent).await;
                Err(e)
            }
            None => Ok(spent),
        }
    }

    pub(super) async fn release_budgets(&self, keys: &[Counter]) {
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
        BackendError::RateLimited { retry_in } => LoginError::UpstreamRateLimited { retry_in },
        BackendError::NotDeliverable(_) => LoginError::NotDeliverable,
        BackendError::Unavailable(detail) | BackendError::MaybeSent(detail) => {
            LoginError::Unavailable(detail)
        }
        BackendError::Misconfigured(detail) => LoginError::Misconfigured(detail),
    }
}
