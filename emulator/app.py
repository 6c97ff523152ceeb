"""The InvokeEndpoint service over HTTP: routing, the checks in AWS's order, the call to a model.

Every decision is a small module-level function that returns what it decided
or raises an `errors.Refusal`. The handler looks each one up through its
module at call time (`validation.check_headers`, `route`, ...), so a test can
monkeypatch exactly one behaviour to build a deliberately broken emulator.

Order: route -> auth (header) -> body size -> auth (signature) -> endpoint
name -> header members -> endpoint lookup -> routing headers -> variant ->
forwarding filter -> model -> model-error mapping or success headers.
"""

from __future__ import annotations

import asyncio
import logging
import random
import traceback
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout, web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_protocol import RequestHandler

from invokeendpoint_conformance import specs

from . import auth, errors, probe, validation
from .config import Config, Endpoint, Variant

CONTRACT = specs.contract()
log = logging.getLogger("emulator")
access_log = logging.getLogger("emulator.access")

# Our own limits on slow or silent clients (the contract sets none).
BODY_IDLE_TIMEOUT = 30.0  # seconds without a body byte before the request is dropped
BODY_TOTAL_TIMEOUT = 120.0  # seconds for a whole body, however it trickles
IDLE_CONNECTION_TIMEOUT = 75.0  # a connection with no complete request head for this long is closed
LINGER_TIME = 2.0  # after refusing a body unread, drain it this long so the client can read the refusal
STREAM_CHUNK = 1 << 16  # answers larger than this are written piecewise, never copied whole
REQUEST_ID = "x-amzn-RequestId"
MALFORMED = "emulator.malformed"  # key in a response's own mapping


@dataclass(frozen=True)
class Settings:
    """Everything a running emulator decides with; timeouts are overridable for tests only."""

    edition: specs.Edition
    config: Config
    enforce_auth: bool = False
    model_time_limit: float = CONTRACT["model_time_limit_seconds"]
    body_idle_timeout: float = BODY_IDLE_TIMEOUT
    body_total_timeout: float = BODY_TOTAL_TIMEOUT
    idle_timeout: float = IDLE_CONNECTION_TIMEOUT
    linger_time: float = LINGER_TIME


@dataclass(frozen=True)
class ModelAnswer:
    """What a container answered: status, headers (any case), body."""

    status: int
    headers: Mapping[str, str]
    body: bytes | bytearray


# ---- decision functions -------------------------------------------------------------------------


def origin_form(raw_target: str) -> str:
    """The request target as path[?query], undecoded (an absolute-form target loses its scheme and host)."""
    if raw_target.startswith("/"):
        return raw_target
    parts = urlsplit(raw_target)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def route(method: str, raw_target: str, edition: specs.Edition) -> str:
    """The endpoint name of an invocation (percent-decoded from the raw segment), or 404 / 405."""
    path = origin_form(raw_target).partition("?")[0]
    template, segments = edition.uri.split("/"), path.split("/")
    if len(segments) != len(template) or any(
        t != s for t, s in zip(template, segments, strict=True) if not t.startswith("{")
    ):
        # Our own wording: AWS's answer to an unknown path was never captured.
        text = f"No operation at this path; {edition.method} {edition.uri} is the only one."
        raise errors.plain_error(404, text, name="UnknownOperationException")
    if method != edition.method:
        text = f"{method} is not an operation on this path; use {edition.method}."  # our own wording
        raise errors.plain_error(
            405, text, name="UnknownOperationException", headers={"Allow": edition.method}
        )
    return unquote(segments[template.index("{EndpointName}")], errors="replace")


def check_body_length(length: int | None, limit: int) -> None:
    """Refuse a body (declared, or read so far) longer than the edition allows: 413, then close."""
    if length is not None and length > limit:
        raise errors.plain_error(413, errors.message("body-too-large", limit=limit), close=True)


async def read_body(request: web.BaseRequest, settings: Settings) -> bytearray:
    """The body, read as it streams, never holding more than the limit plus one chunk."""
    limit = settings.edition.body_limit
    if request.headers.get("Expect", "").lower() == "100-continue" and request.version >= (1, 1):
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.body_total_timeout
    body = bytearray()
    try:
        while True:
            wait = min(settings.body_idle_timeout, deadline - loop.time())
            chunk = await asyncio.wait_for(request.content.readany(), max(wait, 0))
            if not chunk:
                break
            check_body_length(len(body) + len(chunk), limit)
            body += chunk
    except asyncio.TimeoutError:
        raise errors.plain_error(408, "The request body did not arrive in time.", close=True) from None
    except (web.RequestPayloadError, ConnectionError):
        raise errors.plain_error(400, "The request body is malformed or incomplete.", close=True) from None
    declared = request.content_length
    if declared is not None and declared != len(body):
        raise errors.plain_error(400, "The request body is shorter than its Content-Length.", close=True)
    return body


