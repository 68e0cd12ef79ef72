//! The operator's colour, and what the pages make of it in the light and dark schemes: buttons
//! carry white text on it, links are drawn in it on white, and on the dark background in a
//! lighter mix of it. WCAG 2.2 AA asks 4.5:1 for text.

use palette::color_difference::Wcag21RelativeContrast;
use palette::{Mix, Srgb};

/// The pages' backgrounds (set by the stylesheet, not left to the browser).
pub const LIGHT_BACKGROUND: &str = "#ffffff";
pub const DARK_BACKGROUND: &str = "#121212";
/// WCAG 2.2 AA for normal text.
pub const MIN_CONTRAST: f32 = 4.5;
/// The default: a WhatsApp-like teal dark enough for white text.
pub const DEFAULT_PRIMARY: &str = "#0b7366";

/// The colours the stylesheet uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    /// Buttons' background, and links on the light background.
    pub accent: String,
    /// Links on the dark background.
    pub accent_on_dark: String,
}

fn parse(hex: &str) -> Option<Srgb<f32>> {
    let strict = hex.len() == 7 && hex.starts_with('#');
    strict
        .then(|| hex.parse::<Srgb<u8>>().ok())
        .flatten()
        .map(|c| c.into_format())
}

fn contrast(a: Srgb<f32>, b: Srgb<f32>) -> f32 {
    a.relative_contrast(b)
}

fn to_hex(c: Srgb<f32>) -> String {
    let c: Srgb<u8> = c.into_format();
    format!("#{:02x}{:02x}{:02x}", c.red, c.green, c.blue)
}

/// Why an operator's colour cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum ColourError {
    NotHex,
    /// White text on it, or it on white, reads at this contrast only.
    LowContrast(f32),
}

/// The palette for `primary` (`#rrggbb`), or why it fails.
pub fn palette(primary: &str) -> Result<Palette, ColourError> {
    let colour = parse(primary).ok_or(ColourError::NotHex)?;
    let white = parse(LIGHT_BACKGROUND).ok_or(ColourError::NotHex)?;
    let dark = parse(DARK_BACKGROUND).ok_or(ColourError::NotHex)?;
    let on_white = contrast(colour, white);
    if on_white < MIN_CONTRAST {
        return Err(ColourError::LowContrast(on_white));
    }
    // Mix in white, a tenth at a time, until the colour reads on the dark background; white
    // itself always does.
    let light = (0..=10)
        .map(|step| colour.mix(white, step as f32 / 10.0))
        .find(|c| contrast(*c, dark) >= MIN_CONTRAST)
        .unwrap_or(white);
    Ok(Palette {
        accent: to_hex(colour),
        accent_on_dark: to_hex(light),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_reads_in_both_schemes() {
        let p = palette(DEFAULT_PRIMARY).unwrap();
        let dark = parse(DARK_BACKGROUND).unwrap();
        let white = parse(LIGHT_BACKGROUND).unwrap();
        assert!(contrast(parse(&p.accent).unwrap(), white) >= MIN_CONTRAST);
        assert!(contrast(parse(&p.accent_on_dark).unwrap(), dark) >= MIN_CONTRAST);
    }

    #[test]
    fn pale_colours_and_other_notations_are_refused() {
        // WhatsApp's bright green carries white text at about 2:1.
        assert!(matches!(
            palette("#25d366"),
            Err(ColourError::LowContrast(c)) if c < 2.5
        ));
        for bad in ["25d366", "#abc", "#12345g", "teal", "#0b7366 "] {
            assert_eq!(palette(bad), Err(ColourError::NotHex), "{bad}");
        }
        // A dark colour keeps its own hue on white and gets lighter on dark.
        let navy = palette("#1a237e").unwrap();
        assert_eq!(navy.accent, "#1a237e");
        assert_ne!(navy.accent_on_dark, "#1a237e");
    }
}
