//! Cloudflare Turnstile or hCaptcha as the sending challenge, when an operator prefers one to
//! the proof of work: the widget's token is checked with the provider's `siteverify`, which
//! also makes each token single use. Both providers take the same form (`secret`,
//! `response`, `remoteip`) and answer `{"success": bool, ...}`.

use super::SolutionError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use url::Url;
use wagate_storage::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaptchaProvider {
    Turnstile,
    Hcaptcha,
}

impl CaptchaProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => "turnstile",
            CaptchaProvider::Hcaptcha => "hcaptcha",
        }
    }

    /// Where tokens are checked, unless configured otherwise.
    pub fn verify_url(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => {
                "https://challenges.cloudflare.com/turnstile/v0/siteverify"
            }
            CaptchaProvider::Hcaptcha => "https://api.hcaptcha.com/siteverify",
        }
    }

    /// The widget's script, which pages load from the provider.
    pub fn script_url(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => "https://challenges.cloudflare.com/turnstile/v0/api.js",
            CaptchaProvider::Hcaptcha => "https://js.hcaptcha.com/1/api.js",
        }
    }

    /// The origins the widget needs in the pages' Content-Security-Policy.
    pub fn origins(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => "https://challenges.cloudflare.com",
            CaptchaProvider::Hcaptcha => "https://hcaptcha.com https://*.hcaptcha.com",
        }
    }

    /// The form field the widget fills with its token.
    pub fn field(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => "cf-turnstile-response",
            CaptchaProvider::Hcaptcha => "h-captcha-response",
        }
    }

    /// The widget's element class.
    pub fn widget_class(self) -> &'static str {
        match self {
            CaptchaProvider::Turnstile => "cf-turnstile",
            CaptchaProvider::Hcaptcha => "h-captcha",
        }
    }
}

/// What an app must show to get a token: the provider and the site key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptchaChallenge {
    #[serde(rename = "type")]
    pub provider: CaptchaProvider,
    pub site_key: String,
}

pub struct Captcha {
    provider: CaptchaProvider,
    site_key: String,
    secret: Secret,
    verify_url: Url,
    http: reqwest::Client,
}

impl fmt::Debug for Captcha {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Captcha")
            .field("provider", &self.provider)
            .field("site_key", &self.site_key)
            .field("verify_url", &self.verify_url.as_str())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Verdict {
    success: bool,
}

/// Why a token could not be checked (as opposed to a wrong one).
#[derive(Debug, thiserror::Error)]
#[error("the captcha provider could not be asked: {0}")]
pub struct Unreachable(String);

impl Captcha {
    pub fn new(
        provider: CaptchaProvider,
        site_key: String,
        secret: Secret,
        verify_url: Url,
        http: reqwest::Client,
    ) -> Captcha {
        Captcha {
            provider,
            site_key,
            secret,
            verify_url,
            http,
        }
    }

    pub fn provider(&self) -> CaptchaProvider {
        self.provider
    }

    pub fn challenge(&self) -> CaptchaChallenge {
        CaptchaChallenge {
            provider: self.provider,
            site_key: self.site_key.clone(),
        }
    }

    /// Asks the provider whether `token` is a fresh, solved challenge of this site.
    pub async fn verify(
        &self,
        token: &str,
        ip: Option<IpAddr>,
    ) -> Result<Result<(), SolutionError>, Unreachable> {
        let token = token.trim();
        if token.is_empty() || token.len() > 4096 {
            return Ok(Err(SolutionError::Malformed));
        }
        let mut form = vec![
            ("secret", self.secret.expose().to_owned()),
            ("response", token.to_owned()),
        ];
        if let Some(ip) = ip {
            form.push(("remoteip", ip.to_string()));
        }
        let request = self.http.post(self.verify_url.clone()).form(&form);
        let answer = wagate_telemetry::send("captcha", request)
            .await
            .map_err(|e| Unreachable(e.without_url().to_string()))?;
        if !answer.status().is_success() {
            return Err(Unreachable(format!("status {}", answer.status())));
        }
        let verdict: Verdict = answer
            .json()
            .await
            .map_err(|e| Unreachable(e.without_url().to_string()))?;
        Ok(if verdict.success {
            Ok(())
        } else {
            Err(SolutionError::Wrong)
        })
    }
}
