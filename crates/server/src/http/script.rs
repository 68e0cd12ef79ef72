//! The pages' one script. Every page works without it; where scripts run, it keeps the resend
//! button off until the server would take the resend. It is inline and first-party, and the
//! pages' Content-Security-Policy allows exactly this text by its SHA-256.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The server sends the resend button turned off, with the wait as m:ss and a reload link.
/// Where scripts run, this counts the clock down, and at zero turns the button on and hides
/// the line (the reload is not needed then).
pub const RESEND_WAIT: &str = r#"document.querySelectorAll("button[data-wait]").forEach(function(b){var end=Date.now()+Number(b.dataset.wait)*1000,c=document.getElementById("resend-clock"),r=document.getElementById("resend-refresh");if(r){r.hidden=true;}(function tick(){var s=Math.max(0,Math.ceil((end-Date.now())/1000));if(c){c.textContent=Math.floor(s/60)+":"+String(s%60).padStart(2,"0");}if(s>0){setTimeout(tick,1000);}else{b.disabled=false;var h=document.getElementById("resend-wait");if(h){h.hidden=true;}}})();});"#;

/// No other scripts, styles only from us, no framing, no referrers.
pub static CSP: LazyLock<String> = LazyLock::new(|| {
    let hash = STANDARD.encode(Sha256::digest(RESEND_WAIT.as_bytes()));
    format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'"
    )
});
