//! `deploy/kubernetes`: the ConfigMap's `wagate.toml` through `wagate check-config`, in the
//! pod's environment with the pod's mounted files.

use super::{
    array, manifests, one, output_text, scratch, secret_example_keys, str_at, string_map,
    this_test_name, wagate_container,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, ExitCode};
use wagate_server::cli::{Cli, Command as WagateCommand};

/// Set in a child process of this test binary, to the configuration file to check: the child
/// runs `wagate check-config FILE` (the binary's own command) instead of the test, with the
/// pod's environment.
const CHECK_CONFIG_CHILD: &str = "E2E_DEPLOY_CHECK_CONFIG_FILE";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_configmap_passes_check_config_in_the_pods_environment() {
    if let Some(file) = std::env::var_os(CHECK_CONFIG_CHILD) {
        let code = wagate_server::cli::run(Cli {
            command: WagateCommand::CheckConfig { file: file.into() },
        })
        .await;
        std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 });
    }

    // The pod's files: the projected ConfigMap and Secret, under a scratch root; the secrets
    // are stand-ins of the right length, never the example's placeholders.
    let docs = manifests();
    let deployment = one(&docs, "Deployment");
    let container = wagate_container(deployment);
    let root = scratch("pod");
    let configmaps: BTreeMap<(String, String), String> = docs
        .iter()
        .filter(|(kind, _)| kind == "ConfigMap")
        .flat_map(|(_, cm)| {
            let name = str_at(cm, "/metadata/name").to_owned();
            string_map(&cm["data"])
                .into_iter()
                .map(move |(key, text)| ((name.clone(), key), text))
        })
        .collect();
    let secret_keys: Vec<String> = secret_example_keys(one(&docs, "Secret"))
        .into_keys()
        .collect();
    let files = pod_files(deployment, &configmaps, &secret_keys);
    let mut mount_paths: Vec<&str> = array(container, "/volumeMounts")
        .iter()
        .map(|m| str_at(m, "/mountPath"))
        .collect();
    // The longest first, so that a mount inside another is moved as itself.
    mount_paths.sort_by_key(|m| std::cmp::Reverse(m.len()));
    // Paths inside the files (the configuration naming secret files) move under the root too,
    // in one pass: the root itself may lie under a mount path (`/tmp`), and must not move again.
    let relocate = |text: &str| {
        let marked = mount_paths
            .iter()
            .enumerate()
            .fold(text.to_owned(), |t, (i, mount)| {
                t.replace(&format!("\"{mount}/"), &format!("\"\u{0}{i}\u{0}/"))
            });
        mount_paths
            .iter()
            .enumerate()
            .fold(marked, |t, (i, mount)| {
                t.replace(
                    &format!("\u{0}{i}\u{0}"),
                    &format!("{}{mount}", root.display()),
                )
            })
    };
    for file in &files {
        let path = root.join(file.path.trim_start_matches('/'));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, relocate(&file.content)).unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(file.mode)).unwrap();
    }
    let args: Vec<&str> = array(container, "/args")
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let config_in_pod = args
        .iter()
        .position(|a| *a == "--config")
        .and_then(|i| args.get(i + 1))
        .expect("the container's args name --config");
    let config = root.join(config_in_pod.trim_start_matches('/'));
    assert!(
        config.is_file(),
        "{config_in_pod} is not among the pod's mounted files"
    );

    let mut child = Command::new(std::env::current_exe().unwrap());
    child
        .arg(this_test_name(
            module_path!(),
            "the_configmap_passes_check_config_in_the_pods_environment",
        ))
        .args(["--exact", "--nocapture", "--test-threads=1"]);
    for (key, _) in std::env::vars() {
        if key.starts_with("WAGATE") || key == "RUST_LOG" {
            child.env_remove(key);
        }
    }
    for env in array(container, "/env") {
        let name = str_at(env, "/name");
        let value = if let Some(value) = env["value"].as_str() {
            value.to_owned()
        } else if let Some(from) = env.pointer("/valueFrom/secretKeyRef") {
            stand_in_secret(str_at(from, "/name"), str_at(from, "/key"))
        } else {
            panic!("env {name}: only value and secretKeyRef are modelled here")
        };
        child.env(name, value);
    }
    child.env(CHECK_CONFIG_CHILD, &config);
    let out = child.output().unwrap();
    let text = output_text(&out);
    let accepted = out.status.success() && text.contains(&format!("{}: OK", config.display()));
    let _ = fs::remove_dir_all(root);
    assert!(
        accepted,
        "wagate check-config refused the ConfigMap's wagate.toml in the pod's environment:\n{text}"
    );
}

