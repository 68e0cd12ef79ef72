//! Settings with a fixed set of values.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One of the values of `T` (a serde enum), or what was written instead. An unknown value is
/// reported with the other problems of the configuration instead of stopping the reading of
/// its section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Choice<T> {
    Known(T),
    Unknown(String),
}

impl<T: Copy> Choice<T> {
    /// The value, when it is one of `T`'s.
    pub fn known(&self) -> Option<T> {
        match self {
            Choice::Known(value) => Some(*value),
            Choice::Unknown(_) => None,
        }
    }

    /// The value, or a problem naming `key` and the values it may take.
    pub(super) fn resolve(
        &self,
        key: &str,
        allowed: &str,
        p: &mut super::problems::Problems,
    ) -> Option<T> {
        match self {
            Choice::Known(value) => Some(*value),
            Choice::Unknown(other) => {
                p.add(format!("{key}: {other:?} is not one of {allowed}"));
                None
            }
        }
    }
}

/// As the configuration file would say it: `"redis".into()`.
impl<T: DeserializeOwned> From<&str> for Choice<T> {
    fn from(text: &str) -> Self {
        serde_json::from_value(serde_json::Value::String(text.to_owned()))
            .map(Choice::Known)
            .unwrap_or_else(|_| Choice::Unknown(text.to_owned()))
    }
}

impl<T: PartialEq> PartialEq<T> for Choice<T> {
    fn eq(&self, other: &T) -> bool {
        matches!(self, Choice::Known(value) if value == other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Colour {
        Red,
    }

    #[test]
    fn known_values_read_and_write_as_text_and_others_are_kept() {
        assert_eq!(Choice::<Colour>::from("red"), Colour::Red);
        assert_eq!(
            Choice::<Colour>::from("blue"),
            Choice::Unknown("blue".into())
        );
        let text = serde_json::to_string(&Choice::Known(Colour::Red)).unwrap();
        assert_eq!(text, "\"red\"");
        let back: Choice<Colour> = serde_json::from_str("\"blue\"").unwrap();
        assert_eq!(back, Choice::Unknown("blue".into()));
    }
}
