//! A fake Cripsa/Cognito upstream, for tests and for trying `backend = "cripsa"` without an AWS
//! account. It speaks both wire formats: Cognito's `InitiateAuth`/`RespondToAuthChallenge`/
//! `SignUp` (`mode = "cognito"`), and `whatsapp-signin`/`whatsapp-responseToauth` in the
//! default `http` shape (JSON bodies laid out as Cognito's, optionally behind a bearer token).
//! It behaves as the research notes describe a Cripsa pool: a code per sign-in, a new session
//! after each wrong code, three attempts, sessions that expire, RS256 ID tokens from its own
//! JWKS. It is transport-free: `wagate dev fake-cripsa` (and the tests) put HTTP around it.
//!
//! Three numbers trigger the upstream's failures (the fake sends nothing to anyone):
//! `+447911000001` user not found (until signed up), `+447911000429` throttled,
//! `+447911000500` the sending Lambda failed.

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use wagate_cripsa::CONTENT_TYPE;
use wagate_cripsa::secret_hash;
use wagate_oidc::{KeyError, KeySet, SigningAlg, SigningKey, generate_pem};
use wagate_storage::{Clock, Secret, SecretSource};

const ATTEMPTS: u32 = 3;

/// Called with the phone number and the code for each code "sent".
pub type OnCode = Box<dyn Fn(&str, &str) + Send + Sync>;
pub const UNKNOWN_NUMBER: &str = "+447911000001";
pub const THROTTLED_NUMBER: &str = "+447911000429";
pub const FAILING_NUMBER: &str = "+447911000500";

pub struct FakeSettings {
    /// The base URL the fake is reachable at, with a trailing slash (the token issuer is
    /// `{base}{pool_id}`).
    pub base_url: String,
    pub pool_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub session_ttl_secs: i64,
    /// When set, the `http` operations want `Authorization: Bearer <token>`.
    pub developer_token: Option<Secret>,
}

/// Cripsa's own operations, as the fake serves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpOperation {
    SignIn,
    Respond,
}

impl HttpOperation {
    /// The documented operation names, which the fake serves under its base URL.
    pub fn path(self) -> &'static str {
        match self {
            HttpOperation::SignIn => wagate_cripsa::defaults::SIGNIN_PATH,
            HttpOperation::Respond => wagate_cripsa::defaults::RESPOND_PATH,
        }
    }
}

/// What the fake answers: an HTTP status and a JSON body.
#[derive(Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

struct Pending {
    phone: String,
    username: String,
    code: String,
    attempts: u32,
    expires_at: i64,
}

#[derive(Default)]
struct State {
    sessions: HashMap<String, Pending>,
    last_codes: HashMap<String, String>,
    calls: Vec<String>,
    signed_up: HashSet<String>,
}

pub struct FakeUpstream {
    settings: FakeSettings,
    signer: SigningKey,
    jwks: Value,
    clock: Arc<dyn Clock>,
    random: Arc<dyn SecretSource>,
    on_code: OnCode,
    state: Mutex<State>,
}

impl fmt::Debug for FakeUpstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeUpstream")
            .field("pool_id", &self.settings.pool_id)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

fn error(kind: &str, message: &str) -> Reply {
    Reply {
        status: 400,
        body: json!({"__type": kind, "message": message}),
    }
}

fn ok(body: Value) -> Reply {
    Reply { status: 200, body }
}

impl FakeUpstream {
    /// `on_code` "delivers" each code (to a log line, a webhook, a test's list).
    pub fn new(
        settings: FakeSettings,
        clock: Arc<dyn Clock>,
        random: Arc<dyn SecretSource>,
        on_code: OnCode,
    ) -> Result<FakeUpstream, KeyError> {
        let pem = generate_pem(SigningAlg::RS256)?;
        let signer = SigningKey::from_pem(SigningAlg::RS256, pem.as_bytes(), None)?;
        let published =
            SigningKey::from_pem(SigningAlg::RS256, pem.as_bytes(), Some(signer.kid().into()))?;
        let jwks = serde_json::to_value(KeySet::new(vec![published]).jwks())
            .map_err(|_| KeyError::Rejected("unserialisable JWKS"))?;
        Ok(FakeUpstream {
            settings,
            signer,
            jwks,
            clock,
            random,
            on_code,
            state: Mutex::default(),
        })
    }

