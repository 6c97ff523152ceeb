"""The probe as a SageMaker container program, for real AWS or an emulator variant's `container_url`.

`python -m invokeendpoint_conformance.emulator.container serve` speaks SageMaker's container contract:
`GET /ping` answers 200, `POST /invocations` answers through `probe.answer`,
exactly as the emulator's in-process probe does. SageMaker starts a container
with the argument `serve` and the port in SAGEMAKER_BIND_TO_PORT (default 8080).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys

from aiohttp import web

from invokeendpoint_conformance import launcher, specs

from . import probe

DEFAULT_PORT = 8080  # SageMaker's container contract
# A container never sees more than the largest body any edition lets through.
MAX_BODY = max(specs.edition(name).body_limit for name in specs.EDITIONS)


async def ping(request: web.Request) -> web.Response:
    return web.Response(status=200)


async def invocations(request: web.Request) -> web.Response:
    body = await request.read()
    answer = probe.answer(body, request.headers.items())
    if answer.delay:
        await asyncio.sleep(answer.delay)
    return web.Response(status=answer.status, body=bytes(answer.body), headers=answer.headers)


def make_app() -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_get("/ping", ping)
    app.router.add_post("/invocations", invocations)
    return app


async def serve(host: str, port: int) -> None:
    runner = web.AppRunner(make_app(), auto_decompress=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    url = f"http://{host}:{runner.addresses[0][1]}"
    print(launcher.ready_line("probe container", url, "SageMaker container contract"), flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m invokeendpoint_conformance.emulator.container")
    parser.add_argument("command", choices=["serve"], help="SageMaker starts containers with 'serve'")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("SAGEMAKER_BIND_TO_PORT", DEFAULT_PORT))
    )
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
