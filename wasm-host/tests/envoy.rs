//! scrim-host's Envoy semantics, proven with the `scrim-test-filter` fixture module.
//!
//! Build the fixture first:
//! `cargo build -p scrim-test-filter --target wasm32-wasip1 --profile wasm-release`.

use std::sync::OnceLock;
use std::time::Duration;

use scrim_host::{
    Action, ChunkPlan, Exchange, Host, HttpMessage, Locality, LogLevel, Metadata, MetadataValue,
    MetricKind, Plugin, PluginOptions, module_path,
};

/// The fixture module, compiled once for all tests. If it is missing, the panic names the
/// build command (`cargo build -p scrim-test-filter --target wasm32-wasip1 --profile wasm-release`).
fn host() -> &'static Host {
    static HOST: OnceLock<Host> = OnceLock::new();
    HOST.get_or_init(|| {
        let path = module_path("scrim-test-filter").unwrap_or_else(|e| panic!("{e}"));
        Host::from_file(&path).unwrap()
    })
}

fn start(config: &str) -> Plugin {
    host().start(PluginOptions::new(config)).unwrap()
}

fn mode(m: &str) -> Plugin {
    start(&format!(r#"{{"mode":"{m}"}}"#))
}

fn json_exchange() -> Exchange {
    Exchange::new(
        HttpMessage::request("POST", "/users?page=2")
            .header("x-user", "alice")
            .body(r#"{"note":"post body"}"#),
        HttpMessage::response(200)
            .header("content-type", "application/json")
            .body(r#"{"email":"alice@example.com","name":"Alice Liddell","id":12345}"#),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn passthrough_leaves_every_byte_alone_under_every_plan() {
    let mut plugin = mode("passthrough");
    let ex = json_exchange();
    for plan in ChunkPlan::all(11) {
        let out = plugin.run(&ex, plan);
        assert_eq!(
            out.upstream.headers.as_ref(),
            Some(&ex.request.headers),
            "{plan:?}"
        );
        assert_eq!(out.upstream.body, ex.request.body, "{plan:?}");
        assert_eq!(
            out.downstream.headers.as_ref(),
            Some(&ex.response.headers),
            "{plan:?}"
        );
        assert_eq!(out.downstream.body, ex.response.body, "{plan:?}");
        assert!(!out.stalled && !out.reset && out.trap.is_none() && out.local_reply.is_none());
    }
}

#[test]
fn paused_body_is_buffered_and_reported_cumulatively() {
    let mut plugin = mode("buffer-upper");
    let ex = json_exchange();
    let expected = String::from_utf8(ex.response.body.clone())
        .unwrap()
        .to_uppercase();
    for plan in ChunkPlan::all(3) {
        let out = plugin.run(&ex, plan);
        // Only a cumulative size lets get(0, size) at end of stream see the whole body.
        assert_eq!(
            String::from_utf8(out.downstream.body.clone()).unwrap(),
            expected,
            "{plan:?}"
        );
        assert_eq!(
            out.upstream.body,
            ex.request.body.to_ascii_uppercase(),
            "{plan:?}"
        );
        assert_eq!(
            out.downstream.header("content-length"),
            None,
            "filter removed it in response headers"
        );
        assert!(out.downstream.complete && !out.stalled);
    }
}

#[test]
fn pause_holds_bytes_until_continue() {
    let mut plugin = mode("buffer-upper");
    let mut s = plugin.new_stream();
    s.request_headers(HttpMessage::request("GET", "/").headers, true);
    s.response_headers(HttpMessage::response(200).headers, false);
    assert_eq!(s.response_body(b"abc", false), Some(Action::Pause));
    assert_eq!(s.response_body(b"def", false), Some(Action::Pause));
    assert!(
        s.downstream().body.is_empty(),
        "paused bytes must not go downstream"
    );
    assert_eq!(s.response_body(b"g", true), Some(Action::Continue));
    assert_eq!(s.downstream().body, b"ABCDEFG");
    let out = s.finish();
    assert!(out.downstream.complete);
}

#[test]
fn streaming_edits_replace_each_chunk() {
    let mut plugin = mode("stream-upper");
    let mut s = plugin.new_stream();
    s.request_headers(HttpMessage::request("GET", "/").headers, true);
    s.response_headers(HttpMessage::response(200).headers, false);
    assert_eq!(s.response_body(b"ab", false), Some(Action::Continue));
    assert_eq!(
        s.downstream().body,
        b"AB",
        "a continued chunk goes on at once"
    );
    s.response_body(b"cd", true);
    assert_eq!(s.finish().downstream.body, b"ABCD");
}

#[test]
fn prefix_replace_and_append_are_allowed() {
    let mut plugin = mode("wrap");
    for plan in ChunkPlan::all(5) {
        let out = plugin.run(&json_exchange(), plan);
        let body = String::from_utf8(out.downstream.body).unwrap();
        assert!(
            body.starts_with("<{\"email\"") && body.ends_with("}>"),
            "{plan:?}: {body}"
        );
    }
}

#[test]
fn mid_buffer_edit_is_bad_argument_and_traps_the_sdk() {
    let mut plugin = mode("mid-edit");
    let out = plugin.run(&json_exchange(), ChunkPlan::Fixed(10));
    let trap = out.trap.expect("the SDK panics on BAD_ARGUMENT");
    assert_eq!(trap.callback, "proxy_on_response_body");
    assert!(
        trap.panic_message
            .unwrap_or_default()
            .contains("unexpected status: 2")
    );
    // Response headers were already downstream: Envoy can only reset.
    assert!(out.reset);
    assert!(plugin.failure().is_some());
}

#[test]
fn request_headers_are_gone_after_the_request_phase() {
    let mut plugin = mode("late-request-header");
    let ex = Exchange::new(
        HttpMessage::request("GET", "/")
            .header("x-user", "first")
            .header("x-user", "second"),
        HttpMessage::response(200).body("ok"),
    );
    let out = plugin.run(&ex, ChunkPlan::Whole);
    assert_eq!(
        out.downstream.header("x-early"),
        Some("first"),
        "first value of a repeated header"
    );
    assert_eq!(
        out.downstream.header("x-late"),
        Some("status 2"),
        "BAD_ARGUMENT"
    );
    assert!(out.trap.is_none());
}

#[test]
fn response_headers_are_frozen_after_their_callback() {
    let mut plugin = mode("late-request-header");
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert!(
        out.logs
            .iter()
            .any(|l| l.message == "late response header write: status 2"),
        "{:?}",
        out.logs
    );
    assert_eq!(out.downstream.header("x-late-body"), None);
}

#[test]
fn local_reply_is_deferred_and_runs_through_response_callbacks() {
    let mut plugin = mode("local-reply");
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert_eq!(out.status(), Some(403));
    assert_eq!(out.downstream.body, b"denied");
    assert_eq!(out.downstream.header("x-scrim"), Some("denied"));
    assert_eq!(out.downstream.header("x-filter-saw-status"), Some("403"));
    assert_eq!(out.upstream.headers, None, "nothing reaches the upstream");
    let reply = out.local_reply.unwrap();
    assert_eq!((reply.status, reply.body.as_slice()), (403, &b"denied"[..]));
    assert!(!out.stalled);
}

#[test]
fn local_reply_is_refused_after_response_headers_went_downstream() {
    let mut plugin = mode("late-local-reply");
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert!(
        out.logs
            .iter()
            .any(|l| l.message == "late local reply: status 2"),
        "{:?}",
        out.logs
    );
    assert_eq!(out.status(), Some(200));
    assert!(out.local_reply.is_none());
}

#[test]
fn request_over_the_buffer_limit_gets_413() {
    let mut options = PluginOptions::new(r#"{"mode":"buffer-upper"}"#);
    options.buffer_limit = 16;
    let mut plugin = host().start(options).unwrap();
    let ex = Exchange::new(
        HttpMessage::request("POST", "/").body(vec![b'a'; 40]),
        HttpMessage::response(200),
    );
    let out = plugin.run(&ex, ChunkPlan::Fixed(7));
    assert_eq!(out.status(), Some(413));
    assert_eq!(
        out.local_reply.unwrap().details,
        "request_payload_too_large"
    );
    assert!(!out.upstream.complete);
    // Envoy runs the filter's response callbacks on its own reply: buffer-upper uppercases it.
    assert_eq!(out.downstream.body, b"PAYLOAD TOO LARGE");
}

#[test]
fn response_over_the_limit_resets_once_headers_are_downstream() {
    let mut options = PluginOptions::new(r#"{"mode":"buffer-upper"}"#);
    options.buffer_limit = 16;
    let mut plugin = host().start(options).unwrap();
    let ex = Exchange::new(
        HttpMessage::request("GET", "/"),
        HttpMessage::response(200).body(vec![b'a'; 40]),
    );
    let out = plugin.run(&ex, ChunkPlan::Fixed(7));
    assert!(out.reset);
    assert_eq!(out.status(), Some(200), "headers went before the body");
    assert!(out.downstream.body.is_empty());
}

#[test]
fn response_over_the_limit_gets_500_while_headers_are_held() {
    let mut options = PluginOptions::new(r#"{"mode":"hold-response-headers"}"#);
    options.buffer_limit = 16;
    let mut plugin = host().start(options).unwrap();
    let ex = Exchange::new(
        HttpMessage::request("GET", "/"),
        HttpMessage::response(200).body(vec![b'a'; 40]),
    );
    let out = plugin.run(&ex, ChunkPlan::Fixed(7));
    assert_eq!(out.status(), Some(500));
    assert_eq!(
        out.local_reply.unwrap().details,
        "response_payload_too_large"
    );
}

#[test]
fn a_stream_that_never_resumes_is_stalled() {
    let mut plugin = mode("hold-response-headers");
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert!(out.stalled);
    assert_eq!(out.downstream.headers, None);
    assert!(
        out.downstream.body.is_empty(),
        "the body is withheld while headers are paused"
    );
}

#[test]
fn panic_fails_the_vm_closed_with_503() {
    let mut plugin = mode("panic");
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert_eq!(out.status(), Some(503));
    assert_eq!(
        out.local_reply.as_ref().unwrap().details,
        "wasm_fail_stream"
    );
    let trap = out.trap.unwrap();
    assert!(
        trap.panic_message
            .unwrap()
            .contains("boom in request headers")
    );
    assert!(out.upstream.headers.is_none());
    // Every later stream is refused too, without calling the plugin.
    let later = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert_eq!(later.status(), Some(503));
    assert!(later.logs.is_empty());
}

#[test]
fn fail_open_passes_traffic_after_a_trap() {
    let mut options = PluginOptions::new(r#"{"mode":"panic"}"#);
    options.fail_open = true;
    let mut plugin = host().start(options).unwrap();
    let ex = json_exchange();
    for _ in 0..2 {
        let out = plugin.run(&ex, ChunkPlan::Fixed(9));
        assert_eq!(out.status(), Some(200));
        assert_eq!(out.downstream.body, ex.response.body);
        assert_eq!(out.upstream.body, ex.request.body);
        assert!(out.trap.is_some());
    }
}

#[test]
fn a_deadline_stops_a_runaway_filter() {
    let mut options = PluginOptions::new(r#"{"mode":"loop"}"#);
    options.callback_deadline = Some(Duration::from_millis(50));
    let mut plugin = host().start(options).unwrap();
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    let trap = out.trap.as_ref().unwrap();
    assert!(trap.timed_out, "{trap:?}");
    assert_eq!(out.status(), Some(503));
    // The VM stays failed, as in Envoy: the next stream gets 503 without running the filter.
    assert_eq!(
        plugin.run(&json_exchange(), ChunkPlan::Whole).status(),
        Some(503)
    );
}

#[test]
fn a_plugin_keeps_its_deadline_after_its_host_is_dropped() {
    // Its own host (the shared one lives for the whole test run): the only handle on the
    // epoch thread left after `drop(host)` is the plugin's.
    let host = Host::from_file(module_path("scrim-test-filter").unwrap()).unwrap();
    let mut options = PluginOptions::new(r#"{"mode":"loop"}"#);
    options.callback_deadline = Some(Duration::from_millis(50));
    let mut plugin = host.start(options).unwrap();
    drop(host);
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert!(out.trap.as_ref().unwrap().timed_out);
}

#[test]
fn metrics_are_readable_by_name() {
    let mut plugin = mode("metrics");
    let ex = json_exchange();
    for plan in [ChunkPlan::Whole, ChunkPlan::Fixed(5), ChunkPlan::OneByte] {
        plugin.run(&ex, plan);
    }
    let requests = plugin.metric("requests_total").unwrap();
    assert_eq!((requests.kind, requests.value), (MetricKind::Counter, 3));
    assert_eq!(
        plugin.metric("in_flight").unwrap().value,
        0,
        "incremented per request, decremented in on_log"
    );
    let sizes = &plugin.metric("response_body_bytes").unwrap().samples;
    let n = ex.response.body.len();
    // Without pausing, each body callback reports its own chunk: the last one is recorded.
    let last_fixed = if n.is_multiple_of(5) { 5 } else { n % 5 };
    assert_eq!(sizes, &vec![n as u64, last_fixed as u64, 1]);
}

fn property_headers(plugin: &mut Plugin, ex: &Exchange) -> (String, String) {
    let out = plugin.run(ex, ChunkPlan::Whole);
    let get = |k| out.downstream.header(k).unwrap_or("missing").to_owned();
    (get("x-property-request"), get("x-property-response"))
}

#[test]
fn caller_set_properties_are_present_or_absent() {
    let mut plugin = start(r#"{"mode":"property","property":"xds.cluster_name"}"#);
    let ex = json_exchange().property("xds.cluster_name", "outbound|443||eu.svc");
    let want = hex(b"outbound|443||eu.svc");
    assert_eq!(property_headers(&mut plugin, &ex), (want.clone(), want));
    let absent = "absent".to_owned();
    assert_eq!(
        property_headers(&mut plugin, &json_exchange()),
        (absent.clone(), absent)
    );
}

#[test]
fn request_properties_exist_only_in_the_request_phase() {
    let mut plugin = start(r#"{"mode":"property","property":"request.url_path"}"#);
    let (req, resp) = property_headers(&mut plugin, &json_exchange());
    assert_eq!(req, hex(b"/users"));
    assert_eq!(resp, "absent");
}

#[test]
fn locality_and_metadata_arrive_as_protobuf() {
    let mut plugin = start(r#"{"mode":"property","property":"upstream.locality"}"#);
    let locality = Locality {
        region: "eu-west-1".into(),
        zone: "eu-west-1a".into(),
        sub_zone: String::new(),
    };
    let ex = json_exchange().property("upstream.locality", locality.clone());
    let (req, _) = property_headers(&mut plugin, &ex);
    assert_eq!(req, hex(&locality.encode()));
    assert!(req.starts_with("0a09"), "field 1, length 9: {req}");

    let mut plugin = start(r#"{"mode":"property","property":"xds.route_metadata"}"#);
    let md = Metadata::new().with("scrim", "data_region", MetadataValue::String("eu".into()));
    let ex = json_exchange().property("xds.route_metadata", md.clone());
    assert_eq!(property_headers(&mut plugin, &ex).0, hex(&md.encode()));
}

#[test]
fn response_properties_appear_from_the_response_headers_on() {
    // As in Envoy, where the router picks the upstream host after the request headers.
    let mut plugin = start(r#"{"mode":"property","property":"upstream.locality"}"#);
    let locality = Locality {
        region: "us-east-1".into(),
        zone: String::new(),
        sub_zone: String::new(),
    };
    let ex = json_exchange().response_property("upstream.locality", locality.clone());
    let (req, resp) = property_headers(&mut plugin, &ex);
    assert_eq!(req, "absent");
    assert_eq!(resp, hex(&locality.encode()));
}

#[test]
fn integer_properties_are_8_bytes_little_endian() {
    let options = PluginOptions::new(r#"{"mode":"property","property":"source.port"}"#)
        .property("source.port", 8443i64);
    let mut plugin = host().start(options).unwrap();
    assert_eq!(
        property_headers(&mut plugin, &json_exchange()).0,
        hex(&8443i64.to_le_bytes())
    );
}

#[test]
fn env_vars_reach_the_plugin_through_wasi() {
    let options =
        PluginOptions::new(r#"{"mode":"env","env":"SCRIM_HMAC_KEY"}"#).env("SCRIM_HMAC_KEY", "k3y");
    let mut plugin = host().start(options).unwrap();
    assert_eq!(
        plugin
            .run(&json_exchange(), ChunkPlan::Whole)
            .downstream
            .header("x-env"),
        Some("k3y")
    );
    let mut plugin = start(r#"{"mode":"env","env":"SCRIM_HMAC_KEY"}"#);
    assert_eq!(
        plugin
            .run(&json_exchange(), ChunkPlan::Whole)
            .downstream
            .header("x-env"),
        Some("absent")
    );
}

#[test]
fn rejected_configuration_is_an_error_with_the_plugin_logs() {
    let err = host()
        .start(PluginOptions::new(r#"{"mode":"nope"}"#))
        .unwrap_err();
    assert!(err.is_rejected());
    assert!(
        err.logs()
            .iter()
            .any(|l| l.level == LogLevel::Error && l.message.contains("unknown mode `nope`"))
    );
    assert!(err.to_string().contains("proxy_on_configure"), "{err}");
}

#[test]
fn vm_config_is_only_visible_in_on_vm_start() {
    let mut options = PluginOptions::new(r#"{"mode":"passthrough"}"#);
    options.vm_config = b"vm-settings".to_vec();
    let plugin = host().start(options).unwrap();
    assert!(
        plugin
            .logs()
            .iter()
            .any(|l| l.message == "vm config: vm-settings")
    );
}

#[test]
fn trailers_end_a_buffered_body() {
    let mut plugin = mode("passthrough");
    let ex = Exchange::new(
        HttpMessage::request("POST", "/")
            .body("abc")
            .trailer("grpc-status", "0"),
        HttpMessage::response(200)
            .body("xyz")
            .trailer("x-checksum", "1"),
    );
    let out = plugin.run(&ex, ChunkPlan::OneByte);
    assert_eq!(
        out.upstream
            .trailers
            .as_ref()
            .and_then(|t| t.get("grpc-status")),
        Some("0")
    );
    assert_eq!(out.downstream.body, b"xyz");
    assert!(out.downstream.complete && !out.stalled);
}

#[test]
fn linear_memory_stays_bounded_over_many_streams() {
    let mut plugin = mode("buffer-upper");
    let ex = json_exchange();
    plugin.run(&ex, ChunkPlan::Whole);
    let after_first = plugin.memory_bytes();
    assert!(after_first > 0);
    for _ in 0..300 {
        plugin.run(&ex, ChunkPlan::Fixed(16));
    }
    assert!(
        plugin.memory_bytes() <= after_first + (1 << 16),
        "memory grew by more than a page"
    );
}

#[test]
fn pause_from_headers_withholds_the_body_until_continue_stream() {
    let mut plugin = mode("pause-until-tick");
    assert_eq!(plugin.tick_period_ms(), 10);
    let id = {
        let mut s = plugin.new_stream();
        assert_eq!(
            s.request_headers(HttpMessage::request("POST", "/").headers, false),
            Some(Action::Pause)
        );
        assert_eq!(
            s.request_body(b"abc", false),
            None,
            "withheld: the filter is not called"
        );
        assert_eq!(s.request_body(b"de", true), None);
        assert_eq!(s.upstream().headers, None);
        s.id()
    };
    plugin.tick();
    let s = plugin.stream(id).unwrap();
    let upstream = s.upstream();
    assert!(upstream.headers.is_some() && upstream.complete);
    assert_eq!(upstream.body, b"abcde");
    let out = s.finish();
    assert!(
        out.logs
            .iter()
            .any(|l| l.message == "request body size 5 eos true"),
        "{:?}",
        out.logs
    );
}

#[test]
fn continue_stream_takes_effect_after_the_callback_returns() {
    let mut plugin = mode("continue-inline");
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert_eq!(out.upstream.header("x-after-continue"), Some("1"));
    assert!(!out.stalled);
    assert_eq!(out.status(), Some(200));
}

#[test]
fn a_module_that_is_not_proxy_wasm_is_refused() {
    let empty_module = b"\0asm\x01\0\0\0";
    let err = Host::from_bytes(empty_module).unwrap_err();
    assert!(err.to_string().contains("proxy_abi_version_0_2_1"), "{err}");
    let err = Host::from_file("/nonexistent/filter.wasm").unwrap_err();
    assert!(
        err.to_string().contains("`/nonexistent/filter.wasm`"),
        "{err}"
    );
}

#[test]
fn a_trap_fails_other_open_streams_too() {
    let mut plugin = mode("mid-edit");
    let ex = json_exchange();
    let other = {
        let mut s = plugin.new_stream();
        s.request_headers(ex.request.headers.clone(), true);
        s.id()
    };
    let out = plugin.run(&ex, ChunkPlan::Whole);
    assert!(out.trap.is_some());
    let mut s = plugin.stream(other).unwrap();
    assert_eq!(
        s.response_headers(ex.response.headers.clone(), false),
        None,
        "the VM is gone"
    );
    let out = s.finish();
    assert_eq!(out.status(), Some(503));
    assert!(out.trap.is_some());
}

#[test]
fn wasi_output_becomes_logs_and_the_clock_is_frozen() {
    let mut options = PluginOptions::new(r#"{"mode":"wasi"}"#);
    options.clock_ns = 1_700_000_000_123_456_789;
    let mut plugin = host().start(options).unwrap();
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    let has = |level, text: &str| {
        out.logs
            .iter()
            .any(|l| l.level == level && l.message == text)
    };
    assert!(has(LogLevel::Info, "hello from stdout"), "{:?}", out.logs);
    assert!(has(LogLevel::Error, "hello from stderr"), "{:?}", out.logs);
    assert_eq!(
        out.downstream.header("x-time-wasi"),
        Some("1700000000123456789")
    );
    assert_eq!(
        out.downstream.header("x-time-proxy"),
        Some("1700000000123456789")
    );
}

#[test]
fn close_stream_resets_after_the_callback() {
    let mut plugin = mode("reset");
    let out = plugin.run(&json_exchange(), ChunkPlan::Whole);
    assert!(out.reset && !out.stalled);
    assert_eq!(
        out.upstream.headers, None,
        "the reset wins over the returned Continue"
    );
    assert_eq!(out.downstream.headers, None);
}

#[test]
fn interleaved_streams_keep_their_own_buffers() {
    let mut plugin = mode("buffer-upper");
    let bodies: Vec<Vec<u8>> = (0..20)
        .map(|i| format!("stream {i} says hello").into_bytes())
        .collect();
    let ids: Vec<u32> = bodies
        .iter()
        .map(|_| {
            let mut s = plugin.new_stream();
            s.request_headers(HttpMessage::request("GET", "/").headers, true);
            s.response_headers(HttpMessage::response(200).headers, false);
            s.id()
        })
        .collect();
    let longest = bodies.iter().map(Vec::len).max().unwrap();
    for at in 0..longest {
        for (id, body) in ids.iter().zip(&bodies) {
            if let Some(byte) = body.get(at) {
                let last = at + 1 == body.len();
                plugin.stream(*id).unwrap().response_body(&[*byte], last);
            }
        }
    }
    for (id, body) in ids.iter().zip(&bodies) {
        let out = plugin.stream(*id).unwrap().finish();
        assert_eq!(out.downstream.body, body.to_ascii_uppercase());
    }
}
