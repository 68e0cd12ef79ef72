//! Phone numbers as people type them, normalised to E.164.

use phonenumber::country::Id as Country;
use phonenumber::{Mode, Type};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// A valid phone number in E.164 form (`+14155550100`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    e164: String,
    country: Option<Country>,
}

impl PhoneNumber {
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// The ISO 3166-1 region of the number (`GB`), or `ZZ` when it belongs to none: a
    /// bounded value, fit for a metrics label.
    pub fn region(&self) -> &str {
        self.country.as_ref().map_or("ZZ", |c| c.as_ref())
    }

    /// Grouped as people read it, with its country code (`+91 98765 43210`).
    pub fn international(&self) -> String {
        international(&self.e164)
    }

    /// For logs: the first four and last two characters, the rest hidden (`+447•••••89`).
    pub fn masked(&self) -> String {
        mask_e164(&self.e164)
    }
}

/// An E.164 number grouped as people read it (`+91 98765 43210`); as it was when it does not
/// parse.
pub fn international(e164: &str) -> String {
    phonenumber::parse(None, e164)
        .map(|n| n.format().mode(Mode::International).to_string())
        .unwrap_or_else(|_| e164.to_owned())
}

/// The region (`BR`) an E.164 number belongs to, when it parses.
pub fn region_of(e164: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    number.country().id().map(|id| id.as_ref().to_owned())
}

