//! `[branding]`: the operator's name, logo, colour, links and footer on the pages; each
//! portal's logo; and who people are told writes to them on WhatsApp.

use super::Config;
use super::colour::{self, ColourError, Palette};
use super::problems::Problems;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use url::Url;

/// The largest logo wagate serves.
const MAX_LOGO_BYTES: usize = 256 * 1024;

/// A file the pages show, served by wagate under a name that changes with its content (so
/// browsers may keep it for ever).
#[derive(Debug, Clone)]
pub struct Asset {
    /// `<stem>.<first 16 hex of its SHA-256>.<ext>`
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Arc<[u8]>,
}

impl Asset {
    pub fn new(stem: &str, ext: &str, content_type: &'static str, bytes: Vec<u8>) -> Asset {
        let hash = hex_prefix(&Sha256::digest(&bytes));
        Asset {
            file_name: format!("{stem}.{hash}.{ext}"),
            content_type,
            bytes: bytes.into(),
        }
    }
}

fn hex_prefix(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// What the pages show of the operator and the portals.
#[derive(Debug, Clone)]
pub struct Branding {
    pub name: String,
    pub logo: Option<Asset>,
    pub palette: Palette,
    pub support_url: Option<String>,
    pub privacy_url: Option<String>,
    pub terms_url: Option<String>,
    pub footer: Option<String>,
    /// Portals' logos, by client id.
    pub client_logos: Vec<(String, Asset)>,
    pub whatsapp_sender: Option<String>,
    /// `https://wa.me/<digits>`: the sender's chat, opened in WhatsApp.
    pub whatsapp_link: Option<String>,
}

impl Default for Branding {
    fn default() -> Self {
        let mut p = Problems::default();
        resolve(&Config::default(), &mut p)
    }
}

impl Branding {
    pub fn client_logo(&self, client_id: &str) -> Option<&Asset> {
        self.client_logos
            .iter()
            .find(|(id, _)| id == client_id)
            .map(|(_, a)| a)
    }
}

/// Short, printable text (a name, a sender, a footer).
fn text(value: Option<&str>, max: usize, what: &str, p: &mut Problems) -> Option<String> {
    let value = value.map(str::trim).filter(|s| !s.is_empty());
    p.check(
        value.is_none_or(|s| s.chars().count() <= max && !s.chars().any(char::is_control)),
        format!("{what}: at most {max} characters, no control characters"),
    );
    value.map(str::to_owned)
}

/// A page people may be sent to: https (http only for loopback hosts, when testing).
fn link(value: Option<&str>, what: &str, p: &mut Problems) -> Option<String> {
    let value = value.map(str::trim).filter(|s| !s.is_empty())?;
    let ok = Url::parse(value).is_ok_and(|u| {
        u.scheme() == "https" || (u.scheme() == "http" && wagate_core::is_loopback(&u))
    });
    p.check(ok, format!("{what}: an https URL"));
    ok.then(|| value.to_owned())
}

/// A logo file: an image type browsers show, small enough to serve with every page.
pub(super) fn logo(path: &Path, stem: &str, what: &str, p: &mut Problems) -> Option<Asset> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let content_type = match ext.as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("svg") => "image/svg+xml",
        _ => {
            p.add(format!(
                "{what}: {} is not a .png, .jpg, .webp or .svg file",
                path.display()
            ));
            return None;
        }
    };
    match std::fs::read(path) {
        Ok(bytes) if bytes.len() > MAX_LOGO_BYTES => {
            p.add(format!(
                "{what}: {} is {} bytes; at most {MAX_LOGO_BYTES}",
                path.display(),
                bytes.len()
            ));
            None
        }
        Ok(bytes) => Some(Asset::new(
            stem,
            ext.as_deref().unwrap_or("png"),
            content_type,
            bytes,
        )),
        Err(e) => {
            p.add(format!("{what}: cannot read {}: {e}", path.display()));
            None
        }
    }
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Branding {
    let c = &config.branding;
    let palette = match colour::palette(
        c.primary_color
            .as_deref()
            .unwrap_or(colour::DEFAULT_PRIMARY),
    ) {
        Ok(palette) => palette,
        Err(e) => {
            p.add(match e {
                ColourError::NotHex => "branding.primary_color: a colour as #rrggbb".to_owned(),
                ColourError::LowContrast(ratio) => format!(
                    "branding.primary_color: white text on it reads at {ratio:.2}:1; WCAG AA needs {}:1 (pick a darker colour)",
                    colour::MIN_CONTRAST
                ),
            });
            colour::palette(colour::DEFAULT_PRIMARY).unwrap_or(Palette {
                accent: colour::DEFAULT_PRIMARY.into(),
                accent_on_dark: "#ffffff".into(),
            })
        }
    };
    let client_logos = config
        .clients
        .iter()
        .filter_map(|client| {
            let path = client.logo_file.as_deref()?;
            let what = format!("clients ({}).logo_file", client.client_id);
            logo(path, "client", &what, p).map(|a| (client.client_id.clone(), a))
        })
        .collect();
    Branding {
        name: text(c.name.as_deref(), 64, "branding.name", p).unwrap_or_else(|| "wagate".into()),
        logo: c
            .logo_file
            .as_deref()
            .and_then(|path| logo(path, "logo", "branding.logo_file", p)),
        palette,
        support_url: link(c.support_url.as_deref(), "branding.support_url", p),
        privacy_url: link(c.privacy_url.as_deref(), "branding.privacy_url", p),
        terms_url: link(c.terms_url.as_deref(), "branding.terms_url", p),
        footer: text(c.footer.as_deref(), 300, "branding.footer", p),
        client_logos,
        whatsapp_sender: text(
            c.whatsapp_sender.as_deref(),
            64,
            "branding.whatsapp_sender",
            p,
        ),
        whatsapp_link: whatsapp_link(c.whatsapp_number.as_deref(), p),
    }
}

