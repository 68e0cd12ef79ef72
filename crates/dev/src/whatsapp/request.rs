//! Reading a send request. wagate must send exactly the authentication-template message the
//! research notes describe, so the fake accepts that shape and nothing else: any drift (a
//! missing button, a '+' in `to`, a field too many, codes that differ) is refused here with a
//! detail naming it, instead of being "delivered" by a lenient fake and failing at Meta.

use serde_json::Value;

/// What a valid send request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    pub to: String,
    pub template: String,
    pub language: String,
    pub code: String,
}

/// The request, or what is wrong with it (for `error_data.details`).
pub fn parse(body: &[u8]) -> Result<SendRequest, String> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    exact_keys(
        &v,
        "",
        &[
            "messaging_product",
            "recipient_type",
            "to",
            "type",
            "template",
        ],
    )?;
    equals(&v, "", "messaging_product", "whatsapp")?;
    equals(&v, "", "recipient_type", "individual")?;
    equals(&v, "", "type", "template")?;
    let to = text(&v, "", "to")?;
    if !(8..=15).contains(&to.len()) || !to.bytes().all(|b| b.is_ascii_digit()) {
        return Err("to must be 8 to 15 digits, without '+' or spaces".to_owned());
    }
    let template = &v["template"];
    exact_keys(template, "template", &["name", "language", "components"])?;
    let name = text(template, "template", "name")?;
    exact_keys(&template["language"], "template.language", &["code"])?;
    let language = text(&template["language"], "template.language", "code")?;
    let code = codes(&template["components"])?;
    Ok(SendRequest {
        to: to.to_owned(),
        template: name.to_owned(),
        language: language.to_owned(),
        code,
    })
}

/// The code, from the body component and the copy-code button, which must carry the same one.
fn codes(components: &Value) -> Result<String, String> {
    let at = "template.components";
    let Some([body, button]) = components.as_array().map(Vec::as_slice) else {
        return Err(format!("{at} must hold a body and a button component"));
    };
    let body_at = format!("{at}[0]");
    exact_keys(body, &body_at, &["type", "parameters"])?;
    equals(body, &body_at, "type", "body")?;
    let code = parameter(body, &body_at)?;
    let button_at = format!("{at}[1]");
    exact_keys(
        button,
        &button_at,
        &["type", "sub_type", "index", "parameters"],
    )?;
    equals(button, &button_at, "type", "button")?;
    equals(button, &button_at, "sub_type", "url")?;
    equals(button, &button_at, "index", "0")?;
    if parameter(button, &button_at)? != code {
        return Err("the button's code differs from the body's code".to_owned());
    }
    if !(4..=15).contains(&code.chars().count()) {
        return Err("the code must have 4 to 15 characters".to_owned());
    }
    Ok(code.to_owned())
}

/// The text of a component's one text parameter.
fn parameter<'a>(component: &'a Value, at: &str) -> Result<&'a str, String> {
    let Some([parameter]) = component["parameters"].as_array().map(Vec::as_slice) else {
        return Err(format!("{at}.parameters must hold one parameter"));
    };
    let at = format!("{at}.parameters[0]");
    exact_keys(parameter, &at, &["type", "text"])?;
    equals(parameter, &at, "type", "text")?;
    text(parameter, &at, "text")
}

fn name(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

/// `v` is an object with exactly `keys`.
fn exact_keys(v: &Value, at: &str, keys: &[&str]) -> Result<(), String> {
    let Some(object) = v.as_object() else {
        let at = if at.is_empty() { "the body" } else { at };
        return Err(format!("{at} must be an object"));
    };
    if let Some(missing) = keys.iter().find(|k| !object.contains_key(**k)) {
        return Err(format!("{} is missing", name(at, missing)));
    }
    match object.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(extra) => Err(format!("{} is not expected", name(at, extra))),
        None => Ok(()),
    }
}

/// A non-empty string.
fn text<'a>(v: &'a Value, at: &str, key: &str) -> Result<&'a str, String> {
    v[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("{} must be a non-empty string", name(at, key)))
}

fn equals(v: &Value, at: &str, key: &str, expected: &str) -> Result<(), String> {
    if v[key] == expected {
        Ok(())
    } else {
        Err(format!("{} must be \"{expected}\"", name(at, key)))
    }
}
