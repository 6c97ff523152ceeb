"""The correct reference emulator passes the whole suite, in each edition and with auth enforced."""

from __future__ import annotations

import pytest
from suite_runs import run_suite


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [("--edition", "original"), ("--edition", "current"), ("--edition", "current", "--enforces-auth")],
    ids=["original", "current", "current-auth"],
)
def test_the_reference_emulator_passes_every_clause(options):
    run = run_suite("-q", *options)
    assert run.exit_code == 0, run.output[-4000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
