//! A proxy-wasm 0.2.5 fixture filter for scrim-host's tests.
//!
//! The plugin configuration is JSON: `{"mode": "<mode>", ...}`. Modes:
//! `passthrough`, `buffer-upper`, `stream-upper`, `local-reply`, `mid-edit`,
//! `late-request-header`, `panic`, `loop`, `metrics`, `property` (with `"property": "a.b"`),
//! `env` (with `"env": "NAME"`), `wrap` (buffer, then prepend `<` and append `>`),
//! `hold-response-headers` (pause response headers forever), `late-local-reply` (try a local
//! reply from the response body), `pause-until-tick` (pause request headers; the next tick
//! resumes the stream), `continue-inline` (continue, then still edit the request headers in
//! the same callback), `wasi` (print to stdout/stderr, echo both clocks in response headers).
//! `reset` (close the stream from the request headers). An unknown mode makes `on_configure`
//! return false.
//!
//! Build: `cargo build -p scrim-test-filter --target wasm32-wasip1 --profile wasm-release`.

use std::cell::RefCell;
use std::rc::Rc;

use proxy_wasm::hostcalls;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel, MetricType};

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| Box::new(Root { config: Rc::new(Config::default()), paused: Rc::default() }));
}}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Mode {
    #[default]
    Passthrough,
    BufferUpper,
    StreamUpper,
    LocalReply,
    MidEdit,
    LateRequestHeader,
    Panic,
    Loop,
    Metrics,
    Property,
    Env,
    Wrap,
    HoldResponseHeaders,
    LateLocalReply,
    PauseUntilTick,
    ContinueInline,
    Wasi,
    Reset,
}

#[derive(Default)]
struct Config {
    mode: Mode,
    property: Vec<String>,
    env: String,
    metrics: [u32; 3],
}

struct Root {
    config: Rc<Config>,
    /// Streams paused in `pause-until-tick` mode, resumed by the next tick.
    paused: Rc<RefCell<Vec<u32>>>,
}

impl Context for Root {}

impl RootContext for Root {
    fn on_vm_start(&mut self, _size: usize) -> bool {
        if let Some(cfg) = self.get_vm_configuration() {
            log::info!("vm config: {}", String::from_utf8_lossy(&cfg));
        }
        true
    }

    fn on_configure(&mut self, _size: usize) -> bool {
        let raw = self.get_plugin_configuration().unwrap_or_default();
        let value: serde_json::Value = match serde_json::from_slice(&raw) {
            Ok(v) => v,
            Err(e) => {
                log::error!("invalid plugin configuration: {e}");
                return false;
            }
        };
        let mode = match value
            .get("mode")
            .and_then(|m| m.as_str())
            .unwrap_or("passthrough")
        {
            "passthrough" => Mode::Passthrough,
            "buffer-upper" => Mode::BufferUpper,
            "stream-upper" => Mode::StreamUpper,
            "local-reply" => Mode::LocalReply,
            "mid-edit" => Mode::MidEdit,
            "late-request-header" => Mode::LateRequestHeader,
            "panic" => Mode::Panic,
            "loop" => Mode::Loop,
            "metrics" => Mode::Metrics,
            "property" => Mode::Property,
            "env" => Mode::Env,
            "wrap" => Mode::Wrap,
            "hold-response-headers" => Mode::HoldResponseHeaders,
            "late-local-reply" => Mode::LateLocalReply,
            "pause-until-tick" => Mode::PauseUntilTick,
            "continue-inline" => Mode::ContinueInline,
            "wasi" => Mode::Wasi,
            "reset" => Mode::Reset,
            other => {
                log::error!("unknown mode `{other}`");
                return false;
            }
        };
        let mut config = Config {
            mode,
            property: value
                .get("property")
                .and_then(|p| p.as_str())
                .map(|p| p.split('.').map(str::to_owned).collect())
                .unwrap_or_default(),
            env: value
                .get("env")
                .and_then(|e| e.as_str())
                .unwrap_or("")
                .to_owned(),
            metrics: [0; 3],
        };
        if mode == Mode::Metrics {
            let define = |t, n| hostcalls::define_metric(t, n).unwrap_or(0);
            config.metrics = [
                define(MetricType::Counter, "requests_total"),
                define(MetricType::Gauge, "in_flight"),
                define(MetricType::Histogram, "response_body_bytes"),
            ];
        }
        if mode == Mode::PauseUntilTick {
            self.set_tick_period(std::time::Duration::from_millis(10));
        }
        log::info!("configured");
        self.config = Rc::new(config);
        true
    }

