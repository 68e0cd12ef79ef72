//! `deploy/kubernetes`: the Kubernetes schemas (kubernetes-validate, offline and strict), the
//! ServiceMonitor and the kustomization by hand, and selectors, ports, probes and secrets
//! against each other.

use super::{
    PYTHON_TOOLS, TOML_TO_JSON, array, manifest_files, manifests, one, output_text, python_json,
    scratch, secret_example_keys, str_at, string_map, tool, wagate_container, yaml_documents,
};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::Command;

/// The Kubernetes release the manifests are validated against (bundled by kubernetes-validate).
const KUBERNETES_VERSION: &str = "1.32.0";

#[test]
fn the_kubernetes_manifests_match_the_kubernetes_schemas() {
    let files = manifest_files();
    // kubernetes-validate knows the built-in kinds; the others are checked by hand below.
    let by_hand = ["ServiceMonitor", "Kustomization"];
    let mut validated = Vec::new();
    let mut resources = 0;
    for file in &files {
        let docs = yaml_documents(file);
        assert!(!docs.is_empty(), "{}: no document", file.display());
        if docs.iter().all(|d| by_hand.contains(&str_at(d, "/kind"))) {
            continue;
        }
        resources += docs.len();
        validated.push(file.clone());
    }
    let out = tool(
        Command::new("python3")
            .args([
                "-m",
                "kubernetes_validate",
                "--strict",
                "-k",
                KUBERNETES_VERSION,
            ])
            .args(validated),
        PYTHON_TOOLS,
    );
    let text = output_text(&out);
    assert!(
        out.status.success(),
        "kubernetes-validate (Kubernetes {KUBERNETES_VERSION}, strict):\n{text}"
    );
    // A kind it has no schema for is only a warning to it: here every resource must be checked.
    assert!(
        !text.contains("WARN") && text.matches(" passed for resource ").count() == resources,
        "every resource must pass against a schema:\n{text}"
    );

    let docs = manifests();
    let service = one(&docs, "Service");
    let monitor = one(&docs, "ServiceMonitor");
    assert_eq!(str_at(monitor, "/apiVersion"), "monitoring.coreos.com/v1");
    assert_selects(
        "ServiceMonitor spec.selector",
        &monitor["spec"]["selector"],
        &string_map(&service["metadata"]["labels"]),
    );
    if let Some(names) = monitor.pointer("/spec/namespaceSelector/matchNames") {
        assert!(
            names
                .as_array()
                .is_some_and(|n| n.contains(&service["metadata"]["namespace"])),
            "the ServiceMonitor looks in the Service's namespace"
        );
    }
    let service_ports: Vec<&str> = array(service, "/spec/ports")
        .iter()
        .map(|p| str_at(p, "/name"))
        .collect();
    let endpoints = array(monitor, "/spec/endpoints");
    assert!(
        !endpoints.is_empty(),
        "the ServiceMonitor scrapes something"
    );
    for endpoint in endpoints {
        let port = str_at(endpoint, "/port");
        assert!(
            service_ports.contains(&port),
            "ServiceMonitor port {port} is not a port of the Service ({service_ports:?})"
        );
        assert_eq!(endpoint["path"], "/metrics");
    }
    assert!(
        endpoints.iter().any(|e| e["port"] == "ops"),
        "the ops port is scraped"
    );

    // The kustomization lists every manifest but itself and the example Secret.
    let kustomization = one(&docs, "Kustomization");
    assert_eq!(
        str_at(kustomization, "/apiVersion"),
        "kustomize.config.k8s.io/v1beta1"
    );
    let listed: BTreeSet<&str> = array(kustomization, "/resources")
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let present: BTreeSet<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|f| f != "kustomization.yaml" && f != "secret.example.yaml")
        .collect();
    assert_eq!(
        listed,
        present
            .iter()
            .map(String::as_str)
            .collect::<BTreeSet<&str>>(),
        "kustomization.yaml resources"
    );
}