fn whatsapp_link(number: Option<&str>, p: &mut Problems) -> Option<String> {
    let digits = number.map(|n| {
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
    digits
        .filter(|_| number_ok)
        .map(|d| format!("https://wa.me/{d}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems_of(tweak: impl FnOnce(&mut Config)) -> Vec<String> {
        let mut config = Config::default();
        tweak(&mut config);
        let mut p = Problems::default();
        resolve(&config, &mut p);
        p.finish().err().unwrap_or_default()
    }

    #[test]
    fn check_config_names_every_branding_problem() {
        let problems = problems_of(|c| {
            let b = &mut c.branding;
            b.primary_color = Some("#25d366".into());
            b.logo_file = Some("logo.gif".into());
            b.support_url = Some("http://help.example/".into());
            b.footer = Some("line\nbreak".into());
        })
        .join("\n");
        assert!(
            problems.contains("branding.primary_color: white text on it reads at 1.98:1"),
            "{problems}"
        );
        assert!(
            problems.contains("branding.logo_file: logo.gif is not"),
            "{problems}"
        );
        assert!(
            problems.contains("branding.support_url: an https URL"),
            "{problems}"
        );
        assert!(problems.contains("branding.footer"), "{problems}");
        assert!(
            problems_of(|c| c.branding.primary_color = Some("#0b7366".into())).is_empty(),
            "the default passes"
        );
    }

    #[test]
    fn a_missing_or_large_logo_is_refused() {
        let missing = problems_of(|c| c.branding.logo_file = Some("/nonexistent/logo.png".into()));
        assert!(
            missing[0].contains("cannot read /nonexistent/logo.png"),
            "{missing:?}"
        );
        let big = std::env::temp_dir().join(format!("wagate-big-logo-{}.png", std::process::id()));
        std::fs::write(&big, vec![0u8; MAX_LOGO_BYTES + 1]).unwrap_or_default();
        let large = problems_of(|c| c.branding.logo_file = Some(big.clone()));
        let _ = std::fs::remove_file(&big);
        assert!(large[0].contains("at most 262144"), "{large:?}");
    }
}
