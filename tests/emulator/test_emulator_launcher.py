"""The package's launcher, with stand-in servers: readiness, a full stderr, stopping, why a start failed."""

from __future__ import annotations

import signal
import sys

import pytest

from invokeendpoint_conformance import launcher


def _server(code: str) -> list[str]:
    """A Python one-off that runs `code`, then announces a made-up URL and waits to be stopped."""
    ready = launcher.ready_line("stand-in", "http://127.0.0.1:9", "test")
    return [
        sys.executable,
        "-c",
        f"import sys, time, signal\n{code}\nprint({ready!r}, flush=True)\ntime.sleep(60)",
    ]


def test_the_url_comes_from_the_readiness_line() -> None:
    with launcher.start(_server("")) as server:
        assert server.url == "http://127.0.0.1:9" and server.alive()
    assert not server.alive()


def test_a_server_that_fills_stderr_still_starts_and_its_log_outlives_it() -> None:
    with launcher.start(_server("sys.stderr.write('x' * (1 << 20) + '\\nlast line\\n')")) as server:
        assert server.log().endswith("last line\n")
    assert not server.stderr_path.exists()
    assert server.log_tail(1) == "last line\n"


def test_a_silent_server_is_stopped_and_reported() -> None:
    talker = "import sys, time; print('said this', file=sys.stderr, flush=True); time.sleep(60)"
    with pytest.raises(launcher.StartError, match=r"(?s)no readiness line within 0\.5 s.*said this"):
        launcher.start([sys.executable, "-c", talker], timeout=0.5)


def test_a_server_that_ignores_sigterm_is_killed() -> None:
    server = launcher.start(_server("signal.signal(signal.SIGTERM, signal.SIG_IGN)"))
    assert server.stop(timeout=0.5) == -signal.SIGKILL
    assert server.stop() == -signal.SIGKILL  # stopping again changes nothing


def test_the_emulator_is_started_by_the_package_s_full_name() -> None:
    command = launcher.emulator_command(edition="current", enforce_auth=True)
    assert command[:3] == [sys.executable, "-m", "invokeendpoint_conformance.emulator"]
    assert command[3:] == ["--host", "127.0.0.1", "--port", "0", "--edition", "current", "--enforce-auth"]
