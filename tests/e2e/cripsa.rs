//! `login.backend = "cripsa"` end to end: wagate talks to a Cognito-shaped upstream over HTTP
//! (written here from the research notes: new session after a wrong code, three attempts,
//! SECRET_HASH with the internal username, RS256 ID tokens from its own JWKS), and a portal
//! logs in through plain OIDC.

use crate::support::*;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use openidconnect::TokenResponse;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use wagate_cripsa::secret_hash;
use wagate_oidc::{KeySet, SigningAlg, SigningKey};
use wagate_storage::Secret;

const POOL: &str = "eu-west-1_Fake";
const CLIENT_ID: &str = "fakeclient1";
const CLIENT_SECRET: &str = "fake-upstream-client-secret";

struct Challenge {
    phone: String,
    username: String,
    code: String,
    attempts: u32,
}

struct Fake {
    url: String,
    key: SigningKey,
    jwks: Value,
    sessions: Mutex<HashMap<String, Challenge>>,
    codes: Mutex<HashMap<String, String>>,
    unknown: Mutex<Vec<String>>,
    calls: Mutex<Vec<String>>,
    next: Mutex<u64>,
}

impl Fake {
    fn issuer(&self) -> String {
        format!("{}{POOL}", self.url)
    }

    fn fresh(&self) -> u64 {
        let mut n = self.next.lock().unwrap();
        *n += 1;
        *n
    }

    fn last_code(&self, phone: &str) -> String {
        self.codes.lock().unwrap()[phone].clone()
    }
}

fn error(kind: &str, message: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"__type": kind, "message": message}))
}

fn challenge(session: &str, username: &str) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "ChallengeName": "CUSTOM_CHALLENGE", "Session": session,
        "ChallengeParameters": {"USERNAME": username},
    }))
}

fn hash_ok(body: &Value, field: &str, username: &str) -> bool {
    body[field]["SECRET_HASH"] == secret_hash(&Secret::new(CLIENT_SECRET), username, CLIENT_ID)
}

