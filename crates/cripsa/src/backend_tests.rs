use super::*;
use crate::cognito::CognitoClient;
use crate::pool::UserPool;
use crate::test_http::scripted;
use serde_json::json;
use wagate_core::PhonePolicy;
use wagate_oidc::{KeySet, SigningAlg, SigningKey};
use wagate_storage::{ManualClock, OsRandom, UnixTime};

const PHONE: &str = "+4915112345678";
const NOW: i64 = 1_800_000_000;
const ISS: &str = "http://upstream.test/eu-west-1_Test";

fn signed_reply(key: &SigningKey, phone: &str) -> &'static str {
    let claims = json!({
        "iss": ISS, "aud": "client-1", "token_use": "id", "exp": NOW + 3600,
        "sub": "uuid-42", "cognito:username": "uuid-42", "phone_number": phone,
        "phone_number_verified": true,
    });
    let token = key.sign("JWT", &claims).unwrap();
    format!(r#"{{"AuthenticationResult":{{"IdToken":"{token}","AccessToken":"a","ExpiresIn":3600,"TokenType":"Bearer"}},"ChallengeParameters":{{}}}}"#).leak()
}

fn backend(url: &str) -> CripsaBackend {
    backend_with(url, false)
}

fn backend_with(url: &str, sign_up_unknown_numbers: bool) -> CripsaBackend {
    let pool = UserPool::new("eu-west-1_Test", Some(url)).unwrap();
    let client =
        CognitoClient::new(pool, "client-1", Secret::new("shh"), Duration::from_secs(2)).unwrap();
    let verifier = IdTokenVerifier::new(
        ISS.into(),
        format!("{url}jwks.json"),
        "client-1".into(),
        Duration::from_secs(2),
    )
    .unwrap();
    CripsaBackend::new(
        Arc::new(client),
        verifier,
        Arc::new(ManualClock::new(UnixTime(NOW))),
        Arc::new(OsRandom),
        BackendOptions {
            session_ttl: Duration::from_secs(180),
            code_length: 6,
            attempts: 3,
            sign_up_unknown_numbers,
        },
    )
}

/// The phone step for `PHONE`.
async fn start(b: &CripsaBackend) -> Result<Started, BackendError> {
    let phone = PhonePolicy::new(None, &[]).unwrap().parse(PHONE).unwrap();
    b.start(&ChallengeRequest {
        locales: &[],
        flow_id: "f",
        phone: &phone,
    })
    .await
}

fn challenge(started: &Started) -> OtpChallenge {
    OtpChallenge {
        backend_state: started.state.clone(),
        phone: PHONE.into(),
        region: None,
        channel: None,
        created_at: UnixTime(NOW),
        expires_at: UnixTime(NOW + 180),
    }
}

/// A challenge in progress upstream, as if `start` had answered with session `s`.
fn live_challenge(username: &str) -> OtpChallenge {
    let state = State::Live {
        session: "s".into(),
        username: username.into(),
    };
    OtpChallenge {
        backend_state: state.seal().unwrap(),
        phone: PHONE.into(),
        region: None,
        channel: None,
        created_at: UnixTime(NOW),
        expires_at: UnixTime(NOW + 180),
    }
}

fn code(s: &str) -> OtpCode {
    OtpCode::parse(s).unwrap()
}

fn keys() -> (SigningKey, &'static str) {
    let pem = wagate_oidc::generate_pem(SigningAlg::RS256).unwrap();
    let signer = SigningKey::from_pem(SigningAlg::RS256, pem.as_bytes(), None).unwrap();
    let published =
        SigningKey::from_pem(SigningAlg::RS256, pem.as_bytes(), Some(signer.kid().into())).unwrap();
    let jwks = serde_json::to_string(&KeySet::new(vec![published]).jwks()).unwrap();
    (signer, jwks.leak())
}

