//! What keeps message costs from being abused (SMS and WhatsApp "pumping"): rules checked
//! before every send, on counters in storage that every instance shares. Per-number and
//! per-address budgets are the login's own (`service/send.rs`); these look across numbers.
//!
//! In order: test numbers and the safe list skip everything; a denied country is refused;
//! then, after one count of everything in storage: past the overall caps, or under a
//! country's floor of verified codes, a send needs a solved challenge; a number that asked
//! often waits longer each time (back-off); a country's cap and a prefix's cap refuse.

mod captcha;
mod challenge;
mod test_numbers;

pub use captcha::{Captcha, CaptchaChallenge, CaptchaProvider};

pub use challenge::{
    MAX_DIFFICULTY, MIN_DIFFICULTY, PowChallenge, ProofOfWork, SolutionError, solve,
};
pub use test_numbers::TestNumbers;

use crate::{LoginError, PhoneError, PhoneNumber};
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::{Clock, Counter, SecretSource, Store, UnixTime};

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);

/// What a country may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryRule {
    Allow,
    /// Refused before anything is sent.
    Deny,
    /// At most this many sends to the country per hour, across instances.
    HourlyCap(u64),
}

/// Sends slow down for a number that keeps asking: after `free` sends since it was last quiet
/// for `quiet`, the next waits `base`, then twice that, up to `max`, each with jitter.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub free: u64,
    pub base: Duration,
    pub max: Duration,
    pub quiet: Duration,
}

/// Below `floor` (verified / sent) over the window, with at least `min_sent` sends, a
/// country's sends need the proof of work.
#[derive(Debug, Clone)]
pub struct ConversionFloor {
    pub floor: f64,
    pub min_sent: u64,
    pub window: Duration,
}

/// The rules, as configured.
#[derive(Debug, Clone)]
pub struct SendRules {
    pub countries: HashMap<String, CountryRule>,
    pub prefix_per_hour: u64,
    pub overall_per_hour: u64,
    pub overall_per_day: u64,
    pub conversion: Option<ConversionFloor>,
    pub backoff: Backoff,
    /// Numbers (E.164) exempt from every budget and rule.
    pub safe: HashSet<String>,
}

impl Default for SendRules {
    fn default() -> Self {
        SendRules {
            countries: HashMap::new(),
            prefix_per_hour: 30,
            overall_per_hour: 2_000,
            overall_per_day: 20_000,
            conversion: Some(ConversionFloor {
                floor: 0.2,
                min_sent: 30,
                window: HOUR,
            }),
            backoff: Backoff {
                free: 3,
                base: Duration::from_secs(60),
                max: HOUR,
                quiet: HOUR,
            },
            safe: HashSet::new(),
        }
    }
}

/// Why a send needs the proof of work (a bounded value, for metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeReason {
    HourlyCap,
    DailyCap,
    LowConversion,
}

impl ChallengeReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeReason::HourlyCap => "hourly_cap",
            ChallengeReason::DailyCap => "daily_cap",
            ChallengeReason::LowConversion => "low_conversion",
        }
    }
}

/// Which rule refused a send (a bounded value, for metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    CountryDenied,
    CountryCap,
    PrefixCap,
    Backoff,
    ChallengeMissing,
    ChallengeFailed,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::CountryDenied => "country_denied",
            Refusal::CountryCap => "country_cap",
            Refusal::PrefixCap => "prefix_cap",
            Refusal::Backoff => "backoff",
            Refusal::ChallengeMissing => "challenge_missing",
            Refusal::ChallengeFailed => "challenge_failed",
        }
    }
}

/// What operators see of the guard: metrics, and the alerts they are built on.
pub trait GuardObserver: Send + Sync {
    fn refused(&self, _rule: Refusal) {}
    fn challenge_required(&self, _reason: ChallengeReason) {}
    fn test_number(&self) {}
}

struct Quiet;
impl GuardObserver for Quiet {}

/// What a client must solve before the send: ALTCHA's proof of work, or the operator's
/// captcha widget.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Challenge {
    ProofOfWork(PowChallenge),
    Captcha(CaptchaChallenge),
}

