"""Bad input and load: malformed HTTP, slow clients, requests in flight at once, time-outs, the log.

Nothing here measures time: outcomes and their order are asserted, never durations.
Short time limits are set on an in-process server (emulator.app.Service with
adjusted Settings), since the command line keeps the contract's and our defaults.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from emulator_testkit import (
    ATTRIBUTES,
    PROBE,
    SECRET_KEY,
    AnswerReader,
    InProcessEmulator,
    call,
    closed_by_peer,
    connect,
    is_uuid,
    parse,
    path_for,
    raw_exchange,
    read_answer,
)

from invokeendpoint_conformance import specs

PATH = path_for(PROBE)

HEAD = b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\n"
MALFORMED = {
    "garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(64)) + b"\r\n\r\n",
    "bad-version": b"POST " + PATH.encode() + b" HTTP/9.9\r\nHost: x\r\n\r\n",
    "bad-content-length": HEAD + b"Content-Length: abc\r\n\r\n",
    "negative-content-length": HEAD + b"Content-Length: -5\r\n\r\n",
    "two-lengths": HEAD + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "length-and-chunked": HEAD + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "bad-chunk-size": HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
    "header-without-colon": HEAD + b"NoColonHere\r\n\r\n",
    "space-in-name": HEAD + b"Bad Name: v\r\n\r\n",
    "control-in-value": HEAD + b"Content-Type: a\x01b\r\nContent-Length: 0\r\n\r\n",
    "nul-in-value": HEAD + b"Accept: a\x00b\r\nContent-Length: 0\r\n\r\n",
    "huge-header": HEAD + b"X-Big: " + b"a" * 200_000 + b"\r\n\r\n",
    "huge-request-line": b"POST /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "many-headers": HEAD + b"X-A: b\r\n" * 5000 + b"\r\n",
    "bare-lf": b"POST " + PATH.encode() + b" HTTP/1.1\nHost: x\nContent-Length: 0\n\n",
}


@pytest.mark.parametrize("data", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_http_gets_a_4xx_or_a_closed_connection(original, data):
    answer = raw_exchange(original.url, data)
    assert answer.status is None or 400 <= answer.status < 500, answer
    if answer.status is not None:
        assert is_uuid(answer.headers.get("x-amzn-requestid"))
    # and the server is still there for everyone else
    assert call(original.url, body=b"still here").content == b"still here"


def test_pipelined_requests_are_answered_in_order(original):
    one = f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
    two = f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
    with connect(original.url) as sock:
        sock.sendall((one + two).encode())
        reader = AnswerReader(sock)
        assert reader.answer().body == b"one"
        assert reader.answer().body == b"two"


# ---- slow and silent clients, on an in-process server with short limits ---------------------------


@pytest.fixture(scope="module")
def impatient():
    with InProcessEmulator(
        body_idle_timeout=0.5, body_total_timeout=2.0, idle_timeout=1.0, linger_time=0.5
    ) as running:
        yield running


def _head(length: int) -> bytes:
    return f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode()


def test_a_body_that_stops_is_dropped(impatient):
    with connect(impatient.url) as sock:
        sock.sendall(_head(100) + b"only a part")
        answer = read_answer(sock)
        assert answer.status in (408, None)
        assert closed_by_peer(sock)


def test_a_body_that_trickles_is_dropped(impatient):
    with connect(impatient.url) as sock:
        sock.sendall(_head(1000))
        answer = None
        for _ in range(100):  # one byte at a time, each well inside the idle limit
            try:
                sock.sendall(b"x")
            except OSError:
                break
            sock.settimeout(0.2)
            try:
                answer = read_answer(sock)
                break
            except TimeoutError:
                continue
        assert answer is not None and answer.status in (408, None)


def test_a_head_that_stops_is_dropped(impatient):
    with connect(impatient.url) as sock:
        sock.sendall(f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Ty".encode())
        assert closed_by_peer(sock)


def test_stalled_clients_hold_up_nobody(impatient):
    stalled = [connect(impatient.url) for _ in range(20)]
    try:
        for sock in stalled:
            sock.sendall(_head(10) + b"x")
        assert call(impatient.url, body=b"served").content == b"served"
    finally:
        for sock in stalled:
            sock.close()


def test_a_model_that_does_not_answer_in_time_is_a_model_error():
    with InProcessEmulator(model_time_limit=0.3) as running:
        response = call(running.url, body=b"x", headers={ATTRIBUTES: "probe-delay-ms=5000"})
    assert response.status_code == 424
    parsed = parse(response)
    assert parsed["Error"]["Code"] == "ModelError"
    assert specs.message_pattern("model-timeout").fullmatch(parsed["Error"]["Message"])
    assert parsed["OriginalStatusCode"] == 0


# ---- many requests in flight ----------------------------------------------------------------------


def test_a_slow_invocation_holds_up_no_other(original):
    """A 5 s invocation is still in flight when every fast one sent after it has completed."""
    finished: list[str] = []
    lock = threading.Lock()

    def invoke(label: str, directives: str) -> int:
        response = call(original.url, body=label.encode(), headers={ATTRIBUTES: directives})
        with lock:
            finished.append(label)
        assert response.content == label.encode()
        return response.status_code

    with ThreadPoolExecutor(max_workers=9) as pool:
        slow = pool.submit(invoke, "slow", "probe-delay-ms=5000")
        time.sleep(0.2)  # only to let the slow request go out first; nothing is measured
        fast = [pool.submit(invoke, f"fast-{i}", "probe-delay-ms=10") for i in range(8)]
        assert all(f.result() == 200 for f in fast)
        with lock:
            assert "slow" not in finished
        assert slow.result() == 200
    assert finished[-1] == "slow" and len(finished) == 9


def test_concurrent_invocations_each_get_their_own_answer(target):
    def invoke(i: int) -> bool:
        body = f"request {i} ".encode() * (i + 1)
        response = call(target.url, body=body, headers={ATTRIBUTES: f"probe-delay-ms={i % 7 * 20}"})
        return response.status_code == 200 and response.content == body

    with ThreadPoolExecutor(max_workers=32) as pool:
        assert all(pool.map(invoke, range(200)))


# ---- the log ------------------------------------------------------------------------------------


def test_the_log_has_one_line_per_request_and_no_secret(authed):
    secret_attr, secret_body = "probe-custom-attributes=tok-8c1f2e", b"body-secret-77aa"
    response = call(authed.url, body=secret_body, headers={ATTRIBUTES: secret_attr, "X-Api-Key": "hdr-5e5e"})
    assert response.status_code == 200
    request_id = response.headers["x-amzn-RequestId"]
    call(authed.url, body=secret_body, secret_key="wrong-secret-9x")
    deadline = time.monotonic() + 10
    while request_id not in authed.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = authed.log()
    line = next(line for line in log.splitlines() if request_id in line)
    assert re.search(rf"POST {re.escape(PATH)} 200 [0-9.]+ms {request_id}$", line)
    for secret in (
        "tok-8c1f2e",
        "body-secret-77aa",
        "hdr-5e5e",
        SECRET_KEY,
        "wrong-secret-9x",
        "Signature=",
        "AKIA",
    ):
        assert secret not in log
