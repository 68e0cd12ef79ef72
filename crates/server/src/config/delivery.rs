//! `[delivery]`: how the `local` backend sends a code: the channel, the fallback channel, and
//! each channel's own keys.

use super::file::{ChannelName, DeliveryConfig, MediumName, WhatsAppConfig};
use super::problems::{Problems, read_secret, secs};
use super::{Delivery, DeliverySettings, WhatsAppHook};
use wagate_core::delivery::{Medium, WhatsAppSettings};
use wagate_core::outbound_url;

const CHANNELS: &str = "log, webhook, whatsapp";

pub(super) fn resolve(d: &DeliveryConfig, p: &mut Problems) -> Option<DeliverySettings> {
    let name = d.channel.resolve("delivery.channel", CHANNELS, p)?;
    let fallback_name = match &d.fallback {
        None => None,
        Some(choice) => Some(choice.resolve("delivery.fallback", CHANNELS, p)?),
    };
    if fallback_name == Some(name) {
        p.add("delivery.fallback: must be another channel than delivery.channel");
        return None;
    }
    let uses_whatsapp =
        name == ChannelName::WhatsApp || fallback_name == Some(ChannelName::WhatsApp);
    // Every part is read before any is given up on, so that all problems show at once.
    let hook = uses_whatsapp.then(|| hook(&d.whatsapp, p));
    let channel = channel_of(name, d, p);
    let fallback = fallback_name.map(|f| {
        p.check(
            (1..=600).contains(&d.whatsapp.fallback_after_secs),
            "delivery.whatsapp.fallback_after_secs: must be between 1 and 600",
        );
        channel_of(f, d, p)
    });
    Some(DeliverySettings {
        channel: channel?,
        fallback: match fallback {
            None => None,
            Some(f) => Some((f?, secs(d.whatsapp.fallback_after_secs))),
        },
        whatsapp_hook: match hook {
            None => None,
            Some(h) => Some(h?),
        },
    })
}

fn channel_of(name: ChannelName, d: &DeliveryConfig, p: &mut Problems) -> Option<Delivery> {
    match name {
        ChannelName::Log => Some(Delivery::Log),
        ChannelName::Webhook => webhook(d, p),
        ChannelName::WhatsApp => whatsapp(&d.whatsapp, p).map(|w| Delivery::WhatsApp(Box::new(w))),
    }
}

fn webhook(d: &DeliveryConfig, p: &mut Problems) -> Option<Delivery> {
    let url = match d.webhook_url.as_deref().map(outbound_url) {
        Some(Ok(u)) => Some(u.to_string()),
        Some(Err(why)) => {
            p.add(format!("delivery.webhook_url: {why}"));
            None
        }
        None => {
            p.add("delivery.webhook_url: required for the webhook channel");
            None
        }
    };
    let secret = read_secret(
        p,
        "delivery.webhook_secret",
        &d.webhook_secret,
        &d.webhook_secret_file,
    );
    match &secret {
        None => p.add(
            "delivery.webhook_secret: required for the webhook channel (or webhook_secret_file)",
        ),
        Some(s) if s.expose().chars().count() < 16 => {
            p.add("delivery.webhook_secret: must be at least 16 characters")
        }
        Some(_) => {}
    }
    p.check(
        (1..=60).contains(&d.webhook_timeout_secs),
        "delivery.webhook_timeout_secs: must be between 1 and 60",
    );
    let medium = match d
        .webhook_medium
        .resolve("delivery.webhook_medium", "whatsapp, sms", p)?
    {
        MediumName::WhatsApp => Medium::WhatsApp,
        MediumName::Sms => Medium::Sms,
    };
    match (url, secret) {
        (Some(url), Some(secret)) => Some(Delivery::Webhook {
            url,
            secret,
            timeout: secs(d.webhook_timeout_secs),
            medium,
        }),
        _ => None,
    }
}

fn whatsapp(w: &WhatsAppConfig, p: &mut Problems) -> Option<WhatsAppSettings> {
    let phone_number_id = w.phone_number_id.clone().unwrap_or_default();
    p.check(
        !phone_number_id.is_empty() && phone_number_id.bytes().all(|b| b.is_ascii_digit()),
        "delivery.whatsapp.phone_number_id: required (the digits of the business number's id)",
    );
    let token = read_secret(
        p,
        "delivery.whatsapp.access_token",
        &w.access_token,
        &w.access_token_file,
    );
    if token.is_none() {
        p.add("delivery.whatsapp.access_token: required (or access_token_file)");
    }
    let base = match outbound_url(&w.api_base_url) {
        Ok(u) => Some(u.to_string().trim_end_matches('/').to_owned()),
        Err(why) => {
            p.add(format!("delivery.whatsapp.api_base_url: {why}"));
            None
        }
    };
    check_names(w, p);
    p.check(
        (1..=60).contains(&w.timeout_secs),
        "delivery.whatsapp.timeout_secs: must be between 1 and 60",
    );
    Some(WhatsAppSettings {
        api_base_url: base?,
        api_version: w.api_version.clone(),
        phone_number_id,
        access_token: token?,
        template: w.template.clone(),
        default_language: w.default_language.clone(),
        languages: w
            .languages
            .iter()
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect(),
        timeout: secs(w.timeout_secs),
    })
}

