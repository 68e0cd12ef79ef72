//! The Redis backend over TLS (`rediss://`): a redis-server with a TLS port and a certificate
//! made for the test, then every conformance case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test harness code

mod common;

use async_trait::async_trait;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wagate_storage::conformance::{Harness, TimeTravel, unique};
use wagate_storage::{RedisConfig, RedisStore, RedisTopology};

struct TlsRedis {
    child: Child,
    dir: std::path::PathBuf,
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start(port: u16) -> TlsRedis {
    let dir = std::env::temp_dir().join(unique("wagate-tls"));
    std::fs::create_dir_all(&dir).unwrap();
    // A CA of the test's own, and a server certificate it signs (for 127.0.0.1).
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    let steps: [&[&str]; 3] = [
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "1",
            "-subj",
            "/CN=wagate test CA",
        ],
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "server.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "cert.pem",
            "-days",
            "1",
            "-extfile",
            "san.ext",
        ],
    ];
    for args in steps {
        let status = Command::new("openssl")
            .current_dir(&dir)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl is installed");
        assert!(status.success(), "openssl {args:?}");
    }
    let child = Command::new("redis-server")
        .current_dir(&dir)
        .args([
            "--port",
            "0",
            "--tls-port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--tls-cert-file",
            "cert.pem",
            "--tls-key-file",
            "key.pem",
            "--tls-ca-cert-file",
            "cert.pem",
            "--tls-auth-clients",
            "no",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server is installed");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "redis-server (TLS) did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    TlsRedis { child, dir }
}

impl TlsRedis {
    /// The test's own CA, trusted explicitly (as `storage.tls_ca_file` does).
    fn ca(&self) -> Vec<u8> {
        std::fs::read(self.dir.join("ca.pem")).unwrap()
    }
}

fn url(port: u16) -> String {
    format!("rediss://127.0.0.1:{port}")
}

struct ShortenTtls {
    prefix: String,
    port: u16,
    ca: Vec<u8>,
}

#[async_trait]
impl TimeTravel for ShortenTtls {
    async fn advance(&self, by: Duration) {
        let client = redis::Client::build_with_tls(
            url(self.port),
            redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(self.ca.clone()),
            },
        )
        .unwrap();
        let mut c = client.get_multiplexed_async_connection().await.unwrap();
        common::shorten_ttls(&mut c, &self.prefix, by).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_over_tls() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = start(port);
    let ca = server.ca();
    let harness = || {
        let ca = ca.clone();
        async move {
            let prefix = format!("wagate-test:{}:", unique("tls"));
            Harness {
                store: Arc::new(
                    RedisStore::new(RedisConfig {
                        topology: RedisTopology::Standalone(url(port)),
                        key_prefix: prefix.clone(),
                        timeout: Duration::from_secs(5),
                        tls_ca_pem: Some(ca.clone()),
                    })
                    .unwrap(),
                ),
                time: Arc::new(ShortenTtls { prefix, port, ca }),
            }
        }
    };
    wagate_storage::conformance_run_all!(harness).await;
}
