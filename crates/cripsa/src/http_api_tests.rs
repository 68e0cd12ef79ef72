//! The HTTP-mode client against a scripted upstream: default (Cognito-shaped) and custom shapes.

use super::*;
use crate::http_shape::PhoneFormat;
use crate::test_http::scripted;

const PHONE: &str = "+4915112345678";

fn client(url: &str, shape: HttpShape, auth: Option<AuthHeader>) -> CripsaHttpClient {
    let base = Url::parse(url).unwrap().join("api/").unwrap();
    CripsaHttpClient::new(
        &base,
        shape,
        auth,
        "client-1",
        Some(Secret::new("shh")),
        Duration::from_millis(500),
    )
    .unwrap()
}

fn hash(username: &str) -> String {
    secret_hash(&Secret::new("shh"), username, "client-1")
}

fn challenge(session: &str, username: &str) -> UpstreamChallenge {
    UpstreamChallenge {
        session: Secret::new(session),
        username: username.into(),
    }
}

#[tokio::test]
async fn the_default_shape_speaks_cognito_bodies_to_the_documented_paths() {
    let (url, seen) = scripted(vec![
        Some((200, r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"s1","ChallengeParameters":{"USERNAME":"uuid-42"}}"#)),
        Some((200, r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"s2","ChallengeParameters":{"USERNAME":"uuid-42"}}"#)),
        Some((200, r#"{"AuthenticationResult":{"IdToken":"h.p.s"}}"#)),
    ])
    .await;
    let c = client(&url, HttpShape::default(), None);
    let first = c.initiate(PHONE).await.unwrap();
    assert_eq!(first, challenge("s1", "uuid-42"));
    let AnswerOutcome::Retry(second) = c.respond(&first, "111111").await.unwrap() else {
        panic!("a new challenge means a wrong code");
    };
    assert_eq!(second.session.expose(), "s2");
    let AnswerOutcome::Authenticated { id_token } = c.respond(&second, "222222").await.unwrap()
    else {
        panic!("tokens expected");
    };
    assert_eq!(id_token.expose(), "h.p.s");

    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].path, "/api/whatsapp-signin");
    assert_eq!(seen[0].content_type, "application/json");
    assert_eq!(
        seen[0].body,
        json!({"ClientId": "client-1", "AuthParameters": {"USERNAME": PHONE, "SECRET_HASH": hash(PHONE)}})
    );
    assert_eq!(seen[1].path, "/api/whatsapp-responseToauth");
    assert_eq!(
        seen[1].body,
        json!({"ClientId": "client-1", "Session": "s1", "ChallengeResponses": {
            "USERNAME": "uuid-42", "ANSWER": "111111", "SECRET_HASH": hash("uuid-42")}})
    );
    assert_eq!(
        seen[2].body["Session"], "s2",
        "the replaced session is used"
    );
    assert!(!seen[0].head.contains("authorization"));
}

fn custom_shape() -> HttpShape {
    let f = |s: &str| Field::parse(s).unwrap();
    let mut shape = HttpShape {
        signin_path: "v1/whatsapp-signin".into(),
        respond_path: "v1/whatsapp-reponseToauth".into(),
        phone_format: PhoneFormat::Digits,
        ..HttpShape::default()
    };
    shape.request.client_id = Some(f("/clientId"));
    shape.request.phone = f("/phoneNumber");
    shape.request.signin_secret_hash = None;
    shape.request.session = f("/sessionId");
    shape.request.username = None;
    shape.request.code = f("/otp");
    shape.request.respond_secret_hash = None;
    shape.answer.session = f("/data/sessionId");
    shape.answer.username = None;
    shape.answer.id_token = f("/data/tokens/id_token");
    shape.answer.error_type = f("/error/code");
    shape.answer.error_message = Some(f("/error/message"));
    shape
}

#[tokio::test]
async fn a_custom_shape_moves_every_field_and_sends_the_auth_header() {
    let (url, seen) = scripted(vec![
        Some((200, r#"{"data":{"sessionId":"abc"}}"#)),
        Some((
            200,
            r#"{"data":{"tokens":{"id_token":"h.p.s","access_token":"x"}}}"#,
        )),
    ])
    .await;
    let auth = AuthHeader::new("x-api-key", &Secret::new("developer-token-1")).unwrap();
    assert!(!format!("{auth:?}").contains("developer-token-1"));
    let c = client(&url, custom_shape(), Some(auth));
    assert!(!format!("{c:?}").contains("developer-token-1"));
    let first = c.initiate(PHONE).await.unwrap();
    assert_eq!(
        first,
        challenge("abc", "4915112345678"),
        "no username: the number as sent"
    );
    assert!(matches!(
        c.respond(&first, "123456").await.unwrap(),
        AnswerOutcome::Authenticated { .. }
    ));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].path, "/api/v1/whatsapp-signin");
    assert_eq!(
        seen[0].body,
        json!({"clientId": "client-1", "phoneNumber": "4915112345678"})
    );
    assert!(seen[0].head.contains("x-api-key: developer-token-1"));
    assert_eq!(seen[1].path, "/api/v1/whatsapp-reponseToauth");
    assert_eq!(
        seen[1].body,
        json!({"clientId": "client-1", "sessionId": "abc", "otp": "123456"})
    );
}

#[tokio::test]
async fn errors_are_read_at_their_pointer_or_judged_by_status() {
    let (url, _) = scripted(vec![
        // An error inside a 200, as API Gateway in front of a Lambda often answers.
        Some((200, r#"{"error":{"code":"UserNotFoundException","message":"User does not exist."}}"#)),
        Some((400, r#"{"error":{"code":"com.amazonaws#CodeMismatchException","message":"Invalid code"}}"#)),
        Some((400, r#"{"error":{"code":"NotAuthorizedException","message":"Invalid session for the user, session is expired."}}"#)),
        Some((429, r#"{"message":"Too Many Requests"}"#)),
        Some((403, r#"{"message":"Forbidden"}"#)),
        Some((404, "not found")),
        Some((502, "<html>bad gateway</html>")),
        Some((200, r#"{"unexpected":true}"#)),
    ])
    .await;
    let c = client(&url, custom_shape(), None);
    let ch = challenge("abc", "u");
    assert!(matches!(
        c.initiate(PHONE).await,
        Err(UpstreamError::UnknownUser(_))
    ));
    assert!(matches!(
        c.respond(&ch, "1").await,
        Err(UpstreamError::WrongCode(_))
    ));
    assert!(matches!(
        c.respond(&ch, "1").await,
        Err(UpstreamError::RestartRequired(_))
    ));
    assert!(matches!(
        c.initiate(PHONE).await,
        Err(UpstreamError::RateLimited(_))
    ));
    match c.initiate(PHONE).await {
        Err(UpstreamError::Misconfigured(d)) => assert!(d.contains("auth_header"), "{d}"),
        other => panic!("{other:?}"),
    }
    match c.initiate(PHONE).await {
        Err(UpstreamError::Misconfigured(d)) => assert!(d.contains("paths"), "{d}"),
        other => panic!("{other:?}"),
    }
    // The upstream saw the call: the message may be out, and it is not retried.
    assert!(matches!(
        c.initiate(PHONE).await,
        Err(UpstreamError::Unavailable { unseen: false, .. })
    ));
    match c.respond(&ch, "1").await {
        Err(UpstreamError::Misconfigured(d)) => assert!(d.contains("/data/tokens/id_token"), "{d}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_hung_sign_in_times_out_and_is_not_repeated() {
    let (url, seen) = scripted(vec![None]).await;
    let c = client(&url, HttpShape::default(), None);
    match c.initiate(PHONE).await {
        Err(UpstreamError::Unavailable { detail, unseen }) => {
            assert!(detail.contains("no answer in time"), "{detail}");
            assert!(!unseen, "a timeout may have sent the message");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), 1);
}