#[test]
fn the_kubernetes_manifests_agree_with_each_other() {
    let docs = manifests();
    let deployment = one(&docs, "Deployment");
    let pod = &deployment["spec"]["template"];
    let pod_labels = string_map(&pod["metadata"]["labels"]);
    assert_eq!(
        pod_labels.get("app.kubernetes.io/name").map(String::as_str),
        Some("wagate")
    );
    for (kind, doc) in &docs {
        if kind != "Kustomization" {
            assert_eq!(
                string_map(&doc["metadata"]["labels"])
                    .get("app.kubernetes.io/name")
                    .map(String::as_str),
                Some("wagate"),
                "{kind} is labelled app.kubernetes.io/name: wagate"
            );
        }
    }

    // Selectors: all of them pick the Deployment's pods.
    assert_selects(
        "Deployment spec.selector",
        &deployment["spec"]["selector"],
        &pod_labels,
    );
    let selector = string_map(&deployment["spec"]["selector"]["matchLabels"]);
    let service = one(&docs, "Service");
    assert_eq!(str_at(service, "/spec/type"), "ClusterIP");
    assert_eq!(
        string_map(&service["spec"]["selector"]),
        selector,
        "Service selector"
    );
    assert_selects(
        "PodDisruptionBudget",
        &one(&docs, "PodDisruptionBudget")["spec"]["selector"],
        &pod_labels,
    );
    let policy = one(&docs, "NetworkPolicy");
    assert_selects(
        "NetworkPolicy podSelector",
        &policy["spec"]["podSelector"],
        &pod_labels,
    );
    let spec = &pod["spec"];
    let spread = array(spec, "/topologySpreadConstraints");
    assert!(!spread.is_empty(), "topologySpreadConstraints");
    for constraint in spread {
        assert_selects(
            "topologySpreadConstraints",
            &constraint["labelSelector"],
            &pod_labels,
        );
    }
    let pdb = one(&docs, "PodDisruptionBudget");
    assert_eq!(str_at(pdb, "/apiVersion"), "policy/v1");
    assert_eq!(pdb["spec"]["minAvailable"], 1);

    let hpa = one(&docs, "HorizontalPodAutoscaler");
    assert_eq!(str_at(hpa, "/apiVersion"), "autoscaling/v2");
    assert_eq!(
        (
            str_at(hpa, "/spec/scaleTargetRef/kind"),
            str_at(hpa, "/spec/scaleTargetRef/name")
        ),
        ("Deployment", str_at(deployment, "/metadata/name"))
    );
    assert_eq!(
        (&hpa["spec"]["minReplicas"], &hpa["spec"]["maxReplicas"]),
        (&json!(2), &json!(10))
    );
    assert!(
        array(hpa, "/spec/metrics")
            .iter()
            .any(|m| m["resource"]["name"] == "cpu"
                && m["resource"]["target"]["type"] == "Utilization"),
        "the HPA scales on CPU utilisation"
    );
    assert!(deployment["spec"]["replicas"].as_u64().unwrap() >= 2);

    // The container: image, command, ports, probes, hardening, resources.
    let container = wagate_container(deployment);
    assert_eq!(str_at(container, "/image"), "ghcr.io/wagate/wagate:0.1.0");
    assert_eq!(
        container["args"],
        json!(["serve", "--config", "/etc/wagate/wagate.toml"])
    );
    assert_eq!(container_port(container, &json!("http")), 8080);
    assert_eq!(container_port(container, &json!("ops")), 9090);
    for (probe, path) in [
        ("startupProbe", "/healthz/live"),
        ("livenessProbe", "/healthz/live"),
        ("readinessProbe", "/healthz/ready"),
    ] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"], path, "{probe}");
        assert_eq!(
            container_port(container, &get["port"]),
            9090,
            "{probe} asks the ops listener"
        );
    }
    for port in array(service, "/spec/ports") {
        container_port(container, &port["targetPort"]);
    }
    let service_ports: BTreeSet<&str> = array(service, "/spec/ports")
        .iter()
        .map(|p| str_at(p, "/name"))
        .collect();
    assert_eq!(service_ports, BTreeSet::from(["http", "ops"]));

    let security = &container["securityContext"];
    for (key, wanted) in [
        ("runAsNonRoot", json!(true)),
        ("runAsUser", json!(10001)),
        ("seccompProfile", json!({"type": "RuntimeDefault"})),
    ] {
        // The container's setting, else the pod's.
        let set = Some(&security[key])
            .filter(|v| !v.is_null())
            .unwrap_or(&spec["securityContext"][key]);
        assert_eq!(set, &wanted, "securityContext {key}");
    }
    assert_eq!(security["readOnlyRootFilesystem"], true);
    assert_eq!(security["allowPrivilegeEscalation"], false);
    assert_eq!(security["capabilities"]["drop"], json!(["ALL"]));
    for bound in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            assert!(
                container["resources"][bound][resource].is_string(),
                "resources.{bound}.{resource}"
            );
        }
    }
    // wagate drains requests for up to 30 s after SIGTERM.
    assert!(spec["terminationGracePeriodSeconds"].as_u64().unwrap() > 30);

    // The listeners of the ConfigMap's wagate.toml are the container's ports.
    let config = configmap_config(&docs);
    let port_of = |listen: &str| -> u64 {
        listen
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
            .unwrap_or_else(|| panic!("listen address {listen}"))
    };
    assert_eq!(port_of(str_at(&config, "/http/listen")), 8080);
    assert_eq!(port_of(str_at(&config, "/ops/listen")), 9090);
    assert!(str_at(&config, "/issuer").starts_with("https://"));

    // NetworkPolicy: the ports it names exist; ops only from monitoring; the egress wagate needs.
    for rule in array(policy, "/spec/ingress") {
        for port in array(rule, "/ports") {
            container_port(container, &port["port"]);
        }
        if array(rule, "/ports").iter().any(|p| p["port"] == "ops") {
            assert_eq!(
                rule["from"],
                json!([{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]),
                "the ops port is open to the monitoring namespace only"
            );
        }
    }
    let egress: BTreeSet<(u64, &str)> = array(policy, "/spec/egress")
        .iter()
        .flat_map(|rule| array(rule, "/ports"))
        .map(|p| (p["port"].as_u64().unwrap(), str_at(p, "/protocol")))
        .collect();
    for needed in [
        (6379_u64, "TCP"),
        (53, "UDP"),
        (53, "TCP"),
        (443, "TCP"),
        (4318, "TCP"),
    ] {
        assert!(egress.contains(&needed), "egress to {needed:?}");
    }

    // Secrets: every reference names a key of the example Secret, and every key is used.
    let secret = one(&docs, "Secret");
    let secret_name = str_at(secret, "/metadata/name");
    let example = secret_example_keys(secret);
    for (key, value) in &example {
        assert!(
            value.starts_with("REPLACE_ME"),
            "secret.example.yaml {key}: placeholders only, starting with REPLACE_ME"
        );
    }
    let refs = secret_refs(deployment);
    for (name, key, place) in &refs {
        assert_eq!(
            name, secret_name,
            "{place}: the Secret is {secret_name} (secret.example.yaml)"
        );
        assert!(
            example.contains_key(key),
            "{place}: key {key} is not in secret.example.yaml"
        );
    }
    let used: BTreeSet<&str> = refs.iter().map(|(_, key, _)| key.as_str()).collect();
    for key in example.keys() {
        assert!(
            used.contains(key.as_str()),
            "secret.example.yaml has {key}, which the Deployment never reads"
        );
    }
    let secret_env: BTreeSet<&str> = array(container, "/env")
        .iter()
        .filter(|e| e.pointer("/valueFrom/secretKeyRef").is_some())
        .map(|e| str_at(e, "/name"))
        .collect();
    for name in [
        "WAGATE__SIGNING__KEY_ENCRYPTION_KEY",
        "WAGATE__TOTP__ENCRYPTION_KEY",
    ] {
        assert!(secret_env.contains(name), "{name} comes from the Secret");
    }
    for env in array(container, "/env") {
        assert!(
            env.get("value").is_none() || !str_at(env, "/name").contains("KEY"),
            "{}: a key in plain text",
            str_at(env, "/name")
        );
    }
    // The ConfigMap the volumes name holds the file `--config` reads.
    let configmap = one(&docs, "ConfigMap");
    for (name, key) in configmap_refs(deployment) {
        assert_eq!(name, str_at(configmap, "/metadata/name"));
        assert!(
            configmap["data"][&key].is_string(),
            "ConfigMap key {key} missing"
        );
    }
}

