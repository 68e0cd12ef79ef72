//! The countries people pick for the number they type: the ones allowed here, each with its
//! calling code and an example number as people of that country write it, and which one to
//! offer first.

use crate::PhonePolicy;
use phonenumber::Mode;
use phonenumber::country::Id;
use std::str::FromStr;
use unic_langid::LanguageIdentifier;

/// A country on the phone form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryChoice {
    /// ISO 3166-1 alpha-2 (`IN`).
    pub region: String,
    pub calling_code: u16,
    /// A mobile number in the country's own format (`081234 56789`), when known.
    pub example: Option<String>,
}

impl CountryChoice {
    /// The flag, from the region's letters (regional indicator symbols): no images to load.
    pub fn flag(&self) -> String {
        self.region
            .chars()
            .filter_map(|c| char::from_u32(0x1F1E6 + u32::from(c).checked_sub(u32::from('A'))?))
            .collect()
    }
}

impl PhonePolicy {
    /// Every country whose numbers may sign in here, by region code.
    pub fn countries(&self) -> Vec<CountryChoice> {
        let mut out: Vec<CountryChoice> = phonenumber::metadata::DATABASE
            .iter()
            .filter_map(|m| {
                let id = Id::from_str(m.id()).ok()?;
                self.allows(id).then(|| CountryChoice {
                    region: m.id().to_owned(),
                    calling_code: m.country_code(),
                    example: m
                        .descriptors()
                        .mobile()
                        .and_then(|d| d.example())
                        .and_then(|n| national_example(m.country_code(), n)),
                })
            })
            .collect();
        out.sort_by(|a, b| a.region.cmp(&b.region));
        out.dedup_by(|a, b| a.region == b.region);
        out
    }

    /// The country the phone form offers first to someone reading `page_language` whose
    /// browser sends `browser` (most wanted first): a browser tag that names its country
    /// (`en-GB`) says more than the page's language, which says more than the rest.
    pub fn country_offered(&self, page_language: &str, browser: &[String]) -> Option<String> {
        let mut wanted: Vec<String> = browser
            .iter()
            .filter(|t| t.contains('-'))
            .cloned()
            .collect();
        wanted.push(page_language.to_owned());
        wanted.extend(browser.iter().cloned());
        self.country_for(&wanted)
    }

    /// The country to offer first: the configured default region; else the country of the
    /// first of `languages` (BCP 47, most wanted first) that names or implies one that is
    /// allowed (`pt-BR` → BR, `hi` → IN).
    pub fn country_for(&self, languages: &[String]) -> Option<String> {
        if let Some(c) = self.default_region() {
            return Some(c.as_ref().to_owned());
        }
        languages
            .iter()
            .filter_map(|tag| tag.parse::<LanguageIdentifier>().ok())
            .filter_map(|mut id| {
                if id.region.is_none() {
                    id.maximize();
                }
                id.region.map(|r| r.as_str().to_owned())
            })
            .find(|region| Id::from_str(region).is_ok_and(|id| self.allows(id)))
    }
}

/// `national` (a national significant number of the country with `calling_code`) written as
/// people there write it.
fn national_example(calling_code: u16, national: &str) -> Option<String> {
    phonenumber::parse(None, format!("+{calling_code}{national}"))
        .ok()
        .map(|n| n.format().mode(Mode::National).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn the_first_country_follows_the_configuration_then_the_languages() {
        let open = PhonePolicy::new(None, &[]).unwrap();
        assert_eq!(open.country_for(&tags(&["pt-BR"])).as_deref(), Some("BR"));
        assert_eq!(open.country_for(&tags(&["hi"])).as_deref(), Some("IN"));
        assert_eq!(
            open.country_for(&tags(&["xx", "id"])).as_deref(),
            Some("ID")
        );
        assert_eq!(open.country_for(&[]), None);
        let configured = PhonePolicy::new(Some("mx"), &[]).unwrap();
        assert_eq!(
            configured.country_for(&tags(&["hi"])).as_deref(),
            Some("MX")
        );
        let limited = PhonePolicy::new(None, &["BR".into(), "MX".into()]).unwrap();
        assert_eq!(
            limited.country_for(&tags(&["hi", "es-MX"])).as_deref(),
            Some("MX")
        );
        let regions: Vec<String> = limited.countries().into_iter().map(|c| c.region).collect();
        assert_eq!(regions, vec!["BR", "MX"]);
    }

    #[test]
    fn a_browser_naming_its_country_beats_the_page_language() {
        let open = PhonePolicy::new(None, &[]).unwrap();
        assert_eq!(
            open.country_offered("en", &tags(&["en-GB", "en"]))
                .as_deref(),
            Some("GB")
        );
        assert_eq!(
            open.country_offered("es", &tags(&["de"])).as_deref(),
            Some("ES")
        );
    }

    #[test]
    fn each_country_has_its_code_flag_and_example() {
        let all = PhonePolicy::new(None, &[]).unwrap().countries();
        assert!(all.len() > 200, "{}", all.len());
        let india = all.iter().find(|c| c.region == "IN").unwrap();
        assert_eq!(india.calling_code, 91);
        assert_eq!(india.flag(), "🇮🇳");
        let example = india.example.clone().unwrap();
        assert!(
            example.chars().filter(char::is_ascii_digit).count() >= 10,
            "{example}"
        );
    }

    #[test]
    fn national_numbers_are_read_in_the_picked_country() {
        let p = PhonePolicy::new(None, &[]).unwrap();
        let india = p.parse_in("98765 43210", Some("IN")).unwrap();
        assert_eq!(india.e164(), "+919876543210");
        assert_eq!(india.international(), "+91 98765 43210");
        let brazil = p.parse_in("(11) 91234-5678", Some("br")).unwrap();
        assert_eq!(brazil.e164(), "+5511912345678");
        // A number with its own country code keeps it, whatever was picked.
        assert_eq!(
            p.parse_in("+44 7400 123456", Some("IN")).unwrap().e164(),
            "+447400123456"
        );
        assert!(p.parse_in("98765 43210", Some("ZZ")).is_err());
        // A picked country that is not a country does not matter to a number that names its own.
        assert_eq!(
            p.parse_in("+44 7400 123456", Some("UK")).unwrap().e164(),
            "+447400123456"
        );
        let limited = PhonePolicy::new(None, &["BR".into()]).unwrap();
        assert_eq!(
            limited.parse_in("98765 43210", Some("IN")),
            Err(crate::PhoneError::CountryNotAllowed)
        );
        let brazil = limited.parse_in("+55 11 91234-5678", Some("IN")).unwrap();
        assert_eq!(brazil.e164(), "+5511912345678");
    }
}
