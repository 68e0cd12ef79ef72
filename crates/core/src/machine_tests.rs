use super::*;
use crate::PhonePolicy;
use crate::delivery::Medium;
use wagate_storage::{PendingAuthorization, Secret};

const T0: UnixTime = UnixTime(1_000_000);

fn flow() -> LoginFlow {
    LoginFlow {
        id: "f".into(),
        binding_hash: String::new(),
        csrf_token: Secret::new("c"),
        authorization: PendingAuthorization {
            client_id: "c".into(),
            redirect_uri: "https://rp/cb".into(),
            scopes: vec!["openid".into()],
            state: None,
            nonce: None,
            code_challenge: None,
            prompt: vec![],
            max_age: None,
            login_hint: Some("+14155550100".into()),
            acr_values: vec![],
            acr_essential: vec![],
            requested_at: T0,
            ui_locales: Vec::new(),
        },
        purpose: Default::default(),
        stage: FlowStage::Phone,
        require_mfa: false,
        prefer_mfa: false,
        consent: false,
        proven: None,
        created_at: T0,
        expires_at: T0.plus(Duration::from_secs(900)),
        revision: 0,
    }
}

fn phone() -> PhoneNumber {
    PhonePolicy::new(None, &[])
        .unwrap()
        .parse("+14155550100")
        .unwrap()
}

fn started() -> Started {
    Started {
        state: Secret::new("s"),
        expires_in: Duration::from_secs(300),
        code_length: 6,
        dispatch: None,
    }
}

fn sent(flow: &LoginFlow, at: UnixTime, policy: &LoginPolicy) -> LoginFlow {
    code_sent(&claim_send(flow, &phone(), at, policy), &started(), at)
}

#[test]
fn a_code_goes_the_other_way_once_while_it_lives() {
    let policy = LoginPolicy::default();
    let by_whatsapp = Started {
        dispatch: Some(Dispatch {
            channel: "whatsapp",
            medium: Medium::WhatsApp,
            message_id: "wamid.1".into(),
            receipts: true,
            fallback: false,
        }),
        ..started()
    };
    let f = code_sent(
        &claim_send(&flow(), &phone(), T0, &policy),
        &by_whatsapp,
        T0,
    );
    assert_eq!(
        may_fall_back(&f, T0, &policy).unwrap().message_id,
        "wamid.1"
    );
    let later = T0.plus(Duration::from_secs(301));
    assert!(matches!(
        may_fall_back(&f, later, &policy),
        Err(LoginError::CodeExpired)
    ));

    let offer = FallbackOffer {
        channel: "webhook",
        medium: Medium::Sms,
        after: Duration::from_secs(20),
    };
    let claimed = claim_fallback(&f, &offer);
    assert!(matches!(
        may_fall_back(&claimed, T0, &policy),
        Err(LoginError::FallbackUnavailable)
    ));
    let FlowView::Code(CodeView { delivery, .. }) = view(&claimed, T0, &policy) else {
        panic!("still the code step");
    };
    assert_eq!(
        delivery.medium, "sms",
        "the page names where the code is going"
    );
    assert!(matches!(&claimed.stage, FlowStage::Code { sends: 2, .. }));
    assert!(
        matches!(&claimed.stage, FlowStage::Code { via: Some(via), .. } if via.channel == "webhook"),
        "a code typed back before the send ends is counted for the fallback"
    );

    // Codes whose backend sends them itself (Cripsa) have no other way.
    assert!(matches!(
        may_fall_back(&sent(&flow(), T0, &policy), T0, &policy),
        Err(LoginError::FallbackUnavailable)
    ));
}

#[test]
fn a_fresh_flow_asks_for_the_phone_with_the_hint() {
    assert_eq!(
        view(&flow(), T0, &LoginPolicy::default()),
        FlowView::Phone {
            login_hint: Some("+14155550100".into()),
            locked: false,
            authenticator_allowed: true,
        }
    );
    assert!(matches!(
        awaiting_code(&flow(), T0),
        Err(LoginError::WrongStep)
    ));
    assert!(matches!(resend_target(&flow()), Err(LoginError::WrongStep)));
}

#[test]
fn sending_moves_to_the_code_step_and_bumps_revisions() {
    let p = LoginPolicy::default();
    let claimed = claim_send(&flow(), &phone(), T0, &p);
    assert_eq!(claimed.revision, 1);
    // Claimed but not yet sent: no code can be accepted.
    assert!(matches!(
        awaiting_code(&claimed, T0),
        Err(LoginError::CodeExpired)
    ));
    let done = code_sent(&claimed, &started(), T0);
    assert_eq!(done.revision, 2);
    assert_eq!(awaiting_code(&done, T0).unwrap(), ("+14155550100", 6));
    assert_eq!(
        view(&done, T0.plus(Duration::from_secs(10)), &p),
        FlowView::Code(CodeView {
            phone: "+14155550100".into(),
            code_length: 6,
            expires_in: Duration::from_secs(290),
            resend_in: Duration::from_secs(20),
            can_resend: true,
            locked: false,
            delivery: DeliveryView {
                medium: "whatsapp".into(),
                state: MessageStatus::Sent,
                fallback: None,
            },
        })
    );
}

