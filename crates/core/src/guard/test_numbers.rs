//! Test numbers: a fixed code, and no message at all (app-store reviewers, monitoring). They
//! stand in for the real backend for their numbers only.

use crate::BackendError;
use crate::otp::{ChallengeRequest, OtpBackend, OtpCode, Started, Verdict};
use async_trait::async_trait;
use std::collections::HashMap;
use std::time::Duration;
use wagate_storage::{OtpChallenge, Secret};

/// The numbers (E.164) and their codes.
#[derive(Debug, Default)]
pub struct TestNumbers {
    codes: HashMap<String, Secret>,
    code_ttl: Duration,
}

/// What the challenge keeps: nothing secret, the code is in the configuration.
const STATE: &str = "test-number";

impl TestNumbers {
    pub fn new(codes: HashMap<String, Secret>, code_ttl: Duration) -> TestNumbers {
        TestNumbers { codes, code_ttl }
    }

    pub fn contains(&self, e164: &str) -> bool {
        self.codes.contains_key(e164)
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

#[async_trait]
impl OtpBackend for TestNumbers {
    fn name(&self) -> &'static str {
        super::TEST_NUMBER
    }

    async fn start(&self, request: &ChallengeRequest<'_>) -> Result<Started, BackendError> {
        let code = self
            .codes
            .get(request.phone.e164())
            .ok_or_else(|| BackendError::Misconfigured("not a test number".into()))?;
        Ok(Started {
            state: Secret::new(STATE),
            expires_in: self.code_ttl,
            code_length: u8::try_from(code.expose().len()).unwrap_or(u8::MAX),
            dispatch: None,
        })
    }

    async fn verify(
        &self,
        challenge: &OtpChallenge,
        code: &OtpCode,
    ) -> Result<Verdict, BackendError> {
        let right = self
            .codes
            .get(&challenge.phone)
            .is_some_and(|c| c.ct_eq(code.expose()));
        Ok(if right {
            Verdict::Accepted
        } else {
            Verdict::Rejected {
                replacement_state: None,
            }
        })
    }
}
