"""What the emulator's tests share: a signing client, botocore's error reading, raw sockets.

Requests go out through `requests`, signed with botocore's SigV4Auth and the
contract's example pair, and error answers are read with botocore's own
rest-json parser and the sagemaker-runtime operation model, as the SDK reads them.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit

import botocore.parsers
import botocore.session
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.emulator import config
from invokeendpoint_conformance.emulator.app import Service
from invokeendpoint_conformance.emulator.pipeline import Pipeline
from invokeendpoint_conformance.emulator.settings import Settings

CONTRACT = specs.contract()
PROBE = CONTRACT["defaults"]["probe_endpoint"]
VARIANT = CONTRACT["defaults"]["variant"]
REGION = CONTRACT["defaults"]["region"]
ACCOUNT = CONTRACT["emulator_account"]
ACCESS_KEY = CONTRACT["example_credentials"]["access_key"]
SECRET_KEY = CONTRACT["example_credentials"]["secret_key"]
ATTRIBUTES = CONTRACT["probe"]["directive_header"]
ABSENT = CONTRACT["absent_prefix"] + "x"

_SERVICE = botocore.session.get_session().get_service_model("sagemaker-runtime")
OPERATION = _SERVICE.operation_model("InvokeEndpoint")
PARSER = botocore.parsers.create_parser("rest-json")


def path_for(name: str) -> str:
    return f"/endpoints/{quote(name, safe='')}/invocations"


def _wire(value: str) -> str | bytes:
    """http.client sends str header values as latin-1; non-ASCII goes out as UTF-8 bytes instead."""
    return value if value.isascii() else value.encode("utf-8")


def call(
    url: str,
    name: str = PROBE,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    *,
    method: str = "POST",
    path: str | None = None,
    sign: bool = True,
    access_key: str = ACCESS_KEY,
    secret_key: str = SECRET_KEY,
    service: str = CONTRACT["signing_name"],
    region: str = REGION,
    timeout: float = 30,
) -> requests.Response:
    """One request, signed unless `sign=False`; only the headers given (plus Host, Content-Length) go out."""
    target = url + (path if path is not None else path_for(name))
    sent = dict(headers or {})
    if sign:
        request = AWSRequest(method, target, data=body, headers=sent)
        SigV4Auth(Credentials(access_key, secret_key), service, region).add_auth(request)
        sent = dict(request.headers.items())
    with requests.Session() as session:
        session.headers.clear()
        return session.request(
            method, target, data=body, headers={k: _wire(v) for k, v in sent.items()}, timeout=timeout
        )


def parse(response: requests.Response | RawAnswer) -> dict:
    """The response as botocore's rest-json parser reads it, modelled error members included."""
    if isinstance(response, RawAnswer):
        raw = {"status_code": response.status, "headers": response.headers, "body": response.body}
    else:
        raw = {"status_code": response.status_code, "headers": response.headers, "body": response.content}
    parsed = PARSER.parse(raw, OPERATION.output_shape)
    code = parsed.get("Error", {}).get("Code")
    shape = _SERVICE.shape_for_error_code(code) if code else None
    if shape is not None:
        parsed.update(PARSER.parse(raw, shape))
    return parsed


def error_of(response: requests.Response) -> tuple[str, str]:
    error = parse(response)["Error"]
    return error["Code"], error["Message"]


def is_uuid(value: str | None) -> bool:
    try:
        return value is not None and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


# ---- raw sockets ---------------------------------------------------------------------------------


def connect(url: str, timeout: float = 15) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    return sock


@dataclass
class RawAnswer:
    status: int | None  # None: closed (or reset) before any answer
    headers: dict[str, str]  # names in lower case
    body: bytes


class AnswerReader:
    """Reads HTTP answers off one connection, keeping what belongs to the next (pipelining)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.data = sock, b""

    def _more(self) -> bool:
        chunk = self.sock.recv(65536)
        self.data += chunk
        return bool(chunk)

    def answer(self) -> RawAnswer:
        """The next answer (interim 1xx skipped), read up to its Content-Length, or how it ended."""
        try:
            while True:
                while b"\r\n\r\n" not in self.data:
                    if not self._more():
                        return RawAnswer(None, {}, self.data)
                head, _, self.data = self.data.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                if status >= 200:
                    break
            headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
            length = int(headers.get("content-length", "0"))
            while len(self.data) < length and self._more():
                pass
            body, self.data = self.data[:length], self.data[length:]
            return RawAnswer(status, headers, body)
        except ConnectionResetError:
            return RawAnswer(None, {}, self.data)


def read_answer(sock: socket.socket) -> RawAnswer:
    return AnswerReader(sock).answer()


def raw_exchange(url: str, data: bytes) -> RawAnswer:
    with connect(url) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_answer(sock)


def closed_by_peer(sock: socket.socket) -> bool:
    """Whether the other side has closed: a read gives EOF (or a reset) instead of waiting."""
    try:
        return sock.recv(65536) == b""
    except ConnectionResetError:
        return True


# ---- an in-process server, for settings the command line does not offer (short timeouts) --------


class InProcessEmulator:
    """The emulator's Service on its own event loop in a thread, started with adjusted Settings.

    `pipeline`: the Pipeline class that decides (a subclass overriding one method, for a broken one).
    """

    def __init__(
        self, edition: str = "original", pipeline: type[Pipeline] = Pipeline, **overrides: Any
    ) -> None:
        self.settings = replace(
            Settings(edition=specs.edition(edition), config=config.default()), **overrides
        )
        self.service = Service(self.settings, pipeline=pipeline)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> InProcessEmulator:
        self.thread.start()
        self.url = asyncio.run_coroutine_threadsafe(self.service.start(), self.loop).result(30)
        return self

    def __exit__(self, *exc_info: object) -> None:
        asyncio.run_coroutine_threadsafe(self.service.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)
        self.loop.close()


def free_port() -> int:
    """A loopback port nobody listens on (just now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
