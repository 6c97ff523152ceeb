"""Which target a run talks to, resolved from the command line and a target config file.

Precedence: an option given on the command line, then the target config
(`--target-config FILE`, TOML, modelled by specs/schemas/target-config.schema.json),
then the target contract's defaults (specs/contract.json). The file is checked
whole when it is read, its waivers included, so that a bad one stops the run
before any test; every refusal names where the bad value came from: the option,
or the file and its key (`waivers[i]` for a waiver).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from invokeendpoint_conformance import specs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_SCHEMA = "target-config.schema.json"
# The command-line option each config key stands for, to name it where a value came from.
OPTIONS = {
    "url": "--target-url",
    "aws_region": "--target-aws",
    "region": "--region",
    "auth": "--auth",
    "enforces_auth": "--enforces-auth",
    "probe_endpoint": "--probe-endpoint",
    "variant": "--variant",
    "edition": "--edition",
}
# What the schema wants, as a refusal says it: Python's names, those of the values TOML gives.
WANTED = {"string": "a str", "boolean": "a bool", "array": "a list", "object": "a table"}
WANTED_FORMAT = {"date": "a date (YYYY-MM-DD)"}


class TargetConfigError(ValueError):
    """A target setting that cannot be used, with where it came from."""


@dataclass(frozen=True)
class Waiver:
    """A known deviation: the clause's failures are expected (xfail) and its verdict is `waived`."""

    clause: str
    reason: str
    link: str
    expires: dt.date | None = None


@dataclass(frozen=True)
class TargetConfig:
    """A target config file, read and checked; None where it leaves a setting to the command line."""

    path: str | None = None  # None: no file was given
    url: str | None = None
    aws_region: str | None = None
    region: str | None = None
    auth: str | None = None
    enforces_auth: bool | None = None
    probe_endpoint: str | None = None
    variant: str | None = None
    edition: str | None = None
    description: str = ""
    waivers: Mapping[str, Waiver] = field(default_factory=dict)  # by clause ID
    sensitive_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """Everything the suite knows about the implementation under test."""

    url: str | None  # None: the embedded reference emulator, started by the suite
    region: str
    auth: str
    enforces_auth: bool
    probe_endpoint: str
    variant: str
    edition: str
    description: str = ""
    aws: bool = False
    waivers: Mapping[str, Waiver] = field(default_factory=dict)  # by clause ID
    sensitive_values: tuple[str, ...] = ()
    config_path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.url is None


def read_config_file(path: str, today: dt.date | None = None) -> TargetConfig:
    """The target config, checked against its schema, then its waivers against the catalogue and today."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise TargetConfigError(f"--target-config {path}: cannot read it: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise TargetConfigError(f"--target-config {path}: not valid TOML: {error}") from None
    document = _as_json(raw)
    in_table = "target" in document
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise TargetConfigError(_refusal(errors[0], path, in_table))
    settings = dict(document["target"] if in_table else document)
    waivers = _waivers(settings.pop("waivers", []), path, today or dt.date.today())
    sensitive = tuple(settings.pop("sensitive_values", ()))
    return TargetConfig(path=path, waivers=waivers, sensitive_values=sensitive, **settings)


def _as_json(value: Any) -> Any:
    """TOML's values as the schema sees them: dates, times and date-times become their ISO text."""
    if isinstance(value, (dt.date, dt.time)):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


@cache
def _validator() -> jsonschema.Draft202012Validator:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(specs.schema(CONFIG_SCHEMA), format_checker=checker)


def _choices(key: str) -> tuple[str, ...]:
    return tuple(specs.schema(CONFIG_SCHEMA)["$defs"]["settings"]["properties"][key]["enum"])


def _not_one_of(key: str, value: object, source: str, choices: Sequence[str]) -> str:
    return f"{key}={value!r} from {source}, but only {' or '.join(map(repr, choices))} are valid"


def _place(path: Sequence[str | int]) -> str:
    """A place in the file as refusals name it: `key 'edition'`, `waivers[0]`, `waivers[0]: 'reason'`."""
    if not path:
        return ""
    head, *rest = path
    place = f"{head}[{rest.pop(0)}]" if rest and isinstance(rest[0], int) else f"key {head!r}"
    for part in rest:
        place += f"[{part}]" if isinstance(part, int) else f": {part!r}"
    return place


