"""The emulator's endpoints, account and accepted credentials, from an optional TOML file.

A bad file is refused whole with one `ConfigError` that names the file and the
line (syntax) or key path (content), so the emulator can exit before
it listens. The contract's probe endpoint is built in unless the file defines
that name.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from invokeendpoint_conformance import specs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# The models the emulator hosts in-process (our own vocabulary for the `model` key).
MODELS = ("probe",)


class ConfigError(ValueError):
    """A configuration file that cannot be used, with where and what is wrong."""


@dataclass(frozen=True)
class Variant:
    name: str
    weight: float = 1.0
    model: str | None = "probe"
    container_url: str | None = None


@dataclass(frozen=True)
class Endpoint:
    name: str
    variants: tuple[Variant, ...]

    def variant(self, name: str) -> Variant | None:
        return next((v for v in self.variants if v.name == name), None)


@dataclass(frozen=True)
class Config:
    account: str
    region: str
    credentials: dict[str, str] = field(default_factory=dict)  # access key -> secret key
    endpoints: dict[str, Endpoint] = field(default_factory=dict)


def probe_endpoint() -> Endpoint:
    """The endpoint the target contract requires: one variant hosting the probe."""
    defaults = specs.contract()["defaults"]
    return Endpoint(defaults["probe_endpoint"], (Variant(defaults["variant"]),))


def default() -> Config:
    """No file: the contract's account and region, its example key pair, the probe endpoint."""
    return from_document({}, specs.edition(specs.contract()["defaults"]["edition"]))


def load(path: str | Path, edition: specs.Edition) -> Config:
    """Read and check a TOML file; names are checked against `edition`."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
        document = tomllib.loads(text)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r" \(at (?:line (\d+), column (\d+)|end of document)\)$", message)
        if where is None:
            raise ConfigError(f"{path}: TOML syntax error: {message}") from None
        line, column = where[1] or text.count("\n") + 1, where[2]
        place = f"line {line}, column {column}" if column else f"line {line} (end of file)"
        raise ConfigError(f"{path}: {place}: TOML syntax error: {message[: where.start()]}") from None
    return from_document(document, edition, source=str(path))


class _Reader:
    """Type checks with key paths, so every complaint says where in the file it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key}: {what}")

    def table(self, value: Any, key: str, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table, got {_kind(value)}")
        for name in value:
            if allowed is not None and name not in allowed:
                raise self.fail(
                    f"{key}.{name}" if key else name, f"unknown key (allowed: {', '.join(allowed)})"
                )
        return value

    def tables(self, value: Any, key: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"must be an array of tables ([[{key}]]), got {_kind(value)}")
        return value

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, got {_kind(value)}")
        if not value:
            raise self.fail(key, "must not be empty")
        return value


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array"}
    return names.get(type(value), "a table" if isinstance(value, dict) else type(value).__name__)


def _name_problem(member: specs.Member, name: str) -> str | None:
    if member.max_length is not None and len(name) > member.max_length:
        return f"{name!r} is longer than {member.max_length} characters"
    if not member.matches(name):
        return f"{name!r} does not match the pattern {member.pattern}"
    return None


def _fits_message(key: str, **fields: object) -> bool:
    """Whether values fill an observed message so that its pattern still matches.

    The account and region end up in AWS's messages, so the messages' own
    patterns (specs/messages.json) say which values are well-formed.
    """
    filled = specs.messages()[key]["template"].format(**fields)
    return specs.message_pattern(key).fullmatch(filled) is not None


def _variant(reader: _Reader, raw: dict[str, Any], key: str) -> Variant:
    reader.table(raw, key, ("name", "weight", "model", "container_url"))
    if "name" not in raw:
        raise reader.fail(key, "missing key 'name'")
    name = reader.string(raw["name"], f"{key}.name")
    # The original page does not define variant names; the service model's TargetVariant does.
    problem = _name_problem(specs.edition("current").request["TargetVariant"], name)
    if problem:
        raise reader.fail(f"{key}.name", f"invalid variant name: {problem}")
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise reader.fail(f"{key}.weight", f"must be a number, got {_kind(weight)}")
    if not weight > 0 or weight == float("inf"):
        raise reader.fail(f"{key}.weight", f"must be a finite number greater than 0, got {weight}")
    if ("model" in raw) == ("container_url" in raw):
        raise reader.fail(key, "needs exactly one of 'model' or 'container_url'")
    model = url = None
    if "model" in raw:
        model = reader.string(raw["model"], f"{key}.model")
        if model not in MODELS:
            raise reader.fail(f"{key}.model", f"unknown model {model!r} (known: {', '.join(MODELS)})")
    else:
        url = reader.string(raw["container_url"], f"{key}.container_url")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise reader.fail(f"{key}.container_url", f"{url!r} is not an http:// or https:// URL")
        url = url.rstrip("/")
    return Variant(name, float(weight), model, url)


def _endpoint(reader: _Reader, name: str, raw: Any, edition: specs.Edition) -> Endpoint:
    key = f"endpoints.{name}"
    problem = _name_problem(edition.request["EndpointName"], name)
    if problem:
        raise reader.fail(key, f"invalid endpoint name: {problem}")
    reader.table(raw, key, ("variants",))
    variants = reader.tables(raw.get("variants", []), f"{key}.variants")
    if not variants:
        raise reader.fail(f"{key}.variants", "an endpoint needs at least one variant")
    built = tuple(_variant(reader, v, f"{key}.variants[{i}]") for i, v in enumerate(variants))
    for i, variant in enumerate(built):
        if any(other.name == variant.name for other in built[:i]):
            raise reader.fail(f"{key}.variants[{i}].name", f"variant name {variant.name!r} appears twice")
    return Endpoint(name, built)


def from_document(document: dict[str, Any], edition: specs.Edition, source: str = "<config>") -> Config:
    """Check a parsed document and build the Config; unknown keys and wrong types are refused."""
    contract = specs.contract()
    reader = _Reader(source)
    reader.table(document, "", ("account", "region", "credentials", "endpoints"))

    account = reader.string(document.get("account", contract["emulator_account"]), "account")
    if not _fits_message("endpoint-not-found", name="e", account=account):
        raise reader.fail("account", f"{account!r} is not a 12-digit AWS account id")
    region = reader.string(document.get("region", contract["defaults"]["region"]), "region")
    fields = {"side": "server", "status": 500, "container": "c", "body": "", "endpoint": "e"}
    if not _fits_message("model-error", region=region, account=account, **fields):
        raise reader.fail("region", f"{region!r} is not a region name (lower-case letters, digits, '-')")

    example = contract["example_credentials"]
    credentials = {example["access_key"]: example["secret_key"]}
    for i, pair in enumerate(reader.tables(document.get("credentials", []), "credentials")):
        key = f"credentials[{i}]"
        reader.table(pair, key, ("access_key", "secret_key"))
        for needed in ("access_key", "secret_key"):
            if needed not in pair:
                raise reader.fail(key, f"missing key {needed!r}")
        access = reader.string(pair["access_key"], f"{key}.access_key")
        credentials[access] = reader.string(pair["secret_key"], f"{key}.secret_key")

    probe = probe_endpoint()
    endpoints = {probe.name: probe}
    for name, raw in reader.table(document.get("endpoints", {}), "endpoints", None).items():
        endpoints[name] = _endpoint(reader, name, raw, edition)
    return Config(account, region, credentials, endpoints)
