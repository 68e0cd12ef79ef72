//! The pages' one script. Every page works without it; where scripts run, it keeps the resend
//! button off until the server would take the resend. It is inline and first-party, and the
//! pages' Content-Security-Policy allows exactly this text by its SHA-256.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Turns off each button with `data-wait` (seconds) until its time, then hides the line
/// that said how long to wait.
pub const RESEND_WAIT: &str = r#"document.querySelectorAll("button[data-wait]").forEach(function(b){var s=Number(b.dataset.wait);if(s>0){b.disabled=true;setTimeout(function(){b.disabled=false;var h=document.getElementById("resend-wait");if(h){h.hidden=true;}},s*1000);}});"#;

/// No other scripts, styles only from us, no framing, no referrers.
pub static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = STANDARD.encode(Sha256::digest(RESEND_WAIT.as_bytes()));
    format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'"
    )
});
