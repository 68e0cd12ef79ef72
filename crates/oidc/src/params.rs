//! Form and query parameters as OAuth reads them (RFC 6749 §3.1): a parameter sent without a
//! value counts as omitted, and none may appear twice.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    Repeated(String),
}

#[derive(Debug, Clone, Default)]
pub struct Params(BTreeMap<String, Vec<String>>);

/// Longest value we accept for any one parameter. Generous for `state` and `nonce`, and it
/// bounds what one stored login flow can weigh.
pub const MAX_VALUE_LEN: usize = 2048;

impl Params {
    /// Parses `application/x-www-form-urlencoded` (a query string or a form body).
    pub fn parse(encoded: &[u8]) -> Params {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in url::form_urlencoded::parse(encoded) {
            if !v.is_empty() {
                map.entry(k.into_owned()).or_default().push(v.into_owned());
            }
        }
        Params(map)
    }

    /// The single value of `name`, or `None`; an error when it was sent more than once.
    pub fn get(&self, name: &str) -> Result<Option<&str>, ParamError> {
        match self.0.get(name).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(one.as_str())),
            Some(_) => Err(ParamError::Repeated(name.to_owned())),
        }
    }

    /// Names of every repeated parameter.
    pub fn repeated(&self) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, _)| k.as_str())
            .collect()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// A value longer than [`MAX_VALUE_LEN`], if any.
    pub fn oversized(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|(_, v)| v.iter().any(|s| s.len() > MAX_VALUE_LEN))
            .map(|(k, _)| k.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_omitted_and_repeats_detected() {
        let p = Params::parse(b"a=1&b=&c=x%20y&c=z&d=+");
        assert_eq!(p.get("a"), Ok(Some("1")));
        assert_eq!(p.get("b"), Ok(None));
        assert_eq!(p.get("missing"), Ok(None));
        assert_eq!(p.get("c"), Err(ParamError::Repeated("c".into())));
        assert_eq!(p.get("d"), Ok(Some(" ")));
        assert_eq!(p.repeated(), vec!["c"]);
    }

    #[test]
    fn garbage_is_not_a_crash() {
        let p = Params::parse(b"%%%&=&&==x&\xff\xfe=1");
        assert!(p.get("x").is_ok());
        assert!(p.oversized().is_none());
        let long = format!("s={}", "a".repeat(MAX_VALUE_LEN + 1));
        assert_eq!(Params::parse(long.as_bytes()).oversized(), Some("s"));
    }
}
