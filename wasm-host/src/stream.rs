//! Envoy's HTTP filter-manager semantics for one stream, strict where Envoy is strict.
//!
//! - A `Pause` from a body callback buffers; the next body callback reports the cumulative
//!   buffered size; `Continue` passes the (possibly changed) buffer on and clears it.
//! - A `Pause` from a headers callback withholds the body until `proxy_continue_stream`.
//! - Over the buffer limit while paused: 413 (request) / 500 (response, headers not yet sent
//!   downstream) / stream reset.
//! - `proxy_send_local_response` and `proxy_continue_stream` act after the callback returns;
//!   a local reply sent before the response started runs through the filter's response
//!   callbacks, as Envoy runs its encoder filters on it.
//! - A trap fails the VM: this and every later stream get 503 (or pass through, fail-open).

use crate::exchange::{LocalReply, Outcome, Sent};
use crate::headers::HeaderMap;
use crate::plugin::{Plugin, TrapInfo};
use crate::properties::Properties;
use crate::vm::{Dir, DirState, Mode, Paused, Phase, StreamState};

/// What a filter callback returned (`proxy_action_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Let the data (headers, buffered body, trailers) go on.
    Continue,
    /// Hold it: buffer a body, or stop iteration after headers.
    Pause,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Headers,
    Body,
    Trailers,
}

/// One HTTP stream (an HTTP context in the plugin), stepped phase by phase.
///
/// Each step returns `Some(action)` when the filter's callback ran, `None` when the filter
/// was not called (the data was withheld while paused, the stream already ended with a local
/// reply or reset, or the VM has failed). Finish with [`Stream::finish`] to run `on_log`,
/// `on_done`, `on_delete` and collect the [`Outcome`].
pub struct Stream<'a> {
    plugin: &'a mut Plugin,
    id: u32,
}

impl std::fmt::Debug for Stream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

fn forward_headers(d: &mut DirState) {
    d.sent.headers = Some(d.headers.clone());
    if d.eos_in && d.buffer.is_empty() && d.trailers.is_none() {
        d.sent.complete = true;
    }
}

fn flush_body(d: &mut DirState) {
    d.sent.body.append(&mut d.buffer);
    if d.eos_in && d.trailers.is_none() {
        d.sent.complete = true;
    }
}

fn flush_trailers(d: &mut DirState) {
    d.sent.trailers = d.trailers.clone();
    d.trailers_pending = false;
    d.sent.complete = true;
}

/// Envoy's fail-closed answer: 503 if nothing went downstream yet, else a reset.
fn fail_closed(st: &mut StreamState) {
    st.mode = Mode::Dead;
    st.pending_local = None;
    let resp = st.dir_mut(Dir::Response);
    if resp.sent.headers.is_none() {
        let reply = LocalReply {
            status: 503,
            headers: HeaderMap::new(),
            body: Vec::new(),
            details: "wasm_fail_stream".to_owned(),
            grpc_status: None,
        };
        resp.sent = Sent {
            headers: Some(reply.downstream_headers()),
            body: Vec::new(),
            trailers: None,
            complete: true,
        };
        resp.closed = true;
        st.local_reply = Some(reply);
    } else {
        st.reset = true;
    }
}