#[test]
fn resend_waits_for_the_cooldown_and_stops_at_the_limit() {
    let p = LoginPolicy {
        max_sends_per_flow: 2,
        ..LoginPolicy::default()
    };
    let once = sent(&flow(), T0, &p);
    assert!(matches!(
        may_send(&once, T0.plus(Duration::from_secs(29)), &p),
        Err(LoginError::ResendTooSoon { retry_in }) if retry_in == Duration::from_secs(1)
    ));
    let later = T0.plus(Duration::from_secs(30));
    assert!(may_send(&once, later, &p).is_ok());
    let twice = sent(&once, later, &p);
    assert!(matches!(
        may_send(&twice, later.plus(Duration::from_secs(60)), &p),
        Err(LoginError::SendLimitReached)
    ));
}

#[test]
fn a_failed_send_gives_the_slot_back() {
    let p = LoginPolicy::default();
    let before = flow();
    let claimed = claim_send(&before, &phone(), T0, &p);
    let back = send_failed(&claimed, &before);
    assert_eq!(back.stage, FlowStage::Phone);
    assert_eq!(back.revision, 2);
    assert!(may_send(&back, T0, &p).is_ok());
}

#[test]
fn codes_expire_and_flows_expire() {
    let p = LoginPolicy::default();
    let done = sent(&flow(), T0, &p);
    assert!(matches!(
        awaiting_code(&done, T0.plus(Duration::from_secs(300))),
        Err(LoginError::CodeExpired)
    ));
    assert!(ensure_alive(&done, T0.plus(Duration::from_secs(899))).is_ok());
    assert!(matches!(
        ensure_alive(&done, T0.plus(Duration::from_secs(900))),
        Err(LoginError::FlowExpired)
    ));
}

#[test]
fn attempts_count_down_to_zero_then_stop() {
    let p = LoginPolicy {
        max_attempts: 3,
        ..LoginPolicy::default()
    };
    assert_eq!(attempts_left(1, &p), Some(2));
    assert_eq!(attempts_left(3, &p), Some(0));
    assert_eq!(attempts_left(4, &p), None);
}

mod factor_tests {
    use super::*;

    fn amr(m: &[&str]) -> Vec<String> {
        m.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_preferred_second_factor_is_asked_only_of_people_who_have_one() {
        use MfaDemand::*;
        let whatsapp = amr(&["whatsapp"]);
        assert_eq!(next(Preferred, false, true, &whatsapp), Next::Authenticator);
        assert_eq!(next(Preferred, false, false, &whatsapp), Next::Done);
        assert_eq!(next(Preferred, true, false, &whatsapp), Next::Consent);
        assert_eq!(
            next(Required, false, false, &whatsapp),
            Next::AuthenticatorMissing
        );
        assert_eq!(next(Required, true, true, &whatsapp), Next::Authenticator);
        assert_eq!(next(NotAsked, true, true, &whatsapp), Next::Consent);
        assert_eq!(next(Preferred, false, true, &amr(&["otp"])), Next::WhatsApp);
        assert_eq!(
            next(Required, false, true, &amr(&["otp", "whatsapp"])),
            Next::Done
        );
    }

    #[test]
    fn one_factor_requests_are_satisfied_by_either_factor() {
        assert_eq!(needed(false, &amr(&["whatsapp"])), Needed::Nothing);
        assert_eq!(needed(false, &amr(&["otp"])), Needed::Nothing);
    }

    #[test]
    fn mfa_requests_ask_for_what_is_missing() {
        assert_eq!(needed(true, &amr(&["whatsapp"])), Needed::Authenticator);
        assert_eq!(needed(true, &amr(&["otp"])), Needed::WhatsApp);
        assert_eq!(needed(true, &amr(&["recovery"])), Needed::WhatsApp);
        assert_eq!(
            needed(true, &amr(&["whatsapp", "recovery"])),
            Needed::Nothing
        );
        assert_eq!(needed(true, &amr(&[])), Needed::WhatsApp);
    }

    #[test]
    fn mfa_is_reported_only_for_two_kinds_of_factor() {
        assert_eq!(reported_amr(&amr(&["whatsapp"])), amr(&["whatsapp"]));
        assert_eq!(reported_amr(&amr(&["otp"])), amr(&["otp"]));
        assert_eq!(
            reported_amr(&amr(&["whatsapp", "otp"])),
            amr(&["whatsapp", "otp", "mfa"])
        );
        // A carried-in "mfa" is recomputed, never trusted or doubled.
        assert_eq!(reported_amr(&amr(&["otp", "mfa"])), amr(&["otp"]));
        assert_eq!(with_method(&amr(&["otp"]), "otp"), amr(&["otp"]));
    }
}
