"""Every check can fail: the suite, run against each broken emulator, fails naming the right clause.

Each mutant (tests/mutants/broken_emulator.py) has one bug and names the
clause that must catch it. The suite runs restricted to that clause
(`--clause`), stops at its first failure (`-x`), and must fail with the
clause's ID in its report. The runs go three at a time in a session fixture;
the parametrized test then reads each one's outcome.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from broken_emulator import MUTANTS, Mutant
from suite_runs import SuiteRun, broken_emulator, run_suite

PARALLEL = 3
RUN_TIMEOUT_S = 300


def run_suite_against(mutant: Mutant) -> SuiteRun:
    auth = ("--enforce-auth",) if mutant.enforce_auth else ()
    with broken_emulator(mutant.name, "--edition", mutant.edition, *auth) as url:
        options = ["--target-url", url, "--edition", mutant.edition, "--clause", mutant.clause]
        if mutant.enforce_auth:
            options.append("--enforces-auth")
        return run_suite("-x", "-q", "--conformance-profile", "ci", *options, timeout=RUN_TIMEOUT_S)


@pytest.fixture(scope="session")
def outcomes() -> dict[str, SuiteRun]:
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
