"""The InvokeEndpoint service over HTTP: the pipeline's checks in AWS's order, then the model.

Every decision is a method of `pipeline.Pipeline`; the app is handed the class
and calls its methods in this order, and does the rest itself: aiohttp's
plumbing, reading the body as it streams, writing answers, the access log.

Order: route -> auth (header) -> body size -> auth (signature) -> endpoint
name -> header members -> endpoint lookup -> routing headers -> variant ->
forwarding filter -> model -> model-error mapping or success headers.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_protocol import RequestHandler

from . import auth, errors
from .pipeline import REQUEST_ID, Answer, Pipeline
from .settings import Settings

log = logging.getLogger("emulator")
access_log = logging.getLogger("emulator.access")

STREAM_CHUNK = 1 << 16  # answers larger than this are written piecewise, never copied whole
MALFORMED = web.ResponseKey("emulator.malformed", bool)  # in a response's own mapping
Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


class Emulator:
    """One running service: its settings and the pipeline that decides each request."""

    def __init__(self, settings: Settings, pipeline: type[Pipeline] = Pipeline) -> None:
        self.settings = settings
        self.pipeline = pipeline(settings)

    async def close(self) -> None:
        await self.pipeline.close()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        try:
            answer = await self.invoke(request)
        except errors.Refusal as refusal:
            answer = self.pipeline.refusal_answer(refusal)
        except Exception as error:  # never a crash: log where (not what: it may hold request data)
            where = traceback.extract_tb(error.__traceback__)[-1]
            log.error("internal failure %s at %s:%s", type(error).__name__, where.filename, where.lineno)
            failure = errors.service_error(
                self.settings.edition, "InternalFailure", "INTERNAL_FAILURE", "An internal failure occurred."
            )
            failure.close = True
            answer = self.pipeline.refusal_answer(failure)
        return await respond(request, self.pipeline.stamp_request_id(answer, str(uuid.uuid4())))

    async def invoke(self, request: web.BaseRequest) -> Answer:
        """The checks in order, then the model; returns the success answer."""
        p = self.pipeline
        name = p.route(request.method, request.raw_path)
        signed = p.check_authorization(request.headers)
        p.check_body_length(request.content_length)
        body = await self.read_body(request)
        if signed is not None:
            p.verify_signature(signed, request.method, request.raw_path, request.headers, body)
        p.check_endpoint_name(name)
        p.check_headers(request.headers)
        endpoint = p.lookup_endpoint(name)
        variant = p.pick_variant(endpoint, p.check_routing_headers(request.headers, endpoint))
        forwarded = p.forward_headers(request.headers)
        try:
            answer = await asyncio.wait_for(p.call_model(variant, forwarded, body), p.model_time_limit())
        except asyncio.TimeoutError:
            raise p.model_timeout(endpoint) from None
        p.map_model_answer(answer, endpoint)
        return Answer(p.success_status(answer), p.success_headers(answer.headers, variant), answer.body)

    async def read_body(self, request: web.BaseRequest) -> bytearray:
        """The body, read as it streams, never holding more than the limit plus one chunk."""
        s = self.settings
        if request.headers.get("Expect", "").lower() == "100-continue" and request.version >= (1, 1):
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + s.body_total_timeout
        body = bytearray()
        try:
            while True:
                wait = min(s.body_idle_timeout, deadline - loop.time())
                chunk = await asyncio.wait_for(request.content.readany(), max(wait, 0))
                if not chunk:
                    break
                self.pipeline.check_body_length(len(body) + len(chunk))
                body += chunk
        except asyncio.TimeoutError:
            raise errors.plain_error(408, "The request body did not arrive in time.", close=True) from None
        except (web.RequestPayloadError, ConnectionError):
            raise errors.plain_error(
                400, "The request body is malformed or incomplete.", close=True
            ) from None
        declared = request.content_length
        if declared is not None and declared != len(body):
            raise errors.plain_error(400, "The request body is shorter than its Content-Length.", close=True)
        return body


async def respond(request: web.BaseRequest, answer: Answer) -> web.StreamResponse:
    """Write an answer; a large body goes out in slices of itself, so it is never copied whole."""
    body = answer.body
    if len(body) <= STREAM_CHUNK:
        response = web.Response(status=answer.status, body=bytes(body), headers=answer.headers)
        if answer.close:
            response.force_close()
        return response
    stream = web.StreamResponse(status=answer.status, headers=answer.headers)
    stream.content_length = len(body)
    if answer.close:
        stream.force_close()
    await stream.prepare(request)
    view = memoryview(body)
    for start in range(0, len(view), STREAM_CHUNK):
        await stream.write(view[start : start + STREAM_CHUNK])
    await stream.write_eof()
    return stream


class HttpProtocol(RequestHandler):
    """aiohttp's connection handler, whose own refusals (malformed HTTP) also carry a request id.

    Its stock answer is text that quotes the offending bytes; ours is the pipeline's
    (`Pipeline.malformed_request`), and never repeats what was sent.
    """

    def __init__(self, manager: HttpServer, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self.pipeline = manager.pipeline

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        super().handle_error(request, status, exc, message)  # raises if an answer was already started
        refusal = self.pipeline.malformed_request(status)
        response = web.Response(
            status=refusal.status, body=refusal.response_body(), headers=refusal.response_headers()
        )
        response.headers[REQUEST_ID] = str(uuid.uuid4())
        response[MALFORMED] = True  # for the access log: no method or path to report
        response.force_close()
        return response


class HttpServer(web.Server):
    """web.Server that builds `HttpProtocol` connections (aiohttp offers no hook, hence the override),
    each answering malformed HTTP as the pipeline decides."""

    def __init__(self, handler: Handler, *, pipeline: Pipeline, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.pipeline = pipeline

    def __call__(self) -> RequestHandler:
        return HttpProtocol(self, loop=self._loop, **self._kwargs)


class AccessLogger(AbstractAccessLogger):
    """One line per request: method, path, status, duration, request id. Never headers or body."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, duration: float) -> None:
        request_id = response.headers.get(REQUEST_ID, "-")
        if response.get(MALFORMED):  # refused by aiohttp's HTTP parser before any handler saw it
            self.logger.info(
                "- - %s %.1fms %s (malformed HTTP)", response.status, duration * 1000, request_id
            )
            return
        path = request.raw_path.partition("?")[0]
        path = "".join(c if " " < c < "\x7f" else "?" for c in path[:300])
        self.logger.info(
            "%s %s %s %.1fms %s", request.method[:16], path, response.status, duration * 1000, request_id
        )


class Service:
    """The emulator bound to a socket: `await start()`, `.url`, `await stop()`."""

    def __init__(
        self,
        settings: Settings,
        host: str = "127.0.0.1",
        port: int = 0,
        pipeline: type[Pipeline] = Pipeline,
    ) -> None:
        self.settings, self.host, self.port = settings, host, port
        self.emulator = Emulator(settings, pipeline)
        self._runner: web.ServerRunner | None = None
        self.url = ""

    async def start(self) -> str:
        """Bind and listen; returns the URL (the port is the one bound, for a port of 0)."""
        if self.settings.enforce_auth:
            auth.warm_up()
        server = HttpServer(
            self.emulator.handle,
            pipeline=self.emulator.pipeline,
            handler_cancellation=True,  # a client that leaves stops its in-flight work
            access_log_class=AccessLogger,
            access_log=access_log,
            keepalive_timeout=self.settings.idle_timeout,
            lingering_time=self.settings.linger_time,
            auto_decompress=False,  # the model gets the body's bytes as sent
        )
        self._runner = web.ServerRunner(server, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        port = self._runner.addresses[0][1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        await self.emulator.close()
