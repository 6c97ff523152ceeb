"""Body limits (declared and streamed), and bodies passed to the model byte for byte."""

from __future__ import annotations

import hashlib
import json

import psutil
import pytest
from emulator_testkit import ATTRIBUTES, PROBE, call, connect, path_for, raw_exchange, read_answer

from invokeendpoint_conformance import specs

LIMITS = {name: specs.edition(name).body_limit for name in specs.EDITIONS}
PATH = path_for(PROBE).encode()


def _head(url: str, *lines: str) -> bytes:
    host = url.split("//")[1]
    return "\r\n".join([f"POST {PATH.decode()} HTTP/1.1", f"Host: {host}", *lines, "", ""]).encode()


def _refused_as_too_large(answer, limit: int) -> None:
    assert answer.status == 413
    assert answer.headers["connection"].lower() == "close"
    found = specs.message_pattern("body-too-large").fullmatch(json.loads(answer.body)["message"])
    assert found and int(found["limit"]) == limit


@pytest.mark.parametrize("edition", specs.EDITIONS)
@pytest.mark.parametrize("size", ["0", "1", "max-1", "max"])
def test_bodies_up_to_the_limit_come_back_unchanged(request, edition, size):
    limit = LIMITS[edition]
    length = {"0": 0, "1": 1, "max-1": limit - 1, "max": limit}[size]
    body = bytes(range(256)) * (length // 256) + bytes(range(length % 256))
    response = call(request.getfixturevalue(edition).url, body=body)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).digest() == hashlib.sha256(body).digest()


@pytest.mark.parametrize("edition", specs.EDITIONS)
@pytest.mark.parametrize("excess", [1, 4096, 10**9])
def test_declared_length_over_the_limit_is_refused_before_the_body(request, edition, excess):
    """Only the head is sent: the 413 arrives although the body never does."""
    url, limit = request.getfixturevalue(edition).url, LIMITS[edition]
    _refused_as_too_large(raw_exchange(url, _head(url, f"Content-Length: {limit + excess}")), limit)


@pytest.mark.parametrize("edition", specs.EDITIONS)
def test_expect_continue_is_not_granted_to_an_oversized_body(request, edition):
    url, limit = request.getfixturevalue(edition).url, LIMITS[edition]
    with connect(url) as sock:
        sock.sendall(_head(url, f"Content-Length: {limit + 1}", "Expect: 100-continue"))
        first = sock.recv(12)
        assert first == b"HTTP/1.1 413"


def test_expect_continue_is_granted_within_the_limit(original):
    with connect(original.url) as sock:
        sock.sendall(_head(original.url, "Content-Length: 5", "Expect: 100-continue"))
        assert sock.recv(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"hello")
        answer = read_answer(sock)
    assert answer.status == 200 and answer.body == b"hello"


def _chunked(data: bytes, size: int = 1 << 16) -> bytes:
    return b"".join(
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)
    )


@pytest.mark.parametrize("edition", specs.EDITIONS)
def test_chunked_body_over_the_limit_is_cut_off(request, edition):
    """limit + 1 bytes in chunks, no final chunk: the emulator stops reading and answers 413."""
    url, limit = request.getfixturevalue(edition).url, LIMITS[edition]
    process = psutil.Process(request.getfixturevalue(edition).process.pid)
    with connect(url) as sock:
        sock.sendall(_head(url, "Transfer-Encoding: chunked") + _chunked(b"\0" * (limit + 1)))
        _refused_as_too_large(read_answer(sock), limit)
    assert process.memory_info().rss < 200e6


def test_chunked_body_within_the_limit_comes_back_unchanged(original):
    body = bytes(range(256)) * 1000
    answer = raw_exchange(
        original.url, _head(original.url, "Transfer-Encoding: chunked") + _chunked(body) + b"0\r\n\r\n"
    )
    assert answer.status == 200 and answer.body == body


BODIES = {
    "nul-and-crlf": b"\0\r\n\0\r\n\r\n",
    "invalid-utf8": b"\xff\xfe\xc3\x28\xa0\xa1",
    "bom": b"\xef\xbb\xbfhello",
    "white-space": b"  \t\n body \n\t  ",
    "json": b'{"instances": [1, 2, 3]}',
}


@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
def test_arbitrary_bytes_pass_unchanged(target, body):
    response = call(target.url, body=body, headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 200 and response.content == body


def test_compressed_bodies_are_not_decompressed(original):
    """Content-Encoding is not for the service to undo: the model gets the bytes as sent."""
    body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05\x00\x00\x00"
    response = call(original.url, body=body, headers={"Content-Encoding": "gzip", ATTRIBUTES: ""})
    assert response.content == body
