//! Discovery and JWKS, as RP libraries read them.

use crate::support::*;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_has_what_relying_parties_need() {
    let server = default_server().await;
    let doc: Value = fetch_json(browser().get(format!(
        "{}/.well-known/openid-configuration",
        server.issuer
    )))
    .await;
    assert_eq!(doc["issuer"], server.issuer);
    for (field, path) in [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("jwks_uri", "/jwks.json"),
    ] {
        assert_eq!(doc[field], format!("{}{path}", server.issuer), "{field}");
    }
    let list = |f: &str| -> Vec<String> {
        doc[f]
            .as_array()
            .unwrap_or_else(|| panic!("{f} missing"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(list("code_challenge_methods_supported"), vec!["S256"]);
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    assert_eq!(
        list("scopes_supported"),
        vec!["openid", "phone", "offline_access"]
    );
    assert_eq!(
        list("token_endpoint_auth_methods_supported"),
        vec!["client_secret_basic", "client_secret_post", "none"]
    );
    assert_eq!(
        list("id_token_signing_alg_values_supported"),
        vec!["RS256", "ES256", "EdDSA"]
    );
    assert_eq!(list("response_types_supported"), vec!["code"]);
    assert_eq!(
        list("grant_types_supported"),
        vec!["authorization_code", "refresh_token", "client_credentials"]
    );
    for (field, path) in [
        ("end_session_endpoint", "/logout"),
        ("revocation_endpoint", "/revoke"),
        ("introspection_endpoint", "/introspect"),
    ] {
        assert_eq!(doc[field], format!("{}{path}", server.issuer), "{field}");
    }
    assert_eq!(doc["backchannel_logout_supported"], true);
    assert_eq!(doc["backchannel_logout_session_supported"], true);
    for claim in [
        "sub",
        "phone_number",
        "phone_number_verified",
        "auth_time",
        "amr",
        "nonce",
        "sid",
    ] {
        assert!(
            list("claims_supported").contains(&claim.to_owned()),
            "{claim}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwks_publishes_one_kid_per_key() {
    let server = default_server().await;
    let jwks: Value = fetch_json(browser().get(format!("{}/jwks.json", server.issuer))).await;
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 3);
    let mut kids: Vec<&str> = keys.iter().map(|k| k["kid"].as_str().unwrap()).collect();
    kids.dedup();
    assert_eq!(kids.len(), 3);
    for k in keys {
        assert_eq!(k["use"], "sig");
        assert!(k.get("d").is_none(), "a private part leaked: {k}");
    }
}
