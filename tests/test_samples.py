"""An oracle that does not share its answers: specs/messages.json against what AWS was seen to send.

The emulator renders messages.json's templates and the suite judges with the same entries'
patterns, so a mistake in an entry passes both. specs/samples.json holds the public samples
behind the observed clauses (each source is cited in docs/observed-aws.md): here every pattern
must fully match each sample of its entry, every template must produce each sample from the
values the pattern reads out of it, and each sample must agree with every clause it supports.

A sample whose `findings` names a check is a known disagreement (listed in the report, not
hidden): that check is a strict xfail, so fixing the entry, or a finding gone stale, fails here too.
"""

from __future__ import annotations

import copy
import json
import re
import string
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from invokeendpoint_conformance import specs

SPECS = Path(specs.__file__).parent
OBSERVED_PAGE = Path(__file__).resolve().parent.parent / "docs" / "observed-aws.md"
MASKED_ACCOUNT = "123456789012"
UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")

Sample = dict[str, Any]
SAMPLES: list[Sample] = specs.samples()
WITH_MESSAGE = [s for s in SAMPLES if s["message_key"] is not None]


def by_id(samples: list[Sample]) -> list[Any]:
    return [pytest.param(s, id=s["id"]) for s in samples]


def known(sample: Sample, *checks: str) -> pytest.MarkDecorator | None:
    """The strict xfail for a check this sample is recorded to fail (the first finding that applies)."""
    for check in checks:
        reason = sample.get("findings", {}).get(check)
        if reason:
            return pytest.mark.xfail(strict=True, reason=f"finding ({check}): {reason}")
    return None


def flagged(samples: list[Sample], *checks: str) -> list[Any]:
    params = []
    for sample in samples:
        mark = known(sample, *checks)
        params.append(pytest.param(sample, id=sample["id"], marks=[mark] if mark else []))
    return params


# ---- the checks, as functions that return what is wrong (the proofs below break the entries) ----


def pattern_problems(sample: Sample) -> list[str]:
    """The entry's pattern, compiled as the suite compiles it, must match the whole sample."""
    key = sample["message_key"]
    if specs.message_pattern(key).fullmatch(sample["message"]) is None:
        return [f"{sample['id']}: the pattern of {key!r} does not fully match {sample['message'][:160]!r}"]
    return []


def template_problems(sample: Sample) -> list[str]:
    """The entry's template, filled with the values its pattern reads from the sample, must give it back."""
    key = sample["message_key"]
    match = specs.message_pattern(key).fullmatch(sample["message"])
    if match is None:
        return [f"{sample['id']}: no values to fill {key!r}'s template: its pattern does not match"]
    values = {name: value for name, value in match.groupdict().items() if value is not None}
    template: str = specs.messages()[key]["template"]
    fields = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    missing = sorted(fields - set(values))
    if missing:
        return [f"{sample['id']}: {key!r}'s template needs {missing}, which its pattern does not capture"]
    rendered = template.format(**values)
    if rendered != sample["message"]:
        sent = sample["message"][:160]
        return [f"{sample['id']}: {key!r}'s template gives {rendered[:160]!r}, AWS sent {sent!r}"]
    return []


def clause_problems(sample: Sample) -> list[str]:
    """What the sample shows must be what each clause it supports expects."""
    found = []
    for clause_id in sample["clauses"]:
        expect = specs.clause(clause_id).expect
        where = f"{sample['id']} / {clause_id}"
        if "status" in sample and expect.get("status") and sample["status"] not in expect["status"]:
            found.append(f"{where}: status {sample['status']}, the clause wants {expect['status']}")
        if sample["error"] is not None and expect.get("error") and sample["error"] != expect["error"]:
            found.append(f"{where}: error {sample['error']!r}, the clause wants {expect['error']!r}")
        if expect.get("message") and not sample.get("findings", {}).get("pattern"):
            if specs.message_pattern(expect["message"]).fullmatch(sample["message"]) is None:
                found.append(f"{where}: the clause's pattern {expect['message']!r} does not match the sample")
        if expect.get("body_keys"):
            if "body" not in sample:
                found.append(f"{where}: the clause judges the body, the sample has none")
            else:
                found += [f"{where}: {p}" for p in body_key_problems(sample, expect["body_keys"])]
        for name, form in expect.get("headers", {}).items():
            if "headers" not in sample:
                continue  # only a sample with headers can speak to them
            value = header(sample, name)
            if value is None or (form == "uuid" and not is_uuid(value)):
                found.append(f"{where}: header {name} is {value!r}, the clause wants {form}")
    return found


