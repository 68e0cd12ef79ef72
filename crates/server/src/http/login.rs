//! The login steps, as hosted pages (forms, 303 after each post) and as a JSON API at the same
//! URLs (`Content-Type: application/json` / `Accept: application/json`).

use super::body;
use super::login_errors::{Described, describe};
use super::oidc::see_other;
use super::{client_ip, cookies, pages};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};
use wagate_core::{
    Browser, CodeSent, Csrf, FlowView, LoginError, LoginOutcome, LoginSuccess, mask_e164,
};
use wagate_oidc::{
    AuthenticatedSubject, AuthorizeErrorCode, AuthorizeRedirectError, CodeIssueError, Params,
};
use wagate_storage::{LoginFlow, PendingAuthorization, Session};

/// The client id of flows that sign a person in to wagate's own account page (no portal, no
/// code). The configuration refuses it as a client id.
pub const ACCOUNT_FLOW: &str = "wagate:account";

/// Who a flow signs in to, in words.
fn client_name<'s>(state: &'s AppState, client_id: &str) -> &'s str {
    if client_id == ACCOUNT_FLOW {
        return "your account";
    }
    state
        .provider
        .clients()
        .get(client_id)
        .map(|c| c.name.as_str())
        .unwrap_or("the site")
}

/// The decoded body of a step.
enum Input {
    Json(Value),
    Form(Params),
}

impl Input {
    fn field(&self, name: &str) -> Option<&str> {
        match self {
            Input::Json(v) => v.get(name).and_then(Value::as_str),
            Input::Form(p) => p.get(name).ok().flatten(),
        }
    }

    fn csrf(&self) -> Csrf<'_> {
        match self {
            Input::Json(_) => Csrf::NotNeeded,
            Input::Form(p) => Csrf::Form(p.get("csrf").ok().flatten()),
        }
    }

    fn is_json(&self) -> bool {
        matches!(self, Input::Json(_))
    }
}

/// Everything a step handler needs about its request.
struct Step<'a> {
    req: &'a HttpRequest,
    state: &'a AppState,
    flow_id: String,
    bindings: Vec<String>,
}

impl<'a> Step<'a> {
    fn new(req: &'a HttpRequest, state: &'a AppState, flow_id: String) -> Self {
        Step {
            req,
            state,
            flow_id,
            bindings: cookies::read(req, state.web.secure_cookies),
        }
    }

    fn browser<'b>(&'b self, csrf: Csrf<'b>) -> Browser<'b> {
        Browser {
            bindings: &self.bindings,
            ip: client_ip::of(self.req, &self.state.web),
            csrf,
        }
    }

    fn base(&self) -> &str {
        &self.state.web.base
    }

    fn action(&self, step: &str) -> String {
        format!("{}/login/{}/{step}", self.base(), self.flow_id)
    }

    /// The page for the flow's current step, optionally with an error on it.
    fn page(
        &self,
        flow: &LoginFlow,
        status: StatusCode,
        error: Option<&str>,
        typed_phone: &str,
    ) -> HttpResponse {
        let client_name = client_name(self.state, &flow.authorization.client_id);
        match self.state.login.view(flow) {
            FlowView::Phone {
                login_hint,
                locked,
                authenticator_allowed,
            } => {
                let phone = if typed_phone.is_empty() || locked {
                    login_hint.unwrap_or_default()
                } else {
                    typed_phone.to_owned()
                };
                pages::render(
                    status,
                    &pages::PhonePage {
                        base: self.base(),
                        client_name,
                        action: self.action("phone"),
                        totp_action: self.action("totp"),
                        csrf: flow.csrf_token.expose(),
                        phone: &phone,
                        locked,
                        offer_authenticator: authenticator_allowed
                            && self.state.login.authenticators_enabled(),
                        error,
                    },
                )
            }
            FlowView::Totp => pages::render(
                status,
                &pages::TotpPage {
                    base: self.base(),
                    client_name,
                    action: self.action("totp"),
                    csrf: flow.csrf_token.expose(),
                    error,
                },
            ),
            FlowView::Code {
                phone,
                code_length,
                expires_in,
                resend_in,
                can_resend,
                locked,
            } => pages::render(
                status,
                &pages::CodePage {
                    base: self.base(),
                    code_action: self.action("code"),
                    resend_action: self.action("resend"),
                    phone_action: self.action("phone"),
                    csrf: flow.csrf_token.expose(),
                    phone: &phone,
                    code_length,
                    expires_minutes: expires_in.as_secs().div_ceil(60),
                    resend_in: resend_in.as_secs(),
                    can_resend,
                    locked,
                    error,
                },
            ),
            FlowView::ChooseAccount { phone } => pages::render(
                status,
                &pages::ChooseAccountPage {
                    base: self.base(),
                    client_name,
                    action: self.action("account"),
                    csrf: flow.csrf_token.expose(),
                    phone: &mask_e164(&phone),
                    error,
                },
            ),
            FlowView::Consent { phone, scopes } => pages::render(
                status,
                &pages::ConsentPage {
                    base: self.base(),
                    client_name,
                    action: self.action("consent"),
                    csrf: flow.csrf_token.expose(),
                    phone: &mask_e164(&phone),
                    phone_number: scopes.iter().any(|s| s == wagate_oidc::SCOPE_PHONE),
                    offline: scopes
                        .iter()
                        .any(|s| s == wagate_oidc::SCOPE_OFFLINE_ACCESS),
                    error,
                },
            ),
        }
    }

