//! `[storage]`: memory, or Redis (standalone, Cluster or Sentinel).

use super::StorageKind;
use super::file::{StorageBackend, StorageConfig};
use super::problems::Problems;
use std::time::Duration;
use url::Url;
use wagate_storage::{RedisConfig, RedisTopology};

pub(super) fn resolve(st: &StorageConfig, p: &mut Problems) -> Option<StorageKind> {
    p.check(
        !st.key_prefix.contains(['{', '}']),
        "storage.key_prefix: must not contain { or } (they would change Redis Cluster hash tags)",
    );
    p.check(
        (10..=60_000).contains(&st.timeout_ms),
        "storage.timeout_ms: must be between 10 and 60000",
    );
    match st.backend.resolve("storage.backend", "memory, redis", p)? {
        StorageBackend::Memory => Some(StorageKind::Memory),
        StorageBackend::Redis => {
            let topology = topology(st, p);
            let tls_ca_pem = unsupported_and_tls(st, p);
            topology.map(|topology| {
                StorageKind::Redis(RedisConfig {
                    topology,
                    key_prefix: st.key_prefix.clone(),
                    timeout: Duration::from_millis(st.timeout_ms),
                    tls_ca_pem,
                })
            })
        }
    }
}

/// Exactly one of `url`, `cluster_nodes` and `sentinel_nodes`, as redis URLs.
fn topology(st: &StorageConfig, p: &mut Problems) -> Option<RedisTopology> {
    // A fragment (`#insecure`: TLS without certificate checks) is not supported.
    let url_ok = |u: &str| {
        Url::parse(u)
            .is_ok_and(|u| matches!(u.scheme(), "redis" | "rediss") && u.fragment().is_none())
    };
    let given = [
        st.url.is_some(),
        !st.cluster_nodes.is_empty(),
        !st.sentinel_nodes.is_empty(),
    ];
    let all_ok = st
        .url
        .iter()
        .chain(&st.cluster_nodes)
        .chain(&st.sentinel_nodes)
        .all(|u| url_ok(u));
    match given {
        _ if !all_ok => {
            p.add("storage.url / cluster_nodes / sentinel_nodes: must be redis:// or rediss:// URLs, without a fragment (#insecure is not supported)");
            None
        }
        [true, false, false] => st.url.clone().map(RedisTopology::Standalone),
        [false, true, false] => Some(RedisTopology::Cluster(st.cluster_nodes.clone())),
        [false, false, true] => match &st.sentinel_master {
            Some(master) => Some(RedisTopology::Sentinel {
                nodes: st.sentinel_nodes.clone(),
                master: master.clone(),
            }),
            None => {
                p.add("storage.sentinel_master: required with sentinel_nodes");
                None
            }
        },
        [false, false, false] => {
            p.add(
                "storage.url: required for the redis backend (or cluster_nodes, or sentinel_nodes)",
            );
            None
        }
        _ => {
            p.add("storage: give one of url, cluster_nodes and sentinel_nodes");
            None
        }
    }
}

/// What the client library cannot carry through yet is refused, not ignored; the CA file of a
/// `rediss://` server with a private CA.
fn unsupported_and_tls(st: &StorageConfig, p: &mut Problems) -> Option<Vec<u8>> {
    if st.tls_ca_file.is_some() && st.url.is_none() {
        p.add(
            "storage.tls_ca_file: only for a standalone url (not cluster_nodes or sentinel_nodes)",
        );
    }
    for node in &st.sentinel_nodes {
        match Url::parse(node) {
            Ok(u) if u.scheme() == "rediss" => p.add(format!(
                "storage.sentinel_nodes: {node:?}: TLS with Sentinel is not supported"
            )),
            Ok(u) if u.password().is_some() || !u.username().is_empty() => p.add(format!(
                "storage.sentinel_nodes: credentials with Sentinel are not supported ({})",
                u.host_str().unwrap_or_default()
            )),
            _ => {}
        }
    }
    match &st.tls_ca_file {
        None => None,
        Some(path) => match std::fs::read(path) {
            Ok(pem) => Some(pem),
            Err(e) => {
                p.add(format!(
                    "storage.tls_ca_file: cannot read {}: {e}",
                    path.display()
                ));
                None
            }
        },
    }
}
