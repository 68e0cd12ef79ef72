//! Server-rendered pages. They work without JavaScript and carry strict security headers.

use super::Site;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use askama::Template;
use wagate_core::guard::CaptchaChallenge;
use wagate_core::i18n::Lang;

#[derive(Template)]
#[template(path = "phone.html")]
pub struct PhonePage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    /// This page's address, URL-encoded: where the language switcher comes back to.
    pub here: String,
    pub client_name: &'a str,
    pub portal_logo: Option<String>,
    /// A sending challenge to solve first (its JSON), and the script that solves it; or the
    /// operator's captcha widget.
    pub challenge: Option<&'a str>,
    pub captcha: Option<&'a CaptchaChallenge>,
    pub solve_script: &'static str,
    pub action: String,
    pub totp_action: String,
    pub csrf: &'a str,
    pub phone: &'a str,
    /// The number is proven already (by the authenticator): only the WhatsApp code is missing.
    pub locked: bool,
    pub offer_authenticator: bool,
    /// The countries people may pick for a national number, and the one offered first.
    pub countries: &'a [wagate_core::CountryChoice],
    pub country: Option<&'a str>,
    /// A number of that country as people there write it.
    pub example: Option<&'a str>,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "totp.html")]
pub struct TotpPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    /// This page's address, URL-encoded: where the language switcher comes back to.
    pub here: String,
    pub client_name: &'a str,
    pub portal_logo: Option<String>,
    pub action: String,
    pub csrf: &'a str,
    pub error: Option<&'a str>,
}

/// `prompt=select_account`: continue as the session's person, or another number.
#[derive(Template)]
#[template(path = "choose_account.html")]
pub struct ChooseAccountPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    /// This page's address, URL-encoded: where the language switcher comes back to.
    pub here: String,
    pub client_name: &'a str,
    pub action: String,
    pub csrf: &'a str,
    /// Masked: someone else may be looking at a shared device.
    pub phone: &'a str,
    pub error: Option<&'a str>,
}

/// `prompt=consent`: what the portal will receive, and whether it may.
#[derive(Template)]
#[template(path = "consent.html")]
pub struct ConsentPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    /// This page's address, URL-encoded: where the language switcher comes back to.
    pub here: String,
    pub client_name: &'a str,
    pub action: String,
    pub csrf: &'a str,
    pub phone: &'a str,
    /// The `phone` scope: the number and its verification.
    pub phone_number: bool,
    /// `offline_access`: a refresh token.
    pub offline: bool,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "authenticator_required.html")]
pub struct AuthenticatorRequiredPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    pub client_name: &'a str,
    pub account_url: String,
    pub back_url: String,
}

/// The account page: the authenticator's state, and what can be done with it now.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    /// This page's address, URL-encoded: where the language switcher comes back to.
    pub here: String,
    pub phone: &'a str,
    pub csrf: &'a str,
    /// Authenticator apps are offered here.
    pub totp_enabled: bool,
    pub active: bool,
    pub recovery_codes_left: u64,
    /// The login is recent enough to change the number or delete the account.
    pub fresh_login: bool,
    /// The person's sessions, newest first.
    pub sessions: Vec<SessionRow>,
    /// A code went to this new number: the page asks for it.
    pub number_code: Option<&'a str>,
    /// The login is recent enough to add an authenticator.
    pub fresh: bool,
    /// The login is recent and used the authenticator: it may remove it.
    pub removable: bool,
    /// A new secret to confirm: the QR code (data URI) and the secret for typing.
    /// The QR code, the key in groups of four, and the `otpauth://` link for this phone.
    pub enrolling: Option<(&'a str, String, &'a str)>,
    /// The recovery codes, ready for a `data:` link that saves them as a text file.
    pub codes_file: String,
    /// Recovery codes, shown once after confirmation.
    pub recovery_codes: Vec<&'a str>,
    pub notice: Option<&'a str>,
    pub error: Option<&'a str>,
}

/// One of the person's sessions on the account page.
pub struct SessionRow {
    /// When it began, `YYYY-MM-DD HH:MM UTC`.
    pub since: String,
    /// The portals it was used for, by name.
    pub portals: String,
    /// The session of this browser.
    pub current: bool,
}

/// The page after a person deleted their account.
#[derive(Template)]
#[template(path = "account_deleted.html")]
pub struct AccountDeletedPage<'a> {
    pub base: &'a Site,
    pub t: &'a Lang<'a>,
}

