//! The last guard of the log: anything shaped like an international number is masked on its
//! way out, whatever wrote it (a library's error text quoting a request, say). wagate's own
//! lines mask numbers already; this catches the ones nobody thought of.

use regex::Regex;
use std::io::{self, Write};
use std::sync::LazyLock;
use tracing_subscriber::fmt::MakeWriter;

/// `+` (or `%2B`, as in a URL) and at least 7 digits, with single spaces, dashes or dots
/// between them as people write numbers (`+44 7400 123456`). The whole run is taken, however
/// long, so that nothing of a longer one is left showing.
static NUMBER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:\+|%2[Bb])[1-9](?:[ .\-]?[0-9]){6,}").ok());

/// Makes writers that mask numbers in what they pass on to `inner`.
pub struct Scrubbed<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Scrubbed<M> {
    type Writer = Scrubber<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Scrubber(self.0.make_writer())
    }
}

pub struct Scrubber<W>(W);

impl<W: Write> Write for Scrubber<W> {
    // The formatter writes each event whole, so a number never straddles two writes.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match (std::str::from_utf8(buf), NUMBER.as_ref()) {
            (Ok(text), Some(number)) if number.is_match(text) => {
                let masked = number.replace_all(text, |c: &regex::Captures<'_>| {
                    wagate_core::mask_e164(&c[0])
                });
                self.0.write_all(masked.as_bytes())?;
                Ok(buf.len())
            }
            _ => self.0.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(line: &str) -> String {
        let mut out = Vec::new();
        Scrubber(&mut out)
            .write_all(line.as_bytes())
            .unwrap_or_default();
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn numbers_are_masked_and_the_rest_kept() {
        assert_eq!(
            scrubbed("to +447400123456 at 2026-12-02T10:00:00+01:00, id 12345678, +5 s"),
            format!(
                "to {} at 2026-12-02T10:00:00+01:00, id 12345678, +5 s",
                wagate_core::mask_e164("+447400123456")
            )
        );
    }

    #[test]
    fn numbers_as_people_and_urls_write_them_are_masked_whole() {
        for (line, hidden) in [
            ("to +44 7400 123456.", "7400 1234"),
            ("to +1-415-555-0100,", "415-555-01"),
            ("GET /x?to=%2B447400123456 HTTP", "7400123456"),
            ("run +4474001234567890123 end", "74001234567890"),
        ] {
            let out = scrubbed(line);
            assert!(!out.contains(hidden), "{line} gave {out}");
            assert!(out.contains('•'), "{line} gave {out}");
        }
    }
}