def body_key_problems(sample: Sample, keys: list[str]) -> list[str]:
    text: str = sample["body"]
    if sample.get("body_truncated"):  # only its start is known: the keys must be in what is shown
        present = {k for k in keys if f'"{k}":' in text}
        code = re.match(r'\{"ErrorCode":"([^"]*)"', text)
        codes = [code.group(1)] if code else []
    else:
        parsed = json.loads(text)
        present = set(parsed) & set(keys)
        codes = [parsed["ErrorCode"]] if "ErrorCode" in parsed else []
    found = [f"body has no {k!r}" for k in keys if k not in present]
    found += [f"ErrorCode {c!r} is not UPPER_SNAKE" for c in codes if not UPPER_SNAKE.fullmatch(c)]
    return found


def header(sample: Sample, name: str) -> str | None:
    values = [v for n, v in sample.get("headers", []) if n.lower() == name.lower()]
    return values[0] if values else None


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return re.fullmatch(r"[0-9a-fA-F-]{36}", value) is not None


# ---- the document ------------------------------------------------------------------------------


def test_samples_document_validates_against_its_schema() -> None:
    schema = json.loads((SPECS / "schemas" / "samples.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads((SPECS / "samples.json").read_text(encoding="utf-8")), schema)


def test_sample_ids_are_unique() -> None:
    ids = [s["id"] for s in SAMPLES]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("sample", by_id(SAMPLES))
def test_every_sample_names_existing_clauses_and_message(sample: Sample) -> None:
    key = sample["message_key"]
    assert key is None or key in specs.messages(), f"no message {key!r} in specs/messages.json"
    for clause_id in sample["clauses"]:
        specs.clause(clause_id)  # raises SpecError naming an unknown ID
    judging = [c.id for c in specs.clauses() if c.expect.get("message") == key]
    if key is None:
        assert not any("message" in specs.clause(c).expect for c in sample["clauses"]), (
            "a sample of a clause that judges a message must name the message entry"
        )
    if not sample["clauses"]:
        assert key is not None and not judging, f"clauses {judging} judge {key!r}: name them"


# ---- patterns and templates against the samples ------------------------------------------------


@pytest.mark.parametrize("sample", flagged(WITH_MESSAGE, "pattern"))
def test_the_pattern_fully_matches_each_sample_of_its_entry(sample: Sample) -> None:
    assert pattern_problems(sample) == []


@pytest.mark.parametrize("sample", flagged(WITH_MESSAGE, "template", "pattern"))
def test_the_template_produces_each_sample_of_its_entry(sample: Sample) -> None:
    assert template_problems(sample) == []


@pytest.mark.parametrize("key", list(specs.messages()))
def test_every_message_entry_has_a_sample_its_pattern_accepts(key: str) -> None:
    supported = [
        s["id"] for s in WITH_MESSAGE if s["message_key"] == key and not s.get("findings", {}).get("pattern")
    ]
    assert supported, f"no sample supports {key!r}: a finding (do not invent one)"


def test_every_observed_clause_that_judges_a_message_or_body_has_a_sample() -> None:
    judging = [
        c.id
        for c in specs.clauses()
        if c.kind == "observed" and (c.expect.get("message") or c.expect.get("body_keys"))
    ]
    supported = {c for s in SAMPLES if not s.get("findings", {}).get("pattern") for c in s["clauses"]}
    assert [c for c in judging if c not in supported] == []


@pytest.mark.parametrize("sample", by_id(SAMPLES))
def test_each_sample_agrees_with_the_clauses_it_supports(sample: Sample) -> None:
    assert clause_problems(sample) == []


# ---- each sample against its own source text ---------------------------------------------------


@pytest.mark.parametrize("sample", by_id(SAMPLES))
def test_each_sample_is_read_from_its_quotation(sample: Sample) -> None:
    """What the record says (message, body, headers, error) is in the quoted text, and agrees within."""
    quote: str = sample["quote"]
    assert sample["message"] in quote
    if "body" in sample:
        assert sample["body"] in quote
        if not sample.get("body_truncated"):
            parsed = json.loads(sample["body"])
            assert parsed.get("Message", parsed.get("message")) == sample["message"]
    for name, value in sample.get("headers", []):
        assert f"{name}: {value}\n" in quote
    error_type = header(sample, "x-amzn-ErrorType")
    if error_type is not None:  # botocore keeps the part before the colon
        assert error_type.split(":", 1)[0] == sample["error"]
    entry = specs.messages().get(sample["message_key"] or "", {})
    if sample["error"] is not None and entry.get("error") is not None:
        assert sample["error"] == entry["error"]


@pytest.mark.parametrize("sample", by_id(SAMPLES))
def test_account_ids_are_masked(sample: Sample) -> None:
    accounts = set(re.findall(r"(?<![0-9])[0-9]{12}(?![0-9])", sample["quote"] + sample["message"]))
    assert accounts <= {MASKED_ACCOUNT}, f"unmasked account ids {sorted(accounts - {MASKED_ACCOUNT})}"
    assert bool(sample["masked"]) == (MASKED_ACCOUNT in sample["message"])
    if sample["message_key"] is not None:
        match = specs.message_pattern(sample["message_key"]).fullmatch(sample["message"])
        if match is not None and "account" in match.groupdict():
            assert match.group("account") == MASKED_ACCOUNT


@pytest.mark.parametrize("sample", by_id(SAMPLES))
def test_each_source_is_cited_in_the_observed_page(sample: Sample) -> None:
    page = OBSERVED_PAGE.read_text(encoding="utf-8")
    ref: str = sample["source"]["ref"]
    repo, _, number = ref.partition("#")
    repo = repo.partition(":")[0]
    assert repo in page, f"docs/observed-aws.md does not cite {repo}"
    assert sample["source"]["url"].startswith(f"https://github.com/{repo}/")
    if number:
        assert re.search(rf"#{number}\b", page), f"docs/observed-aws.md does not cite {ref}"
        assert sample["source"]["url"].endswith(f"/{number}")


# ---- the checks can fail -----------------------------------------------------------------------


def broken_messages(monkeypatch: pytest.MonkeyPatch, key: str, part: str, old: str, new: str) -> None:
    """specs.messages() answers a copy whose entry `key` has `old` replaced by `new` in its `part`."""
    entries = copy.deepcopy(specs.messages())
    assert old in entries[key][part]
    entries[key][part] = entries[key][part].replace(old, new)
    monkeypatch.setattr(specs, "messages", lambda: entries)


def all_problems() -> list[str]:
    clean = [s for s in WITH_MESSAGE if not s.get("findings")]
    return [p for s in clean for p in pattern_problems(s) + template_problems(s)]


def test_the_checks_pass_on_the_real_entries() -> None:
    assert all_problems() == []


# (entry, field, text in it, its wrong replacement, what each problem then says)
WRONG_ENTRIES = {
    # an account id of 10 digits in the pattern: every endpoint-not-found sample says so
    "wrong pattern": ("endpoint-not-found", "pattern", "[0-9]{12}", "[0-9]{10}", "'endpoint-not-found'"),
    # the message without its quotes: the suite's pattern would refuse it, and the samples say why
    "wrong template": (
        "model-error",
        "template",
        'with message "{body}".',
        "with message {body}.",
        "template gives",
    ),
}


@pytest.mark.parametrize("case", list(WRONG_ENTRIES))
def test_a_wrong_entry_is_reported_by_each_of_its_samples(monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    key, field, text, wrong, said = WRONG_ENTRIES[case]
    broken_messages(monkeypatch, key, field, text, wrong)
    problems = all_problems()
    wanted = {s["id"] for s in WITH_MESSAGE if s["message_key"] == key}
    assert {p.split(":")[0] for p in problems} == wanted
    assert all(said in p for p in problems)


def test_a_template_field_the_pattern_does_not_capture_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """The time-out pattern as it was (`See https://.* for ...`): the template's region is not read back."""
    tail = "See https://.* for more information\\."
    entry = specs.messages()["model-timeout"]["pattern"]
    broken_messages(monkeypatch, "model-timeout", "pattern", entry[entry.index("See https://") :], tail)
    problems = all_problems()
    assert problems and all("needs ['account', 'endpoint', 'region']" in p for p in problems)
