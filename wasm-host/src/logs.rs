//! Log lines written by the plugin (`proxy_log`, WASI `fd_write`).

use std::fmt;

/// Severity of a log line, as `proxy_log_level_t` (Trace = 0 ... Critical = 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Level 0.
    Trace,
    /// Level 1.
    Debug,
    /// Level 2; also WASI stdout.
    Info,
    /// Level 3.
    Warn,
    /// Level 4; also WASI stderr.
    Error,
    /// Level 5; the Rust SDK logs panics here.
    Critical,
}

impl LogLevel {
    pub(crate) fn from_abi(level: u32) -> Option<Self> {
        Some(match level {
            0 => Self::Trace,
            1 => Self::Debug,
            2 => Self::Info,
            3 => Self::Warn,
            4 => Self::Error,
            5 => Self::Critical,
            _ => return None,
        })
    }

    pub(crate) fn to_abi(self) -> u32 {
        self as u32
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Trace => "trace",
            Self::Debug => "debug",
            Self::Info => "info",
            Self::Warn => "warn",
            Self::Error => "error",
            Self::Critical => "critical",
        })
    }
}

/// One line the plugin logged, with the context it was logged from (0 = none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Severity.
    pub level: LogLevel,
    /// The message text (lossily decoded as UTF-8, trailing newline removed).
    pub message: String,
    /// The effective context id when the line was written (root or stream id).
    pub context: u32,
}
