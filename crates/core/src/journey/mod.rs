//! The one way through a login. Every step of a portal's login, a step-up and the account
//! page's own sign-in goes through here: the login service checks what the person gives, and
//! the journey decides what follows (the next screen, a session and a code at the provider,
//! the account page, an error for the portal). Handlers parse a request, call one method and
//! present what it answers; they decide nothing.

mod finish;

use crate::delivery::whatsapp::StatusReport;
use crate::{
    Begun, Browser, CodeSent, Csrf, FallbackDue, FlowStart, FlowView, LoginError, LoginOutcome,
    LoginService,
};
use std::net::IpAddr;
use std::sync::Arc;
use wagate_oidc::{LoginNeeded, Provider, SessionOpened};
use wagate_storage::{FlowPurpose, LoginFlow, PendingAuthorization, Secret};

/// The client id of the flows that sign a person in to the account page. The configuration
/// refuses it as a portal's id.
pub const ACCOUNT_CLIENT_ID: &str = "wagate:account";

/// A flow's current step, as a page or an app draws it.
#[derive(Debug, Clone)]
pub struct Screen {
    pub flow_id: String,
    pub view: FlowView,
    /// The portal the person signs in to (its logo, on the pages).
    pub client_id: String,
    /// Who the person signs in to, in words.
    pub client_name: String,
    /// Echoed by the hosted forms.
    pub csrf: Secret,
    /// The languages the portal asked for (`ui_locales`), most wanted first.
    pub ui_locales: Vec<String>,
}

/// What a step led to.
#[derive(Debug)]
pub enum Answer {
    /// A code went out.
    Sent(CodeSent),
    /// The login goes on at another step. `factor`: the next step asks for another factor.
    Continue { screen: Screen, factor: bool },
    /// The login is over.
    Finished(Finished),
}

/// How a login ended.
#[derive(Debug)]
pub enum Finished {
    /// Go to the portal with its code (or to the account page). `session`: set when a session
    /// was opened or renewed; `spent_binding`: the digest of the browser binding the login used.
    SignedIn {
        to: String,
        session: Option<SessionOpened>,
        spent_binding: Option<String>,
    },
    /// The portal demands an authenticator the person does not have: what they proved may
    /// have opened a session (so the account page can add one); the portal is told at
    /// `to_portal`.
    AuthenticatorMissing {
        client_name: String,
        to_portal: String,
        session: Option<SessionOpened>,
        spent_binding: Option<String>,
        /// The languages the portal asked for.
        ui_locales: Vec<String>,
    },
    /// The person refused: the portal gets `access_denied` at `to`.
    Declined { to: String },
    /// The login could not be opened (too many from this network, storage down): the portal
    /// is told at `to`, as RFC 6749 §4.1.2.1 asks.
    NotOpened { to: String },
}

/// A step that could not be taken, with the flow's screen when the flow is still there to
/// draw again (not after a storage failure, which a second read would only repeat).
#[derive(Debug)]
pub struct Refused {
    pub error: LoginError,
    pub screen: Option<Screen>,
    /// When the login has ended in this browser: how to start it again or go back.
    pub ways_out: Option<WaysOut>,
}

/// The way on from a login that ended before it finished.
#[derive(Debug, Clone)]
pub struct WaysOut {
    /// The same authorization request, anew.
    pub start_again: String,
    /// To the portal, which hears `access_denied` (with its `state` and `iss`).
    pub back: String,
    /// The portal, in words.
    pub client_name: String,
    /// The languages the portal asked for.
    pub ui_locales: Vec<String>,
}

/// What became of a batch of delivery reports.
#[derive(Debug, Default)]
pub struct Reports {
    /// Codes to send by the fallback channel.
    pub fallbacks: Vec<FallbackDue>,
    /// Some report could not be recorded.
    pub incomplete: bool,
}

/// How `/authorize` (or the account page) starts a login.
#[derive(Debug)]
pub enum Opened {
    /// A flow waits for the person at `/login/{id}`.
    Flow { id: String },
    /// Nothing to ask (the session meets what the portal wants).
    Finished(Finished),
}

pub struct Journey {
    login: LoginService,
    provider: Arc<Provider>,
}

impl Journey {
    pub fn new(login: LoginService, provider: Arc<Provider>) -> Self {
        Journey { login, provider }
    }

    /// How numbers are read here, and which countries may sign in.
    /// The login service, for what a signed-in person proves outside a login (a new number).
    pub fn login(&self) -> &LoginService {
        &self.login
    }

    pub fn phones(&self) -> &crate::PhonePolicy {
        self.login.phones()
    }

