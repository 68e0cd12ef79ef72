//! The login state machine, without I/O: every function takes the flow and the time and
//! answers what may happen next. `LoginService` performs what these functions decide.

use crate::{
    AMR_MFA, AMR_OTP, AMR_RECOVERY, AMR_WHATSAPP, Dispatch, FallbackOffer, LoginError, LoginPolicy,
    PhoneNumber, Started,
};
use std::time::Duration;
use wagate_oidc::MfaDemand;
use wagate_storage::{FlowStage, LoginFlow, MessageStatus, Proof, SentVia, UnixTime};

/// What a page or an app needs to draw the current step.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowView {
    Phone {
        login_hint: Option<String>,
        /// The number is already proven by another factor: only it may be used.
        locked: bool,
        /// The authenticator can stand in for the WhatsApp code here.
        authenticator_allowed: bool,
    },
    /// The WhatsApp code is proven; the authenticator code is needed too.
    Totp,
    /// A code was sent; the person types it.
    Code(CodeView),
    /// Continue as the session's person, or use another number.
    ChooseAccount {
        /// E.164 of the session's person (pages show it masked).
        phone: String,
    },
    /// Every factor is proven; the person decides whether the portal gets a code.
    Consent {
        phone: String,
        /// What the portal asked for.
        scopes: Vec<String>,
    },
}

/// The code step.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeView {
    pub phone: String,
    pub code_length: u8,
    pub expires_in: Duration,
    pub resend_in: Duration,
    pub can_resend: bool,
    /// The number is proven already (by the authenticator): it cannot be changed.
    pub locked: bool,
    pub delivery: DeliveryView,
}

/// Where the current code went and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryView {
    /// What the person looks at (`whatsapp`, `sms`).
    pub medium: String,
    /// The furthest the channel reported (`Sent` until it reports).
    pub state: MessageStatus,
    /// The other way the code can go, when the person may ask for it.
    pub fallback: Option<FallbackView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FallbackView {
    pub medium: &'static str,
    /// Zero when the person may ask now.
    pub available_in: Duration,
}

impl DeliveryView {
    /// What the flow itself knows (before any report is looked up).
    fn of(via: Option<&SentVia>) -> DeliveryView {
        DeliveryView {
            medium: via.map_or_else(|| "whatsapp".to_owned(), |v| v.medium.clone()),
            state: MessageStatus::Sent,
            fallback: None,
        }
    }
}

pub fn ensure_alive(flow: &LoginFlow, now: UnixTime) -> Result<(), LoginError> {
    if flow.expires_at <= now {
        return Err(LoginError::FlowExpired);
    }
    Ok(())
}

pub fn view(flow: &LoginFlow, now: UnixTime, policy: &LoginPolicy) -> FlowView {
    match &flow.stage {
        FlowStage::Phone => FlowView::Phone {
            login_hint: match &flow.proven {
                Some(p) => Some(p.phone.clone()),
                None => flow.authorization.login_hint.clone(),
            },
            locked: flow.proven.is_some(),
            authenticator_allowed: !proven_authenticator(flow),
        },
        FlowStage::Totp => FlowView::Totp,
        FlowStage::ChooseAccount => FlowView::ChooseAccount {
            phone: proven_phone(flow),
        },
        FlowStage::Consent => FlowView::Consent {
            phone: proven_phone(flow),
            scopes: flow.authorization.scopes.clone(),
        },
        FlowStage::Code {
            phone,
            resend_after,
            code_expires_at,
            code_length,
            sends,
            via,
        } => FlowView::Code(CodeView {
            phone: phone.clone(),
            code_length: *code_length,
            expires_in: now.until(*code_expires_at),
            resend_in: now.until(*resend_after),
            can_resend: *sends < policy.max_sends_per_flow,
            locked: flow.proven.is_some(),
            delivery: DeliveryView::of(via.as_ref()),
        }),
    }
}