/// What storage said of a send: the counts with it, and the conversion before it.
struct Tally {
    streak: u64,
    prefix: u64,
    /// Sends before this one, this hour and this day, by every instance.
    hour: u64,
    day: u64,
    /// Sends to the country in the current bucket before this one; then sends in the last
    /// bucket, and verified codes in the current and the last.
    conversion: (u64, Vec<u64>),
    /// Sends to the country this hour, with a cap.
    country: Option<u64>,
}

pub struct SendGuard {
    rules: SendRules,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn SecretSource>,
    pow: ProofOfWork,
    tests: Arc<TestNumbers>,
    observer: Arc<dyn GuardObserver>,
    /// In place of the proof of work, when configured.
    captcha: Option<Captcha>,
}

impl SendGuard {
    pub fn new(
        rules: SendRules,
        pow: ProofOfWork,
        tests: Arc<TestNumbers>,
        (store, clock, random): (Arc<dyn Store>, Arc<dyn Clock>, Arc<dyn SecretSource>),
    ) -> SendGuard {
        SendGuard {
            rules,
            store,
            clock,
            random,
            pow,
            tests,
            observer: Arc::new(Quiet),
            captcha: None,
        }
    }

    /// Asks for the operator's captcha instead of the proof of work.
    pub fn with_captcha(mut self, captcha: Captcha) -> Self {
        self.captcha = Some(captcha);
        self
    }

    pub fn with_observer(mut self, observer: Arc<dyn GuardObserver>) -> Self {
        self.observer = observer;
        self
    }

    /// Test numbers and safe-listed ones: no rule and no budget applies to them. A test
    /// number's use is noted here.
    pub fn exempt(&self, e164: &str) -> bool {
        if self.tests.contains(e164) {
            self.observer.test_number();
            return true;
        }
        self.rules.safe.contains(e164)
    }

    pub fn test_numbers(&self) -> &Arc<TestNumbers> {
        &self.tests
    }

    fn refuse(&self, rule: Refusal, error: LoginError) -> LoginError {
        self.observer.refused(rule);
        error
    }

    /// Lets a send to `phone` through, or says why not. `solution`: a solved challenge the
    /// request carried (ALTCHA's payload or a captcha token), if any; `ip`: the client's
    /// address, which a captcha provider may weigh. Returns what it counted, to give back if
    /// the send does not happen. Callers ask `exempt` first.
    pub async fn admit(
        &self,
        phone: &PhoneNumber,
        (solution, ip): (Option<&str>, Option<IpAddr>),
    ) -> Result<Vec<Counter>, LoginError> {
        let country = phone.region().to_owned();
        let rule = self.rules.countries.get(&country).copied();
        if rule == Some(CountryRule::Deny) {
            return Err(self.refuse(
                Refusal::CountryDenied,
                LoginError::InvalidPhone(PhoneError::CountryNotAllowed),
            ));
        }
        let now = self.clock.now();
        let mut spent = Vec::new();
        let counted = self
            .count(phone, (&country, rule), (solution, ip), now, &mut spent)
            .await;
        match counted {
            Ok(()) => Ok(spent),
            Err(e) => {
                self.release(&spent).await;
                Err(e)
            }
        }
    }

