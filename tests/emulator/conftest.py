"""Running emulators, shared by the whole session: one per edition, one that enforces auth.

They are started exactly as the conformance suite starts a target
(`python -m invokeendpoint_conformance.emulator --port 0`, then the readiness
line), through the package's launcher.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invokeendpoint_conformance import launcher


@pytest.fixture(scope="session")
def original() -> Iterator[launcher.Server]:
    with launcher.start(launcher.emulator_command(edition="original")) as running:
        yield running


@pytest.fixture(scope="session")
def current() -> Iterator[launcher.Server]:
    with launcher.start(launcher.emulator_command(edition="current")) as running:
        yield running


@pytest.fixture(scope="session")
def authed() -> Iterator[launcher.Server]:
    with launcher.start(launcher.emulator_command(edition="current", enforce_auth=True)) as running:
        yield running


@pytest.fixture(scope="session", params=["original", "current"])
def target(request: pytest.FixtureRequest) -> launcher.Server:
    """Each edition's emulator in turn."""
    server: launcher.Server = request.getfixturevalue(request.param)
    return server
