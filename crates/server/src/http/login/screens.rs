//! A flow's screen, drawn: as a page (forms, no JavaScript) or as JSON for apps that draw their
//! own.

use super::super::Site;
use super::super::language::back_to;
use super::super::pages;
use super::super::present::wait_secs;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::{Value, json};
use wagate_core::guard::{CaptchaChallenge, Challenge};
use wagate_core::i18n::Lang;
use wagate_core::{
    CodeSent, CodeView, CountryChoice, DeliveryView, FlowView, Screen, international, mask_e164,
    region_of,
};

/// What the pages of a request share: where wagate lives, the person's language, and the
/// countries of the phone form with the one to offer first.
pub(super) struct Chrome<'a> {
    pub base: &'a Site,
    pub t: &'a Lang<'a>,
    pub countries: &'a [CountryChoice],
    pub country: Option<String>,
    /// What a resend did (`new`, `fallback`), to say so on the code page.
    pub sent: Option<&'a str>,
    /// A sending challenge to solve before the phone form can go.
    pub challenge: Option<Challenge>,
}

/// What every page of a flow carries.
struct Frame<'a> {
    chrome: &'a Chrome<'a>,
    screen: &'a Screen,
    status: StatusCode,
    error: Option<&'a str>,
}

impl Frame<'_> {
    /// Where a step's form posts.
    fn action(&self, step: &str) -> String {
        format!("{}/login/{}/{step}", self.chrome.base, self.screen.flow_id)
    }

    fn csrf(&self) -> &str {
        self.screen.csrf.expose()
    }

    /// The proof of work to solve on this page, as the script reads it (JSON).
    fn proof_of_work(&self) -> Option<String> {
        match &self.chrome.challenge {
            Some(Challenge::ProofOfWork(c)) => serde_json::to_string(c).ok(),
            _ => None,
        }
    }

    /// The operator's captcha to show on this page.
    fn captcha(&self) -> Option<&CaptchaChallenge> {
        match &self.chrome.challenge {
            Some(Challenge::Captcha(c)) => Some(c),
            _ => None,
        }
    }

    /// The captcha provider's origins, which the page's policy must then allow.
    fn allowed_origins(&self) -> Option<&'static str> {
        self.captcha().map(|c| c.provider.origins())
    }

    /// The portal's logo, when its operator gave one.
    fn portal_logo(&self) -> Option<String> {
        self.chrome.base.client_logo(&self.screen.client_id)
    }

    /// The flow's page, for the language switcher to come back to.
    fn here(&self) -> String {
        back_to(&format!(
            "{}/login/{}",
            self.chrome.base, self.screen.flow_id
        ))
    }
}

/// The page of `screen`, optionally with an error on it; `typed_phone`: the number the person
/// typed, shown again after a refusal.
pub(super) fn page(
    chrome: &Chrome,
    screen: &Screen,
    status: StatusCode,
    error: Option<&str>,
    typed_phone: &str,
) -> HttpResponse {
    let (base, t) = (chrome.base, chrome.t);
    let f = Frame {
        chrome,
        screen,
        status,
        error,
    };
    let client_name = screen.client_name.as_str();
    match &screen.view {
        FlowView::Phone {
            login_hint,
            locked,
            authenticator_allowed,
        } => {
            let phone = if typed_phone.is_empty() || *locked {
                login_hint.clone().unwrap_or_default()
            } else {
                typed_phone.to_owned()
            };
            phone_page(&f, &phone, *locked, *authenticator_allowed)
        }
        FlowView::Totp => pages::render(
            status,
            &pages::TotpPage {
                base,
                t,
                here: f.here(),
                client_name,
                portal_logo: f.portal_logo(),
                action: f.action("totp"),
                csrf: f.csrf(),
                error,
            },
        ),
        FlowView::Code(code) => code_page(&f, code),
        FlowView::ChooseAccount { phone } => pages::render(
            status,
            &pages::ChooseAccountPage {
                base,
                t,
                here: f.here(),
                client_name,
                action: f.action("account"),
                csrf: f.csrf(),
                phone: &mask_e164(phone),
                error,
            },
        ),
        FlowView::Consent { phone, scopes } => consent_page(&f, phone, scopes),
    }
}

fn phone_page(f: &Frame, phone: &str, locked: bool, offer_authenticator: bool) -> HttpResponse {
    let country = f.chrome.country.as_deref();
    let example = f
        .chrome
        .countries
        .iter()
        .find(|c| Some(c.region.as_str()) == country)
        .and_then(|c| c.example.as_deref());
    pages::render_allowing(
        f.status,
        &pages::PhonePage {
            base: f.chrome.base,
            t: f.chrome.t,
            here: f.here(),
            client_name: &f.screen.client_name,
            portal_logo: f.portal_logo(),
            challenge: f.proof_of_work().as_deref(),
            captcha: f.captcha(),
            solve_script: super::super::script::SOLVE_CHALLENGE,
            action: f.action("phone"),
            totp_action: f.action("totp"),
            csrf: f.csrf(),
            phone,
            locked,
            offer_authenticator,
            countries: f.chrome.countries,
            country,
            example,
            error: f.error,
        },
        f.allowed_origins(),
    )
}