async fn cognito(req: HttpRequest, raw: web::Bytes, fake: web::Data<Arc<Fake>>) -> HttpResponse {
    // Cognito's content type is application/x-amz-json-1.1, which actix's Json extractor refuses.
    if req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        != Some("application/x-amz-json-1.1")
    {
        return error("SerializationException", "wrong content type");
    }
    let Ok(body) = serde_json::from_slice::<Value>(&raw) else {
        return error("SerializationException", "not JSON");
    };
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    fake.calls.lock().unwrap().push(target.clone());
    if body["ClientId"] != CLIENT_ID {
        return error(
            "ResourceNotFoundException",
            "User pool client does not exist.",
        );
    }
    match target.as_str() {
        "AWSCognitoIdentityProviderService.InitiateAuth" => {
            let phone = body["AuthParameters"]["USERNAME"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if !hash_ok(&body, "AuthParameters", &phone) {
                return error(
                    "NotAuthorizedException",
                    "Unable to verify secret hash for client",
                );
            }
            if fake.unknown.lock().unwrap().contains(&phone) {
                return error("UserNotFoundException", "User does not exist.");
            }
            let n = fake.fresh();
            let (session, code) = (format!("sess-{n}"), format!("{:06}", 100_000 + n));
            let username = format!("internal-{}", phone.trim_start_matches('+'));
            fake.codes
                .lock()
                .unwrap()
                .insert(phone.clone(), code.clone());
            fake.sessions.lock().unwrap().insert(
                session.clone(),
                Challenge {
                    phone,
                    username: username.clone(),
                    code,
                    attempts: 0,
                },
            );
            challenge(&session, &username)
        }
        "AWSCognitoIdentityProviderService.RespondToAuthChallenge" => {
            let session = body["Session"].as_str().unwrap_or_default();
            let Some(mut ch) = fake.sessions.lock().unwrap().remove(session) else {
                return error(
                    "NotAuthorizedException",
                    "Invalid session for the user, session is expired.",
                );
            };
            // The hash must be of the internal username, not the phone number.
            if body["ChallengeResponses"]["USERNAME"] != ch.username.as_str()
                || !hash_ok(&body, "ChallengeResponses", &ch.username)
            {
                return error(
                    "NotAuthorizedException",
                    "Unable to verify secret hash for client",
                );
            }
            if body["ChallengeResponses"]["ANSWER"] == ch.code.as_str() {
                let now = wagate_storage::Clock::now(&wagate_storage::SystemClock).secs();
                let claims = json!({
                    "iss": fake.issuer(), "aud": CLIENT_ID, "token_use": "id",
                    "iat": now, "exp": now + 3600, "sub": ch.username,
                    "cognito:username": ch.username, "phone_number": ch.phone,
                    "phone_number_verified": true,
                });
                let id_token = fake.key.sign("JWT", &claims).unwrap();
                return HttpResponse::Ok().json(json!({
                    "AuthenticationResult": {"IdToken": id_token, "AccessToken": "upstream-access",
                        "RefreshToken": "upstream-refresh", "ExpiresIn": 3600, "TokenType": "Bearer"},
                    "ChallengeParameters": {},
                }));
            }
            ch.attempts += 1;
            if ch.attempts >= 3 {
                return error("NotAuthorizedException", "Incorrect username or password.");
            }
            let next = format!("sess-{}", fake.fresh());
            let username = ch.username.clone();
            fake.sessions.lock().unwrap().insert(next.clone(), ch);
            challenge(&next, &username)
        }
        _ => error("UnknownOperationException", "unknown operation"),
    }
}

async fn serve_jwks(fake: web::Data<Arc<Fake>>) -> HttpResponse {
    HttpResponse::Ok().json(&fake.jwks)
}

async fn start_fake() -> Arc<Fake> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let key = SigningKey::generate(SigningAlg::RS256).unwrap();
    let pem = wagate_oidc::generate_pem(SigningAlg::RS256).unwrap();
    let signer = SigningKey::from_pem(SigningAlg::RS256, pem.as_bytes(), None).unwrap();
    let published =
        SigningKey::from_pem(SigningAlg::RS256, pem.as_bytes(), Some(signer.kid().into())).unwrap();
    let jwks = serde_json::to_value(KeySet::new(vec![key, published]).jwks()).unwrap();
    let fake = Arc::new(Fake {
        url: format!("http://{}/", listener.local_addr().unwrap()),
        key: signer,
        jwks,
        sessions: Mutex::default(),
        codes: Mutex::default(),
        unknown: Mutex::default(),
        calls: Mutex::default(),
        next: Mutex::new(0),
    });
    let data = web::Data::new(fake.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/", web::post().to(cognito))
            .route(
                &format!("/{POOL}/.well-known/jwks.json"),
                web::get().to(serve_jwks),
            )
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    fake
}

async fn cripsa_server(fake: &Fake, client_secret: &str) -> TestServer {
    let client_secret = Secret::new(client_secret);
    let url = fake.url.clone();
    start(move |c| {
        c.login.backend = "cripsa".into();
        c.cripsa.user_pool_id = POOL.into();
        c.cripsa.client_id = CLIENT_ID.into();
        c.cripsa.client_secret = Some(client_secret);
        c.cripsa.endpoint = Some(url);
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_logs_in_through_the_cognito_upstream() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, CLIENT_SECRET).await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&rp, false, &[]);
    let b = browser();
    let flow = open_flow(&b, &pending.url).await;
    let phone = fresh_phone();
    let (status, body) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        server.hook.all().is_empty(),
        "the upstream delivers, not wagate"
    );

    // A wrong code: the upstream answers with a new session, which wagate keeps.
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": "000000"})).await;
    assert_eq!(status, 400, "{body}");
    let code = fake.last_code(&phone);
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "done");

    let back = url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap();
    let tokens = redeem(&rp, &query(&back, "code").unwrap(), None).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &pending.nonce)
        .expect("wagate's ID token verifies");
    assert_eq!(claims.issuer().as_str(), server.issuer);
    assert_eq!(claims.phone_number().unwrap().as_str(), phone);
    // The upstream's tokens stay inside wagate.
    let raw = serde_json::to_string(&tokens).unwrap();
    assert!(!raw.contains("upstream-access") && !raw.contains("upstream-refresh"));
    assert_eq!(
        *fake.calls.lock().unwrap(),
        [
            "AWSCognitoIdentityProviderService.InitiateAuth",
            "AWSCognitoIdentityProviderService.RespondToAuthChallenge",
            "AWSCognitoIdentityProviderService.RespondToAuthChallenge",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_number_answers_like_any_other() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, CLIENT_SECRET).await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let phone = fresh_phone();
    fake.unknown.lock().unwrap().push(phone.clone());
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&rp, false, &[]).url).await;
    let (status, unknown) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
    assert_eq!(status, 200, "{unknown}");
    let b2 = browser();
    let flow2 = open_flow(&b2, &authorize_url(&rp, false, &[]).url).await;
    let (status, known) = post_json(
        &b2,
        &format!("{flow2}/phone"),
        json!({"phone": fresh_phone()}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(unknown["step"], known["step"]);
    assert_eq!(
        unknown.as_object().unwrap().keys().collect::<Vec<_>>(),
        known.as_object().unwrap().keys().collect::<Vec<_>>()
    );
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": "100001"})).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_client_secret_is_a_clear_503_not_a_leak() {
    let fake = start_fake().await;
    let server = cripsa_server(&fake, "not-the-secret").await;
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&rp, false, &[]).url).await;
    let (status, body) = post_json(
        &b,
        &format!("{flow}/phone"),
        json!({"phone": fresh_phone()}),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "temporarily_unavailable");
    assert!(
        !body.to_string().contains("secret hash"),
        "upstream text stays in the log"
    );
}
