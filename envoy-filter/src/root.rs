//! The root context: loads and compiles the configuration, creates one stream per request.

use std::cell::RefCell;
use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{BufferType, ContextType};
use scrim_core::gateway::Gateway;
use scrim_core::stream::KeyCache;

use crate::abi::{self, Level};
use crate::metrics::Metrics;
use crate::stream::Stream;

/// A loaded configuration, shared by every stream of this root context.
pub struct Shared {
    /// The compiled gateway.
    pub gateway: Gateway,
    /// Metric ids.
    pub metrics: Metrics,
    /// Keys classified by earlier bodies (bounded; see `KeyCache`), lent to each body call.
    pub keys: RefCell<KeyCache>,
}

/// The root context. A configuration push creates a new one in the same VM; streams keep the
/// configuration they started with.
#[derive(Default)]
pub struct Root {
    shared: Option<Rc<Shared>>,
}

impl Context for Root {}

impl RootContext for Root {
    fn on_configure(&mut self, size: usize) -> bool {
        let raw = match abi::get_buffer(BufferType::PluginConfiguration, 0, size) {
            Ok(Some(raw)) => raw,
            Ok(None) => Vec::new(),
            Err(status) => {
                abi::log(
                    Level::Error,
                    &format!(
                        "scrim: cannot read the plugin configuration (status {})",
                        status.0
                    ),
                );
                return false;
            }
        };
        let Ok(text) = std::str::from_utf8(&raw) else {
            abi::log(
                Level::Error,
                "scrim: invalid configuration: it is not UTF-8 text",
            );
            return false;
        };
        match Gateway::from_config(text, &|name| std::env::var(name).ok()) {
            Ok(gateway) => {
                if !gateway.has_hmac_key() {
                    abi::log(
                        Level::Warn,
                        &format!(
                            "scrim: environment variable `{}` is not set; bodies whose policy hashes are withheld",
                            gateway.options().hmac_key_env
                        ),
                    );
                }
                abi::log(
                    Level::Info,
                    &format!("scrim: loaded policy {}", gateway.label()),
                );
                let metrics = Metrics::define(gateway.categories());
                self.shared = Some(Rc::new(Shared {
                    gateway,
                    metrics,
                    keys: RefCell::new(KeyCache::new()),
                }));
                true
            }
            Err(e) => {
                for d in e.diagnostics() {
                    abi::log(
                        Level::Error,
                        &format!(
                            "scrim: invalid configuration: {}",
                            d.with_path("configuration")
                        ),
                    );
                }
                false
            }
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Stream::new(self.shared.clone())))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