def _refusal(error: jsonschema.ValidationError, file: str, in_table: bool) -> str:
    """jsonschema's first error, said as the project says it: the file, the place, what was wanted."""
    path = list(error.absolute_path)[1 if in_table else 0 :]
    value: Any = error.instance
    schema: Any = error.schema
    rule: Any = error.validator_value
    place = _place(path)
    if error.validator == "additionalProperties":
        known = sorted(schema["properties"])
        unknown = sorted(set(value) - set(known))[0]
        where = f"{file}: {place}: " if place else f"{file}: "
        return f"{where}unknown key {unknown!r} (known keys: {', '.join(known)})"
    if error.validator == "enum":
        return _not_one_of(str(path[-1]), value, f"{file} (key {path[-1]!r})", rule)
    if error.validator == "type":
        wanted = WANTED_FORMAT.get(schema.get("format", "")) or WANTED[rule]
        return f"{file}: {place or '[target]'} must be {wanted}, got {type(value).__name__} {value!r}"
    if error.validator == "format":
        return f"{file}: {place} is {value!r}, not {WANTED_FORMAT[rule]}"
    if error.validator == "required":
        missing = next(key for key in rule if key not in value)
        return f"{file}: {_place([*path, missing])} is required and must be non-empty text"
    if error.validator == "pattern":  # the schema's only pattern: text with something in it
        return f"{file}: {place} is required and must be non-empty text"
    return f"{file}: {place or '(top)'}: {error.message}"  # pragma: no cover - the schema has no other rule


def _waivers(entries: list[dict[str, str]], file: str, today: dt.date) -> dict[str, Waiver]:
    """What the schema cannot check: a known clause, an unexpired date, no clause waived twice."""
    waivers: dict[str, Waiver] = {}
    for index, entry in enumerate(entries):
        label = f"{file}: waivers[{index}]"
        clause = entry["clause"]
        try:
            specs.clause(clause)
        except specs.SpecError as error:
            raise TargetConfigError(f"{label}: {error}") from None
        expires = dt.date.fromisoformat(entry["expires"]) if "expires" in entry else None
        if expires is not None and expires < today:
            raise TargetConfigError(f"{label}: the waiver of {clause} expired on {expires.isoformat()}")
        if clause in waivers:
            raise TargetConfigError(f"{label}: {clause} is waived twice")
        waivers[clause] = Waiver(clause, entry["reason"], entry["link"], expires)
    return waivers


def resolve(options: Mapping[str, Any], today: dt.date | None = None) -> Target:
    """Combine command-line options (None where not given) with the config file and defaults."""
    defaults = specs.contract()["defaults"]
    config_path = options.get("target_config")
    config = read_config_file(config_path, today) if config_path else TargetConfig()

    def pick(key: str, default: Any) -> tuple[Any, str]:
        if options.get(key) is not None:
            return options[key], OPTIONS[key]
        if getattr(config, key) is not None:
            return getattr(config, key), f"{config_path} (key {key!r})"
        return default, "the default"

    url, url_source = pick("url", None)
    aws_region, aws_source = pick("aws_region", None)
    if url and aws_region:
        raise TargetConfigError(
            f"a target URL ({url_source}) and --target-aws ({aws_source}) were both given; choose one"
        )
    if url is not None:
        if not url.startswith(("http://", "https://")) or "://" not in url or not url.split("://", 1)[1]:
            raise TargetConfigError(f"target URL {url!r} from {url_source} must look like http://host[:port]")
        url = url.rstrip("/")
    aws = aws_region is not None
    if aws:
        url = aws_endpoint_url(aws_region)

    region, _ = pick("region", aws_region or defaults["region"])
    auth, auth_source = pick("auth", defaults["auth"])
    if auth not in _choices("auth"):
        raise TargetConfigError(_not_one_of("auth", auth, auth_source, _choices("auth")))
    edition, edition_source = pick("edition", defaults["edition"])
    if edition not in specs.EDITIONS:
        raise TargetConfigError(_not_one_of("edition", edition, edition_source, specs.EDITIONS))
    enforces, _ = pick("enforces_auth", aws)
    probe, _ = pick("probe_endpoint", defaults["probe_endpoint"])
    variant, _ = pick("variant", defaults["variant"])
    return Target(
        url=url,
        region=region,
        auth=auth,
        enforces_auth=bool(enforces),
        probe_endpoint=probe,
        variant=variant,
        edition=edition,
        description=config.description,
        aws=aws,
        waivers=config.waivers,
        sensitive_values=config.sensitive_values,
        config_path=config_path,
    )


def aws_endpoint_url(region: str) -> str:
    """The live sagemaker-runtime URL for a region, from botocore's own endpoint resolver."""
    import boto3

    try:
        client = boto3.client("sagemaker-runtime", region_name=region)
    except Exception as error:  # botocore raises several kinds for a bad region
        raise TargetConfigError(f"--target-aws {region!r}: {error}") from None
    return client.meta.endpoint_url.rstrip("/")