    /// Counts the send everywhere it counts and reads the conversion, in one call to storage;
    /// then checks the rules in order, refusing at the first one broken. Whatever was counted
    /// is in `spent`.
    async fn count(
        &self,
        phone: &PhoneNumber,
        (country, rule): (&str, Option<CountryRule>),
        (solution, ip): (Option<&str>, Option<IpAddr>),
        now: UnixTime,
        spent: &mut Vec<Counter>,
    ) -> Result<(), LoginError> {
        let b = &self.rules.backoff;
        let prefix = prefix_of(phone.e164());
        let mut counted = vec![
            (Counter::SendStreak(phone.e164().to_owned()), b.quiet),
            (Counter::SendsToPrefix(prefix.to_owned()), HOUR),
            (Counter::SendsOverall("hour"), HOUR),
            (Counter::SendsOverall("day"), DAY),
        ];
        let mut read = Vec::new();
        if let Some(c) = &self.rules.conversion {
            let bucket = bucket_of(now, c.window);
            counted.push((
                Counter::CountrySent {
                    country: country.to_owned(),
                    bucket,
                },
                c.window * 2,
            ));
            read = vec![
                Counter::CountrySent {
                    country: country.to_owned(),
                    bucket: bucket.saturating_sub(1),
                },
                Counter::CountryVerified {
                    country: country.to_owned(),
                    bucket,
                },
                Counter::CountryVerified {
                    country: country.to_owned(),
                    bucket: bucket.saturating_sub(1),
                },
            ];
        }
        let country_cap = match rule {
            Some(CountryRule::HourlyCap(cap)) => {
                counted.push((Counter::SendsToCountry(country.to_owned()), HOUR));
                Some(cap)
            }
            _ => None,
        };
        let (counts, read) = self.store.tally(&counted, &read).await?;
        spent.extend(counted.into_iter().map(|(key, _)| key));
        let tally = Tally {
            streak: counts[0],
            prefix: counts[1],
            // What was sent before this send.
            hour: counts[2].saturating_sub(1),
            day: counts[3].saturating_sub(1),
            conversion: (counts.get(4).map_or(0, |n| n.saturating_sub(1)), read),
            country: country_cap.and(counts.last().copied()),
        };

        if let Some(reason) = self.challenge_reason(&tally) {
            self.prove(reason, (solution, ip), now).await?;
        }
        if tally.streak > b.free {
            self.back_off(phone, tally.streak - b.free).await?;
        }
        if let (Some(cap), Some(n)) = (country_cap, tally.country)
            && n > cap
        {
            tracing::warn!(country, cap, "hourly send cap of the country reached");
            return Err(self.refuse(Refusal::CountryCap, LoginError::SendLimitReached));
        }
        if tally.prefix > self.rules.prefix_per_hour {
            tracing::warn!(
                prefix = %crate::mask_e164(prefix),
                cap = self.rules.prefix_per_hour,
                "hourly send cap of a number prefix reached: numbers are being walked"
            );
            return Err(self.refuse(Refusal::PrefixCap, LoginError::SendLimitReached));
        }
        Ok(())
    }

    /// The `n`-th send past the free ones holds the number's gap for the next one; refused
    /// while the last one's gap holds.
    async fn back_off(&self, phone: &PhoneNumber, n: u64) -> Result<(), LoginError> {
        let wait = self.jittered(backoff_wait(&self.rules.backoff, n));
        let gap = Counter::SendGap(phone.e164().to_owned());
        match self.store.hold(&gap, wait).await? {
            None => Ok(()),
            Some(left) => {
                tracing::info!(phone = %phone.masked(), wait_secs = left.as_secs(), "number backing off");
                Err(self.refuse(
                    Refusal::Backoff,
                    LoginError::ResendTooSoon {
                        retry_in: left.max(Duration::from_secs(1)),
                    },
                ))
            }
        }
    }

    /// Between half and all of `wait` ("equal jitter"), so that senders do not line up.
    fn jittered(&self, wait: Duration) -> Duration {
        let mut byte = [0u8; 1];
        self.random.fill(&mut byte);
        let share = 0.5 + f64::from(byte[0]) / 510.0;
        wait.mul_f64(share)
    }

    pub async fn release(&self, spent: &[Counter]) {
        for key in spent {
            if let Err(e) = self.store.release(key).await {
                tracing::warn!(error = %e, "could not give back a send count");
            }
        }
    }

    /// Whether this send needs the proof of work, and why.
    fn challenge_reason(&self, t: &Tally) -> Option<ChallengeReason> {
        if t.hour >= self.rules.overall_per_hour {
            return Some(ChallengeReason::HourlyCap);
        }
        if t.day >= self.rules.overall_per_day {
            return Some(ChallengeReason::DailyCap);
        }
        let c = self.rules.conversion.as_ref()?;
        let (sent_now, read) = &t.conversion;
        let [sent_before, ok_now, ok_before] = read[..] else {
            return None;
        };
        let sent = sent_now + sent_before;
        let verified = ok_now + ok_before;
        let low = sent >= c.min_sent && (verified as f64) < c.floor * sent as f64;
        low.then_some(ChallengeReason::LowConversion)
    }

