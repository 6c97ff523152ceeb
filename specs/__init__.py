"""The InvokeEndpoint contract as data: editions, clauses, the target contract, messages.

Every limit, pattern, error name and clause text lives in the JSON files beside
this module; code everywhere else reads them from here, so the suite, the
strategies and the emulator cannot drift apart. Each document is validated
against its JSON Schema (``schemas/``) when first loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypedDict

import jsonschema

HERE = Path(__file__).resolve().parent
EditionName = Literal["original", "current"]
# Where a clause's authority is: the API doc (or botocore's model), the target contract, an HTTP
# standard the doc leaves to HTTP (an RFC), or what real AWS was seen to answer. The first three are
# what any conformant implementation must pass; `observed` is how AWS itself behaves.
Kind = Literal["documented", "contract", "protocol", "observed"]
EDITIONS: tuple[EditionName, ...] = ("original", "current")
KINDS: tuple[Kind, ...] = ("documented", "contract", "protocol", "observed")


class SpecError(ValueError):
    """A spec document is missing, malformed, or asked for by a name it does not have."""


@cache
def load_document(relative: str, schema: str) -> dict[str, Any]:
    """Read specs/<relative> and validate it against specs/schemas/<schema>."""
    path = HERE / relative
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise SpecError(f"{path}: {error}") from error
    schema_document = json.loads((HERE / "schemas" / schema).read_text(encoding="utf-8"))
    errors = sorted(
        jsonschema.Draft202012Validator(schema_document).iter_errors(document),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(top)"
        raise SpecError(f"{path}: at {where}: {errors[0].message}")
    return document


@cache
def schema(name: str) -> dict[str, Any]:
    """specs/schemas/<name>, for the documents that are not specs (a target config, report.json)."""
    loaded: dict[str, Any] = json.loads((HERE / "schemas" / name).read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class Member:
    """One input or output member of the operation, with its constraints."""

    name: str
    location: Literal["uri", "header", "body"]
    header: str | None
    type: Literal["string", "blob"]
    min_length: int | None
    max_length: int | None
    pattern: str | None
    regex: str | None
    sensitive: bool

    def matches(self, value: str) -> bool:
        """Whether the value satisfies the pattern as a whole (True where there is none)."""
        return self.regex is None or re.fullmatch(self.regex, value, re.DOTALL) is not None

    @property
    def limit(self) -> int:
        """`max_length` for code that counts with it: every member of the editions has one."""
        if self.max_length is None:
            raise SpecError(f"{self.name} has no max_length")
        return self.max_length

    @property
    def header_name(self) -> str:
        """`header` for code that sends the member: refused for one that travels elsewhere."""
        if self.header is None:
            raise SpecError(f"{self.name} is sent in the {self.location}, not in a header")
        return self.header


@dataclass(frozen=True)
class Edition:
    name: EditionName
    title: str
    source: str
    method: str
    uri: str
    signing_name: str
    request: dict[str, Member]
    response: dict[str, Member]
    errors: dict[str, int]  # error name -> documented HTTP status
    error_members: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def body_limit(self) -> int:
        return self.request["Body"].limit

    def header_members(self) -> dict[str, Member]:
        """Request members sent as headers, keyed by member name."""
        return {n: m for n, m in self.request.items() if m.location == "header"}


@cache
def edition(name: str) -> Edition:
    if name not in EDITIONS:
        raise SpecError(f"edition={name!r}, but only {' or '.join(map(repr, EDITIONS))} exist")
    doc = load_document(f"editions/{name}.json", "edition.schema.json")
    return Edition(
        name=doc["edition"],
        title=doc["title"],
        source=doc["source"],
        method=doc["operation"]["method"],
        uri=doc["operation"]["uri"],
        signing_name=doc["operation"]["signing_name"],
        request=_members(doc["request"]),
        response=_members(doc["response"]),
        errors={n: e["status"] for n, e in doc["errors"].items()},
        error_members={n: tuple(e["members"]) for n, e in doc["errors"].items()},
    )


def _members(shapes: dict[str, dict[str, Any]]) -> dict[str, Member]:
    return {n: Member(name=n, **m) for n, m in shapes.items()}


class Source(TypedDict):
    """Where a clause comes from, quoted."""

    document: str
    section: str
    text: str


class Constraint(TypedDict):
    """The member limit a clause states, for clauses that state one."""

    member: str
    rule: Literal["max_length", "min_length", "pattern"]


class Expect(TypedDict, total=False):
    """What a target must answer; clauses.schema.json's `expect` says what each key means.

    A TypedDict, not a dataclass: `expect` stays the very dict clauses.json holds.
    """

    status: list[int]
    status_class: Literal["4xx"]
    error: str
    error_if_400: str
    closed_connection_allowed: bool
    message: str
    headers: dict[str, str]
    body_keys: list[str]


@dataclass(frozen=True)
class Clause:
    """One testable statement, with the answer a target must give."""

    id: str
    kind: Kind
    group: str
    editions: tuple[EditionName, ...]
    source: Source
    statement: str
    expect: Expect
    reading: str | None = None
    constraint: Constraint | None = None

    def applies_to(self, edition_name: str) -> bool:
        return edition_name in self.editions


@cache
def _clause_table() -> dict[str, Clause]:
    doc = load_document("clauses.json", "clauses.schema.json")
    table: dict[str, Clause] = {}
    for raw in doc["clauses"]:
        if raw["id"] in table:
            raise SpecError(f"clauses.json: clause id {raw['id']!r} appears twice")
        table[raw["id"]] = Clause(**{**raw, "editions": tuple(raw["editions"])})
    return table


def clauses(edition_name: str | None = None) -> list[Clause]:
    """All clauses, or those that apply to one edition, in catalogue order."""
    if edition_name is not None:
        edition(edition_name)  # refuse an unknown edition by name
    return [c for c in _clause_table().values() if edition_name is None or c.applies_to(edition_name)]


def clause(clause_id: str) -> Clause:
    try:
        return _clause_table()[clause_id]
    except KeyError:
        raise SpecError(f"no clause {clause_id!r} in specs/clauses.json") from None


def contract() -> dict[str, Any]:
    return load_document("contract.json", "contract.schema.json")


def messages() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = load_document("messages.json", "messages.schema.json")["messages"]
    return found


def message_pattern(key: str) -> re.Pattern[str]:
    return re.compile(messages()[key]["pattern"], re.DOTALL)


def samples() -> list[dict[str, Any]]:
    """What real AWS was seen to answer (samples.json): the evidence behind messages and observed clauses.

    Only tests read it: a pattern or template that disagrees with what AWS sent is caught there, not by
    the suite and the emulator agreeing with each other.
    """
    found: list[dict[str, Any]] = load_document("samples.json", "samples.schema.json")["samples"]
    return found
