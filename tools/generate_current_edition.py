"""Generate specs/editions/current.json from the sagemaker-runtime model botocore ships.

The `current` edition is whatever AWS's own service model says today, so it is
made by this script rather than typed; `tests/test_spec_drift.py` runs the same
function and names each field where a newer botocore disagrees.

    python -m tools.generate_current_edition          # rewrite the file
    python -m tools.generate_current_edition --check  # exit 1 on drift
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import botocore
import botocore.session
from botocore.model import Shape, StructureShape

EDITION_PATH = Path(__file__).resolve().parent.parent / "specs" / "editions" / "current.json"

# Java regular expressions of the service model, each with the Python regex
# (used with re.fullmatch) that means the same thing. A pattern missing here
# stops the generator: a new pattern needs a human to translate it.
# Java: \p{ASCII} = [\x00-\x7F]; \p{Print} = [\x20-\x7E] (POSIX, US-ASCII);
# \S = [^ \t\n\x0B\f\r]; `.` excludes \n \r \u0085 \u2028 \u2029.
# https://docs.oracle.com/javase/8/docs/api/java/util/regex/Pattern.html
JAVA_TO_PYTHON = {
    "^[a-zA-Z0-9](-*[a-zA-Z0-9])*": "[a-zA-Z0-9](-*[a-zA-Z0-9])*",
    "\\p{ASCII}*": "[\\x00-\\x7f]*",
    "\\A\\S[\\p{Print}]*\\z": "[^ \\t\\n\\x0b\\f\\r][\\x20-\\x7e]*",
    ".*": "[^\\n\\r\\u0085\\u2028\\u2029]*",
    "^[a-zA-Z0-9](-*[a-zA-Z0-9])*$": "[a-zA-Z0-9](-*[a-zA-Z0-9])*",
    "^[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?$": "[a-zA-Z0-9]([\\-a-zA-Z0-9]*[a-zA-Z0-9])?",
    "^(NEW_SESSION)$|^[a-zA-Z0-9](-*[a-zA-Z0-9])*$": "NEW_SESSION|[a-zA-Z0-9](-*[a-zA-Z0-9])*",
    "^[a-zA-Z0-9](-*[a-zA-Z0-9])*;\\sExpires=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$": (
        "[a-zA-Z0-9](-*[a-zA-Z0-9])*;[ \\t\\n\\x0b\\f\\r]Expires=[0-9]{4}-[0-9]{2}-[0-9]{2}"
        "T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
    ),
}


def _member(name: str, shape: Shape) -> dict[str, Any]:
    meta = shape.metadata
    location = shape.serialization.get("location", "body")
    member: dict[str, Any] = {
        "location": location,
        "header": shape.serialization.get("name") if location == "header" else None,
        "type": shape.type_name,
        "min_length": meta.get("min"),
        "max_length": meta.get("max"),
        "pattern": meta.get("pattern"),
        "regex": None,
        "sensitive": bool(meta.get("sensitive", False)),
    }
    if member["pattern"] is not None:
        try:
            member["regex"] = JAVA_TO_PYTHON[member["pattern"]]
        except KeyError:
            raise SystemExit(
                f"{name}: pattern {member['pattern']!r} has no Python translation; "
                "add it to JAVA_TO_PYTHON in tools/generate_current_edition.py"
            ) from None
    return member


def _structure(shape: Shape | None, what: str) -> StructureShape:
    """The shape as the structure the model makes it: with a member list to read."""
    if not isinstance(shape, StructureShape):
        raise SystemExit(f"{what}: botocore's model gives {shape!r}, not a structure")
    return shape


def current_edition() -> dict[str, Any]:
    """The `current` edition as the installed botocore's model defines it."""
    model = botocore.session.get_session().get_service_model("sagemaker-runtime")
    operation = model.operation_model("InvokeEndpoint")
    request = _structure(operation.input_shape, "InvokeEndpoint's input")
    response = _structure(operation.output_shape, "InvokeEndpoint's output")
    errors = [_structure(e, f"error {e.name}") for e in operation.error_shapes]
    return {
        "$schema": "../schemas/edition.schema.json",
        "edition": "current",
        "title": "InvokeEndpoint as botocore's sagemaker-runtime service model defines it",
        "source": f"botocore {botocore.__version__}: data/sagemaker-runtime/"
        f"{model.api_version}/service-2.json, operation InvokeEndpoint",
        "operation": {
            "name": operation.name,
            "method": operation.http["method"],
            "uri": operation.http["requestUri"],
            "signing_name": model.signing_name,
            "protocol": model.protocol,
        },
        "request": {n: _member(n, s) for n, s in request.members.items()},
        "response": {n: _member(n, s) for n, s in response.members.items()},
        "errors": {
            e.name: {"status": e.metadata["error"]["httpStatusCode"], "members": list(e.members)}
            for e in errors
        },
    }


def drift(committed: object, generated: object, path: str = "") -> list[str]:
    """Each field, as a dotted path, where the two documents differ (source aside)."""
    if isinstance(committed, dict) and isinstance(generated, dict):
        found = []
        for key in sorted(set(committed) | set(generated)):
            if not path and key == "source":
                continue
            where = f"{path}.{key}" if path else key
            if key not in committed:
                found.append(f"{where}: new in botocore ({generated[key]!r})")
            elif key not in generated:
                found.append(f"{where}: gone from botocore (committed {committed[key]!r})")
            else:
                found.extend(drift(committed[key], generated[key], where))
        return found
    if committed != generated:
        return [f"{path}: committed {committed!r}, botocore says {generated!r}"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = parser.parse_args(argv)
    generated = current_edition()
    if args.check:
        differences = drift(json.loads(EDITION_PATH.read_text()), generated)
        print("\n".join(differences) or "no drift")
        return 1 if differences else 0
    EDITION_PATH.write_text(json.dumps(generated, indent=2) + "\n")
    print(f"wrote {EDITION_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
