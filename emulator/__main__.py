"""`python -m invokeendpoint_conformance.emulator`: start the reference emulator, say where it listens.

The conformance suite starts this as a subprocess (through the package's
launcher) and reads the one line it prints to stdout once the socket is bound
(`launcher.READY_LINE`); everything else goes to stderr. A bad configuration
file exits 2 before anything listens. `main(argv, pipeline=...)` serves with
another Pipeline class (a broken emulator of the project's tests).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import TYPE_CHECKING

from invokeendpoint_conformance import launcher, specs

from . import config as config_module
from .settings import Settings

if TYPE_CHECKING:
    from .pipeline import Pipeline

EXIT_CONFIG = 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m invokeendpoint_conformance.emulator",
        description="Reference emulator of SageMaker Runtime InvokeEndpoint.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8080, help="port to bind; 0 picks a free one (default 8080)"
    )
    parser.add_argument("--config", metavar="FILE", help="TOML file of endpoints, account and credentials")
    parser.add_argument(
        "--edition",
        choices=specs.EDITIONS,
        default=specs.contract()["defaults"]["edition"],
        help="which edition of the API to serve (default %(default)s)",
    )
    parser.add_argument(
        "--enforce-auth", action="store_true", help="refuse requests without a valid SigV4 signature"
    )
    return parser.parse_args(argv)


def configure_logging() -> None:
    """Our one line per request to stderr; aiohttp's own logs stay silent (they can quote headers)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    ours = logging.getLogger("emulator")
    ours.addHandler(handler)
    ours.setLevel(logging.INFO)
    ours.propagate = False
    theirs = logging.getLogger("aiohttp")
    theirs.addHandler(logging.NullHandler())
    theirs.propagate = False


async def serve(settings: Settings, host: str, port: int, pipeline: type[Pipeline] | None = None) -> None:
    """Listen until SIGTERM or SIGINT, announcing the URL once bound."""
    # Imported only now (aiohttp with them): a bad configuration file is refused before they load.
    from .app import Service
    from .pipeline import Pipeline as Faithful

    service = Service(settings, host, port, pipeline or Faithful)
    url = await service.start()
    print(launcher.ready_line("emulator", url, f"edition {settings.edition.name}"), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await service.stop()


def main(argv: list[str] | None = None, pipeline: type[Pipeline] | None = None) -> int:
    """Serve until stopped; `pipeline`: the Pipeline class that decides (default: the faithful one)."""
    args = parse_args(argv)
    edition = specs.edition(args.edition)
    try:
        config = config_module.load(args.config, edition) if args.config else config_module.default()
    except config_module.ConfigError as error:
        print(f"emulator: configuration error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging()
    settings = Settings(edition=edition, config=config, enforce_auth=args.enforce_auth)
    try:
        asyncio.run(serve(settings, args.host, args.port, pipeline))
    except OSError as error:
        print(f"emulator: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
