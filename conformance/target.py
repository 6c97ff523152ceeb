"""Which target a run talks to, resolved from the command line and a target config file.

Precedence: an option given on the command line, then the target config
(`--target-config FILE`, TOML), then the target contract's defaults
(specs/contract.json). Every refusal names where the bad value came from.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invokeendpoint_conformance import specs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

AUTH_MODES = ("sigv4", "none")

# Keys a target config may hold: the option it stands for, and its type.
CONFIG_KEYS: dict[str, tuple[str, type]] = {
    "url": ("--target-url", str),
    "aws_region": ("--target-aws", str),
    "region": ("--region", str),
    "auth": ("--auth", str),
    "enforces_auth": ("--enforces-auth", bool),
    "probe_endpoint": ("--probe-endpoint", str),
    "variant": ("--variant", str),
    "edition": ("--edition", str),
    "description": ("(report only)", str),
    "waivers": ("(certification)", list),
    "sensitive_values": ("(redaction)", list),
}


class TargetConfigError(ValueError):
    """A target setting that cannot be used, with where it came from."""


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
    waivers: tuple[dict[str, Any], ...] = ()
    sensitive_values: tuple[str, ...] = ()
    config_path: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.url is None


def read_config_file(path: str) -> dict[str, Any]:
    """The target config's keys, type-checked; errors name the file and the key."""
    file = Path(path)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise TargetConfigError(f"--target-config {path}: cannot read it: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise TargetConfigError(f"--target-config {path}: not valid TOML: {error}") from None
    table = raw.get("target", raw)
    for key, value in table.items():
        if key not in CONFIG_KEYS:
            known = ", ".join(sorted(CONFIG_KEYS))
            raise TargetConfigError(f"{path}: unknown key {key!r} (known keys: {known})")
        wanted = CONFIG_KEYS[key][1]
        if not isinstance(value, wanted):
            raise TargetConfigError(
                f"{path}: key {key!r} must be a {wanted.__name__}, got {type(value).__name__} {value!r}"
            )
    return table


def resolve(options: dict[str, Any]) -> Target:
    """Combine command-line options (None where not given) with the config file and defaults."""
    defaults = specs.contract()["defaults"]
    config_path = options.get("target_config")
    from_file = read_config_file(config_path) if config_path else {}

    def pick(key: str, default: Any) -> tuple[Any, str]:
        if options.get(key) is not None:
            return options[key], CONFIG_KEYS[key][0]
        if key in from_file:
            return from_file[key], f"{config_path} (key {key!r})"
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
    if auth not in AUTH_MODES:
        raise TargetConfigError(f"auth={auth!r} from {auth_source}, but only 'sigv4' or 'none' are valid")
    edition, edition_source = pick("edition", defaults["edition"])
    if edition not in specs.EDITIONS:
        raise TargetConfigError(
            f"edition={edition!r} from {edition_source}, but only "
            f"{' or '.join(map(repr, specs.EDITIONS))} exist"
        )
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
        description=from_file.get("description", ""),
        aws=aws,
        waivers=tuple(from_file.get("waivers", ())),
        sensitive_values=tuple(from_file.get("sensitive_values", ())),
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
