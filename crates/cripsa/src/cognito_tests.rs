//! The client against a scripted upstream.

use super::*;
use crate::test_http::scripted;
use tokio::net::TcpListener;

fn client(url: &str, timeout_ms: u64) -> CognitoClient {
    let pool = UserPool::new("eu-west-1_Test", Some(url)).unwrap();
    CognitoClient::new(
        pool,
        "client-1",
        Secret::new("shh"),
        Duration::from_millis(timeout_ms),
    )
    .unwrap()
}

const CHALLENGE_1: &str = r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"sess-1","ChallengeParameters":{"USERNAME":"uuid-42"}}"#;
const CHALLENGE_2: &str = r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"sess-2","ChallengeParameters":{"USERNAME":"uuid-42"}}"#;
const TOKENS: &str = r#"{"AuthenticationResult":{"IdToken":"h.p.s","AccessToken":"a","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#;

#[tokio::test]
async fn a_wrong_code_replaces_the_session_and_hashes_use_the_internal_username() {
    let (url, seen) = scripted(vec![
        Some((200, CHALLENGE_1)),
        Some((200, CHALLENGE_2)),
        Some((200, TOKENS)),
    ])
    .await;
    let c = client(&url, 2_000);
    let first = c.initiate("+4915112345678").await.unwrap();
    assert_eq!(first.session.expose(), "sess-1");
    assert_eq!(first.username, "uuid-42");

    let AnswerOutcome::Retry(second) = c.respond(&first, "111111").await.unwrap() else {
        panic!("a wrong code must give a new challenge");
    };
    assert_eq!(second.session.expose(), "sess-2");
    let AnswerOutcome::Authenticated { id_token } = c.respond(&second, "222222").await.unwrap()
    else {
        panic!("the right code must authenticate");
    };
    assert_eq!(id_token.expose(), "h.p.s");

    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].target,
        "awscognitoidentityproviderservice.initiateauth"
    );
    assert_eq!(seen[0].content_type, CONTENT_TYPE);
    assert_eq!(seen[0].body["AuthFlow"], "CUSTOM_AUTH");
    assert_eq!(seen[0].body["AuthParameters"]["USERNAME"], "+4915112345678");
    assert_eq!(
        seen[0].body["AuthParameters"]["SECRET_HASH"],
        secret_hash(&Secret::new("shh"), "+4915112345678", "client-1")
    );
    assert_eq!(
        seen[1].target,
        "awscognitoidentityproviderservice.respondtoauthchallenge"
    );
    assert_eq!(seen[1].body["Session"], "sess-1");
    assert_eq!(seen[1].body["ChallengeResponses"]["USERNAME"], "uuid-42");
    assert_eq!(seen[1].body["ChallengeResponses"]["ANSWER"], "111111");
    assert_eq!(
        seen[1].body["ChallengeResponses"]["SECRET_HASH"],
        secret_hash(&Secret::new("shh"), "uuid-42", "client-1")
    );
    // The second answer goes with the replacement session, never the dead one.
    assert_eq!(seen[2].body["Session"], "sess-2");
}

#[tokio::test]
async fn upstream_errors_are_classified_per_step() {
    let (url, _) = scripted(vec![
        Some((400, r#"{"__type":"UserNotFoundException","message":"User does not exist."}"#)),
        Some((400, r#"{"__type":"NotAuthorizedException","message":"Invalid session for the user, session is expired."}"#)),
        Some((400, r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#)),
        Some((502, "<html>bad gateway</html>")),
    ])
    .await;
    let c = client(&url, 2_000);
    assert!(matches!(
        c.initiate("+4915112345678").await,
        Err(UpstreamError::UnknownUser(_))
    ));
    let challenge = UpstreamChallenge {
        session: Secret::new("old"),
        username: "uuid-42".into(),
    };
    assert!(matches!(
        c.respond(&challenge, "123456").await,
        Err(UpstreamError::RestartRequired(_))
    ));
    assert!(matches!(
        c.initiate("+4915112345678").await,
        Err(UpstreamError::RateLimited(_))
    ));
    assert!(matches!(
        c.initiate("+4915112345678").await,
        Err(UpstreamError::Unavailable { unseen: false, .. })
    ));
}

#[tokio::test]
async fn an_upstream_internal_error_is_never_retried() {
    let internal = r#"{"__type":"InternalErrorException","message":"oops"}"#;
    let (url, seen) = scripted(vec![
        Some((500, internal)),
        Some((500, internal)),
        Some((200, TOKENS)),
    ])
    .await;
    let c = client(&url, 2_000);
    assert!(matches!(
        c.initiate("+4915112345678").await,
        Err(UpstreamError::Unavailable { .. })
    ));
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "a failed start is not retried"
    );
    let challenge = UpstreamChallenge {
        session: Secret::new("s"),
        username: "uuid-42".into(),
    };
    // The upstream may have consumed the session: the person is told, not silently retried.
    assert!(matches!(
        c.respond(&challenge, "123456").await,
        Err(UpstreamError::Unavailable { unseen: false, .. })
    ));
    assert_eq!(seen.lock().unwrap().len(), 2, "one request per answer");
    assert!(matches!(
        c.respond(&challenge, "123456").await,
        Ok(AnswerOutcome::Authenticated { .. })
    ));
}

#[tokio::test]
async fn a_hung_upstream_times_out_without_a_retry() {
    let (url, seen) = scripted(vec![None, None]).await;
    let c = client(&url, 300);
    match c.initiate("+4915112345678").await {
        Err(UpstreamError::Unavailable { detail, unseen }) => {
            assert!(detail.contains("no answer in time"), "{detail}");
            assert!(!unseen);
        }
        other => panic!("{other:?}"),
    }
    let challenge = UpstreamChallenge {
        session: Secret::new("s"),
        username: "u".into(),
    };
    // The upstream may have checked (and counted) the code: a timeout is not retried either.
    assert!(matches!(
        c.respond(&challenge, "123456").await,
        Err(UpstreamError::Unavailable { unseen: false, .. })
    ));
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_refused_connection_at_the_code_step_is_tried_twice() {
    // Bind then drop: the port is closed, so connections are refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = client(&format!("http://127.0.0.1:{port}/"), 1_000);
    let challenge = UpstreamChallenge {
        session: Secret::new("s"),
        username: "u".into(),
    };
    match c.respond(&challenge, "123456").await {
        Err(UpstreamError::Unavailable { detail, .. }) => {
            assert!(detail.contains("could not connect"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !format!("{c:?}").contains("shh"),
        "the client secret stays out of Debug"
    );
}
