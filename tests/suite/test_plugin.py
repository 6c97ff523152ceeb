"""The plugin's own behaviour: options, target configs, clause markers, an unreachable target."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest
from suite_runs import run_suite

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance import plugin
from invokeendpoint_conformance.conformance.target import (
    CONFIG_SCHEMA,
    TargetConfig,
    TargetConfigError,
    Waiver,
    read_config_file,
    resolve,
)

TARGETS = Path(__file__).resolve().parents[2] / "targets"

pytest_plugins = ["pytester"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_target_ends_the_run_at_once_naming_the_url():
    url = f"http://127.0.0.1:{_closed_port()}"
    run = run_suite("-q", "--target-url", url, timeout=120)
    assert run.exit_code == plugin.UNREACHABLE_EXIT_CODE, run.output[-2000:]
    assert f"target {url} cannot be reached" in run.output
    assert "failed" not in run.stdout  # one clear error, not hundreds of failures


@pytest.mark.parametrize(
    "content, message",
    [
        ("edition = 'newest'", r"edition='newest' from .*target.toml \(key 'edition'\), but only"),
        ("auth = 'basic'", r"auth='basic' from .*target.toml .*only 'sigv4' or 'none'"),
        ("colour = 'red'", r"target.toml: unknown key 'colour'"),
        ("enforces_auth = 'yes'", r"key 'enforces_auth' must be a bool, got str 'yes'"),
        ("url = 'localhost:80'", r"target URL 'localhost:80' from .*target.toml .* must look like http://"),
        ("url = [", r"target.toml: not valid TOML"),
    ],
)
def test_bad_target_config_is_refused_naming_the_file_and_key(tmp_path, content, message):
    config = tmp_path / "target.toml"
    config.write_text(content + "\n")
    with pytest.raises(TargetConfigError, match=message):
        resolve({"target_config": str(config)})
    run = run_suite("--target-config", str(config), "--collect-only", "-q", timeout=120)
    assert run.exit_code == 4 and re.search(message, run.output), run.output[-2000:]


def test_command_line_overrides_the_target_config(tmp_path):
    config = tmp_path / "target.toml"
    config.write_text(
        "url = 'http://127.0.0.1:9'\nedition = 'current'\nvariant = 'blue'\ndescription = 'x'\n"
    )
    target = resolve({"target_config": str(config), "edition": "original"})
    assert (target.url, target.edition, target.variant, target.description) == (
        "http://127.0.0.1:9",
        "original",
        "blue",
        "x",
    )
    with pytest.raises(TargetConfigError, match="choose one"):
        resolve({"target_config": str(config), "aws_region": "us-east-1"})


def test_target_aws_takes_its_url_from_botocore():
    target = resolve({"aws_region": "eu-west-1"})
    assert target.url == "https://runtime.sagemaker.eu-west-1.amazonaws.com"
    assert target.enforces_auth and target.region == "eu-west-1"


def _collected(*args: str) -> set[str]:
    run = run_suite("--collect-only", "-q", *args, timeout=120)
    assert run.exit_code == 0, run.output[-2000:]
    return {line for line in run.stdout.splitlines() if "::" in line}


def test_kind_markers_partition_the_suite():
    selections = {"everything": None, "not observed": "not observed", **{k: k for k in specs.KINDS}}
    with ThreadPoolExecutor(len(selections)) as pool:  # independent collections: at once
        runs = {
            name: pool.submit(_collected, "--edition", "current", *(("-m", mark) if mark else ()))
            for name, mark in selections.items()
        }
        collected = {name: run.result() for name, run in runs.items()}
    by_kind = {kind: collected[kind] for kind in specs.KINDS}
    assert set().union(*by_kind.values()) == collected["everything"]
    assert sum(map(len, by_kind.values())) == len(collected["everything"])
    assert collected["not observed"] == by_kind["documented"] | by_kind["contract"] | by_kind["protocol"]
    assert all(by_kind.values()), {k: len(v) for k, v in by_kind.items()}


def test_clause_option_selects_that_clauses_tests_and_refuses_unknown_ids():
    selected = _collected("--clause", "body.max-length")
    assert selected and all("test_bodies.py" in n for n in selected)
    run = run_suite("--clause", "no.such-clause", "--collect-only", "-q", timeout=120)
    assert run.exit_code == 4 and "no.such-clause: no such clause" in run.output


@pytest.fixture
def as_suite(monkeypatch, pytester):
    """Treat pytester's test_*.py modules as suite modules, with the suite's plugin registered."""
    monkeypatch.setattr(plugin, "SUITE_DIRECTORY", pytester.path.parent)
    pytester.makeconftest("pytest_plugins = ['invokeendpoint_conformance.conformance.plugin']")


@pytest.mark.parametrize(
    "marks, refusal",
    [
        ("", "clause kinds none; a suite test needs exactly one"),
        (
            "@pytest.mark.clause('body.max-length', 'observed.request-id')",
            "clause kinds ['documented', 'observed']",
        ),
        ("@pytest.mark.clause('no.such-clause')", "no clause 'no.such-clause'"),
    ],
)
def test_collection_refuses_a_suite_test_without_one_kind_of_clause(pytester, as_suite, marks, refusal):
    pytester.makepyfile(test_refused=f"import pytest\n{marks}\ndef test_x():\n    pass\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert refusal in str(result.stderr) + str(result.stdout)


def test_clause_not_in_the_active_edition_is_skipped_as_not_applicable(pytester, as_suite):
    pytester.makepyfile(
        test_skip="import pytest\n@pytest.mark.clause('content-type.ascii')\ndef test_x():\n    pass\n"
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-rs", "--edition", "original")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*not-applicable: not in edition 'original'*"])


def test_the_target_config_schema_is_the_config_model():
    schema = specs.schema(CONFIG_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(schema)
    settings = schema["$defs"]["settings"]["properties"]
    assert set(settings) == {f.name for f in dataclasses.fields(TargetConfig)} - {"path"}
    assert tuple(settings["edition"]["enum"]) == specs.EDITIONS
    for example in sorted(TARGETS.glob("*.toml")):  # the published target configs read cleanly
        assert read_config_file(str(example)).description, example


WAIVER_OF = "[[waivers]]\nclause = {clause!r}\nreason = 'known'\nlink = 'https://example.invalid/1'\n"


@pytest.mark.parametrize(
    "content, message",
    [
        ("[target]\ncolour = 1", r"target.toml: unknown key 'colour'"),
        ("sensitive_values = [1]", r"target.toml: sensitive_values\[0\] must be a str, got int 1"),
        ("waivers = [3]", r"target.toml: waivers\[0\] must be a table"),
        ("[[waivers]]\nclause = 'name.empty'", r"target.toml: waivers\[0\]: 'reason' is required"),
        (WAIVER_OF.format(clause="name.empty") + "colour = 1", r"waivers\[0\]: unknown key 'colour'"),
        (WAIVER_OF.format(clause="name.empty") + "expires = 5", r"waivers\[0\]: 'expires' must be a date"),
        (
            WAIVER_OF.format(clause="name.empty") + "expires = '2027-13-01'",
            r"waivers\[0\]: 'expires' is '2027-13-01', not a date \(YYYY-MM-DD\)",
        ),
        (
            WAIVER_OF.format(clause="name.empty") + WAIVER_OF.format(clause="name.empty"),
            r"target.toml: waivers\[1\]: name.empty is waived twice",
        ),
    ],
)
def test_bad_config_values_and_waivers_are_refused_naming_the_file_and_the_place(tmp_path, content, message):
    config = tmp_path / "target.toml"
    config.write_text(content + "\n")
    with pytest.raises(TargetConfigError, match=message):
        resolve({"target_config": str(config)})


def test_waivers_are_typed_parts_of_the_target_checked_against_today(tmp_path):
    config = tmp_path / "target.toml"
    waiver = WAIVER_OF.format(clause="name.empty").replace("[[waivers]]", "[[target.waivers]]")
    config.write_text(f"[target]\nurl = 'http://127.0.0.1:9'\n{waiver}expires = 2030-01-31\n")
    target = resolve({"target_config": str(config)}, today=dt.date(2030, 1, 31))
    assert target.waivers == {
        "name.empty": Waiver("name.empty", "known", "https://example.invalid/1", dt.date(2030, 1, 31))
    }
    with pytest.raises(TargetConfigError, match="the waiver of name.empty expired on 2030-01-31"):
        resolve({"target_config": str(config)}, today=dt.date(2030, 2, 1))


WAIVED_TESTS = """
import sys
from types import SimpleNamespace

