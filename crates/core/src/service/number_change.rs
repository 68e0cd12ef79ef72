//! A signed-in person proving a new number before it becomes theirs: a code to the new
//! number, outside any login flow, under the rules and budgets of any send. The challenge and
//! its attempts are kept per session, so one session changes one number at a time.

use super::send::map_backend;
use super::{Browser, LoginService};
use crate::events::{EventType, SecurityEvent};
use crate::journey::ACCOUNT_CLIENT_ID;
use crate::{BackendError, ChallengeRequest, LoginError, OtpCode, Verdict, machine};
use std::time::Duration;
use wagate_storage::{Counter, OtpChallenge};

/// A code on its way to the new number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberCodeSent {
    /// The new number (E.164), as it will be written.
    pub phone: String,
    pub code_length: u8,
    pub expires_in: Duration,
}

fn key(sid: &str) -> String {
    format!("number-change:{sid}")
}

impl LoginService {
    /// Sends a code to `typed`, the number the person of session `sid` wants instead.
    pub async fn send_number_code(
        &self,
        sid: &str,
        typed: &str,
        browser: &Browser<'_>,
    ) -> Result<NumberCodeSent, LoginError> {
        let phone = self.phones.parse_in(typed, browser.region)?;
        let key = key(sid);
        let now = self.clock.now();
        if let Some(before) = self.store.get_challenge(&key).await? {
            let next = before.created_at.plus(self.policy.resend_cooldown);
            if now < next {
                return Err(LoginError::ResendTooSoon {
                    retry_in: now.until(next),
                });
            }
        }
        let spent = self.admit(&phone, browser).await?;
        let request = ChallengeRequest {
            flow_id: &key,
            phone: &phone,
            locales: browser.languages,
        };
        let started = match self.backend_for(phone.e164()).start(&request).await {
            Ok(started) => started,
            Err(e) => {
                tracing::error!(error = %e, "could not send a code to a new number");
                if !matches!(e, BackendError::MaybeSent(_)) {
                    self.release_budgets(&spent).await;
                }
                return Err(map_backend(e));
            }
        };
        self.keep_challenge(&key, &started, &phone, now).await?;
        self.report(
            SecurityEvent::new(EventType::CodeSent)
                .phone(phone.e164())
                .with("channel", self.backend_for(phone.e164()).name())
                .with("region", phone.region())
                .with("client_id", ACCOUNT_CLIENT_ID),
        )
        .await;
        Ok(NumberCodeSent {
            phone: phone.e164().to_owned(),
            code_length: started.code_length,
            expires_in: started.expires_in,
        })
    }

    /// Checks the code sent to the new number; the number (E.164) once it is proven. The
    /// attempts are the login's (`max_attempts`), counted for the session.
    pub async fn check_number_code(&self, sid: &str, input: &str) -> Result<String, LoginError> {
        let code = OtpCode::parse(input).ok_or(LoginError::MalformedCode)?;
        let key = key(sid);
        let challenge = self
            .store
            .get_challenge(&key)
            .await?
            .ok_or(LoginError::CodeExpired)?;
        let used = self
            .store
            .increment(&Counter::FlowAttempts(key.clone()), self.policy.flow_ttl)
            .await?;
        let Some(attempts_left) = machine::attempts_left(used, &self.policy) else {
            self.store.take_challenge(&key).await?;
            return Err(LoginError::TooManyWrongCodes);
        };
        match self
            .backend_for(&challenge.phone)
            .verify(&challenge, &code)
            .await
        {
            Ok(Verdict::Accepted) => {
                // Of parallel right answers, one changes the number.
                match self.store.take_challenge(&key).await? {
                    Some(_) => {
                        self.code_verified(&challenge, None).await;
                        Ok(challenge.phone)
                    }
                    None => Err(LoginError::CodeExpired),
                }
            }
            Ok(Verdict::Rejected { replacement_state }) => {
                if attempts_left == 0 {
                    self.store.take_challenge(&key).await?;
                } else if let Some(state) = replacement_state {
                    // An upstream that moves its session on after a wrong code.
                    let replaced = OtpChallenge {
                        backend_state: state,
                        ..challenge
                    };
                    let ttl = self.clock.now().until(replaced.expires_at);
                    self.store.put_challenge(&key, &replaced, ttl).await?;
                }
                Err(LoginError::WrongCode {
                    attempts_left,
                    authenticator: false,
                })
            }
            Err(BackendError::TooManyAttempts) => {
                self.store.take_challenge(&key).await?;
                Err(LoginError::TooManyWrongCodes)
            }
            Err(e) => Err(map_backend(e)),
        }
    }
}