def lookup_endpoint(
    endpoints: Mapping[str, Endpoint], name: str, account: str, edition: specs.Edition
) -> Endpoint:
    """The endpoint of that exact name (case matters), or ValidationError with AWS's not-found message."""
    endpoint = endpoints.get(name)
    if endpoint is None:
        text = errors.message("endpoint-not-found", name=name, account=account)
        raise errors.service_error(edition, "ValidationError", "NO_SUCH_ENDPOINT", text)  # code observed
    return endpoint


def _upper_snake(member_name: str) -> str:
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(member_name)).upper()


def check_routing_headers(
    headers: Mapping[str, str], endpoint: Endpoint, edition: specs.Edition
) -> str | None:
    """Refuse routing headers this endpoint cannot honour; return the variant a Target-Variant names.

    Only headers that are members of the active edition count; elsewhere they are
    stripped like any unsupported header. Our endpoints are all plain ones (one
    model per variant, no inference components, no direct container invocation).
    """
    members = {m.header.lower(): m for m in edition.header_members().values()}
    for header in CONTRACT["refused_routing_headers"]:
        member = members.get(header.lower())
        if member is None or validation.header_value(headers, header) is None:
            continue
        code = f"{_upper_snake(member.name)}_HEADER_NOT_SUPPORTED"  # gives the observed TARGET_MODEL_...
        if member.name == "TargetModel":
            text = errors.message("target-model-not-supported", name=endpoint.name)
        else:
            text = f"Endpoint {endpoint.name} does not support the {header} header."  # our own wording
        raise errors.service_error(edition, "ValidationError", code, text)
    target = edition.request.get("TargetVariant")
    named = validation.header_value(headers, target.header) if target else None
    if named is not None and endpoint.variant(named) is None:
        text = f"Endpoint {endpoint.name} has no production variant named {named}."  # our own wording
        raise errors.service_error(edition, "ValidationError", "NO_SUCH_VARIANT", text)
    return named


def pick_variant(endpoint: Endpoint, targeted: str | None) -> Variant:
    """The variant a Target-Variant named, else one drawn by weight."""
    if targeted is not None:
        return endpoint.variant(targeted)
    return random.choices(endpoint.variants, weights=[v.weight for v in endpoint.variants])[0]