import pytest
from invokeendpoint_conformance.conformance.judge import ClauseViolation

if sys.version_info < (3, 11):
    from exceptiongroup import ExceptionGroup

def violation(clause_id, exchange=None):
    return ClauseViolation(clause_id, [("what came", "what is documented")], exchange)

@pytest.mark.clause("response.body")
def test_waived_failure():
    raise violation("response.body")

@pytest.mark.clause("response.content-type")
def test_waived_test_that_breaks_otherwise():
    raise RuntimeError("not a verdict")

@pytest.mark.clause("response.custom-attributes")
def test_waived_test_whose_target_gave_no_answer():
    raise violation("response.custom-attributes", SimpleNamespace(response=None))

@pytest.mark.clause("response.invoked-variant")
def test_waived_clause_whose_only_test_passes():
    pass

@pytest.mark.clause("response.status-200")
def test_waived_clause_failing_in_one_test():
    raise violation("response.status-200")

@pytest.mark.clause("response.status-200")
def test_waived_clause_passing_in_another():
    pass

@pytest.mark.clause("name.max-length", "name.pattern")
def test_waived_and_other_clause_failing_on_the_waived():
    raise violation("name.max-length")

@pytest.mark.clause("name.case-sensitive", "name.empty")
def test_waived_and_other_clause_failing_on_the_other():
    raise violation("name.empty")

