//! People's languages. Every word wagate shows or sends a person comes from Fluent files,
//! `locales/<language>/wagate.ftl`: built in, and overridden or extended from a directory
//! the operator names. The language of a request is chosen in one place
//! ([`Texts::negotiate`]): what the portal asked for (`ui_locales`), then what the person
//! picked, then the browser's languages, then the configured default.

use fluent_templates::fluent_bundle::{FluentResource, FluentValue};
use fluent_templates::{ArcLoader, LanguageIdentifier, Loader, static_loader};
use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

static_loader! {
    static BUILT_IN = {
        locales: "../../locales",
        fallback_language: "en",
        customise: |bundle| isolate_if_right_to_left(bundle),
    };
}

/// Variables (a number, a portal's name) are wrapped in Unicode isolation marks only in
/// right-to-left languages, where a Latin name or a phone number would otherwise reorder the
/// sentence around it; elsewhere the marks would only be invisible noise in pages and texts.
fn isolate_if_right_to_left(bundle: &mut fluent_templates::FluentBundle<&FluentResource>) {
    let rtl = bundle.locales.first().is_some_and(right_to_left);
    bundle.set_use_isolating(rtl);
}

fn right_to_left(lang: &LanguageIdentifier) -> bool {
    RIGHT_TO_LEFT.contains(&lang.language.as_str())
}

/// The languages wagate ships, as BCP 47 tags.
pub const BUILT_IN_LANGUAGES: [&str; 7] = ["en", "es", "pt-BR", "fr", "hi", "id", "ar"];

/// Languages written right to left (their primary subtags).
const RIGHT_TO_LEFT: [&str; 9] = ["ar", "he", "fa", "ur", "ps", "sd", "yi", "dv", "ckb"];

/// Why the configured languages cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum I18nError {
    /// The operator's directory cannot be read as Fluent files.
    #[error("translations in {0}")]
    Directory(String),
    /// The default is a language wagate has no words for.
    #[error("{0:?} is not one of the languages wagate has: {1}")]
    UnknownDefault(String, String),
}

/// wagate's words in every language it knows.
pub struct Texts {
    /// The operator's files: they win over the built-in ones, language by language.
    extra: Option<ArcLoader>,
    languages: Vec<LanguageIdentifier>,
    default: LanguageIdentifier,
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Texts")
            .field("languages", &self.languages())
            .field("default", &self.default.to_string())
            .field("extra", &self.extra.is_some())
            .finish()
    }
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            extra: None,
            languages: built_in(),
            default: fallback(),
        }
    }
}

fn fallback() -> LanguageIdentifier {
    LanguageIdentifier::from_bytes(b"en").unwrap_or_default()
}

fn built_in() -> Vec<LanguageIdentifier> {
    BUILT_IN_LANGUAGES
        .iter()
        .filter_map(|t| t.parse().ok())
        .collect()
}

impl Texts {
    /// The built-in languages, plus those of `directory` (one folder per language, holding
    /// `.ftl` files), whose messages win. `default`: the language when nothing else decides.
    pub fn new(default: &str, directory: Option<&Path>) -> Result<Texts, I18nError> {
        let mut texts = Texts::default();
        if let Some(dir) = directory {
            let loader = ArcLoader::builder(dir, fallback())
                .customize(|bundle| {
                    let rtl = bundle.locales.first().is_some_and(right_to_left);
                    bundle.set_use_isolating(rtl);
                })
                .build()
                .map_err(|e| I18nError::Directory(format!("{}: {e}", dir.display())))?;
            for lang in loader.locales() {
                if !texts.languages.contains(lang) {
                    texts.languages.push(lang.clone());
                }
            }
            texts.extra = Some(loader);
        }
        texts.default = default
            .parse::<LanguageIdentifier>()
            .ok()
            .and_then(|wanted| texts.best(&wanted))
            .ok_or_else(|| {
                I18nError::UnknownDefault(default.to_owned(), texts.languages().join(", "))
            })?;
        Ok(texts)
    }

    /// Every language, as BCP 47 tags (discovery's `ui_locales_supported`).
    pub fn languages(&self) -> Vec<String> {
        self.languages.iter().map(ToString::to_string).collect()
    }

