"""Every check can fail: the suite, run against each broken emulator, fails naming the right clause.

Each mutant (tests/mutants/broken_emulator.py) has one bug and names the
clause that must catch it. The suite runs restricted to that clause
(`--clause`), stops at its first failure (`-x`), and must fail with the
clause's ID in its report. The runs go three at a time in a session fixture;
the parametrized test then reads each one's outcome.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from broken_emulator import MUTANTS, Mutant  # noqa: E402

PARALLEL = 3
START_TIMEOUT_S = 30
RUN_TIMEOUT_S = 300


@dataclass
class Outcome:
    exit_code: int
    output: str


def run_suite_against(mutant: Mutant) -> Outcome:
    command = [
        sys.executable,
        str(HERE / "broken_emulator.py"),
        mutant.name,
        "--port",
        "0",
        "--edition",
        mutant.edition,
    ]
    if mutant.enforce_auth:
        command.append("--enforce-auth")
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        url = re.search(r"http://\S+", line)
        if url is None:
            return Outcome(-1, f"the broken emulator did not start: {line!r}")
        suite = [
            sys.executable,
            "-m",
            "pytest",
            "--pyargs",
            "conformance",
            "-p",
            "no:cacheprovider",
            "-x",
            "-q",
            "--target-url",
            url.group(0),
            "--edition",
            mutant.edition,
            "--clause",
            mutant.clause,
            "--hypothesis-profile",
            "ci",
            "-W",
            "ignore::DeprecationWarning",
        ]
        if mutant.enforce_auth:
            suite.append("--enforces-auth")
        done = subprocess.run(
            suite, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env={**os.environ, "CI": "1"}
        )
        return Outcome(done.returncode, done.stdout + done.stderr)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def outcomes() -> dict[str, Outcome]:
    with ThreadPoolExecutor(PARALLEL) as pool:
        return dict(zip(MUTANTS, pool.map(run_suite_against, MUTANTS.values()), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MUTANTS))
def test_suite_fails_against_the_broken_emulator_naming_the_clause(outcomes, name):
    mutant, outcome = MUTANTS[name], outcomes[name]
    tail = outcome.output[-3000:]
    assert outcome.exit_code == 1, f"{mutant.bug}\nthe suite exited {outcome.exit_code}:\n{tail}"
    assert f"[{mutant.clause}]" in outcome.output, (
        f"{mutant.bug}\nfailed, but not on {mutant.clause}:\n{tail}"
    )


def test_there_are_at_least_25_mutants_over_many_clauses():
    assert len(MUTANTS) >= 25
    assert len({m.clause for m in MUTANTS.values()}) >= 25
