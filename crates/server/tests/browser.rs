//! The web UI in a real headless Chromium, driven over WebDriver (Debian's
//! `chromium` and `chromium-driver`; fantoccini as the client), on a store
//! built from the bundled example corpus and a server on an ephemeral
//! loopback port.
//!
//! Without chromium or chromedriver the test says so and passes, unless
//! `CHRONICLE_BROWSER_TESTS=require` (set by `.ci/run`, which installs them):
//! then a missing browser fails it. `CHROMEDRIVER` and `CHROMIUM` name other
//! binaries. Screenshots of the story and document pages are written to
//! `target/screenshots/`.

mod support;

use chronicle_server::{AppState, Limits};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TAB: char = '\u{e004}';

/// A binary named by `var`, else the first of `names` on PATH.
fn find_binary(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// chromedriver, killed when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start_driver(binary: &Path) -> (Driver, String) {
    let port = free_port();
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on {port} within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (driver, format!("http://127.0.0.1:{port}"))
}

fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("screenshots")
}

/// The browser's console since the last call (chromedriver's log extension;
/// a CSP violation or a script error is a SEVERE entry).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"type": "browser"}).to_string()),
        )
    }
}

async fn console_errors(c: &Client) -> Vec<String> {
    let log = c.issue_cmd(BrowserLog).await.expect("the browser log");
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn assert_no_console_errors(c: &Client, page: &str) {
    let errors = console_errors(c).await;
    assert!(
        errors.is_empty(),
        "console errors on the {page}: {errors:?}"
    );
}

/// The text of the one element `css` finds.
async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("element text")
}

async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.expect(css) {
        out.push(e.text().await.expect("element text"));
    }
    out
}

async fn no_horizontal_scroll(c: &Client) -> (bool, i64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth <= document.documentElement.clientWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("page widths");
    (v[0].as_bool().unwrap_or(false), v[1].as_i64().unwrap_or(0))
}

