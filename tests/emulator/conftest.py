"""Running emulators, shared by the whole session: one per edition, one that enforces auth.

They are started exactly as the conformance suite starts a target
(`python -m emulator --port 0`, then the "listening" line), through
`emulator.launcher`.
"""

from __future__ import annotations

import pytest

from invokeendpoint_conformance.emulator import launcher


@pytest.fixture(scope="session")
def original():
    with launcher.start(edition="original") as running:
        yield running


@pytest.fixture(scope="session")
def current():
    with launcher.start(edition="current") as running:
        yield running


@pytest.fixture(scope="session")
def authed():
    with launcher.start(edition="current", enforce_auth=True) as running:
        yield running


@pytest.fixture(scope="session", params=["original", "current"])
def target(request):
    """Each edition's emulator in turn."""
    return request.getfixturevalue(request.param)
