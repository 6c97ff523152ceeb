"""A report replays on its own: a large body of its evidence is in it, and the command works there."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from suite_runs import broken_emulator, run_suite

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance import report_files, reproduce

pytestmark = pytest.mark.slow

CURL = shutil.which("curl")
EXAMPLE = specs.contract()["example_credentials"]
BODY_ARGUMENT = re.compile(r"--data-binary @bodies/([0-9a-f]{64})\.bin$")


def _replay(command: str, directory: Path) -> int:
    """The status the command gets, run from the report's directory as report.md says."""
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": EXAMPLE["access_key"],
        "AWS_SECRET_ACCESS_KEY": EXAMPLE["secret_key"],
    }
    done = subprocess.run(["bash", "-c", command], capture_output=True, cwd=directory, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split(b"\r\n", 1)[0].split()[1])


@pytest.mark.skipif(CURL is None, reason="curl is not installed")
def test_a_failures_large_body_is_in_the_report_and_its_command_replays_from_there(tmp_path):
    """body-limit-one-short refuses a body of exactly the limit: the evidence is a 5 MiB request.

    The emulator checks no signature, so any curl with --aws-sigv4 replays it (no 8.3 needed).
    """
    out = tmp_path / "report"
    with broken_emulator("body-limit-one-short") as url:
        run = run_suite(
            "-q", "--target-url", url, "--clause", "body.max-length", "--conformance-report", str(out)
        )
        assert run.exit_code == 1, run.output[-3000:]
        document = json.loads((out / "report.json").read_text(encoding="utf-8"))
        report_files.validate(document)
        clause = next(c for c in document["clauses"] if c["id"] == "body.max-length")
        assert clause["verdict"] == "fail"
        large = [
            e for e in clause["evidence"] if e["request"]["body"]["length"] > reproduce.INLINE_BODY_LIMIT
        ]
        assert large, clause["evidence"]
        for evidence in large:
            found = BODY_ARGUMENT.search(evidence["reproduce"])
            assert found, evidence["reproduce"]
            sha256 = found[1]
            assert sha256 == evidence["request"]["body"]["sha256"]
            copied = (out / "bodies" / f"{sha256}.bin").read_bytes()
            assert len(copied) == evidence["request"]["body"]["length"]
            assert hashlib.sha256(copied).hexdigest() == sha256
            assert _replay(evidence["reproduce"], out) == evidence["response"]["status"]

    for name in ("report.json", "report.md", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert str(reproduce.BODY_FOLDER) not in text, name
        assert f"@bodies/{large[0]['request']['body']['sha256']}.bin" in text, name
    assert str(reproduce.BODY_FOLDER) in run.output  # the terminal keeps the absolute name
