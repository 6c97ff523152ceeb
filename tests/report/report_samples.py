"""A small report as the plugin writes it, one clause per verdict, with target text that fights back.

The failing clause's evidence carries what a hostile or broken target could
send: markup, quotes, ampersands, table pipes, backtick fences and a control
character. The summary is tallied from the clauses, as the schema defines it.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

from invokeendpoint_conformance import specs

SCHEMA = json.loads((Path(specs.__file__).parent / "schemas" / "report.schema.json").read_text())
VERDICTS = ("pass", "fail", "waived", "not-applicable", "error")
KINDS = ("documented", "contract", "protocol", "observed")

SCRIPT = "<script>alert(1)</script>"
QUOTES = '"quotes" & ampersands'
PIPE = "a|b"
URL = "http://127.0.0.1:39157"
INVOCATIONS = f"{URL}/endpoints/conformance-probe/invocations"
CURL = (
    f"curl -sS -i -X POST {INVOCATIONS} --aws-sigv4 'aws:amz:us-east-1:sagemaker' "
    "--user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" -H 'Content-Type: application/json' "
    "-H 'X-Amzn-SageMaker-Custom-Attributes: probe-content-type=text%2Fhtml%3B%20x%3D%22%3Cscript%3E%22' "
    "--data-binary '{}'"
)
NOTE = "the probe saw 3 of 3 <items> | in order"
SUITE_ERROR = {
    "message": "KeyError: 'limit'",
    "traceback": (
        "Traceback (most recent call last; 2 frames, pytest's and Hypothesis's left out):\n"
        '  File "invokeendpoint_conformance/conformance/suite/test_bodies.py", line 40, in test_body\n'
        '    limit = edition["limit"]\n'
        '  File "invokeendpoint_conformance/conformance/suite/test_bodies.py", line 12, in <module>\n'
        "KeyError: 'limit'"
    ),
}
MINIMAL_EXAMPLE = "Falsifying example: test_response_content_type_is_the_models(\n    client=...,\n    data=data(...),\n)\nDraw 1 (model's type): 'text/html; x=\"<script>\"'"  # noqa: E501


def body(data: bytes, limit: int = 512) -> dict:
    """A body record as report.py makes it: length, sha256, an ASCII preview."""
    return {
        "length": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "preview": data[:limit].decode("ascii", "backslashreplace"),
        "truncated": len(data) > limit,
    }


def clause(
    id_, kind, group, statement, source, verdict, tests=(), waiver=None, evidence=(), reason=None, **extra
):
    """A clause record; `extra` gives its cause (where the verdict is error) and its notes."""
    record = {
        "id": id_,
        "kind": kind,
        "group": group,
        "statement": statement,
        "source": dict(zip(("document", "section", "text"), source, strict=True)),
        "verdict": verdict,
        "tests": [{"nodeid": n, "outcome": o, "duration_s": d} for n, o, d in tests],
        "waiver": waiver,
        "evidence": list(evidence),
        "notes": list(extra.get("notes", ())),
    }
    if reason is not None:
        record["reason"] = reason
    if extra.get("cause"):
        record["cause"] = extra["cause"]
    return record


def failing_evidence() -> dict:
    """A Content-Type that came back changed, and a body full of markup."""
    answer = (
        f"<html><body>{SCRIPT} {QUOTES} {PIPE} ```fence``` \x1b[31m</body></html>".encode()
        + b"\xff\xfe"
        + b"x" * 600
    )
    received = f"Content-Type: 'text/html; x=\"{SCRIPT}\" & {PIPE}' (changed)"
    return {
        "test": "conformance/test_responses.py::test_response_content_type_is_the_models",
        "message": (
            "[response.content-type] The response's Content-Type is the one the model answered with, "
            f"verbatim, parameters included.\n  Received:   {received}\n"
            f"  Documented: Content-Type: 'text/html; x=\"<script>\"'\n  Reproduce:  {CURL}"
        ),
        "problems": [{"received": received, "documented": "Content-Type: 'text/html; x=\"<script>\"'"}],
        "request": {
            "method": "POST",
            "url": INVOCATIONS,
            "headers": [
                ["Content-Type", "application/json"],
                [
                    "X-Amzn-SageMaker-Custom-Attributes",
                    "probe-content-type=text%2Fhtml%3B%20x%3D%22%3Cscript%3E%22",
                ],
                ["Authorization", "[redacted]"],
                ["X-Amz-Date", "20251130T100000Z"],
            ],
            "body": body(b"{}"),
        },
        "response": {
            "status": 200,
            "reason": "OK",
            "headers": [
                ["Content-Type", f'text/html; x="{SCRIPT}" & {PIPE}'],
                ["x-Amzn-Invoked-Production-Variant", "AllTraffic"],
                ["Content-Length", "680"],
            ],
            "body": body(answer),
        },
        "connection_error": None,
        "minimal_example": MINIMAL_EXAMPLE,
        "reproduce": CURL,
    }


def waived_evidence() -> dict:
    received = "424 Failed Dependency, error 'ModelError', message 'Received server error (500) from primary'"
    return {
        "test": "conformance/test_model_errors.py::test_container_500_is_model_error",
        "message": f"[model-error.container-500] ...\n  Received:   {received}\n  Documented: status 424",
        "problems": [{"received": "502 Bad Gateway", "documented": "status 424"}],
        "request": {
            "method": "POST",
            "url": INVOCATIONS,
            "headers": [
                ["Content-Type", "text/plain"],
                ["X-Amzn-SageMaker-Custom-Attributes", "probe-status=500"],
            ],
            "body": body(b"hello"),
        },
        "response": {
            "status": 502,
            "reason": "Bad Gateway",
            "headers": [["Content-Type", "application/json"]],
            "body": body(b'{"message": "upstream"}'),
        },
        "connection_error": None,
        "minimal_example": None,
        "reproduce": f"curl -sS -i -X POST {INVOCATIONS} --data-binary hello",
    }


def sample_clauses() -> list[dict]:
    return [
        clause(
            "name.max-length",
            "documented",
            "names",
            "An endpoint name of 64 or more characters that otherwise fits the pattern is refused with "
            "ValidationError (400).",
            (
                "InvokeEndpoint.md",
                "URI Request Parameters: EndpointName",
                "Length Constraints: Maximum length of 63.",
            ),
            "pass",
            tests=[("conformance/test_names.py::test_long_names_are_refused", "passed", 1.234)],
        ),
        clause(
            "response.content-type",
            "documented",
            "responses",
            "The response's Content-Type is the one the model answered with, verbatim, parameters included.",
            (
                "InvokeEndpoint.md",
                "Response Elements: ContentType",
                "The MIME type of the inference returned in the response body.",
            ),
            "fail",
            tests=[
                ("conformance/test_responses.py::test_response_content_type_is_the_models", "failed", 2.5)
            ],
            evidence=[failing_evidence()],
        ),
        clause(
            "model-error.container-500",
            "documented",
            "model-errors",
            "A container that answers 500 gives the caller ModelError (424).",
            (
                "InvokeEndpoint.md",
                "Errors: ModelError",
                "Model (owned by the customer in the container) returned an error 500. HTTP Status Code: 424",
            ),
            "waived",
            tests=[("conformance/test_model_errors.py::test_container_500_is_model_error", "waived", 0.05)],
            waiver={
                "reason": "our gateway answers 502 until v2 & later",
                "link": "https://example.com/issues/12",
                "expires": "2099-01-01",
            },
            evidence=[waived_evidence()],
        ),
        clause(
            "content-type.ascii",
            "documented",
            "headers",
            "A Content-Type with a character outside US-ASCII is refused with ValidationError (400).",
            (
                "botocore sagemaker-runtime service model (service-2.json)",
                "InvokeEndpointInput.ContentType",
                "pattern: \\p{ASCII}*",
            ),
            "not-applicable",
            reason="not in edition 'original'",
        ),
        clause(
            "concurrency.integrity",
            "documented",
            "concurrency",
            "Many invocations in flight at once, each with its own body, each get their own body back.",
            ("InvokeEndpoint.md", "Response Elements: Body", "Includes the inference provided by the model."),
            "error",
            tests=[("conformance/test_concurrency.py::test_bodies_do_not_cross", "error", 30.0)],
            reason="ConnectionResetError: [Errno 104] Connection reset by peer",
            cause="target-broke-exchange",
        ),
        clause(
            "body.max-length",
            "documented",
            "bodies",
            "A body of more than 6 MB is refused with ValidationError (400).",
            ("InvokeEndpoint.md", "Request Body", "Length Constraints: Maximum length of 6291456."),
            "error",
            tests=[("conformance/test_bodies.py::test_body_over_the_limit", "error", 0.2)],
            reason=SUITE_ERROR["message"],
            cause="suite-error",
        ),
        clause(
            "probe.status",
            "contract",
            "probe",
            "probe-status=N makes the probe answer N: 2xx reaches the caller as 200, "
            "400..599 as ModelError (424).",
            ("target-contract.md", "2. The probe model", "probe-status=N (200..599): answer with status N"),
            "pass",
            tests=[("conformance/test_probe.py::test_probe_status", "passed", 0.8)],
            waiver={
                "reason": "flaky status mapping",
                "link": "https://example.com/issues/7",
                "expires": None,
            },
        ),
        clause(
            "forward.custom-attributes",
            "contract",
            "forwarding",
            "X-Amzn-SageMaker-Custom-Attributes reaches the model verbatim.",
            ("target-contract.md", "2. The probe model", "The probe sees what the service forwards."),
            "pass",
            tests=[("conformance/test_forwarding.py::test_custom_attributes_reach_the_model", "passed", 0.4)],
            notes=[NOTE],
        ),
        clause(
            "observed.endpoint-not-found-message",
            "observed",
            "names",
            "An absent endpoint gets ValidationError (400) with the message "
            "'Endpoint <name as sent> of account <12 digits> not found.'",
            (
                "observed-aws.md",
                "Per case: endpoint does not exist",
                "400 ValidationError: Endpoint <name as sent> of account <12 digits> not found.",
            ),
            "pass",
            tests=[("conformance/test_names.py::test_absent_endpoint_message", "passed", 0.1)],
        ),
    ]


def tally(clauses: list[dict]) -> dict:
    """Counts per verdict and pass / (pass + fail + waived + error) in percent, as the schema says.

    A clause in error by the suite's doing counts as suite-error, not error, and is not judged.
    """
    suite = [c for c in clauses if c.get("cause") == "suite-error"]
    counts = {v: sum(c["verdict"] == v and c not in suite for c in clauses) for v in VERDICTS}
    counts["suite-error"] = len(suite)
    judged = counts["pass"] + counts["fail"] + counts["waived"] + counts["error"]
    counts["conformance"] = round(100 * counts["pass"] / judged, 1) if judged else None
    return counts


def summarise(report: dict) -> dict:
    """The report with its summary tallied again from its clauses."""
    clauses = report["clauses"]
    report["summary"] = {
        "by_kind": {k: tally([c for c in clauses if c["kind"] == k]) for k in KINDS},
        "by_group": {
            g: tally([c for c in clauses if c["group"] == g]) for g in sorted({c["group"] for c in clauses})
        },
        "total": tally(clauses),
        "stale_waivers": [c["id"] for c in clauses if c["waiver"] and c["verdict"] == "pass"],
        "suite_errors": [
            {**SUITE_ERROR, "test": t["nodeid"], "clauses": [c["id"]]}
            for c in clauses
            if c.get("cause") == "suite-error"
            for t in c["tests"]
        ],
    }
    return report


def sample_report() -> dict:
    """One clause of each verdict, a stale waiver, and hostile text in the failure's evidence."""
    report = {
        "manifest": {
            "probe": {"conforms": True, "detail": "conformance-probe echoed a 12-byte text/plain body"},
            "target": {
                "url": URL,
                "description": f"Acme gateway {QUOTES} <b>staging</b>",
                "embedded": False,
                "config": "targets/acme.toml",
                "region": "us-east-1",
                "auth": "sigv4",
                "enforces_auth": True,
                "probe_endpoint": "conformance-probe",
                "variant": "AllTraffic",
            },
            "edition": "original",
            "suite_version": "0.1.0",
            "hypothesis": {"seed": "1234", "profile": "ci"},
            "versions": {
                "python": "3.11.2",
                "botocore": "1.44.8",
                "hypothesis": "6.131.0",
                "pytest": "8.3.5",
            },
            "started": "2025-11-30T10:00:00+00:00",
            "finished": "2025-11-30T10:01:23+00:00",
            "exit_status": 1,
        },
        "summary": {},
        "clauses": sample_clauses(),
    }
    return summarise(report)


