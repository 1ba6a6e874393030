//! Loading a module ([`Host`]), starting a plugin ([`Plugin`]) and calling into it.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use wasmtime::{
    Config, Engine, InstancePre, Linker, Module, Store, Trap, TypedFunc, WasmParams, WasmResults,
};

use crate::abi::buffer;
use crate::error::HostError;
use crate::logs::{LogEntry, LogLevel};
use crate::metrics::Metric;
use crate::properties::Properties;
use crate::vm::{Current, Phase, VmState};

/// A compiled proxy-wasm module, ready to start plugins from. Cloning is cheap (the engine
/// and the compiled code are shared), so compile once and start a plugin per test.
#[derive(Clone)]
pub struct Host {
    engine: Engine,
    pre: InstancePre<VmState>,
    ticker: Arc<Ticker>,
}

/// How often the engine's epoch advances: the granularity of [`PluginOptions::callback_deadline`].
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Advances the engine's epoch every [`EPOCH_TICK`] on its own thread, so a callback past its
/// deadline traps at its next loop back-edge or function entry. Epoch checks cost a load and a
/// compare there; fuel metering (counting every block) made the filter ~1.4× slower, a cost
/// Envoy's runtimes do not have. The thread stops when the last host or plugin holding it is
/// dropped (its channel disconnects).
struct Ticker {
    _stop: mpsc::Sender<()>,
}

impl Ticker {
    fn start(engine: &Engine) -> Result<Self, HostError> {
        let (stop, stopped) = mpsc::channel::<()>();
        let engine = engine.clone();
        std::thread::Builder::new()
            .name("scrim-host-epoch".to_owned())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EPOCH_TICK) {
                    engine.increment_epoch();
                }
            })
            .map_err(|e| HostError::instantiate(&wasmtime::Error::from(e)))?;
        Ok(Self { _stop: stop })
    }
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host").finish_non_exhaustive()
    }
}

impl Host {
    /// Compiles the `.wasm` file at `path` (a `wasm32-wasip1` proxy-wasm build).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, HostError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| HostError::io(path, &e))?;
        Self::from_bytes(&bytes)
    }

    /// Compiles a module from its bytes (binary or text format).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, HostError> {
        let mut config = Config::new();
        config.epoch_interruption(true);
        let engine = Engine::new(&config).map_err(|e| HostError::compile(&e))?;
        let module = Module::new(&engine, bytes).map_err(|e| HostError::compile(&e))?;
        let exports: Vec<&str> = module.exports().map(|e| e.name()).collect();
        if !exports.contains(&"proxy_abi_version_0_2_1") {
            return Err(HostError::not_proxy_wasm(
                "it does not export `proxy_abi_version_0_2_1`",
            ));
        }
        if !exports.contains(&"proxy_on_memory_allocate") && !exports.contains(&"malloc") {
            return Err(HostError::not_proxy_wasm(
                "it exports neither `proxy_on_memory_allocate` nor `malloc`",
            ));
        }
        if !exports.contains(&"memory") {
            return Err(HostError::not_proxy_wasm("it does not export `memory`"));
        }
        let mut linker = Linker::new(&engine);
        crate::hostcalls::add_to_linker(&mut linker).map_err(|e| HostError::instantiate(&e))?;
        crate::wasi::add_to_linker(&mut linker).map_err(|e| HostError::instantiate(&e))?;
        linker
            .define_unknown_imports_as_traps(&module)
            .map_err(|e| HostError::instantiate(&e))?;
        let pre = linker
            .instantiate_pre(&module)
            .map_err(|e| HostError::instantiate(&e))?;
        let ticker = Arc::new(Ticker::start(&engine)?);
        Ok(Self {
            engine,
            pre,
            ticker,
        })
    }

    /// Instantiates the module and drives Envoy's start-up: `_initialize`, root context
    /// creation, `on_vm_start(vm_config)`, `on_configure(plugin_config)`. A `false` from either
    /// is an error whose [`HostError::logs`] hold what the plugin logged.
    pub fn start(&self, options: PluginOptions) -> Result<Plugin, HostError> {
        let options = Arc::new(options);
        let mut store = Store::new(&self.engine, VmState::new(options.clone()));
        store.epoch_deadline_trap();
        store.set_epoch_deadline(deadline_ticks(options.callback_deadline));
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| HostError::instantiate(&e))?;
        let memory = instance.get_memory(&mut store, "memory");
        let allocator = instance
            .get_typed_func::<u32, u32>(&mut store, "proxy_on_memory_allocate")
            .or_else(|_| instance.get_typed_func::<u32, u32>(&mut store, "malloc"))
            .ok();
        store.data_mut().memory = memory;
        store.data_mut().allocator = allocator;
        let exports = Exports::new(&instance, &mut store);
        let root = 1;
        store.data_mut().root_context = root;
        let mut plugin = Plugin {
            store,
            exports,
            root,
            next_context: root + 1,
            failed: None,
            _ticker: self.ticker.clone(),
        };

        let start_error = |plugin: &mut Plugin, t: TrapInfo| {
            HostError::trap(&t.callback, &t.message, plugin.store.data().logs.clone())
        };
        let init = plugin.exports.initialize.clone();
        if let Err(t) = plugin.invoke(0, Phase::Root, "_initialize", init, ()) {
            return Err(start_error(&mut plugin, t));
        }
        let create = plugin.exports.on_context_create.clone();
        if let Err(t) = plugin.invoke(
            root,
            Phase::Root,
            "proxy_on_context_create",
            create,
            (root, 0),
        ) {
            return Err(start_error(&mut plugin, t));
        }
        let stages = [
            (
                "proxy_on_vm_start",
                buffer::VM_CONFIGURATION,
                options.vm_config.clone(),
                plugin.exports.on_vm_start.clone(),
            ),
            (
                "proxy_on_configure",
                buffer::PLUGIN_CONFIGURATION,
                options.plugin_config.clone(),
                plugin.exports.on_configure.clone(),
            ),
        ];
        for (name, kind, bytes, func) in stages {
            let len = bytes.len() as u32;
            plugin.store.data_mut().exposed_config = Some((kind, bytes));
            let result = plugin.invoke(root, Phase::Root, name, func, (root, len));
            plugin.store.data_mut().exposed_config = None;
            match result {
                Err(t) => return Err(start_error(&mut plugin, t)),
                Ok(Some(0)) => {
                    return Err(HostError::rejected(name, plugin.store.data().logs.clone()));
                }
                Ok(_) => {}
            }
        }
        Ok(plugin)
    }
}

