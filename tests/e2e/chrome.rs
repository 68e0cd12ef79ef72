//! A real browser for the page tests: headless Chromium driven over WebDriver, with axe-core
//! loaded into each page to check it for accessibility.
//!
//! Needs Debian's `chromium` and `chromium-driver`, and axe-core installed with
//! `npm ci --prefix tests/browser`; `.ci/run` sees to both.

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::LazyLock;

/// A phone held upright, and a laptop.
pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 900);

/// How the browser is set up: the languages it asks for and whether it runs scripts.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    pub languages: &'static str,
    pub javascript: bool,
}

/// One browser: its own chromedriver and a fresh profile (no cookies from other tests).
pub struct Chrome {
    driver: Child,
    pub client: Client,
    pub setup: Setup,
}

impl Drop for Chrome {
    fn drop(&mut self) {
        // A killed chromedriver cannot close its browser: the whole process group goes, the
        // browser's processes with it, or every test would leave a browser running.
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Starts chromedriver on a free port and waits until it says which.
fn chromedriver() -> (Child, u16) {
    let mut driver = Command::new("chromedriver")
        .arg("--port=0")
        // Its own process group, which the browser it starts joins (see `Drop`).
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver runs (Debian's chromium-driver; .ci/run installs it)");
    let out = driver.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let port = loop {
        let line = lines.next().expect("chromedriver says it started").unwrap();
        if let Some(rest) = line.split("started successfully on port ").nth(1) {
            break rest.trim_end_matches('.').parse().unwrap();
        }
    };
    // Keep draining what it prints, so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (driver, port)
}

impl Chrome {
    pub async fn open(setup: Setup) -> Chrome {
        let (driver, port) = chromedriver();
        let prefs = json!({ "intl": { "accept_languages": setup.languages } });
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-extensions", "--disable-background-networking",
                    format!("--lang={}", setup.languages.split(',').next().unwrap_or("en")),
                    format!("--window-size={},{}", PHONE.0, PHONE.1),
                ],
                "prefs": prefs,
            }),
        );
        // Plain HTTP to a local chromedriver: no TLS stack needed.
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session starts");
        let chrome = Chrome {
            driver,
            client,
            setup,
        };
        // Pages' own scripts off for the whole session; the test's still run.
        chrome.page_scripts(setup.javascript).await;
        chrome
    }

    async fn page_scripts(&self, on: bool) {
        self.cdp(
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": !on }),
        )
        .await;
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    pub async fn url(&self) -> url::Url {
        self.client.current_url().await.unwrap()
    }

    pub async fn resize(&self, (width, height): (u32, u32)) {
        self.client.set_window_size(width, height).await.unwrap();
    }

    /// Runs `script` (a function body) in the page, as the test, whatever the page's settings.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    pub async fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        element.attr(name).await.unwrap()
    }

    pub async fn has(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
    }

    pub async fn text(&self, css: &str) -> String {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        element.text().await.unwrap()
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        element.clear().await.unwrap();
        element.send_keys(text).await.unwrap();
    }

    pub async fn select(&self, css: &str, value: &str) {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        element.select_by_value(value).await.unwrap();
    }

    /// Clicks something on the page (a box to tick) that leaves the page where it is.
    pub async fn click(&self, css: &str) {
        let element = self.client.find(Locator::Css(css)).await.unwrap();
        element.click().await.unwrap();
    }

    /// Clicks a button or link that leads to another page, and waits until that page has
    /// loaded: the current document is marked first, and the wait is for a loaded one without
    /// the mark.
    pub async fn click_through(&self, css: &str) {
        self.eval("window.wagateTestOldPage = true; return true;")
            .await;
        self.click(css).await;
        let loaded = async {
            loop {
                let fresh = self
                    .client
                    .execute(
                        "return document.readyState === 'complete' && !window.wagateTestOldPage;",
                        vec![],
                    )
                    .await;
                // While the next page is on its way, the question may find no document.
                if matches!(fresh, Ok(Value::Bool(true))) {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(15), loaded)
            .await
            .unwrap_or_else(|_| panic!("clicking {css} led to no new page"));
    }

    /// With `WAGATE_SCREENSHOTS` set to a folder (`scripts/screenshots`), keeps a picture of
    /// the page at a phone's size there as `<name>.png`; otherwise does nothing.
    pub async fn keep_screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("WAGATE_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.unwrap();
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// The page's language and direction, as `lang`/`dir` on its root.
    pub async fn lang_and_dir(&self) -> (String, String) {
        (
            self.attribute("html", "lang").await.unwrap_or_default(),
            self.attribute("html", "dir").await.unwrap_or_default(),
        )
    }

    /// Switches `prefers-color-scheme` for this tab.
    pub async fn color_scheme(&self, scheme: &str) {
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        )
        .await;
    }

    async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_owned(),
                params,
            })
            .await
            .unwrap()
    }

    /// axe-core's WCAG 2.2 A/AA and best-practice findings on the page as it is now, in both
    /// colour schemes, one line per failing element.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let mut found = Vec::new();
        // axe works with timers and promises, which the browser holds while scripts are off;
        // the page is already drawn without its script, and stays so.
        self.page_scripts(true).await;
        for scheme in ["light", "dark"] {
            self.color_scheme(scheme).await;
            self.eval(&AXE).await;
            let result = self.client.execute_async(AXE_RUN, vec![]).await.unwrap();
            for v in result.as_array().unwrap() {
                for node in v["nodes"].as_array().unwrap() {
                    found.push(format!(
                        "[{scheme}] {} ({}): {} at {}",
                        v["id"].as_str().unwrap(),
                        v["impact"].as_str().unwrap_or("?"),
                        v["help"].as_str().unwrap(),
                        node.as_str().unwrap()
                    ));
                }
            }
        }
        self.color_scheme("light").await;
        self.page_scripts(self.setup.javascript).await;
        found
    }

    /// Checks the page at a phone's and a laptop's size; panics with every finding.
    pub async fn assert_accessible(&self, what: &str) {
        let mut found = Vec::new();
        for size in [PHONE, DESKTOP] {
            self.resize(size).await;
            for f in self.accessibility_violations().await {
                found.push(format!("{}x{} {f}", size.0, size.1));
            }
        }
        self.resize(PHONE).await;
        assert!(
            found.is_empty(),
            "{what} ({:?}) has accessibility violations:\n{}",
            self.setup,
            found.join("\n")
        );
    }
}

/// axe-core itself, put into the page by the test (not by the page: its CSP allows no such
/// script, and the test's scripts are not bound by it).
static AXE: LazyLock<String> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/browser/node_modules/axe-core/axe.min.js"
    );
    let source = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}; install it with `npm ci --prefix tests/browser`"));
    format!("{source}\nreturn true;")
});

const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  resultTypes: ["violations"]
}).then(function (r) {
  done(r.violations.map(function (v) {
    return { id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; }) };
  }));
}, function (e) { done([{ id: "axe-error", impact: "critical", help: String(e), nodes: ["document"] }]); });
"#;

/// A Chrome DevTools command through chromedriver's own endpoint.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}