    pub fn issuer(&self) -> String {
        format!("{}{}", self.settings.base_url, self.settings.pool_id)
    }

    /// Served at `/{pool_id}/.well-known/jwks.json`.
    pub fn jwks_path(&self) -> String {
        format!("/{}/.well-known/jwks.json", self.settings.pool_id)
    }

    pub fn jwks(&self) -> &Value {
        &self.jwks
    }

    /// The last code sent to `phone`, for tests.
    pub fn last_code(&self, phone: &str) -> Option<String> {
        self.lock().last_codes.get(phone).cloned()
    }

    /// The operations called so far, in order, for tests.
    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    /// One `POST /` with its `Content-Type` and `X-Amz-Target` headers.
    pub fn handle(&self, content_type: Option<&str>, target: Option<&str>, body: &[u8]) -> Reply {
        if content_type != Some(CONTENT_TYPE) {
            return error(
                "SerializationException",
                "expected application/x-amz-json-1.1",
            );
        }
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return error("SerializationException", "the body is not JSON");
        };
        let op = target
            .and_then(|t| t.strip_prefix("AWSCognitoIdentityProviderService."))
            .unwrap_or_default();
        self.lock().calls.push(op.to_owned());
        if let Some(refused) = self.refuse_client(&body) {
            return refused;
        }
        match op {
            "InitiateAuth" => self.initiate(&body),
            "RespondToAuthChallenge" => self.respond(&body),
            "SignUp" => self.sign_up(&body),
            _ => error("UnknownOperationException", "unknown operation"),
        }
    }

    /// One `POST {base}whatsapp-signin` or `…/whatsapp-responseToauth` in the default shape,
    /// with its `Authorization` and `Content-Type` headers.
    pub fn handle_http(
        &self,
        op: HttpOperation,
        authorization: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Reply {
        if let Some(token) = &self.settings.developer_token {
            let expected = format!("Bearer {}", token.expose());
            if authorization != Some(expected.as_str()) {
                // What API Gateway answers to a missing or wrong token.
                return Reply {
                    status: 403,
                    body: json!({"message": "Forbidden"}),
                };
            }
        }
        if !content_type.is_some_and(|c| c.starts_with("application/json")) {
            return error("SerializationException", "expected application/json");
        }
        let Ok(mut body) = serde_json::from_slice::<Value>(body) else {
            return error("SerializationException", "the body is not JSON");
        };
        self.lock().calls.push(op.path().to_owned());
        if let Some(refused) = self.refuse_client(&body) {
            return refused;
        }
        match op {
            HttpOperation::SignIn => {
                body["AuthFlow"] = json!("CUSTOM_AUTH");
                self.initiate(&body)
            }
            HttpOperation::Respond => self.respond(&body),
        }
    }

    fn refuse_client(&self, body: &Value) -> Option<Reply> {
        (body["ClientId"] != self.settings.client_id.as_str()).then(|| {
            error(
                "ResourceNotFoundException",
                "User pool client does not exist.",
            )
        })
    }

    /// `SignUp` as a pool with an auto-confirming pre-sign-up trigger answers it.
    fn sign_up(&self, body: &Value) -> Reply {
        let phone = body["Username"].as_str().unwrap_or_default().to_owned();
        let expected = secret_hash(
            &self.settings.client_secret,
            &phone,
            &self.settings.client_id,
        );
        if body["SecretHash"] != expected.as_str() {
            return error(
                "NotAuthorizedException",
                "Unable to verify secret hash for client",
            );
        }
        let attribute = &body["UserAttributes"][0];
        if attribute["Name"] != "phone_number" || attribute["Value"] != phone.as_str() {
            return error(
                "InvalidParameterException",
                "phone_number attribute required",
            );
        }
        if body["Password"].as_str().is_none_or(|p| p.len() < 8) {
            return error(
                "InvalidPasswordException",
                "Password did not conform with policy",
            );
        }
        if !self.lock().signed_up.insert(phone.clone()) {
            return error(
                "UsernameExistsException",
                "An account with the given phone_number already exists.",
            );
        }
        ok(
            json!({"UserConfirmed": true, "UserSub": format!("fake-{}", phone.trim_start_matches('+'))}),
        )
    }

    fn hash_ok(&self, params: &Value, username: &str) -> bool {
        let expected = secret_hash(
            &self.settings.client_secret,
            username,
            &self.settings.client_id,
        );
        params["SECRET_HASH"] == expected.as_str()
    }

    fn initiate(&self, body: &Value) -> Reply {
        if body["AuthFlow"] != "CUSTOM_AUTH" {
            return error(
                "InvalidParameterException",
                "Only CUSTOM_AUTH is enabled for this client",
            );
        }
        let params = &body["AuthParameters"];
        let phone = params["USERNAME"].as_str().unwrap_or_default().to_owned();
        if !self.hash_ok(params, &phone) {
            return error(
                "NotAuthorizedException",
                "Unable to verify secret hash for client",
            );
        }
        let signed_up = self.lock().signed_up.contains(&phone);
        match phone.as_str() {
            UNKNOWN_NUMBER if !signed_up => {
                return error("UserNotFoundException", "User does not exist.");
            }
            THROTTLED_NUMBER => return error("TooManyRequestsException", "Rate exceeded"),
            FAILING_NUMBER => {
                return error(
                    "UserLambdaValidationException",
                    "CreateAuthChallenge failed: WhatsApp send failed",
                );
            }
            _ => {}
        }
        let username = format!("fake-{}", phone.trim_start_matches('+'));
        let code = self.digits(6);
        (self.on_code)(&phone, &code);
        let session = self.digits(24);
        let mut state = self.lock();
        state.last_codes.insert(phone.clone(), code.clone());
        state.sessions.insert(
            session.clone(),
            Pending {
                phone,
                username: username.clone(),
                code,
                attempts: 0,
                expires_at: self.clock.now().secs() + self.settings.session_ttl_secs,
            },
        );
        ok(challenge(&session, &username))
    }

    fn respond(&self, body: &Value) -> Reply {
        let session = body["Session"].as_str().unwrap_or_default();
        let answers = &body["ChallengeResponses"];
        // Every session is single use, as Cognito's: the answer consumes it.
        let Some(mut pending) = self.lock().sessions.remove(session) else {
            return error("NotAuthorizedException", "Invalid session for the user.");
        };
        if pending.expires_at <= self.clock.now().secs() {
            return error(
                "NotAuthorizedException",
                "Invalid session for the user, session is expired.",
            );
        }
        if answers["USERNAME"] != pending.username.as_str()
            || !self.hash_ok(answers, &pending.username)
        {
            return error(
                "NotAuthorizedException",
                "Unable to verify secret hash for client",
            );
        }
        if answers["ANSWER"] == pending.code.as_str() {
            return match self.tokens(&pending) {
                Ok(reply) => reply,
                Err(_) => Reply {
                    status: 500,
                    body: json!({"__type": "InternalErrorException", "message": "signing"}),
                },
            };
        }
        pending.attempts += 1;
        if pending.attempts >= ATTEMPTS {
            return error("NotAuthorizedException", "Incorrect username or password.");
        }
        let next = self.digits(24);
        let username = pending.username.clone();
        self.lock().sessions.insert(next.clone(), pending);
        ok(challenge(&next, &username))
    }

    fn tokens(&self, pending: &Pending) -> Result<Reply, KeyError> {
        let now = self.clock.now().secs();
        let claims = json!({
            "iss": self.issuer(), "aud": self.settings.client_id, "token_use": "id",
            "iat": now, "auth_time": now, "exp": now + 3600,
            "sub": pending.username, "cognito:username": pending.username,
            "phone_number": pending.phone, "phone_number_verified": true,
        });
        let id_token = self.signer.sign("JWT", &claims)?;
        Ok(ok(json!({
            "AuthenticationResult": {
                "IdToken": id_token, "AccessToken": "fake-upstream-access-token",
                "RefreshToken": "fake-upstream-refresh-token", "ExpiresIn": 3600,
                "TokenType": "Bearer",
            },
            "ChallengeParameters": {},
        })))
    }

    fn digits(&self, n: usize) -> String {
        let mut out = String::with_capacity(n);
        let mut buf = [0u8; 32];
        while out.len() < n {
            self.random.fill(&mut buf);
            // Bytes of 250 and above are redrawn so every digit is equally likely.
            for b in buf.iter().filter(|b| **b < 250).take(n - out.len()) {
                out.push(char::from(b'0' + b % 10));
            }
        }
        out
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn challenge(session: &str, username: &str) -> Value {
    json!({
        "ChallengeName": "CUSTOM_CHALLENGE", "Session": session,
        "ChallengeParameters": {"USERNAME": username},
    })
}