/// How to start a plugin: its configuration, environment and Envoy settings.
///
/// `PluginOptions::new(config)` gives Envoy's defaults (1 MiB buffer limit, fail-closed,
/// every log level captured, a frozen clock, a fixed random seed).
#[derive(Clone, Debug)]
pub struct PluginOptions {
    /// Bytes given to `on_configure` (Envoy's `configuration`, usually JSON).
    pub plugin_config: Vec<u8>,
    /// Bytes given to `on_vm_start` (`vm_config.configuration`).
    pub vm_config: Vec<u8>,
    /// Environment variables the plugin reads through WASI (`vm_config.environment_variables`).
    pub env: Vec<(String, String)>,
    /// `plugin_name` property.
    pub name: String,
    /// `plugin_root_id` property.
    pub root_id: String,
    /// `plugin_vm_id` property.
    pub vm_id: String,
    /// Most bytes a direction may buffer while the filter pauses (Envoy default 1 MiB).
    pub buffer_limit: usize,
    /// After a trap, pass traffic through untouched instead of answering 503.
    pub fail_open: bool,
    /// Wall-clock time one callback may run before it traps as a runaway (checked every
    /// [`EPOCH_TICK`]); `None` = unlimited, as in Envoy, which has no such limit.
    pub callback_deadline: Option<Duration>,
    /// The frozen time the plugin sees, in nanoseconds since the Unix epoch.
    pub clock_ns: u64,
    /// Seed of `random_get`.
    pub random_seed: u64,
    /// Log lines below this level are dropped (and `proxy_get_log_level` returns it).
    pub log_level: LogLevel,
    /// Properties every stream sees (per-exchange properties override them).
    pub properties: Properties,
}

impl Default for PluginOptions {
    fn default() -> Self {
        Self {
            plugin_config: Vec::new(),
            vm_config: Vec::new(),
            env: Vec::new(),
            name: "scrim".to_owned(),
            root_id: String::new(),
            vm_id: String::new(),
            buffer_limit: 1 << 20,
            fail_open: false,
            callback_deadline: Some(DEFAULT_CALLBACK_DEADLINE),
            clock_ns: 1_767_225_600_000_000_000,
            random_seed: 0x5c12_1b5e_ed00_0001,
            log_level: LogLevel::Trace,
            properties: Properties::new(),
        }
    }
}