    fn terminal_page(&self, d: &Described) -> HttpResponse {
        pages::error_page(
            self.base(),
            d.status,
            "Sign-in stopped",
            d.message,
            "You can close this page.",
        )
    }

    /// A login error as JSON, or as the flow's page with the message on it.
    async fn error(&self, e: &LoginError, json: bool, typed_phone: &str) -> HttpResponse {
        if let LoginError::Misconfigured(detail) | LoginError::Unavailable(detail) = e {
            tracing::error!(%detail, "login step failed");
        }
        let d = describe(e);
        let mut res = if json {
            body::json_error(d.status, d.code, d.message, &d.extra)
        } else if d.terminal {
            self.terminal_page(&d)
        } else if matches!(e, LoginError::Storage(_)) {
            // Storage just failed: reading the flow again to redraw its page would wait out a
            // second timeout.
            pages::error_page(
                self.base(),
                d.status,
                "Sign-in is unavailable",
                d.message,
                "Reload this page in a moment.",
            )
        } else {
            match self
                .state
                .login
                .flow(&self.flow_id, &self.browser(Csrf::NotNeeded))
                .await
            {
                Ok(flow) => self.page(&flow, d.status, Some(d.message), typed_phone),
                // The flow is gone (the last wrong code ends it): say what just happened.
                Err(_) => self.terminal_page(&d),
            }
        };
        if let Some(secs) = d.retry_after
            && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }

    /// Reads the body of a step as JSON or as a form; anything else is refused.
    async fn input(&self, payload: Payload) -> Result<Input, HttpResponse> {
        let json = body::is_json(self.req);
        let refuse = |status: StatusCode, message: &'static str| {
            if json || body::wants_json(self.req) {
                body::json_error(status, "invalid_request", message, &[])
            } else {
                pages::error_page(
                    self.base(),
                    status,
                    "Something went wrong",
                    message,
                    "Go back and try again.",
                )
            }
        };
        if !json && !body::is_form(self.req) {
            return Err(refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send application/json or a form.",
            ));
        }
        let bytes = match body::read(self.req, payload, &self.state.web).await {
            Ok(b) => b,
            Err(e) => return Err(e.finish(refuse(e.status(), e.message()))),
        };
        if !json {
            return Ok(Input::Form(Params::parse(&bytes)));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v @ Value::Object(_)) => Ok(Input::Json(v)),
            _ => Err(refuse(
                StatusCode::BAD_REQUEST,
                "The body must be a JSON object.",
            )),
        }
    }

    fn code_sent(&self, sent: &CodeSent, json: bool) -> HttpResponse {
        if json {
            body::json(
                StatusCode::OK,
                &json!({
                    "step": "code",
                    "channel": "whatsapp",
                    "code_length": sent.code_length,
                    "expires_in": sent.expires_in.as_secs(),
                    "resend_in": sent.resend_in.as_secs(),
                }),
            )
        } else {
            see_other(&format!("{}/login/{}", self.base(), self.flow_id))
        }
    }

    fn missing(&self, field: &'static str, json: bool) -> HttpResponse {
        let message = match field {
            "phone" => "Enter your phone number.",
            "choice" => "Choose an account.",
            "decision" => "Choose Allow or Cancel.",
            _ => "Enter the code.",
        };
        if json {
            body::json_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("{field} is required (a string)"),
                &[],
            )
        } else {
            pages::error_page(
                self.base(),
                StatusCode::BAD_REQUEST,
                "Something is missing",
                message,
                "Go back and try again.",
            )
        }
    }
}

