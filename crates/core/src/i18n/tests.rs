use super::*;
use std::collections::BTreeSet;

fn keys_and_variables(lang: &str) -> BTreeSet<String> {
    let path = format!(
        "{}/../../locales/{lang}/wagate.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = BTreeSet::new();
    let mut key = String::new();
    for line in text.lines() {
        if let Some((k, _)) = line.split_once(" =")
            && k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !k.is_empty()
        {
            key = k.to_owned();
            out.insert(key.clone());
        }
        let mut rest = line;
        while let Some(i) = rest.find("{ $") {
            let var: String = rest[i + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(format!("{key}:${var}"));
            rest = &rest[i + 3..];
        }
    }
    out
}

#[test]
fn every_language_has_every_message_with_its_variables() {
    let english = keys_and_variables("en");
    assert!(english.len() > 100, "{}", english.len());
    for lang in BUILT_IN_LANGUAGES {
        let theirs = keys_and_variables(lang);
        let missing: Vec<_> = english.difference(&theirs).collect();
        let extra: Vec<_> = theirs.difference(&english).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has unknown {extra:?}");
    }
}

#[test]
fn every_built_in_message_is_found_in_every_language() {
    let texts = Texts::default();
    for lang in BUILT_IN_LANGUAGES {
        let l = texts.negotiate(&[&[lang.to_owned()]]);
        assert_eq!(l.tag(), lang);
        for key in keys_and_variables("en").iter().filter(|k| !k.contains(':')) {
            let text = l.args(
                key,
                [
                    ("client", FluentValue::from("Portal")),
                    ("phone", FluentValue::from("+1")),
                    ("length", FluentValue::from(6)),
                    ("minutes", FluentValue::from(5)),
                    ("seconds", FluentValue::from(30)),
                    ("code", FluentValue::from("123456")),
                    ("n", FluentValue::from(2)),
                    ("example", FluentValue::from("081234 56789")),
                    ("sender", FluentValue::from("Acme")),
                ],
            );
            assert!(!text.is_empty() && text != *key, "{lang} {key}: {text:?}");
        }
    }
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| (*t).to_owned()).collect()
}

#[test]
fn the_portal_then_the_person_then_the_browser_then_the_default() {
    let texts = Texts::new("es", None).unwrap();
    let pick = |ui: &[&str], cookie: &[&str], browser: &[&str]| {
        texts
            .negotiate(&[&tags(ui), &tags(cookie), &tags(browser)])
            .tag()
    };
    assert_eq!(pick(&["ar", "en"], &["fr"], &["hi"]), "ar");
    assert_eq!(pick(&["xx"], &["fr"], &["hi"]), "fr");
    assert_eq!(pick(&[], &[], &["pt", "en"]), "pt-BR");
    assert_eq!(pick(&[], &[], &["es-MX"]), "es");
    assert_eq!(pick(&[], &[], &["en-GB"]), "en");
    assert_eq!(
        pick(&[], &[], &["de", "nl"]),
        "es",
        "the configured default"
    );
    assert!(Texts::new("xx", None).is_err());
}

fn plain(s: String) -> String {
    // Fluent isolates placeables for mixed directions; the words are what is tested here.
    s.replace(['\u{2068}', '\u{2069}'], "")
}

#[test]
fn plurals_follow_each_language() {
    let texts = Texts::default();
    let en = texts.negotiate(&[&tags(&["en"])]);
    assert_eq!(
        plain(en.count("code-expires", "minutes", 1)),
        "The code expires in 1 minute."
    );
    assert_eq!(
        plain(en.count("code-expires", "minutes", 5)),
        "The code expires in 5 minutes."
    );
    let ar = texts.negotiate(&[&tags(&["ar"])]);
    assert_eq!(ar.dir(), "rtl");
    assert_eq!(en.dir(), "ltr");
    let forms: BTreeSet<String> = [1, 2, 3, 11, 100]
        .iter()
        .map(|n| plain(ar.count("code-expires", "minutes", *n)))
        .collect();
    assert!(forms.len() >= 4, "Arabic has its own forms: {forms:?}");
}

#[test]
fn an_operators_directory_overrides_and_adds_languages() {
    let dir = std::env::temp_dir().join(format!("wagate-i18n-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("es")).unwrap();
    std::fs::create_dir_all(dir.join("sw")).unwrap();
    std::fs::write(
        dir.join("es/brand.ftl"),
        "phone-heading = Entra con tu número\n",
    )
    .unwrap();
    std::fs::write(dir.join("sw/wagate.ftl"), "phone-heading = Ingia\n").unwrap();
    let texts = Texts::new("en", Some(&dir)).unwrap();
    assert!(texts.languages().contains(&"sw".to_owned()));
    let es = texts.negotiate(&[&tags(&["es"])]);
    assert_eq!(es.get("phone-heading"), "Entra con tu número");
    assert_ne!(
        es.get("code-heading"),
        texts.default_language().get("code-heading"),
        "the rest stays built in"
    );
    let sw = texts.negotiate(&[&tags(&["sw"])]);
    assert_eq!(sw.get("phone-heading"), "Ingia");
    assert_eq!(
        sw.get("code-heading"),
        "Enter your code",
        "English where Swahili has nothing"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn numbers_read_left_to_right_in_right_to_left_sentences() {
    let texts = Texts::default();
    let ar = texts.negotiate(&[&tags(&["ar"])]);
    let line = ar.count_with(
        "code-sent-whatsapp",
        "length",
        6,
        "phone",
        "+44 7400 170004",
    );
    assert!(
        line.contains("\u{2066}+44 7400 170004\u{2069}"),
        "a left-to-right isolate around the number: {line:?}"
    );
    let en = texts.negotiate(&[&tags(&["en"])]);
    let line = en.count_with(
        "code-sent-whatsapp",
        "length",
        6,
        "phone",
        "+44 7400 170004",
    );
    assert!(!line.contains('\u{2066}'), "{line:?}");
    // A portal's name keeps the first-strong isolate: it may be written in Arabic.
    let line = ar.with("phone-lead", "client", "بوابة");
    assert!(!line.contains('\u{2066}'), "{line:?}");
}
