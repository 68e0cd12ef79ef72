//! The login steps, as hosted pages (forms, 303 after each post) and as a JSON API at the same
//! URLs (`Content-Type: application/json` / `Accept: application/json`).

use super::body::{self, BodyError};
use super::login_errors::{Described, describe};
use super::oidc::see_other;
use super::{client_ip, cookies, pages};
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};
use wagate_core::{Browser, CodeSent, Csrf, FlowView, LoginError};
use wagate_oidc::{AuthenticatedSubject, CodeIssueError, Params};
use wagate_storage::LoginFlow;

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
    binding: String,
}

impl<'a> Step<'a> {
    fn new(req: &'a HttpRequest, state: &'a AppState, flow_id: String) -> Self {
        Step {
            req,
            state,
            flow_id,
            binding: cookies::read(req, state.web.secure_cookies).unwrap_or_default(),
        }
    }

    fn browser<'b>(&'b self, csrf: Csrf<'b>) -> Browser<'b> {
        Browser {
            binding: &self.binding,
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
        let client_name = self
            .state
            .provider
            .clients()
            .get(&flow.authorization.client_id)
            .map(|c| c.name.as_str())
            .unwrap_or("the site");
        match self.state.login.view(flow) {
            FlowView::Phone { login_hint } => {
                let phone = if typed_phone.is_empty() {
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
                        csrf: flow.csrf_token.expose(),
                        phone: &phone,
                        error,
                    },
                )
            }
            FlowView::Code {
                phone,
                code_length,
                expires_in,
                resend_in,
                can_resend,
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
        let bytes = match body::read(self.req, payload, self.state.web.max_body_bytes).await {
            Ok(b) => b,
            Err(BodyError::TooLarge) => {
                return Err(refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "The request is too large.",
                ));
            }
            Err(BodyError::Unreadable) => {
                return Err(refuse(
                    StatusCode::BAD_REQUEST,
                    "The request could not be read.",
                ));
            }
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
            _ => "Enter the code from the message.",
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
    let client_name = state
        .provider
        .clients()
        .get(&flow.authorization.client_id)
        .map(|c| c.name.clone());
    let view = match state.login.view(&flow) {
        FlowView::Phone { login_hint } => json!({
            "step": "phone",
            "client_name": client_name,
            "login_hint": login_hint,
        }),
        FlowView::Code {
            phone,
            code_length,
            expires_in,
            resend_in,
            can_resend,
        } => json!({
            "step": "code",
            "client_name": client_name,
            "channel": "whatsapp",
            "phone": phone,
            "code_length": code_length,
            "expires_in": expires_in.as_secs(),
            "resend_in": resend_in.as_secs(),
            "can_resend": can_resend,
        }),
    };
    body::json(StatusCode::OK, &view)
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
    // A login counts as done only once the portal's code exists.
    let result = match result {
        Ok(success) => {
            let subject = AuthenticatedSubject {
                sub: success.user.sub.clone(),
                auth_time: success.auth_time,
                amr: success.amr.clone(),
                acr: None,
            };
            let session = cookies::read_session(&req, state.web.secure_cookies);
            state
                .provider
                .complete_login(&success.authorization, &subject, session.as_deref())
                .await
                .map_err(|e| match e {
                    CodeIssueError::UnknownClient => LoginError::FlowExpired,
                    CodeIssueError::Storage(e) => LoginError::Storage(e),
                })
        }
        Err(e) => Err(e),
    };
    record(&state, "code", &result);
    let done = match result {
        Ok(done) => done,
        Err(e) => return step.error(&e, json, "").await,
    };
    let mut res = if json {
        body::json(
            StatusCode::OK,
            &json!({"step": "done", "redirect_to": done.redirect}),
        )
    } else {
        see_other(&done.redirect)
    };
    let cookie = cookies::session(
        done.session_cookie.expose().to_owned(),
        state.web.secure_cookies,
        done.session_lifetime,
    );
    let _ = res.add_cookie(&cookie);
    res
}

fn record<T>(state: &AppState, step: &'static str, result: &Result<T, LoginError>) {
    let outcome = match result {
        Ok(_) => "ok",
        Err(e) => describe(e).code,
    };
    state.metrics.login_step(step, outcome);
}
