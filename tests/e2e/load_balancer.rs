//! Two wagate instances on one Redis behind a real nginx (round robin), as in deploy/: many full
//! logins through the balancer, each step landing wherever it is sent; then one instance stops
//! in the middle of the run and the logins still complete through the other.

use crate::support::*;
use serde_json::json;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use wagate_oidc::{SigningAlg, generate_pem};
use wagate_server::config::KeyConfig;

struct Nginx {
    child: Child,
    dir: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// nginx in the foreground, running deploy/nginx/wagate.conf itself: only the upstream
/// addresses and the listening port are swapped for the test's.
fn start_nginx(port: u16, upstreams: &[String]) -> Nginx {
    let dir = std::env::temp_dir().join(format!("wagate-nginx-{}-{port}", std::process::id()));
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    let deployed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/nginx/wagate.conf"
    ))
    .expect("deploy/nginx/wagate.conf");
    let servers: String = upstreams
        .iter()
        .map(|u| format!("    server {};\n", u.trim_start_matches("http://")))
        .collect();
    let mut site = String::new();
    let mut in_upstream = false;
    for line in deployed.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("upstream wagate") {
            in_upstream = true;
            site.push_str("upstream wagate {\n");
            site.push_str(&servers);
            continue;
        }
        if in_upstream {
            if trimmed == "}" {
                in_upstream = false;
                site.push_str("}\n");
            }
            continue;
        }
        if trimmed == "listen 80;" {
            site.push_str(&format!("    listen 127.0.0.1:{port};\n"));
        } else {
            site.push_str(line);
            site.push('\n');
        }
    }
    let conf = format!(
        "pid {dir}/nginx.pid;\nerror_log {dir}/logs/error.log warn;\nevents {{ worker_connections 256; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {dir}/body;\n  proxy_temp_path {dir}/proxy;\n  fastcgi_temp_path {dir}/fastcgi;\n  uwsgi_temp_path {dir}/uwsgi;\n  scgi_temp_path {dir}/scgi;\n{site}}}\n",
        dir = dir.display()
    );
    let conf_path = dir.join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let child = Command::new(nginx_binary())
        .args([
            "-c",
            conf_path.to_str().unwrap(),
            "-p",
            dir.to_str().unwrap(),
            "-g",
            "daemon off;",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx is installed (.ci/run installs it)");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "nginx did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Nginx { child, dir }
}

fn nginx_binary() -> &'static str {
    if std::path::Path::new("/usr/sbin/nginx").exists() {
        "/usr/sbin/nginx"
    } else {
        "nginx"
    }
}

/// One whole login through the balancer: authorize, phone, code, token, userinfo.
async fn login_through(lb: &str, instances: &[Arc<TestServer>], n: usize) {
    let b = browser();
    let phone = fresh_phone();
    let url = format!(
        "{lb}/authorize?client_id=portal&redirect_uri={}&response_type=code&scope=openid%20phone&state=s{n}&nonce=n{n}",
        url::form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect::<String>()
    );
    let flow = open_flow(&b, &url).await;
    let (status, body) = post_json(&b, &format!("{flow}/phone"), json!({"phone": phone})).await;
    assert_eq!(status, 200, "login {n} phone: {body}");
    // The code went out from whichever instance took the phone step.
    let code = instances
        .iter()
        .find_map(|s| s.hook.code_for(&phone))
        .expect("a code was delivered");
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 200, "login {n} code: {body}");
    let back = url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap();
    assert_eq!(
        query(&back, "state").as_deref(),
        Some(format!("s{n}").as_str())
    );
    let tokens: serde_json::Value = fetch_json(
        rp_http()
            .post(format!("{lb}/token"))
            .basic_auth("portal", Some(PORTAL_SECRET))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", &query(&back, "code").unwrap()),
                ("redirect_uri", CALLBACK),
            ]),
    )
    .await;
    let info = rp_http()
        .get(format!("{lb}/userinfo"))
        .bearer_auth(tokens["access_token"].as_str().expect("tokens"))
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 200, "login {n} userinfo");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_complete_through_nginx_even_when_an_instance_stops() {
    let lb_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let lb = format!("http://127.0.0.1:{lb_port}");
    let prefix = redis_prefix();
    let key =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("lb-{}.pem", std::process::id()));
    std::fs::write(&key, generate_pem(SigningAlg::RS256).unwrap()).unwrap();
    let configure = |c: &mut wagate_server::config::Config| {
        c.issuer = lb.clone();
        use_redis(c, "redis://127.0.0.1:6379", &prefix);
        c.keys = vec![KeyConfig {
            alg: "RS256".into(),
            private_key_file: key.clone(),
            kid: None,
        }];
        c.http.trusted_proxies = vec!["127.0.0.1".into()];
        c.clients.retain(|client| client.client_id == "portal");
        c.login.flows_per_ip_per_minute = 10_000;
        c.login.sends_per_ip_per_hour = 10_000;
    };
    let a = Arc::new(start(configure).await);
    let b = Arc::new(start(configure).await);
    let _nginx = start_nginx(lb_port, &[a.public.clone(), b.public.clone()]);
    let both = vec![a.clone(), b.clone()];

    // Phase 1: both instances up, 20 logins, 4 at a time.
    for chunk in (0..20).collect::<Vec<_>>().chunks(4) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|&n| {
                let (lb, both) = (lb.clone(), both.clone());
                tokio::spawn(async move { login_through(&lb, &both, n).await })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    }
    let (by_a, by_b) = (a.hook.all().len(), b.hook.all().len());
    assert!(
        by_a > 0 && by_b > 0,
        "round robin used both ({by_a}/{by_b})"
    );

    // Phase 2: logins keep running while instance A stops in the middle of the run.
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for n in 100..124 {
        let (lb, both, done) = (lb.clone(), both.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            login_through(&lb, &both, n).await;
            done.fetch_add(1, Ordering::SeqCst);
        }));
        if n == 108 {
            // Graceful stop, as a rolling restart does: A finishes what it has and leaves.
            a.stop().await;
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(done.load(Ordering::SeqCst), 24, "every login completed");
    let after = a.hook.all().len();
    assert!(b.hook.all().len() > by_b, "B carried on");
    assert!(after >= by_a);
}