@pytest.mark.clause("body.max-length")
def test_group_of_waived_violations():
    raise ExceptionGroup("Hypothesis found 2 distinct failures", [violation("body.max-length")] * 2)

@pytest.mark.clause("body.passed-unchanged")
def test_group_with_a_violation_not_waived():
    raise ExceptionGroup("Hypothesis found 2 distinct failures",
                         [violation("body.passed-unchanged"), violation("name.absent")])
"""
WAIVED = (
    "response.body",
    "response.content-type",
    "response.custom-attributes",
    "response.invoked-variant",
    "response.status-200",
    "name.max-length",
    "name.case-sensitive",
    "body.max-length",
    "body.passed-unchanged",
)


def test_waived_failures_are_xfail_and_nothing_else_is(pytester, as_suite, tmp_path):
    """A failure is waived only where every violation in it is of a waived clause and nothing else broke."""
    pytester.makepyfile(test_waived=WAIVED_TESTS)
    config = tmp_path / "target.toml"
    config.write_text("edition = 'current'\n" + "".join(WAIVER_OF.format(clause=c) for c in WAIVED))
    out = tmp_path / "out"
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "-rxXf", "--target-config", str(config), "--conformance-report", str(out)
    )
    result.assert_outcomes(failed=5, xfailed=4, xpassed=1)
    result.stdout.fnmatch_lines(
        [
            "_*test_waived_clause_whose_only_test_passes*_",
            "[[]XPASS(strict)[]] waived: known",
            "response.invoked-variant: waived, but it passed*",
            "XFAIL test_waived.py::test_waived_failure - waived: known",
        ]
    )
    document = json.loads((out / "report.json").read_text())
    verdicts = {c["id"]: c["verdict"] for c in document["clauses"]}
    assert {c: verdicts[c] for c in WAIVED} == {
        "response.body": "waived",
        "response.content-type": "error",
        "response.custom-attributes": "error",
        "response.invoked-variant": "pass",
        "response.status-200": "waived",
        "name.max-length": "waived",
        "name.case-sensitive": "error",
        "body.max-length": "waived",
        "body.passed-unchanged": "waived",
    }
    assert (verdicts["name.pattern"], verdicts["name.empty"]) == ("pass", "fail")
    assert document["summary"]["stale_waivers"] == ["response.invoked-variant"]
    outcomes = {
        t["nodeid"].rpartition("::")[2]: t["outcome"] for c in document["clauses"] for t in c["tests"]
    }
    assert outcomes["test_waived_failure"] == outcomes["test_group_of_waived_violations"] == "waived"
    assert outcomes["test_waived_clause_whose_only_test_passes"] == "passed"
