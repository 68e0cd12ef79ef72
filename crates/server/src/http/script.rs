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

/// Solves the sending challenge (ALTCHA's SHA-256 puzzle) in the phone form's `altcha` field,
/// then sends the form again. Only on the page of a send that needs it; without scripts the
/// page says why it cannot go on.
pub const SOLVE_CHALLENGE: &str = r#"(function(){var f=document.getElementById("altcha");if(!f||!window.crypto||!crypto.subtle){return;}var c=JSON.parse(f.dataset.challenge),w=document.getElementById("challenge-working"),enc=new TextEncoder();if(w){w.hidden=false;}function hex(b){return Array.from(new Uint8Array(b)).map(function(x){return x.toString(16).padStart(2,"0");}).join("");}async function solve(){for(var n=0;n<=c.maxnumber;n++){if(hex(await crypto.subtle.digest("SHA-256",enc.encode(c.salt+n)))===c.challenge){return n;}}return -1;}solve().then(function(n){if(n<0){return;}f.value=btoa(JSON.stringify({algorithm:c.algorithm,challenge:c.challenge,number:n,salt:c.salt,signature:c.signature}));f.form.submit();});})();"#;

/// No other scripts, styles only from us, no framing, no referrers.
pub static CSP: LazyLock<String> = LazyLock::new(|| csp_allowing(""));

/// The pages' policy, also allowing `origins` (a captcha provider's, on the pages that show
/// its widget: its script, frame, styles and calls).
pub fn csp_allowing(origins: &str) -> String {
    let hash = |s: &str| STANDARD.encode(Sha256::digest(s.as_bytes()));
    let (scripts, frames, connect) = if origins.is_empty() {
        (String::new(), String::new(), String::new())
    } else {
        (
            format!(" {origins}"),
            format!("; frame-src {origins}"),
            format!("; connect-src {origins}"),
        )
    };
    format!(
        "default-src 'none'; script-src 'sha256-{}' 'sha256-{}'{scripts}; style-src 'self'{scripts}; img-src 'self' data:{frames}{connect}; base-uri 'none'; frame-ancestors 'none'",
        hash(RESEND_WAIT),
        hash(SOLVE_CHALLENGE)
    )
}
