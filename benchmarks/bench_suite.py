"""Prints the suite's speed: a full default run, and its send path against a bare requests loop.

    python benchmarks/bench_suite.py [--requests N] [--runs N]

Both rates are measured in the same run against the same embedded emulator,
so the ratio, not the absolute figure, is what to compare across machines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

from invokeendpoint_conformance.conformance import embedded
from invokeendpoint_conformance.conformance.client import TargetClient
from invokeendpoint_conformance.conformance.target import resolve


def full_runs(runs: int, edition: str) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--pyargs",
                "conformance",
                "-q",
                "-p",
                "no:cacheprovider",
                "--edition",
                edition,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.monotonic() - started)
    return times


def suite_rate(client: TargetClient, count: int) -> float:
    started = time.monotonic()
    for i in range(count):
        exchange = client.invoke(body=b"bench %d" % i, headers=[("Content-Type", "text/plain")])
        assert exchange.response.status == 200
    return count / (time.monotonic() - started)


def bare_rate(client: TargetClient, count: int) -> float:
    """The least a correct client does: one keep-alive session, a SigV4 signature per request."""
    session = requests.Session()
    url = f"{client.url}/endpoints/{client.target.probe_endpoint}/invocations"
    signer = SigV4Auth(client.credentials, "sagemaker", client.target.region)
    started = time.monotonic()
    for i in range(count):
        body = b"bench %d" % i
        request = AWSRequest("POST", url, data=body, headers={"Content-Type": "text/plain"})
        signer.add_auth(request)
        response = session.post(url, data=body, headers=dict(request.headers))
        assert response.status_code == 200
    return count / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    for edition in ("original", "current"):
        times = full_runs(args.runs, edition)
        print(
            f"full default run ({edition}): "
            + ", ".join(f"{t:.1f} s" for t in times)
            + f" (median {statistics.median(times):.1f} s; goal < 60 s)"
        )

    running = embedded.start(edition="original", enforce_auth=False)
    try:
        client = TargetClient(resolve({"url": running.url}), running.url)
        suite_rate(client, 200), bare_rate(client, 200)  # warm up both paths
        suite, bare = [], []
        for _ in range(3):  # interleaved, so that both see the same machine
            suite.append(suite_rate(client, args.requests))
            bare.append(bare_rate(client, args.requests))
        s, b = statistics.median(suite), statistics.median(bare)
        print(
            f"suite send path: {s:.0f} req/s; bare requests.Session + SigV4: {b:.0f} req/s; "
            f"ratio {s / b:.2f} (goal >= 0.50)"
        )
    finally:
        running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
