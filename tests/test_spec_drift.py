"""The committed `current` edition still says what the installed botocore's model says."""

import json

from tools.generate_current_edition import EDITION_PATH, current_edition, drift


def test_current_edition_matches_the_installed_botocore_model():
    differences = drift(json.loads(EDITION_PATH.read_text()), current_edition())
    assert not differences, (
        "botocore's sagemaker-runtime model disagrees with specs/editions/current.json:\n  "
        + "\n  ".join(differences)
        + "\nReview the change, then run: python -m tools.generate_current_edition"
    )


def test_drift_names_the_field_that_changed():
    committed = current_edition()
    changed = json.loads(json.dumps(committed))
    changed["request"]["Body"]["max_length"] = 7340032
    del changed["errors"]["ModelNotReadyException"]
    assert drift(committed, changed) == [
        "errors.ModelNotReadyException: gone from botocore (committed "
        + repr(committed["errors"]["ModelNotReadyException"])
        + ")",
        "request.Body.max_length: committed 6291456, botocore says 7340032",
    ]
