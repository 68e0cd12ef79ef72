//! The client against a scripted upstream: each connection gets the next canned answer, and
//! every request is recorded for the assertions.

use super::*;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Seen {
    target: String,
    content_type: String,
    body: serde_json::Value,
}

/// `None` in the script means: accept, read, never answer (a hung upstream).
async fn scripted(script: Vec<Option<(u16, &'static str)>>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        for step in script {
            let (mut sock, _) = listener.accept().await.unwrap();
            let request = read_request(&mut sock).await;
            log.lock().unwrap().push(request);
            match step {
                Some((status, body)) => {
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/x-amz-json-1.1\r\n\
                         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    sock.write_all(answer.as_bytes()).await.unwrap();
                }
                None => held.push(sock),
            }
        }
        // Keep hung connections open until the test ends.
        std::future::pending::<()>().await;
        drop(held);
    });
    (url, seen)
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Seen {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.unwrap();
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_owned))
            .unwrap_or_default()
    };
    let length: usize = header("content-length").parse().unwrap();
    while buf.len() < head_end + length {
        let n = sock.read(&mut chunk).await.unwrap();
        buf.extend_from_slice(&chunk[..n]);
    }
    Seen {
        target: header("x-amz-target"),
        content_type: header("content-type"),
        body: serde_json::from_slice(&buf[head_end..head_end + length]).unwrap(),
    }
}

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
        Err(UpstreamError::Unavailable { retry: false, .. })
    ));
}

#[tokio::test]
async fn the_code_step_retries_an_internal_error_once_and_the_phone_step_never() {
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
    assert!(matches!(
        c.respond(&challenge, "123456").await,
        Ok(AnswerOutcome::Authenticated { .. })
    ));
    assert_eq!(seen.lock().unwrap().len(), 3, "the answer was sent twice");
}

#[tokio::test]
async fn a_hung_upstream_times_out_without_a_retry() {
    let (url, seen) = scripted(vec![None, None]).await;
    let c = client(&url, 300);
    match c.initiate("+4915112345678").await {
        Err(UpstreamError::Unavailable { detail, retry }) => {
            assert!(detail.contains("timed out"), "{detail}");
            assert!(!retry);
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
        Err(UpstreamError::Unavailable { retry: false, .. })
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
            assert!(detail.contains("connection failed"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !format!("{c:?}").contains("shh"),
        "the client secret stays out of Debug"
    );
}
