//! The built filter imports only what Envoy provides and exports the ABI marker.

use std::collections::BTreeSet;

use scrim_tests::wasm_artifact;

/// `env.proxy_*` functions of proxy-wasm ABI 0.2.1 (spec `abi-versions/v0.2.1`), as Envoy's host
/// (proxy-wasm-cpp-host) registers them for a 0.2.1 module.
const PROXY_ABI_0_2_1: &[&str] = &[
    "proxy_log",
    "proxy_get_log_level",
    "proxy_get_current_time_nanoseconds",
    "proxy_set_tick_period_milliseconds",
    "proxy_get_buffer_bytes",
    "proxy_set_buffer_bytes",
    "proxy_get_buffer_status",
    "proxy_get_header_map_size",
    "proxy_get_header_map_pairs",
    "proxy_set_header_map_pairs",
    "proxy_get_header_map_value",
    "proxy_add_header_map_value",
    "proxy_replace_header_map_value",
    "proxy_remove_header_map_value",
    "proxy_continue_stream",
    "proxy_close_stream",
    "proxy_get_status",
    "proxy_send_local_response",
    "proxy_http_call",
    "proxy_grpc_call",
    "proxy_grpc_stream",
    "proxy_grpc_send",
    "proxy_grpc_cancel",
    "proxy_grpc_close",
    "proxy_set_shared_data",
    "proxy_get_shared_data",
    "proxy_register_shared_queue",
    "proxy_resolve_shared_queue",
    "proxy_enqueue_shared_queue",
    "proxy_dequeue_shared_queue",
    "proxy_define_metric",
    "proxy_increment_metric",
    "proxy_record_metric",
    "proxy_get_metric",
    "proxy_get_property",
    "proxy_set_property",
    "proxy_set_effective_context",
    "proxy_done",
    "proxy_call_foreign_function",
];

/// WASI preview1 functions Envoy's host registers (`FOR_ALL_WASI_FUNCTIONS` in
/// proxy-wasm-cpp-host).
const WASI_PREVIEW1: &[&str] = &[
    "fd_write",
    "fd_read",
    "fd_seek",
    "fd_close",
    "fd_fdstat_get",
    "environ_get",
    "environ_sizes_get",
    "args_get",
    "args_sizes_get",
    "clock_time_get",
    "random_get",
    "proc_exit",
    "path_open",
    "fd_prestat_get",
    "fd_prestat_dir_name",
];

fn module() -> wasmtime::Module {
    let engine = wasmtime::Engine::default();
    wasmtime::Module::from_file(&engine, wasm_artifact("scrim_envoy.wasm"))
        .expect("scrim_envoy.wasm compiles under wasmtime")
}

#[test]
fn filter_imports_only_what_envoy_provides() {
    let module = module();
    let mut unexpected = Vec::new();
    for import in module.imports() {
        let allowed = match import.module() {
            "env" => PROXY_ABI_0_2_1.contains(&import.name()),
            "wasi_snapshot_preview1" => WASI_PREVIEW1.contains(&import.name()),
            _ => false,
        };
        if !allowed {
            unexpected.push(format!("{}.{}", import.module(), import.name()));
        }
    }
    assert!(
        unexpected.is_empty(),
        "imports Envoy does not provide: {unexpected:?}"
    );
}

#[test]
fn filter_exports_the_abi_marker_and_callbacks() {
    let module = module();
    let exports: BTreeSet<&str> = module.exports().map(|e| e.name()).collect();
    for name in [
        "proxy_abi_version_0_2_1",
        "_initialize",
        "proxy_on_memory_allocate",
        "proxy_on_context_create",
        "proxy_on_configure",
        "proxy_on_request_headers",
        "proxy_on_response_headers",
        "proxy_on_response_body",
        "proxy_on_log",
        "proxy_on_done",
        "proxy_on_delete",
    ] {
        assert!(
            exports.contains(name),
            "missing export {name}; exports: {exports:?}"
        );
    }
}

#[test]
fn optimized_filter_fits_in_one_mebibyte() {
    let path = wasm_artifact("scrim_envoy.opt.wasm");
    let size = std::fs::metadata(&path).expect("opt wasm metadata").len();
    assert!(
        size <= 1024 * 1024,
        "{} is {size} bytes, over 1 MiB",
        path.display()
    );
}
