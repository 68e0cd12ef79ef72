//! The login service: performs what the state machine decides, against storage and the OTP
//! backend. Every method is one step of DESIGN §2.

use crate::delivery::{DeliveryObserver, Unobserved};
use crate::events::{EventType, Events, SecurityEvent};
use crate::guard::SendGuard;
use crate::machine::{self, DeliveryView};
use crate::totp::Authenticators;
use crate::{LoginError, LoginPolicy, OtpBackend, PhonePolicy};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use wagate_oidc::{LiveSession, MfaDemand};
use wagate_storage::{
    Clock, FlowPurpose, FlowTrace, LoginFlow, PendingAuthorization, Secret, SecretSource, Store,
    UnixTime, User, random_token,
};

/// The browser a request came from: its flow-binding values, address and CSRF proof.
#[derive(Debug, Clone, Copy)]
pub struct Browser<'a> {
    /// The binding of each login open in this browser (one per tab, newest first).
    pub bindings: &'a [String],
    pub ip: Option<IpAddr>,
    pub csrf: Csrf<'a>,
    /// The browser's languages (`Accept-Language`), most wanted first.
    pub languages: &'a [String],
    /// The country the person picked for the number they typed (ISO 3166-1 alpha-2).
    pub region: Option<&'a str>,
    /// A solved sending challenge the request carried (ALTCHA's payload), if any.
    pub solution: Option<&'a str>,
}

impl Browser<'_> {
    /// Whether this browser holds the binding whose digest is `digest` (compared in constant
    /// time): it started that login.
    pub fn started(&self, digest: &str) -> bool {
        self.bindings
            .iter()
            .any(|b| Secret::new(binding_hash(b)).ct_eq(digest))
    }
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

impl Csrf<'_> {
    /// Whether the request may act where `expected` is the page's token: the one CSRF check,
    /// constant time.
    pub fn allows(&self, expected: &Secret) -> bool {
        match self {
            Csrf::NotNeeded => true,
            Csrf::Form(token) => token.is_some_and(|t| expected.ct_eq(t)),
        }
    }
}

/// The answer to a phone or resend step.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSent {
    pub code_length: u8,
    pub expires_in: Duration,
    pub resend_in: Duration,
    /// Where the code went and what the channel said of it so far.
    pub delivery: DeliveryView,
    /// False when the code already sent went again another way: it is still the one to type.
    pub new_code: bool,
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
    pub purpose: FlowPurpose,
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
    pub second_factor: MfaDemand,
    /// The browser's live session: only what it has not proven is asked for.
    pub signed_in: Option<LiveSession>,
    /// Ask the person before the portal gets a code.
    pub consent: bool,
    /// Offer to continue as the session's person, or to use another number.
    pub select_account: bool,
    /// What the login signs the person in to.
    pub purpose: FlowPurpose,
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