    fn on_tick(&mut self) {
        for id in self.paused.borrow_mut().drain(..) {
            let _ = hostcalls::set_effective_context(id);
            let _ = hostcalls::resume_http_request();
        }
    }

    fn create_http_context(&self, context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Filter {
            id: context_id,
            config: self.config.clone(),
            seen: Vec::new(),
            paused: self.paused.clone(),
        }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Filter {
    id: u32,
    config: Rc<Config>,
    seen: Vec<(String, String)>,
    paused: Rc<RefCell<Vec<u32>>>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Filter {
    fn read_property(&self) -> String {
        let path: Vec<&str> = self.config.property.iter().map(String::as_str).collect();
        match hostcalls::get_property(path) {
            Ok(Some(v)) => hex(&v),
            Ok(None) => "absent".to_owned(),
            Err(s) => format!("error {s:?}"),
        }
    }
}

impl Context for Filter {}

impl HttpContext for Filter {
    fn on_http_request_headers(&mut self, _n: usize, _eos: bool) -> Action {
        match self.config.mode {
            Mode::LocalReply => {
                self.send_http_response(403, vec![("x-scrim", "denied")], Some(b"denied"));
                Action::Pause
            }
            Mode::Panic => panic!("boom in request headers of context {}", self.id),
            Mode::Loop => {
                let mut i: u64 = 0;
                loop {
                    i = std::hint::black_box(i.wrapping_add(1));
                }
            }
            Mode::BufferUpper => {
                self.set_http_request_header("content-length", None);
                Action::Continue
            }
            Mode::Metrics => {
                let _ = hostcalls::increment_metric(self.config.metrics[0], 1);
                let _ = hostcalls::increment_metric(self.config.metrics[1], 1);
                Action::Continue
            }
            Mode::Property => {
                let v = self.read_property();
                self.seen.push(("x-property-request".to_owned(), v));
                Action::Continue
            }
            Mode::Reset => {
                self.reset_http_request();
                Action::Continue
            }
            Mode::PauseUntilTick => {
                self.paused.borrow_mut().push(self.id);
                Action::Pause
            }
            Mode::ContinueInline => {
                // Envoy defers the continue until this callback returns, so this edit still counts.
                self.resume_http_request();
                self.set_http_request_header("x-after-continue", Some("1"));
                Action::Pause
            }
            Mode::LateRequestHeader => {
                let v = self
                    .get_http_request_header("x-user")
                    .unwrap_or_else(|| "absent".to_owned());
                self.seen.push(("x-early".to_owned(), v));
                Action::Continue
            }
            _ => Action::Continue,
        }
    }

    fn on_http_request_body(&mut self, size: usize, eos: bool) -> Action {
        log::debug!("request body size {size} eos {eos}");
        match self.config.mode {
            Mode::BufferUpper => {
                if !eos {
                    return Action::Pause;
                }
                let body = self.get_http_request_body(0, size).unwrap_or_default();
                self.set_http_request_body(0, size, &body.to_ascii_uppercase());
                Action::Continue
            }
            Mode::StreamUpper => {
                let body = self.get_http_request_body(0, size).unwrap_or_default();
                self.set_http_request_body(0, size, &body.to_ascii_uppercase());
                Action::Continue
            }
            _ => Action::Continue,
        }
    }

    fn on_http_response_headers(&mut self, _n: usize, _eos: bool) -> Action {
        match self.config.mode {
            Mode::BufferUpper | Mode::StreamUpper => {
                self.set_http_response_header("content-length", None);
            }
            Mode::LocalReply => {
                let status = self.get_http_response_header(":status").unwrap_or_default();
                self.set_http_response_header("x-filter-saw-status", Some(&status));
            }
            Mode::LateRequestHeader => {
                let key = "x-user";
                let (mut ptr, mut len) = (std::ptr::null_mut::<u8>(), 0usize);
                // Raw call: the SDK would panic on the status instead of returning it.
                let status = unsafe {
                    raw::proxy_get_header_map_value(0, key.as_ptr(), key.len(), &mut ptr, &mut len)
                };
                let v = format!("status {status}");
                log::warn!("late request header read: {v}");
                let (mut ptr, mut len) = (std::ptr::null_mut::<u8>(), 0usize);
                let status = unsafe { raw::proxy_get_buffer_bytes(1, 0, 16, &mut ptr, &mut len) };
                log::warn!("response body read in headers callback: status {status}");
                self.set_http_response_header("x-late", Some(&v));
                for (k, v) in std::mem::take(&mut self.seen) {
                    self.set_http_response_header(&k, Some(&v));
                }
            }
            Mode::HoldResponseHeaders => return Action::Pause,
            Mode::Wasi => {
                println!("hello from stdout");
                eprintln!("hello from stderr");
                let nanos = |t: std::time::SystemTime| {
                    t.duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_nanos())
                };
                let wasi = nanos(std::time::SystemTime::now()).to_string();
                let proxy = nanos(self.get_current_time()).to_string();
                self.set_http_response_header("x-time-wasi", Some(&wasi));
                self.set_http_response_header("x-time-proxy", Some(&proxy));
            }
            Mode::Property => {
                let v = self.read_property();
                self.seen.push(("x-property-response".to_owned(), v));
                for (k, v) in std::mem::take(&mut self.seen) {
                    self.set_http_response_header(&k, Some(&v));
                }
            }
            Mode::Env => {
                let v = std::env::var(&self.config.env).unwrap_or_else(|_| "absent".to_owned());
                self.set_http_response_header("x-env", Some(&v));
            }
            _ => {}
        }
        Action::Continue
    }

    fn on_http_response_body(&mut self, size: usize, eos: bool) -> Action {
        match self.config.mode {
            Mode::BufferUpper => {
                if !eos {
                    return Action::Pause;
                }
                let body = self.get_http_response_body(0, size).unwrap_or_default();
                self.set_http_response_body(0, size, &body.to_ascii_uppercase());
                Action::Continue
            }
            Mode::StreamUpper => {
                let body = self.get_http_response_body(0, size).unwrap_or_default();
                self.set_http_response_body(0, size, &body.to_ascii_uppercase());
                Action::Continue
            }
            Mode::MidEdit => {
                if !eos {
                    return Action::Pause;
                }
                // Envoy refuses an edit that starts inside the buffer; the SDK panics on it.
                self.set_http_response_body(1, 1, b"X");
                Action::Continue
            }
            Mode::Wrap => {
                if !eos {
                    return Action::Pause;
                }
                self.set_http_response_body(0, 0, b"<");
                self.set_http_response_body(size + 1, 0, b">");
                Action::Continue
            }
            Mode::LateRequestHeader => {
                let (k, v) = ("x-late-body", "1");
                // Raw call: the SDK would panic on the status instead of returning it.
                let status = unsafe {
                    raw::proxy_replace_header_map_value(2, k.as_ptr(), k.len(), v.as_ptr(), v.len())
                };
                log::warn!("late response header write: status {status}");
                Action::Continue
            }
            Mode::LateLocalReply => {
                let empty_map = [0u8; 4];
                let status = unsafe {
                    raw::proxy_send_local_response(
                        500,
                        std::ptr::null(),
                        0,
                        std::ptr::null(),
                        0,
                        empty_map.as_ptr(),
                        4,
                        -1,
                    )
                };
                log::warn!("late local reply: status {status}");
                Action::Continue
            }
            Mode::Metrics => {
                if eos {
                    let _ = hostcalls::record_metric(self.config.metrics[2], size as u64);
                }
                Action::Continue
            }
            _ => Action::Continue,
        }
    }

    fn on_log(&mut self) {
        if self.config.mode == Mode::Metrics {
            let _ = hostcalls::increment_metric(self.config.metrics[1], -1);
        }
    }
}

/// Host functions called directly, to observe the status the SDK would turn into a panic.
mod raw {
    #[link(wasm_import_module = "env")]
    unsafe extern "C" {
        pub fn proxy_get_buffer_bytes(
            buffer_type: u32,
            start: usize,
            max_size: usize,
            ret: *mut *mut u8,
            ret_len: *mut usize,
        ) -> u32;
        pub fn proxy_get_header_map_value(
            map_type: u32,
            key: *const u8,
            key_len: usize,
            ret: *mut *mut u8,
            ret_len: *mut usize,
        ) -> u32;
        pub fn proxy_replace_header_map_value(
            map_type: u32,
            key: *const u8,
            key_len: usize,
            value: *const u8,
            value_len: usize,
        ) -> u32;
        pub fn proxy_send_local_response(
            status: u32,
            details: *const u8,
            details_len: usize,
            body: *const u8,
            body_len: usize,
            headers: *const u8,
            headers_len: usize,
            grpc_status: i32,
        ) -> u32;
    }
}
