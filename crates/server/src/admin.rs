//! Operator commands that act on shared storage directly (run next to the instances, with
//! their configuration).

use crate::config::Settings;
use crate::factory::{Deps, shared_store};
use std::sync::Arc;
use wagate_core::AccountService;
use wagate_core::totp::Authenticators;

/// Removes the authenticator app (and recovery codes) of the person with `phone`. True when
/// there was one.
pub async fn remove_authenticator(
    settings: Settings,
    phone: &str,
    deps: &Deps,
) -> Result<bool, String> {
    let number = settings
        .phones
        .parse(phone)
        .map_err(|e| format!("{phone:?}: {e}"))?;
    let totp = settings
        .totp
        .ok_or("authenticator apps are switched off (totp.enabled = false)")?;
    let store = shared_store(settings.storage, "users remove-authenticator")?;
    let authenticators = Authenticators::new(
        store,
        totp.key,
        totp.settings,
        deps.clock.clone(),
        deps.random.clone(),
    );
    AccountService::new(Arc::new(authenticators))
        .remove_for_number(number.e164())
        .await
        .map_err(|e| e.to_string())
}