pub struct LoginService {
    store: Arc<dyn Store>,
    backend: Arc<dyn OtpBackend>,
    policy: LoginPolicy,
    phones: PhonePolicy,
    clock: Arc<dyn Clock>,
    random: Arc<dyn SecretSource>,
    /// `None` when authenticator apps are switched off.
    authenticators: Option<Arc<Authenticators>>,
    observer: Arc<dyn DeliveryObserver>,
    /// The rules against costly abuse; none in tools and unit tests.
    guard: Option<SendGuard>,
    /// Where security events go; none in tools and unit tests.
    events: Option<Arc<Events>>,
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

/// The window of the hourly budgets.
const HOUR: Duration = Duration::from_secs(3600);

mod begin;
mod check;
mod delivery;
mod fallback;
mod finish;
mod number_change;
mod receipts;
mod send;

pub use number_change::NumberCodeSent;
pub use receipts::FallbackDue;

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
            observer: Arc::new(Unobserved),
            guard: None,
            events: None,
        }
    }

    /// Checks every send against the rules that keep message costs from being abused.
    pub fn with_guard(mut self, guard: SendGuard) -> Self {
        self.guard = Some(guard);
        self
    }

    pub fn with_events(mut self, events: Arc<Events>) -> Self {
        self.events = Some(events);
        self
    }

    pub(super) async fn report(&self, event: SecurityEvent) {
        if let Some(events) = &self.events {
            events.emit(event).await;
        }
    }

    /// `login.failed` for a login of `flow`.
    pub(super) async fn login_failed(
        &self,
        flow: &LoginFlow,
        phone: Option<&str>,
        sub: Option<&str>,
        reason: &str,
    ) {
        let mut event = SecurityEvent::new(EventType::LoginFailed)
            .with("reason", reason)
            .with("client_id", flow.authorization.client_id.as_str());
        if let Some(phone) = phone {
            event = event.phone(phone);
        }
        if let Some(sub) = sub {
            event = event.subject(sub);
        }
        self.report(event).await;
    }

    /// The backend for `e164`: test numbers have their own, which sends nothing.
    fn backend_for(&self, e164: &str) -> &dyn OtpBackend {
        match &self.guard {
            Some(g) if g.test_numbers().contains(e164) => g.test_numbers().as_ref(),
            _ => self.backend.as_ref(),
        }
    }

    /// Reports delivery to the operator's metrics.
    pub fn with_observer(mut self, observer: Arc<dyn DeliveryObserver>) -> Self {
        self.observer = observer;
        self
    }

    /// Lets people use authenticator apps.
    pub fn with_authenticators(mut self, authenticators: Arc<Authenticators>) -> Self {
        self.authenticators = Some(authenticators);
        self
    }

    pub fn authenticators_enabled(&self) -> bool {
        self.authenticators.is_some()
    }

    pub fn now(&self) -> UnixTime {
        self.clock.now()
    }

    pub fn policy(&self) -> &LoginPolicy {
        &self.policy
    }

    /// How numbers are read here, and which countries may sign in.
    pub fn phones(&self) -> &PhonePolicy {
        &self.phones
    }

    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
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
        if !browser.started(&flow.binding_hash) {
            return Err(LoginError::WrongBrowser);
        }
        if !browser.csrf.allows(&flow.csrf_token) {
            return Err(LoginError::CsrfMismatch);
        }
        Ok(flow)
    }

    /// What the ended flow `id` was for, when this browser started it.
    pub async fn trace(&self, id: &str, browser: &Browser<'_>) -> Option<FlowTrace> {
        if !plausible_flow_id(id) {
            return None;
        }
        let trace = self.store.get_flow_trace(id).await.ok().flatten()?;
        browser.started(&trace.binding_hash).then_some(trace)
    }

    /// Consumes the flow (and any challenge left in it); of parallel finishers one gets it.
    async fn finish(&self, flow_id: &str) -> Result<LoginFlow, LoginError> {
        self.take(flow_id).await?.ok_or(LoginError::FlowExpired)
    }

    /// Takes the flow and its challenge together (one round trip); the flow, if it was there.
    async fn take(&self, flow_id: &str) -> Result<Option<LoginFlow>, LoginError> {
        let (_, flow) = futures_util::future::try_join(
            self.store.take_challenge(flow_id),
            self.store.take_flow(flow_id),
        )
        .await?;
        Ok(flow)
    }

    /// The person `found` with the proven number `phone`, or a new one.
    async fn known_or_new_user(
        &self,
        found: Option<User>,
        phone: &str,
        now: UnixTime,
    ) -> Result<User, LoginError> {
        if let Some(user) = found {
            return Ok(user);
        }
        let user = User::new(
            random_token(self.random.as_ref(), 16),
            phone.to_owned(),
            now,
        );
        let owner = self.store.create_user(&user).await?;
        if owner.sub == user.sub {
            self.report(
                SecurityEvent::new(EventType::UserCreated)
                    .subject(&owner.sub)
                    .phone(&owner.phone),
            )
            .await;
        }
        Ok(owner)
    }

    /// Ends a flow for good (too many wrong codes).
    async fn kill(&self, flow_id: &str) -> Result<(), LoginError> {
        self.take(flow_id).await.map(drop)
    }
}
