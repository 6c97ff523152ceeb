"""tests/certify's whole-suite runs (whole_runs.py), all started at once, each read by the tests naming it.

A run is mostly waiting (the probe's delays, the emulator's answers), so the runs go together in a
thread pool, from the folder's first test on (test_certify_bodies.py's run goes beside them). Only
the runs that the selected tests name (`@pytest.mark.whole_run(NAME)`) are started: `-k` one test
and only its run goes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from whole_runs import RUNS, Finished


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "whole_run(*names): the whole-suite runs (tests/certify/conftest.py) a test reads"
    )


@pytest.fixture(scope="session", autouse=True)  # so that they start with the folder's first test
def finished(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], Finished]]:
    """The runs the selected tests name, started together; `finished(NAME)` waits for one of them."""
    needed = sorted(
        {n for item in request.session.items for m in item.iter_markers("whole_run") for n in m.args}
    )
    base = tmp_path_factory.mktemp("whole-runs")
    with ThreadPoolExecutor(max(len(needed), 1)) as pool:
        futures: dict[str, Future[Finished]] = {}
        for name in needed:
            (base / name).mkdir()
            futures[name] = pool.submit(RUNS[name], base / name)
        yield lambda name: futures[name].result()
