"""`conformance certify`: run the suite against one target and write every report.

    conformance certify --target-config targets/moto.toml --out reports/moto
    python -m invokeendpoint_conformance.conformance certify ...   # the same

Runs the suite in a fresh pytest process (as a user's CI would), then reads
the report it wrote and prints the conformance percentage per kind and
where report.html is. `--workers N` runs it in N pytest-xdist workers (the
`parallel` extra); the report is the same as a serial run's. The exit code is
pytest's: 0 when every clause passed or is waived, 1 when a clause failed, a
waiver is no longer needed or the suite itself broke; 2 for a bad command.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from invokeendpoint_conformance import specs
from invokeendpoint_conformance.conformance.report_document import Report, judged

XDIST = "xdist"  # the module --workers needs: pytest-xdist, the parallel extra


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="conformance", description="InvokeEndpoint conformance suite")
    commands = parser.add_subparsers(dest="command", required=True)
    certify = commands.add_parser(
        "certify",
        help="run the suite against a target and write its certification report",
        description=__doc__.split("\n\n")[0],
    )
    certify.add_argument(
        "--target-config",
        metavar="FILE",
        help="TOML target config (url, edition, enforces_auth, description, waivers, ...); "
        "without it, the embedded reference emulator is certified",
    )
    certify.add_argument(
        "--out",
        metavar="DIR",
        required=True,
        help="directory for report.json/.md/.html, badge.svg and junit.xml (created if missing)",
    )
    certify.add_argument("--edition", choices=specs.EDITIONS, help="override the config's edition")
    certify.add_argument(
        "--conformance-profile",
        choices=("dev", "ci", "live"),
        default="ci",
        help="the suite's Hypothesis settings (default: ci)",
    )
    certify.add_argument(
        "--workers",
        metavar="N",
        type=_positive,
        default=1,
        help="run the suite in N pytest-xdist workers (needs the parallel extra: pytest-xdist); "
        "default 1: one process",
    )
    certify.add_argument(
        "pytest_args",
        nargs=argparse.REMAINDER,
        help="anything after -- goes to pytest unchanged (e.g. -- --clause body.max-length)",
    )
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def certify(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.workers > 1 and importlib.util.find_spec(XDIST) is None:
        print(
            f"conformance certify: --workers {args.workers} needs pytest-xdist, which is not installed "
            "here; install the parallel extra (pip install 'invokeendpoint-conformance[parallel]') "
            "or leave out --workers",
            file=sys.stderr,
        )
        return 2
    if out.exists() and not out.is_dir():
        print(f"conformance certify: --out {out} exists and is not a directory", file=sys.stderr)
        return 2
    if args.target_config and not Path(args.target_config).is_file():
        print(f"conformance certify: --target-config {args.target_config}: no such file", file=sys.stderr)
        return 2
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--pyargs",
        "conformance",
        "-p",
        "no:cacheprovider",
        "-q",
        "--conformance-report",
        str(out),
        "--conformance-profile",
        args.conformance_profile,
    ]
    if args.target_config:
        command += ["--target-config", args.target_config]
    if args.edition:
        command += ["--edition", args.edition]
    if args.workers > 1:
        command += ["-n", str(args.workers)]
    command += [a for a in args.pytest_args if a != "--"]
    exit_code = subprocess.run(command).returncode
    report_path = out / "report.json"
    if not report_path.is_file():
        print(f"conformance certify: the run wrote no report (pytest exit code {exit_code})", file=sys.stderr)
        return exit_code or 1
    print(summary(json.loads(report_path.read_text(encoding="utf-8")), out))
    return exit_code


def summary(report: Report, out: Path) -> str:
    manifest = report["manifest"]
    name = manifest["target"]["description"] or manifest["target"]["url"]
    lines = [f"\nconformance of {name} (edition {manifest['edition']}):"]
    for kind, counts in report["summary"]["by_kind"].items():
        figure = "n/a" if counts["conformance"] is None else f"{counts['conformance']:.1f}%"
        lines.append(
            f"  {kind:<11} {figure:>7}  ({counts['pass']} of {judged(counts)} clauses pass; "
            f"{counts['waived']} waived, {counts['not-applicable']} not applicable)"
        )
    for stale in report["summary"]["stale_waivers"]:
        lines.append(f"  waiver no longer needed: {stale}")
    for found in report["summary"]["suite_errors"]:
        lines.append(f"  the suite itself broke (not the target's): {found['test']}: {found['message']}")
    lines.append(f"report: {(out / 'report.html').resolve()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "certify":
        return certify(args)
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":
    sys.exit(main())