/// A secret's value for the test: long enough for every check, never the placeholder.
fn stand_in_secret(name: &str, key: &str) -> String {
    format!("{name}.{key}.stand-in-0123456789abcdefghijklmnopqrstuvwxyz")
}

struct PodFile {
    /// Absolute, as the container sees it.
    path: String,
    content: String,
    mode: u32,
}

/// The files the container sees through its ConfigMap, Secret and projected volumes.
fn pod_files(
    deployment: &Value,
    configmaps: &BTreeMap<(String, String), String>,
    secret_keys: &[String],
) -> Vec<PodFile> {
    let spec = &deployment["spec"]["template"]["spec"];
    let volumes = array(spec, "/volumes");
    let mut files = Vec::new();
    for mount in array(wagate_container(deployment), "/volumeMounts") {
        let name = str_at(mount, "/name");
        let mount_path = str_at(mount, "/mountPath");
        assert!(
            mount.get("subPath").is_none(),
            "{name}: a subPath mount never sees ConfigMap or Secret updates"
        );
        let volume = volumes
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("volume {name} is mounted but not defined"));
        // (is a secret, object name, items or None for all keys, default mode)
        let mut sources: Vec<(bool, &str, &[Value], u64)> = Vec::new();
        if let Some(projected) = volume.get("projected") {
            let mode = projected["defaultMode"].as_u64().unwrap_or(0o644);
            for source in array(projected, "/sources") {
                if let Some(s) = source.get("secret") {
                    sources.push((true, str_at(s, "/name"), array(s, "/items"), mode));
                } else if let Some(c) = source.get("configMap") {
                    sources.push((false, str_at(c, "/name"), array(c, "/items"), mode));
                } else {
                    panic!("{name}: only ConfigMap and Secret projections are modelled here");
                }
            }
        } else if let Some(s) = volume.get("secret") {
            let mode = s["defaultMode"].as_u64().unwrap_or(0o644);
            sources.push((true, str_at(s, "/secretName"), array(s, "/items"), mode));
        } else if let Some(c) = volume.get("configMap") {
            let mode = c["defaultMode"].as_u64().unwrap_or(0o644);
            sources.push((false, str_at(c, "/name"), array(c, "/items"), mode));
        } else {
            assert!(
                volume.get("emptyDir").is_some(),
                "{name}: only ConfigMap, Secret, projected and emptyDir volumes are modelled here"
            );
        }
        for (secret, object, items, mode) in sources {
            let keys: Vec<(String, String, u64)> = if items.is_empty() {
                let all: Vec<String> = if secret {
                    secret_keys.to_vec()
                } else {
                    configmaps
                        .keys()
                        .filter(|(cm, _)| cm == object)
                        .map(|(_, k)| k.clone())
                        .collect()
                };
                all.into_iter().map(|k| (k.clone(), k, mode)).collect()
            } else {
                items
                    .iter()
                    .map(|i| {
                        (
                            str_at(i, "/key").to_owned(),
                            str_at(i, "/path").to_owned(),
                            i["mode"].as_u64().unwrap_or(mode),
                        )
                    })
                    .collect()
            };
            for (key, path, mode) in keys {
                let content = if secret {
                    stand_in_secret(object, &key)
                } else {
                    configmaps
                        .get(&(object.to_owned(), key.clone()))
                        .unwrap_or_else(|| panic!("ConfigMap {object} has no key {key}"))
                        .clone()
                };
                files.push(PodFile {
                    path: format!("{mount_path}/{path}"),
                    content,
                    mode: u32::try_from(mode).unwrap(),
                });
            }
        }
    }
    files
}