/// The API version, the template's name and the language codes: words Meta knows, or the
/// request would only fail later, at a person's login.
fn check_names(w: &WhatsAppConfig, p: &mut Problems) {
    let version_ok = w
        .api_version
        .strip_prefix('v')
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && (a.to_owned() + b).bytes().all(|c| c.is_ascii_digit())
        });
    p.check(
        version_ok,
        "delivery.whatsapp.api_version: must look like v23.0",
    );
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 512
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    p.check(
        plain(&w.template),
        "delivery.whatsapp.template: letters, digits, - and _ only",
    );
    for (person, template) in
        std::iter::once((&"default".to_owned(), &w.default_language)).chain(w.languages.iter())
    {
        p.check(
            plain(person) && plain(template),
            format!(
                "delivery.whatsapp.languages: {person:?} = {template:?} is not a language code"
            ),
        );
    }
}

/// The status webhook's secrets: both are needed to receive Meta's reports.
fn hook(w: &WhatsAppConfig, p: &mut Problems) -> Option<WhatsAppHook> {
    let app_secret = read_secret(
        p,
        "delivery.whatsapp.app_secret",
        &w.app_secret,
        &w.app_secret_file,
    );
    let verify_token = read_secret(
        p,
        "delivery.whatsapp.verify_token",
        &w.verify_token,
        &w.verify_token_file,
    );
    if app_secret.is_none() {
        p.add("delivery.whatsapp.app_secret: required to check Meta's status webhooks (or app_secret_file)");
    }
    if verify_token.is_none() {
        p.add("delivery.whatsapp.verify_token: required for Meta's webhook set-up (or verify_token_file)");
    }
    Some(WhatsAppHook {
        app_secret: app_secret?,
        verify_token: verify_token?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Config, Source, resolve};
    use super::*;
    use wagate_storage::Secret;

    fn problems(c: &Config) -> String {
        resolve(c, &Source::File("t".into()))
            .map(|_| String::new())
            .unwrap_or_else(|p| p.join("\n"))
    }

    #[test]
    fn whatsapp_with_an_sms_fallback_resolves() {
        let mut c = Config::default();
        c.totp.enabled = false;
        c.delivery.channel = "whatsapp".into();
        c.delivery.fallback = Some("webhook".into());
        c.delivery.webhook_url = Some("https://sms.example/otp".into());
        c.delivery.webhook_secret = Some(Secret::new("0123456789abcdef"));
        c.delivery.webhook_medium = "sms".into();
        let w = &mut c.delivery.whatsapp;
        w.phone_number_id = Some("106540352242922".into());
        w.access_token = Some(Secret::new("token"));
        w.app_secret = Some(Secret::new("app-secret"));
        w.verify_token = Some(Secret::new("verify"));
        w.api_base_url = "https://graph.facebook.com/".into();
        let s = resolve(&c, &Source::File("t".into())).unwrap();
        let Delivery::WhatsApp(w) = &s.delivery.channel else {
            panic!("{:?}", s.delivery.channel);
        };
        assert_eq!(w.api_base_url, "https://graph.facebook.com");
        assert!(matches!(
            s.delivery.fallback,
            Some((Delivery::Webhook { medium: Medium::Sms, .. }, after)) if after.as_secs() == 20
        ));
        assert!(s.delivery.whatsapp_hook.is_some());
    }

    #[test]
    fn every_whatsapp_problem_is_reported_at_once() {
        let mut c = Config::default();
        c.delivery.channel = "whatsapp".into();
        c.delivery.fallback = Some("webhook".into());
        c.delivery.whatsapp.api_base_url = "http://graph.facebook.com".into();
        c.delivery.whatsapp.api_version = "23".into();
        c.delivery.whatsapp.template = "wagate code".into();
        let all = problems(&c);
        for needle in [
            "delivery.whatsapp.phone_number_id: required",
            "delivery.whatsapp.access_token: required",
            "delivery.whatsapp.app_secret: required",
            "delivery.whatsapp.verify_token: required",
            "delivery.whatsapp.api_base_url: must use https",
            "delivery.whatsapp.api_version",
            "delivery.whatsapp.template",
            "delivery.webhook_url: required",
        ] {
            assert!(all.contains(needle), "{needle} missing from:\n{all}");
        }

        let mut same = Config::default();
        same.delivery.fallback = Some("log".into());
        assert!(problems(&same).contains("must be another channel"));
        let mut unknown = Config::default();
        unknown.delivery.fallback = Some("carrier-pigeon".into());
        assert!(problems(&unknown).contains("delivery.fallback"));
    }
}
