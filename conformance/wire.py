"""The bytes of a request, exactly as the suite puts them on the wire."""

from __future__ import annotations

from urllib.parse import quote

from strategies.invocations import Invocation


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