def variant(changes: dict[str, dict]) -> dict:
    """The sample with some clauses' fields changed (by clause ID) and the summary tallied again."""
    report = copy.deepcopy(sample_report())
    for record in report["clauses"]:
        record.update(changes.get(record["id"], {}))
    return summarise(report)


def strings(value) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


HOSTILE_ID = 'probe.status|x" onmouseover="alert(1)'
HOSTILE_GROUP = "<img src=x onerror=alert(1)>|grp"
PIPE_STATEMENT = "Pipes | in | text, an escaped \\| one,\na new line and a trailing backslash \\"


def hostile_report() -> dict:
    """Markup, pipes and quotes where the renderers put text into attributes, tables and titles."""
    report = variant(
        {
            "probe.status": {"id": HOSTILE_ID, "statement": PIPE_STATEMENT},
            "name.max-length": {"group": HOSTILE_GROUP, "statement": f"{SCRIPT} `code` *not bold* [link](x)"},
        }
    )
    report["manifest"]["target"]["url"] = "https://gw.example.com/?a=1&b=<2>|3"
    return report


def sparse_report() -> dict:
    """A report with no observed clause at all and whose documented clauses all were not applicable."""
    report = sample_report()
    report["summary"]["by_kind"]["observed"] = {
        "pass": 0,
        "fail": 0,
        "waived": 0,
        "error": 0,
        "not-applicable": 0,
        "suite-error": 0,
        "conformance": None,
    }
    report["summary"]["by_kind"]["documented"].update(
        {"pass": 0, "fail": 0, "waived": 0, "error": 0, "not-applicable": 5, "conformance": None}
    )
    return report


REPORTS = {"sample": sample_report, "hostile": hostile_report, "sparse": sparse_report}
