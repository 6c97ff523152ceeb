"""The report files of a run: report.json (redacted, then validated), its renderings, junit.xml's redaction.

Secrets (the run's credentials and the target config's `sensitive_values`)
are replaced in every string before anything is written, and report.json is
validated against specs/schemas/report.schema.json on every write, so that a
report that reaches a reader is always one its schema describes.

A report directory is also self-contained, so that it can be published as it
is: the bodies its replay commands send are copied into it and named relative
to it (reproduce.report_relative), and the package's own source folders, which
Hypothesis's explanations name, are written as `invokeendpoint_conformance/...`
instead of where this machine installed them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import botocore
import hypothesis
import jsonschema
import pytest

import invokeendpoint_conformance
from invokeendpoint_conformance import __version__, conformance, specs, strategies
from invokeendpoint_conformance.exchanges import REDACTED

from . import reproduce
from .report_document import Manifest, ProbeCheck, Report
from .target import Target

REPORT_SCHEMA = "report.schema.json"
# Secrets this short would redact ordinary words: they are not searched.
SHORTEST_SECRET = 4
# The packages whose code runs in the suite's process, so whose source lines a report may name.
SOURCE_PACKAGES: tuple[ModuleType, ...] = (invokeendpoint_conformance, conformance, strategies, specs)


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


def _each_string(value: Any, change: Callable[[str], str]) -> Any:
    """The value with `change` applied to every string in it, however deep."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_each_string(v, change) for v in value]
    if isinstance(value, dict):
        return {k: _each_string(v, change) for k, v in value.items()}
    return value


def redact(value: Any, secrets: list[str]) -> Any:
    """Every string with every secret replaced; secrets shorter than 4 characters are not searched."""
    secrets = [s for s in secrets if s and len(s) >= SHORTEST_SECRET]

    def without_secrets(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        return text

    return _each_string(value, without_secrets)


def source_folders() -> dict[str, str]:
    """Each source folder of SOURCE_PACKAGES, as this machine names it, and as a report names it.

    Both the folder as imported and its resolved form, for a link on the way; innermost first,
    so that a subpackage installed inside the root package keeps its own name.
    """
    folders: dict[str, str] = {}
    for package in SOURCE_PACKAGES:
        if package.__file__ is None:  # a namespace package: no folder of its own to name
            continue
        imported = Path(package.__file__).parent
        for folder in (imported, imported.resolve()):
            folders.setdefault(f"{folder}{os.sep}", package.__name__.replace(".", "/") + "/")
    return dict(sorted(folders.items(), key=lambda item: len(item[0]), reverse=True))


def self_contained(report: Report, directory: Path) -> Report:
    """The report as `directory` holds it: the bodies its commands send copied into it, no machine path."""
    named: list[Path] = []
    folders = source_folders()

    def portable(text: str) -> str:
        text, bodies = reproduce.report_relative(text)
        named.extend(bodies)
        for folder, name in folders.items():
            text = text.replace(folder, name)
        return text

    portable_report: Report = _each_string(report, portable)
    if named:
        copies = directory / reproduce.REPORT_BODY_FOLDER
        copies.mkdir(parents=True, exist_ok=True)
        for saved in dict.fromkeys(named):
            if not (copies / saved.name).is_file():  # named by its sha256: a copy there is the same body
                shutil.copyfile(saved, copies / saved.name)
    return portable_report


def validate(report: Report) -> None:
    jsonschema.Draft202012Validator(specs.schema(REPORT_SCHEMA)).validate(report)


def write(report: Report, directory: Path, secrets: list[str]) -> dict[str, Path]:
    """report.json (self-contained, redacted, then validated), then the renderings of it."""
    from . import render  # the renderings only matter once a report is written

    directory.mkdir(parents=True, exist_ok=True)
    report = redact(self_contained(report, directory), secrets)
    validate(report)
    path = directory / "report.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"report.json": path, **{p.name: p for p in render.write_all(report, directory).values()}}


def redact_file(path: Path, secrets: list[str]) -> None:
    """A file written by someone else (pytest's junit.xml), redacted in place."""
    path.write_text(redact(path.read_text(encoding="utf-8"), secrets), encoding="utf-8")