/// Default time one callback may run: far above redacting megabytes in a debug-built host,
/// short enough that a runaway loop fails its test instead of hanging it.
pub const DEFAULT_CALLBACK_DEADLINE: Duration = Duration::from_secs(10);

/// Epoch ticks for a deadline, rounded up, plus one because the current tick may be about to
/// end; `None` gets a deadline no run reaches (the epoch is a counter added to, not saturated).
fn deadline_ticks(deadline: Option<Duration>) -> u64 {
    match deadline {
        Some(d) => {
            let tick = EPOCH_TICK.as_nanos().max(1);
            let ticks = d.as_nanos().div_ceil(tick);
            u64::try_from(ticks)
                .unwrap_or(u64::MAX >> 2)
                .min(u64::MAX >> 2)
                + 1
        }
        None => u64::MAX >> 2,
    }
}

impl PluginOptions {
    /// Envoy defaults with this plugin configuration.
    pub fn new(plugin_config: impl Into<Vec<u8>>) -> Self {
        Self {
            plugin_config: plugin_config.into(),
            ..Self::default()
        }
    }

    /// Adds an environment variable (builder style).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Sets a plugin-wide property (builder style), e.g. `.property("xds.cluster_name", "eu")`.
    pub fn property(mut self, dotted: &str, value: impl Into<crate::PropertyValue>) -> Self {
        self.properties.set(dotted, value);
        self
    }
}

/// What happened when the VM trapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrapInfo {
    /// The callback that trapped, e.g. `proxy_on_request_headers`.
    pub callback: String,
    /// The context it ran for.
    pub context: u32,
    /// wasmtime's description (trap code and wasm backtrace).
    pub message: String,
    /// True when the callback ran past [`PluginOptions::callback_deadline`] (a runaway loop).
    pub timed_out: bool,
    /// The panic message the Rust SDK logged at Critical just before the trap, if any.
    pub panic_message: Option<String>,
}

/// The guest exports the host calls; all optional.
#[derive(Clone)]
pub(crate) struct Exports {
    pub(crate) initialize: Option<TypedFunc<(), ()>>,
    pub(crate) on_context_create: Option<TypedFunc<(u32, u32), ()>>,
    pub(crate) on_vm_start: Option<TypedFunc<(u32, u32), u32>>,
    pub(crate) on_configure: Option<TypedFunc<(u32, u32), u32>>,
    pub(crate) on_tick: Option<TypedFunc<u32, ()>>,
    pub(crate) on_request_headers: Option<TypedFunc<(u32, u32, u32), u32>>,
    pub(crate) on_request_body: Option<TypedFunc<(u32, u32, u32), u32>>,
    pub(crate) on_request_trailers: Option<TypedFunc<(u32, u32), u32>>,
    pub(crate) on_response_headers: Option<TypedFunc<(u32, u32, u32), u32>>,
    pub(crate) on_response_body: Option<TypedFunc<(u32, u32, u32), u32>>,
    pub(crate) on_response_trailers: Option<TypedFunc<(u32, u32), u32>>,
    pub(crate) on_log: Option<TypedFunc<u32, ()>>,
    pub(crate) on_done: Option<TypedFunc<u32, u32>>,
    pub(crate) on_delete: Option<TypedFunc<u32, ()>>,
}

impl Exports {
    fn new(instance: &wasmtime::Instance, store: &mut Store<VmState>) -> Self {
        let initialize = instance
            .get_typed_func(&mut *store, "_initialize")
            .or_else(|_| instance.get_typed_func(&mut *store, "_start"))
            .ok();
        macro_rules! get {
            ($name:literal) => {
                instance.get_typed_func(&mut *store, $name).ok()
            };
        }
        Self {
            initialize,
            on_context_create: get!("proxy_on_context_create"),
            on_vm_start: get!("proxy_on_vm_start"),
            on_configure: get!("proxy_on_configure"),
            on_tick: get!("proxy_on_tick"),
            on_request_headers: get!("proxy_on_request_headers"),
            on_request_body: get!("proxy_on_request_body"),
            on_request_trailers: get!("proxy_on_request_trailers"),
            on_response_headers: get!("proxy_on_response_headers"),
            on_response_body: get!("proxy_on_response_body"),
            on_response_trailers: get!("proxy_on_response_trailers"),
            on_log: get!("proxy_on_log"),
            on_done: get!("proxy_on_done"),
            on_delete: get!("proxy_on_delete"),
        }
    }
}

