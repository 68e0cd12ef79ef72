//! Digits as people type them: a phone's keyboard in Arabic, Persian, Hindi or Bengali, or a
//! full-width input method, gives digits that are not ASCII. Each script's decimal digits are
//! one contiguous block of ten in Unicode (zero first), so a digit's value is its distance from
//! its block's zero.

/// The zeros of the decimal-digit blocks people use to type numbers and codes.
const ZEROS: [char; 8] = [
    '\u{0660}', // Arabic-Indic
    '\u{06F0}', // Extended Arabic-Indic (Persian, Urdu)
    '\u{0966}', // Devanagari
    '\u{09E6}', // Bengali
    '\u{0A66}', // Gurmukhi
    '\u{0AE6}', // Gujarati
    '\u{0BE6}', // Tamil
    '\u{FF10}', // full-width
];

/// `c` as an ASCII digit, if it is a decimal digit of a script above.
fn ascii(c: char) -> Option<char> {
    ZEROS.iter().find_map(|zero| {
        let offset = u32::from(c).checked_sub(u32::from(*zero))?;
        (offset < 10)
            .then(|| char::from_digit(offset, 10))
            .flatten()
    })
}

/// `input` with every digit of those scripts written as ASCII; anything else unchanged.
pub fn to_ascii(input: &str) -> String {
    input
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c
            } else {
                ascii(c).unwrap_or(c)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_script_gives_the_same_digits() {
        for typed in [
            "٠١٢٣٤٥٦٧٨٩",
            "۰۱۲۳۴۵۶۷۸۹",
            "०१२३४५६७८९",
            "০১২৩৪৫৬৭৮৯",
            "０１２３４５６７８９",
            "0123456789",
        ] {
            assert_eq!(to_ascii(typed), "0123456789", "{typed}");
        }
        assert_eq!(to_ascii("+٩٧١ ٥٠ ١٢٣ ٤٥٦٧"), "+971 50 123 4567");
        assert_eq!(to_ascii("abc-é"), "abc-é");
    }
}
