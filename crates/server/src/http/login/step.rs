//! What a login step handler knows of its request: the flow, the browser (bindings, address,
//! CSRF proof), the session cookie, the answer's format, and the posted fields.

use super::super::present::{Presenter, Problem};
use super::super::request::{Format, Posted};
use super::super::{client_ip, cookies};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::web::Payload;
use actix_web::{HttpRequest, HttpResponse};
use wagate_core::{Browser, Csrf};

pub(super) struct Step<'a> {
    pub req: &'a HttpRequest,
    pub state: &'a AppState,
    pub flow_id: String,
    pub format: Format,
    bindings: Vec<String>,
    session: Option<String>,
    posted: Option<Posted>,
}

impl<'a> Step<'a> {
    /// A step that posts nothing (showing the flow).
    pub fn get(req: &'a HttpRequest, state: &'a AppState, flow_id: String) -> Self {
        Step {
            req,
            state,
            flow_id,
            format: Format::of(req),
            bindings: cookies::read(req, state.web.secure_cookies),
            session: cookies::read_session(req, state.web.secure_cookies),
            posted: None,
        }
    }

    /// A step with a body: JSON or a form, or the refusal to show instead.
    pub async fn post(
        req: &'a HttpRequest,
        state: &'a AppState,
        flow_id: String,
        payload: Payload,
    ) -> Result<Self, HttpResponse> {
        let mut step = Step::get(req, state, flow_id);
        match Posted::read(req, payload, &state.web).await {
            Ok(posted) => {
                step.posted = Some(posted);
                Ok(step)
            }
            Err(e) => Err(step.presenter().unreadable(&e)),
        }
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            bindings: &self.bindings,
            ip: client_ip::of(self.req, &self.state.web),
            csrf: self.posted.as_ref().map_or(Csrf::NotNeeded, Posted::csrf),
        }
    }

    pub fn session(&self) -> Option<&str> {
        self.session.as_deref()
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.posted.as_ref().and_then(|p| p.field(name))
    }

    /// One of two words in `field`: true for `yes`; `None` for anything else.
    pub fn either(&self, field: &str, yes: &str, no: &str) -> Option<bool> {
        match self.field(field) {
            Some(word) if word == yes => Some(true),
            Some(word) if word == no => Some(false),
            _ => None,
        }
    }

    pub fn base(&self) -> &str {
        &self.state.web.base
    }

    /// Draws answers as this request asked.
    pub fn presenter(&self) -> Presenter<'_> {
        Presenter::new(self.format, self.base())
    }

    /// A required field that is missing (or not text).
    pub fn missing(&self, field: &'static str) -> HttpResponse {
        let message = match field {
            "phone" => "Enter your phone number.",
            "choice" => "Choose an account.",
            "decision" => "Choose Allow or Cancel.",
            _ => "Enter the code.",
        };
        let description = format!("{field} is required (a string)");
        self.presenter().problem(
            &Problem::new(StatusCode::BAD_REQUEST, "invalid_request", message)
                .described(&description)
                .titled("Something is missing", "Go back and try again."),
        )
    }
}