fn proven_phone(flow: &LoginFlow) -> String {
    flow.proven
        .as_ref()
        .map(|p| p.phone.clone())
        .unwrap_or_default()
}

/// The flow waits for the person to choose or decide, not for a factor.
fn asking(stage: &FlowStage) -> bool {
    matches!(stage, FlowStage::ChooseAccount | FlowStage::Consent)
}

/// May a code be sent now (first send, resend, or a different number)?
pub fn may_send(flow: &LoginFlow, now: UnixTime, policy: &LoginPolicy) -> Result<(), LoginError> {
    match &flow.stage {
        FlowStage::Phone => Ok(()),
        FlowStage::Totp | FlowStage::ChooseAccount | FlowStage::Consent => {
            Err(LoginError::WrongStep)
        }
        FlowStage::Code {
            resend_after,
            sends,
            ..
        } => {
            if *sends >= policy.max_sends_per_flow {
                Err(LoginError::SendLimitReached)
            } else if now < *resend_after {
                Err(LoginError::ResendTooSoon {
                    retry_in: now.until(*resend_after),
                })
            } else {
                Ok(())
            }
        }
    }
}

/// The number a resend goes to.
pub fn resend_target(flow: &LoginFlow) -> Result<&str, LoginError> {
    match &flow.stage {
        FlowStage::Phone | FlowStage::Totp | FlowStage::ChooseAccount | FlowStage::Consent => {
            Err(LoginError::WrongStep)
        }
        FlowStage::Code { phone, .. } => Ok(phone),
    }
}

fn sends(stage: &FlowStage) -> u32 {
    match stage {
        FlowStage::Phone | FlowStage::Totp | FlowStage::ChooseAccount | FlowStage::Consent => 0,
        FlowStage::Code { sends, .. } => *sends,
    }
}

/// The flow after claiming a send slot, written before the backend is called so that two
/// racing requests cannot both send. The code is not usable until `code_sent`.
pub fn claim_send(
    flow: &LoginFlow,
    phone: &PhoneNumber,
    now: UnixTime,
    policy: &LoginPolicy,
) -> LoginFlow {
    let mut next = flow.clone();
    next.revision = flow.revision.wrapping_add(1);
    next.stage = FlowStage::Code {
        phone: phone.e164().to_owned(),
        resend_after: now.plus(policy.resend_cooldown),
        code_expires_at: now,
        code_length: 0,
        sends: sends(&flow.stage).saturating_add(1),
        via: None,
    };
    next
}

/// The claimed flow once the backend has sent the code.
pub fn code_sent(claimed: &LoginFlow, started: &Started, now: UnixTime) -> LoginFlow {
    let mut next = claimed.clone();
    next.revision = claimed.revision.wrapping_add(1);
    if let FlowStage::Code {
        code_expires_at,
        code_length,
        via,
        ..
    } = &mut next.stage
    {
        *code_expires_at = now.plus(started.expires_in);
        *code_length = started.code_length;
        *via = started.dispatch.as_ref().map(|d| sent_via(d, now));
    }
    next
}

fn sent_via(d: &Dispatch, now: UnixTime) -> SentVia {
    SentVia {
        channel: d.channel.to_owned(),
        medium: d.medium.as_str().to_owned(),
        message_id: d.message_id.clone(),
        sent_at: now,
        receipts: d.receipts,
        fallback: d.fallback,
    }
}

/// How the flow's live code went out, when it may still go by the fallback: it went by the
/// first channel, it is still valid, and the flow may send again.
pub fn may_fall_back<'a>(
    flow: &'a LoginFlow,
    now: UnixTime,
    policy: &LoginPolicy,
) -> Result<&'a SentVia, LoginError> {
    match &flow.stage {
        FlowStage::Code {
            code_expires_at,
            sends,
            via: Some(via),
            ..
        } if !via.fallback => {
            if now >= *code_expires_at {
                Err(LoginError::CodeExpired)
            } else if *sends >= policy.max_sends_per_flow {
                Err(LoginError::SendLimitReached)
            } else {
                Ok(via)
            }
        }
        _ => Err(LoginError::FallbackUnavailable),
    }
}

