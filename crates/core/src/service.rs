//! The login service: performs what the state machine decides, against storage and the OTP
//! backend. Every method is one step of DESIGN §2.

use crate::machine::{self, FlowView, Next, SecondFactor};
use crate::totp::{Authenticators, CheckError, RecoveryCode};
use crate::{
    AMR_WHATSAPP, BackendError, ChallengeRequest, LoginError, LoginPolicy, OtpBackend, OtpCode,
    PhoneNumber, PhonePolicy, Verdict,
};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::{
    Clock, Counter, FlowStage, LoginFlow, OtpChallenge, PendingAuthorization, Proof, Secret,
    SecretSource, Store, UnixTime, User, random_token,
};

const HOUR: Duration = Duration::from_secs(3600);
const MINUTE: Duration = Duration::from_secs(60);

/// The browser a request came from: its flow-binding values, address and CSRF proof.
#[derive(Debug, Clone, Copy)]
pub struct Browser<'a> {
    /// The binding of each login open in this browser (one per tab, newest first).
    pub bindings: &'a [String],
    pub ip: Option<IpAddr>,
    pub csrf: Csrf<'a>,
}

/// Whether a request must prove it came from our own page.
#[derive(Debug, Clone, Copy)]
pub enum Csrf<'a> {
    /// Safe requests, and JSON requests (a cross-site page cannot send them without a CORS
    /// preflight, which we never grant).
    NotNeeded,
    /// A form post, with the token the page carried (if any).
    Form(Option<&'a str>),
}

/// The answer to a phone or resend step.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSent {
    pub code_length: u8,
    pub expires_in: Duration,
    pub resend_in: Duration,
}

/// A person proved their number for a pending authorization.
#[derive(Debug, Clone)]
pub struct LoginSuccess {
    pub authorization: PendingAuthorization,
    pub user: User,
    /// RFC 8176 methods, `mfa` included when both kinds of factor were used.
    pub amr: Vec<String>,
    pub auth_time: UnixTime,
    /// Some factors came from this session (a step-up): the caller must find it still live
    /// in the browser, or the login does not count.
    pub step_up_of: Option<String>,
    /// The finished flow's browser binding (its digest): spent now.
    pub binding_hash: Option<String>,
}

/// Where a proven factor leads.
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    /// Everything the portal asked for is proven.
    Done(LoginSuccess),
    /// The WhatsApp code is proven; the authenticator code is needed too.
    NeedsAuthenticator,
    /// The authenticator is proven; the WhatsApp code for that number is needed too.
    NeedsWhatsApp,
    /// The portal needs both factors and this person has no authenticator. What was proven
    /// is reported (a session may remember it); the portal gets no code.
    AuthenticatorMissing(LoginSuccess),
    /// Every factor is proven; the person is asked whether the portal may have a code.
    NeedsConsent,
    /// The person chose to sign in with another number: the phone step.
    NeedsPhone,
    /// The person refused: the portal gets no code.
    Declined(PendingAuthorization),
}

/// How a flow begins.
#[derive(Debug, Clone, Default)]
pub struct FlowStart {
    /// How much the portal wants the authenticator as well as the WhatsApp code.
    pub second_factor: SecondFactor,
    /// The browser's live session: only what it has not proven is asked for.
    pub signed_in: Option<Carried>,
    /// Ask the person before the portal gets a code.
    pub consent: bool,
    /// Offer to continue as the session's person, or to use another number.
    pub select_account: bool,
}

/// What opening a flow led to.
#[derive(Debug)]
pub enum Begun {
    /// A flow waits for the person.
    Flow(LoginFlow),
    /// The browser's session already meets what the portal asked for (a preferred second
    /// factor the person does not have): nothing to ask.
    Done(LoginSuccess),
}

/// Where a flow starts.
enum Starting {
    At(FlowStage, Option<Proof>),
    Done(User, Proof),
}

/// What a live session proved.
#[derive(Debug, Clone)]
pub struct Carried {
    /// The session's id: the step-up completes only while it lives.
    pub sid: String,
    pub sub: String,
    pub amr: Vec<String>,
    pub auth_time: UnixTime,
}

pub struct LoginService {
    store: Arc<dyn Store>,
    backend: Arc<dyn OtpBackend>,
    policy: LoginPolicy,
    phones: PhonePolicy,
    clock: Arc<dyn Clock>,
    random: Arc<dyn SecretSource>,
    /// `None` when authenticator apps are switched off.
    authenticators: Option<Arc<Authenticators>>,
}

