"""Integrity under concurrency: each of many parallel invocations gets its own answer."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.wire import Sender
from invokeendpoint_conformance.exchanges import Exchange

PARALLEL = 16


@pytest.mark.clause("concurrency.integrity")
def test_parallel_invocations_each_get_their_own_body(client: TargetClient) -> None:
    # distinct, and the same in every run, so that a failure can be replayed
    bodies = [
        f"request {i} ".encode() + random.Random(i).randbytes(1024 + 97 * i) for i in range(PARALLEL * 4)
    ]

    def send(body: bytes) -> Exchange:
        sender = Sender(
            client.url, client.signer, body_limit=client.edition.body_limit
        )  # a session per thread
        return sender.send(client.invocation(body=body, directives={"probe-delay-ms": 50}))

    with ThreadPoolExecutor(PARALLEL) as pool:
        exchanges = list(pool.map(send, bodies))
    for body, exchange in zip(bodies, exchanges, strict=True):
        client.expect_echo("concurrency.integrity", exchange, body)
