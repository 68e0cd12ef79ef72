//! What every page shares: where wagate lives (its base path, which a `Site` reads as), the
//! operator's brand, and the files the pages load, all from wagate's own origin.

use crate::config::{Asset, Branding};
use std::fmt;
use std::ops::Deref;

/// The pages' stylesheet before the operator's colours are put in front of it.
const STYLESHEET: &str = include_str!("../../assets/wagate.css");

/// The error colour on each background (6.5:1 and 8.2:1).
const ERROR_LIGHT: &str = "#b3261e";
const ERROR_DARK: &str = "#ff8a80";

#[derive(Debug, Clone)]
pub struct Site {
    base: String,
    pub branding: Branding,
    stylesheet: Asset,
}

impl Site {
    pub fn new(base: String, branding: Branding) -> Site {
        let p = &branding.palette;
        let css = format!(
            ":root {{ --accent: {}; --link: {}; --error: {ERROR_LIGHT}; }}\n\
             @media (prefers-color-scheme: dark) {{ :root {{ --link: {}; --error: {ERROR_DARK}; }} }}\n{STYLESHEET}",
            p.accent, p.accent, p.accent_on_dark
        );
        Site {
            base,
            stylesheet: Asset::new("wagate", "css", "text/css; charset=utf-8", css.into_bytes()),
            branding,
        }
    }

    fn url(&self, asset: &Asset) -> String {
        format!("{}/assets/{}", self.base, asset.file_name)
    }

    pub fn stylesheet(&self) -> String {
        self.url(&self.stylesheet)
    }

    pub fn name(&self) -> &str {
        &self.branding.name
    }

    pub fn logo(&self) -> Option<String> {
        self.branding.logo.as_ref().map(|a| self.url(a))
    }

    pub fn client_logo(&self, client_id: &str) -> Option<String> {
        self.branding.client_logo(client_id).map(|a| self.url(a))
    }

    pub fn footer(&self) -> Option<&str> {
        self.branding.footer.as_deref()
    }

    /// The operator's pages for people, with the message naming each.
    pub fn links(&self) -> Vec<(&'static str, &str)> {
        let b = &self.branding;
        [
            ("footer-support", &b.support_url),
            ("footer-privacy", &b.privacy_url),
            ("footer-terms", &b.terms_url),
        ]
        .into_iter()
        .filter_map(|(key, url)| url.as_deref().map(|u| (key, u)))
        .collect()
    }

    /// A file served under `/assets/`, by its name.
    pub fn asset(&self, file_name: &str) -> Option<&Asset> {
        std::iter::once(&self.stylesheet)
            .chain(self.branding.logo.as_ref())
            .chain(self.branding.client_logos.iter().map(|(_, a)| a))
            .find(|a| a.file_name == file_name)
    }
}

/// Links are written `{{ base }}/path`.
impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Wherever the base path is wanted as text.
impl Deref for Site {
    type Target = str;
    fn deref(&self) -> &str {
        &self.base
    }
}