/// What a login that proved `proof` for `user` hands out.
/// `binding_hash`: of the flow that finished, if a flow was needed.
fn finished(
    authorization: PendingAuthorization,
    binding_hash: Option<String>,
    user: User,
    proof: Proof,
    now: UnixTime,
) -> LoginSuccess {
    LoginSuccess {
        authorization,
        user,
        amr: machine::reported_amr(&proof.amr),
        auth_time: proof.since.unwrap_or(now),
        step_up_of: proof.session,
        binding_hash,
    }
}

/// Browser-binding cookies are stored only as this digest.
pub fn binding_hash(binding: &str) -> String {
    hex::encode(Sha256::digest(binding.as_bytes()))
}

/// Flow ids are 32 base64url characters; anything else is not worth a storage lookup.
fn plausible_flow_id(id: &str) -> bool {
    id.len() == FLOW_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// 24 random bytes, base64url: 192 bits.
const FLOW_ID_BYTES: usize = 24;
const FLOW_ID_LEN: usize = 32;

impl LoginService {
    pub fn new(
        store: Arc<dyn Store>,
        backend: Arc<dyn OtpBackend>,
        policy: LoginPolicy,
        phones: PhonePolicy,
        clock: Arc<dyn Clock>,
        random: Arc<dyn SecretSource>,
    ) -> Self {
        LoginService {
            store,
            backend,
            policy,
            phones,
            clock,
            random,
            authenticators: None,
        }
    }

    /// Lets people use authenticator apps.
    pub fn with_authenticators(mut self, authenticators: Arc<Authenticators>) -> Self {
        self.authenticators = Some(authenticators);
        self
    }

    pub fn authenticators_enabled(&self) -> bool {
        self.authenticators.is_some()
    }

    pub fn policy(&self) -> &LoginPolicy {
        &self.policy
    }

    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// Opens a login flow for `authorization`, bound to the browser's `binding` secret.
    pub async fn begin(
        &self,
        authorization: PendingAuthorization,
        binding: &str,
        ip: Option<IpAddr>,
        start: FlowStart,
    ) -> Result<Begun, LoginError> {
        let now = self.clock.now();
        let (stage, proven) = match self.starting_point(&start).await? {
            Starting::At(stage, proven) => (stage, proven),
            Starting::Done(user, proof) => {
                return Ok(Begun::Done(finished(authorization, None, user, proof, now)));
            }
        };
        // Only flows count: they are what fills storage.
        if let Some(ip) = ip {
            let opened = self
                .store
                .increment(&Counter::FlowsFromAddress(ip), MINUTE)
                .await?;
            if opened > self.policy.flows_per_ip_per_minute {
                tracing::warn!(%ip, "too many logins opened from one address");
                return Err(LoginError::TooManyLogins);
            }
        }
        let flow = LoginFlow {
            id: random_token(self.random.as_ref(), FLOW_ID_BYTES),
            binding_hash: binding_hash(binding),
            csrf_token: Secret::new(random_token(self.random.as_ref(), 24)),
            authorization,
            stage,
            require_mfa: start.second_factor == SecondFactor::Required,
            prefer_mfa: start.second_factor == SecondFactor::Preferred,
            consent: start.consent,
            proven,
            created_at: now,
            expires_at: now.plus(self.policy.flow_ttl),
            revision: 0,
        };
        self.store.insert_flow(&flow, self.policy.flow_ttl).await?;
        Ok(Begun::Flow(flow))
    }

    /// Where a flow starts: at the phone; or, building on the browser's session, at the
    /// choice of account, at the missing factor, or at the consent.
    async fn starting_point(&self, start: &FlowStart) -> Result<Starting, LoginError> {
        let Some(carried) = &start.signed_in else {
            return Ok(Starting::At(FlowStage::Phone, None));
        };
        let Some(user) = self.store.get_user(&carried.sub).await? else {
            return Ok(Starting::At(FlowStage::Phone, None));
        };
        let proof = Proof {
            sub: user.sub.clone(),
            phone: user.phone.clone(),
            amr: carried.amr.clone(),
            since: Some(carried.auth_time),
            session: Some(carried.sid.clone()),
        };
        if start.select_account {
            return Ok(Starting::At(FlowStage::ChooseAccount, Some(proof)));
        }
        let has_app = self.can_use_authenticator(&user);
        Ok(
            match machine::next(start.second_factor, start.consent, has_app, &carried.amr) {
                Next::Done => Starting::Done(user, proof),
                Next::Consent => Starting::At(FlowStage::Consent, Some(proof)),
                Next::WhatsApp => Starting::At(FlowStage::Phone, Some(proof)),
                Next::Authenticator => Starting::At(FlowStage::Totp, Some(proof)),
                Next::AuthenticatorMissing => return Err(LoginError::AuthenticatorRequired),
            },
        )
    }

    fn can_use_authenticator(&self, user: &User) -> bool {
        self.authenticators.is_some() && user.totp.is_some()
    }

    /// The live flow `id`, if this browser started it.
    pub async fn flow(&self, id: &str, browser: &Browser<'_>) -> Result<LoginFlow, LoginError> {
        if !plausible_flow_id(id) {
            return Err(LoginError::FlowExpired);
        }
        let flow = self
            .store
            .get_flow(id)
            .await?
            .ok_or(LoginError::FlowExpired)?;
        machine::ensure_alive(&flow, self.clock.now())?;
        let ours = browser
            .bindings
            .iter()
            .any(|b| Secret::new(binding_hash(b)).ct_eq(&flow.binding_hash));
        if !ours {
            return Err(LoginError::WrongBrowser);
        }
        if let Csrf::Form(token) = browser.csrf
            && !token.is_some_and(|t| flow.csrf_token.ct_eq(t))
        {
            return Err(LoginError::CsrfMismatch);
        }
        Ok(flow)
    }

    pub fn view(&self, flow: &LoginFlow) -> FlowView {
        machine::view(flow, self.clock.now(), &self.policy)
    }

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
        let attempts_left = self.attempt(&flow).await?;
        let challenge = self
            .store
            .get_challenge(&flow.id)
            .await?
            .ok_or(LoginError::CodeExpired)?;

        match self.backend.verify(&challenge, &code).await {
            Ok(Verdict::Accepted) => {
                // Exactly one of several parallel correct answers gets past this.
                if self.store.take_challenge(&flow.id).await?.is_none() {
                    return Err(LoginError::FlowExpired);
                }
                let user = self.find_or_create_user(&challenge.phone, now).await?;
                self.proved(flow, user, Some(AMR_WHATSAPP), now).await
            }
            Ok(Verdict::Rejected { replacement_state }) => {
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
                Err(LoginError::WrongCode { attempts_left })
            }
            Err(BackendError::TooManyAttempts) => {
                self.kill(&flow.id).await?;
                Err(LoginError::FlowExpired)
            }
            Err(e) => {
                tracing::error!(backend = self.backend.name(), error = %e, "could not check a code");
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
        let number = self.authenticator_number(&flow, phone)?;
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
                if attempts_left == 0 {
                    self.kill(&flow.id).await?;
                }
                Err(LoginError::WrongCode { attempts_left })
            }
        }
    }

    /// The number an authenticator code is checked for: the proven one after a first factor,
    /// else the one typed with it.
    fn authenticator_number(
        &self,
        flow: &LoginFlow,
        typed: Option<&str>,
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
                let phone = self.phones.parse(typed.ok_or(LoginError::PhoneRequired)?)?;
                machine::check_number(flow, &phone)?;
                Ok(phone.e164().to_owned())
            }
        }
    }

    /// A factor (`method`) is proven for `user` (or, with `None`, the person chose to go on
    /// with what the flow already holds): finish, or go on to what the portal still needs.
    async fn proved(
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
                    let success = finished(
                        flow.authorization,
                        Some(flow.binding_hash),
                        user,
                        proof,
                        now,
                    );
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
            flow.authorization,
            Some(flow.binding_hash),
            user,
            proof,
            self.clock.now(),
        )))
    }

    /// Consumes the flow (and any challenge left in it); of parallel finishers one gets it.
    async fn finish(&self, flow_id: &str) -> Result<LoginFlow, LoginError> {
        self.store.take_challenge(flow_id).await?;
        self.store
            .take_flow(flow_id)
            .await?
            .ok_or(LoginError::FlowExpired)
    }

    async fn find_or_create_user(&self, phone: &str, now: UnixTime) -> Result<User, LoginError> {
        if let Some(user) = self.store.find_user_by_phone(phone).await? {
            return Ok(user);
        }
        let user = User::new(
            random_token(self.random.as_ref(), 16),
            phone.to_owned(),
            now,
        );
        Ok(self.store.create_user(&user).await?)
    }

    /// Ends a flow for good (too many wrong codes).
    async fn kill(&self, flow_id: &str) -> Result<(), LoginError> {
        self.store.take_challenge(flow_id).await?;
        self.store.take_flow(flow_id).await?;
        Ok(())
    }
}

fn map_backend(e: BackendError) -> LoginError {
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
