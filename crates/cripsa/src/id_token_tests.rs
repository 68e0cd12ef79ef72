use super::*;
use crate::test_http::scripted;
use serde_json::json;
use wagate_oidc::{KeySet, SigningAlg, SigningKey};

const ISS: &str = "http://upstream.test/eu-west-1_Test";
const PHONE: &str = "+4915112345678";
const NOW: u64 = 1_800_000_000;

struct Upstream {
    key: SigningKey,
    jwks: &'static str,
}

fn upstream() -> Upstream {
    let pem = wagate_oidc::generate_pem(SigningAlg::RS256).unwrap();
    let key = |kid: Option<String>| SigningKey::from_pem(SigningAlg::RS256, pem.as_bytes(), kid);
    let signer = key(None).unwrap();
    // A decoy first, so the lookup is by kid and not by position.
    let decoy = SigningKey::generate(SigningAlg::RS256).unwrap();
    let jwks = KeySet::new(vec![decoy, key(Some(signer.kid().to_owned())).unwrap()]).jwks();
    let key = signer;
    Upstream {
        key,
        jwks: serde_json::to_string(&jwks).unwrap().leak(),
    }
}

fn claims() -> serde_json::Value {
    json!({
        "iss": ISS, "aud": "client-1", "token_use": "id", "exp": NOW + 3600, "iat": NOW,
        "sub": "uuid-42", "cognito:username": "uuid-42", "phone_number": PHONE,
        "phone_number_verified": true,
    })
}

fn verifier(url: &str) -> IdTokenVerifier {
    IdTokenVerifier::new(
        ISS.into(),
        format!("{url}jwks.json"),
        "client-1".into(),
        Duration::from_secs(2),
    )
    .unwrap()
}

fn untrusted(r: Result<VerifiedIdentity, UpstreamError>) -> String {
    match r {
        Err(UpstreamError::UntrustedToken(why)) => why,
        other => panic!("expected an untrusted token, got {other:?}"),
    }
}

#[tokio::test]
async fn a_good_token_passes_and_the_jwks_is_fetched_once() {
    let up = upstream();
    let (url, seen) = scripted(vec![Some((200, up.jwks))]).await;
    let v = verifier(&url);
    let token = up.key.sign("JWT", &claims()).unwrap();
    let who = v.verify(&token, PHONE, NOW).await.unwrap();
    assert_eq!(who.upstream_sub, "uuid-42");
    assert_eq!(who.upstream_username.as_deref(), Some("uuid-42"));
    assert_eq!(who.phone_number, PHONE);
    // Cached: the script has a single answer, so a second fetch would hang and time out.
    v.verify(&token, PHONE, NOW + 1).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
}

#[tokio::test]
async fn every_claim_is_checked() {
    let up = upstream();
    let (url, _) = scripted(vec![Some((200, up.jwks))]).await;
    let v = verifier(&url);
    let with = |field: &str, value: serde_json::Value| {
        let mut c = claims();
        c[field] = value;
        up.key.sign("JWT", &c).unwrap()
    };
    assert_eq!(
        untrusted(v.verify(&with("aud", json!("other")), PHONE, NOW).await),
        "wrong aud"
    );
    assert_eq!(
        untrusted(
            v.verify(&with("iss", json!("http://evil/")), PHONE, NOW)
                .await
        ),
        "wrong iss"
    );
    assert_eq!(
        untrusted(
            v.verify(&with("token_use", json!("access")), PHONE, NOW)
                .await
        ),
        "token_use is not id"
    );
    assert_eq!(
        untrusted(v.verify(&with("exp", json!(NOW - 61)), PHONE, NOW).await),
        "expired"
    );
    // Within the leeway still passes.
    v.verify(&with("exp", json!(NOW - 30)), PHONE, NOW)
        .await
        .unwrap();
    assert_eq!(
        untrusted(
            v.verify(&with("phone_number", json!("+4915199999999")), PHONE, NOW)
                .await
        ),
        "phone_number differs from the number entered"
    );
    assert_eq!(
        untrusted(
            v.verify(&with("phone_number_verified", json!(false)), PHONE, NOW)
                .await
        ),
        "phone_number_verified is not true"
    );
    let mut no_phone = claims();
    no_phone.as_object_mut().unwrap().remove("phone_number");
    let token = up.key.sign("JWT", &no_phone).unwrap();
    assert_eq!(
        untrusted(v.verify(&token, PHONE, NOW).await),
        "no phone_number claim"
    );
}

