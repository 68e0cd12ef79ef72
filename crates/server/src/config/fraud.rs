//! `[fraud]`: the rules that keep message costs from being abused, checked and resolved.

use super::Config;
use super::file::CountryRuleConfig;
use super::file::FraudConfig;
use super::problems::read_secret;
use super::problems::{Problems, secs};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use wagate_core::guard::{
    Backoff, CaptchaProvider, ConversionFloor, CountryRule, MAX_DIFFICULTY, MIN_DIFFICULTY,
    SendRules,
};
use wagate_core::{PhonePolicy, mask_e164};
use wagate_storage::Secret;

/// What `[fraud]` resolves to.
#[derive(Debug, Clone)]
pub struct Fraud {
    pub enabled: bool,
    /// The operator's captcha in place of the proof of work: provider, site key, secret and
    /// where tokens are checked.
    pub captcha: Option<(CaptchaProvider, String, Secret, url::Url)>,
    pub rules: SendRules,
    pub challenge_difficulty: u64,
    pub challenge_ttl: Duration,
    /// Test numbers (E.164) and their fixed codes.
    pub test_numbers: HashMap<String, Secret>,
}

/// A number as an operator writes it, in E.164; international format only, as a list of
/// numbers for every country must be.
fn number(input: &str, what: &str, p: &mut Problems) -> Option<String> {
    match PhonePolicy::new(None, &[])
        .and_then(|policy| policy.parse(input).map_err(|e| e.to_string()))
    {
        Ok(n) => Some(n.e164().to_owned()),
        Err(e) => {
            p.add(format!(
                "{what}: {input:?} is not an international number ({e})"
            ));
            None
        }
    }
}

fn country_rule(country: &str, rule: &CountryRuleConfig, p: &mut Problems) -> Option<CountryRule> {
    let what = format!("fraud.countries.{country}");
    let valid_code = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
    p.check(
        valid_code,
        format!("{what}: countries are ISO 3166-1 alpha-2 codes in capitals (\"IN\")"),
    );
    let rule = match rule {
        CountryRuleConfig::HourlyCap(n) => Some(CountryRule::HourlyCap(*n)),
        CountryRuleConfig::Word(w) if w == "allow" => Some(CountryRule::Allow),
        CountryRuleConfig::Word(w) if w == "deny" => Some(CountryRule::Deny),
        CountryRuleConfig::Word(w) => {
            p.add(format!(
                "{what}: {w:?} is not a rule (\"allow\", \"deny\" or sends per hour)"
            ));
            None
        }
    };
    rule.filter(|_| valid_code)
}

/// `challenge = "turnstile" | "hcaptcha"`: the site key, the secret and where to check tokens.
fn captcha(
    f: &FraudConfig,
    p: &mut Problems,
) -> Option<(CaptchaProvider, String, Secret, url::Url)> {
    let provider = match f.challenge.as_str() {
        "proof_of_work" => return None,
        "turnstile" => CaptchaProvider::Turnstile,
        "hcaptcha" => CaptchaProvider::Hcaptcha,
        other => {
            p.add(format!(
                "fraud.challenge: {other:?} is not one of proof_of_work, turnstile, hcaptcha"
            ));
            return None;
        }
    };
    let site_key = f
        .captcha_site_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200 && !k.chars().any(char::is_control));
    p.check(
        site_key.is_some(),
        format!(
            "fraud.captcha_site_key: required with challenge = {:?}",
            f.challenge
        ),
    );
    let secret = read_secret(
        p,
        "fraud.captcha_secret",
        &f.captcha_secret,
        &f.captcha_secret_file,
    );
    p.check(
        secret.is_some(),
        format!(
            "fraud.captcha_secret (or _file): required with challenge = {:?}",
            f.challenge
        ),
    );
    let url_text = f
        .captcha_verify_url
        .clone()
        .unwrap_or_else(|| provider.verify_url().to_owned());
    let url = match wagate_core::outbound_url(&url_text) {
        Ok(u) => Some(u),
        Err(e) => {
            p.add(format!("fraud.captcha_verify_url: {e}"));
            None
        }
    };
    Some((provider, site_key?.to_owned(), secret?, url?))
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Fraud {
    let f = &config.fraud;
    p.check(
        f.prefix_sends_per_hour >= 1 && f.sends_per_hour >= 1 && f.sends_per_day >= 1,
        "fraud.prefix_sends_per_hour, sends_per_hour and sends_per_day: must be at least 1",
    );
    p.check(
        (0.0..=1.0).contains(&f.conversion_floor),
        "fraud.conversion_floor: a share between 0 (off) and 1",
    );
    p.check(
        f.conversion_window_secs >= 60 && f.conversion_min_sends >= 1,
        "fraud.conversion_window_secs: at least 60; fraud.conversion_min_sends: at least 1",
    );
    p.check(
        f.backoff_base_secs >= 1 && f.backoff_max_secs >= f.backoff_base_secs,
        "fraud.backoff_base_secs: at least 1, and at most fraud.backoff_max_secs",
    );
    p.check(
        f.backoff_quiet_secs >= 60,
        "fraud.backoff_quiet_secs: at least 60",
    );
    p.check(
        (MIN_DIFFICULTY..=MAX_DIFFICULTY).contains(&f.challenge_difficulty),
        format!("fraud.challenge_difficulty: between {MIN_DIFFICULTY} and {MAX_DIFFICULTY}"),
    );
    p.check(
        (30..=3600).contains(&f.challenge_ttl_secs),
        "fraud.challenge_ttl_secs: between 30 and 3600",
    );
    let countries = f
        .countries
        .iter()
        .filter_map(|(c, r)| country_rule(c, r, p).map(|rule| (c.clone(), rule)))
        .collect();
    let safe: HashSet<String> = f
        .safe_numbers
        .iter()
        .filter_map(|n| number(n, "fraud.safe_numbers", p))
        .collect();
    let mut test_numbers = HashMap::new();
    for t in &f.test_numbers {
        let Some(e164) = number(&t.number, "fraud.test_numbers", p) else {
            continue;
        };
        let code = t.code.expose();
        let ok = code.bytes().all(|b| b.is_ascii_digit())
            && wagate_core::CODE_LENGTHS.contains(&u8::try_from(code.len()).unwrap_or(0));
        p.check(
            ok,
            format!(
                "fraud.test_numbers ({}): the code must be {} to {} digits",
                mask_e164(&e164),
                wagate_core::CODE_LENGTHS.start(),
                wagate_core::CODE_LENGTHS.end()
            ),
        );
        p.warn(format!(
            "fraud.test_numbers: {} signs in with a fixed code and receives no message; keep test numbers for review and monitoring only",
            mask_e164(&e164)
        ));
        test_numbers.insert(e164, t.code.clone());
    }
    Fraud {
        enabled: f.enabled,
        captcha: captcha(f, p),
        rules: SendRules {
            countries,
            prefix_per_hour: f.prefix_sends_per_hour,
            overall_per_hour: f.sends_per_hour,
            overall_per_day: f.sends_per_day,
            conversion: (f.conversion_floor > 0.0).then(|| ConversionFloor {
                floor: f.conversion_floor,
                min_sent: f.conversion_min_sends,
                window: secs(f.conversion_window_secs),
            }),
            backoff: Backoff {
                free: f.backoff_free_sends,
                base: secs(f.backoff_base_secs),
                max: secs(f.backoff_max_secs),
                quiet: secs(f.backoff_quiet_secs),
            },
            safe,
        },
        challenge_difficulty: f.challenge_difficulty,
        challenge_ttl: secs(f.challenge_ttl_secs),
        test_numbers,
    }
}
