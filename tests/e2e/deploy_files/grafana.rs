//! `deploy/grafana`: the dashboard's structure, and every expression parsed by promtool.

use super::{
    PROMTOOL, all_panels, array, dashboard, dashboard_expressions, output_text, scratch, str_at,
    tool,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

#[test]
fn the_dashboard_is_well_formed_and_its_queries_parse() {
    let dashboard = dashboard();
    assert!(
        dashboard.get("__inputs").is_none(),
        "no __inputs: the datasource is a variable"
    );
    assert!(!str_at(&dashboard, "/title").is_empty());
    assert!(!str_at(&dashboard, "/uid").is_empty());
    assert!(dashboard["schemaVersion"].as_u64().unwrap() >= 39);
    let variables = array(&dashboard, "/templating/list");
    let variable = |name: &str| {
        variables
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("template variable {name}"))
    };
    let datasource = variable("datasource");
    assert_eq!(
        (&datasource["type"], &datasource["query"]),
        (&json!("datasource"), &json!("prometheus"))
    );
    for name in ["instance", "channel"] {
        assert_eq!(variable(name)["type"], "query", "{name}");
        assert_eq!(variable(name)["datasource"]["uid"], "${datasource}");
    }

    let panels = all_panels(&dashboard["panels"]);
    assert!(panels.len() > 10, "the dashboard has panels");
    let mut ids = BTreeSet::new();
    for panel in &panels {
        let title = str_at(panel, "/title");
        let id = panel["id"]
            .as_u64()
            .unwrap_or_else(|| panic!("{title}: id"));
        assert!(ids.insert(id), "panel id {id} ({title}) is used twice");
        assert!(panel["gridPos"]["w"].is_u64(), "{title}: gridPos");
        if panel["type"] == "row" {
            continue;
        }
        assert_eq!(
            panel["datasource"]["uid"], "${datasource}",
            "{title}: datasource"
        );
        let targets = array(panel, "/targets");
        assert!(!targets.is_empty(), "{title}: no targets");
        let mut refs = BTreeSet::new();
        for target in targets {
            assert!(
                !str_at(target, "/expr").trim().is_empty(),
                "{title}: empty expr"
            );
            assert!(
                refs.insert(str_at(target, "/refId")),
                "{title}: refId twice"
            );
            assert_eq!(
                target["datasource"]["uid"], "${datasource}",
                "{title}: target datasource"
            );
        }
    }

    // Every expression is valid PromQL: promtool parses them as recording rules, Grafana's
    // interval variables made durations.
    let rules: Vec<Value> = dashboard_expressions(&dashboard)
        .into_iter()
        .enumerate()
        .map(|(i, (_, expr))| {
            let expr = expr
                .replace("$__rate_interval", "5m")
                .replace("$__interval", "1m")
                .replace("$__range", "1h");
            json!({"record": format!("dashboard:expression_{i}:check"), "expr": expr})
        })
        .collect();
    let dir = scratch("dashboard");
    let file = dir.join("dashboard-expressions.yaml");
    // JSON is YAML.
    fs::write(
        &file,
        json!({"groups": [{"name": "dashboard", "rules": rules}]}).to_string(),
    )
    .unwrap();
    let out = tool(
        Command::new("promtool").args(["check", "rules"]).arg(file),
        PROMTOOL,
    );
    assert!(
        out.status.success(),
        "a dashboard expression is not valid PromQL:\n{}",
        output_text(&out)
    );
    let _ = fs::remove_dir_all(dir);
}