#[tokio::test]
async fn a_wrong_then_right_code_signs_in_with_the_replaced_session() {
    let (key, jwks) = keys();
    let (url, seen) = scripted(vec![
        Some((200, r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"s1","ChallengeParameters":{"USERNAME":"uuid-42"}}"#)),
        Some((200, r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"s2","ChallengeParameters":{"USERNAME":"uuid-42"}}"#)),
        Some((200, signed_reply(&key, PHONE))),
        Some((200, jwks)),
    ])
    .await;
    let b = backend(&url);
    let started = start(&b).await.unwrap();
    assert_eq!(started.expires_in, Duration::from_secs(180));
    assert!(!started.state.expose().contains("shh"));

    let mut ch = challenge(&started);
    let Verdict::Rejected {
        replacement_state: Some(next),
    } = b.verify(&ch, &code("111111")).await.unwrap()
    else {
        panic!("a wrong code must replace the session");
    };
    ch.backend_state = next;
    assert!(matches!(
        b.verify(&ch, &code("222222")).await.unwrap(),
        Verdict::Accepted
    ));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[2].body["Session"], "s2");
    assert_eq!(seen[3].method, "GET");
}

#[tokio::test]
async fn a_token_for_another_number_does_not_sign_in() {
    let (key, jwks) = keys();
    let (url, _) = scripted(vec![
        Some((200, signed_reply(&key, "+4915199999999"))),
        Some((200, jwks)),
    ])
    .await;
    let b = backend(&url);
    let ch = live_challenge("uuid-42");
    match b.verify(&ch, &code("123456")).await {
        Err(BackendError::Misconfigured(d)) => assert!(d.contains("phone_number differs"), "{d}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_number_looks_like_any_other_and_never_signs_in() {
    let (url, seen) = scripted(vec![Some((
        400,
        r#"{"__type":"UserNotFoundException","message":"User does not exist."}"#,
    ))])
    .await;
    let b = backend(&url);
    let started = start(&b).await.unwrap();
    assert_eq!(started.expires_in, Duration::from_secs(180));
    assert_eq!(started.code_length, 6);
    // Every code is wrong, the state moves on as a real session would, and the third wrong
    // code ends the challenge as the pool would: no further call goes upstream.
    let mut ch = challenge(&started);
    for c in ["123456", "000000"] {
        let Verdict::Rejected {
            replacement_state: Some(next),
        } = b.verify(&ch, &code(c)).await.unwrap()
        else {
            panic!("a wrong code replaces the state, as for a known number");
        };
        ch.backend_state = next;
    }
    assert!(matches!(
        b.verify(&ch, &code("111111")).await,
        Err(BackendError::TooManyAttempts)
    ));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn upstream_failures_reach_the_port_as_categories() {
    let (url, _) = scripted(vec![
        Some((400, r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#)),
        Some((400, r#"{"__type":"NotAuthorizedException","message":"Invalid session for the user, session is expired."}"#)),
        Some((400, r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#)),
        Some((400, r#"{"__type":"CodeMismatchException","message":"Invalid code received for user"}"#)),
    ])
    .await;
    let b = backend(&url);
    assert!(matches!(
        start(&b).await,
        Err(BackendError::RateLimited { .. })
    ));
    let ch = live_challenge("u");
    assert!(matches!(
        b.verify(&ch, &code("123456")).await,
        Err(BackendError::RestartRequired)
    ));
    assert!(matches!(
        b.verify(&ch, &code("123456")).await,
        Err(BackendError::TooManyAttempts)
    ));
    assert!(matches!(
        b.verify(&ch, &code("123456")).await,
        Ok(Verdict::Rejected {
            replacement_state: None
        })
    ));
    // A corrupted state is refused cleanly.
    let broken = OtpChallenge {
        backend_state: Secret::new("{"),
        ..ch
    };
    assert!(matches!(
        b.verify(&broken, &code("123456")).await,
        Err(BackendError::Misconfigured(_))
    ));
}

#[tokio::test]
async fn an_unknown_number_may_sign_up_upstream_and_then_gets_a_code() {
    let (url, seen) = scripted(vec![
        Some((400, r#"{"__type":"UserNotFoundException","message":"User does not exist."}"#)),
        Some((200, r#"{"UserConfirmed":true,"UserSub":"uuid-7"}"#)),
        Some((200, r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"s1","ChallengeParameters":{"USERNAME":"uuid-7"}}"#)),
    ])
    .await;
    let b = backend_with(&url, true);
    let started = start(&b).await.unwrap();
    assert!(started.state.expose().contains("s1"), "a live session");
    let seen = seen.lock().unwrap();
    assert_eq!(seen[1].target, "awscognitoidentityproviderservice.signup");
    let sign_up = &seen[1].body;
    assert_eq!(sign_up["Username"], PHONE);
    assert_eq!(sign_up["UserAttributes"][0]["Name"], "phone_number");
    assert_eq!(sign_up["UserAttributes"][0]["Value"], PHONE);
    assert_eq!(
        sign_up["SecretHash"],
        crate::secret_hash(&Secret::new("shh"), PHONE, "client-1").as_str()
    );
    let password = sign_up["Password"].as_str().unwrap();
    assert!(password.len() >= 32 && password.ends_with("Aa1!"));
}

#[tokio::test]
async fn a_sign_up_the_pool_leaves_unconfirmed_answers_like_an_unknown_number() {
    let (url, seen) = scripted(vec![
        Some((
            400,
            r#"{"__type":"UserNotFoundException","message":"User does not exist."}"#,
        )),
        Some((200, r#"{"UserConfirmed":false,"UserSub":"uuid-7"}"#)),
    ])
    .await;
    let b = backend_with(&url, true);
    let started = start(&b).await.unwrap();
    assert!(started.state.expose().contains("unknown-1"));
    assert_eq!(seen.lock().unwrap().len(), 2, "no code requested for it");
}