/// The layout shift the page has had since it started loading (Chrome's
/// layout-instability entries, buffered): 0 when the server's HTML is final.
async fn layout_shift(c: &Client) -> f64 {
    let script = "var done = arguments[0], total = 0;\
        new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) { if (!e.hadRecentInput) total += e.value; }); })\
        .observe({type: 'layout-shift', buffered: true});\
        setTimeout(function () { done(total); }, 300);";
    c.execute_async(script, vec![])
        .await
        .expect("layout shift")
        .as_f64()
        .unwrap_or(f64::MAX)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_story_page_in_a_real_browser() {
    let required = std::env::var("CHRONICLE_BROWSER_TESTS").is_ok_and(|v| v == "require");
    let driver_bin = find_binary("CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let (Some(driver_bin), Some(chromium)) = (driver_bin, chromium) else {
        assert!(
            !required,
            "CHRONICLE_BROWSER_TESTS=require but chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "SKIPPED browser tests: chromium or chromedriver not found (apt-get install chromium chromium-driver, or set CHROMIUM/CHROMEDRIVER)"
        );
        return;
    };

    let state = AppState::open(support::corpus_db(), Limits::default())
        .expect("the server opens the store");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(chronicle_server::serve_on(listener, state, async {
        let _ = stopped.await;
    }));

    let (_driver, driver_url) = start_driver(&driver_bin);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium.to_string_lossy(),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--hide-scrollbars"]
        }),
    );
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver_url)
        .await
        .expect("a WebDriver session");
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).expect("target/screenshots");

    // The story list links the ferry story, the one several outlets tell with
    // clashing tolls.
    c.goto(&format!("{base}/")).await.expect("the story list");
    assert_no_console_errors(&c, "story list").await;
    let link = c
        .find(Locator::XPath(
            "//ol[@id='stories']//a[contains(., 'Ferry toll')]",
        ))
        .await
        .expect("the ferry story in the list");
    link.click().await.expect("open the story");
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id("timeline"))
        .await
        .expect("the story page");
    assert!(c
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/stories/story-"));
    assert_no_console_errors(&c, "story page").await;
    let shift = layout_shift(&c).await;
    assert!(shift < 0.01, "the story page shifted on load: {shift}");

    // The timeline is in date order.
    let mut dates = Vec::new();
    for li in c.find_all(Locator::Css("#timeline > li")).await.unwrap() {
        if let Some(d) = li.attr("data-date").await.unwrap() {
            dates.push(d);
        }
    }
    assert!(
        dates.len() >= 2,
        "the timeline shows dated events: {dates:?}"
    );
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "timeline in date order: {dates:?}"
    );
    let sources = texts(&c, "#timeline .num-sources").await;
    assert!(
        sources.iter().any(|s| s == "3 sources"),
        "NumSources shown: {sources:?}"
    );

    // The disagreements panel: both tolls, side by side, each with its outlet.
    let panel = text(&c, "#disagreements").await;
    let figures = texts(&c, "#disagreements .figure .value").await;
    assert!(
        figures.contains(&"34".to_string()) && figures.contains(&"41".to_string()),
        "figures: {figures:?}"
    );
    assert!(
        panel.contains("Northgate Herald") && panel.contains("Harbour Post"),
        "outlets: {panel}"
    );
    let evidence = c
        .find_all(Locator::Css("#disagreements a.evidence"))
        .await
        .unwrap();
    assert!(evidence.len() >= 2, "each figure links its evidence");
    c.screenshot()
        .await
        .map(|png| std::fs::write(shots.join("story.png"), png))
        .expect("story screenshot")
        .expect("story screenshot written");

    // Keyboard: Tab from the top reaches the skip link first, then the links
    // of the page, the timeline's among them.
    c.execute(
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0,0);",
        vec![],
    )
    .await
    .unwrap();
    let mut reached_timeline = false;
    let mut first_focus = None;
    for _ in 0..80 {
        c.perform_actions(
            KeyActions::new("keyboard".into())
                .then(KeyAction::Down { value: TAB })
                .then(KeyAction::Up { value: TAB }),
        )
        .await
        .expect("Tab");
        let v: Value = c
            .execute(
                "var a = document.activeElement; return [a.tagName, a.className, !!a.closest('#timeline')];",
                vec![],
            )
            .await
            .unwrap();
        first_focus.get_or_insert(v[1].as_str().unwrap_or_default().to_string());
        if v[2].as_bool() == Some(true) && v[0] == "A" {
            reached_timeline = true;
            break;
        }
    }
    assert_eq!(
        first_focus.as_deref(),
        Some("skip"),
        "the skip link comes first"
    );
    assert!(reached_timeline, "Tab reaches the timeline's links");

    // An event's evidence: its sentence highlighted in the document.
    let sentence_link = c
        .find(Locator::Css("#timeline > li blockquote a.evidence"))
        .await
        .expect("an event's evidence link");
    let sentence = sentence_link.text().await.unwrap();
    sentence_link.click().await.expect("follow the evidence");
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#text .hl"))
        .await
        .expect("the evidence highlighted");
    let url = c.current_url().await.unwrap();
    assert!(
        url.path().starts_with("/documents/")
            && url.fragment().is_some_and(|f| f.starts_with("s=")),
        "{url}"
    );
    let marked = texts(&c, "#text .hl").await.concat();
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = flat(sentence.trim_end_matches('…'));
    assert!(!marked.trim().is_empty(), "something is highlighted");
    assert!(
        shown.contains(&flat(&marked)) || flat(&marked).contains(&shown),
        "the highlight {marked:?} is the event's sentence {shown:?}"
    );
    let details = text(&c, "#details .details-body").await;
    assert!(
        details.to_lowercase().contains("event"),
        "the details name the event: {details}"
    );
    assert_no_console_errors(&c, "document page").await;
    let shift = layout_shift(&c).await;
    assert!(shift < 0.01, "the document page shifted on load: {shift}");
    c.screenshot()
        .await
        .map(|png| std::fs::write(shots.join("document.png"), png))
        .expect("document screenshot")
        .expect("document screenshot written");

    // Clicking a marked stretch of text shows its annotation.
    let claim = c
        .find(Locator::Css("#text .k-claim"))
        .await
        .expect("a claim in the text");
    claim.click().await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#annotations li.current"))
        .await
        .expect("the annotation chosen");
    let details = text(&c, "#details .details-body").await;
    assert!(
        details.contains("KILL") || details.to_lowercase().contains("claim"),
        "{details}"
    );

    // Search, and page through the results one at a time.
    c.goto(&format!("{base}/search?q=ferry&per=1"))
        .await
        .unwrap();
    let first = texts(&c, "#hits a.title").await;
    assert_eq!(first.len(), 1, "one hit per page");
    c.find(Locator::Css("nav.pager a[rel=next]"))
        .await
        .expect("a next page")
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("nav.pager a[rel=prev]"))
        .await
        .expect("page 2");
    let second = texts(&c, "#hits a.title").await;
    assert_eq!(second.len(), 1);
    assert!(c
        .current_url()
        .await
        .unwrap()
        .query()
        .unwrap_or_default()
        .contains("page=2"));
    assert_no_console_errors(&c, "search page").await;

    // 360 px wide: nothing scrolls sideways.
    c.set_window_size(360, 800).await.expect("a narrow window");
    for path in [
        c.find(Locator::XPath("//a[contains(@href, '/documents/')]"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap(),
        "/".to_string(),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        let (fits, width) = no_horizontal_scroll(&c).await;
        assert!(width <= 400, "the window is narrow ({width} px)");
        assert!(fits, "{path} scrolls sideways at {width} px");
        if path.starts_with("/documents/") {
            c.screenshot()
                .await
                .map(|png| std::fs::write(shots.join("document-360.png"), png))
                .expect("narrow document screenshot")
                .expect("narrow document screenshot written");
        }
    }
    c.goto(&format!("{base}/")).await.unwrap();
    let story = c
        .find(Locator::XPath(
            "//ol[@id='stories']//a[contains(., 'Ferry toll')]",
        ))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    c.goto(&format!("{base}{story}")).await.unwrap();
    let (fits, width) = no_horizontal_scroll(&c).await;
    assert!(fits, "the story page scrolls sideways at {width} px");
    c.screenshot()
        .await
        .map(|png| std::fs::write(shots.join("story-360.png"), png))
        .expect("narrow screenshot")
        .expect("narrow screenshot written");
    assert_no_console_errors(&c, "narrow pages").await;

    // A top actor's page: roles over time and a timeline.
    c.set_window_size(1280, 900).await.unwrap();
    let actor = c
        .find(Locator::Css("#actors a"))
        .await
        .expect("a top actor");
    let name = actor.text().await.unwrap();
    actor.click().await.unwrap();
    let h1 = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("h1"))
        .await
        .unwrap();
    assert_eq!(h1.text().await.unwrap(), name);
    c.find(Locator::Id("timeline"))
        .await
        .expect("the actor's timeline");
    assert_no_console_errors(&c, "actor page").await;

    // What changed since a day: the story's later reports.
    c.goto(&format!("{base}{story}?since=2025-03-10"))
        .await
        .unwrap();
    let summary = text(&c, "#since-summary").await;
    assert!(summary.contains("after 2025-03-10"), "{summary}");

    c.close().await.expect("the session ends");
    let _ = stop.send(());
    server
        .await
        .expect("the server task")
        .expect("the server stops cleanly");
}