#[tokio::test]
async fn a_forged_signature_and_an_unknown_kid_are_refused() {
    let up = upstream();
    // One fetch at first use, one refetch for the unknown kid once the refetch interval passed.
    let (url, seen) = scripted(vec![Some((200, up.jwks)), Some((200, up.jwks))]).await;
    let v = verifier(&url);
    let good = up.key.sign("JWT", &claims()).unwrap();

    // Same kid, other key: the signature does not verify.
    let impostor = SigningKey::from_pem(
        SigningAlg::RS256,
        wagate_oidc::generate_pem(SigningAlg::RS256)
            .unwrap()
            .as_bytes(),
        Some(up.key.kid().to_owned()),
    )
    .unwrap();
    let forged = impostor.sign("JWT", &claims()).unwrap();
    assert_eq!(
        untrusted(v.verify(&forged, PHONE, NOW).await),
        "bad signature or claims"
    );

    // A tampered payload under the genuine signature.
    let mut parts: Vec<&str> = good.split('.').collect();
    let mut someone_else = claims();
    someone_else["sub"] = json!("uuid-666");
    let other = impostor.sign("JWT", &someone_else).unwrap();
    parts[1] = other.split('.').nth(1).unwrap();
    assert_eq!(
        untrusted(v.verify(&parts.join("."), PHONE, NOW).await),
        "bad signature or claims"
    );

    let stranger = SigningKey::generate(SigningAlg::RS256).unwrap();
    let unknown = stranger.sign("JWT", &claims()).unwrap();
    // Within the refetch interval, an unknown kid does not trigger a fetch.
    assert_eq!(
        untrusted(v.verify(&unknown, PHONE, NOW + 5).await),
        "unknown kid"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
    // After it, one refetch; still unknown.
    assert_eq!(
        untrusted(v.verify(&unknown, PHONE, NOW + 31).await),
        "unknown kid"
    );
    assert_eq!(seen.lock().unwrap().len(), 2);

    let es = SigningKey::generate(SigningAlg::ES256).unwrap();
    assert_eq!(
        untrusted(
            v.verify(&es.sign("JWT", &claims()).unwrap(), PHONE, NOW)
                .await
        ),
        "not RS256"
    );
    assert_eq!(
        untrusted(v.verify("not-a-jwt", PHONE, NOW).await),
        "malformed"
    );
}

#[tokio::test]
async fn an_unreachable_jwks_is_an_outage_not_a_verdict() {
    let (url, _) = scripted(vec![Some((503, "{}"))]).await;
    let v = verifier(&url);
    let up = upstream();
    let token = up.key.sign("JWT", &claims()).unwrap();
    assert!(matches!(
        v.verify(&token, PHONE, NOW).await,
        Err(UpstreamError::Unavailable { .. })
    ));
}

#[tokio::test]
async fn a_failed_fetch_is_not_repeated_at_once_and_recovers_later() {
    let up = upstream();
    let (url, seen) = scripted(vec![Some((503, "{}")), Some((200, up.jwks))]).await;
    let v = verifier(&url);
    let token = up.key.sign("JWT", &claims()).unwrap();
    assert!(matches!(
        v.verify(&token, PHONE, NOW).await,
        Err(UpstreamError::Unavailable { .. })
    ));
    // Moments later: no second request to a failing upstream.
    match v.verify(&token, PHONE, NOW + 1).await {
        Err(UpstreamError::Unavailable { detail, .. }) => {
            assert!(detail.contains("moments ago"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), 1);
    v.verify(&token, PHONE, NOW + RETRY_FAILED_AFTER)
        .await
        .unwrap();
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn concurrent_logins_with_a_new_kid_share_one_fetch() {
    let up = upstream();
    // A single answer: a second fetch would wait for an answer that never comes.
    let (url, seen) = scripted(vec![Some((200, up.jwks))]).await;
    let v = verifier(&url);
    let token = up.key.sign("JWT", &claims()).unwrap();
    let (a, b, c, d) = tokio::join!(
        v.verify(&token, PHONE, NOW),
        v.verify(&token, PHONE, NOW),
        v.verify(&token, PHONE, NOW),
        v.verify(&token, PHONE, NOW),
    );
    for result in [a, b, c, d] {
        result.unwrap();
    }
    assert_eq!(seen.lock().unwrap().len(), 1);
}
