"""Run one command against a moto_server started for it, then stop moto; exit with the command's code.

    python targets/run_against_moto.py [--config targets/moto.toml | --port N] -- COMMAND ...

moto listens on 127.0.0.1 at the port of the target config's `url` (so the
config stays the one place that names it), or at `--port`, or on a free port.
The command gets the URL three ways: `{url}` in any of its arguments is
replaced by it, and the environment variables `MOTO_URL` and
`CONFORMANCE_TARGET_URL` hold it. tox cannot keep a server running in the
background across its commands, hence this wrapper (used by `tox -e certify-moto`).

Exit codes: the command's own; 1 (stderr says why) if moto did not start.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from urllib.parse import urlsplit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from start_moto import LISTENING, MotoStartError, moto_version, start


def port_of_config(path: str) -> int:
    with open(path, "rb") as file:
        raw = tomllib.load(file)
    url = raw.get("target", raw).get("url")
    parts = urlsplit(url or "")
    if parts.hostname not in ("127.0.0.1", "localhost") or parts.port is None:
        raise SystemExit(f"run_against_moto: {path}: url {url!r} is not http://127.0.0.1:PORT")
    return parts.port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python targets/run_against_moto.py",
        description="Start moto_server, run COMMAND against it, stop moto, exit with COMMAND's code.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--config", metavar="FILE", help="target config whose url gives the port")
    where.add_argument("--port", type=int, help="port for moto (default: the config's, else a free one)")
    parser.add_argument("--log", metavar="FILE", help="moto's request log (default: a temporary file)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given (put it after --)")
    port = args.port if args.port is not None else port_of_config(args.config) if args.config else None

    def on_sigterm(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds: the command is killed, then moto is stopped

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        server = start(port=port, log_path=args.log)
    except MotoStartError as error:
        print(f"run_against_moto: {error}", file=sys.stderr)
        return 1
    with server:
        print(LISTENING.format(url=server.url, version=moto_version()), file=sys.stderr, flush=True)
        print(f"run_against_moto: moto's log: {server.log_path}", file=sys.stderr, flush=True)
        env = {**os.environ, "MOTO_URL": server.url, "CONFORMANCE_TARGET_URL": server.url}
        try:
            return subprocess.call([part.replace("{url}", server.url) for part in command], env=env)
        except KeyboardInterrupt:
            return 130
        except OSError as error:
            print(f"run_against_moto: cannot run {command[0]!r}: {error}", file=sys.stderr)
            return 127


if __name__ == "__main__":
    sys.exit(main())
