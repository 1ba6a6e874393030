#!/usr/bin/env python3
"""Validate Scrim's deployment configs the way Envoy and Istio would read them.

Envoy: the YAML bootstrap is converted to JSON and parsed into
`envoy.config.bootstrap.v3.Bootstrap` with every Envoy, xDS and UDPA proto module imported, so
every `typed_config` `@type` must resolve and every field must exist (no unknown fields). On top,
a subset of the protoc-gen-validate rules Envoy enforces at load (required fields, lengths,
ranges, defined enums), a ban on deprecated fields, and Scrim's own placement rules.

Istio: there is no small Istio proto package on PyPI, so the WasmPlugin is checked structurally
against istio/api `extensions/v1alpha1/wasm.proto` (keys, enum values, CRD patterns).

Usage:
  validate_envoy.py                 run the built-in suite over deploy/envoy and deploy/istio
  validate_envoy.py FILE...         validate your own files (Envoy bootstrap, WasmPlugin or
                                    EnvoyFilter YAML)
  validate_envoy.py --require-digest FILE...
                                    also reject the sha256 placeholder in a WasmPlugin

The last line of output is `N passed, N failed`; the exit status is non-zero on any failure.
"""

from __future__ import annotations

import copy
import difflib
import importlib
import json
import pkgutil
import re
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml
from google.protobuf import any_pb2, descriptor, descriptor_pool, json_format, message, message_factory

REPO = Path(__file__).resolve().parents[2]
ENVOY_YAML = REPO / "deploy" / "envoy" / "envoy.yaml"
ISTIO_YAML = REPO / "deploy" / "istio" / "wasmplugin.yaml"
STRIP_YAML = REPO / "deploy" / "istio" / "strip-trusted-headers.yaml"

# --------------------------------------------------------------------------------------------
# Loading Envoy's protos
# --------------------------------------------------------------------------------------------

PROTO_PACKAGES = ("envoy", "xds", "udpa", "validate")


def import_all_protos() -> list[str]:
    """Import every generated `*_pb2` module so the default pool knows every Envoy type.

    Returns the full names of all message types, for "did you mean" hints.
    """
    names: list[str] = []
    for pkg_name in PROTO_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
            if not info.name.endswith("_pb2"):
                continue
            module = importlib.import_module(info.name)
            fd = getattr(module, "DESCRIPTOR", None)
            if fd is not None:
                names.extend(_message_names(fd.message_types_by_name.values()))
    return names


def _message_names(descs: Any) -> Iterator[str]:
    for d in descs:
        yield d.full_name
        yield from _message_names(d.nested_types)


ALL_TYPES = import_all_protos()
POOL = descriptor_pool.Default()

from envoy.config.bootstrap.v3 import bootstrap_pb2  # noqa: E402  (after the imports above)
from envoy.extensions.filters.network.http_connection_manager.v3 import (  # noqa: E402
    http_connection_manager_pb2 as hcm_pb2,
)
from validate import validate_pb2  # noqa: E402

TYPE_PREFIX = "type.googleapis.com/"
T_HCM = "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
T_WASM = "envoy.extensions.filters.http.wasm.v3.Wasm"
T_GEOIP = "envoy.extensions.filters.http.geoip.v3.Geoip"
T_JWT = "envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication"
T_ROUTER = "envoy.extensions.filters.http.router.v3.Router"
T_HEADER_MUTATION = "envoy.extensions.filters.http.header_mutation.v3.HeaderMutation"
T_EARLY_HEADER_MUTATION = "envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation"
T_COMPRESSOR = "envoy.extensions.filters.http.compressor.v3.Compressor"
T_DECOMPRESSOR = "envoy.extensions.filters.http.decompressor.v3.Decompressor"
T_STRING_VALUE = "google.protobuf.StringValue"

ENVOY_DEFAULT_BUFFER_LIMIT = 1024 * 1024


class Problems(list):
    """A list of human-readable problems; empty means valid."""

    def add(self, where: str, text: str) -> None:
        self.append(f"{where}: {text}" if where else text)


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f"; did you mean `{close[0]}`?" if close else ""


# --------------------------------------------------------------------------------------------
# Envoy: YAML -> JSON -> Bootstrap
# --------------------------------------------------------------------------------------------


