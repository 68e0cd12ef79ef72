//! The harness: a webhook receiver, a running wagate, a browser and an OIDC client.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreTokenResponse,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use serde_json::Value;
use sha2::Sha256;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use wagate_server::config::{ClientConfig, Config, resolve};
use wagate_server::{Deps, Running};
use wagate_storage::{Clock, ManualClock, Secret, SystemClock};

pub const PORTAL_SECRET: &str = "portal-secret-0123456789-abcdefghijkl";
pub const HOOK_SECRET: &str = "hook-secret-0123456789";
pub const CALLBACK: &str = "http://127.0.0.1:3000/callback";

/// One code delivered to the webhook.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub id: String,
    pub locale: Option<String>,
    pub to: String,
    pub code: String,
    pub expires_in: u64,
    pub message: String,
}

/// The operator's gateway, as far as wagate can tell.
pub struct Hook {
    pub url: String,
    delivered: Mutex<Vec<Delivered>>,
    pub fail: AtomicBool,
    /// Requests that reached the gateway, whatever it answered (counted on arrival).
    pub arrived: AtomicU64,
    /// Milliseconds the gateway takes to answer.
    pub delay_ms: AtomicU64,
    pub bad_signatures: AtomicU64,
    /// Back-channel logout tokens received (the portal's side of logout).
    logout_tokens: Mutex<Vec<String>>,
    logout_arrived: tokio::sync::Notify,
    code_arrived: tokio::sync::Notify,
}

impl Hook {
    pub fn last_code_for(&self, phone: &str) -> String {
        self.code_for(phone)
            .unwrap_or_else(|| panic!("no code was delivered to {phone}"))
    }

