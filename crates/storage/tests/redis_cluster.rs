//! The Redis backend on a real Redis Cluster: three `redis-server --cluster-enabled yes` on free
//! ports, joined with `redis-cli --cluster create`, then every conformance case in turn.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test harness code

mod common;

use async_trait::async_trait;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wagate_storage::conformance::{Harness, TimeTravel, unique};
use wagate_storage::{RedisConfig, RedisStore, RedisTopology};

/// The cluster's processes, killed when the test ends, however it ends.
struct Cluster {
    ports: Vec<u16>,
    children: Vec<Child>,
    dir: std::path::PathBuf,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port that is free, and whose cluster-bus port (+10000) is free too.
fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port < 55_000 && TcpListener::bind(("127.0.0.1", port + 10_000)).is_ok() {
            return port;
        }
    }
}

/// Polls `ready` until it holds; a cluster takes a moment to agree on its slots.
fn wait_until(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn start_cluster() -> Cluster {
    let dir = std::env::temp_dir().join(unique("wagate-cluster"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cluster = Cluster {
        ports: Vec::new(),
        children: Vec::new(),
        dir: dir.clone(),
    };
    for _ in 0..3 {
        let port = free_port();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                &format!("nodes-{port}.conf"),
                "--dir",
                dir.to_str().unwrap(),
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed");
        cluster.ports.push(port);
        cluster.children.push(child);
    }
    for &port in &cluster.ports {
        wait_until("redis-server", || cli(port, &["ping"]).contains("PONG"));
    }
    let nodes: Vec<String> = cluster
        .ports
        .iter()
        .map(|p| format!("127.0.0.1:{p}"))
        .collect();
    let mut create = Command::new("redis-cli");
    create.args(["--cluster", "create"]).args(&nodes).args([
        "--cluster-replicas",
        "0",
        "--cluster-yes",
    ]);
    let out = create.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for &port in &cluster.ports {
        wait_until("the cluster", || {
            cli(port, &["cluster", "info"]).contains("cluster_state:ok")
        });
    }
    cluster
}

/// Shortens the TTLs of the harness's keys on every node.
struct ShortenTtls {
    prefix: String,
    ports: Vec<u16>,
}

#[async_trait]
impl TimeTravel for ShortenTtls {
    async fn advance(&self, by: Duration) {
        for port in &self.ports {
            let client = redis::Client::open(format!("redis://127.0.0.1:{port}")).unwrap();
            let mut c = client.get_multiplexed_async_connection().await.unwrap();
            common::shorten_ttls(&mut c, &self.prefix, by).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_on_a_local_redis_cluster() {
    let cluster = start_cluster();
    let ports = cluster.ports.clone();
    let harness = || {
        let ports = ports.clone();
        async move {
            let prefix = format!("wagate-test:{}:", unique("cluster"));
            let store = RedisStore::new(RedisConfig {
                topology: RedisTopology::Cluster(
                    ports
                        .iter()
                        .map(|p| format!("redis://127.0.0.1:{p}"))
                        .collect(),
                ),
                key_prefix: prefix.clone(),
                timeout: Duration::from_secs(5),
                tls_ca_pem: None,
            })
            .unwrap();
            Harness {
                store: Arc::new(store),
                time: Arc::new(ShortenTtls { prefix, ports }),
            }
        }
    };
    wagate_storage::conformance_run_all!(harness).await;
    // Keys of one flow, code or token really are spread over the cluster's nodes.
    let mut holders = 0;
    for port in &cluster.ports {
        if cli(*port, &["dbsize"]).trim() != "0" {
            holders += 1;
        }
    }
    assert!(holders >= 2, "records landed on {holders} node(s) only");
}
