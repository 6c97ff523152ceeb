"""The correct reference emulator passes the whole suite, in each edition and with auth enforced.

The three runs go at once in a module fixture (most of a run is waiting on the probe's delays),
and the parametrized test reads each one's outcome.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from suite_runs import SuiteRun, run_suite

RUNS = {
    "original": ("--edition", "original"),
    "current": ("--edition", "current"),
    "current-auth": ("--edition", "current", "--enforces-auth"),
}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, SuiteRun]:
    with ThreadPoolExecutor(len(RUNS)) as pool:
        runs = {name: pool.submit(run_suite, "-q", *options) for name, options in RUNS.items()}
        return {name: run.result() for name, run in runs.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(RUNS))
def test_the_reference_emulator_passes_every_clause(outcomes: dict[str, SuiteRun], name: str) -> None:
    run = outcomes[name]
    assert run.exit_code == 0, run.output[-4000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