/// An E.164 number with all but its first four and last two characters hidden: for logs, and
/// for pages that someone else may be looking at.
pub fn mask_e164(e164: &str) -> String {
    let len = e164.chars().count();
    e164.chars()
        .enumerate()
        .map(|(i, c)| if i < 4 || i + 2 >= len { c } else { '•' })
        .collect()
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PhoneError {
    #[error("this is not a phone number")]
    Invalid,
    #[error("numbers from this country cannot sign in here")]
    CountryNotAllowed,
    #[error("this kind of number cannot receive codes")]
    TypeNotAllowed,
}

/// How typed numbers are read and which ones may receive codes.
#[derive(Clone, Debug)]
pub struct PhonePolicy {
    default_region: Option<Country>,
    allowed_countries: Vec<Country>,
}

/// Longest input we try to parse; anything longer is not a phone number.
const MAX_INPUT: usize = 64;

impl PhonePolicy {
    /// `default_region` reads national formats ("0612 345 678"); `allowed_countries` empty
    /// means every country. Both take ISO 3166-1 alpha-2 codes.
    pub fn new(default_region: Option<&str>, allowed_countries: &[String]) -> Result<Self, String> {
        let parse = |c: &str| {
            Country::from_str(&c.to_ascii_uppercase())
                .map_err(|_| format!("unknown country code {c:?}"))
        };
        Ok(PhonePolicy {
            default_region: default_region.map(parse).transpose()?,
            allowed_countries: allowed_countries
                .iter()
                .map(|c| parse(c))
                .collect::<Result<_, _>>()?,
        })
    }

    pub fn parse(&self, input: &str) -> Result<PhoneNumber, PhoneError> {
        self.parse_in(input, None)
    }

    /// Whether numbers of `country` may sign in here.
    pub(crate) fn allows(&self, country: Country) -> bool {
        self.allowed_countries.is_empty() || self.allowed_countries.contains(&country)
    }

    pub(crate) fn default_region(&self) -> Option<Country> {
        self.default_region
    }

    /// Reads `input` as typed in the country the person picked (`region`, ISO 3166-1 alpha-2):
    /// a national number (`98765 43210`) is of that country; one that starts with `+` or `00`
    /// names its own. A picked country that cannot sign in here is refused as such.
    pub fn parse_in(&self, input: &str, region: Option<&str>) -> Result<PhoneNumber, PhoneError> {
        let typed = crate::digits::to_ascii(input);
        let start = typed.trim_start();
        let international = start.starts_with(['+', '\u{FF0B}']) || start.starts_with("00");
        let picked = match region {
            Some(code) if !international => {
                let c = Country::from_str(&code.to_ascii_uppercase())
                    .map_err(|_| PhoneError::Invalid)?;
                if !self.allows(c) {
                    return Err(PhoneError::CountryNotAllowed);
                }
                Some(c)
            }
            _ => self.default_region,
        };
        let input = typed.trim();
        if input.is_empty() || input.len() > MAX_INPUT || input.chars().any(char::is_control) {
            return Err(PhoneError::Invalid);
        }
        // "00" is the international prefix people type in most of the world.
        let normalised;
        let input = match input.strip_prefix("00") {
            Some(rest) => {
                normalised = format!("+{rest}");
                normalised.as_str()
            }
            None => input,
        };
        let parsed = phonenumber::parse(picked, input).map_err(|_| PhoneError::Invalid)?;
        // `is_valid` and `number_type` each find the number's metadata and match its patterns
        // (most of a parse's cost). Without leading zeros they read the same digits, so the
        // type answers both; with them, validity is asked as the library defines it.
        let kind = parsed.number_type(&phonenumber::metadata::DATABASE);
        let valid = match parsed.national().zeros() {
            0 => kind != Type::Unknown,
            _ => parsed.is_valid(),
        };
        if !valid || parsed.extension().is_some() {
            return Err(PhoneError::Invalid);
        }
        let country = parsed.country().id();
        if !country.is_some_and(|c| self.allows(c)) && !self.allowed_countries.is_empty() {
            return Err(PhoneError::CountryNotAllowed);
        }
        // Codes to premium or shared-cost lines are how SMS-pumping fraud makes money.
        match kind {
            Type::PremiumRate
            | Type::SharedCost
            | Type::TollFree
            | Type::Voip
            | Type::Pager
            | Type::Uan
            | Type::Voicemail
            | Type::Emergency
            | Type::ShortCode => return Err(PhoneError::TypeNotAllowed),
            _ => {}
        }
        Ok(PhoneNumber {
            e164: parsed.format().mode(Mode::E164).to_string(),
            country,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(region: Option<&str>) -> PhonePolicy {
        PhonePolicy::new(region, &[]).unwrap()
    }

    #[test]
    fn a_number_is_valid_exactly_when_the_library_says_so() {
        let p = policy(None);
        for typed in [
            "+14155550100",
            "+442079460000",
            "+447400123456",
            "+390612345678",
            "+39 333 123 4567",
            "+80012345678",
            "+4412",
            "+1 415 555",
            "+999 123456",
            "+44 7400 12345678",
        ] {
            let library = phonenumber::parse(None, typed).is_ok_and(|n| n.is_valid());
            let ours = !matches!(p.parse(typed), Err(PhoneError::Invalid));
            assert_eq!(ours, library, "{typed}");
        }
    }

    #[test]
    fn accepts_the_formats_people_type() {
        let p = policy(None);
        for typed in [
            "+14155550100",
            "+1 415 555 0100",
            "+1 (415) 555-0100",
            "  +1-415-555-0100 ",
            "001 415 555 0100",
            "+١ ٤١٥ ٥٥٥ ٠١٠٠",
            "+१ ४१५ ५५५ ०१००",
            "＋１ ４１５ ５５５ ０１００",
        ] {
            assert_eq!(p.parse(typed).unwrap().e164(), "+14155550100", "{typed}");
        }
    }

    #[test]
    fn masked_numbers_hide_the_middle() {
        assert_eq!(
            policy(None).parse("+447400123456").unwrap().masked(),
            "+447•••••••56"
        );
    }

    #[test]
    fn national_format_uses_the_default_region() {
        assert_eq!(
            policy(Some("NL")).parse("06 1234 5678").unwrap().e164(),
            "+31612345678"
        );
        assert_eq!(
            policy(Some("gb")).parse("07400 123456").unwrap().e164(),
            "+447400123456"
        );
        assert_eq!(policy(None).parse("06 1234 5678"), Err(PhoneError::Invalid));
    }

    #[test]
    fn refuses_what_is_not_a_phone_number() {
        let p = policy(Some("US"));
        for typed in [
            "",
            "hello",
            "+1",
            "+1 415 555 01",
            "12",
            &"9".repeat(200),
            "+14155550100\u{0}",
        ] {
            assert_eq!(p.parse(typed), Err(PhoneError::Invalid), "{typed:?}");
        }
    }

    #[test]
    fn allowed_countries_are_enforced() {
        let p = PhonePolicy::new(None, &["NL".to_owned()]).unwrap();
        assert!(p.parse("+31612345678").is_ok());
        assert_eq!(p.parse("+14155550100"), Err(PhoneError::CountryNotAllowed));
    }

    #[test]
    fn premium_rate_numbers_are_refused() {
        // UK premium rate (09xx).
        assert_eq!(
            policy(None).parse("+44 909 8790000"),
            Err(PhoneError::TypeNotAllowed)
        );
    }

    #[test]
    fn unknown_country_codes_are_configuration_errors() {
        assert!(PhonePolicy::new(Some("XX"), &[]).is_err());
        assert!(PhonePolicy::new(None, &["nope".into()]).is_err());
    }
}