    /// The person's language: the first tag of the first list that names a language wagate
    /// has (exactly, or by its primary language: `pt` and `pt-PT` find `pt-BR`), else the
    /// default. Lists come most important first: `ui_locales`, the person's pick, the
    /// browser's `Accept-Language`.
    pub fn negotiate(&self, preferences: &[&[String]]) -> Lang<'_> {
        let id = preferences
            .iter()
            .flat_map(|list| list.iter())
            .filter_map(|tag| tag.parse::<LanguageIdentifier>().ok())
            .find_map(|wanted| self.best(&wanted))
            .unwrap_or_else(|| self.default.clone());
        Lang { texts: self, id }
    }

    /// The default language.
    pub fn default_language(&self) -> Lang<'_> {
        Lang {
            texts: self,
            id: self.default.clone(),
        }
    }

    fn best(&self, wanted: &LanguageIdentifier) -> Option<LanguageIdentifier> {
        let exact = self.languages.iter().find(|l| {
            l.language == wanted.language && l.script == wanted.script && l.region == wanted.region
        });
        let same_language = || {
            self.languages
                .iter()
                .find(|l| l.language == wanted.language)
        };
        exact.or_else(same_language).cloned()
    }

    fn lookup(&self, id: &LanguageIdentifier, key: &str, args: Option<&Args>) -> String {
        let operators = self
            .extra
            .as_ref()
            .and_then(|x| x.lookup_no_default_fallback(id, key, args));
        operators
            .or_else(|| BUILT_IN.try_lookup_complete(id, key, args))
            // A key missing everywhere shows itself rather than nothing.
            .unwrap_or_else(|| key.to_owned())
    }
}

/// English, for what has no person to ask (and as the pages' default).
pub fn english() -> &'static Lang<'static> {
    static TEXTS: LazyLock<Texts> = LazyLock::new(Texts::default);
    static ENGLISH: LazyLock<Lang<'static>> = LazyLock::new(|| TEXTS.default_language());
    &ENGLISH
}

fn text(value: impl AsRef<str>) -> FluentValue<'static> {
    FluentValue::from(value.as_ref().to_owned())
}

type Args = HashMap<Cow<'static, str>, FluentValue<'static>>;

/// One person's language: what pages and messages are written in.
#[derive(Clone)]
pub struct Lang<'a> {
    texts: &'a Texts,
    id: LanguageIdentifier,
}

impl fmt::Debug for Lang<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.id)
    }
}

impl Lang<'_> {
    /// The BCP 47 tag (`pt-BR`), for `lang=` and `Content-Language`.
    pub fn tag(&self) -> String {
        self.id.to_string()
    }

    /// `rtl` or `ltr`, for `dir=`.
    pub fn dir(&self) -> &'static str {
        if right_to_left(&self.id) {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Every language wagate has, each named in itself (for a language menu): tag and name.
    pub fn choices(&self) -> Vec<(String, String)> {
        self.texts
            .languages
            .iter()
            .map(|id| {
                let named = self.texts.lookup(id, "language-name", None);
                // A language that does not name itself (an operator's, say) shows its tag
                // rather than English's name.
                let fell_back = id.language.as_str() != "en" && named == "English";
                (
                    id.to_string(),
                    if fell_back { id.to_string() } else { named },
                )
            })
            .collect()
    }

    /// The message `key`.
    pub fn get(&self, key: &str) -> String {
        self.texts.lookup(&self.id, key, None)
    }

    /// The message `key` with the text variable `name`.
    pub fn with(&self, key: &str, name: &'static str, value: impl AsRef<str>) -> String {
        self.args(key, [(name, text(value))])
    }

    /// The message `key` with the number `name` (plurals follow it).
    pub fn count(&self, key: &str, name: &'static str, n: impl Borrow<u64>) -> String {
        self.args(key, [(name, FluentValue::from(*n.borrow()))])
    }

    /// The message `key` with a number and a text.
    pub fn count_with(
        &self,
        key: &str,
        n_name: &'static str,
        n: impl Borrow<u64>,
        name: &'static str,
        value: impl AsRef<str>,
    ) -> String {
        self.args(
            key,
            [
                (n_name, FluentValue::from(*n.borrow())),
                (name, text(value)),
            ],
        )
    }

    /// The message `key` with two texts.
    pub fn with_two(
        &self,
        key: &str,
        a: &'static str,
        a_value: impl AsRef<str>,
        b: &'static str,
        b_value: impl AsRef<str>,
    ) -> String {
        self.args(key, [(a, text(a_value)), (b, text(b_value))])
    }

    /// The message `key` with several variables.
    pub fn args<const N: usize>(
        &self,
        key: &str,
        values: [(&'static str, FluentValue<'static>); N],
    ) -> String {
        let rtl = right_to_left(&self.id);
        let args: Args = values
            .into_iter()
            .map(|(k, v)| match v {
                FluentValue::String(s) if rtl && LEFT_TO_RIGHT.contains(&k) => (
                    Cow::Borrowed(k),
                    FluentValue::from(format!("\u{2066}{s}\u{2069}")),
                ),
                v => (Cow::Borrowed(k), v),
            })
            .collect();
        self.texts.lookup(&self.id, key, Some(&args))
    }
}

/// Variables that read left to right in every language: numbers with spaces or signs. In a
/// right-to-left sentence Fluent's own isolation takes the sentence's direction for them (digits
/// have none), which would show `+44 7400 170004` as `170004 7400 44+`; a left-to-right
/// isolate keeps them whole.
const LEFT_TO_RIGHT: [&str; 3] = ["phone", "example", "code"];

#[cfg(test)]
mod tests;
