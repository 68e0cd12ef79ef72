//! The last guard of the log: anything shaped like an international number is masked on its
//! way out, whatever wrote it (a library's error text quoting a request, say). wagate's own
//! lines mask numbers already; this catches the ones nobody thought of.

use regex::Regex;
use std::io::{self, Write};
use std::sync::LazyLock;
use tracing_subscriber::fmt::MakeWriter;

/// `+` and 7 to 15 digits: E.164 and the shorter numbers some countries have.
static NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\+[1-9][0-9]{6,14}").ok());

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

    #[test]
    fn numbers_are_masked_and_the_rest_kept() {
        let mut out = Vec::new();
        Scrubber(&mut out)
            .write_all(b"to +447400123456 at 2026-12-02T10:00:00+01:00, id 12345678")
            .unwrap_or_default();
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(
            text,
            format!(
                "to {} at 2026-12-02T10:00:00+01:00, id 12345678",
                wagate_core::mask_e164("+447400123456")
            )
        );
    }
}
