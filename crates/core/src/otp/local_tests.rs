use super::*;
use crate::PhonePolicy;
use crate::delivery::{Dispatched, Fallback, Medium};
use std::sync::Mutex;
use wagate_storage::{OsRandom, UnixTime};

/// Records what it is given; refuses every number as undeliverable when `undeliverable`.
#[derive(Debug, Default)]
struct Capture {
    sent: Mutex<Vec<(String, String)>>,
    undeliverable: bool,
}

#[async_trait]
impl DeliveryChannel for Capture {
    fn name(&self) -> &'static str {
        "capture"
    }
    fn medium(&self) -> Medium {
        Medium::Sms
    }
    async fn deliver(&self, message: &OtpMessage) -> Result<Dispatched, DeliveryError> {
        if self.undeliverable {
            return Err(DeliveryError::Undeliverable("not on this channel".into()));
        }
        self.sent
            .lock()
            .unwrap()
            .push((message.id.clone(), message.code.expose().to_owned()));
        Ok(Dispatched {
            message_id: message.id.clone(),
        })
    }
}

impl Capture {
    fn codes(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(_, c)| c.clone())
            .collect()
    }
}

fn challenge(state: Secret) -> OtpChallenge {
    OtpChallenge {
        backend_state: state,
        phone: "+14155550100".into(),
        region: None,
        channel: Some("log".into()),
        created_at: UnixTime(0),
        expires_at: UnixTime(300),
    }
}

fn phone() -> crate::PhoneNumber {
    PhonePolicy::new(None, &[])
        .unwrap()
        .parse("+14155550100")
        .unwrap()
}

fn request<'a>(flow_id: &'a str, phone: &'a crate::PhoneNumber) -> ChallengeRequest<'a> {
    ChallengeRequest {
        flow_id,
        phone,
        locales: &[],
    }
}

fn backend(primary: Arc<Capture>, fallback: Option<Arc<Capture>>) -> LocalOtpBackend {
    let channels = Channels {
        primary,
        fallback: fallback.map(|channel| Fallback {
            channel,
            after: Duration::from_secs(20),
        }),
    };
    LocalOtpBackend::new(6, Duration::from_secs(300), channels, Arc::new(OsRandom))
}

#[tokio::test]
async fn the_delivered_code_verifies_and_others_do_not() {
    let capture = Arc::new(Capture::default());
    let backend = backend(capture.clone(), None);
    let phone = phone();
    let started = backend.start(&request("f", &phone)).await.unwrap();
    let sent = capture.codes()[0].clone();
    assert_eq!(sent.len(), 6);
    assert!(
        !started.state.expose().contains(&sent),
        "code stored in clear"
    );
    assert_eq!(started.dispatch.unwrap().channel, "capture");

    let ch = challenge(started.state);
    let right = OtpCode::parse(&sent).unwrap();
    assert!(matches!(
        backend.verify(&ch, &right).await.unwrap(),
        Verdict::Accepted
    ));
    let wrong_digits = if sent == "000000" { "111111" } else { "000000" };
    let wrong = OtpCode::parse(wrong_digits).unwrap();
    assert!(matches!(
        backend.verify(&ch, &wrong).await.unwrap(),
        Verdict::Rejected { .. }
    ));
}

#[tokio::test]
async fn the_fallback_sends_the_same_code_only_for_its_flow() {
    let primary = Arc::new(Capture::default());
    let other = Arc::new(Capture::default());
    let backend = backend(primary.clone(), Some(other.clone()));
    let phone = phone();
    let started = backend.start(&request("flow-a", &phone)).await.unwrap();
    let code = primary.codes()[0].clone();
    assert!(
        !started.state.expose().contains(&code),
        "sealed, not in clear"
    );
    let ch = challenge(started.state);

    let again = backend
        .send_fallback(&request("flow-a", &phone), &ch, Duration::from_secs(200))
        .await
        .unwrap();
    assert!(again.fallback);
    assert_eq!(other.codes(), vec![code.clone()]);
    let ids: Vec<String> = primary
        .sent
        .lock()
        .unwrap()
        .iter()
        .chain(other.sent.lock().unwrap().iter())
        .map(|(id, _)| id.clone())
        .collect();
    assert_ne!(ids[0], ids[1], "each message has its own id");

    // Moved to another flow, the sealed code does not open.
    let e = backend
        .send_fallback(&request("flow-b", &phone), &ch, Duration::from_secs(200))
        .await
        .unwrap_err();
    assert!(matches!(e, BackendError::Misconfigured(_)), "{e:?}");
    assert!(matches!(
        backend
            .verify(&ch, &OtpCode::parse(&code).unwrap())
            .await
            .unwrap(),
        Verdict::Accepted
    ));
}

#[tokio::test]
async fn an_undeliverable_number_gets_the_code_by_the_fallback_at_once() {
    let primary = Arc::new(Capture {
        undeliverable: true,
        ..Capture::default()
    });
    let other = Arc::new(Capture::default());
    let phone = phone();
    let with = backend(primary.clone(), Some(other.clone()));
    let started = with.start(&request("f", &phone)).await.unwrap();
    let dispatch = started.dispatch.unwrap();
    assert!(dispatch.fallback);
    assert_eq!(dispatch.medium, Medium::Sms);
    assert_eq!(other.codes().len(), 1);

    let without = backend(primary, None);
    let e = without.start(&request("f", &phone)).await.unwrap_err();
    assert!(matches!(e, BackendError::NotDeliverable(_)), "{e:?}");
}

#[test]
fn codes_are_uniform_enough() {
    let backend = LocalOtpBackend::new(
        8,
        Duration::from_secs(1),
        Channels::single(Arc::new(Capture::default())),
        Arc::new(OsRandom),
    );
    let mut counts = [0u32; 10];
    for _ in 0..2000 {
        for c in backend.draw_code().bytes() {
            counts[usize::from(c - b'0')] += 1;
        }
    }
    // 16,000 digits: each should appear about 1,600 times.
    assert!(
        counts.iter().all(|n| (1300..1900).contains(n)),
        "{counts:?}"
    );
}

#[test]
fn damaged_state_is_an_error_not_a_match() {
    for s in ["", "v1.x", "v2.a.b", "v1.!!.??", "v1.a.b.c", "v3.a.b"] {
        assert!(
            matches(&Secret::new(s), "123456").is_err()
                || !matches(&Secret::new(s), "123456").unwrap()
        );
    }
}
