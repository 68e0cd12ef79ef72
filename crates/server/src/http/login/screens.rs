//! A flow's screen, drawn: as a page (forms, no JavaScript) or as JSON for apps that draw their
//! own.

use super::super::pages;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::{Value, json};
use wagate_core::{CodeSent, FlowView, Screen, mask_e164};

/// The page of `screen`, optionally with an error on it; `typed_phone`: the number the person
/// typed, shown again after a refusal.
pub(super) fn page(
    base: &str,
    screen: &Screen,
    status: StatusCode,
    error: Option<&str>,
    typed_phone: &str,
) -> HttpResponse {
    let action = |step: &str| format!("{base}/login/{}/{step}", screen.flow_id);
    let csrf = screen.csrf.expose();
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
            pages::render(
                status,
                &pages::PhonePage {
                    base,
                    client_name,
                    action: action("phone"),
                    totp_action: action("totp"),
                    csrf,
                    phone: &phone,
                    locked: *locked,
                    offer_authenticator: *authenticator_allowed && screen.authenticators,
                    error,
                },
            )
        }
        FlowView::Totp => pages::render(
            status,
            &pages::TotpPage {
                base,
                client_name,
                action: action("totp"),
                csrf,
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
                base,
                code_action: action("code"),
                resend_action: action("resend"),
                phone_action: action("phone"),
                csrf,
                phone,
                code_length: *code_length,
                expires_minutes: expires_in.as_secs().div_ceil(60),
                resend_in: resend_in.as_secs(),
                can_resend: *can_resend,
                locked: *locked,
                error,
            },
        ),
        FlowView::ChooseAccount { phone } => pages::render(
            status,
            &pages::ChooseAccountPage {
                base,
                client_name,
                action: action("account"),
                csrf,
                phone: &mask_e164(phone),
                error,
            },
        ),
        FlowView::Consent { phone, scopes } => pages::render(
            status,
            &pages::ConsentPage {
                base,
                client_name,
                action: action("consent"),
                csrf,
                phone: &mask_e164(phone),
                phone_number: scopes.iter().any(|s| s == wagate_oidc::SCOPE_PHONE),
                offline: scopes
                    .iter()
                    .any(|s| s == wagate_oidc::SCOPE_OFFLINE_ACCESS),
                error,
            },
        ),
    }
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
            "authenticator": *authenticator_allowed && screen.authenticators,
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
        "channel": "whatsapp",
        "code_length": sent.code_length,
        "expires_in": sent.expires_in.as_secs(),
        "resend_in": sent.resend_in.as_secs(),
    })
}