/// The code step: where the code went, what became of it, and the other ways on.
fn code_page(f: &Frame, code: &CodeView) -> HttpResponse {
    let delivery = &code.delivery;
    let fallback = delivery.fallback.as_ref();
    let on_whatsapp = delivery.medium == "whatsapp";
    let notice = match (f.chrome.sent, delivery.medium.as_str()) {
        (Some("new"), _) => Some(f.chrome.t.get("code-resent")),
        (Some("fallback"), "sms") => Some(f.chrome.t.get("code-fallback-sent-sms")),
        (Some("fallback"), _) => Some(f.chrome.t.get("code-fallback-sent-whatsapp")),
        _ => None,
    };
    pages::render_allowing(
        f.status,
        &pages::CodePage {
            base: f.chrome.base,
            t: f.chrome.t,
            here: f.here(),
            page: format!("{}/login/{}", f.chrome.base, f.screen.flow_id),
            portal_logo: f.portal_logo(),
            challenge: f.proof_of_work().as_deref(),
            captcha: f.captcha(),
            solve_script: super::super::script::SOLVE_CHALLENGE,
            countries: f.chrome.countries,
            // The country of the number used so far comes first for another one.
            country: region_of(&code.phone)
                .or_else(|| f.chrome.country.clone())
                .as_deref(),
            code_action: f.action("code"),
            resend_action: f.action("resend"),
            phone_action: f.action("phone"),
            csrf: f.csrf(),
            phone: &international(&code.phone),
            code_length: u64::from(code.code_length),
            expires_minutes: code.expires_in.as_secs().div_ceil(60),
            resend_in: wait_secs(code.resend_in),
            can_resend: code.can_resend,
            locked: code.locked,
            sms: delivery.medium == "sms",
            delivery: delivery.state.as_str(),
            fallback: fallback.map(|b| wait_secs(b.available_in)),
            fallback_sms: fallback.is_some_and(|b| b.medium == "sms"),
            notice: notice.as_deref(),
            script: super::super::script::RESEND_WAIT,
            sender: on_whatsapp
                .then_some(f.chrome.base.branding.whatsapp_sender.as_deref())
                .flatten(),
            open_whatsapp: on_whatsapp
                .then_some(f.chrome.base.branding.whatsapp_link.as_deref())
                .flatten(),
            error: f.error,
        },
        f.allowed_origins(),
    )
}

fn consent_page(f: &Frame, phone: &str, scopes: &[String]) -> HttpResponse {
    let has = |scope: &str| scopes.iter().any(|s| s == scope);
    pages::render(
        f.status,
        &pages::ConsentPage {
            base: f.chrome.base,
            t: f.chrome.t,
            here: f.here(),
            client_name: &f.screen.client_name,
            action: f.action("consent"),
            csrf: f.csrf(),
            phone: &mask_e164(phone),
            phone_number: has(wagate_oidc::SCOPE_PHONE),
            offline: has(wagate_oidc::SCOPE_OFFLINE_ACCESS),
            error: f.error,
        },
    )
}

/// The screen for apps that draw their own.
pub(super) fn json(screen: &Screen) -> Value {
    let client_name = screen.client_name.as_str();
    match &screen.view {
        FlowView::Phone {
            login_hint,
            locked,
            authenticator_allowed,
        } => json!({
            "step": "phone",
            "client_name": client_name,
            "login_hint": login_hint,
            "phone_locked": locked,
            "authenticator": authenticator_allowed,
        }),
        FlowView::Totp => json!({
            "step": "totp",
            "client_name": client_name,
        }),
        FlowView::Code(code) => json!({
            "step": "code",
            "phone_locked": code.locked,
            "client_name": client_name,
            "channel": code.delivery.medium,
            "delivery": code.delivery.state.as_str(),
            "fallback": fallback_json(&code.delivery),
            "phone": code.phone,
            "code_length": code.code_length,
            "expires_in": code.expires_in.as_secs(),
            "resend_in": wait_secs(code.resend_in),
            "can_resend": code.can_resend,
        }),
        FlowView::ChooseAccount { phone } => json!({
            "step": "choose_account",
            "client_name": client_name,
            "phone": mask_e164(phone),
        }),
        FlowView::Consent { phone, scopes } => json!({
            "step": "consent",
            "client_name": client_name,
            "phone": mask_e164(phone),
            "scopes": scopes,
        }),
    }
}

/// A code went out, as the JSON API says it.
pub(super) fn code_sent(sent: &CodeSent) -> Value {
    json!({
        "step": "code",
        "channel": sent.delivery.medium,
        "delivery": sent.delivery.state.as_str(),
        "fallback": fallback_json(&sent.delivery),
        "new_code": sent.new_code,
        "code_length": sent.code_length,
        "expires_in": sent.expires_in.as_secs(),
        "resend_in": wait_secs(sent.resend_in),
    })
}

/// The other way the code can go: `null`, or where and in how many seconds.
fn fallback_json(delivery: &DeliveryView) -> Value {
    match &delivery.fallback {
        None => Value::Null,
        Some(f) => json!({"channel": f.medium, "available_in": wait_secs(f.available_in)}),
    }
}