/// The flow after claiming its fallback send (written before sending, so that of racing
/// triggers one sends): counted, no further fallback, and already naming the channel the
/// code is going by (with nothing reported yet), so a code typed back meanwhile is counted
/// for it.
pub fn claim_fallback(flow: &LoginFlow, offer: &FallbackOffer) -> LoginFlow {
    let mut next = flow.clone();
    next.revision = flow.revision.wrapping_add(1);
    if let FlowStage::Code { sends, via, .. } = &mut next.stage {
        *sends = sends.saturating_add(1);
        if let Some(via) = via {
            via.fallback = true;
            via.receipts = false;
            offer.channel.clone_into(&mut via.channel);
            via.medium = offer.medium.as_str().to_owned();
        }
    }
    next
}

/// The claimed flow once the fallback channel took the code.
pub fn fell_back(claimed: &LoginFlow, dispatch: &Dispatch, now: UnixTime) -> LoginFlow {
    let mut next = claimed.clone();
    next.revision = claimed.revision.wrapping_add(1);
    if let FlowStage::Code { via, .. } = &mut next.stage {
        *via = Some(sent_via(dispatch, now));
    }
    next
}

/// The claimed flow when the send failed: back to where it was, the send not counted, so the
/// person can try again at once.
pub fn send_failed(claimed: &LoginFlow, before: &LoginFlow) -> LoginFlow {
    let mut next = before.clone();
    next.revision = claimed.revision.wrapping_add(1);
    next
}

/// The number a submitted code is checked for and the length of the code sent to it, when a
/// live code exists.
pub fn awaiting_code(flow: &LoginFlow, now: UnixTime) -> Result<(&str, u8), LoginError> {
    match &flow.stage {
        FlowStage::Phone | FlowStage::Totp | FlowStage::ChooseAccount | FlowStage::Consent => {
            Err(LoginError::WrongStep)
        }
        FlowStage::Code {
            phone,
            code_expires_at,
            code_length,
            ..
        } => {
            if now < *code_expires_at {
                Ok((phone, *code_length))
            } else {
                Err(LoginError::CodeExpired)
            }
        }
    }
}

/// The number a phone step may use: any, or only the one already proven; none while the
/// flow waits for the authenticator.
pub fn check_number(flow: &LoginFlow, phone: &PhoneNumber) -> Result<(), LoginError> {
    if flow.stage == FlowStage::Totp || asking(&flow.stage) {
        return Err(LoginError::WrongStep);
    }
    match &flow.proven {
        Some(p) if p.phone != phone.e164() => Err(LoginError::WrongNumber),
        _ => Ok(()),
    }
}

/// The authenticator is among the factors this flow has proven.
pub fn proven_authenticator(flow: &LoginFlow) -> bool {
    flow.proven
        .as_ref()
        .is_some_and(|p| has_authenticator(&p.amr))
}

fn has_authenticator(amr: &[String]) -> bool {
    amr.iter().any(|m| m == AMR_OTP || m == AMR_RECOVERY)
}

fn has_whatsapp(amr: &[String]) -> bool {
    amr.iter().any(|m| m == AMR_WHATSAPP)
}

/// What the flow's portal asked for.
pub fn second_factor(flow: &LoginFlow) -> MfaDemand {
    match (flow.require_mfa, flow.prefer_mfa) {
        (true, _) => MfaDemand::Required,
        (false, true) => MfaDemand::Preferred,
        (false, false) => MfaDemand::NotAsked,
    }
}

/// Where a login goes once `amr` is proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The portal gets its code.
    Done,
    /// The person is asked first (`prompt=consent`).
    Consent,
    Authenticator,
    WhatsApp,
    /// The portal requires the authenticator and the person has none.
    AuthenticatorMissing,
}

