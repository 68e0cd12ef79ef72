//! The operator's deploy files, read by the tools that read them in production and held
//! against each other and against a running wagate:
//!
//! - `deploy/prometheus`: `promtool check rules`, the rules' unit tests (`promtool test rules`),
//!   and the alerts the runbook lists, each with its severity and annotations;
//! - `deploy/kubernetes`: the Kubernetes schemas (kubernetes-validate, offline and strict), the
//!   ServiceMonitor and the kustomization by hand, selectors, ports, probes and secrets against
//!   each other, and the ConfigMap's `wagate.toml` through `wagate check-config`, in the pod's
//!   environment with the pod's mounted files;
//! - `deploy/grafana`: the dashboard's structure, and every expression parsed by promtool;
//! - every metric the dashboard and the rules read is exposed on a running wagate's /metrics;
//! - `deploy/systemd`: `systemd-analyze verify` and `security`, and the sandboxing it promises.
//!
//! The tools are required: a missing one fails its test with how to install it (.ci/run
//! installs them all).

mod check_config;
mod grafana;
mod kubernetes;
mod metrics;
mod prometheus;
mod systemd;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PROMTOOL: &str = "Debian's package `prometheus` has it: apt-get install prometheus";
const PYTHON_TOOLS: &str = "python3 -m pip install kubernetes-validate==1.37.0 (it brings PyYAML)";

// --- Helpers shared by the areas' tests ----------------------------------------------------

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// An empty directory of this test run.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("deploy-files-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a tool; one that is not installed fails the test and says how to install it.
fn tool(command: &mut Command, install: &str) -> Output {
    let program = command.get_program().to_string_lossy().into_owned();
    command.output().unwrap_or_else(|e| {
        panic!("cannot run {program} ({e}): it is required. {install} (.ci/run installs it)")
    })
}

fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The name libtest knows a test by: `module`, the test's `module_path!()`, without the crate's
/// name, then `name` (`deploy_files::check_config::NAME`). A child process of this test binary
/// runs exactly that test with it and `--exact`.
fn this_test_name(module: &str, name: &str) -> String {
    let module = module.split_once("::").map_or(module, |(_, m)| m);
    format!("{module}::{name}")
}

const YAML_TO_JSON: &str = "\
import json, sys, yaml
with open(sys.argv[1]) as f:
    json.dump([d for d in yaml.safe_load_all(f) if d is not None], sys.stdout)
";

const TOML_TO_JSON: &str = "\
import json, sys, tomllib
with open(sys.argv[1], 'rb') as f:
    json.dump(tomllib.load(f), sys.stdout)
";

/// Converts a file to JSON with a Python script (PyYAML for YAML, tomllib for TOML).
fn python_json(script: &str, file: &Path) -> Value {
    let out = tool(
        Command::new("python3").args(["-c", script]).arg(file),
        PYTHON_TOOLS,
    );
    assert!(
        out.status.success(),
        "{} does not parse:\n{}",
        file.display(),
        output_text(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn yaml_documents(file: &Path) -> Vec<Value> {
    match python_json(YAML_TO_JSON, file) {
        Value::Array(docs) => docs,
        other => panic!("{}: {other}", file.display()),
    }
}

fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value}"))
}

fn array<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}

fn string_map(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let v = v
                        .as_str()
                        .unwrap_or_else(|| panic!("{k}: {v} is not a string"));
                    (k.clone(), v.to_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn rule_groups() -> Vec<Value> {
    let docs = yaml_documents(&repo_path("deploy/prometheus/wagate-rules.yaml"));
    docs[0]["groups"].as_array().unwrap().clone()
}

fn dashboard() -> Value {
    let text = fs::read_to_string(repo_path("deploy/grafana/wagate-dashboard.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn all_panels(panels: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for panel in panels.as_array().map_or(&[][..], Vec::as_slice) {
        out.push(panel);
        out.extend(all_panels(&panel["panels"]));
    }
    out
}

/// Every PromQL expression of the dashboard: panel targets, variable queries, annotations.
fn dashboard_expressions(dashboard: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for panel in all_panels(&dashboard["panels"]) {
        for target in array(panel, "/targets") {
            if let Some(expr) = target["expr"].as_str() {
                out.push((
                    format!("panel \"{}\"", str_at(panel, "/title")),
                    expr.to_owned(),
                ));
            }
        }
    }
    for variable in array(dashboard, "/templating/list") {
        if variable["type"] != "query" {
            continue;
        }
        let query = variable["query"]
            .as_str()
            .or(variable["query"]["query"].as_str())
            .unwrap_or_default();
        // label_values(SELECTOR, LABEL): the selector is PromQL.
        if let Some(selector) = query
            .strip_prefix("label_values(")
            .and_then(|q| q.strip_suffix(')'))
            .and_then(|q| q.rsplit_once(','))
            .map(|(selector, _)| selector)
        {
            out.push((
                format!("variable {}", str_at(variable, "/name")),
                selector.to_owned(),
            ));
        }
    }
    for annotation in array(dashboard, "/annotations/list") {
        if let Some(expr) = annotation["expr"].as_str() {
            out.push((
                format!("annotation {}", str_at(annotation, "/name")),
                expr.to_owned(),
            ));
        }
    }
    out
}

fn manifest_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(repo_path("deploy/kubernetes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every document of deploy/kubernetes, with its kind.
fn manifests() -> Vec<(String, Value)> {
    manifest_files()
        .iter()
        .flat_map(|f| yaml_documents(f))
        .map(|d| (str_at(&d, "/kind").to_owned(), d))
        .collect()
}

fn one<'a>(docs: &'a [(String, Value)], kind: &str) -> &'a Value {
    let found: Vec<&Value> = docs
        .iter()
        .filter(|(k, _)| k == kind)
        .map(|(_, d)| d)
        .collect();
    assert_eq!(found.len(), 1, "one {kind} in deploy/kubernetes");
    found[0]
}

fn wagate_container(deployment: &Value) -> &Value {
    let containers = array(deployment, "/spec/template/spec/containers");
    assert_eq!(containers.len(), 1, "one container");
    assert_eq!(containers[0]["name"], "wagate");
    &containers[0]
}

fn secret_example_keys(secret: &Value) -> BTreeMap<String, String> {
    let mut keys = string_map(&secret["stringData"]);
    keys.extend(string_map(&secret["data"]));
    keys
}
