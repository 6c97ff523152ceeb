"""A report directory holds what its text names: replay bodies copied into it, no path of this machine.

The terminal keeps the absolute names (a reader there is on the machine); the files of a report
directory name the bodies relative to it and the package's source lines package-relative.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

from report_samples import sample_report

import invokeendpoint_conformance
from invokeendpoint_conformance import conformance as conformance_package
from invokeendpoint_conformance import specs, strategies
from invokeendpoint_conformance.conformance import report_files, reproduce

WRITTEN = ("report.json", "report.md", "report.html")


def _folder(package: ModuleType) -> str:
    return f"{Path(str(package.__file__)).parent}{os.sep}"


def _saved_large_body() -> tuple[bytes, Path]:
    """A body too large to inline, fresh for each test (its sha256 is the file's name)."""
    body = os.urandom(reproduce.INLINE_BODY_LIMIT + 1)
    return body, reproduce.saved_body(body)


def _report_replaying(command: str, minimal_example: str) -> dict:
    report = sample_report()
    failing = next(c for c in report["clauses"] if c["verdict"] == "fail")
    evidence = failing["evidence"][0]
    evidence["reproduce"] = command
    evidence["message"] += f"\n  Reproduce:  {command}"
    evidence["minimal_example"] = minimal_example
    return report


def _write(report: dict, directory: Path) -> dict[str, str]:
    report_files.write(report, directory, secrets=[])
    return {name: (directory / name).read_text(encoding="utf-8") for name in WRITTEN}


def test_a_body_a_command_sends_is_copied_into_the_report_and_named_relative_to_it(tmp_path):
    body, saved = _saved_large_body()
    command = f"curl -sS -i -X POST http://127.0.0.1:1/endpoints/e/invocations --data-binary @{saved}"
    written = _write(_report_replaying(command, "Falsifying example: ..."), tmp_path)

    assert (tmp_path / "bodies" / saved.name).read_bytes() == body
    assert sorted(p.name for p in (tmp_path / "bodies").iterdir()) == [saved.name]
    for name, text in written.items():
        assert f"@bodies/{saved.name}" in text, name
        assert str(reproduce.BODY_FOLDER) not in text, name
    evidence = next(c for c in json.loads(written["report.json"])["clauses"] if c["verdict"] == "fail")
    assert evidence["evidence"][0]["reproduce"].endswith(f"--data-binary @bodies/{saved.name}")


def test_the_reports_pages_say_where_to_run_the_replay_commands_from(tmp_path):
    written = _write(sample_report(), tmp_path)
    for name in ("report.md", "report.html"):
        evidence = written[name].split("Evidence", 1)[1]
        assert "Reproduce" in evidence and "from this report's directory" in evidence, name


def test_the_terminals_command_keeps_the_absolute_name(tmp_path):
    """Only the report's files are rewritten: the report handed in, what pytest printed, stay as they are."""
    _, saved = _saved_large_body()
    command = f"curl --data-binary @{saved}"
    report = _report_replaying(command, "")
    _write(report, tmp_path)
    failing = next(c for c in report["clauses"] if c["verdict"] == "fail")
    assert failing["evidence"][0]["reproduce"] == command


def test_a_report_without_large_bodies_has_no_bodies_folder(tmp_path):
    _write(sample_report(), tmp_path)
    assert not (tmp_path / "bodies").exists()


def test_a_body_no_longer_saved_keeps_its_absolute_name(tmp_path):
    """A relative name would name nothing: the absolute one at least says what was sent."""
    missing = reproduce.BODY_FOLDER / f"{'0' * 64}.bin"
    assert not missing.exists()
    command = f"curl --data-binary @{missing}"
    written = _write(_report_replaying(command, ""), tmp_path)
    assert command in written["report.md"]
    assert not (tmp_path / "bodies").exists()


def test_the_packages_source_lines_are_named_package_relative(tmp_path):
    """Hypothesis's explanations name source lines by absolute path; a report names them in the package."""
    conformance = _folder(conformance_package)
    lines = {
        f"{conformance}verdicts.py:143": "invokeendpoint_conformance/conformance/verdicts.py:143",
        f"{conformance}suite{os.sep}test_probe.py:9": "invokeendpoint_conformance/conformance/suite/"
        "test_probe.py:9",
        f"{_folder(strategies)}bodies.py:12": "invokeendpoint_conformance/strategies/bodies.py:12",
        f"{_folder(specs)}__init__.py:7": "invokeendpoint_conformance/specs/__init__.py:7",
        f"{_folder(invokeendpoint_conformance)}exchanges.py:30": "invokeendpoint_conformance/exchanges.py:30",
    }
    header = "Explanation:\n    These lines were always and only run by failing test cases:\n"
    explanation = header + "\n".join(f"        {line}" for line in lines)
    written = _write(_report_replaying("curl --data-binary x", explanation), tmp_path)
    for name, text in written.items():
        for absolute, relative in lines.items():
            assert absolute not in text, name
            assert relative in text, (name, relative)


def test_source_folders_name_each_package_once_innermost_first():
    folders = report_files.source_folders()
    names = set(folders.values())
    assert names == {
        "invokeendpoint_conformance/",
        "invokeendpoint_conformance/conformance/",
        "invokeendpoint_conformance/strategies/",
        "invokeendpoint_conformance/specs/",
    }
    assert all(Path(folder).is_absolute() and folder.endswith(os.sep) for folder in folders)
    lengths = [len(folder) for folder in folders]
    assert lengths == sorted(lengths, reverse=True)