/// A selector (`matchLabels`, or a plain map as a Service's) that is not empty and picks pods
/// with these labels.
fn assert_selects(what: &str, selector: &Value, labels: &BTreeMap<String, String>) {
    assert!(
        selector.get("matchExpressions").is_none(),
        "{what}: use matchLabels"
    );
    let wanted = string_map(selector.get("matchLabels").unwrap_or(selector));
    assert!(!wanted.is_empty(), "{what}: empty selector");
    for (key, value) in &wanted {
        assert_eq!(
            labels.get(key),
            Some(value),
            "{what} wants {key}={value}; the pods have {labels:?}"
        );
    }
}

/// The container port a probe, Service or NetworkPolicy names (by name or number).
fn container_port(container: &Value, port: &Value) -> u64 {
    let ports = array(container, "/ports");
    let found = ports.iter().find(|p| match port {
        Value::String(name) => p["name"] == *name,
        number => p["containerPort"] == *number,
    });
    found
        .and_then(|p| p["containerPort"].as_u64())
        .unwrap_or_else(|| panic!("port {port} is not a port of the container"))
}

fn configmap_config(docs: &[(String, Value)]) -> Value {
    let text = str_at(one(docs, "ConfigMap"), "/data/wagate.toml");
    let dir = scratch("configmap-toml");
    let file = dir.join("wagate.toml");
    fs::write(&file, text).unwrap();
    let config = python_json(TOML_TO_JSON, &file);
    let _ = fs::remove_dir_all(dir);
    config
}

