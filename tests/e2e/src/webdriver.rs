//! A minimal W3C WebDriver client over reqwest, for WebKitWebDriver: what the E2E test, the tour and the bench need
//! (session, find, click, keys, text, execute, screenshot), every call bounded in time.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// The W3C key of an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long one WebDriver call may take (session creation launches the app: longer).
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// Waits until the driver's `/status` answers, at most `limit`.
///
/// # Errors
/// When it does not answer in time.
pub async fn wait_ready(base: &str, limit: Duration) -> Result<()> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).build()?;
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(response) = http.get(format!("{base}/status")).send().await
            && response.status().is_success()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the WebDriver server at {base} did not answer /status within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One WebDriver session: one running app.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    session: String,
    closed: bool,
    /// The script timeout last set (WebDriver's default is 30 s).
    script_timeout: std::sync::Mutex<Duration>,
}

impl Client {
    /// Creates a session whose browser is `binary` (WebKitWebDriver starts it and connects to its webview).
    ///
    /// # Errors
    /// When the driver refuses or the app does not start.
    pub async fn start(base: &str, binary: &Path) -> Result<Client> {
        let http = reqwest::Client::builder().build()?;
        let base = base.trim_end_matches('/').to_owned();
        let capabilities = json!({
            "capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": {
                "binary": binary.to_string_lossy(), "args": []
            }}}
        });
        let response = http
            .post(format!("{base}/session"))
            .timeout(CALL_TIMEOUT)
            .json(&capabilities)
            .send()
            .await
            .with_context(|| format!("WebDriver {base} unreachable"))?;
        let body: Value = response.json().await.context("WebDriver answered no JSON to new session")?;
        let session = body["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("WebDriver refused the session: {body}"))?
            .to_owned();
        Ok(Client {
            http,
            base,
            session,
            closed: false,
            script_timeout: std::sync::Mutex::new(Duration::from_secs(30)),
        })
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value> {
        self.call_within(method, path, body, CALL_TIMEOUT).await
    }

    async fn call_within(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        limit: Duration,
    ) -> Result<Value> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method.clone(), &url).timeout(limit);
        if let Some(body) = body {
            request = request.json(&body);
        } else if method == reqwest::Method::POST {
            request = request.json(&json!({}));
        }
        let response = request.send().await.with_context(|| format!("WebDriver {method} {path}"))?;
        let status = response.status();
        let body: Value = response.json().await.with_context(|| format!("WebDriver {method} {path}: no JSON"))?;
        if !status.is_success() {
            let error = body["value"]["error"].as_str().unwrap_or("unknown error");
            let message = body["value"]["message"].as_str().unwrap_or_default();
            return Err(WebDriverError { error: error.to_owned(), message: message.to_owned() })
                .with_context(|| format!("WebDriver {method} {path}"));
        }
        Ok(body["value"].clone())
    }

    /// The first element matching the CSS `selector`, if any.
    ///
    /// # Errors
    /// When the driver fails otherwise.
    pub async fn find(&self, selector: &str) -> Result<Option<String>> {
        let body = json!({"using": "css selector", "value": selector});
        match self.call(reqwest::Method::POST, "/element", Some(body)).await {
            Ok(value) => Ok(value[ELEMENT_KEY].as_str().map(str::to_owned)),
            Err(error) if is_webdriver_error(&error, "no such element") => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Every element matching `selector`.
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn find_all(&self, selector: &str) -> Result<Vec<String>> {
        let body = json!({"using": "css selector", "value": selector});
        let value = self.call(reqwest::Method::POST, "/elements", Some(body)).await?;
        Ok(value
            .as_array()
            .map(|items| items.iter().filter_map(|item| item[ELEMENT_KEY].as_str().map(str::to_owned)).collect())
            .unwrap_or_default())
    }

    /// Waits (at most `limit`) for an element matching `selector` and returns it.
    ///
    /// # Errors
    /// When none appears in time: the message names `what` and shows the page's route and text.
    pub async fn wait_element(&self, selector: &str, limit: Duration, what: &str) -> Result<String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(element) = self.find(selector).await? {
                return Ok(element);
            }
            if Instant::now() > deadline {
                bail!("{what}: no `{selector}` within {limit:?}; {}", self.describe().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls the JavaScript `expression` (evaluated as `return (expression)`) until it yields something other than
    /// `null`, `undefined`, `false` or `""`, at most `limit`; returns that value.
    ///
    /// # Errors
    /// When it never does: the message names `what`, shows the last value and the page's route and text.
    pub async fn wait_js(&self, expression: &str, limit: Duration, what: &str) -> Result<Value> {
        let deadline = Instant::now() + limit;
        let script = format!("return ({expression});");
        let mut last: Value;
        loop {
            match self.execute(&script, &[]).await {
                Ok(value) if truthy(&value) => return Ok(value),
                Ok(value) => last = value,
                Err(error) => last = Value::String(format!("{error:#}")),
            }
            if Instant::now() > deadline {
                bail!("{what}: `{expression}` not true within {limit:?} (last: {last}); {}", self.describe().await);
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// The route and the first 600 characters of the page's text, for error messages.
    pub async fn describe(&self) -> String {
        let script = "return location.hash + ' | ' + (document.body ? document.body.innerText : '').slice(0, 600);";
        match self.execute(script, &[]).await {
            Ok(Value::String(text)) => format!("page: {}", text.replace('\n', " ⏎ ")),
            Ok(other) => format!("page: {other}"),
            Err(error) => format!("page unknown ({error:#})"),
        }
    }

    /// Clicks `element`.
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn click(&self, element: &str) -> Result<()> {
        self.call(reqwest::Method::POST, &format!("/element/{element}/click"), None).await.map(drop)
    }

    /// Waits for `selector` (at most `limit`) and clicks it. When the page renders the element again between finding
    /// and clicking it (a list refreshed by a sync, a tab loading its rows), the driver answers "stale element
    /// reference"; the element is then found again and clicked, until `limit` has passed.
    ///
    /// # Errors
    /// When it does not appear or the click fails.
    pub async fn click_on(&self, selector: &str, limit: Duration) -> Result<()> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let element = self.wait_element(selector, left, &format!("click {selector}")).await?;
            match self.click(&element).await {
                Err(error) if is_webdriver_error(&error, "stale element reference") && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                result => return result,
            }
        }
    }

    /// Clears an input.
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn clear(&self, element: &str) -> Result<()> {
        self.call(reqwest::Method::POST, &format!("/element/{element}/clear"), None).await.map(drop)
    }

    /// Types `text` into `element`.
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn send_keys(&self, element: &str, text: &str) -> Result<()> {
        let body = json!({"text": text});
        self.call(reqwest::Method::POST, &format!("/element/{element}/value"), Some(body)).await.map(drop)
    }

    /// The rendered text of `element`.
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn text(&self, element: &str) -> Result<String> {
        let value = self.call(reqwest::Method::GET, &format!("/element/{element}/text"), None).await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns its result.
    ///
    /// # Errors
    /// When the script throws or the driver fails.
    pub async fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        let body = json!({"script": script, "args": args});
        self.call(reqwest::Method::POST, "/execute/sync", Some(body)).await
    }

    /// Runs `script` asynchronously: it calls `arguments[arguments.length - 1](result)` when done. The HTTP call
    /// waits up to the script timeout set with [`Client::set_script_timeout`] (plus 20 s).
    ///
    /// # Errors
    /// When the script throws, times out (the driver's script timeout) or the driver fails.
    pub async fn execute_async(&self, script: &str, args: &[Value]) -> Result<Value> {
        let body = json!({"script": script, "args": args});
        let limit = CALL_TIMEOUT.max(*self.script_timeout.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        self.call_within(reqwest::Method::POST, "/execute/async", Some(body), limit + Duration::from_secs(20)).await
    }

    /// Sets the script timeout (for `execute_async`).
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn set_script_timeout(&self, limit: Duration) -> Result<()> {
        let millis = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        self.call(reqwest::Method::POST, "/timeouts", Some(json!({"script": millis}))).await?;
        *self.script_timeout.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = limit;
        Ok(())
    }

    /// A PNG of the window.
    ///
    /// # Errors
    /// When the driver fails or answers no base64.
    pub async fn screenshot(&self) -> Result<Vec<u8>> {
        let value = self.call(reqwest::Method::GET, "/screenshot", None).await?;
        let text = value.as_str().ok_or_else(|| anyhow!("screenshot: no base64 string"))?;
        STANDARD.decode(text).context("screenshot: bad base64")
    }

    /// Ends the session: WebKitWebDriver closes the app.
    ///
    /// # Errors
    /// When the driver fails.
    pub async fn close(mut self) -> Result<()> {
        self.closed = true;
        let url = format!("{}/session/{}", self.base, self.session);
        self.http.delete(&url).send().await.context("WebDriver DELETE session")?;
        Ok(())
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        // A session left open keeps the app running; end it without an async context (best effort, bounded).
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            runtime.block_on(async {
                if let Ok(http) = reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
                    let _ = http.delete(&url).send().await;
                }
            });
        })
        .join();
    }
}

/// An error answered by the WebDriver server.
#[derive(Debug)]
pub struct WebDriverError {
    /// The W3C error code, e.g. `no such element`.
    pub error: String,
    /// The server's message.
    pub message: String,
}

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

impl std::error::Error for WebDriverError {}

/// Whether `error` is the WebDriver error code `code` (W3C WebDriver §6.6, e.g. "stale element reference").
fn is_webdriver_error(error: &anyhow::Error, code: &str) -> bool {
    error.chain().any(|cause| cause.downcast_ref::<WebDriverError>().is_some_and(|e| e.error == code))
}

/// JavaScript truthiness of a JSON value (objects and arrays count as true).
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::Array(_) | Value::Object(_) => true,
    }
}
