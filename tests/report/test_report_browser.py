"""report.html in a real headless Chromium: the DOM it builds, and a screenshot that shows the report.

Without chromium the tests skip, except under CI (`CI` set), where they fail:
.ci/run installs it, so a missing browser there is a broken CI, not a reason to pass.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest
from report_pages import Page
from report_samples import SCRIPT, sample_report

from invokeendpoint_conformance.conformance import render

WIDTH, HEIGHT = 1280, 2000
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed, and CI must run the browser tests (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    return render.write_all(sample_report(), tmp_path_factory.mktemp("rendered"))["report.html"]


def run_chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """One headless run with a fresh profile; its stderr is in the failure message if it fails."""
    result = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def unfilter(kind: int, line: bytearray, previous: bytearray, bpp: int) -> None:
    """Undo one row's filter in place (PNG specification, section 9)."""
    if kind == 0:
        return
    if kind == 2:
        line[:] = bytes((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + previous[i]) // 2) & 0xFF
        elif kind == 4:
            up, corner = previous[i], (previous[i - bpp] if i >= bpp else 0)
            guess = left + up - corner
            near = min(
                (abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner)
            )
            line[i] = (line[i] + near[2]) & 0xFF
        else:
            raise AssertionError(f"unknown PNG filter {kind}")


def png_pixels(data: bytes) -> tuple[int, int, Counter[bytes]]:
    """Width, height and a count of each RGB colour of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, compressed = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour_type in (2, 6) and interlace == 0, (depth, colour_type, interlace)
        elif kind == b"IDAT":
            compressed += chunk
        position += 12 + length
    raw = zlib.decompress(compressed)
    bpp = 3 if colour_type == 2 else 4
    stride = width * bpp
    assert len(raw) == height * (stride + 1)
    colours: Counter[bytes] = Counter()
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        unfilter(kind, line, previous, bpp)
        colours.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp))
        previous = line
    return width, height, colours


def test_chromium_builds_the_clause_table_and_runs_no_script(chromium, report_file, tmp_path):
    dom = run_chromium(chromium, tmp_path / "profile", "--dump-dom", report_file.as_uri()).stdout
    page = Page(dom)
    for clause in sample_report()["clauses"]:
        assert page.rows[f"clause-{clause['id']}"][0] == clause["id"]
    assert not [tag for tag, _ in page.tags if tag == "script"]
    assert SCRIPT in "".join(page.text)  # the evidence's markup is text in the DOM, not an element


def test_chromium_screenshots_a_readable_coloured_page(chromium, report_file, tmp_path):
    shot = tmp_path / "report.png"
    run_chromium(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={WIDTH},{HEIGHT}",
        report_file.as_uri(),
    )
    width, height, colours = png_pixels(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(colours) > 100, "a blank or nearly blank page"  # text is anti-aliased: hundreds of shades
    white = colours[b"\xff\xff\xff"]
    assert 0.5 < white / (width * height) < 0.98
    for verdict, colour in render.VERDICT_COLOURS.items():  # every badge was drawn in its colour
        assert colours[bytes.fromhex(colour[1:])] > 100, verdict