pub async fn show(req: HttpRequest, path: Path<String>, state: Data<AppState>) -> HttpResponse {
    let step = Step::new(&req, &state, path.into_inner());
    let json = body::wants_json(&req);
    let flow = match state
        .login
        .flow(&step.flow_id, &step.browser(Csrf::NotNeeded))
        .await
    {
        Ok(flow) => flow,
        Err(e) => return step.error(&e, json, "").await,
    };
    if !json {
        return step.page(&flow, StatusCode::OK, None, "");
    }
    body::json(StatusCode::OK, &view_json(&state, &flow))
}

/// The flow's current step for apps that draw their own screens.
fn view_json(state: &AppState, flow: &LoginFlow) -> Value {
    let client_name = client_name(state, &flow.authorization.client_id);
    match state.login.view(flow) {
        FlowView::Phone {
            login_hint,
            locked,
            authenticator_allowed,
        } => json!({
            "step": "phone",
            "client_name": client_name,
            "login_hint": login_hint,
            "phone_locked": locked,
            "authenticator": authenticator_allowed && state.login.authenticators_enabled(),
        }),
        FlowView::Totp => json!({
            "step": "totp",
            "client_name": client_name,
        }),
        FlowView::Code {
            phone,
            code_length,
            expires_in,
            resend_in,
            can_resend,
            locked,
        } => json!({
            "step": "code",
            "phone_locked": locked,
            "client_name": client_name,
            "channel": "whatsapp",
            "phone": phone,
            "code_length": code_length,
            "expires_in": expires_in.as_secs(),
            "resend_in": resend_in.as_secs(),
            "can_resend": can_resend,
        }),
        FlowView::ChooseAccount { phone } => json!({
            "step": "choose_account",
            "client_name": client_name,
            "phone": mask_e164(&phone),
        }),
        FlowView::Consent { phone, scopes } => json!({
            "step": "consent",
            "client_name": client_name,
            "phone": mask_e164(&phone),
            "scopes": scopes,
        }),
    }
}

/// Reads a step's body and decides the answer's format (JSON when the request is JSON or asks
/// for it).
async fn posted<'a>(
    req: &'a HttpRequest,
    state: &'a AppState,
    flow_id: String,
    payload: Payload,
) -> Result<(Step<'a>, Input, bool), HttpResponse> {
    let step = Step::new(req, state, flow_id);
    let input = step.input(payload).await?;
    let json = input.is_json() || body::wants_json(req);
    Ok((step, input, json))
}

impl Step<'_> {
    /// The answer to a phone or resend step.
    async fn sent(
        &self,
        name: &'static str,
        result: Result<CodeSent, LoginError>,
        json: bool,
        typed_phone: &str,
    ) -> HttpResponse {
        record(self.state, name, &result);
        match result {
            Ok(sent) => self.code_sent(&sent, json),
            Err(e) => self.error(&e, json, typed_phone).await,
        }
    }
}

pub async fn phone(
    req: HttpRequest,
    path: Path<String>,
    payload: Payload,
    state: Data<AppState>,
) -> HttpResponse {
    let (step, input, json) = match posted(&req, &state, path.into_inner(), payload).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let Some(phone) = input.field("phone") else {
        return step.missing("phone", json);
    };
    let result = state
        .login
        .submit_phone(&step.flow_id, &step.browser(input.csrf()), phone)
        .await;
    step.sent("phone", result, json, phone).await
}

pub async fn resend(
    req: HttpRequest,
    path: Path<String>,
    payload: Payload,
    state: Data<AppState>,
) -> HttpResponse {
    let (step, input, json) = match posted(&req, &state, path.into_inner(), payload).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let result = state
        .login
        .resend(&step.flow_id, &step.browser(input.csrf()))
        .await;
    step.sent("resend", result, json, "").await
}

