"""Figures for the reference emulator: invocation rate against moto_server, and peak memory.

Run `python benchmarks/bench_emulator.py` (a script, not a test). It prints:

  (a) sequential small invocations per second, emulator vs moto_server on
      loopback, with one keep-alive client sending pre-signed requests, and the
      ratio (also for an emulator started with --enforce-auth; moto checks no signature);
  (b) the same with 8 client processes at once;
  (c) the emulator's peak RSS (psutil, sampled) while 8 clients each send a
      body of the edition's maximum size.

Targets: (a) and (b) at least 3x moto's rate; (c) under 200 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import sys
import threading
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from invokeendpoint_conformance import launcher, specs

# Starts moto_server and prints a readiness line in the launcher's format once moto answers HTTP.
START_MOTO = Path(__file__).resolve().parent.parent / "targets" / "start_moto.py"
CONTRACT = specs.contract()
REGION = CONTRACT["defaults"]["region"]
ENDPOINT = CONTRACT["defaults"]["probe_endpoint"]
TARGET_RATIO = 3.0
TARGET_RSS_MB = 200


def signed_request(url: str, body: bytes, content_type: str = "application/json") -> bytes:
    """The complete HTTP/1.1 request, signed once with the contract's example pair (replayed as is)."""
    creds = CONTRACT["example_credentials"]
    target = f"{url}/endpoints/{ENDPOINT}/invocations"
    request = AWSRequest("POST", target, data=body, headers={"Content-Type": content_type})
    SigV4Auth(
        Credentials(creds["access_key"], creds["secret_key"]), CONTRACT["signing_name"], REGION
    ).add_auth(request)
    parts = urlsplit(target)
    lines = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in request.headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Client:
    """A keep-alive HTTP/1.1 client that only sends prepared bytes and reads one answer back."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.address = (parts.hostname, parts.port)
        self.sock: socket.socket | None = None
        self.buffer = b""

    def _connect(self) -> socket.socket:
        if self.sock is None:
            self.sock = socket.create_connection(self.address)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        return self.sock

    def _recv(self) -> bytes:
        chunk = self._connect().recv(1 << 20)
        if not chunk:
            raise ConnectionError("closed")
        return chunk

    def call(self, request: bytes) -> tuple[int, bytes]:
        sock = self._connect()
        sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", 0))
        while len(rest) < length:
            rest += self._recv()
        body, self.buffer = rest[:length], rest[length:]
        if headers.get("connection", "").lower() == "close" or lines[0].startswith("HTTP/1.0"):
            self.close()
        return status, body

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def run_for(url: str, seconds: float, body: bytes = b'{"x": 1}') -> int:
    """Invocations completed in `seconds` by one client; every answer must be a 200."""
    client, request = Client(url), signed_request(url, body)
    count, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _ = client.call(request)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        count += 1
    client.close()
    return count


def _worker(url: str, seconds: float, start: Event, results: Queue[int]) -> None:
    start.wait()
    results.put(run_for(url, seconds))


def concurrent_rate(url: str, clients: int, seconds: float) -> float:
    """Invocations per second with `clients` processes hammering at once."""
    start = multiprocessing.Event()
    results: Queue[int] = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_worker, args=(url, seconds, start, results)) for _ in range(clients)
    ]
    for worker in workers:
        worker.start()
    time.sleep(0.5)  # let every worker import and connect
    start.set()
    total: int = sum(results.get(timeout=seconds + 60) for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


def start_moto() -> launcher.Server:
    """moto_server on a free loopback port, checked to answer invoke_endpoint."""
    moto = launcher.start([sys.executable, str(START_MOTO)])
    status, body = Client(moto.url).call(signed_request(moto.url, b'{"x": 1}'))
    if status != 200:
        moto.stop()
        raise RuntimeError(f"moto_server does not answer invoke_endpoint: {status} {body[:200]!r}")
    return moto


def peak_rss(edition: str, clients: int, rounds: int) -> tuple[float, float]:
    """(idle RSS, peak RSS) in MB of an emulator while `clients` processes send max-size bodies."""
    limit = specs.edition(edition).body_limit
    with launcher.start(launcher.emulator_command(edition=edition)) as emulator:
        process = psutil.Process(emulator.process.pid)
        idle = process.memory_info().rss
        peak, stop = idle, threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, process.memory_info().rss)
                time.sleep(0.002)

        sampler = threading.Thread(target=sample)
        sampler.start()
        with multiprocessing.Pool(clients) as pool:
            pool.starmap(_big_bodies, [(emulator.url, limit, rounds)] * clients)
        stop.set()
        sampler.join()
    return idle / 1e6, peak / 1e6


def _big_bodies(url: str, size: int, rounds: int) -> None:
    client, request = Client(url), signed_request(url, os.urandom(size), "application/octet-stream")
    for _ in range(rounds):
        status, body = client.call(request)
        if status != 200 or len(body) != size:
            raise RuntimeError(f"max-size body answered {status} with {len(body)} bytes")
    client.close()


def rate_line(label: str, emulator: float, moto: float) -> None:
    ratio = emulator / moto
    verdict = "ok" if ratio >= TARGET_RATIO else "MISSED"
    print(
        f"{label:<16} emulator {emulator:7.0f}/s  moto_server {moto:7.0f}/s  ratio {ratio:5.1f}x"
        f"  [target >= {TARGET_RATIO:g}x: {verdict}]"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each rate measurement")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--edition", default="current", choices=specs.EDITIONS, help="for the memory run")
    parser.add_argument("--rounds", type=int, default=5, help="max-size bodies per client in the memory run")
    args = parser.parse_args()

    with start_moto() as moto:
        with launcher.start(launcher.emulator_command()) as emulator:
            run_for(emulator.url, 0.5)  # warm-up
            run_for(moto.url, 0.5)
            emu_seq = run_for(emulator.url, args.seconds) / args.seconds
            moto_seq = run_for(moto.url, args.seconds) / args.seconds
            emu_par = concurrent_rate(emulator.url, args.clients, args.seconds)
            moto_par = concurrent_rate(moto.url, args.clients, args.seconds)
        # the same, verifying every signature
        with launcher.start(launcher.emulator_command(enforce_auth=True)) as emulator:
            run_for(emulator.url, 0.5)
            auth_seq = run_for(emulator.url, args.seconds) / args.seconds
    idle, peak = peak_rss(args.edition, args.clients, args.rounds)

    rate_line("(a) sequential", emu_seq, moto_seq)
    rate_line("    with auth", auth_seq, moto_seq)
    rate_line(f"(b) {args.clients} clients", emu_par, moto_par)
    size = specs.edition(args.edition).body_limit
    verdict = "ok" if peak < TARGET_RSS_MB else "MISSED"
    print(
        f"(c) peak RSS     {peak:.0f} MB (idle {idle:.0f} MB), {args.clients} clients x {args.rounds} bodies"
        f" of {size} bytes ({args.edition})  [target < {TARGET_RSS_MB} MB: {verdict}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
