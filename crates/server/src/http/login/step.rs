//! What a login step handler knows of its request: the flow, the browser (bindings, address,
//! CSRF proof), the session cookie, the answer's format, and the posted fields.

use super::super::Site;
use super::super::language::Preferences;
use super::super::present::{Presenter, Problem, SOMETHING_WENT_WRONG};
use super::super::request::{Format, Posted};
use super::super::{body, client_ip, cookies};
use super::screens::Chrome;
use crate::live::State;
use actix_web::dev::Payload;
use actix_web::error::InternalError;
use actix_web::http::{Method, StatusCode};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use wagate_core::i18n::Lang;
use wagate_core::{Browser, Csrf};

pub(in crate::http) struct Step {
    pub req: HttpRequest,
    pub state: State,
    pub flow_id: String,
    pub format: Format,
    bindings: Vec<String>,
    session: Option<String>,
    posted: Option<Posted>,
    /// The person's languages (picked on a page, then the browser's).
    languages: Preferences,
    /// On the flow's page after a resend: what it did (`new`, `fallback`).
    sent: Option<String>,
}

/// A step's request, read before its handler runs: a POST's body is JSON or a form (or the
/// refusal to answer instead, as the request asked).
impl FromRequest for Step {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Step, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let state = State::extract(&req).await?;
            let mut step = Step::new(req, state);
            if step.req.method() == Method::POST {
                match Posted::read(&step.req, payload, &step.state.web).await {
                    Ok(posted) => step.posted = Some(posted),
                    Err(e) => {
                        let lang = step.lang(&[]);
                        let present = step.presenter().speaking(&lang);
                        let refusal = present.unreadable(&e, SOMETHING_WENT_WRONG);
                        return Err(InternalError::from_response("unreadable body", refusal).into());
                    }
                }
            }
            Ok(step)
        })
    }
}

impl Step {
    fn new(req: HttpRequest, state: State) -> Self {
        let secure = state.web.secure_cookies;
        Step {
            flow_id: req.match_info().get("flow").unwrap_or_default().to_owned(),
            format: Format::of(&req),
            bindings: cookies::read(&req, secure),
            session: cookies::read_session(&req, secure),
            posted: None,
            languages: Preferences::of(&req),
            sent: body::query_params(&req)
                .get("sent")
                .ok()
                .flatten()
                .filter(|s| matches!(*s, "new" | "fallback"))
                .map(str::to_owned),
            req,
            state,
        }
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            bindings: &self.bindings,
            ip: client_ip::of(&self.req, &self.state.web),
            csrf: self.posted.as_ref().map_or(Csrf::NotNeeded, Posted::csrf),
            languages: self.languages.all(),
            region: self.field("country").filter(|c| !c.is_empty()),
            // ALTCHA's payload, or a captcha widget's token.
            solution: [
                "altcha",
                "cf-turnstile-response",
                "h-captcha-response",
                "captcha",
            ]
            .into_iter()
            .find_map(|name| self.field(name).filter(|v| !v.is_empty())),
        }
    }

    /// The language to answer in; `ui_locales`: the portal's wish, when the flow is known.
    pub fn lang(&self, ui_locales: &[String]) -> Lang<'_> {
        self.languages.lang(&self.state.texts, ui_locales)
    }

    /// What the pages share in `lang`: the country offered first is the one the person
    /// picked, else the configured one, else the one their languages suggest.
    pub(super) fn chrome<'a>(&'a self, lang: &'a Lang<'a>) -> Chrome<'a> {
        let picked = self.field("country").filter(|c| !c.is_empty());
        let phones = self.state.journey.phones();
        let country = picked
            .map(str::to_ascii_uppercase)
            .or_else(|| phones.country_offered(&lang.tag(), self.languages.all()));
        Chrome {
            base: self.base(),
            t: lang,
            countries: &self.state.countries,
            country,
            sent: self.sent.as_deref(),
            challenge: None,
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

    pub fn base(&self) -> &Site {
        &self.state.web.base
    }

    /// Draws answers as this request asked.
    pub fn presenter(&self) -> Presenter<'_> {
        Presenter::new(self.format, self.base())
    }

    /// Whether the body has `name` at all, whatever its value.
    pub fn has(&self, name: &str) -> bool {
        self.posted.as_ref().is_some_and(|p| p.has(name))
    }

    /// A required field that is missing (or not text).
    pub fn missing(&self, field: &'static str) -> HttpResponse {
        let message = match field {
            "phone" => "missing-phone",
            "choice" => "missing-choice",
            "decision" => "missing-decision",
            _ => "missing-code",
        };
        self.invalid(message, &format!("{field} is required (a string)"))
    }

    /// A field that is missing, or has a value the step does not take: `message` names the
    /// sentence for people, `description` is for apps.
    pub fn invalid(&self, message: &str, description: &str) -> HttpResponse {
        let lang = self.lang(&[]);
        let (message, title, advice) = (
            lang.get(message),
            lang.get("problem-missing"),
            lang.get("problem-missing-advice"),
        );
        self.presenter().speaking(&lang).problem(
            &Problem::new(StatusCode::BAD_REQUEST, "invalid_request", &message)
                .described(description)
                .titled(&title, &advice),
        )
    }
}
