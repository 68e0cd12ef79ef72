//! `[branding]`: who people are told writes to them.

use super::file::BrandingConfig;
use super::problems::Problems;

/// What the pages say about the sender of the codes.
#[derive(Debug, Clone, Default)]
pub struct Branding {
    pub whatsapp_sender: Option<String>,
    /// `https://wa.me/<digits>`: the sender's chat, opened in WhatsApp.
    pub whatsapp_link: Option<String>,
}

pub(super) fn resolve(c: &BrandingConfig, p: &mut Problems) -> Branding {
    let sender = c
        .whatsapp_sender
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    p.check(
        sender.is_none_or(|s| s.chars().count() <= 64 && !s.chars().any(char::is_control)),
        "branding.whatsapp_sender: at most 64 characters, no control characters",
    );
    let digits = c.whatsapp_number.as_deref().map(|n| {
        let n = n.trim();
        let n = n
            .strip_prefix('+')
            .or_else(|| n.strip_prefix("00"))
            .unwrap_or(n);
        n.replace([' ', '-'], "")
    });
    let number_ok = digits
        .as_deref()
        .is_none_or(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()));
    p.check(
        number_ok,
        "branding.whatsapp_number: an international number, like +15550100123",
    );
    Branding {
        whatsapp_sender: sender.map(str::to_owned),
        whatsapp_link: digits
            .filter(|_| number_ok)
            .map(|d| format!("https://wa.me/{d}")),
    }
}