pub async fn code(
    req: HttpRequest,
    path: Path<String>,
    payload: Payload,
    state: Data<AppState>,
) -> HttpResponse {
    let (step, input, json) = match posted(&req, &state, path.into_inner(), payload).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let Some(code) = input.field("code") else {
        return step.missing("code", json);
    };
    let result = state
        .login
        .submit_code(&step.flow_id, &step.browser(input.csrf()), code)
        .await;
    step.proved("code", result, json, "").await
}

/// `POST /login/{flow}/totp`: `code` from the authenticator app (or a recovery code), with
/// `phone` when it is the first factor.
pub async fn totp(
    req: HttpRequest,
    path: Path<String>,
    payload: Payload,
    state: Data<AppState>,
) -> HttpResponse {
    let (step, input, json) = match posted(&req, &state, path.into_inner(), payload).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let Some(code) = input.field("code") else {
        return step.missing("code", json);
    };
    let phone = input.field("phone");
    let result = state
        .login
        .submit_totp(&step.flow_id, &step.browser(input.csrf()), phone, code)
        .await;
    step.proved("totp", result, json, phone.unwrap_or_default())
        .await
}

/// Reads a step that answers a question with one of two words in `field`: true for `yes`.
async fn answer<'a>(
    req: &'a HttpRequest,
    state: &'a AppState,
    flow_id: String,
    payload: Payload,
    (field, yes, no): (&'static str, &str, &str),
) -> Result<(Step<'a>, Input, bool, bool), HttpResponse> {
    let (step, input, json) = posted(req, state, flow_id, payload).await?;
    let said = match input.field(field) {
        Some(word) if word == yes => true,
        Some(word) if word == no => false,
        _ => return Err(step.missing(field, json)),
    };
    Ok((step, input, json, said))
}

/// `POST /login/{flow}/account`: `choice` is `continue` (as the session's person) or `other`.
pub async fn account_choice(
    req: HttpRequest,
    path: Path<String>,
    payload: Payload,
    state: Data<AppState>,
) -> HttpResponse {
    let question = ("choice", "other", "continue");
    let (step, input, json, other) =
        match answer(&req, &state, path.into_inner(), payload, question).await {
            Ok(a) => a,
            Err(res) => return res,
        };
    let result = state
        .login
        .choose_account(&step.flow_id, &step.browser(input.csrf()), other)
        .await;
    step.proved("account", result, json, "").await
}

/// `POST /login/{flow}/consent`: `decision` is `allow` or `deny`.
pub async fn consent(
    req: HttpRequest,
    path: Path<String>,
    payload: Payload,
    state: Data<AppState>,
) -> HttpResponse {
    let question = ("decision", "allow", "deny");
    let (step, input, json, allow) =
        match answer(&req, &state, path.into_inner(), payload, question).await {
            Ok(a) => a,
            Err(res) => return res,
        };
    let result = state
        .login
        .consent(&step.flow_id, &step.browser(input.csrf()), allow)
        .await;
    step.proved("consent", result, json, "").await
}

/// The portal is told the person could not give the second factor it requires.
fn unmet(state: &AppState, pending: &PendingAuthorization) -> String {
    portal_error(
        state,
        pending,
        AuthorizeErrorCode::UnmetAuthenticationRequirements,
        "this request needs an authenticator app, and the person has none",
    )
}

/// An error for the portal at its verified redirect URI.
fn portal_error(
    state: &AppState,
    pending: &PendingAuthorization,
    code: AuthorizeErrorCode,
    description: &'static str,
) -> String {
    state.provider.error_redirect(&AuthorizeRedirectError {
        redirect_uri: pending.redirect_uri.clone(),
        state: pending.state.clone(),
        code,
        description,
    })
}

const AUTHENTICATOR_REQUIRED: &str = "needs a code from an authenticator app as well as the WhatsApp code, and you have not set one up yet.";

