"""No secret reaches any report file: proved with canary credentials, grepping everything written."""

from __future__ import annotations

import pytest
from whole_runs import CANARY, SENSITIVE

pytestmark = pytest.mark.slow


@pytest.mark.whole_run("variant-header-missing")  # canary credentials, a sensitive value, a failure
def test_no_secret_in_any_artefact_of_a_failing_run(finished):
    done = finished("variant-header-missing")
    out, run = done.out, done.run
    assert run.exit_code == 1, run.output[-2000:]  # failures, so evidence was written
    written = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in out.iterdir() if p.is_file()}
    assert set(written) >= {"report.json", "report.md", "report.html", "badge.svg", "junit.xml"}
    forbidden = [CANARY["AWS_SECRET_ACCESS_KEY"], CANARY["AWS_SESSION_TOKEN"], SENSITIVE, "Signature="]
    leaks = {(name, secret) for name, text in written.items() for secret in forbidden if secret in text}
    assert not leaks
    for secret in forbidden:
        assert secret not in run.output  # nor in what the terminal shows
    assert "[redacted]" in written["report.json"]  # the Authorization header was there, redacted
