//! The error type of scrim-host.

use std::fmt;

use crate::logs::LogEntry;

/// Why a module could not be loaded or a plugin could not be started.
#[derive(Debug)]
pub struct HostError {
    kind: ErrorKind,
    logs: Vec<LogEntry>,
}

#[derive(Debug)]
enum ErrorKind {
    Io { path: String, message: String },
    Missing { path: String, package: String },
    Compile(String),
    Instantiate(String),
    NotProxyWasm(String),
    Trap { callback: String, message: String },
    Rejected { callback: &'static str },
}

impl HostError {
    pub(crate) fn io(path: &std::path::Path, err: &std::io::Error) -> Self {
        Self::new(ErrorKind::Io {
            path: path.display().to_string(),
            message: err.to_string(),
        })
    }
    pub(crate) fn missing_module(path: &std::path::Path, package: &str) -> Self {
        Self::new(ErrorKind::Missing {
            path: path.display().to_string(),
            package: package.to_owned(),
        })
    }
    pub(crate) fn compile(err: &wasmtime::Error) -> Self {
        Self::new(ErrorKind::Compile(format!("{err:#}")))
    }
    pub(crate) fn instantiate(err: &wasmtime::Error) -> Self {
        Self::new(ErrorKind::Instantiate(format!("{err:#}")))
    }
    pub(crate) fn not_proxy_wasm(what: &str) -> Self {
        Self::new(ErrorKind::NotProxyWasm(what.to_owned()))
    }
    pub(crate) fn trap(callback: &str, message: &str, logs: Vec<LogEntry>) -> Self {
        Self {
            kind: ErrorKind::Trap {
                callback: callback.to_owned(),
                message: message.to_owned(),
            },
            logs,
        }
    }
    pub(crate) fn rejected(callback: &'static str, logs: Vec<LogEntry>) -> Self {
        Self {
            kind: ErrorKind::Rejected { callback },
            logs,
        }
    }
    fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            logs: Vec::new(),
        }
    }

    /// The log lines the plugin wrote before it failed to start (empty for load errors).
    /// Use them to show a user why `on_configure` rejected the configuration.
    pub fn logs(&self) -> &[LogEntry] {
        &self.logs
    }

    /// True when the plugin ran and refused its configuration (`on_vm_start` or
    /// `on_configure` returned false), as opposed to a load error or a trap.
    pub fn is_rejected(&self) -> bool {
        matches!(self.kind, ErrorKind::Rejected { .. })
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Io { path, message } => {
                write!(
                    f,
                    "cannot read wasm module `{path}`: {message}; check the path, or build it first"
                )
            }
            ErrorKind::Missing { path, package } => write!(
                f,
                "wasm module `{path}` is not built; run \
                 `cargo build -p {package} --target wasm32-wasip1 --profile wasm-release`"
            ),
            ErrorKind::Compile(m) => {
                write!(
                    f,
                    "cannot compile wasm module: {m}; is it a wasm32-wasip1 proxy-wasm build?"
                )
            }
            ErrorKind::Instantiate(m) => write!(f, "cannot instantiate wasm module: {m}"),
            ErrorKind::NotProxyWasm(what) => write!(
                f,
                "module is not a proxy-wasm 0.2.1 filter: {what}; build it with the proxy-wasm crate 0.2.x"
            ),
            ErrorKind::Trap { callback, message } => {
                write!(f, "plugin trapped in `{callback}`: {message}")?;
                if let Some(last) = self.logs.last() {
                    write!(f, " (last log: {})", last.message)?;
                }
                Ok(())
            }
            ErrorKind::Rejected { callback } => {
                write!(
                    f,
                    "plugin rejected its configuration: `{callback}` returned false"
                )?;
                for entry in &self.logs {
                    write!(f, "\n  [{}] {}", entry.level, entry.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for HostError {}