/// The page for a person who meets an MFA request without an authenticator.
pub fn authenticator_required_page(
    state: &AppState,
    pending: &PendingAuthorization,
) -> HttpResponse {
    let name = client_name(state, &pending.client_id);
    pages::render(
        StatusCode::FORBIDDEN,
        &pages::AuthenticatorRequiredPage {
            base: &state.web.base,
            client_name: name,
            message: AUTHENTICATOR_REQUIRED,
            account_url: format!("{}/account", state.web.base),
            back_url: unmet(state, pending),
        },
    )
}

impl Step<'_> {
    /// The answer once a factor was checked: done, the next factor, or refused.
    async fn proved(
        &self,
        name: &'static str,
        result: Result<LoginOutcome, LoginError>,
        json: bool,
        typed_phone: &str,
    ) -> HttpResponse {
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(e) => {
                self.state.metrics.login_step(name, describe(&e).code);
                return self.error(&e, json, typed_phone).await;
            }
        };
        match outcome {
            LoginOutcome::Done(success) => {
                let done = self.done(&success, json).await;
                record(self.state, name, &done);
                match done {
                    Ok(res) => res,
                    Err(e) => self.error(&e, json, "").await,
                }
            }
            LoginOutcome::NeedsAuthenticator | LoginOutcome::NeedsWhatsApp => {
                self.state.metrics.login_step(name, "next_factor");
                self.next_step(json).await
            }
            LoginOutcome::NeedsConsent | LoginOutcome::NeedsPhone => {
                self.state.metrics.login_step(name, "next_step");
                self.next_step(json).await
            }
            LoginOutcome::Declined(pending) => {
                self.state.metrics.login_step(name, "declined");
                let back = portal_error(
                    self.state,
                    &pending,
                    AuthorizeErrorCode::AccessDenied,
                    "the person did not allow this application",
                );
                if json {
                    body::json(
                        StatusCode::OK,
                        &json!({"step": "declined", "redirect_to": back}),
                    )
                } else {
                    see_other(&back)
                }
            }
            LoginOutcome::AuthenticatorMissing(success) => {
                self.state
                    .metrics
                    .login_step(name, "authenticator_required");
                self.authenticator_missing(&success, json).await
            }
        }
    }

    /// Where the flow goes next: its new step as JSON, or its page.
    async fn next_step(&self, json: bool) -> HttpResponse {
        if !json {
            return see_other(&format!("{}/login/{}", self.base(), self.flow_id));
        }
        match self
            .state
            .login
            .flow(&self.flow_id, &self.browser(Csrf::NotNeeded))
            .await
        {
            Ok(flow) => body::json(StatusCode::OK, &view_json(self.state, &flow)),
            Err(e) => self.error(&e, json, "").await,
        }
    }

    async fn done(&self, success: &LoginSuccess, json: bool) -> Result<HttpResponse, LoginError> {
        complete(self.req, self.state, success, json).await
    }

    /// The portal needs both factors and the person has no authenticator. What they proved
    /// opens a one-factor session (so the account page can add an authenticator at once); the
    /// portal gets `access_denied`.
    async fn authenticator_missing(&self, success: &LoginSuccess, json: bool) -> HttpResponse {
        // Factors carried from a session count only while it is this browser's session; then
        // that session simply stays.
        let opened = match carried_session(self.req, self.state, success).await {
            Err(e) => return self.error(&e, json, "").await,
            Ok(Some(_)) => None,
            Ok(None) => {
                let session = cookies::read_session(self.req, self.state.web.secure_cookies);
                match self
                    .state
                    .provider
                    .open_session(None, &subject(success), session.as_deref())
                    .await
                {
                    Ok(opened) => Some(opened),
                    Err(e) => return self.error(&LoginError::Storage(e), json, "").await,
                }
            }
        };
        let pending = &success.authorization;
        let mut res = if json {
            body::json_error(
                StatusCode::FORBIDDEN,
                "authenticator_required",
                &format!(
                    "{} {AUTHENTICATOR_REQUIRED}",
                    client_name(self.state, &pending.client_id)
                ),
                &[
                    ("redirect_to", json!(unmet(self.state, pending))),
                    (
                        "account",
                        json!(format!("{}/account", self.state.web.issuer)),
                    ),
                ],
            )
        } else {
            authenticator_required_page(self.state, pending)
        };
        if let Some(opened) = opened {
            signed_in(
                self.req,
                self.state,
                &mut res,
                (opened.cookie.expose(), opened.lifetime),
                success,
            );
        }
        res
    }
}