def forward_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Only the headers the contract says reach a model; all others are stripped."""
    forwarded = {}
    for name in CONTRACT["probe"]["forwarded_headers"]:
        value = validation.header_value(headers, name)
        if value is not None:
            forwarded[name] = value
    return forwarded


def _wire_safe(value: str) -> str:
    """A header value aiohttp can write: undecodable bytes become U+FFFD, line breaks a space."""
    value = value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
    return value.replace("\r", " ").replace("\n", " ")


def success_headers(
    model_headers: Mapping[str, str], variant: Variant, edition: specs.Edition
) -> dict[str, str]:
    """The container's Content-Type verbatim, its custom attributes if it set any, the variant's name."""
    model = {name.lower(): value for name, value in model_headers.items()}
    headers = {}
    if "content-type" in model:
        headers["Content-Type"] = _wire_safe(model["content-type"])
    attributes = CONTRACT["probe"]["directive_header"]  # the custom-attributes header
    if attributes.lower() in model:
        headers[attributes] = _wire_safe(model[attributes.lower()])
    headers[edition.response["InvokedProductionVariant"].header] = variant.name
    return headers


def map_model_answer(answer: ModelAnswer, endpoint: Endpoint, config: Config, edition: specs.Edition) -> None:
    """A container status >= 400 becomes ModelError (424); anything lower is a success."""
    if answer.status >= 400:
        raise errors.model_error(
            edition,
            status=answer.status,
            body=answer.body,
            endpoint=endpoint.name,
            account=config.account,
            region=config.region,
        )


# ---- the service --------------------------------------------------------------------------------


class Emulator:
    """One running service: the settings, and a client session for variants that name a container_url."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._session: ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        request_id = str(uuid.uuid4())
        status, close = 200, False
        try:
            headers, body = await self.invoke(request)
        except errors.Refusal as refusal:
            status, headers, body, close = (
                refusal.status,
                refusal.response_headers(),
                refusal.response_body(),
                refusal.close,
            )
        except Exception as error:  # never a crash: log where (not what: it may hold request data)
            where = traceback.extract_tb(error.__traceback__)[-1]
            log.error("internal failure %s at %s:%s", type(error).__name__, where.filename, where.lineno)
            refusal = errors.service_error(
                self.settings.edition, "InternalFailure", "INTERNAL_FAILURE", "An internal failure occurred."
            )
            status, headers, body, close = 500, refusal.response_headers(), refusal.response_body(), True
        headers[REQUEST_ID] = request_id
        return await respond(request, status, headers, body, close)

    async def invoke(self, request: web.BaseRequest) -> tuple[dict[str, str], bytes | bytearray]:
        """The checks in order, then the model; returns the success headers and body."""
        s = self.settings
        name = route(request.method, request.raw_path, s.edition)
        signed = None
        if s.enforce_auth:
            signed = auth.check_authorization(request.headers, s.config.credentials, s.edition.signing_name)
        check_body_length(request.content_length, s.edition.body_limit)
        body = await read_body(request, s)
        if signed is not None:
            auth.verify_signature(
                signed, request.method, origin_form(request.raw_path), request.headers, body
            )
        validation.check_endpoint_name(name, s.edition)
        validation.check_headers(request.headers, s.edition)
        endpoint = lookup_endpoint(s.config.endpoints, name, s.config.account, s.edition)
        variant = pick_variant(endpoint, check_routing_headers(request.headers, endpoint, s.edition))
        forwarded = forward_headers(request.headers)
        try:
            answer = await asyncio.wait_for(self.call_model(variant, forwarded, body), s.model_time_limit)
        except asyncio.TimeoutError:
            raise errors.model_timeout(
                s.edition, endpoint=endpoint.name, account=s.config.account, region=s.config.region
            ) from None
        map_model_answer(answer, endpoint, s.config, s.edition)
        return success_headers(answer.headers, variant, s.edition), answer.body

    async def call_model(self, variant: Variant, headers: dict[str, str], body: bytearray) -> ModelAnswer:
        """The probe in-process, or the variant's container over SageMaker's container contract."""
        if variant.container_url is None:
            answer = probe.answer(body, headers)
            if answer.delay:
                await asyncio.sleep(answer.delay)
            return ModelAnswer(answer.status, answer.headers, answer.body)
        return await self.call_container(variant.container_url, headers, body)

    async def call_container(self, url: str, headers: dict[str, str], body: bytearray) -> ModelAnswer:
        if self._session is None:
            self._session = ClientSession(auto_decompress=False, timeout=ClientTimeout(total=None))
        limit = self.settings.edition.response["Body"].max_length
        try:
            async with self._session.post(
                f"{url}/invocations",
                data=body,
                headers=headers,
                skip_auto_headers=("Content-Type", "Accept", "Accept-Encoding", "User-Agent"),
            ) as reply:
                answer = bytearray()
                async for chunk in reply.content.iter_any():
                    answer += chunk
                    if len(answer) > limit:
                        text = f"The model's answer is longer than {limit} bytes."  # our own wording
                        raise errors.service_error(
                            self.settings.edition, "InternalFailure", "INTERNAL_FAILURE", text
                        )
                return ModelAnswer(reply.status, dict(reply.headers), answer)
        except (ClientError, ConnectionError, OSError):
            text = f"The model container at {url} could not be reached."  # our own wording
            raise errors.service_error(
                self.settings.edition, "ServiceUnavailable", "SERVICE_UNAVAILABLE", text
            ) from None


async def respond(
    request: web.BaseRequest, status: int, headers: dict[str, str], body: bytes | bytearray, close: bool
) -> web.StreamResponse:
    """Write an answer; a large body goes out in slices of itself, so it is never copied whole."""
    if len(body) <= STREAM_CHUNK:
        response = web.Response(status=status, body=bytes(body), headers=headers)
        if close:
            response.force_close()
        return response
    response = web.StreamResponse(status=status, headers=headers)
    response.content_length = len(body)
    if close:
        response.force_close()
    await response.prepare(request)
    view = memoryview(body)
    for start in range(0, len(view), STREAM_CHUNK):
        await response.write(view[start : start + STREAM_CHUNK])
    await response.write_eof()
    return response


class HttpProtocol(RequestHandler):
    """aiohttp's connection handler, whose own refusals (malformed HTTP) also carry a request id.

    Its stock answer is text that quotes the offending bytes; ours is the plain
    JSON shape, and never repeats what was sent.
    """

    def handle_error(self, request, status=500, exc=None, message=None):
        super().handle_error(request, status, exc, message)  # raises if an answer was already started
        text = "The request is not well-formed HTTP." if status < 500 else "An internal failure occurred."
        refusal = errors.plain_error(status, text)  # our own wording
        response = web.Response(
            status=status, body=refusal.response_body(), headers=refusal.response_headers()
        )
        response.headers[REQUEST_ID] = str(uuid.uuid4())
        response[MALFORMED] = True  # for the access log: no method or path to report
        response.force_close()
        return response


class HttpServer(web.Server):
    """web.Server that builds `HttpProtocol` connections (aiohttp offers no hook, hence the override)."""

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

    def __init__(self, settings: Settings, host: str = "127.0.0.1", port: int = 0) -> None:
        self.settings, self.host, self.port = settings, host, port
        self.emulator = Emulator(settings)
        self._runner: web.ServerRunner | None = None
        self.url = ""

    async def start(self) -> str:
        if self.settings.enforce_auth:
            auth.warm_up()
        server = HttpServer(
            self.emulator.handle,
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
