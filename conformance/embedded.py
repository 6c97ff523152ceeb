"""The embedded default target: the reference emulator, run as a separate process.

The suite never imports the emulator's code (black box): the package's
launcher starts `python -m invokeendpoint_conformance.emulator` on a free
loopback port and reads the line it prints once it listens; from then on the
suite talks to it only over HTTP. Under pytest-xdist each worker starts its
own (plugin.py says why), so a report of a parallel run names each one's URL.
"""

from __future__ import annotations

from invokeendpoint_conformance import launcher


class EmbeddedTargetError(launcher.StartError):
    """The embedded emulator did not start; the message says why and quotes its stderr."""


def start(*, edition: str, enforce_auth: bool) -> launcher.Server:
    """The running emulator (`.url`, `.alive()`, `.log_tail()`, `.process`, `.stop()`)."""
    try:
        return launcher.start(launcher.emulator_command(edition=edition, enforce_auth=enforce_auth))
    except launcher.StartError as error:
        raise EmbeddedTargetError(f"the embedded emulator: {error}") from None
