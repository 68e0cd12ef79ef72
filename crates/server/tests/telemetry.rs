#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers outside #[test] fns
//! What operators watch: a full login by a real OIDC client against the real binary, its spans
//! arriving at an OTLP collector with the parent/child links across the outbound code webhook,
//! and its log lines, each carrying the request id, none carrying a number or a code.

mod support;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    RedirectUrl, Scope,
};
use opentelemetry_proto::tonic::trace::v1::Span;
use serde_json::Value;
use support::*;

const PHONE: &str = "+447400123456";
/// The trace a trusted proxy says the phone step belongs to.
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PROXY_SPAN: &str = "00f067aa0ba902b7";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn attribute(span: &Span, key: &str) -> Option<String> {
    span.attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| format!("{:?}", a.value))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_is_traced_across_the_webhook_and_logged_without_numbers() {
    let (outside, url) = outside().await;
    let (port, ops) = (free_port(), free_port());
    let path = write("traced", &config(port, ops, &url, ""));
    let wagate = Wagate::start(&path, port, ops).await;

    // The portal, with the OIDC library it already uses.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let meta =
        CoreProviderMetadata::discover_async(IssuerUrl::new(wagate.base.clone()).unwrap(), &http)
            .await
            .unwrap();
    let portal = CoreClient::from_provider_metadata(
        meta,
        ClientId::new("portal".into()),
        Some(ClientSecret::new(PORTAL_SECRET.into())),
    )
    .set_redirect_uri(RedirectUrl::new(CALLBACK.into()).unwrap());
    let (authorize, _state, nonce) = portal
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("phone".into()))
        .url();

    // The person, in a browser (through the JSON login API).
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = browser.get(authorize.as_str()).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let flow = authorize
        .join(res.headers()["location"].to_str().unwrap())
        .unwrap()
        .to_string();
    let res = browser
        .post(format!("{flow}/phone"))
        .header("Accept", "application/json")
        .header("traceparent", format!("00-{TRACE_ID}-{PROXY_SPAN}-01"))
        .json(&serde_json::json!({"phone": PHONE}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let arrival = outside.code_for(PHONE).await;
    let res = browser
        .post(format!("{flow}/code"))
        .header("Accept", "application/json")
        .json(&serde_json::json!({"code": arrival.code}))
        .send()
        .await
        .unwrap();
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["step"], "done", "{done}");
    let back = url::Url::parse(done["redirect_to"].as_str().unwrap()).unwrap();
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let tokens = portal
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .request_async(&http)
        .await
        .unwrap();
    let claims: CoreUserInfoClaims = portal
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http)
        .await
        .unwrap();
    assert_eq!(
        claims.phone_number().map(|p| p.as_str()),
        Some(PHONE),
        "userinfo answers with the number"
    );
    let _ = nonce;

    // The gateway got the trace context of wagate's span for the call, in the proxy's trace.
    let traceparent = arrival
        .traceparent
        .expect("the webhook call carries traceparent");
    let parts: Vec<&str> = traceparent.split('-').collect();
    assert_eq!(parts.len(), 4, "{traceparent}");
    assert_eq!(
        parts[1], TRACE_ID,
        "the webhook call continues the proxy's trace"
    );
    let call_span = parts[2].to_owned();

    // The collector: the outbound call, inside the phone step's request, inside the proxy's span.
    let (call, request) = outside
        .until("the webhook call's span and its request's", |o| {
            let spans = o.spans.lock().unwrap();
            let call = spans.iter().find(|s| hex(&s.span_id) == call_span)?.clone();
            let mut parent = call.parent_span_id.clone();
            // Up the chain to the request's span.
            loop {
                let up = spans.iter().find(|s| s.span_id == parent)?;
                if up.name.starts_with("POST /login/") {
                    return Some((call, up.clone()));
                }
                parent = up.parent_span_id.clone();
            }
        })
        .await;
    assert_eq!(call.name, "POST webhook");
    assert_eq!(hex(&call.trace_id), TRACE_ID);
    assert_eq!(hex(&request.trace_id), TRACE_ID);
    assert_eq!(
        hex(&request.parent_span_id),
        PROXY_SPAN,
        "the proxy's span is the parent"
    );
    assert!(
        attribute(&request, "request_id").is_some_and(|v| v.contains(&request_id)),
        "the request's span carries its request id"
    );
    assert!(attribute(&call, "upstream").is_some_and(|v| v.contains("webhook")));
    let spans = outside.spans.lock().unwrap().clone();
    for s in &spans {
        let text = format!("{s:?}");
        assert!(
            !text.contains(&PHONE[1..]),
            "a span holds the number: {text}"
        );
        assert!(
            !text.contains(&arrival.code),
            "a span holds the code: {text}"
        );
    }

    // The log: JSON lines; those about a request carry its id; no number, no code.
    let log = wagate.log();
    let national = "7400123456";
    let mut of_the_phone_step = 0;
    for line in &log {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        assert!(
            !line.contains(national),
            "a log line holds the number: {line}"
        );
        assert!(
            !line.contains(&arrival.code),
            "a log line holds the code: {line}"
        );
        if let Some(spans) = v["spans"].as_array() {
            let root = &spans[0];
            if root["name"] == "request" {
                assert!(root["request_id"].is_string(), "no request id: {line}");
                if root["request_id"] == request_id.as_str() {
                    assert_eq!(root["trace_id"], TRACE_ID, "{line}");
                    of_the_phone_step += 1;
                }
            }
        }
    }
    assert!(
        of_the_phone_step > 0,
        "no log line of the phone step:\n{}",
        log.join("\n")
    );
    let masked = wagate_core::mask_e164(PHONE);
    assert!(
        log.iter().any(|l| l.contains(&masked)),
        "the number appears masked ({masked}) where the log names it"
    );

    // The metrics: the funnel, the outbound call's timing, the process.
    let scrape = wagate.metrics().await;
    assert_eq!(sample(&scrape, "wagate_logins_opened_total"), Some(1.0));
    for sent_then_verified in [
        "wagate_delivery_messages_total{channel=\"webhook\",outcome=\"sent\",region=\"GB\"}",
        "wagate_codes_verified_total{channel=\"webhook\",region=\"GB\"}",
    ] {
        assert_eq!(sample(&scrape, sent_then_verified), Some(1.0), "{scrape}");
    }
    assert_eq!(
        sample(
            &scrape,
            "wagate_upstream_request_duration_seconds_count{upstream=\"webhook\",outcome=\"ok\"}"
        ),
        Some(1.0)
    );
    assert!(sample(&scrape, "process_resident_memory_bytes").is_some_and(|v| v > 1e6));
    assert!(sample(&scrape, "process_open_fds").is_some_and(|v| v > 0.0));
    assert_eq!(
        sample(
            &scrape,
            &format!(
                "wagate_build_info{{version=\"{}\"}}",
                env!("CARGO_PKG_VERSION")
            )
        ),
        Some(1.0)
    );
    assert!(
        sample(
            &scrape,
            "wagate_signing_key_created_timestamp_seconds{alg=\"RS256\"}"
        )
        .is_some_and(|v| v > 1.7e9)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_id_and_trace_from_a_stranger_are_not_taken() {
    let (outside, url) = outside().await;
    let (port, ops) = (free_port(), free_port());
    // Nobody is trusted: what the client says about ids and traces is its own business.
    let text = config(port, ops, &url, "")
        .replace("trusted_proxies = [\"127.0.0.1\"]", "trusted_proxies = []");
    let path = write("stranger", &text);
    let wagate = Wagate::start(&path, port, ops).await;
    let res = reqwest::Client::new()
        .get(format!("{}/.well-known/openid-configuration", wagate.base))
        .header("x-request-id", "chosen-by-a-stranger")
        .header("traceparent", format!("00-{TRACE_ID}-{PROXY_SPAN}-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(id, "chosen-by-a-stranger");
    assert_eq!(id.len(), 16, "{id}");
    let span = outside
        .until("the request's span", |o| {
            o.spans
                .lock()
                .unwrap()
                .iter()
                .find(|s| attribute(s, "request_id").is_some_and(|v| v.contains(&id)))
                .cloned()
        })
        .await;
    assert_ne!(
        hex(&span.trace_id),
        TRACE_ID,
        "a stranger's trace is not continued"
    );
    assert!(
        span.parent_span_id.is_empty(),
        "the request starts its own trace"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warning_names_its_request_whatever_the_log_level() {
    let (outside, url) = outside().await;
    let (port, ops) = (free_port(), free_port());
    let text = config(port, ops, &url, "[login]\nsends_per_number_per_hour = 1\n")
        .replace("level = \"debug\"", "level = \"warn\"");
    let path = write("quiet", &text);
    let wagate = Wagate::start_quiet(&path, port, ops).await;
    let phone = "+447400123999";
    // Two logins to one number: the second send is over the number's budget, a warning.
    let mut last = None;
    for _ in 0..2 {
        let browser = browser();
        let flow = open_login(&wagate.base, &browser).await;
        let res = browser
            .post(format!("{flow}/phone"))
            .header("Accept", "application/json")
            .json(&serde_json::json!({"phone": phone}))
            .send()
            .await
            .unwrap();
        last = Some(res.headers()["x-request-id"].to_str().unwrap().to_owned());
    }
    let _ = outside.code_for(phone).await;
    let refused = last.unwrap();
    let line = wagate.log_line("send budget of the number exhausted").await;
    let v: Value = serde_json::from_str(&wagate.log()[line]).unwrap();
    assert_eq!(v["level"], "WARN");
    assert_eq!(v["spans"][0]["request_id"], refused.as_str(), "{v}");
    assert!(
        wagate
            .log()
            .iter()
            .all(|l| !l.contains("\"level\":\"INFO\"")),
        "the level holds for the lines themselves"
    );
}