/// Everything is proven: open the session, then send the browser to the portal with its code
/// (or back to the account page). A login counts as done only once the code exists.
pub async fn complete(
    req: &HttpRequest,
    state: &AppState,
    success: &LoginSuccess,
    json: bool,
) -> Result<HttpResponse, LoginError> {
    let answer = |redirect: &str| {
        if json {
            body::json(
                StatusCode::OK,
                &json!({"step": "done", "redirect_to": redirect}),
            )
        } else {
            see_other(redirect)
        }
    };
    if let Some(live) = carried_session(req, state, success).await?
        && proves_nothing_new(&live, success)
    {
        // "Continue as", a consent, or a preference the session meets: the session answers
        // as single sign-on does, its cookie and lifetimes untouched.
        let redirect = state
            .provider
            .answer_with_session(&success.authorization, live)
            .await
            .map_err(|e| match e {
                CodeIssueError::UnknownClient => LoginError::FlowExpired,
                CodeIssueError::Storage(e) => LoginError::Storage(e),
            })?
            .ok_or(LoginError::FlowExpired)?;
        return Ok(answer(&redirect));
    }
    let subject = subject(success);
    let session = cookies::read_session(req, state.web.secure_cookies);
    let (redirect, cookie, lifetime) = if success.authorization.client_id == ACCOUNT_FLOW {
        let opened = state
            .provider
            .open_session(None, &subject, session.as_deref())
            .await?;
        (
            format!("{}/account", state.web.issuer),
            opened.cookie,
            opened.lifetime,
        )
    } else {
        let done = state
            .provider
            .complete_login(&success.authorization, &subject, session.as_deref())
            .await
            .map_err(|e| match e {
                CodeIssueError::UnknownClient => LoginError::FlowExpired,
                CodeIssueError::Storage(e) => LoginError::Storage(e),
            })?;
        (done.redirect, done.session_cookie, done.session_lifetime)
    };
    let mut res = answer(&redirect);
    signed_in(req, state, &mut res, (cookie.expose(), lifetime), success);
    Ok(res)
}

/// The browser's session, when the login's factors came from one (`step_up_of`). They count
/// only while it is still this browser's session: signed out or replaced meanwhile, the login
/// is over (`flow_expired`).
async fn carried_session(
    req: &HttpRequest,
    state: &AppState,
    success: &LoginSuccess,
) -> Result<Option<Session>, LoginError> {
    let Some(sid) = &success.step_up_of else {
        return Ok(None);
    };
    let live = match cookies::read_session(req, state.web.secure_cookies) {
        Some(cookie) => state.provider.session(&cookie).await?,
        None => None,
    };
    match live {
        Some(session) if session.sid == *sid => Ok(Some(session)),
        _ => Err(LoginError::FlowExpired),
    }
}

/// The login holds no method the session had not proven already.
fn proves_nothing_new(session: &Session, success: &LoginSuccess) -> bool {
    success.auth_time == session.auth_time && success.amr.iter().all(|m| session.amr.contains(m))
}

/// Sets the session cookie of a finished login, and renews the browser's bindings: the one
/// this login used is spent (replaced by a new value); those of other tabs stay.
fn signed_in(
    req: &HttpRequest,
    state: &AppState,
    res: &mut HttpResponse,
    (session, lifetime): (&str, std::time::Duration),
    success: &LoginSuccess,
) {
    let secure = state.web.secure_cookies;
    let _ = res.add_cookie(&cookies::session(session.to_owned(), secure, lifetime));
    let fresh = wagate_storage::random_token(state.random.as_ref(), 32);
    let values = cookies::renewed(req, secure, fresh, success.binding_hash.as_deref());
    let _ = res.add_cookie(&cookies::binding(&values, secure));
}

fn subject(success: &LoginSuccess) -> AuthenticatedSubject {
    AuthenticatedSubject::logged_in(
        success.user.sub.clone(),
        success.auth_time,
        success.amr.clone(),
    )
}

fn record<T>(state: &AppState, step: &'static str, result: &Result<T, LoginError>) {
    let outcome = match result {
        Ok(_) => "ok",
        Err(e) => describe(e).code,
    };
    state.metrics.login_step(step, outcome);
}
