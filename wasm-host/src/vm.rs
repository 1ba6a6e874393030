//! The state a plugin's wasmtime `Store` carries: what host functions read and write.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use wasmtime::{Memory, TypedFunc};

use crate::abi::{buffer, map, status};
use crate::exchange::{LocalReply, Sent};
use crate::headers::HeaderMap;
use crate::logs::{LogEntry, LogLevel};
use crate::metrics::Metrics;
use crate::plugin::{PluginOptions, TrapInfo};
use crate::properties::Properties;
use crate::rng::SplitMix64;

/// A direction of an HTTP stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Request = 0,
    Response = 1,
}

/// Which guest callback is running; decides what the guest may touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Root,
    Create,
    Headers(Dir),
    Body(Dir),
    Trailers(Dir),
    Log,
    Done,
}

impl Phase {
    fn dir(self) -> Option<Dir> {
        match self {
            Self::Headers(d) | Self::Body(d) | Self::Trailers(d) => Some(d),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Current {
    pub(crate) context: u32,
    pub(crate) phase: Phase,
}

/// Where a direction is held back by the filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Paused {
    #[default]
    No,
    Headers,
    Body,
    Trailers,
}

/// One direction of a stream as Envoy's filter manager sees it.
#[derive(Clone, Debug, Default)]
pub(crate) struct DirState {
    /// The header map the filter sees (and may change in its headers callback).
    pub(crate) headers: HeaderMap,
    pub(crate) headers_seen: bool,
    /// Body bytes held by the host: the current chunk, or everything buffered while paused.
    pub(crate) buffer: Vec<u8>,
    pub(crate) trailers: Option<HeaderMap>,
    pub(crate) trailers_pending: bool,
    /// The peer ended this direction (end_of_stream or trailers).
    pub(crate) eos_in: bool,
    pub(crate) paused: Paused,
    /// No more filter callbacks in this direction (a local reply replaced it).
    pub(crate) closed: bool,
    /// What went on past the filter.
    pub(crate) sent: Sent,
    pub(crate) pending_continue: bool,
}

/// How a stream relates to the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The filter sees every callback.
    Filter,
    /// The VM failed and the plugin is fail-open: data passes untouched.
    Bypass,
    /// Nothing more passes (reset, or fail-closed reply sent).
    Dead,
}

#[derive(Clone, Debug)]
pub(crate) struct StreamState {
    pub(crate) dirs: [DirState; 2],
    pub(crate) mode: Mode,
    pub(crate) local_reply: Option<LocalReply>,
    pub(crate) pending_local: Option<LocalReply>,
    pub(crate) pending_reset: bool,
    pub(crate) reset: bool,
    pub(crate) created: bool,
    pub(crate) properties: Properties,
    pub(crate) log_start: usize,
    pub(crate) trap: Option<TrapInfo>,
}

impl StreamState {
    pub(crate) fn new(mode: Mode, log_start: usize) -> Self {
        Self {
            dirs: [DirState::default(), DirState::default()],
            mode,
            local_reply: None,
            pending_local: None,
            pending_reset: false,
            reset: false,
            created: false,
            properties: Properties::new(),
            log_start,
            trap: None,
        }
    }

    pub(crate) fn dir(&self, d: Dir) -> &DirState {
        match d {
            Dir::Request => &self.dirs[0],
            Dir::Response => &self.dirs[1],
        }
    }

    pub(crate) fn dir_mut(&mut self, d: Dir) -> &mut DirState {
        match d {
            Dir::Request => &mut self.dirs[0],
            Dir::Response => &mut self.dirs[1],
        }
    }
}

/// Everything the host functions work on; one per plugin (no global state).
pub(crate) struct VmState {
    pub(crate) options: Arc<PluginOptions>,
    /// The configuration buffer readable in the running callback (vm config in
    /// `on_vm_start`, plugin config in `on_configure`), as Envoy exposes them.
    pub(crate) exposed_config: Option<(u32, Vec<u8>)>,
    pub(crate) logs: Vec<LogEntry>,
    pub(crate) metrics: Metrics,
    pub(crate) shared_data: HashMap<String, (Vec<u8>, u32)>,
    pub(crate) queues: Vec<(String, VecDeque<Vec<u8>>)>,
    pub(crate) rng: SplitMix64,
    pub(crate) current: Option<Current>,
    pub(crate) effective: u32,
    pub(crate) root_context: u32,
    pub(crate) streams: HashMap<u32, StreamState>,
    pub(crate) plugin_properties: Properties,
    pub(crate) allocator: Option<TypedFunc<u32, u32>>,
    pub(crate) memory: Option<Memory>,
    pub(crate) tick_period_ms: u32,
}

impl VmState {
    pub(crate) fn new(options: Arc<PluginOptions>) -> Self {
        Self {
            rng: SplitMix64::new(options.random_seed),
            plugin_properties: options.properties.clone(),
            options,
            exposed_config: None,
            logs: Vec::new(),
            metrics: Metrics::default(),
            shared_data: HashMap::new(),
            queues: Vec::new(),
            current: None,
            effective: 0,
            root_context: 0,
            streams: HashMap::new(),
            allocator: None,
            memory: None,
            tick_period_ms: 0,
        }
    }

    pub(crate) fn log(&mut self, level: LogLevel, message: &str) {
        if level >= self.options.log_level {
            let message = message.strip_suffix('\n').unwrap_or(message).to_owned();
            self.logs.push(LogEntry {
                level,
                message,
                context: self.effective,
            });
        }
    }

    /// The phase of the running callback, if it runs for the effective context.
    fn phase(&self) -> Option<Phase> {
        self.current
            .filter(|c| c.context == self.effective)
            .map(|c| c.phase)
    }