impl Plugin {
    /// Opens a new stream (HTTP context). After a VM failure the stream is answered 503
    /// (fail-closed) or passes through (fail-open) without calling the plugin.
    pub fn new_stream(&mut self) -> Stream<'_> {
        let id = self.next_context;
        self.next_context += 1;
        let fail_open = self.store.data().options.fail_open;
        let log_start = self.store.data().logs.len();
        let mode = match (&self.failed, fail_open) {
            (None, _) => Mode::Filter,
            (Some(_), true) => Mode::Bypass,
            (Some(_), false) => Mode::Dead,
        };
        let mut st = StreamState::new(mode, log_start);
        if mode != Mode::Filter {
            st.trap = self.failed.clone();
        }
        if mode == Mode::Dead {
            fail_closed(&mut st);
        }
        self.store.data_mut().streams.insert(id, st);
        if mode == Mode::Filter {
            let (root, func) = (self.root, self.exports.on_context_create.clone());
            let result = self.invoke(
                id,
                Phase::Create,
                "proxy_on_context_create",
                func,
                (id, root),
            );
            match result {
                Ok(_) => {
                    if let Some(st) = self.st(id) {
                        st.created = true;
                    }
                }
                Err(trap) => self.fail_stream(id, trap),
            }
        }
        Stream { plugin: self, id }
    }

    /// Re-opens a handle on a stream that is still open (to interleave several streams).
    pub fn stream(&mut self, id: u32) -> Option<Stream<'_>> {
        self.store
            .data()
            .streams
            .contains_key(&id)
            .then_some(Stream { plugin: self, id })
    }

    fn st(&mut self, id: u32) -> Option<&mut StreamState> {
        self.store.data_mut().streams.get_mut(&id)
    }

    fn callback_names(dir: Dir, stage: Stage) -> &'static str {
        match (dir, stage) {
            (Dir::Request, Stage::Headers) => "proxy_on_request_headers",
            (Dir::Request, Stage::Body) => "proxy_on_request_body",
            (Dir::Request, Stage::Trailers) => "proxy_on_request_trailers",
            (Dir::Response, Stage::Headers) => "proxy_on_response_headers",
            (Dir::Response, Stage::Body) => "proxy_on_response_body",
            (Dir::Response, Stage::Trailers) => "proxy_on_response_trailers",
        }
    }

    fn call_headers(&mut self, id: u32, dir: Dir) -> Option<Action> {
        let d = self.st(id)?.dir(dir);
        let (n, eos) = (
            d.headers.len() as u32,
            u32::from(d.eos_in && d.buffer.is_empty() && d.trailers.is_none()),
        );
        let func = match dir {
            Dir::Request => self.exports.on_request_headers.clone(),
            Dir::Response => self.exports.on_response_headers.clone(),
        };
        let name = Self::callback_names(dir, Stage::Headers);
        let result = self.invoke(id, Phase::Headers(dir), name, func, (id, n, eos));
        self.after(id, dir, Stage::Headers, result)
    }

    fn call_body(&mut self, id: u32, dir: Dir) -> Option<Action> {
        let d = self.st(id)?.dir(dir);
        let (size, eos) = (
            d.buffer.len() as u32,
            u32::from(d.eos_in && d.trailers.is_none()),
        );
        let func = match dir {
            Dir::Request => self.exports.on_request_body.clone(),
            Dir::Response => self.exports.on_response_body.clone(),
        };
        let name = Self::callback_names(dir, Stage::Body);
        let result = self.invoke(id, Phase::Body(dir), name, func, (id, size, eos));
        self.after(id, dir, Stage::Body, result)
    }

    fn call_trailers(&mut self, id: u32, dir: Dir) -> Option<Action> {
        let d = self.st(id)?.dir(dir);
        let n = d.trailers.as_ref().map_or(0, HeaderMap::len) as u32;
        let func = match dir {
            Dir::Request => self.exports.on_request_trailers.clone(),
            Dir::Response => self.exports.on_response_trailers.clone(),
        };
        let name = Self::callback_names(dir, Stage::Trailers);
        let result = self.invoke(id, Phase::Trailers(dir), name, func, (id, n));
        self.after(id, dir, Stage::Trailers, result)
    }

    /// Applies a callback's result: terminal requests (local reply, reset) first, as Envoy
    /// runs them before the filter manager looks at the returned status; then the action;
    /// then deferred `continue_stream` requests.
    fn after(
        &mut self,
        id: u32,
        dir: Dir,
        stage: Stage,
        result: Result<Option<u32>, TrapInfo>,
    ) -> Option<Action> {
        match result {
            Err(trap) => {
                self.fail_stream(id, trap);
                None
            }
            Ok(value) => {
                let action = if value == Some(1) {
                    Action::Pause
                } else {
                    Action::Continue
                };
                if !self.apply_terminal(id) {
                    self.apply_action(id, dir, stage, action);
                }
                self.settle_all();
                Some(action)
            }
        }
    }

    fn apply_action(&mut self, id: u32, dir: Dir, stage: Stage, action: Action) {
        let Some(st) = self.st(id) else { return };
        if st.mode != Mode::Filter {
            return;
        }
        let d = st.dir_mut(dir);
        if d.closed {
            return;
        }
        match (stage, action) {
            (Stage::Headers, Action::Continue) => {
                d.paused = Paused::No;
                forward_headers(d);
            }
            (Stage::Body, Action::Continue) => {
                d.paused = Paused::No;
                flush_body(d);
            }
            (Stage::Trailers, Action::Continue) => {
                d.paused = Paused::No;
                flush_body(d);
                flush_trailers(d);
            }
            (Stage::Headers, Action::Pause) => d.paused = Paused::Headers,
            (Stage::Body, Action::Pause) => d.paused = Paused::Body,
            (Stage::Trailers, Action::Pause) => d.paused = Paused::Trailers,
        }
        if action == Action::Pause {
            self.check_limit(id, dir);
        }
    }

    fn apply_terminal(&mut self, id: u32) -> bool {
        let Some(st) = self.st(id) else { return false };
        if st.pending_reset {
            st.pending_reset = false;
            st.pending_local = None;
            st.reset = true;
            st.mode = Mode::Dead;
            return true;
        }
        match st.pending_local.take() {
            Some(reply) => {
                self.apply_local_reply(id, reply);
                true
            }
            None => false,
        }
    }

    /// Runs deferred requests made from any callback (also on other streams through
    /// `proxy_set_effective_context`).
    pub(crate) fn settle_all(&mut self) {
        for _ in 0..64 {
            let mut ids: Vec<u32> = self
                .store
                .data()
                .streams
                .iter()
                .filter(|(_, s)| {
                    s.pending_reset
                        || s.pending_local.is_some()
                        || s.dirs.iter().any(|d| d.pending_continue)
                })
                .map(|(id, _)| *id)
                .collect();
            if ids.is_empty() {
                return;
            }
            ids.sort_unstable();
            for id in ids {
                if self.apply_terminal(id) {
                    continue;
                }
                for dir in [Dir::Request, Dir::Response] {
                    let pending = self
                        .st(id)
                        .is_some_and(|s| std::mem::take(&mut s.dir_mut(dir).pending_continue));
                    if pending {
                        self.resume(id, dir);
                    }
                }
            }
        }
    }

    /// `proxy_continue_stream`: lets a paused direction go on. Data buffered while the headers
    /// were held is delivered to the filter's body callback first, as Envoy does.
    fn resume(&mut self, id: u32, dir: Dir) {
        let Some(st) = self.st(id) else { return };
        if st.mode != Mode::Filter || st.dir(dir).closed {
            return;
        }
        let d = st.dir_mut(dir);
        match d.paused {
            Paused::No => {}
            Paused::Headers => {
                d.paused = Paused::No;
                forward_headers(d);
                let (has_body, has_trailers) = (!d.buffer.is_empty(), d.trailers_pending);
                if has_body {
                    self.call_body(id, dir);
                }
                let still_open = self
                    .st(id)
                    .is_some_and(|s| s.mode == Mode::Filter && s.dir(dir).paused == Paused::No);
                if has_trailers && still_open {
                    self.call_trailers(id, dir);
                }
            }
            Paused::Body => {
                d.paused = Paused::No;
                flush_body(d);
                if d.trailers_pending {
                    self.call_trailers(id, dir);
                }
            }
            Paused::Trailers => {
                d.paused = Paused::No;
                flush_body(d);
                flush_trailers(d);
            }
        }
    }

    fn check_limit(&mut self, id: u32, dir: Dir) {
        let limit = self.store.data().options.buffer_limit;
        let Some(st) = self.st(id) else { return };
        if st.dir(dir).buffer.len() <= limit {
            return;
        }
        let (status, body, details) = match dir {
            Dir::Request => (413, "Payload Too Large", "request_payload_too_large"),
            Dir::Response => (500, "Internal Server Error", "response_payload_too_large"),
        };
        if st.dir(Dir::Response).sent.headers.is_some() {
            st.reset = true;
            st.mode = Mode::Dead;
            return;
        }
        let reply = LocalReply {
            status,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            details: details.to_owned(),
            grpc_status: None,
        };
        self.apply_local_reply(id, reply);
    }

    fn apply_local_reply(&mut self, id: u32, reply: LocalReply) {
        let Some(st) = self.st(id) else { return };
        st.local_reply = Some(reply.clone());
        st.pending_local = None;
        for d in &mut st.dirs {
            d.pending_continue = false;
        }
        let req = st.dir_mut(Dir::Request);
        req.closed = true;
        req.buffer.clear();
        req.paused = Paused::No;
        let via_filter = st.mode == Mode::Filter && !st.dir(Dir::Response).headers_seen;
        let resp = st.dir_mut(Dir::Response);
        if resp.sent.headers.is_some() {
            st.reset = true;
            st.mode = Mode::Dead;
            return;
        }
        let headers = reply.downstream_headers();
        if via_filter {
            // Envoy sends a reply made before the response started through the encoder filters.
            *resp = DirState::default();
            let has_body = !reply.body.is_empty();
            self.headers_in(id, Dir::Response, headers, !has_body);
            if has_body {
                self.body_in(id, Dir::Response, &reply.body, true);
            }
        } else {
            resp.paused = Paused::No;
            resp.buffer.clear();
            resp.sent = Sent {
                headers: Some(headers),
                body: reply.body,
                trailers: None,
                complete: true,
            };
            resp.closed = true;
        }
    }

    fn fail_stream(&mut self, id: u32, trap: TrapInfo) {
        let fail_open = self.store.data().options.fail_open;
        let Some(st) = self.st(id) else { return };
        st.trap = Some(trap);
        st.pending_local = None;
        st.pending_reset = false;
        if fail_open {
            st.mode = Mode::Bypass;
            for d in &mut st.dirs {
                d.paused = Paused::No;
                d.pending_continue = false;
                if d.headers_seen && d.sent.headers.is_none() {
                    forward_headers(d);
                }
                flush_body(d);
                if d.trailers_pending {
                    flush_trailers(d);
                }
            }
        } else {
            fail_closed(st);
        }
    }

    /// A VM failure reaches every open stream at its next event, as in Envoy.
    fn catch_up_with_failure(&mut self, id: u32) {
        let Some(trap) = self.failed.clone() else {
            return;
        };
        if self.st(id).is_some_and(|s| s.mode == Mode::Filter) {
            self.fail_stream(id, trap);
        }
    }

    fn headers_in(&mut self, id: u32, dir: Dir, headers: HeaderMap, eos: bool) -> Option<Action> {
        self.catch_up_with_failure(id);
        let st = self.st(id)?;
        let mode = st.mode;
        let d = st.dir_mut(dir);
        if d.closed || d.headers_seen {
            return None;
        }
        d.headers = headers;
        d.headers_seen = true;
        d.eos_in = eos;
        match mode {
            Mode::Dead => None,
            Mode::Bypass => {
                forward_headers(d);
                None
            }
            Mode::Filter => self.call_headers(id, dir),
        }
    }

    fn body_in(&mut self, id: u32, dir: Dir, chunk: &[u8], eos: bool) -> Option<Action> {
        self.catch_up_with_failure(id);
        let st = self.st(id)?;
        let mode = st.mode;
        let d = st.dir_mut(dir);
        if d.closed || d.eos_in || !d.headers_seen {
            return None;
        }
        d.buffer.extend_from_slice(chunk);
        d.eos_in = eos;
        match mode {
            Mode::Dead => {
                d.buffer.clear();
                None
            }
            Mode::Bypass => {
                flush_body(d);
                None
            }
            Mode::Filter if matches!(d.paused, Paused::Headers | Paused::Trailers) => {
                self.check_limit(id, dir);
                None
            }
            Mode::Filter => self.call_body(id, dir),
        }
    }

    fn trailers_in(&mut self, id: u32, dir: Dir, trailers: HeaderMap) -> Option<Action> {
        self.catch_up_with_failure(id);
        let st = self.st(id)?;
        let mode = st.mode;
        let d = st.dir_mut(dir);
        if d.closed || d.eos_in || !d.headers_seen {
            return None;
        }
        d.trailers = Some(trailers);
        d.trailers_pending = true;
        d.eos_in = true;
        match mode {
            Mode::Dead => None,
            Mode::Bypass => {
                flush_body(d);
                flush_trailers(d);
                None
            }
            Mode::Filter if d.paused == Paused::Headers => None,
            Mode::Filter => self.call_trailers(id, dir),
        }
    }

    /// Ends a stream: `on_log`, `on_done`, `on_delete` (unless the VM failed), then the outcome.
    fn finish_stream(&mut self, id: u32) -> Outcome {
        let created = self.st(id).is_some_and(|s| s.created);
        if created && self.failed.is_none() {
            // Envoy: access log, then done, then delete; a trap stops the sequence.
            let (on_log, on_done, on_delete) = (
                self.exports.on_log.clone(),
                self.exports.on_done.clone(),
                self.exports.on_delete.clone(),
            );
            let result = self
                .invoke(id, Phase::Log, "proxy_on_log", on_log, id)
                .and_then(|_| self.invoke(id, Phase::Done, "proxy_on_done", on_done, id))
                .and_then(|_| self.invoke(id, Phase::Done, "proxy_on_delete", on_delete, id));
            if let (Err(t), Some(st)) = (result, self.st(id)) {
                st.trap.get_or_insert(t);
            }
        }
        let state = self.store.data_mut();
        let st = state
            .streams
            .remove(&id)
            .unwrap_or_else(|| StreamState::new(Mode::Dead, state.logs.len()));
        let logs = state.logs.get(st.log_start..).unwrap_or_default().to_vec();
        let metrics = state.metrics.all().to_vec();
        let [req, resp] = st.dirs;
        let stalled =
            !st.reset && (!resp.sent.complete || (st.local_reply.is_none() && !req.sent.complete));
        Outcome {
            upstream: req.sent,
            downstream: resp.sent,
            local_reply: st.local_reply,
            reset: st.reset,
            stalled,
            logs,
            metrics,
            trap: st.trap,
        }
    }
}