def type_urls(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Yield (JSON pointer, type URL) for every `@type` in a YAML/JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key == "@type" and isinstance(value, str):
                yield child, value
            else:
                yield from type_urls(value, child)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from type_urls(value, f"{pointer}/{i}")


def check_type_urls(doc: Any) -> Problems:
    """Every `@type` must name a message Envoy knows; say which one was meant when close."""
    problems = Problems()
    for pointer, url in type_urls(doc):
        name = url.rsplit("/", 1)[-1]
        if not url.startswith(TYPE_PREFIX):
            problems.add(pointer, f"type URL `{url}` must start with `{TYPE_PREFIX}`")
            continue
        try:
            POOL.FindMessageTypeByName(name)
        except KeyError:
            problems.add(
                pointer, f"unknown type `{name}`: no Envoy proto defines it{did_you_mean(name, ALL_TYPES)}"
            )
    return problems


def parse_strict(doc: Any, msg: message.Message, what: str, where: str = "") -> Problems:
    """Parse YAML (as JSON) into `msg` the strict way Envoy does: unknown fields and types fail."""
    problems = Problems()
    for problem in check_type_urls(doc):
        problems.add(where, problem)
    if problems:
        return problems
    try:
        text = json.dumps(doc)
    except (TypeError, ValueError) as err:
        problems.add(where, f"cannot convert YAML to JSON: {err}")
        return problems
    try:
        json_format.Parse(text, msg, ignore_unknown_fields=False, descriptor_pool=POOL)
    except json_format.ParseError as err:
        problems.add(where, f"Envoy would reject the {what}: {err}")
    return problems


def parse_bootstrap(doc: Any) -> tuple[bootstrap_pb2.Bootstrap | None, Problems]:
    """Parse a bootstrap the strict way Envoy does: unknown fields and types are errors."""
    msg = bootstrap_pb2.Bootstrap()
    problems = parse_strict(doc, msg, "bootstrap")
    return (None if problems else msg), problems


# --------------------------------------------------------------------------------------------
# Envoy: protoc-gen-validate rules (the subset Envoy's configs commonly hit) and deprecations
# --------------------------------------------------------------------------------------------

WRAPPERS = {
    "google.protobuf.UInt32Value",
    "google.protobuf.UInt64Value",
    "google.protobuf.Int32Value",
    "google.protobuf.Int64Value",
    "google.protobuf.DoubleValue",
    "google.protobuf.FloatValue",
    "google.protobuf.StringValue",
    "google.protobuf.BoolValue",
    "google.protobuf.BytesValue",
}


def unpack_any(value: any_pb2.Any) -> message.Message | None:
    try:
        desc = POOL.FindMessageTypeByName(value.type_url.rsplit("/", 1)[-1])
    except KeyError:
        return None
    inner = message_factory.GetMessageClass(desc)()
    return inner if value.Unpack(inner) else None


def _duration_seconds(d: Any) -> float:
    return d.seconds + d.nanos / 1e9


def _check_number(value: float, rules: Any, path: str, problems: Problems) -> None:
    has = rules.HasField
    if rules.DESCRIPTOR.fields_by_name.get("ignore_empty") and rules.ignore_empty and value == 0:
        return
    if has("const") and value != rules.const:
        problems.add(path, f"must equal {rules.const}, got {value}")
    lo_ok = (not has("gt") or value > rules.gt) and (not has("gte") or value >= rules.gte)
    hi_ok = (not has("lt") or value < rules.lt) and (not has("lte") or value <= rules.lte)
    bounds = " ".join(f"{op} {getattr(rules, op)}" for op in ("gt", "gte", "lt", "lte") if has(op))
    if not (lo_ok and hi_ok):
        problems.add(path, f"value {value} is out of range ({bounds})")
    allowed = list(getattr(rules, "in", []))
    if allowed and value not in allowed:
        problems.add(path, f"value {value} must be one of {allowed}")


def _check_string(value: str, rules: Any, path: str, problems: Problems) -> None:
    if rules.ignore_empty and value == "":
        return
    n, nb = len(value), len(value.encode())
    if rules.HasField("min_len") and n < rules.min_len:
        problems.add(path, f"must have at least {rules.min_len} characters, got `{value}`")
    if rules.HasField("max_len") and n > rules.max_len:
        problems.add(path, f"must have at most {rules.max_len} characters")
    if rules.HasField("min_bytes") and nb < rules.min_bytes:
        problems.add(path, f"must have at least {rules.min_bytes} bytes, got `{value}`")
    if rules.HasField("max_bytes") and nb > rules.max_bytes:
        problems.add(path, f"must have at most {rules.max_bytes} bytes")
    if rules.HasField("prefix") and not value.startswith(rules.prefix):
        problems.add(path, f"`{value}` must start with `{rules.prefix}`")
    allowed = list(getattr(rules, "in"))
    if allowed and value not in allowed:
        problems.add(path, f"`{value}` must be one of {allowed}")
    if rules.HasField("pattern"):
        try:
            if re.search(rules.pattern, value) is None:
                problems.add(path, f"`{value}` does not match `{rules.pattern}`")
        except re.error:
            pass  # an RE2-only construct; Envoy checks it, we cannot.


def _check_scalar(
    field: descriptor.FieldDescriptor, value: Any, rules: Any, path: str, problems: Problems
) -> None:
    """Apply one field's rules to one value (a scalar, an enum, or a message)."""
    kind = rules.WhichOneof("type")
    if kind is None:
        return
    sub = getattr(rules, kind)
    if kind == "string":
        _check_string(value, sub, path, problems)
    elif kind in (
        "uint32",
        "uint64",
        "int32",
        "int64",
        "sint32",
        "sint64",
        "fixed32",
        "fixed64",
        "sfixed32",
        "sfixed64",
        "double",
        "float",
    ):
        _check_number(value, sub, path, problems)
    elif kind == "enum":
        if sub.defined_only and field.enum_type.values_by_number.get(value) is None:
            problems.add(path, f"{value} is not a defined value of {field.enum_type.full_name}")
    elif kind == "duration" and value is not None:
        secs = _duration_seconds(value)
        for op, ok in (
            ("gt", lambda b: secs > b),
            ("gte", lambda b: secs >= b),
            ("lt", lambda b: secs < b),
            ("lte", lambda b: secs <= b),
        ):
            if sub.HasField(op) and not ok(_duration_seconds(getattr(sub, op))):
                problems.add(path, f"duration {secs}s violates {op} {_duration_seconds(getattr(sub, op))}s")
    elif kind == "any" and value is not None:
        allowed = list(getattr(sub, "in"))
        if allowed and value.type_url not in allowed:
            problems.add(path, f"type `{value.type_url}` is not allowed here; allowed: {allowed}")


def check_pgv(msg: message.Message, path: str = "") -> Problems:
    """Check protoc-gen-validate rules and deprecated fields, recursively, through `Any`."""
    problems = Problems()
    _walk_pgv(msg, path or msg.DESCRIPTOR.name, problems)
    return problems


def _walk_pgv(msg: message.Message, path: str, problems: Problems) -> None:
    desc = msg.DESCRIPTOR
    if desc.full_name == "google.protobuf.Any":
        inner = unpack_any(msg)
        if inner is not None:
            _walk_pgv(inner, f"{path}({inner.DESCRIPTOR.name})", problems)
        return
    for oneof in desc.oneofs:
        opts = oneof.GetOptions()
        if opts.HasExtension(validate_pb2.required) and opts.Extensions[validate_pb2.required]:
            if msg.WhichOneof(oneof.name) is None:
                fields = ", ".join(f"`{f.name}`" for f in oneof.fields)
                problems.add(path, f"one of {fields} is required")
    for field in desc.fields:
        fpath = f"{path}.{field.name}"
        opts = field.GetOptions()
        rules = opts.Extensions[validate_pb2.rules] if opts.HasExtension(validate_pb2.rules) else None
        is_repeated = field.is_repeated
        is_map = is_repeated and field.message_type is not None and field.message_type.GetOptions().map_entry
        in_real_oneof = (
            field.containing_oneof is not None
            and not getattr(field.containing_oneof, "is_synthetic", lambda: False)()
        )
        if is_repeated:
            present = len(getattr(msg, field.name)) > 0
        elif field.message_type is not None or field.has_presence:
            present = msg.HasField(field.name)
        else:
            present = getattr(msg, field.name) != field.default_value
        if present and opts.deprecated:
            problems.add(fpath, "uses a deprecated field; Envoy may drop it, use its replacement")
        if in_real_oneof and msg.WhichOneof(field.containing_oneof.name) != field.name:
            continue
        value = getattr(msg, field.name)
        if is_map:
            value_field = field.message_type.fields_by_name["value"]
            if rules is not None and rules.WhichOneof("type") == "map":
                mr = rules.map
                if mr.HasField("min_pairs") and len(value) < mr.min_pairs:
                    problems.add(fpath, f"needs at least {mr.min_pairs} entries")
            for key in value:
                item = value[key]
                if value_field.message_type is not None:
                    _walk_pgv(item, f"{fpath}[{key}]", problems)
            continue
        if is_repeated:
            item_rules = None
            if rules is not None and rules.WhichOneof("type") == "repeated":
                rr = rules.repeated
                if rr.HasField("min_items") and len(value) < rr.min_items:
                    problems.add(fpath, f"needs at least {rr.min_items} item(s), has {len(value)}")
                if rr.HasField("max_items") and len(value) > rr.max_items:
                    problems.add(fpath, f"allows at most {rr.max_items} item(s), has {len(value)}")
                item_rules = rr.items if rr.HasField("items") else None
            for i, item in enumerate(value):
                ipath = f"{fpath}[{i}]"
                if item_rules is not None:
                    _check_scalar(field, item, item_rules, ipath, problems)
                if field.message_type is not None:
                    _walk_pgv(item, ipath, problems)
            continue
        if field.message_type is not None:
            if rules is not None:
                kind = rules.WhichOneof("type")
                required = (kind == "message" and rules.message.required) or (
                    kind in ("any", "duration", "timestamp") and getattr(rules, kind).required
                )
                if required and not present:
                    problems.add(fpath, "is required")
                    continue
            if not present:
                continue
            if field.message_type.full_name in WRAPPERS and rules is not None:
                _check_scalar(field, value.value, rules, fpath, problems)
            elif rules is not None:
                _check_scalar(field, value, rules, fpath, problems)
            _walk_pgv(value, fpath, problems)
            continue
        if rules is not None:
            _check_scalar(field, value, rules, fpath, problems)


# --------------------------------------------------------------------------------------------
# Scrim's plugin configuration (shared by Envoy's StringValue and Istio's pluginConfig)
# --------------------------------------------------------------------------------------------

TOP_KEYS = {"bundle", "options"}
OPTION_KEYS = {
    "hmac_key_env",
    "max_body_bytes",
    "content_types",
    "failure_mode",
    "audience_header",
    "region_header",
    "claim_header",
    "strip_accept_encoding",
    "profile",
    "routes",
}
ROUTE_KEYS = {"max_body_bytes", "audience", "disabled"}
HEADER_NAME = re.compile(r"^[a-z0-9!#$%&'*+.^_`|~-]+$")
MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DEFAULT_MAX_BODY = 1024 * 1024


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def check_scrim_config(cfg: Any, where: str) -> Problems:
    """Check the JSON that Scrim receives in `proxy_on_configure`; pointers are JSON pointers."""
    p = Problems()
    if not isinstance(cfg, dict):
        p.add(where, "the Scrim configuration must be a JSON object with `bundle` and `options`")
        return p
    for key in cfg:
        if key not in TOP_KEYS:
            p.add(
                f"{where}/{key}",
                f"unknown key `{key}`; expected `bundle` or `options`{did_you_mean(key, TOP_KEYS)}",
            )
    bundle = cfg.get("bundle")
    if not isinstance(bundle, dict):
        p.add(f"{where}/bundle", "missing: put the policy bundle inline as a JSON object")
    else:
        if not (_is_int(bundle.get("scrim")) and bundle.get("scrim") == 1):
            p.add(
                f"{where}/bundle/scrim",
                f"must be the number 1 (bundle format version), got `{json.dumps(bundle.get('scrim'))}`",
            )
        for key in ("name", "revision"):
            if not isinstance(bundle.get(key), str) or not bundle.get(key):
                p.add(
                    f"{where}/bundle/{key}",
                    "must be a non-empty string; it is reported in `x-scrim-policy: name@revision`",
                )
    options = cfg.get("options", {})
    if not isinstance(options, dict):
        p.add(f"{where}/options", "must be a JSON object")
        return p
    w = f"{where}/options"
    for key in options:
        if key not in OPTION_KEYS:
            p.add(f"{w}/{key}", f"unknown option `{key}`{did_you_mean(key, OPTION_KEYS)}")
    if "hmac_key_env" in options and not (
        isinstance(options["hmac_key_env"], str) and ENV_NAME.match(options["hmac_key_env"])
    ):
        p.add(
            f"{w}/hmac_key_env",
            f"must be an environment variable name like `SCRIM_HMAC_KEY`, got `{options['hmac_key_env']}`",
        )
    if "max_body_bytes" in options and not (
        _is_int(options["max_body_bytes"]) and options["max_body_bytes"] > 0
    ):
        p.add(f"{w}/max_body_bytes", f"must be a positive integer, got `{options['max_body_bytes']}`")
    if "content_types" in options:
        cts = options["content_types"]
        if not isinstance(cts, list) or not cts:
            p.add(f"{w}/content_types", "must be a non-empty list of media types")
        else:
            for i, ct in enumerate(cts):
                if not (isinstance(ct, str) and MEDIA_TYPE.match(ct)):
                    p.add(
                        f"{w}/content_types/{i}",
                        f"`{ct}` is not a lowercase media type without parameters (e.g. `application/json`)",
                    )
    if "failure_mode" in options and options["failure_mode"] not in ("closed", "open"):
        p.add(f"{w}/failure_mode", f"must be `closed` or `open`, got `{options['failure_mode']}`")
    for key in ("audience_header", "region_header", "claim_header"):
        if key in options and not (isinstance(options[key], str) and HEADER_NAME.match(options[key])):
            p.add(f"{w}/{key}", f"`{options[key]}` is not a lowercase HTTP header name")
    if "strip_accept_encoding" in options and not isinstance(options["strip_accept_encoding"], bool):
        p.add(f"{w}/strip_accept_encoding", "must be true or false")
    if options.get("profile") is not None and not (
        isinstance(options["profile"], str) and options["profile"]
    ):
        p.add(f"{w}/profile", "must be null or a profile name such as `lockdown`")
    routes = options.get("routes", {})
    if not isinstance(routes, dict):
        p.add(f"{w}/routes", "must be an object keyed by route name (`xds.route_name`)")
        return p
    for name, route in routes.items():
        rw = f"{w}/routes/{name}"
        if not isinstance(route, dict):
            p.add(rw, "must be an object")
            continue
        for key in route:
            if key not in ROUTE_KEYS:
                p.add(f"{rw}/{key}", f"unknown route option `{key}`{did_you_mean(key, ROUTE_KEYS)}")
        if "max_body_bytes" in route and not (
            _is_int(route["max_body_bytes"]) and route["max_body_bytes"] > 0
        ):
            p.add(f"{rw}/max_body_bytes", "must be a positive integer")
        if "audience" in route and not (isinstance(route["audience"], str) and route["audience"]):
            p.add(f"{rw}/audience", "must be a non-empty string")
    return p


def largest_body_limit(options: dict) -> int:
    limits = [options.get("max_body_bytes", DEFAULT_MAX_BODY)]
    for route in (options.get("routes") or {}).values():
        if isinstance(route, dict) and _is_int(route.get("max_body_bytes")):
            limits.append(route["max_body_bytes"])
    return max(v for v in limits if _is_int(v)) if any(_is_int(v) for v in limits) else DEFAULT_MAX_BODY


# --------------------------------------------------------------------------------------------
# Envoy: where Scrim sits and what it is given
# --------------------------------------------------------------------------------------------


def _type_name(a: any_pb2.Any) -> str:
    return a.type_url.rsplit("/", 1)[-1]


def http_connection_managers(bs: bootstrap_pb2.Bootstrap) -> Iterator[tuple[str, Any, Any]]:
    """Yield (path, listener, HttpConnectionManager) for every inline HCM."""
    for listener in bs.static_resources.listeners:
        chains = list(listener.filter_chains)
        if listener.HasField("default_filter_chain"):
            chains.append(listener.default_filter_chain)
        for ci, chain in enumerate(chains):
            for fi, filt in enumerate(chain.filters):
                if filt.HasField("typed_config") and _type_name(filt.typed_config) == T_HCM:
                    hcm = unpack_any(filt.typed_config)
                    yield f"listener `{listener.name}` chain {ci} filter {fi}", listener, hcm


def is_scrim_filter(plugin: Any) -> bool:
    return plugin.name.startswith("scrim") or plugin.root_id.startswith("scrim")


def removed_early(hcm: Any) -> set[str]:
    """Headers removed by the HCM's early header mutations (before any HTTP filter runs)."""
    out: set[str] = set()
    for ext in hcm.early_header_mutation_extensions:
        if _type_name(ext.typed_config) == T_EARLY_HEADER_MUTATION:
            inner = unpack_any(ext.typed_config)
            out |= {m.remove.lower() for m in inner.mutations if m.remove}
    return out


def removed_by_filter(typed: Any) -> set[str]:
    inner = unpack_any(typed)
    return {m.remove.lower() for m in inner.mutations.request_mutations if m.remove}


def check_scrim_placement(bs: bootstrap_pb2.Bootstrap) -> Problems:
    """Scrim's rules for the Envoy filter chain; see docs/deploy.md for the reasons."""
    p = Problems()
    found = 0
    for where, listener, hcm in http_connection_managers(bs):
        filters = list(hcm.http_filters)
        kinds = [_type_name(f.typed_config) if f.HasField("typed_config") else "" for f in filters]
        scrim_idx = [
            i
            for i, f in enumerate(filters)
            if kinds[i] == T_WASM and is_scrim_filter(unpack_any(f.typed_config).config)
        ]
        if not scrim_idx:
            continue
        found += len(scrim_idx)
        if len(scrim_idx) > 1:
            p.add(
                where,
                f"Scrim is configured {len(scrim_idx)} times in one filter chain (positions {scrim_idx}); keep one",
            )
        si = scrim_idx[0]
        plugin = unpack_any(filters[si].typed_config).config
        here = f"{where} http_filters[{si}] `{filters[si].name}`"

        # Order.
        if not kinds or kinds[-1] != T_ROUTER:
            p.add(where, "the last HTTP filter must be the router")
        for kind, label, why in (
            (T_GEOIP, "geoip", "Scrim reads the country header it writes"),
            (T_JWT, "jwt_authn", "Scrim reads the claim header it writes"),
            (T_COMPRESSOR, "compressor", "on the response path it must compress after Scrim redacts"),
        ):
            for i, k in enumerate(kinds):
                if k == kind and i > si:
                    p.add(
                        where,
                        f"`{filters[i].name}` ({label}, position {i}) must come before Scrim (position {si}): {why}",
                    )
        for i, k in enumerate(kinds):
            if k == T_DECOMPRESSOR and i < si:
                p.add(
                    where,
                    f"`{filters[i].name}` (decompressor, position {i}) must come after Scrim (position {si}) so Scrim sees decompressed responses",
                )

        # Failure policy.
        policy = plugin.failure_policy
        policy_enum = type(plugin).DESCRIPTOR.fields_by_name["failure_policy"].enum_type
        if plugin.fail_open or policy == policy_enum.values_by_name["FAIL_OPEN"].number:
            p.add(
                here, "fails open: if the VM dies, responses leave unredacted; use FAIL_CLOSED or FAIL_RELOAD"
            )

        # Configuration.
        if not plugin.HasField("configuration") or _type_name(plugin.configuration) != T_STRING_VALUE:
            p.add(here, "config.configuration must be a `google.protobuf.StringValue` holding Scrim's JSON")
            continue
        raw = unpack_any(plugin.configuration).value
        try:
            cfg = json.loads(raw)
        except json.JSONDecodeError as err:
            p.add(
                here,
                f"config.configuration.value is not JSON: line {err.lineno} column {err.colno}: {err.msg}",
            )
            continue
        cfg_problems = check_scrim_config(cfg, f"{here} configuration")
        p.extend(cfg_problems)
        options = cfg.get("options", {}) if isinstance(cfg, dict) else {}
        if not isinstance(options, dict):
            continue

        # The HMAC key must reach the VM, and not as an inline secret.
        env = plugin.vm_config.environment_variables
        key_env = options.get("hmac_key_env")
        if key_env:
            if key_env in env.key_values:
                p.add(
                    here,
                    f"`{key_env}` is set in key_values: the key would show in /config_dump; use host_env_keys",
                )
            elif key_env not in env.host_env_keys:
                p.add(
                    here,
                    f"options.hmac_key_env is `{key_env}` but vm_config.environment_variables.host_env_keys does not pass it",
                )

        # Route names in options.routes must exist.
        if hcm.HasField("route_config"):
            names = {r.name for vh in hcm.route_config.virtual_hosts for r in vh.routes if r.name}
            for name in options.get("routes") or {}:
                if name not in names:
                    p.add(
                        here,
                        f"options.routes has `{name}` but no route has that name{did_you_mean(name, names)}",
                    )

        # Headers Scrim trusts: written by a filter before it, client copies stripped first.
        early = removed_early(hcm)
        writers: dict[str, int] = {}
        for i, k in enumerate(kinds[:si]):
            inner = unpack_any(filters[i].typed_config) if k in (T_GEOIP, T_JWT) else None
            if k == T_GEOIP:
                provider = unpack_any(inner.provider.typed_config)
                common = getattr(provider, "common_provider_config", None)
                if common is not None:
                    for src in (common.geo_field_keys, common.geo_headers_to_add):
                        if src.country:
                            writers.setdefault(src.country.lower(), i)
            elif k == T_JWT:
                for prov in inner.providers.values():
                    for c in prov.claim_to_headers:
                        writers.setdefault(c.header_name.lower(), i)
        for opt, source in (("region_header", T_GEOIP), ("claim_header", T_JWT)):
            header = str(options.get(opt, "")).lower()
            if not header:
                continue
            has_source = source in kinds[:si]
            if has_source and header not in writers:
                p.add(
                    here,
                    f"options.{opt} is `{header}` but the {source.split('.')[4]} filter before Scrim does not write it",
                )
                continue
            if header not in writers:
                continue  # set by a trusted hop in front (CDN, load balancer): strip it there.
            stripped = header in early or any(
                kinds[j] == T_HEADER_MUTATION and header in removed_by_filter(filters[j].typed_config)
                for j in range(writers[header])
            )
            if not stripped:
                p.add(
                    here,
                    f"client copies of `{header}` are not removed before `{filters[writers[header]].name}`: "
                    "a client could send its own value when the lookup has no answer; add a "
                    "header_mutation filter that removes it first",
                )

        # Envoy's buffer must be larger than Scrim's body limit, so Scrim's handling decides.
        limit = (
            listener.per_connection_buffer_limit_bytes.value
            if listener.HasField("per_connection_buffer_limit_bytes")
            else ENVOY_DEFAULT_BUFFER_LIMIT
        )
        biggest = largest_body_limit(options)
        if limit <= biggest:
            p.add(
                where,
                f"per_connection_buffer_limit_bytes ({limit}) must be larger than Scrim's max_body_bytes "
                f"({biggest}); otherwise Envoy answers 413/500 before Scrim applies failure_mode",
            )
    if found == 0:
        p.add(
            "",
            "no Scrim wasm filter found (an envoy.filters.http.wasm whose config.name starts with `scrim`)",
        )
    return p


def validate_envoy_doc(doc: Any) -> Problems:
    """All Envoy checks for one bootstrap document."""
    bs, problems = parse_bootstrap(doc)
    if bs is None:
        return problems
    problems.extend(check_pgv(bs, "Bootstrap"))
    problems.extend(check_scrim_placement(bs))
    return problems


# --------------------------------------------------------------------------------------------
# Istio WasmPlugin (structural, from istio/api extensions/v1alpha1/wasm.proto)
# --------------------------------------------------------------------------------------------

SPEC_KEYS = {
    "selector",
    "targetRef",
    "targetRefs",
    "url",
    "sha256",
    "imagePullPolicy",
    "imagePullSecret",
    "verificationKey",
    "pluginConfig",
    "pluginName",
    "phase",
    "priority",
    "failStrategy",
    "vmConfig",
    "match",
    "type",
}
PHASES = {"UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"}
PULL_POLICIES = {"UNSPECIFIED_POLICY", "IfNotPresent", "Always"}
FAIL_STRATEGIES = {"FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"}
PLUGIN_TYPES = {"UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"}
ENV_SOURCES = {"INLINE", "HOST"}
WORKLOAD_MODES = {"UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"}
TARGET_KINDS = {
    "Gateway": "gateway.networking.k8s.io",
    "GatewayClass": "gateway.networking.k8s.io",
    "Service": "",
    "ServiceEntry": "networking.istio.io",
}
URL_SCHEMES = {"oci", "file", "http", "https"}
SHA256 = re.compile(r"^$|^[a-f0-9]{64}$")
# The template's sha256 value; it fails the CRD's pattern on purpose, so applying the template
# unchanged is rejected by the API server instead of running an unverified module.
SHA256_PLACEHOLDER = "REPLACE_WITH_IMAGE_MANIFEST_DIGEST"
INT32 = (-(2**31), 2**31 - 1)


def _enum(p: Problems, where: str, value: Any, allowed: set[str]) -> None:
    if value not in allowed:
        p.add(where, f"`{value}` is not one of {sorted(allowed)}{did_you_mean(str(value), allowed)}")


def validate_wasmplugin(doc: Any, require_digest: bool = False) -> Problems:
    p = Problems()
    if doc.get("apiVersion") != "extensions.istio.io/v1alpha1":
        p.add("/apiVersion", f"must be `extensions.istio.io/v1alpha1`, got `{doc.get('apiVersion')}`")
    meta = doc.get("metadata") or {}
    if not meta.get("name"):
        p.add("/metadata/name", "is required")
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        p.add("/spec", "is required")
        return p
    for key in spec:
        if key not in SPEC_KEYS:
            p.add(f"/spec/{key}", f"unknown field `{key}`{did_you_mean(key, SPEC_KEYS)}")
    targets = [k for k in ("selector", "targetRef", "targetRefs") if k in spec]
    if len(targets) > 1:
        p.add("/spec", f"only one of selector, targetRef, targetRefs can be set; found {targets}")
    if not targets:
        p.add(
            "/spec",
            "set `targetRefs` or `selector`: without either the plugin applies to every workload in the namespace",
        )
    if "selector" in spec:
        labels = (spec["selector"] or {}).get("matchLabels")
        if not isinstance(labels, dict) or not labels or not all(isinstance(v, str) for v in labels.values()):
            p.add("/spec/selector/matchLabels", "must be a non-empty map of string labels")
    refs = spec.get("targetRefs", [])
    if not isinstance(refs, list) or len(refs) > 16:
        p.add("/spec/targetRefs", "must be a list of at most 16 references")
        refs = []
    for i, ref in enumerate(refs):
        w = f"/spec/targetRefs/{i}"
        if not isinstance(ref, dict):
            p.add(w, "must be an object with kind, group and name")
            continue
        kind = ref.get("kind")
        _enum(p, f"{w}/kind", kind, set(TARGET_KINDS))
        groups = {TARGET_KINDS.get(kind, "")} | ({"core"} if kind == "Service" else set())
        if kind in TARGET_KINDS and ref.get("group", "") not in groups:
            p.add(f"{w}/group", f"kind `{kind}` needs group `{TARGET_KINDS[kind]}`, got `{ref.get('group')}`")
        if not ref.get("name"):
            p.add(f"{w}/name", "is required")
    url = spec.get("url")
    if not isinstance(url, str) or not url:
        p.add("/spec/url", "is required")
    else:
        scheme = url.split("://", 1)[0] if "://" in url else "oci"
        if scheme not in URL_SCHEMES:
            p.add("/spec/url", f"scheme `{scheme}` is not one of {sorted(URL_SCHEMES)}")
    sha = spec.get("sha256", "")
    if sha == SHA256_PLACEHOLDER:
        if require_digest:
            p.add(
                "/spec/sha256",
                "still the placeholder: set the image manifest digest (see deploy/istio/README.md)",
            )
    elif not (isinstance(sha, str) and SHA256.match(sha)):
        p.add("/spec/sha256", f"`{sha}` must be 64 lowercase hex digits (no `sha256:` prefix)")
    if "imagePullPolicy" in spec:
        _enum(p, "/spec/imagePullPolicy", spec["imagePullPolicy"], PULL_POLICIES)
    if "imagePullSecret" in spec and not (
        isinstance(spec["imagePullSecret"], str) and 1 <= len(spec["imagePullSecret"]) <= 253
    ):
        p.add("/spec/imagePullSecret", "must be a Secret name of 1 to 253 characters")
    if "pluginName" in spec and not (
        isinstance(spec["pluginName"], str) and 1 <= len(spec["pluginName"]) <= 256
    ):
        p.add("/spec/pluginName", "must be 1 to 256 characters")
    if "phase" in spec:
        _enum(p, "/spec/phase", spec["phase"], PHASES)
    if "priority" in spec and not (_is_int(spec["priority"]) and INT32[0] <= spec["priority"] <= INT32[1]):
        p.add("/spec/priority", f"must be a 32-bit integer, got `{spec['priority']}`")
    strategy = spec.get("failStrategy", "FAIL_CLOSE")
    _enum(p, "/spec/failStrategy", strategy, FAIL_STRATEGIES)
    if strategy == "FAIL_OPEN":
        p.add(
            "/spec/failStrategy",
            "FAIL_OPEN lets unredacted responses through when the plugin fails; use FAIL_CLOSE or FAIL_RELOAD",
        )
    if "type" in spec:
        _enum(p, "/spec/type", spec["type"], PLUGIN_TYPES)
        if spec["type"] == "NETWORK":
            p.add("/spec/type", "Scrim is an HTTP filter; use `HTTP` or leave it unset")
    env_entries = ((spec.get("vmConfig") or {}).get("env")) or []
    env: dict[str, dict] = {}
    for i, e in enumerate(env_entries):
        w = f"/spec/vmConfig/env/{i}"
        if (
            not isinstance(e, dict)
            or not isinstance(e.get("name"), str)
            or not ENV_NAME.match(e.get("name", ""))
        ):
            p.add(f"{w}/name", "is required and must be a C identifier")
            continue
        source = e.get("valueFrom", "INLINE")
        _enum(p, f"{w}/valueFrom", source, ENV_SOURCES)
        if source == "HOST" and "value" in e:
            p.add(f"{w}/value", "value may only be set when valueFrom is INLINE")
        if e["name"] in env:
            p.add(f"{w}/name", f"`{e['name']}` is listed twice")
        env[e["name"]] = e
    for i, m in enumerate(spec.get("match") or []):
        w = f"/spec/match/{i}"
        if "mode" in m:
            _enum(p, f"{w}/mode", m["mode"], WORKLOAD_MODES)
        for j, port in enumerate(m.get("ports") or []):
            if not (isinstance(port, dict) and _is_int(port.get("number")) and 1 <= port["number"] <= 65535):
                p.add(f"{w}/ports/{j}/number", "must be a port number 1-65535")
    cfg = spec.get("pluginConfig")
    p.extend(check_scrim_config(cfg, "/spec/pluginConfig"))
    key_env = ((cfg or {}).get("options") or {}).get("hmac_key_env") if isinstance(cfg, dict) else None
    if key_env:
        e = env.get(key_env)
        if e is None:
            p.add(
                "/spec/vmConfig/env",
                f"options.hmac_key_env is `{key_env}` but vmConfig.env does not pass it to the VM",
            )
        elif e.get("valueFrom", "INLINE") != "HOST":
            p.add(
                "/spec/vmConfig/env",
                f"`{key_env}` is INLINE: the key would sit in the WasmPlugin; use valueFrom: HOST and a Secret in the proxy's environment",
            )
    return p


# --------------------------------------------------------------------------------------------
# Istio EnvoyFilter (structure from istio/api networking/v1alpha3/envoy_filter.proto; the
# patch values we insert as HTTP filters are parsed with Envoy's protos)
# --------------------------------------------------------------------------------------------

APPLY_TO = {
    "INVALID",
    "LISTENER",
    "FILTER_CHAIN",
    "NETWORK_FILTER",
    "HTTP_FILTER",
    "ROUTE_CONFIGURATION",
    "VIRTUAL_HOST",
    "HTTP_ROUTE",
    "CLUSTER",
    "EXTENSION_CONFIG",
    "BOOTSTRAP",
    "LISTENER_FILTER",
}
PATCH_OPERATIONS = {
    "INVALID",
    "MERGE",
    "ADD",
    "REMOVE",
    "INSERT_BEFORE",
    "INSERT_AFTER",
    "INSERT_FIRST",
    "REPLACE",
}
PATCH_CONTEXTS = {"ANY", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY"}


def validate_envoyfilter(doc: Any) -> tuple[Problems, list[Any]]:
    """Check an EnvoyFilter; returns problems and the HTTP filters it inserts (parsed)."""
    p = Problems()
    inserted: list[Any] = []
    if doc.get("apiVersion") not in ("networking.istio.io/v1alpha3",):
        p.add("/apiVersion", f"must be `networking.istio.io/v1alpha3`, got `{doc.get('apiVersion')}`")
    spec = doc.get("spec") or {}
    patches = spec.get("configPatches")
    if not isinstance(patches, list) or not patches:
        p.add("/spec/configPatches", "must be a non-empty list")
        return p, inserted
    for i, cp in enumerate(patches):
        w = f"/spec/configPatches/{i}"
        _enum(p, f"{w}/applyTo", cp.get("applyTo"), APPLY_TO)
        context = (cp.get("match") or {}).get("context", "ANY")
        _enum(p, f"{w}/match/context", context, PATCH_CONTEXTS)
        patch = cp.get("patch") or {}
        op = patch.get("operation")
        _enum(p, f"{w}/patch/operation", op, PATCH_OPERATIONS)
        if cp.get("applyTo") == "HTTP_FILTER" and op in (
            "ADD",
            "INSERT_BEFORE",
            "INSERT_AFTER",
            "INSERT_FIRST",
            "REPLACE",
        ):
            msg = hcm_pb2.HttpFilter()
            problems = parse_strict(patch.get("value"), msg, "HTTP filter", f"{w}/patch/value")
            if not problems:
                problems.extend(check_pgv(msg, f"{w}/patch/value"))
                inserted.append((op, msg))
            p.extend(problems)
    return p, inserted


def first_filter_removals(inserted: list[Any]) -> set[str]:
    """Headers removed by header_mutation filters an EnvoyFilter inserts first in the chain."""
    out: set[str] = set()
    for op, f in inserted:
        if op == "INSERT_FIRST" and _type_name(f.typed_config) == T_HEADER_MUTATION:
            out |= removed_by_filter(f.typed_config)
    return out


# --------------------------------------------------------------------------------------------
# The suite
# --------------------------------------------------------------------------------------------

TESTS: list[tuple[str, Callable[[], None]]] = []


def test(fn: Callable[[], None]) -> Callable[[], None]:
    TESTS.append((fn.__name__, fn))
    return fn


def load_yaml(path: Path) -> Any:
    with path.open() as f:
        return yaml.safe_load(f)


def load_yaml_all(path: Path) -> list[Any]:
    with path.open() as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def must_pass(problems: Problems) -> None:
    assert not problems, "unexpected problems:\n    " + "\n    ".join(problems)


def must_fail(problems: Problems, *fragments: str) -> None:
    assert problems, "expected a problem, the config was accepted"
    text = "\n".join(problems)
    for frag in fragments:
        assert frag in text, f"expected a problem mentioning `{frag}`, got:\n    " + "\n    ".join(problems)


def envoy_doc() -> Any:
    return copy.deepcopy(_ENVOY_DOC)


def hcm_of(doc: Any) -> dict:
    return doc["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]


def http_filter(doc: Any, name: str) -> dict:
    return next(f for f in hcm_of(doc)["http_filters"] if f["name"] == name)


def scrim_json(doc: Any) -> dict:
    return json.loads(
        http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["configuration"]["value"]
    )


def set_scrim_json(doc: Any, cfg: Any) -> None:
    http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["configuration"]["value"] = (
        json.dumps(cfg)
    )


def move_filter(doc: Any, name: str, to: int) -> None:
    filters = hcm_of(doc)["http_filters"]
    f = http_filter(doc, name)
    filters.remove(f)
    filters.insert(to, f)


_ENVOY_DOC: Any = None
_ISTIO_DOC: Any = None
_STRIP_DOC: Any = None


@test
def envoy_bootstrap_parses_against_envoy_protos() -> None:
    bs, problems = parse_bootstrap(envoy_doc())
    must_pass(problems)
    assert bs is not None and len(bs.static_resources.listeners) == 1


@test
def envoy_every_type_url_resolves() -> None:
    urls = list(type_urls(envoy_doc()))
    assert len(urls) >= 10, f"expected the bootstrap to carry typed configs, found {len(urls)}"
    must_pass(check_type_urls(envoy_doc()))


@test
def envoy_passes_validate_rules_and_uses_no_deprecated_fields() -> None:
    bs, _ = parse_bootstrap(envoy_doc())
    must_pass(check_pgv(bs, "Bootstrap"))


@test
def envoy_scrim_placement_and_config() -> None:
    bs, _ = parse_bootstrap(envoy_doc())
    must_pass(check_scrim_placement(bs))


@test
def envoy_filter_order_is_geoip_jwt_then_scrim_then_router() -> None:
    names = [f["name"] for f in hcm_of(envoy_doc())["http_filters"]]
    wasm = names.index("envoy.filters.http.wasm")
    assert names.index("envoy.filters.http.geoip") < wasm, names
    assert names.index("envoy.filters.http.jwt_authn") < wasm, names
    assert names[-1] == "envoy.filters.http.router" and wasm == len(names) - 2, names


@test
def envoy_configuration_holds_a_version_1_bundle() -> None:
    cfg = scrim_json(envoy_doc())
    assert cfg["bundle"]["scrim"] == 1 and cfg["bundle"]["name"] and cfg["bundle"]["revision"], cfg["bundle"]


@test
def envoy_failure_policy_is_not_fail_open() -> None:
    policy = http_filter(envoy_doc(), "envoy.filters.http.wasm")["typed_config"]["config"].get(
        "failure_policy"
    )
    assert policy in ("FAIL_CLOSED", "FAIL_RELOAD"), f"failure_policy is `{policy}`"


@test
def reject_unknown_field() -> None:
    doc = envoy_doc()
    http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["failure_polcy"] = "FAIL_CLOSED"
    must_fail(validate_envoy_doc(doc), "failure_polcy")


@test
def reject_unknown_field_in_a_cluster() -> None:
    doc = envoy_doc()
    doc["static_resources"]["clusters"][0]["conect_timeout"] = "1s"
    must_fail(validate_envoy_doc(doc), "conect_timeout")


@test
def reject_misspelled_type_url() -> None:
    doc = envoy_doc()
    tc = http_filter(doc, "envoy.filters.http.geoip")["typed_config"]
    tc["@type"] = "type.googleapis.com/envoy.extensions.filters.http.geoip.v3.GeoIP"
    must_fail(
        validate_envoy_doc(doc),
        "unknown type `envoy.extensions.filters.http.geoip.v3.GeoIP`",
        "did you mean `envoy.extensions.filters.http.geoip.v3.Geoip`",
    )


@test
def reject_type_url_without_prefix() -> None:
    doc = envoy_doc()
    tc = http_filter(doc, "envoy.filters.http.router")["typed_config"]
    tc["@type"] = "envoy.extensions.filters.http.router.v3.Router"
    must_fail(validate_envoy_doc(doc), "must start with `type.googleapis.com/`")


@test
def reject_validate_rule_violation() -> None:
    doc = envoy_doc()
    hcm_of(doc)["stat_prefix"] = ""
    must_fail(validate_envoy_doc(doc), "stat_prefix: must have at least 1 characters")


@test
def reject_deprecated_field() -> None:
    doc = envoy_doc()
    http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["fail_open"] = True
    must_fail(validate_envoy_doc(doc), "fail_open: uses a deprecated field", "fails open")


@test
def reject_fail_open_policy() -> None:
    doc = envoy_doc()
    http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["failure_policy"] = "FAIL_OPEN"
    must_fail(validate_envoy_doc(doc), "fails open")


@test
def accept_fail_reload_policy() -> None:
    doc = envoy_doc()
    http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["failure_policy"] = "FAIL_RELOAD"
    must_pass(validate_envoy_doc(doc))


@test
def reject_scrim_after_router() -> None:
    doc = envoy_doc()
    move_filter(doc, "envoy.filters.http.router", 0)
    must_fail(validate_envoy_doc(doc), "the last HTTP filter must be the router")


@test
def reject_scrim_before_geoip() -> None:
    doc = envoy_doc()
    move_filter(doc, "envoy.filters.http.wasm", 0)
    must_fail(validate_envoy_doc(doc), "(geoip, position", "must come before Scrim")


@test
def reject_compressor_after_scrim() -> None:
    doc = envoy_doc()
    filters = hcm_of(doc)["http_filters"]
    move_filter(doc, "envoy.filters.http.compressor", len(filters) - 2)
    must_fail(validate_envoy_doc(doc), "(compressor, position")


@test
def reject_missing_header_strip() -> None:
    doc = envoy_doc()
    filters = hcm_of(doc)["http_filters"]
    filters.remove(http_filter(doc, "envoy.filters.http.header_mutation"))
    must_fail(
        validate_envoy_doc(doc),
        "client copies of `x-geo-country` are not removed",
        "client copies of `x-scrim-residency` are not removed",
    )


@test
def reject_region_header_geoip_does_not_write() -> None:
    doc = envoy_doc()
    cfg = scrim_json(doc)
    cfg["options"]["region_header"] = "x-country"
    set_scrim_json(doc, cfg)
    must_fail(validate_envoy_doc(doc), "options.region_header is `x-country`")


@test
def reject_configuration_that_is_not_json() -> None:
    doc = envoy_doc()
    http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["configuration"]["value"] = (
        "{bundle: 1"
    )
    must_fail(validate_envoy_doc(doc), "is not JSON: line 1")


@test
def reject_bundle_without_version_1() -> None:
    doc = envoy_doc()
    cfg = scrim_json(doc)
    cfg["bundle"]["scrim"] = 2
    set_scrim_json(doc, cfg)
    must_fail(validate_envoy_doc(doc), "/bundle/scrim: must be the number 1")
    del cfg["bundle"]
    set_scrim_json(doc, cfg)
    must_fail(validate_envoy_doc(doc), "/bundle: missing")


@test
def reject_unknown_option_with_hint() -> None:
    doc = envoy_doc()
    cfg = scrim_json(doc)
    cfg["options"]["failure_mod"] = "open"
    set_scrim_json(doc, cfg)
    must_fail(validate_envoy_doc(doc), "unknown option `failure_mod`; did you mean `failure_mode`?")


@test
def reject_route_option_for_missing_route() -> None:
    doc = envoy_doc()
    cfg = scrim_json(doc)
    cfg["options"]["routes"]["suport_api"] = {"audience": "support"}
    set_scrim_json(doc, cfg)
    must_fail(validate_envoy_doc(doc), "no route has that name; did you mean `support_api`?")


@test
def reject_hmac_key_not_passed_or_inline() -> None:
    doc = envoy_doc()
    vm = http_filter(doc, "envoy.filters.http.wasm")["typed_config"]["config"]["vm_config"]
    vm["environment_variables"] = {"host_env_keys": ["OTHER"]}
    must_fail(validate_envoy_doc(doc), "host_env_keys does not pass it")
    vm["environment_variables"] = {"key_values": {"SCRIM_HMAC_KEY": "secret"}}
    must_fail(validate_envoy_doc(doc), "/config_dump")


@test
def reject_buffer_limit_below_body_limit() -> None:
    doc = envoy_doc()
    doc["static_resources"]["listeners"][0]["per_connection_buffer_limit_bytes"] = 65536
    must_fail(validate_envoy_doc(doc), "per_connection_buffer_limit_bytes (65536) must be larger")


@test
def istio_wasmplugin_is_valid() -> None:
    assert _ISTIO_DOC["kind"] == "WasmPlugin"
    must_pass(validate_wasmplugin(copy.deepcopy(_ISTIO_DOC)))


@test
def istio_wasmplugin_fails_closed_and_carries_the_bundle() -> None:
    spec = _ISTIO_DOC["spec"]
    assert spec.get("failStrategy") in ("FAIL_CLOSE", "FAIL_RELOAD"), spec.get("failStrategy")
    assert spec["pluginConfig"]["bundle"]["scrim"] == 1
    assert spec["url"].startswith("oci://")


@test
def istio_placeholder_digest_is_rejected_when_required() -> None:
    doc = copy.deepcopy(_ISTIO_DOC)
    if doc["spec"].get("sha256") == SHA256_PLACEHOLDER:
        must_fail(validate_wasmplugin(doc, require_digest=True), "still the placeholder")
    doc["spec"]["sha256"] = "ab" * 32
    must_pass(validate_wasmplugin(doc, require_digest=True))


@test
def istio_reject_bad_values() -> None:
    cases = [
        ("failStrategy", "FAIL_OPEN", "FAIL_OPEN lets unredacted"),
        ("failStrategy", "FAIL_CLOSED", "`FAIL_CLOSED` is not one of"),
        ("phase", "AUTHORIZATION", "`AUTHORIZATION` is not one of"),
        ("imagePullPolicy", "IfNotPresnt", "did you mean `IfNotPresent`"),
        ("sha256", "sha256:" + "ab" * 32, "must be 64 lowercase hex digits"),
        ("url", "ftp://example.com/scrim.wasm", "scheme `ftp`"),
        ("pluginconfig", {}, "unknown field `pluginconfig`; did you mean `pluginConfig`?"),
        ("selector", {"matchLabels": {"istio": "ingressgateway"}}, "only one of selector"),
        ("type", "NETWORK", "Scrim is an HTTP filter"),
    ]
    for key, value, fragment in cases:
        doc = copy.deepcopy(_ISTIO_DOC)
        doc["spec"][key] = value
        must_fail(validate_wasmplugin(doc), fragment)


@test
def istio_reject_inline_hmac_key_and_bad_bundle() -> None:
    doc = copy.deepcopy(_ISTIO_DOC)
    doc["spec"]["vmConfig"]["env"] = [{"name": "SCRIM_HMAC_KEY", "value": "secret"}]
    must_fail(validate_wasmplugin(doc), "`SCRIM_HMAC_KEY` is INLINE")
    doc = copy.deepcopy(_ISTIO_DOC)
    doc["spec"]["vmConfig"]["env"] = [{"name": "SCRIM_HMAC_KEY", "valueFrom": "HOST", "value": "x"}]
    must_fail(validate_wasmplugin(doc), "value may only be set when valueFrom is INLINE")
    doc = copy.deepcopy(_ISTIO_DOC)
    doc["spec"]["pluginConfig"]["bundle"]["scrim"] = "1"
    must_fail(validate_wasmplugin(doc), "/spec/pluginConfig/bundle/scrim: must be the number 1")


@test
def istio_envoyfilter_parses_against_envoy_protos() -> None:
    problems, inserted = validate_envoyfilter(copy.deepcopy(_STRIP_DOC))
    must_pass(problems)
    assert len(inserted) == 1, f"expected one inserted HTTP filter, found {len(inserted)}"


@test
def istio_claim_header_is_stripped_before_authentication() -> None:
    _, inserted = validate_envoyfilter(copy.deepcopy(_STRIP_DOC))
    claim = _ISTIO_DOC["spec"]["pluginConfig"]["options"]["claim_header"]
    assert claim in first_filter_removals(inserted), f"`{claim}` is not removed first in the chain"


@test
def istio_envoyfilter_rejects_bad_patches() -> None:
    doc = copy.deepcopy(_STRIP_DOC)
    doc["spec"]["configPatches"][0]["patch"]["value"]["typed_config"]["@type"] += "s"
    must_fail(validate_envoyfilter(doc)[0], "unknown type", "did you mean")
    doc = copy.deepcopy(_STRIP_DOC)
    doc["spec"]["configPatches"][0]["patch"]["value"]["typed_config"]["mutations"]["request_mutation"] = []
    must_fail(validate_envoyfilter(doc)[0], "request_mutation")
    doc = copy.deepcopy(_STRIP_DOC)
    doc["spec"]["configPatches"][0]["patch"]["operation"] = "INSERT_FRIST"
    must_fail(validate_envoyfilter(doc)[0], "did you mean `INSERT_FIRST`")


def run_suite() -> int:
    global _ENVOY_DOC, _ISTIO_DOC, _STRIP_DOC
    _ENVOY_DOC = load_yaml(ENVOY_YAML)
    _STRIP_DOC = load_yaml(STRIP_YAML)
    plugins = [d for d in load_yaml_all(ISTIO_YAML) if d.get("kind") == "WasmPlugin"]
    _ISTIO_DOC = plugins[0] if plugins else {}
    passed = failed = 0
    for name, fn in TESTS:
        try:
            fn()
        except Exception as err:  # report every failure, keep going
            failed += 1
            detail = str(err) if isinstance(err, AssertionError) else traceback.format_exc()
            print(f"FAIL {name}: {detail}")
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def run_files(paths: list[str], require_digest: bool) -> int:
    passed = failed = 0
    for path in paths:
        for i, doc in enumerate(load_yaml_all(Path(path))):
            if not isinstance(doc, dict):
                continue
            if doc.get("kind") == "WasmPlugin":
                problems, what = validate_wasmplugin(doc, require_digest), "WasmPlugin"
            elif doc.get("kind") == "EnvoyFilter":
                problems, what = validate_envoyfilter(doc)[0], "EnvoyFilter"
            elif "static_resources" in doc or "node" in doc:
                problems, what = validate_envoy_doc(doc), "Envoy bootstrap"
            else:
                continue
            label = f"{path} (document {i}, {what})"
            if problems:
                failed += 1
                print(f"FAIL {label}")
                for problem in problems:
                    print(f"     {problem}")
            else:
                passed += 1
                print(f"ok   {label}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


def main(argv: list[str]) -> int:
    require_digest = "--require-digest" in argv
    files = [a for a in argv if a != "--require-digest"]
    return run_files(files, require_digest) if files else run_suite()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