    /// The effective stream and the running phase (Root when the callback belongs to another
    /// context, e.g. after `proxy_set_effective_context` from a tick).
    pub(crate) fn effective_stream(&mut self) -> Option<(&mut StreamState, Phase)> {
        let phase = self.phase().unwrap_or(Phase::Root);
        self.streams.get_mut(&self.effective).map(|s| (s, phase))
    }

    /// A header map, if the running callback may read it (`write` = may change it).
    /// Envoy: request headers only in the request-headers callback; response headers
    /// changeable only in the response-headers callback (readable later in the response);
    /// trailers only in their own callback.
    pub(crate) fn header_map(&mut self, map_type: u32, write: bool) -> Result<&mut HeaderMap, u32> {
        let (dir, trailers) = match map_type {
            map::HTTP_REQUEST_HEADERS => (Dir::Request, false),
            map::HTTP_REQUEST_TRAILERS => (Dir::Request, true),
            map::HTTP_RESPONSE_HEADERS => (Dir::Response, false),
            map::HTTP_RESPONSE_TRAILERS => (Dir::Response, true),
            _ => return Err(status::NOT_FOUND),
        };
        let (stream, phase) = self.effective_stream().ok_or(status::BAD_ARGUMENT)?;
        let d = stream.dir_mut(dir);
        if trailers {
            if phase != Phase::Trailers(dir) {
                return Err(status::BAD_ARGUMENT);
            }
            return d.trailers.as_mut().ok_or(status::NOT_FOUND);
        }
        let allowed = phase == Phase::Headers(dir)
            || (!write
                && dir == Dir::Response
                && matches!(
                    phase,
                    Phase::Body(Dir::Response) | Phase::Trailers(Dir::Response) | Phase::Log
                ));
        if allowed {
            Ok(&mut d.headers)
        } else {
            Err(status::BAD_ARGUMENT)
        }
    }

    /// A body buffer, if the running callback may touch it: only in that direction's body
    /// callback (and its trailers callback, where Envoy exposes what is still buffered).
    pub(crate) fn body(&mut self, buffer_type: u32) -> Result<&mut Vec<u8>, u32> {
        let dir = match buffer_type {
            buffer::HTTP_REQUEST_BODY => Dir::Request,
            buffer::HTTP_RESPONSE_BODY => Dir::Response,
            _ => return Err(status::NOT_FOUND),
        };
        let (stream, phase) = self.effective_stream().ok_or(status::BAD_ARGUMENT)?;
        if phase != Phase::Body(dir) && phase != Phase::Trailers(dir) {
            return Err(status::BAD_ARGUMENT);
        }
        Ok(&mut stream.dir_mut(dir).buffer)
    }

    /// Looks a property up as Envoy would for the running callback.
    pub(crate) fn property(&self, path: &[String]) -> Option<Vec<u8>> {
        let phase = self.phase();
        let stream = self.streams.get(&self.effective);
        let first = path.first().map(String::as_str);
        let in_dir = |d: Dir| phase.and_then(Phase::dir) == Some(d);
        match first {
            Some("request") => {
                // Envoy derives request.* from the live request headers, gone after the request phase.
                if !in_dir(Dir::Request) {
                    return None;
                }
                let s = stream?;
                if let Some(v) = s
                    .properties
                    .get(path)
                    .or_else(|| self.plugin_properties.get(path))
                {
                    return Some(v.to_vec());
                }
                derive_request(&s.dir(Dir::Request).headers, path)
            }
            Some("response") => {
                if !in_dir(Dir::Response) && phase != Some(Phase::Log) {
                    return None;
                }
                let s = stream?;
                if let Some(v) = s
                    .properties
                    .get(path)
                    .or_else(|| self.plugin_properties.get(path))
                {
                    return Some(v.to_vec());
                }
                derive_response(&s.dir(Dir::Response).headers, path)
            }
            Some("plugin_name") if path.len() == 1 => Some(self.options.name.clone().into_bytes()),
            Some("plugin_root_id") if path.len() == 1 => {
                Some(self.options.root_id.clone().into_bytes())
            }
            Some("plugin_vm_id") if path.len() == 1 => {
                Some(self.options.vm_id.clone().into_bytes())
            }
            _ => stream
                .and_then(|s| s.properties.get(path))
                .or_else(|| self.plugin_properties.get(path))
                .map(<[u8]>::to_vec),
        }
    }
}

fn derive_request(headers: &HeaderMap, path: &[String]) -> Option<Vec<u8>> {
    let rest: Vec<&str> = path.iter().skip(1).map(String::as_str).collect();
    let text = |s: Option<&str>| s.map(|v| v.as_bytes().to_vec());
    match rest.as_slice() {
        ["path"] => text(headers.get(":path")),
        ["url_path"] => text(
            headers
                .get(":path")
                .map(|p| p.split('?').next().unwrap_or(p)),
        ),
        ["method"] => text(headers.get(":method")),
        ["host"] => text(headers.get(":authority")),
        ["scheme"] => text(headers.get(":scheme")),
        ["id"] => text(headers.get("x-request-id")),
        ["protocol"] => Some(b"HTTP/1.1".to_vec()),
        ["headers"] => Some(headers.serialize()),
        ["headers", name] => text(headers.get(name)),
        _ => None,
    }
}

fn derive_response(headers: &HeaderMap, path: &[String]) -> Option<Vec<u8>> {
    let rest: Vec<&str> = path.iter().skip(1).map(String::as_str).collect();
    match rest.as_slice() {
        ["code"] => headers
            .get(":status")?
            .parse::<i64>()
            .ok()
            .map(|c| c.to_le_bytes().to_vec()),
        ["headers"] => Some(headers.serialize()),
        ["headers", name] => headers.get(name).map(|v| v.as_bytes().to_vec()),
        _ => None,
    }
}
