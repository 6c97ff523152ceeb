"""The report files of a run: report.json (redacted, then validated), its renderings, junit.xml's redaction.

Secrets (the run's credentials and the target config's `sensitive_values`)
are replaced in every string before anything is written, and report.json is
validated against specs/schemas/report.schema.json on every write, so that a
report that reaches a reader is always one its schema describes.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
from pathlib import Path
from typing import Any

import botocore
import hypothesis
import jsonschema
import pytest

from invokeendpoint_conformance import __version__, specs
from invokeendpoint_conformance.exchanges import REDACTED

from .report_document import Manifest, ProbeCheck, Report
from .target import Target

REPORT_SCHEMA = "report.schema.json"
# Secrets this short would redact ordinary words: they are not searched.
SHORTEST_SECRET = 4


def manifest(
    target: Target,
    *,
    url: str,
    started: dt.datetime,
    exit_status: int,
    seed: object,
    profile: str,
    probe: ProbeCheck | None,
) -> Manifest:
    return {
        "target": {
            "url": url,
            "description": target.description or ("reference emulator (embedded)" if target.embedded else ""),
            "embedded": target.embedded,
            "config": target.config_path,
            "region": target.region,
            "auth": target.auth,
            "enforces_auth": target.enforces_auth,
            "probe_endpoint": target.probe_endpoint,
            "variant": target.variant,
        },
        "probe": probe,
        "edition": target.edition,
        "suite_version": __version__,
        "hypothesis": {"seed": None if seed is None else str(seed), "profile": profile},
        "versions": {
            "python": platform.python_version(),
            "botocore": botocore.__version__,
            "hypothesis": hypothesis.__version__,
            "pytest": pytest.__version__,
        },
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "exit_status": int(exit_status),
    }


def redact(value: Any, secrets: list[str]) -> Any:
    """Every string with every secret replaced; secrets shorter than 4 characters are not searched."""
    secrets = [s for s in secrets if s and len(s) >= SHORTEST_SECRET]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: redact(v, secrets) for k, v in value.items()}
    return value


def validate(report: Report) -> None:
    jsonschema.Draft202012Validator(specs.schema(REPORT_SCHEMA)).validate(report)


def write(report: Report, directory: Path, secrets: list[str]) -> dict[str, Path]:
    """report.json (redacted, then validated), then the renderings of it."""
    from . import render  # the renderings only matter once a report is written

    report = redact(report, secrets)
    validate(report)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "report.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"report.json": path, **{p.name: p for p in render.write_all(report, directory).values()}}


def redact_file(path: Path, secrets: list[str]) -> None:
    """A file written by someone else (pytest's junit.xml), redacted in place."""
    path.write_text(redact(path.read_text(encoding="utf-8"), secrets), encoding="utf-8")
