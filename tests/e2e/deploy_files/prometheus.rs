//! `deploy/prometheus`: `promtool check rules`, the rules' unit tests (`promtool test rules`),
//! and the alerts the runbook lists, each with its severity and annotations.

use super::{PROMTOOL, output_text, repo_path, rule_groups, str_at, tool};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

const RUNBOOK: &str = "https://github.com/wagate/wagate/blob/main/docs/operations.md#";

#[test]
fn the_rules_pass_promtool_and_their_unit_tests() {
    let rules = repo_path("deploy/prometheus/wagate-rules.yaml");
    let tests = repo_path("deploy/prometheus/wagate-rules.test.yaml");
    let checked = tool(
        Command::new("promtool").args(["check", "rules"]).arg(rules),
        PROMTOOL,
    );
    assert!(
        checked.status.success(),
        "promtool check rules failed:\n{}",
        output_text(&checked)
    );
    let tested = tool(
        Command::new("promtool").args(["test", "rules"]).arg(tests),
        PROMTOOL,
    );
    assert!(
        tested.status.success() && output_text(&tested).contains("SUCCESS"),
        "promtool test rules failed:\n{}",
        output_text(&tested)
    );
}

#[test]
fn the_rules_record_and_alert_what_the_runbook_lists() {
    let groups = rule_groups();
    let records: BTreeSet<&str> = rule_group(&groups, "wagate-recording")
        .iter()
        .map(|r| str_at(r, "/record"))
        .collect();
    for record in [
        "wagate:codes_sent:rate5m",
        "wagate:codes_verified:rate5m",
        "wagate:codes_abandoned:rate1h",
        "wagate:http_5xx:ratio_rate5m",
    ] {
        assert!(records.contains(record), "recording rule {record} missing");
    }
    for record in &records {
        let parts: Vec<&str> = record.split(':').collect();
        assert!(
            parts.len() == 3 && parts[0] == "wagate" && parts.iter().all(|p| !p.is_empty()),
            "{record}: recording rules are named wagate:metric:operations"
        );
    }

    let alerts = rule_group(&groups, "wagate-alerts");
    let names: BTreeSet<&str> = alerts.iter().map(|a| str_at(a, "/alert")).collect();
    let expected: BTreeSet<&str> = [
        "WagateHigh5xxRate",
        "WagateDeliveryFailures",
        "WagateRedisUnreachable",
        "WagateSigningKeyDueForRotation",
        "WagateSendCapsTripping",
        "WagateConfigReloadFailed",
        "WagateInstanceDown",
    ]
    .into_iter()
    .collect();
    assert_eq!(names, expected, "the alerts the runbook explains");
    for alert in alerts {
        let name = str_at(alert, "/alert");
        assert!(
            ["critical", "warning"].contains(&str_at(alert, "/labels/severity")),
            "{name}: severity is critical or warning"
        );
        assert!(
            alert["for"].as_str().is_some_and(|f| !f.is_empty()),
            "{name}: has a `for:` duration"
        );
        for annotation in ["summary", "description"] {
            assert!(
                !str_at(alert, &format!("/annotations/{annotation}"))
                    .trim()
                    .is_empty(),
                "{name}: {annotation}"
            );
        }
        // The runbook's section of each alert is its heading, `### WagateHigh5xxRate`.
        assert_eq!(
            str_at(alert, "/annotations/runbook_url"),
            format!("{RUNBOOK}{}", name.to_lowercase()),
            "{name}: runbook_url"
        );
    }
}

fn rule_group<'a>(groups: &'a [Value], name: &str) -> &'a [Value] {
    groups
        .iter()
        .find(|g| g["name"] == name)
        .and_then(|g| g["rules"].as_array())
        .map(Vec::as_slice)
        .unwrap_or_else(|| panic!("no rule group {name}"))
}