    /// The last code delivered to `phone` through this gateway, if any.
    pub fn code_for(&self, phone: &str) -> Option<String> {
        self.delivered
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|d| d.to == phone)
            .map(|d| d.code.clone())
    }

    /// Waits (at most 10 s) until `phone` has received `n` codes here; the last one.
    pub async fn wait_for_code(&self, phone: &str, n: usize) -> Delivered {
        tokio::time::timeout(std::time::Duration::from_secs(10), async {
            loop {
                let arrived = self.code_arrived.notified();
                let mine: Vec<Delivered> = self
                    .delivered
                    .lock()
                    .unwrap()
                    .iter()
                    .filter(|d| d.to == phone)
                    .cloned()
                    .collect();
                if mine.len() >= n {
                    return mine[n - 1].clone();
                }
                arrived.await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("code {n} for {phone} never arrived"))
    }

    pub fn count_for(&self, phone: &str) -> usize {
        self.delivered
            .lock()
            .unwrap()
            .iter()
            .filter(|d| d.to == phone)
            .count()
    }

    pub fn all(&self) -> Vec<Delivered> {
        self.delivered.lock().unwrap().clone()
    }

    pub fn backchannel_url(&self) -> String {
        self.url.replace("/otp", "/backchannel")
    }

    /// Waits (at most 10 s) for the `n`-th back-channel logout token.
    pub async fn logout_token(&self, n: usize) -> String {
        tokio::time::timeout(std::time::Duration::from_secs(10), async {
            loop {
                if let Some(t) = self.logout_tokens.lock().unwrap().get(n - 1) {
                    return t.clone();
                }
                self.logout_arrived.notified().await;
            }
        })
        .await
        .expect("a back-channel logout arrives")
    }

    pub fn logout_count(&self) -> usize {
        self.logout_tokens.lock().unwrap().len()
    }
}

async fn backchannel(body: web::Bytes, hook: web::Data<Arc<Hook>>) -> HttpResponse {
    let token = url::form_urlencoded::parse(&body)
        .find(|(k, _)| k == "logout_token")
        .map(|(_, v)| v.into_owned());
    match token {
        Some(t) => {
            hook.logout_tokens.lock().unwrap().push(t);
            hook.logout_arrived.notify_one();
            HttpResponse::Ok().finish()
        }
        None => HttpResponse::BadRequest().finish(),
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, hook: web::Data<Arc<Hook>>) -> HttpResponse {
    // The signature covers the timestamp and the body, as a gateway checks it.
    let timestamp = req
        .headers()
        .get("X-Wagate-Timestamp")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(HOOK_SECRET.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(&body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    let got = req
        .headers()
        .get("X-Wagate-Signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if got != expected {
        hook.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return HttpResponse::Unauthorized().finish();
    }
    hook.arrived.fetch_add(1, Ordering::SeqCst);
    let delay = hook.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        // A slow gateway, as wagate sees it.
        actix_web::rt::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    if hook.fail.load(Ordering::SeqCst) {
        return HttpResponse::InternalServerError().finish();
    }
    let v: Value = serde_json::from_slice(&body).unwrap();
    hook.delivered.lock().unwrap().push(Delivered {
        id: v["id"].as_str().unwrap().to_owned(),
        locale: v["locale"].as_str().map(str::to_owned),
        to: v["to"].as_str().unwrap().to_owned(),
        code: v["code"].as_str().unwrap().to_owned(),
        expires_in: v["expires_in"].as_u64().unwrap(),
        message: v["message"].as_str().unwrap().to_owned(),
    });
    hook.code_arrived.notify_waiters();
    HttpResponse::Ok().finish()
}

async fn start_hook() -> Arc<Hook> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/otp", listener.local_addr().unwrap());
    let hook = Arc::new(Hook {
        url,
        delivered: Mutex::new(Vec::new()),
        fail: AtomicBool::new(false),
        arrived: AtomicU64::new(0),
        delay_ms: AtomicU64::new(0),
        logout_tokens: Mutex::new(Vec::new()),
        logout_arrived: tokio::sync::Notify::new(),
        code_arrived: tokio::sync::Notify::new(),
        bad_signatures: AtomicU64::new(0),
    });
    let data = web::Data::new(hook.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/otp", web::post().to(receive))
            .route("/backchannel", web::post().to(backchannel))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    hook
}

pub struct TestServer {
    pub issuer: String,
    /// Where this instance listens (differs from the issuer when instances share one).
    pub public: String,
    pub ops: String,
    pub hook: Arc<Hook>,
    pub keys: wagate_server::KeyReloader,
    running: Mutex<Option<Running>>,
}

impl TestServer {
    /// Stops this instance gracefully (requests in flight finish), as a rolling restart would.
    pub async fn stop(&self) {
        let running = self.running.lock().unwrap().take();
        if let Some(r) = running {
            r.stop().await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(r) = self.running.lock().unwrap().take() {
            // Stopping is async; a detached task is enough for a test that is ending.
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                handle.spawn(r.stop());
            }
        }
    }
}

pub const AFTER_LOGOUT: &str = "http://127.0.0.1:3000/signed-out";

pub fn client(id: &str, secret: Option<&str>, alg: Option<&str>) -> ClientConfig {
    ClientConfig {
        client_id: id.into(),
        client_secret: secret.map(Secret::new),
        redirect_uris: vec![CALLBACK.into()],
        post_logout_redirect_uris: vec![AFTER_LOGOUT.into()],
        name: Some(format!("{id} portal")),
        id_token_signed_response_alg: alg.map(str::to_owned),
        ..Default::default()
    }
}

/// A wagate with webhook delivery and four clients: `portal` (confidential, RS256), `spa`
/// (public), `es-portal` (ES256) and `ed-portal` (EdDSA). `tweak` adjusts the config.
pub async fn start(tweak: impl FnOnce(&mut Config)) -> TestServer {
    start_with(Deps::default(), tweak).await
}

/// A server whose clock the test moves.
pub async fn start_with_clock(tweak: impl FnOnce(&mut Config)) -> (TestServer, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let deps = Deps {
        clock: clock.clone(),
        ..Deps::default()
    };
    (start_with(deps, tweak).await, clock)
}

/// Seals authenticator secrets in every test server.
pub const TOTP_KEY: &str = "e2e-totp-key-0123456789abcdefghijkl";

pub async fn start_with(deps: Deps, tweak: impl FnOnce(&mut Config)) -> TestServer {
    let hook = start_hook().await;
    let public = TcpListener::bind("127.0.0.1:0").unwrap();
    let ops = TcpListener::bind("127.0.0.1:0").unwrap();
    let issuer = format!("http://{}", public.local_addr().unwrap());
    let public_url = issuer.clone();
    let ops_url = format!("http://{}", ops.local_addr().unwrap());

    let mut config = Config {
        issuer: issuer.clone(),
        ..Config::default()
    };
    config.http.workers = 1;
    config.delivery.channel = "webhook".into();
    config.delivery.webhook_url = Some(hook.url.clone());
    config.delivery.webhook_secret = Some(Secret::new(HOOK_SECRET));
    config.totp.encryption_key = Some(Secret::new(TOTP_KEY));
    // The rules against abuse are tested with their defaults in `fraud`; the other tests send
    // many codes to numbers of one prefix, and leave many unverified.
    config.fraud.prefix_sends_per_hour = 1_000_000;
    config.fraud.backoff_free_sends = 1_000_000;
    config.fraud.conversion_floor = 0.0;
    let mut portal = client("portal", Some(PORTAL_SECRET), None);
    portal.backchannel_logout_uri = Some(hook.backchannel_url());
    config.clients = vec![
        portal,
        client("spa", None, None),
        client("es-portal", Some(PORTAL_SECRET), Some("ES256")),
        client("ed-portal", Some(PORTAL_SECRET), Some("EdDSA")),
    ];
    tweak(&mut config);
    let issuer = config.issuer.trim_end_matches('/').to_owned();
    let settings = resolve(&config, &wagate_server::config::Source::File("test".into()))
        .unwrap_or_else(|p| panic!("test config: {p:?}"));
    let running = wagate_server::start_on(settings, deps, public, ops)
        .await
        .expect("server starts");
    TestServer {
        keys: running.key_reloader(),
        issuer,
        public: public_url,
        ops: ops_url,
        hook,
        running: Mutex::new(Some(running)),
    }
}

pub async fn default_server() -> TestServer {
    start(|_| {}).await
}

/// The server's Prometheus metrics (from the ops listener), as text.
pub async fn metrics(server: &TestServer) -> String {
    reqwest::get(format!("{}/metrics", server.ops))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The server's discovery document, as JSON.
pub async fn metadata(server: &TestServer) -> Value {
    reqwest::get(format!(
        "{}/.well-known/openid-configuration",
        server.public
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap()
}

/// A browser: keeps cookies, never follows redirects by itself.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The HTTP client the OIDC library uses (no redirects, as openidconnect requires).
pub fn rp_http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub type Rp = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The portal: discovery through the OIDC library, then a client for `client_id`.
pub async fn rp(server: &TestServer, client_id: &str, secret: Option<&str>) -> Rp {
    let meta = CoreProviderMetadata::discover_async(
        IssuerUrl::new(server.issuer.clone()).unwrap(),
        &rp_http(),
    )
    .await
    .expect("discovery");
    CoreClient::from_provider_metadata(
        meta,
        ClientId::new(client_id.into()),
        secret.map(|s| ClientSecret::new(s.into())),
    )
    .set_redirect_uri(RedirectUrl::new(CALLBACK.into()).unwrap())
}

/// What the portal keeps between sending the browser away and its return.
pub struct Pending {
    pub url: String,
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: Option<PkceCodeVerifier>,
}

pub fn authorize_url(rp: &Rp, pkce: bool, extra: &[(&str, &str)]) -> Pending {
    let mut req = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("phone".into()));
    for (k, v) in extra {
        req = req.add_extra_param(*k, *v);
    }
    let mut verifier = None;
    if pkce {
        let (challenge, v) = PkceCodeChallenge::new_random_sha256();
        req = req.set_pkce_challenge(challenge);
        verifier = Some(v);
    }
    let (url, state, nonce) = req.url();
    Pending {
        url: url.to_string(),
        state,
        nonce,
        verifier,
    }
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location on a {} answer", res.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Follows /authorize to the login page and returns the flow URL.
pub async fn open_flow(browser: &reqwest::Client, url: &str) -> String {
    let res = browser.get(url).send().await.unwrap();
    assert_eq!(
        res.status(),
        303,
        "authorize should send the browser to the login"
    );
    let flow = location(&res);
    assert!(flow.contains("/login/"), "{flow}");
    absolute(url, &flow)
}

/// Resolves a Location against the URL it came from.
pub fn absolute(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

/// Sends `req` and reads its answer as JSON.
pub async fn fetch_json<T: serde::de::DeserializeOwned>(req: reqwest::RequestBuilder) -> T {
    req.send().await.unwrap().json().await.unwrap()
}

pub async fn post_json(browser: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    json_answer(browser.post(url).json(&body)).await
}

/// Sends `req` asking for JSON; the status and the body (as a JSON string when it is not JSON).
pub async fn json_answer(req: reqwest::RequestBuilder) -> (u16, Value) {
    let res = req
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Sends a code to `phone` in `flow` and returns it as the gateway got it.
pub async fn send_code(
    server: &TestServer,
    browser: &reqwest::Client,
    flow: &str,
    phone: &str,
) -> String {
    let (status, body) = post_json(
        browser,
        &format!("{flow}/phone"),
        serde_json::json!({"phone": phone}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    server.hook.last_code_for(phone)
}

/// A full login through the JSON API; returns the redirect back to the portal.
pub async fn login_json(
    server: &TestServer,
    browser: &reqwest::Client,
    url: &str,
    phone: &str,
) -> url::Url {
    let flow = open_flow(browser, url).await;
    let code = send_code(server, browser, &flow, phone).await;
    let (status, body) = post_json(
        browser,
        &format!("{flow}/code"),
        serde_json::json!({"code": code}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["step"], "done");
    url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap()
}

pub fn query(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A fresh, valid UK mobile number.
pub fn fresh_phone() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let pid = u64::from(std::process::id()) % 100;
    format!("+447400{:02}{:04}", pid, n % 10_000)
}

/// Logs in as the portal and returns the authorization code.
pub async fn obtain_code(server: &TestServer, rp: &Rp, pkce: bool) -> (String, Pending) {
    let pending = authorize_url(rp, pkce, &[]);
    let back = login_json(server, &browser(), &pending.url, &fresh_phone()).await;
    assert_eq!(
        query(&back, "state").as_deref(),
        Some(pending.state.secret().as_str())
    );
    (query(&back, "code").unwrap(), pending)
}

/// The portal redeems `code` (with its PKCE verifier, if it sent a challenge).
pub async fn redeem(rp: &Rp, code: &str, verifier: Option<PkceCodeVerifier>) -> CoreTokenResponse {
    let mut request = rp
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .expect("the provider has a token endpoint");
    if let Some(v) = verifier {
        request = request.set_pkce_verifier(v);
    }
    request
        .request_async(&rp_http())
        .await
        .expect("token exchange")
}

/// A full login in `browser` (which keeps the session cookie); returns the request and code.
pub async fn login_in(
    server: &TestServer,
    browser: &reqwest::Client,
    rp: &Rp,
    phone: &str,
    extra: &[(&str, &str)],
) -> (Pending, String) {
    let pending = authorize_url(rp, false, extra);
    let back = login_json(server, browser, &pending.url, phone).await;
    let code = query(&back, "code").unwrap();
    (pending, code)
}

/// A client-authenticated form POST (token, revoke, introspect), Basic credentials.
pub async fn client_post(
    server: &TestServer,
    path: &str,
    client: (&str, &str),
    form: &[(&str, &str)],
) -> (u16, Value) {
    client_post_at(&server.issuer, path, client, form).await
}

/// `client_post` to `base` (one instance's own address, when instances share an issuer).
pub async fn client_post_at(
    base: &str,
    path: &str,
    client: (&str, &str),
    form: &[(&str, &str)],
) -> (u16, Value) {
    let res = rp_http()
        .post(format!("{base}{path}"))
        .basic_auth(client.0, Some(client.1))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub const PORTAL: (&str, &str) = ("portal", PORTAL_SECRET);

/// Redeems a code by hand; returns the token response as JSON.
pub async fn redeem_raw(server: &TestServer, code: &str) -> (u16, Value) {
    client_post(
        server,
        "/token",
        PORTAL,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await
}

pub async fn userinfo_status(server: &TestServer, access_token: &str) -> u16 {
    rp_http()
        .get(format!("{}/userinfo", server.issuer))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The claims of a JWT, unverified (the tests verify signatures separately).
pub fn claims_of(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap(),
    )
    .unwrap()
}

/// A key prefix of its own on the machine's Redis, for one test.
pub fn redis_prefix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "wagate-e2e:{}:{}:",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
}

/// Points a config at Redis (`url`) under `prefix`.
pub fn use_redis(config: &mut Config, url: &str, prefix: &str) {
    config.storage.backend = "redis".into();
    config.storage.url = Some(url.into());
    config.storage.key_prefix = prefix.into();
    // Generous: a loaded test machine must not turn a slow answer into a 503.
    config.storage.timeout_ms = 2_000;
    // Instances on Redis share their generated signing keys there.
    config.signing.key_encryption_key = Some(Secret::new("an-e2e-key-encryption-key-0123456789"));
}

/// A redis-server of the test's own on a free port (so it can be stopped and started).
pub struct PrivateRedis {
    pub port: u16,
    child: Option<std::process::Child>,
}

impl PrivateRedis {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut redis = PrivateRedis { port, child: None };
        redis.resume();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts (again) on the same port, and returns once it answers.
    pub fn resume(&mut self) {
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("redis-server is installed");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Kills the server (its data with it, as a crash would).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
