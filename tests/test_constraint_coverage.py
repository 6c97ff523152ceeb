"""Every constraint of every edition is tested by a clause with a suite test, or exempted here with why.

The editions are data (`original` typed from the API reference, `current` generated from botocore's
service model), so their coverage can be proved rather than hoped for: each request and response
member's `min_length`, `max_length` and `pattern` needs a clause whose `constraint` names that
member and rule in that edition, and a suite test that carries the clause. A clause's constraint
names a request member (tests/test_specs.py checks it), so no clause covers a response member:
each response constraint is in RESPONSE_EXEMPTIONS with the reason the suite cannot test it
black-box. The same holds one level up: each field of the edition format, and each trait botocore's
model gives InvokeEndpoint's members, is either a constraint walked here or set aside with a reason,
so a constraint cannot hide in a field or a trait nobody reads.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import botocore.session
import pytest
from botocore.model import StructureShape

from invokeendpoint_conformance import specs

SPECS = Path(specs.__file__).parent

# The edition format's constraint fields, each with the `rule` a clause names it by.
RULES = {"min_length": "min_length", "max_length": "max_length", "pattern": "pattern"}

# The edition format's other member fields, and why none is a constraint to test.
NOT_CONSTRAINTS = {
    "location": "where the member travels (URI, header, body): the suite sends each member there",
    "header": "the header's name: where the member travels, not a limit on its value",
    "type": "string or blob: how the member is serialised, which every request the suite sends follows",
    "regex": "the pattern translated for Python's re: the same constraint as `pattern`, walked as that",
    "sensitive": "whether logs and messages may show the value: no constraint on what a request may carry",
}

# botocore's model traits on InvokeEndpoint's members, each with the edition field that carries it.
MODEL_TRAITS = {"min": "min_length", "max": "max_length", "pattern": "pattern", "sensitive": "sensitive"}

# Traits of the model that the edition format does not carry, and why no clause can test them.
MODEL_TRAITS_NOT_CARRIED = {
    ("InvokeEndpointInput", "required"): (
        "EndpointName and Body are required. EndpointName is a segment of the request's path, so a "
        "request always carries one; its empty value is clause name.empty. Body is the HTTP payload, and "
        "on the wire an absent payload and an empty one are the same bytes (Content-Length: 0), so no "
        "request leaves it out; an empty body is a valid one (body.passed-unchanged sends it)."
    ),
    ("InvokeEndpointOutput", "required"): (
        "Body is required in the answer. It is the HTTP payload, and an absent payload and an empty "
        "one are the same bytes on the wire, so no answer can leave it out: there is nothing to test."
    ),
}

# Response constraints bind what a target sends; the suite can steer that only through the probe
# (docs/target-contract.md, section 2). (member, rule) -> why no clause tests it, in every edition
# that has it.
PROBE_COPIES = (
    "The service copies the container's {header} into its answer (target contract 2: a 2xx answer "
    "carries the container's {header}), and the probe sends whatever {directive} asks, so the suite "
    "could make it send one past the limit or outside the pattern. No source says what the service "
    "then does: refuse the answer (with which error?), cut the value, or pass it on as the contract "
    "says. A clause would have to invent one. The values the suite asks the probe for stay inside "
    "the limits, and {clauses} check they come back unchanged."
)
RESPONSE_EXEMPTIONS: dict[tuple[str, str], str] = {
    ("Body", "max_length"): (
        "The probe answers with the request's body, or with a short JSON echo (target contract 2), "
        "and the request's body is held to the request's Body limit, the same figure as the "
        "response's in each edition. So no request makes a conformant probe answer past the limit; "
        "and for a container that does, no source says what the service answers."
    ),
    **{
        ("ContentType", rule): PROBE_COPIES.format(
            header="Content-Type",
            directive="probe-content-type",
            clauses="probe.content-type and response.content-type",
        )
        for rule in ("max_length", "pattern")
    },
    **{
        ("CustomAttributes", rule): PROBE_COPIES.format(
            header="X-Amzn-SageMaker-Custom-Attributes",
            directive="probe-custom-attributes",
            clauses="probe.custom-attributes and response.custom-attributes",
        )
        for rule in ("max_length", "pattern")
    },
    **{
        ("InvokedProductionVariant", rule): (
            "The value is the name of the variant that answered, fixed when the endpoint was configured "
            "(CreateEndpointConfig's VariantName: at most 63 characters, [a-zA-Z0-9](-*[a-zA-Z0-9])*), "
            "not anything a request carries, so no request can make it break the limit or the "
            "pattern; response.invoked-variant checks it is exactly the probe's variant."
        )
        for rule in ("max_length", "pattern")
    },
    **{
        (member, rule): (
            "Only an endpoint with stateful sessions sends it. The probe endpoint has none (target "
            "contract 2: no stateful sessions), so a conformant target never sends it to the suite "
            "and no request can make it."
        )
        for member in ("NewSessionId", "ClosedSessionId")
        for rule in ("max_length", "pattern")
    },
}


def constraints() -> Iterator[tuple[str, str, str, str, object]]:
    """(edition, side, member, rule, value) for every constraint the editions hold."""
    for edition_name in specs.EDITIONS:
        edition = specs.edition(edition_name)
        for side, members in (("request", edition.request), ("response", edition.response)):
            for member in members.values():
                for field, rule in RULES.items():
                    value = getattr(member, field)
                    if value is not None:
                        yield edition_name, side, member.name, rule, value


class _ClauseCollector:
    def __init__(self) -> None:
        self.ids: set[str] = set()

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        from invokeendpoint_conformance.conformance.plugin import clause_ids

        for item in session.items:
            self.ids.update(clause_ids(item))


@cache
def clauses_with_a_suite_test() -> frozenset[str]:
    """The clause IDs some collected suite test carries (as tests/test_specs.py collects them)."""
    collector = _ClauseCollector()
    code = pytest.main(
        ["--collect-only", "-q", "--pyargs", "conformance", "-p", "no:cacheprovider"], plugins=[collector]
    )
    assert code == 0, f"collecting the suite exited {code}"
    return frozenset(collector.ids)


def covering(edition_name: str, member: str, rule: str) -> list[str]:
    """The clauses of the edition whose constraint is that member's rule."""
    return [c.id for c in specs.clauses(edition_name) if c.constraint == {"member": member, "rule": rule}]


