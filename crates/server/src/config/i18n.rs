//! `[i18n]`: the languages people are served in.

use super::file::I18nConfig;
use super::problems::Problems;
use wagate_core::i18n::{I18nError, Texts};

pub(super) fn resolve(c: &I18nConfig, p: &mut Problems) -> Option<Texts> {
    match Texts::new(&c.default_language, c.directory.as_deref()) {
        Ok(texts) => Some(texts),
        Err(e) => {
            let key = match e {
                I18nError::Directory(_) => "i18n.directory",
                I18nError::UnknownDefault(..) => "i18n.default_language",
            };
            p.add(format!("{key}: {e}"));
            None
        }
    }
}
