"""How the suite puts a request on the wire and what it reads back.

Requests go out through `requests` where it can send them unaltered, and
over a plain socket where it cannot (non-ASCII or control characters in a
header, bodies over the limit whose refusal may come before the upload
ends). Either way the request is signed after it is complete, with
botocore's own SigV4 signer, so that what the target receives is exactly
what was generated. Header names go out in varied capitalisation, since a
target must treat them without regard to case.
"""

from __future__ import annotations

import http.client
import re
import select
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from typing import Literal
from urllib.parse import quote, urlsplit

import requests

from invokeendpoint_conformance.exchanges import Exchange, Invocation, Received, Signer

TIMEOUT_S = 75  # above the 60 s a model may take (specs/contract.json), so a slow model is not cut off here
CHUNK = 64 * 1024
# What `requests` (http.client) sends unaltered: visible ASCII, space and tab, no edge white space.
REQUESTS_SAFE_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?|")
# Edits the signature headers after signing, to send a request whose signature is wrong.
Tamper = Callable[[list[tuple[str, str]]], list[tuple[str, str]]]


def invocation_path(endpoint_name: str) -> str:
    """The documented path, with the name percent-encoded so that any generated name stays one segment."""
    return f"/endpoints/{quote(endpoint_name, safe='')}/invocations"


def encode_header_value(value: str) -> bytes:
    """Header values go out as UTF-8: what a client that does not refuse non-ASCII sends."""
    return value.encode("utf-8")


def request_bytes(
    invocation: Invocation,
    *,
    host: str,
    extra_headers: tuple[tuple[str, str], ...] = (),
    path: str | None = None,
) -> bytes:
    """The complete HTTP/1.1 request: request line, headers in order, blank line, body."""
    target = path if path is not None else invocation_path(invocation.endpoint_name)
    lines = [f"{invocation.method} {target} HTTP/1.1".encode("ascii"), b"Host: " + host.encode("ascii")]
    for name, value in (*invocation.headers, *extra_headers):
        lines.append(name.encode("ascii") + b": " + encode_header_value(value))
    lines.append(b"Content-Length: " + str(len(invocation.body)).encode("ascii"))
    return b"\r\n".join(lines) + b"\r\n\r\n" + bytes(invocation.body)


def varied_case(name: str, salt: str) -> str:
    """The header name in one of four capitalisations, chosen deterministically by the request."""
    style = zlib.crc32(f"{name}|{salt}".encode()) % 4
    if style == 0:
        return name
    if style == 1:
        return name.lower()
    if style == 2:
        return name.upper()
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))


class Sender:
    """Sends invocations to one target; one keep-alive session per Sender."""

    def __init__(self, base_url: str, signer: Signer | None, *, body_limit: int) -> None:
        self.base_url = base_url.rstrip("/")
        self.signer = signer
        self.body_limit = body_limit
        self.session = requests.Session()
        self.session.headers.clear()  # no default Accept or User-Agent: send only what was generated

    def send(
        self,
        invocation: Invocation,
        *,
        path: str | None = None,
        signer: Signer | None | Literal["default"] = "default",
        transport: str | None = None,
        tamper: Tamper | None = None,
    ) -> Exchange:
        """Send one request. `signer=None` sends it unsigned; `tamper` may edit the signed headers."""
        path = path if path is not None else invocation_path(invocation.endpoint_name)
        url = self.base_url + path
        salt = f"{invocation.endpoint_name}|{len(invocation.body)}"
        headers = [(varied_case(n, salt), v) for n, v in invocation.headers]
        active_signer = self.signer if signer == "default" else signer
        signed = (
            active_signer.headers(invocation.method, url, headers, bytes(invocation.body))
            if active_signer
            else []
        )
        if tamper is not None:
            signed = tamper(signed)
        if transport is None:
            unsafe = any(not REQUESTS_SAFE_VALUE.fullmatch(v) for _, v in headers)
            transport = "socket" if unsafe or len(invocation.body) > self.body_limit else "requests"
        exchange = Exchange(
            invocation, url, headers + signed, transport, signer=active_signer, tampered=tamper is not None
        )
        sent = Invocation(invocation.endpoint_name, invocation.body, tuple(headers), invocation.method)
        try:
            if transport == "requests":
                exchange.response = self._via_requests(sent, url, signed)
            else:
                exchange.response = self._via_socket(sent, url, path, signed)
        except (OSError, requests.RequestException, http.client.HTTPException) as error:
            exchange.connection_error = f"{type(error).__name__}: {error}"
        return exchange

    def _via_requests(self, invocation: Invocation, url: str, signed: list[tuple[str, str]]) -> Received:
        request = requests.Request(
            invocation.method, url, headers=dict([*invocation.headers, *signed]), data=bytes(invocation.body)
        )
        prepared = self.session.prepare_request(request)
        prepared.url = url  # keep the path exactly as generated
        started = time.monotonic()
        response = self.session.send(prepared, timeout=TIMEOUT_S, allow_redirects=False)
        return Received(
            status=response.status_code,
            reason=response.reason or "",
            headers=list(response.raw.headers.items()),
            body=response.content,
            elapsed_s=time.monotonic() - started,
        )

    def _via_socket(
        self, invocation: Invocation, url: str, path: str, signed: list[tuple[str, str]]
    ) -> Received:
        parts = urlsplit(url)
        tls = parts.scheme == "https"
        port = parts.port or (443 if tls else 80)
        data = request_bytes(invocation, host=parts.netloc, extra_headers=tuple(signed), path=path)
        started = time.monotonic()
        sock = socket.create_connection((parts.hostname, port), timeout=TIMEOUT_S)
        if tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
        try:
            _send_until_answered(sock, data)
            response = http.client.HTTPResponse(sock, method=invocation.method)
            response.begin()
            body = response.read()
            return Received(
                status=response.status,
                reason=response.reason,
                headers=list(response.getheaders()),
                body=body,
                elapsed_s=time.monotonic() - started,
            )
        finally:
            sock.close()


def _send_until_answered(sock: socket.socket, data: bytes) -> None:
    """Send in chunks, but stop once the server answers early (a refusal before the upload ends)."""
    view = memoryview(data)
    for offset in range(0, len(view), CHUNK):
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:
            return
        try:
            sock.sendall(view[offset : offset + CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            return  # the answer, if any, is already waiting to be read