/// Every (Secret, key) the Deployment reads, and where.
fn secret_refs(deployment: &Value) -> Vec<(String, String, String)> {
    let spec = &deployment["spec"]["template"]["spec"];
    let mut refs = Vec::new();
    for container in array(spec, "/containers") {
        assert!(
            container.get("envFrom").is_none(),
            "envFrom: list each variable"
        );
        for env in array(container, "/env") {
            if let Some(from) = env.pointer("/valueFrom/secretKeyRef") {
                refs.push((
                    str_at(from, "/name").to_owned(),
                    str_at(from, "/key").to_owned(),
                    format!("env {}", str_at(env, "/name")),
                ));
            }
        }
    }
    for volume in array(spec, "/volumes") {
        let sources: Vec<(String, &Value)> = if let Some(secret) = volume.get("secret") {
            vec![(str_at(secret, "/secretName").to_owned(), secret)]
        } else {
            array(volume, "/projected/sources")
                .iter()
                .filter_map(|s| s.get("secret"))
                .map(|s| (str_at(s, "/name").to_owned(), s))
                .collect()
        };
        for (name, source) in sources {
            let items = array(source, "/items");
            assert!(
                !items.is_empty(),
                "volume {}: list the Secret's items",
                str_at(volume, "/name")
            );
            for item in items {
                refs.push((
                    name.clone(),
                    str_at(item, "/key").to_owned(),
                    format!("volume {}", str_at(volume, "/name")),
                ));
            }
        }
    }
    refs
}

/// Every (ConfigMap, key) the Deployment's volumes read.
fn configmap_refs(deployment: &Value) -> Vec<(String, String)> {
    let mut refs = Vec::new();
    for volume in array(deployment, "/spec/template/spec/volumes") {
        let sources: Vec<&Value> = volume
            .get("configMap")
            .into_iter()
            .chain(
                array(volume, "/projected/sources")
                    .iter()
                    .filter_map(|s| s.get("configMap")),
            )
            .collect();
        for source in sources {
            for item in array(source, "/items") {
                refs.push((
                    str_at(source, "/name").to_owned(),
                    str_at(item, "/key").to_owned(),
                ));
            }
        }
    }
    refs
}