    /// The challenge a rule asks for: present, right, unexpired and not used before.
    async fn prove(
        &self,
        reason: ChallengeReason,
        (solution, ip): (Option<&str>, Option<IpAddr>),
        now: UnixTime,
    ) -> Result<(), LoginError> {
        self.observer.challenge_required(reason);
        let Some(solution) = solution.filter(|s| !s.trim().is_empty()) else {
            if reason != ChallengeReason::LowConversion {
                tracing::error!(
                    reason = reason.as_str(),
                    "overall send cap reached: new sends need a challenge solved"
                );
            }
            let challenge = self.issue(now)?;
            return Err(self.refuse(
                Refusal::ChallengeMissing,
                LoginError::ChallengeRequired(Box::new(challenge)),
            ));
        };
        let checked = match &self.captcha {
            Some(captcha) => captcha.verify(solution, ip).await.map_err(|e| {
                tracing::error!(error = %e, "a captcha token could not be checked");
                LoginError::Unavailable(e.to_string())
            })?,
            None => match self.pow.check(solution, now) {
                Ok(signature) => {
                    let spent = Counter::SpentChallenge(signature);
                    match self.store.hold(&spent, self.pow.ttl()).await? {
                        None => Ok(()),
                        Some(_) => Err(SolutionError::Wrong),
                    }
                }
                Err(e) => Err(e),
            },
        };
        if let Err(e) = checked {
            tracing::info!(error = %e, "a sending challenge's solution was refused");
            let challenge = self.issue(now)?;
            return Err(self.refuse(
                Refusal::ChallengeFailed,
                LoginError::ChallengeFailed(Box::new(challenge)),
            ));
        }
        Ok(())
    }

    fn issue(&self, now: UnixTime) -> Result<Challenge, LoginError> {
        if let Some(captcha) = &self.captcha {
            return Ok(Challenge::Captcha(captcha.challenge()));
        }
        self.pow
            .issue(now)
            .map(Challenge::ProofOfWork)
            .ok_or_else(|| LoginError::Unavailable("could not issue a sending challenge".into()))
    }

    /// A code sent to `e164`, a number of `country`, was verified: the country's conversion
    /// counts it.
    pub async fn verified(&self, e164: &str, country: &str) {
        let Some(c) = &self.rules.conversion else {
            return;
        };
        if self.tests.contains(e164) {
            return;
        }
        let key = Counter::CountryVerified {
            country: country.to_owned(),
            bucket: bucket_of(self.clock.now(), c.window),
        };
        if let Err(e) = self.store.increment(&key, c.window * 2).await {
            tracing::warn!(error = %e, "could not count a verified code");
        }
    }
}

/// The backend name of the numbers the operator keeps for app reviewers and load tests.
pub const TEST_NUMBER: &str = "test-number";

/// The E.164 number without its last four digits: numbers walked in a range share it.
pub fn prefix_of(e164: &str) -> &str {
    &e164[..e164.len().saturating_sub(4)]
}

/// Fixed buckets of the conversion window; a country's rate reads this one and the last.
fn bucket_of(now: UnixTime, window: Duration) -> u64 {
    u64::try_from(now.secs()).unwrap_or(0) / window.as_secs().max(1)
}

/// The wait before the `n`-th send past the free ones (n ≥ 1): base, 2·base, 4·base, ... ≤ max.
fn backoff_wait(b: &Backoff, n: u64) -> Duration {
    let doublings = u32::try_from(n.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .min(20);
    b.base.saturating_mul(1 << doublings).min(b.max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_maximum() {
        let b = SendRules::default().backoff;
        let waits: Vec<u64> = (1..=8).map(|n| backoff_wait(&b, n).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn a_prefix_leaves_out_the_last_four_digits() {
        assert_eq!(prefix_of("+447400123456"), "+44740012");
        assert_eq!(prefix_of("+1"), "");
    }
}