def gaps() -> list[str]:
    """Each constraint no tested clause covers and no exemption explains, named in full."""
    tested = clauses_with_a_suite_test()
    found = []
    for edition_name, side, member, rule, value in constraints():
        where = f"edition {edition_name}, {side} member {member}, rule {rule} ({value!r})"
        if side == "response":
            if (member, rule) not in RESPONSE_EXEMPTIONS:
                found.append(f"{where}: no clause can name a response member, and no exemption says why")
            continue
        clause_ids = covering(edition_name, member, rule)
        if not clause_ids:
            found.append(f"{where}: no clause has constraint {{member: {member}, rule: {rule}}}")
        elif not any(c in tested for c in clause_ids):
            found.append(f"{where}: clause(s) {', '.join(clause_ids)} but no suite test carries one")
    return found


def test_every_constraint_of_every_edition_is_tested_or_exempted() -> None:
    found = gaps()
    assert not found, f"{len(found)} constraint(s) nobody tests:\n" + "\n".join(found)


def test_every_exemption_matches_a_constraint_of_some_edition() -> None:
    """An exemption whose constraint is gone from every edition is stale: it would excuse nothing."""
    held = {(member, rule) for _, side, member, rule, _ in constraints() if side == "response"}
    stale = sorted(set(RESPONSE_EXEMPTIONS) - held)
    assert not stale, f"exemptions of constraints no edition has: {stale}"


def test_every_exemption_gives_a_reason() -> None:
    for key, reason in {**RESPONSE_EXEMPTIONS, **MODEL_TRAITS_NOT_CARRIED}.items():
        assert len(reason.split()) >= 12, f"{key}: a reason a reader can check, not a word or two"


def test_the_edition_format_has_no_field_this_test_does_not_walk_or_set_aside() -> None:
    """A constraint field added to the edition format must be walked here, or said not to be one."""
    schema = json.loads((SPECS / "schemas" / "edition.schema.json").read_text(encoding="utf-8"))
    fields = set(schema["$defs"]["member"]["properties"])
    assert fields == set(RULES) | set(NOT_CONSTRAINTS), (
        f"walked {sorted(RULES)}, set aside {sorted(NOT_CONSTRAINTS)}, the format has {sorted(fields)}"
    )


def test_botocore_gives_no_constraint_the_current_edition_drops() -> None:
    """Each trait of botocore's InvokeEndpoint members is carried into current.json or set aside here.

    tools/generate_current_edition.py copies `min`, `max`, `pattern` and `sensitive`; a trait it
    does not copy (an `enum`, say) would be a constraint of the service that no edition holds.
    """
    operation = (
        botocore.session.get_session()
        .get_service_model("sagemaker-runtime")
        .operation_model("InvokeEndpoint")
    )
    current = specs.edition("current")
    dropped = []
    for shape, members in (
        (operation.input_shape, current.request),
        (operation.output_shape, current.response),
    ):
        assert isinstance(shape, StructureShape)
        for trait in set(shape.metadata) - {"documentation"}:
            if (shape.name, trait) not in MODEL_TRAITS_NOT_CARRIED:
                dropped.append(f"{shape.name}: trait {trait!r} ({shape.metadata[trait]!r})")
        for name, member_shape in shape.members.items():
            for trait, value in member_shape.metadata.items():
                field = MODEL_TRAITS.get(trait)
                if field is None:
                    dropped.append(f"{shape.name}.{name}: trait {trait!r} ({value!r}) no edition field holds")
                elif getattr(members[name], field) != value:
                    dropped.append(f"{shape.name}.{name}: {trait} is {value!r}, current.json has another")
    assert not dropped, "botocore constraints current.json does not carry:\n" + "\n".join(dropped)


def test_the_coverage_check_names_a_constraint_left_without_a_clause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check itself can fail: with a clause taken away, it names the constraint left bare."""
    before, real = set(gaps()), specs.clauses

    def without(edition_name: str | None = None) -> list[specs.Clause]:
        return [c for c in real(edition_name) if c.id != "prefix-aware-id.max-length"]

    monkeypatch.setattr(specs, "clauses", without)
    assert set(gaps()) - before == {
        "edition current, request member PrefixAwareId, rule max_length (64): no clause has constraint "
        "{member: PrefixAwareId, rule: max_length}"
    }


def test_the_coverage_check_names_a_clause_no_suite_test_carries(monkeypatch: pytest.MonkeyPatch) -> None:
    before, tested = set(gaps()), clauses_with_a_suite_test()
    monkeypatch.setattr(
        sys.modules[__name__], "clauses_with_a_suite_test", lambda: tested - {"name.max-length"}
    )
    assert set(gaps()) - before == {
        f"edition {e}, request member EndpointName, rule max_length (63): clause(s) name.max-length "
        "but no suite test carries one"
        for e in specs.EDITIONS
    }