    /// A portal's login: what `/authorize` found missing. A login that cannot be opened is
    /// told to the portal.
    pub async fn start(
        &self,
        needed: LoginNeeded,
        binding: &str,
        ip: Option<IpAddr>,
        session_cookie: Option<&str>,
    ) -> Opened {
        let LoginNeeded {
            pending,
            mfa,
            session,
            consent,
            select_account,
        } = needed;
        let start = FlowStart {
            second_factor: mfa,
            signed_in: session,
            consent,
            select_account,
            purpose: FlowPurpose::Portal,
        };
        let opened = self
            .begin(pending.clone(), binding, ip, start, session_cookie)
            .await;
        opened.unwrap_or_else(|e| Opened::Finished(self.not_opened(&pending, e)))
    }

    /// A sign-in for the account page itself: always a fresh login.
    pub async fn start_account_sign_in(
        &self,
        binding: &str,
        ip: Option<IpAddr>,
    ) -> Result<Opened, LoginError> {
        let pending = PendingAuthorization {
            client_id: ACCOUNT_CLIENT_ID.into(),
            redirect_uri: format!("{}/account", self.provider.issuer()),
            scopes: vec!["openid".into()],
            state: None,
            nonce: None,
            code_challenge: None,
            prompt: vec!["login".into()],
            max_age: None,
            login_hint: None,
            acr_values: vec![],
            acr_essential: vec![],
            requested_at: self.login.now(),
            ui_locales: Vec::new(),
        };
        let start = FlowStart {
            purpose: FlowPurpose::Account,
            ..FlowStart::default()
        };
        self.begin(pending, binding, ip, start, None).await
    }

    async fn begin(
        &self,
        pending: PendingAuthorization,
        binding: &str,
        ip: Option<IpAddr>,
        start: FlowStart,
        session_cookie: Option<&str>,
    ) -> Result<Opened, LoginError> {
        let purpose = start.purpose;
        match self.login.begin(pending.clone(), binding, ip, start).await {
            Ok(Begun::Flow(flow)) => Ok(Opened::Flow { id: flow.id }),
            Ok(Begun::Done(success)) => Ok(Opened::Finished(
                self.complete(&success, session_cookie).await?,
            )),
            // A session short of a demanded authenticator, for a person who has none.
            Err(LoginError::AuthenticatorRequired) => {
                Ok(Opened::Finished(Finished::AuthenticatorMissing {
                    client_name: self.client_name(purpose, &pending.client_id),
                    to_portal: self.unmet(&pending),
                    session: None,
                    spent_binding: None,
                    ui_locales: pending.ui_locales.clone(),
                }))
            }
            Err(e) => Err(e),
        }
    }

    /// The flow's current step.
    pub async fn show(&self, id: &str, browser: &Browser<'_>) -> Result<Screen, Refused> {
        match self.login.flow(id, browser).await {
            Ok(flow) => Ok(self.screen(&flow).await),
            Err(e) => Err(self.refused(id, browser, e).await),
        }
    }

    /// The phone step: a code to `phone`.
    pub async fn phone(
        &self,
        id: &str,
        browser: &Browser<'_>,
        phone: &str,
    ) -> Result<Answer, Refused> {
        match self.login.submit_phone(id, browser, phone).await {
            Ok(sent) => Ok(Answer::Sent(sent)),
            Err(e) => Err(self.refused(id, browser, e).await),
        }
    }

    /// Another code to the number of the code step.
    pub async fn resend(&self, id: &str, browser: &Browser<'_>) -> Result<Answer, Refused> {
        match self.login.resend(id, browser).await {
            Ok(sent) => Ok(Answer::Sent(sent)),
            Err(e) => Err(self.refused(id, browser, e).await),
        }
    }

    /// The same code, by the fallback channel.
    pub async fn fallback(&self, id: &str, browser: &Browser<'_>) -> Result<Answer, Refused> {
        match self.login.send_by_fallback(id, browser).await {
            Ok(sent) => Ok(Answer::Sent(sent)),
            Err(e) => Err(self.refused(id, browser, e).await),
        }
    }

    /// Delivery reports from a channel (any instance may get them), each recorded. Answers
    /// the logins whose code should now go the other way, which the caller sends after
    /// answering the channel, and whether a report could not be recorded (the channel should
    /// send again).
    pub async fn delivery_reports(&self, reports: &[StatusReport]) -> Reports {
        let mut recorded = Reports::default();
        for report in reports {
            match self.login.receive_status(report).await {
                Ok(Some(due)) => recorded.fallbacks.push(due),
                Ok(None) => {}
                Err(e) => {
                    tracing::error!(error = %e, "a delivery report could not be recorded");
                    recorded.incomplete = true;
                }
            }
        }
        recorded
    }

    /// Sends a failed message's code the other way (see [`delivery_report`](Self::delivery_report)).
    pub async fn fall_back(&self, due: &FallbackDue) -> Result<(), LoginError> {
        self.login
            .fall_back_after_failure(&due.flow_id, &due.message_id)
            .await
    }

    /// The WhatsApp code.
    pub async fn code(
        &self,
        id: &str,
        browser: &Browser<'_>,
        code: &str,
        session_cookie: Option<&str>,
    ) -> Result<Answer, Refused> {
        let proved = self.login.submit_code(id, browser, code).await;
        self.after(id, browser, proved, session_cookie).await
    }