impl Stream<'_> {
    /// The HTTP context id the plugin sees.
    pub fn id(&self) -> u32 {
        self.id
    }

    fn state(&self) -> Option<&StreamState> {
        self.plugin.store.data().streams.get(&self.id)
    }

    /// Peer traffic stops once the stream was reset or answered locally.
    fn open(&self) -> bool {
        self.state()
            .is_some_and(|s| !s.reset && s.local_reply.is_none())
    }

    /// Properties this stream sees on top of the plugin's (e.g. `xds.route_name`).
    pub fn properties_mut(&mut self) -> &mut Properties {
        let state = self.plugin.store.data_mut();
        let log_start = state.logs.len();
        &mut state
            .streams
            .entry(self.id)
            .or_insert_with(|| StreamState::new(Mode::Dead, log_start))
            .properties
    }

    /// Delivers the request headers (`on_http_request_headers`).
    pub fn request_headers(&mut self, headers: HeaderMap, end_of_stream: bool) -> Option<Action> {
        self.headers(Dir::Request, headers, end_of_stream)
    }

    /// Delivers a request body chunk (`on_http_request_body` with the cumulative size).
    pub fn request_body(&mut self, chunk: &[u8], end_of_stream: bool) -> Option<Action> {
        self.body(Dir::Request, chunk, end_of_stream)
    }

    /// Delivers request trailers (`on_http_request_trailers`); ends the request.
    pub fn request_trailers(&mut self, trailers: HeaderMap) -> Option<Action> {
        self.trailers(Dir::Request, trailers)
    }

    /// Delivers the upstream's response headers (include `:status`).
    pub fn response_headers(&mut self, headers: HeaderMap, end_of_stream: bool) -> Option<Action> {
        self.headers(Dir::Response, headers, end_of_stream)
    }

    /// Delivers a response body chunk.
    pub fn response_body(&mut self, chunk: &[u8], end_of_stream: bool) -> Option<Action> {
        self.body(Dir::Response, chunk, end_of_stream)
    }

    /// Delivers response trailers; ends the response.
    pub fn response_trailers(&mut self, trailers: HeaderMap) -> Option<Action> {
        self.trailers(Dir::Response, trailers)
    }

    pub(crate) fn headers(&mut self, dir: Dir, headers: HeaderMap, eos: bool) -> Option<Action> {
        if !self.open() {
            return None;
        }
        self.plugin.headers_in(self.id, dir, headers, eos)
    }

    pub(crate) fn body(&mut self, dir: Dir, chunk: &[u8], eos: bool) -> Option<Action> {
        if !self.open() {
            return None;
        }
        self.plugin.body_in(self.id, dir, chunk, eos)
    }

    pub(crate) fn trailers(&mut self, dir: Dir, trailers: HeaderMap) -> Option<Action> {
        if !self.open() {
            return None;
        }
        self.plugin.trailers_in(self.id, dir, trailers)
    }

    /// What has gone upstream so far.
    pub fn upstream(&self) -> Sent {
        self.state()
            .map(|s| s.dir(Dir::Request).sent.clone())
            .unwrap_or_default()
    }

    /// What has gone downstream so far.
    pub fn downstream(&self) -> Sent {
        self.state()
            .map(|s| s.dir(Dir::Response).sent.clone())
            .unwrap_or_default()
    }

    /// The local reply, once one took effect.
    pub fn local_reply(&self) -> Option<LocalReply> {
        self.state().and_then(|s| s.local_reply.clone())
    }

    /// True once the stream was reset.
    pub fn is_reset(&self) -> bool {
        self.state().is_some_and(|s| s.reset)
    }

    /// Ends the stream (`on_log`, `on_done`, `on_delete`) and returns what happened.
    pub fn finish(self) -> Outcome {
        self.plugin.finish_stream(self.id)
    }
}
