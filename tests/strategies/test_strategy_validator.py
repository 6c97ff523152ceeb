"""The validator itself, on hand-written requests: a judge that is wrong makes every other test moot."""

import pytest
import validator
from strategy_requests import CUSTOM_ATTRIBUTES, placed, request_with

ORIGINAL_BODY_LIMIT = validator.edition("original")["request"]["Body"]["max_length"]
CURRENT_BODY_LIMIT = validator.edition("current")["request"]["Body"]["max_length"]
EXPLANATIONS = "X-Amzn-SageMaker-Enable-Explanations"
TARGET_MODEL = "X-Amzn-SageMaker-Target-Model"
PREFIX_AWARE = "X-Amzn-SageMaker-Prefix-Aware-Id"
HOSTNAME = "X-Amzn-SageMaker-Target-Container-Hostname"
COMPONENT = "X-Amzn-SageMaker-Inference-Component"

# (id, edition, request bytes, the violations expected)
CASES = [
    ("plain request", "original", request_with(), set()),
    ("plain request", "current", request_with(), set()),
    ("name of 63", "original", placed("name", "a" * 63), set()),
    ("name of 64", "original", placed("name", "a" * 64), {"name.max-length"}),
    ("empty name", "original", placed("name", ""), {"name.empty"}),
    ("underscore", "current", placed("name", "a_b"), {"name.pattern"}),
    ("slash in name", "original", placed("name", "a/b"), {"name.pattern"}),
    ("percent in name", "original", placed("name", "a%2Fb"), {"name.pattern"}),
    ("long and bad", "original", placed("name", "_" * 64), {"name.max-length", "name.pattern"}),
    ("leading hyphen", "original", placed("name", "-a"), {"name.pattern"}),
    ("type of 1024", "original", placed("Content-Type", "a/" + "b" * 1022), set()),
    ("type of 1025", "original", placed("Content-Type", "a/" + "b" * 1023), {"content-type.max-length"}),
    ("accept of 1025", "current", placed("Accept", "a/" + "b" * 1023), {"accept.max-length"}),
    ("non-ASCII type", "current", placed("Content-Type", "text/é"), {"content-type.ascii"}),
    ("non-ASCII type", "original", placed("Content-Type", "text/é"), {"unclaused:non-ascii:ContentType"}),
    ("control", "current", placed("Accept", "a/\x01b"), {"headers.control-characters"}),
    ("control", "original", placed("Accept", "a/\x7fb"), {"unclaused:headers.control-characters"}),
    ("tab is no control", "current", placed("Accept", "a/\tb"), set()),
    ("edge space", "current", placed("Accept", "a/b "), {"unclaused:edge-white-space:Accept"}),
    ("attributes", "original", placed(CUSTOM_ATTRIBUTES, "x" * 2000), set()),
    ("attributes", "current", placed(CUSTOM_ATTRIBUTES, "x" * 1025), {"custom-attributes.max-length"}),
    ("attributes", "current", placed(CUSTOM_ATTRIBUTES, "xé"), {"custom-attributes.ascii"}),
    ("inference id", "current", placed("X-Amzn-SageMaker-Inference-Id", "a\tb"), {"inference-id.pattern"}),
    (
        "inference id",
        "current",
        placed("X-Amzn-SageMaker-Inference-Id", "i" * 65),
        {"inference-id.max-length"},
    ),
    (
        "inference id",
        "original",
        placed("X-Amzn-SageMaker-Inference-Id", "i"),
        {"unclaused:unknown-header:x-amzn-sagemaker-inference-id"},
    ),
    (
        "variant",
        "current",
        placed("X-Amzn-SageMaker-Target-Variant", "v" * 64),
        {"target-variant.max-length"},
    ),
    ("variant", "current", placed("X-Amzn-SageMaker-Target-Variant", "v_1"), {"target-variant.pattern"}),
    ("session", "current", placed("X-Amzn-SageMaker-Session-Id", "NEW_SESSION"), set()),
    ("session", "current", placed("X-Amzn-SageMaker-Session-Id", "s" * 257), {"session-id.max-length"}),
    ("session", "current", placed("X-Amzn-SageMaker-Session-Id", "new_session"), {"session-id.pattern"}),
    (
        "explanations",
        "current",
        placed("X-Amzn-SageMaker-Enable-Explanations", "e" * 65),
        {"enable-explanations.max-length"},
    ),
    (
        "empty inference id",
        "current",
        placed("X-Amzn-SageMaker-Inference-Id", ""),
        {"inference-id.min-length"},
    ),
    ("empty explanations", "current", placed(EXPLANATIONS, ""), {"enable-explanations.min-length"}),
    ("explanations with NEL", "current", placed(EXPLANATIONS, "a\x85b"), {"enable-explanations.pattern"}),
    (
        "explanations with U+2028",
        "current",
        placed(EXPLANATIONS, "a\u2028b"),
        {"enable-explanations.pattern"},
    ),
    ("explanations, printable", "current", placed(EXPLANATIONS, "a b~é"), set()),
    ("empty target model", "current", placed(TARGET_MODEL, ""), {"target-model.min-length"}),
    ("target model of 1025", "current", placed(TARGET_MODEL, "m" * 1025), {"target-model.max-length"}),
    ("target model with a tab", "current", placed(TARGET_MODEL, "a\tb"), {"target-model.pattern"}),
    ("target model, non-ASCII first", "current", placed(TARGET_MODEL, "ém"), set()),
    ("prefix-aware id with é", "current", placed(PREFIX_AWARE, "aéb"), {"prefix-aware-id.pattern"}),
    ("empty prefix-aware id", "current", placed(PREFIX_AWARE, ""), {"prefix-aware-id.min-length"}),
    ("hostname of 64", "current", placed(HOSTNAME, "h" * 64), {"target-container-hostname.max-length"}),
    ("hostname a_b", "current", placed(HOSTNAME, "a_b"), {"target-container-hostname.pattern"}),
    ("component of 64", "current", placed(COMPONENT, "c" * 64), {"inference-component.max-length"}),
    ("component a-", "current", placed(COMPONENT, "a-"), {"inference-component.pattern"}),
    ("component a-b", "current", placed(COMPONENT, "a--b"), set()),
    ("body at limit", "original", placed("body", bytes(ORIGINAL_BODY_LIMIT)), set()),
    ("body past limit", "original", placed("body", bytes(ORIGINAL_BODY_LIMIT + 1)), {"body.max-length"}),
    ("body past original", "current", placed("body", bytes(ORIGINAL_BODY_LIMIT + 1)), set()),
    ("body past limit", "current", placed("body", bytes(CURRENT_BODY_LIMIT + 1)), {"body.max-length"}),
]


@pytest.mark.parametrize(
    ("edition", "raw", "expected"), [c[1:] for c in CASES], ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_validator_names_exactly_the_broken_clauses(edition, raw, expected):
    assert validator.violations(raw, edition) == expected


def test_validator_reads_back_what_was_sent():
    request = validator.parse(placed("name", "a/b é%"), "original")
    assert request.endpoint_name == "a/b é%"
    assert request.method == "POST"


def test_validator_covers_every_constraint_in_the_catalogue():
    """Each clause with a constraint names a member of its editions, so the validator can judge it."""
    for edition in ("original", "current"):
        members = validator.edition(edition)["request"]
        for clause in validator.clauses(edition):
            if clause.get("constraint"):
                assert clause["constraint"]["member"] in members, clause["id"]