pub fn next(wants: MfaDemand, consent: bool, has_authenticator: bool, amr: &[String]) -> Next {
    let finished = if consent { Next::Consent } else { Next::Done };
    match needed(wants != MfaDemand::NotAsked, amr) {
        Needed::Nothing => finished,
        Needed::WhatsApp => Next::WhatsApp,
        Needed::Authenticator if has_authenticator => Next::Authenticator,
        Needed::Authenticator if wants == MfaDemand::Required => Next::AuthenticatorMissing,
        // Preferred only: without an authenticator, one factor is what can be met.
        Needed::Authenticator => finished,
    }
}

/// What a flow still needs once `amr` is proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needed {
    Nothing,
    Authenticator,
    WhatsApp,
}

/// `wants_mfa`: the portal demands or prefers both kinds of factor.
pub fn needed(wants_mfa: bool, amr: &[String]) -> Needed {
    match (wants_mfa, has_whatsapp(amr), has_authenticator(amr)) {
        (false, _, _) | (true, true, true) => Needed::Nothing,
        (true, true, false) => Needed::Authenticator,
        (true, false, _) => Needed::WhatsApp,
    }
}

/// `amr` plus `method`, once each.
pub fn with_method(amr: &[String], method: &str) -> Vec<String> {
    let mut out = amr.to_vec();
    if !out.iter().any(|m| m == method) {
        out.push(method.to_owned());
    }
    out
}

/// The methods to report (RFC 8176): those used, and `mfa` when they were of two kinds.
pub fn reported_amr(amr: &[String]) -> Vec<String> {
    let mut out: Vec<String> = amr.iter().filter(|m| *m != AMR_MFA).cloned().collect();
    if has_whatsapp(amr) && has_authenticator(amr) {
        out.push(AMR_MFA.to_owned());
    }
    out
}

/// The flow once `proof` stands and the authenticator is the next step.
pub fn await_authenticator(flow: &LoginFlow, proof: Proof) -> LoginFlow {
    let mut next = flow.clone();
    next.revision = flow.revision.wrapping_add(1);
    next.stage = FlowStage::Totp;
    next.proven = Some(proof);
    next
}

/// The flow once `proof` stands and the WhatsApp code is the next step: a code already sent to
/// the proven number stays good; otherwise the person asks for one.
pub fn await_whatsapp(flow: &LoginFlow, proof: Proof) -> LoginFlow {
    let mut next = flow.clone();
    next.revision = flow.revision.wrapping_add(1);
    let keep = matches!(&flow.stage, FlowStage::Code { phone, .. } if *phone == proof.phone);
    if !keep {
        next.stage = FlowStage::Phone;
    }
    next.proven = Some(proof);
    next
}

/// The flow once `proof` stands and the person is to choose: continue as them, or another
/// number.
pub fn await_choice(flow: &LoginFlow, proof: Proof) -> LoginFlow {
    let mut next = flow.clone();
    next.revision = flow.revision.wrapping_add(1);
    next.stage = FlowStage::ChooseAccount;
    next.proven = Some(proof);
    next
}

/// The flow once every factor in `proof` stands and the person is asked to consent.
pub fn await_consent(flow: &LoginFlow, proof: Proof) -> LoginFlow {
    let mut next = flow.clone();
    next.revision = flow.revision.wrapping_add(1);
    next.stage = FlowStage::Consent;
    next.proven = Some(proof);
    next
}

/// The flow once the person chose another account: a fresh phone step, nothing carried.
pub fn start_over(flow: &LoginFlow) -> LoginFlow {
    let mut next = flow.clone();
    next.revision = flow.revision.wrapping_add(1);
    next.stage = FlowStage::Phone;
    next.proven = None;
    next
}

/// Attempts left after the `used`-th attempt, or `None` when that attempt is over the limit.
pub fn attempts_left(used: u64, policy: &LoginPolicy) -> Option<u32> {
    let max = u64::from(policy.max_attempts);
    (used <= max).then(|| u32::try_from(max - used).unwrap_or(0))
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
