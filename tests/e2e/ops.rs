//! The ops listener: health and Prometheus metrics, on their own port.

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics() {
    let server = default_server().await;
    let http = rp_http();
    for path in ["/healthz/live", "/healthz/ready"] {
        let res = http
            .get(format!("{}{path}", server.ops))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
    // Ops endpoints are not on the public port.
    let res = http
        .get(format!("{}/metrics", server.issuer))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    obtain_code(&server, &portal, false).await;
    let text = http
        .get(format!("{}/metrics", server.ops))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "wagate_http_requests_total{route=\"/authorize\",method=\"GET\",status=\"303\"}",
        "wagate_login_steps_total{step=\"phone\",outcome=\"ok\"} 1",
        "wagate_login_steps_total{step=\"code\",outcome=\"ok\"} 1",
        "wagate_http_request_duration_seconds_bucket",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}
