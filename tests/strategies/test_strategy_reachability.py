"""Each boundary and each category of invalid value is actually drawn, found by `hypothesis.find`.

A strategy that is valid but never reaches the limit tests nothing at the limit; these cases
prove each one comes up within a bounded number of draws.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import validator
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from strategy_requests import ABSENT_PREFIX

from invokeendpoint_conformance import strategies as s

EDITIONS = ("original", "current")
NAME = validator.edition("original")["request"]["EndpointName"]
NAME_MAX = NAME["max_length"]
MEDIA_MAX = validator.edition("original")["request"]["ContentType"]["max_length"]
ATTRIBUTES_MAX = validator.edition("current")["request"]["CustomAttributes"]["max_length"]
CURRENT = validator.edition("current")["request"]
BOM = b"\xef\xbb\xbf"


def body_limit(edition: str) -> int:
    return validator.edition(edition)["request"]["Body"]["max_length"]


def tagged(clause: str, test: Callable[[Any], bool]) -> Callable[[s.Invalid], bool]:
    return lambda invalid: invalid.clause == clause and test(invalid.value)


def prefix_only(regex: str, value: str) -> bool:
    """The pattern matches the start of the value, but not the whole of it."""
    return re.match(regex, value) is not None and re.fullmatch(regex, value) is None


def invalid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@dataclass(frozen=True)
class Reach:
    id: str
    strategy: Callable[[str], st.SearchStrategy]  # edition -> strategy
    found: Callable[[Any], bool]  # edition -> predicate, via `predicate()`
    editions: tuple[str, ...] = EDITIONS
    per_edition: bool = False  # `found` takes the edition and gives the predicate

    def predicate(self, edition: str) -> Callable[[Any], bool]:
        return self.found(edition) if self.per_edition else self.found


names = lambda e: s.endpoint_names(edition=e)
absent_names = lambda e: s.endpoint_names(edition=e, prefix=ABSENT_PREFIX)
bad_names = lambda e: s.invalid_endpoint_names(edition=e)
pattern = lambda test: tagged("name.pattern", test)
types = lambda e: s.media_types(edition=e)
accepts = lambda e: s.media_types(edition=e, member="Accept")
bad_types = lambda e: s.invalid_media_types(edition=e)
bad_accepts = lambda e: s.invalid_media_types(edition=e, member="Accept")
control = lambda c: tagged("headers.control-characters", lambda v: c in v)
bodies = lambda e: s.bodies(edition=e)
body_of = lambda offset: lambda e: lambda b: len(b) == body_limit(e) + offset
typed = lambda e: s.typed_bodies(edition=e)
attributes = lambda e: s.custom_attributes(edition=e)
bad_attributes = lambda e: s.invalid_custom_attributes(edition=e)
carrying = lambda e: s.directive_headers({"probe-status": 500, "probe-content-type": "text/csv"}, edition=e)
successes = lambda e: s.probe_statuses(kind="success", edition=e)
errors = lambda e: s.probe_statuses(kind="error", edition=e)
ids = lambda e: s.inference_ids(edition=e)
bad_ids = lambda e: s.invalid_inference_ids(edition=e)
bad_variants = lambda e: s.invalid_target_variants(edition=e)
bad_sessions = lambda e: s.invalid_session_ids(edition=e)
bad_explanations = lambda e: s.invalid_enable_explanations(edition=e)
bad_prefix_ids = lambda e: s.invalid_prefix_aware_ids(edition=e)
bad_models = lambda e: s.invalid_target_models(edition=e)
bad_hostnames = lambda e: s.invalid_target_container_hostnames(edition=e)
bad_components = lambda e: s.invalid_inference_component_names(edition=e)
longest = lambda member: CURRENT[member]["max_length"]
only_current = ("current",)
KNOWN_KEY_EXTENDED = re.compile(r"probe-(status|echo|content-type|delay-ms|custom-attributes)-")

CASES = [
    # Endpoint names: every length boundary, digits first, hyphen runs, the reserved prefix.
    Reach("name of 1", names, lambda v: len(v) == 1),
    Reach("name of 2", names, lambda v: len(v) == 2),
    Reach("name of max-1", names, lambda v: len(v) == NAME_MAX - 1),
    Reach("name of max", names, lambda v: len(v) == NAME_MAX),
    Reach("name of 1 digit", names, lambda v: len(v) == 1 and v.isdigit()),
    Reach("name with a digit first", names, lambda v: v[0].isdigit() and len(v) > 1),
    Reach("name with a run of hyphens", names, lambda v: "--" in v),
    Reach("name with a run of 3 hyphens", names, lambda v: "---" in v),
    Reach("absent name, shortest", absent_names, lambda v: len(v) == len(ABSENT_PREFIX) + 1),
    Reach("absent name, longest", absent_names, lambda v: len(v) == NAME_MAX),
    Reach("name of max+1", bad_names, tagged("name.max-length", lambda v: len(v) == NAME_MAX + 1)),
    Reach("name of max+2", bad_names, tagged("name.max-length", lambda v: len(v) == NAME_MAX + 2)),
    Reach("name far too long", bad_names, tagged("name.max-length", lambda v: len(v) > 2 * NAME_MAX)),
    Reach("empty name", bad_names, tagged("name.empty", lambda v: v == "")),
    Reach("name with underscore", bad_names, pattern(lambda v: "_" in v)),
    Reach("name with dot", bad_names, pattern(lambda v: "." in v)),
    Reach("name with space", bad_names, pattern(lambda v: " " in v)),
    Reach("name with slash", bad_names, pattern(lambda v: "/" in v)),
    Reach("name with percent", bad_names, pattern(lambda v: "%" in v)),
    Reach("name with tilde", bad_names, pattern(lambda v: "~" in v)),
    Reach("name with non-ASCII", bad_names, pattern(lambda v: not v.isascii())),
    Reach("name with é or Ω", bad_names, pattern(lambda v: "é" in v or "Ω" in v)),
    Reach("name with leading hyphen", bad_names, pattern(lambda v: v.startswith("-") and len(v) > 1)),
    Reach("name with trailing hyphen", bad_names, pattern(lambda v: v.endswith("-") and len(v) > 1)),
    Reach("name matching a prefix only", bad_names, pattern(lambda v: prefix_only(NAME["regex"], v))),
    Reach("bad name of max", bad_names, pattern(lambda v: len(v) == NAME_MAX)),
    # Media types.
    Reach("content type of 3", types, lambda v: len(v) == 3),
    Reach("content type of max", types, lambda v: len(v) == MEDIA_MAX),
    Reach("accept of max", accepts, lambda v: len(v) == MEDIA_MAX),
    Reach("content type, plain", types, lambda v: v == "application/json"),
    Reach("content type with parameters", types, lambda v: ";" in v and len(v) < 100),
    Reach("content type with charset", types, lambda v: "charset=utf-8" in v.lower()),
    Reach("content type with quoted value", types, lambda v: re.search(r'=".*"', v) and len(v) < 100),
    Reach("accept with q-values", accepts, lambda v: "q=0." in v and "," in v and len(v) < 100),
    Reach("accept with */*", accepts, lambda v: "*/*" in v),
    Reach(
        "content type of max+1",
        bad_types,
        tagged("content-type.max-length", lambda v: len(v) == MEDIA_MAX + 1),
    ),
    Reach("accept of max+1", bad_accepts, tagged("accept.max-length", lambda v: len(v) == MEDIA_MAX + 1)),
    Reach(
        "type far too long", bad_types, tagged("content-type.max-length", lambda v: len(v) > 2 * MEDIA_MAX)
    ),
    Reach("content type non-ASCII", bad_types, tagged("content-type.ascii", lambda v: True), only_current),
    Reach("accept non-ASCII", bad_accepts, tagged("accept.ascii", lambda v: True), only_current),
    Reach("content type with NUL", bad_types, control("\x00"), only_current),
    Reach("accept with DEL", bad_accepts, control("\x7f"), only_current),
    Reach("content type with \\x01", bad_types, control("\x01"), only_current),
    # Bodies: the sizes of clause body.max-length, in each edition, and bytes that test exactness.
    Reach("body of 0", bodies, lambda b: len(b) == 0),
    Reach("body of 1", bodies, lambda b: len(b) == 1),
    Reach("body of max-1", bodies, body_of(-1), per_edition=True),
    Reach("body of max", bodies, body_of(0), per_edition=True),
    Reach(
        "body of max+1",
        lambda e: s.oversized_bodies(edition=e).map(lambda i: i.value),
        body_of(1),
        per_edition=True,
    ),
    Reach("body with NUL", bodies, lambda b: b"\x00" in b),
    Reach("body with CRLF", bodies, lambda b: b"\r\n" in b),
    Reach("body with a lone CR", bodies, lambda b: re.search(rb"\r(?!\n)", b) is not None),
    Reach("body of invalid UTF-8", bodies, invalid_utf8),
    Reach("body with \\xff\\xfe\\xc3", bodies, lambda b: b"\xff\xfe\xc3" in b),
    Reach("body starting with the BOM", bodies, lambda b: b.startswith(BOM)),
    Reach("body ending in white space", bodies, lambda b: b[-1:] in (b" ", b"\t", b"\n")),
    Reach("body of every byte value", bodies, lambda b: len(set(b)) == 256),
    Reach("JSON body", typed, lambda p: p[0] == "application/json" and len(p[1]) > 20),
    Reach("CSV body", typed, lambda p: p[0] == "text/csv" and p[1].count(b"\r\n") > 2),
    # Custom attributes and directives.
    Reach("attributes of 1", attributes, lambda v: len(v) == 1),
    Reach("attributes of max", attributes, lambda v: len(v) == ATTRIBUTES_MAX),
    Reach("attributes with spaces", attributes, lambda v: " " in v),
    Reach(
        "attributes of max+1",
        bad_attributes,
        tagged("custom-attributes.max-length", lambda v: len(v) == ATTRIBUTES_MAX + 1),
        only_current,
    ),
    Reach(
        "attributes non-ASCII",
        bad_attributes,
        tagged("custom-attributes.ascii", lambda v: True),
        only_current,
    ),
    Reach(
        "directives reordered", carrying, lambda v: v.index("probe-content-type") < v.index("probe-status")
    ),
    Reach(
        "directives among foreign items", carrying, lambda v: any(i.strip()[:1] != "p" for i in v.split(";"))
    ),
    Reach("directives with an unknown probe- key", carrying, lambda v: "probe-unknown-" in v),
    Reach("directives with a known key extended", carrying, lambda v: KNOWN_KEY_EXTENDED.search(v)),
    Reach("directives with white space", carrying, lambda v: " ;" in v and "; " in v),
    Reach("directives with an encoded digit", carrying, lambda v: "probe-status=%35" in v),
    Reach("directives with lower-case hex", carrying, lambda v: "text%2fcsv" in v),
    Reach("directives canonical", carrying, lambda v: "probe-status=500" in v and "text%2Fcsv" in v),
    Reach("status 200", successes, lambda n: n == 200),
    Reach("status 299", successes, lambda n: n == 299),
    *[Reach(f"status {n}", errors, lambda v, n=n: v == n) for n in (400, 424, 499, 500, 503, 599)],
    # The newer headers.
    Reach("inference id of 1", ids, lambda v: len(v) == 1, only_current),
    Reach("inference id of max", ids, lambda v: len(v) == longest("InferenceId"), only_current),
    Reach("inference id with inner space", ids, lambda v: " " in v, only_current),
    Reach(
        "inference id of max+1",
        bad_ids,
        tagged("inference-id.max-length", lambda v: len(v) == longest("InferenceId") + 1),
        only_current,
    ),
    Reach(
        "inference id with a tab", bad_ids, tagged("inference-id.pattern", lambda v: "\t" in v), only_current
    ),
    Reach(
        "inference id non-ASCII",
        bad_ids,
        tagged("inference-id.pattern", lambda v: not v.isascii()),
        only_current,
    ),
    Reach(
        "target variant of max+1",
        bad_variants,
        tagged("target-variant.max-length", lambda v: len(v) == longest("TargetVariant") + 1),
        only_current,
    ),
    Reach(
        "target variant, trailing hyphen",
        bad_variants,
        tagged("target-variant.pattern", lambda v: v.endswith("-")),
        only_current,
    ),
    Reach(
        "session id of max+1",
        bad_sessions,
        tagged("session-id.max-length", lambda v: len(v) == longest("SessionId") + 1),
        only_current,
    ),
    Reach(
        "session id with underscore",
        bad_sessions,
        tagged("session-id.pattern", lambda v: "_" in v),
        only_current,
    ),
    Reach(
        "explanations of max+1",
        bad_explanations,
        lambda i: len(i.value) == longest("EnableExplanations") + 1,
        only_current,
    ),
    # The minimum lengths: the empty value, for each member with a minimum.
    *[
        Reach(f"empty {clause}", strategy, tagged(clause, lambda v: v == ""), only_current)
        for clause, strategy in (
            ("inference-id.min-length", bad_ids),
            ("enable-explanations.min-length", bad_explanations),
            ("prefix-aware-id.min-length", bad_prefix_ids),
            ("target-model.min-length", bad_models),
        )
    ],
    Reach(
        "explanations with NEL",
        bad_explanations,
        tagged("enable-explanations.pattern", lambda v: "\x85" in v),
        only_current,
    ),
    Reach(
        "prefix-aware id with a tab",
        bad_prefix_ids,
        tagged("prefix-aware-id.pattern", lambda v: "\t" in v),
        only_current,
    ),
    Reach(
        "prefix-aware id non-ASCII",
        bad_prefix_ids,
        tagged("prefix-aware-id.pattern", lambda v: not v.isascii()),
        only_current,
    ),
    Reach(
        "target model of max+1",
        bad_models,
        tagged("target-model.max-length", lambda v: len(v) == longest("TargetModel") + 1),
        only_current,
    ),
    Reach(
        "target model with a tab",
        bad_models,
        tagged("target-model.pattern", lambda v: "\t" in v),
        only_current,
    ),
    Reach(
        "target model non-ASCII",
        bad_models,
        tagged("target-model.pattern", lambda v: not v.isascii()),
        only_current,
    ),
    Reach(
        "hostname of max+1",
        bad_hostnames,
        tagged(
            "target-container-hostname.max-length", lambda v: len(v) == longest("TargetContainerHostname") + 1
        ),
        only_current,
    ),
    Reach(
        "hostname, trailing hyphen",
        bad_hostnames,
        tagged("target-container-hostname.pattern", lambda v: v.endswith("-")),
        only_current,
    ),
    Reach(
        "component of max+1",
        bad_components,
        tagged("inference-component.max-length", lambda v: len(v) == longest("InferenceComponentName") + 1),
        only_current,
    ),
    Reach(
        "component, leading hyphen",
        bad_components,
        tagged("inference-component.pattern", lambda v: v.startswith("-")),
        only_current,
    ),
    Reach(
        "component with underscore",
        bad_components,
        tagged("inference-component.pattern", lambda v: "_" in v),
        only_current,
    ),
]

# Every clause an invalid invocation can carry, reached through `invocations()` itself.
INVOCATION_CLAUSES = {
    edition: sorted(
        {
            "name.max-length",
            "name.pattern",
            "name.empty",
            "content-type.max-length",
            "accept.max-length",
            "body.max-length",
        }
        | (
            {
                "content-type.ascii",
                "accept.ascii",
                "headers.control-characters",
                "custom-attributes.max-length",
                "custom-attributes.ascii",
                "inference-id.max-length",
                "inference-id.pattern",
                "target-variant.max-length",
                "target-variant.pattern",
                "session-id.max-length",
                "session-id.pattern",
                "enable-explanations.max-length",
                "prefix-aware-id.max-length",
                # invocations() mixes every branch of these members' strategies.
                "inference-id.min-length",
                "enable-explanations.min-length",
                "enable-explanations.pattern",
                "prefix-aware-id.min-length",
                "prefix-aware-id.pattern",
            }
            if edition == "current"
            else set()
        )
    )
    for edition in EDITIONS
}

SEARCH = settings(
    max_examples=2000,
    phases=[Phase.generate],  # found is enough: shrinking a 6 MiB body proves nothing more
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize(
    ("case", "edition"),
    [(c, e) for c in CASES for e in c.editions],
    ids=[f"{c.id}-{e}" for c in CASES for e in c.editions],
)
def test_each_boundary_is_drawn(case, edition):
    find(case.strategy(edition), case.predicate(edition), settings=SEARCH)


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_clause_is_drawn_as_an_invocation(edition):
    """One run of draws collects the clauses; `find` then looks for any the run missed, so that a
    rare clause costs time only when chance skipped it."""
    seen = set()

    @settings(SEARCH, max_examples=200)
    @given(s.invocations(edition=edition, valid=False))
    def collect(invocation):
        seen.add(invocation.outcome.clause)

    collect()
    for clause in sorted(set(INVOCATION_CLAUSES[edition]) - seen):
        find(
            s.invocations(edition=edition, valid=False),
            lambda i, c=clause: i.outcome.clause == c,
            settings=SEARCH,
        )
        seen.add(clause)
    assert seen == set(INVOCATION_CLAUSES[edition])
