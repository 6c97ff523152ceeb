"""The spec documents: valid against their schemas, consistent with each other, all covered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from invokeendpoint_conformance import specs

SPECS = Path(specs.__file__).parent
DOCUMENTS = {
    "editions/original.json": "edition.schema.json",
    "editions/current.json": "edition.schema.json",
    "clauses.json": "clauses.schema.json",
    "contract.json": "contract.schema.json",
    "messages.json": "messages.schema.json",
}


@pytest.mark.parametrize("document, schema", DOCUMENTS.items())
def test_spec_document_validates_against_its_schema(document, schema):
    schema_doc = json.loads((SPECS / "schemas" / schema).read_text())
    jsonschema.Draft202012Validator.check_schema(schema_doc)
    jsonschema.validate(json.loads((SPECS / document).read_text()), schema_doc)


def test_a_broken_document_is_refused_naming_where(tmp_path, monkeypatch):
    bad = json.loads((SPECS / "editions/original.json").read_text())
    bad["request"]["Body"]["max_length"] = "5 MB"
    (tmp_path / "editions").mkdir()
    (tmp_path / "editions" / "original.json").write_text(json.dumps(bad))
    (tmp_path / "schemas").symlink_to(SPECS / "schemas")
    monkeypatch.setattr(specs, "HERE", tmp_path)
    specs.load_document.cache_clear()
    try:
        with pytest.raises(specs.SpecError, match=r"at request/Body/max_length"):
            specs.load_document("editions/original.json", "edition.schema.json")
    finally:
        specs.load_document.cache_clear()


def test_the_original_edition_has_the_documented_limits():
    original = specs.edition("original")
    assert original.request["EndpointName"].max_length == 63
    assert original.request["ContentType"].max_length == original.request["Accept"].max_length == 1024
    assert original.body_limit == 5242880
    assert original.errors == {
        "InternalFailure": 500,
        "ModelError": 424,
        "ServiceUnavailable": 503,
        "ValidationError": 400,
    }


@pytest.mark.parametrize("edition", specs.EDITIONS)
def test_every_pattern_has_a_compilable_python_regex(edition):
    for member in [*specs.edition(edition).request.values(), *specs.edition(edition).response.values()]:
        assert (member.pattern is None) == (member.regex is None), member.name
        if member.regex:
            re.compile(member.regex)


def test_clause_constraints_name_real_members():
    for clause in specs.clauses():
        if clause.constraint:
            for edition in clause.editions:
                member = specs.edition(edition).request.get(clause.constraint["member"])
                assert member is not None, (
                    f"{clause.id}: no member {clause.constraint['member']} in {edition}"
                )
                assert getattr(
                    member, "pattern" if clause.constraint["rule"] == "pattern" else clause.constraint["rule"]
                ) is not None or clause.id.endswith(".empty"), clause.id


def test_clause_messages_and_errors_exist():
    for clause in specs.clauses():
        if "message" in clause.expect:
            assert clause.expect["message"] in specs.messages(), clause.id


@pytest.mark.parametrize("key", list(specs.messages()))
def test_each_message_template_matches_its_own_pattern(key):
    """The emulator renders templates and the suite judges with patterns: the two must agree."""
    message = specs.messages()[key]
    sample = {
        "name": "conformance-probe",
        "account": "123456789012",
        "side": "client",
        "status": 404,
        "container": "primary",
        "body": 'say "hi"',
        "region": "us-east-1",
        "endpoint": "conformance-probe",
        "limit": 5242880,
        "service": "sagemaker",
    }
    assert specs.message_pattern(key).fullmatch(message["template"].format(**sample))


def test_clause_counts_per_kind_and_edition_are_stable():
    """A change in the catalogue's size is deliberate: update these figures with it."""
    kinds = {kind: sum(c.kind == kind for c in specs.clauses()) for kind in specs.KINDS}
    assert kinds == {"documented": 53, "contract": 17, "protocol": 1, "observed": 10}
    assert len(specs.clauses("original")) == 46 and len(specs.clauses("current")) == 81


class _ClauseCollector:
    def __init__(self):
        self.ids: set[str] = set()

    def pytest_collection_finish(self, session):
        from invokeendpoint_conformance.conformance.plugin import clause_ids

        for item in session.items:
            self.ids.update(clause_ids(item))


def test_every_clause_has_a_suite_test():
    collector = _ClauseCollector()
    code = pytest.main(
        ["--collect-only", "-q", "--pyargs", "conformance", "-p", "no:cacheprovider"], plugins=[collector]
    )
    assert code == 0
    missing = {c.id for c in specs.clauses()} - collector.ids
    assert not missing, f"clauses with no suite test: {sorted(missing)}"
