"""The plugin's own behaviour: options, target configs, clause markers, an unreachable target."""

from __future__ import annotations

import re
import socket

import pytest
from suite_runs import run_suite

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance import plugin
from invokeendpoint_conformance.conformance.target import TargetConfigError, resolve

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
    everything = _collected("--edition", "current")
    by_kind = {kind: _collected("--edition", "current", "-m", kind) for kind in specs.KINDS}
    assert set().union(*by_kind.values()) == everything
    assert sum(map(len, by_kind.values())) == len(everything)
    assert (
        _collected("--edition", "current", "-m", "not observed")
        == by_kind["documented"] | by_kind["contract"]
    )
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