    /// The authenticator's code (or a recovery code), with `phone` when it is the first factor.
    pub async fn totp(
        &self,
        id: &str,
        browser: &Browser<'_>,
        (phone, code): (Option<&str>, &str),
        session_cookie: Option<&str>,
    ) -> Result<Answer, Refused> {
        let proved = self.login.submit_totp(id, browser, phone, code).await;
        self.after(id, browser, proved, session_cookie).await
    }

    /// `prompt=select_account`: continue as the session's person, or `other` number.
    pub async fn choose_account(
        &self,
        id: &str,
        browser: &Browser<'_>,
        other: bool,
        session_cookie: Option<&str>,
    ) -> Result<Answer, Refused> {
        let chosen = self.login.choose_account(id, browser, other).await;
        self.after(id, browser, chosen, session_cookie).await
    }

    /// `prompt=consent`: the person `allow`s the portal its code, or not.
    pub async fn consent(
        &self,
        id: &str,
        browser: &Browser<'_>,
        allow: bool,
        session_cookie: Option<&str>,
    ) -> Result<Answer, Refused> {
        let decided = self.login.consent(id, browser, allow).await;
        self.after(id, browser, decided, session_cookie).await
    }

    /// Where a step's outcome leads.
    async fn after(
        &self,
        id: &str,
        browser: &Browser<'_>,
        outcome: Result<LoginOutcome, LoginError>,
        session_cookie: Option<&str>,
    ) -> Result<Answer, Refused> {
        let factor = matches!(
            outcome,
            Ok(LoginOutcome::NeedsAuthenticator | LoginOutcome::NeedsWhatsApp)
        );
        let finished = match outcome {
            Err(e) => return Err(self.refused(id, browser, e).await),
            Ok(
                LoginOutcome::NeedsAuthenticator
                | LoginOutcome::NeedsWhatsApp
                | LoginOutcome::NeedsConsent
                | LoginOutcome::NeedsPhone,
            ) => {
                let screen = self
                    .show(
                        id,
                        &Browser {
                            csrf: Csrf::NotNeeded,
                            ..*browser
                        },
                    )
                    .await?;
                return Ok(Answer::Continue { screen, factor });
            }
            Ok(LoginOutcome::Done(success)) => self.complete(&success, session_cookie).await,
            Ok(LoginOutcome::AuthenticatorMissing(success)) => {
                self.authenticator_missing(&success, session_cookie).await
            }
            Ok(LoginOutcome::Declined(pending)) => Ok(self.declined(&pending)),
        };
        finished.map(Answer::Finished).map_err(|error| Refused {
            error,
            screen: None,
            ways_out: None,
        })
    }

    /// An error, and the flow's screen to draw it on when there is one to draw.
    async fn refused(&self, id: &str, browser: &Browser<'_>, error: LoginError) -> Refused {
        let screen = if error.ends_flow() || matches!(error, LoginError::Storage(_)) {
            None
        } else {
            let again = Browser {
                csrf: Csrf::NotNeeded,
                ..*browser
            };
            match self.login.flow(id, &again).await {
                Ok(flow) => Some(self.screen(&flow).await),
                Err(_) => None,
            }
        };
        let ended = matches!(
            error,
            LoginError::FlowExpired
                | LoginError::WrongCode {
                    attempts_left: 0,
                    ..
                }
        );
        let ways_out = match (&screen, ended) {
            (None, true) => self.ways_out(id, browser).await,
            _ => None,
        };
        Refused {
            error,
            screen,
            ways_out,
        }
    }

    /// Where a person can go from a login of theirs that has ended.
    async fn ways_out(&self, id: &str, browser: &Browser<'_>) -> Option<WaysOut> {
        let trace = self.login.trace(id, browser).await?;
        let pending = &trace.authorization;
        Some(WaysOut {
            start_again: self.provider.authorize_again(pending),
            back: self.portal_error(
                pending,
                wagate_oidc::AuthorizeErrorCode::AccessDenied,
                "the person went back without signing in",
            ),
            client_name: self.client_name(trace.purpose, &pending.client_id),
            ui_locales: pending.ui_locales.clone(),
        })
    }

    async fn screen(&self, flow: &LoginFlow) -> Screen {
        Screen {
            flow_id: flow.id.clone(),
            view: self.login.view(flow).await,
            client_id: flow.authorization.client_id.clone(),
            client_name: self.client_name(flow.purpose, &flow.authorization.client_id),
            csrf: flow.csrf_token.clone(),
            ui_locales: flow.authorization.ui_locales.clone(),
        }
    }

    /// Who a login signs in to, in words.
    fn client_name(&self, purpose: FlowPurpose, client_id: &str) -> String {
        match purpose {
            FlowPurpose::Account => "your account".into(),
            FlowPurpose::Portal => self
                .provider
                .clients()
                .get(client_id)
                .map_or_else(|| "the site".into(), |c| c.name.clone()),
        }
    }
}