/// Asks a person to sign in before the account page.
#[derive(Template)]
#[template(path = "account_signin.html")]
pub struct AccountSignInPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    /// This page's address, URL-encoded: where the language switcher comes back to.
    pub here: String,
}

#[derive(Template)]
#[template(path = "code.html")]
pub struct CodePage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    /// This page's address, URL-encoded: where the language switcher comes back to.
    pub here: String,
    /// The page itself, to load again when the resend's time is up.
    pub page: String,
    pub portal_logo: Option<String>,
    /// A sending challenge for the resend (its JSON), and the script that solves it; or the
    /// operator's captcha widget.
    pub challenge: Option<&'a str>,
    pub captcha: Option<&'a CaptchaChallenge>,
    pub solve_script: &'static str,
    /// The countries of the "different number" form, and the one offered first.
    pub countries: &'a [wagate_core::CountryChoice],
    pub country: Option<&'a str>,
    pub code_action: String,
    pub resend_action: String,
    pub phone_action: String,
    pub csrf: &'a str,
    pub phone: &'a str,
    pub code_length: u64,
    pub expires_minutes: u64,
    pub resend_in: u64,
    pub can_resend: bool,
    /// The number is proven already: no "use a different number".
    pub locked: bool,
    /// The code went by SMS (else WhatsApp).
    pub sms: bool,
    /// What the channel reported: sent, delivered, read, failed.
    pub delivery: &'a str,
    /// The seconds until the person may ask for the code the other way, if there is one.
    pub fallback: Option<u64>,
    /// That other way is SMS (else WhatsApp).
    pub fallback_sms: bool,
    /// What a resend just did, in words.
    pub notice: Option<&'a str>,
    /// The optional script that keeps the resend button off until its time.
    pub script: &'static str,
    /// Who writes on WhatsApp, and a link to their chat (when the code went there).
    pub sender: Option<&'a str>,
    pub open_whatsapp: Option<&'a str>,
    pub error: Option<&'a str>,
}

impl CodePage<'_> {
    /// The resend's wait as m:ss.
    pub fn resend_clock(&self) -> String {
        format!("{}:{:02}", self.resend_in / 60, self.resend_in % 60)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    pub title: &'a str,
    pub message: &'a str,
    pub advice: &'a str,
    /// A login that ended: the same request anew, and the way back to the portal (its name).
    pub ways_out: Option<(&'a str, &'a str, &'a str)>,
}

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    pub issuer: &'a str,
    pub demo: bool,
}

#[derive(Template)]
#[template(path = "demo_result.html")]
pub struct DemoResultPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    pub logout_url: String,
    pub id_claims: String,
    pub userinfo: String,
}

#[derive(Template)]
#[template(path = "logout_confirm.html")]
pub struct LogoutConfirmPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
    pub csrf: &'a str,
    pub client_name: Option<&'a str>,
    /// The logout request's parameters, carried through the confirmation.
    pub carried: Vec<(&'a str, &'a str)>,
}

#[derive(Template)]
#[template(path = "signed_out.html")]
pub struct SignedOutPage<'a> {
    pub base: &'a Site,
    /// The person's language: every word of the page.
    pub t: &'a Lang<'a>,
}

/// Renders `page` with `status` and the page security headers.
pub fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    render_allowing(status, page, None)
}

/// As `render`, the policy also allowing a captcha provider's `origins`.
pub fn render_allowing(
    status: StatusCode,
    page: &impl Template,
    origins: Option<&str>,
) -> HttpResponse {
    let csp = match origins {
        Some(o) => super::script::csp_allowing(o),
        None => super::script::CSP.clone(),
    };
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CONTENT_SECURITY_POLICY, csp))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "page rendering failed");
            HttpResponse::ServiceUnavailable()
                .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
                .body("wagate could not draw this page; try again in a moment.")
        }
    }
}

/// A page that explains a problem to a person; `ways_out`: for a login that ended, the same
/// request anew, the way back to the portal, and the portal's name.
pub fn error_page(
    (base, t): (&Site, &Lang),
    status: StatusCode,
    (title, message, advice): (&str, &str, &str),
    ways_out: Option<(&str, &str, &str)>,
) -> HttpResponse {
    render(
        status,
        &ErrorPage {
            base,
            t,
            title,
            message,
            advice,
            ways_out,
        },
    )
}
