"""How long `bodies()` takes to draw bodies of exactly the limit, in each edition.

    python benchmarks/bench_bodies.py [count]

Bodies are drawn inside a `@given` test through `st.data()`, as the suite draws them; the
figures time each `data.draw` alone (Hypothesis's bookkeeping for that draw included, the rest
of the test run not), and the whole run separately.
"""

from __future__ import annotations

import statistics
import sys
import time

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.strategies import bodies


def measure(edition: str, count: int) -> tuple[list[float], float]:
    limit = specs.edition(edition).body_limit
    strategy = bodies(edition=edition, min_size=limit, max_size=limit)
    times: list[float] = []

    @settings(
        max_examples=count,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def draw(data):
        start = time.perf_counter()
        body = data.draw(strategy)
        times.append(time.perf_counter() - start)
        assert len(body) == limit

    start = time.perf_counter()
    draw()
    return times, time.perf_counter() - start


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 100
    print(f"bodies(edition=e, min_size=limit, max_size=limit), {count} draws per edition")
    columns = ("edition", "limit", "draws", "mean ms", "median ms", "max ms", "draws s", "run s")
    print("  ".join(f"{c:>9}" for c in columns))
    for edition in specs.EDITIONS:
        times, whole = measure(edition, count)
        ms = [t * 1000 for t in times]
        row = (edition, specs.edition(edition).body_limit, len(times))
        figures = (statistics.mean(ms), statistics.median(ms), max(ms), sum(times), whole)
        print("  ".join([*(f"{c:>9}" for c in row), *(f"{f:>9.2f}" for f in figures)]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