/// A started plugin: one VM with its root context, ready for streams.
///
/// Drive a whole exchange with [`Plugin::run`], or step a stream yourself with
/// [`Plugin::new_stream`]. State (logs, metrics, memory) accumulates across streams as in a
/// long-running Envoy worker.
pub struct Plugin {
    pub(crate) store: Store<VmState>,
    pub(crate) exports: Exports,
    pub(crate) root: u32,
    pub(crate) next_context: u32,
    pub(crate) failed: Option<TrapInfo>,
    /// Keeps the epoch advancing while this plugin lives, even if its [`Host`] is dropped.
    _ticker: Arc<Ticker>,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("root", &self.root)
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

impl Plugin {
    /// Calls a guest export for `context` in `phase` under the callback deadline; a trap marks
    /// the VM failed.
    /// `Ok(None)` when the module does not export the callback.
    pub(crate) fn invoke<P: WasmParams, R: WasmResults>(
        &mut self,
        context: u32,
        phase: Phase,
        name: &str,
        func: Option<TypedFunc<P, R>>,
        params: P,
    ) -> Result<Option<R>, TrapInfo> {
        let Some(func) = func else { return Ok(None) };
        let deadline = deadline_ticks(self.store.data().options.callback_deadline);
        self.store.set_epoch_deadline(deadline);
        let logs_before = self.store.data().logs.len();
        {
            let state = self.store.data_mut();
            state.current = Some(Current { context, phase });
            state.effective = context;
        }
        let result = func.call(&mut self.store, params);
        let state = self.store.data_mut();
        state.current = None;
        state.effective = self.root;
        match result {
            Ok(r) => Ok(Some(r)),
            Err(e) => Err(self.trapped(context, name, &e, logs_before)),
        }
    }

    fn trapped(
        &mut self,
        context: u32,
        name: &str,
        e: &wasmtime::Error,
        logs_before: usize,
    ) -> TrapInfo {
        let panic_message = self
            .store
            .data()
            .logs
            .iter()
            .skip(logs_before)
            .rev()
            .find(|l| l.level == LogLevel::Critical)
            .map(|l| l.message.clone());
        let info = TrapInfo {
            callback: name.to_owned(),
            context,
            message: format!("{e:?}"),
            timed_out: e.downcast_ref::<Trap>() == Some(&Trap::Interrupt),
            panic_message,
        };
        self.failed = Some(info.clone());
        info
    }

    /// Every line the plugin logged so far.
    pub fn logs(&self) -> &[LogEntry] {
        &self.store.data().logs
    }

    /// A metric by the name the plugin defined (Envoy would export `wasmcustom.<name>`).
    pub fn metric(&self, name: &str) -> Option<&Metric> {
        self.store.data().metrics.by_name(name)
    }

    /// Every metric the plugin defined.
    pub fn metrics(&self) -> &[Metric] {
        self.store.data().metrics.all()
    }

    /// Current size of the plugin's linear memory in bytes (it never shrinks).
    pub fn memory_bytes(&self) -> usize {
        self.store
            .data()
            .memory
            .map(|m| m.data_size(&self.store))
            .unwrap_or(0)
    }

    /// The trap that failed this VM, if any. After a trap every stream gets Envoy's
    /// fail-closed 503 (or passes through when [`PluginOptions::fail_open`] is set).
    pub fn failure(&self) -> Option<&TrapInfo> {
        self.failed.as_ref()
    }

    /// The tick period the plugin asked for, in milliseconds (0 = none).
    pub fn tick_period_ms(&self) -> u32 {
        self.store.data().tick_period_ms
    }

    /// Calls `proxy_on_tick` on the root context, then applies what it asked for on streams
    /// (e.g. `proxy_continue_stream` after `proxy_set_effective_context`).
    pub fn tick(&mut self) {
        if self.failed.is_some() {
            return;
        }
        let root = self.root;
        let func = self.exports.on_tick.clone();
        if self
            .invoke(root, Phase::Root, "proxy_on_tick", func, root)
            .is_ok()
        {
            self.settle_all();
        }
    }
}
