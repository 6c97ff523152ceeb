"""No secret reaches any report file: proved with canary credentials, grepping everything written."""

from __future__ import annotations

import pytest
from suite_runs import broken_emulator, run_suite

pytestmark = pytest.mark.slow

CANARY = {
    "AWS_ACCESS_KEY_ID": "AKIACANARY0000000001",
    "AWS_SECRET_ACCESS_KEY": "canary-secret-key-do-not-print-0123456789",
    "AWS_SESSION_TOKEN": "canary-session-token-do-not-print-9876543210",
}
SENSITIVE = "canary-configured-sensitive-value"


def test_no_secret_in_any_artefact_of_a_failing_run(tmp_path):
    out = tmp_path / "out"
    config = tmp_path / "target.toml"
    with broken_emulator("variant-header-missing") as url:
        config.write_text(
            f'url = "{url}"\ndescription = "owned by {SENSITIVE}"\nsensitive_values = ["{SENSITIVE}"]\n'
        )
        run = run_suite("-q", "--target-config", str(config), "--conformance-report", str(out), env=CANARY)
    assert run.exit_code == 1, run.output[-2000:]  # failures, so evidence was written
    written = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in out.iterdir() if p.is_file()}
    assert set(written) >= {"report.json", "report.md", "report.html", "badge.svg", "junit.xml"}
    forbidden = [CANARY["AWS_SECRET_ACCESS_KEY"], CANARY["AWS_SESSION_TOKEN"], SENSITIVE, "Signature="]
    leaks = {(name, secret) for name, text in written.items() for secret in forbidden if secret in text}
    assert not leaks
    for secret in forbidden:
        assert secret not in run.output  # nor in what the terminal shows
    assert "[redacted]" in written["report.json"]  # the Authorization header was there, redacted
