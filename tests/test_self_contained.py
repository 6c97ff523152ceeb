"""The repository reads on its own: no tracked file points outside it or at this machine.

Someone who clones the repository must be able to open everything it cites. So no
tracked text file may name:

- `../shared` or `shared/spec`: the folder beside the checkout that the project's
  specification once lived in; its pages are now docs/target-contract.md,
  docs/observed-aws.md and the API reference's public URL;
- an absolute path of the machine a file was written on: `/work/` (where this
  project is developed), this checkout's own path and the home directory of
  whoever runs the test (so a clone elsewhere checks its own), and `/tmp/`.

`/tmp/` is refused even in examples. It exists everywhere, so an example such as
`--out /tmp/report` would be portable; but every `/tmp/` path found in this
repository so far named a file that existed only on the machine that wrote it
(the saved request bodies of a certificate's `curl` replays), and a substring
test cannot tell the two apart. Examples use relative paths (`reports/moto`).

Generated certificates get no exemption: a report directory names its replay
bodies relative to itself and the package's source lines package-relative.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve()
OUTSIDE = ("../shared", "shared/spec")
FIXED_MACHINE_PATHS = ("/work/", "/tmp/")
# The pages of this repository that clause sources may cite.
CITED_PAGES = ("docs/target-contract.md", "docs/observed-aws.md")


def repository_root() -> Path:
    found = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=HERE.parent, capture_output=True, text=True, check=True
    )
    return Path(found.stdout.strip())


ROOT = repository_root()


def machine_paths() -> tuple[str, ...]:
    """The fixed markers, plus this checkout's path and the home directory where they are specific."""
    local = [str(ROOT), str(Path.home())]
    return FIXED_MACHINE_PATHS + tuple(f"{p.rstrip('/')}/" for p in local if len(Path(p).parts) > 1)


def tracked_text_files() -> Iterator[tuple[str, str]]:
    """(path, text) of every tracked file that exists in the work tree and is UTF-8 text."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        path = ROOT / name
        if path == HERE or not path.is_file():  # this file names the markers; deleted files are gone
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue
        try:
            yield name, data.decode("utf-8")
        except UnicodeDecodeError:
            continue


def offending_lines(markers: tuple[str, ...]) -> list[str]:
    found = []
    for name, text in tracked_text_files():
        for number, line in enumerate(text.splitlines(), start=1):
            hits = [marker for marker in markers if marker in line]
            if hits:
                found.append(f"{name}:{number}: {', '.join(hits)}: {line.strip()[:160]}")
    return found


def test_no_tracked_file_points_outside_the_repository() -> None:
    found = offending_lines(OUTSIDE)
    assert not found, "paths outside the repository:\n" + "\n".join(found)


def test_no_tracked_file_names_a_path_of_this_machine() -> None:
    found = offending_lines(machine_paths())
    assert not found, "absolute paths of a machine:\n" + "\n".join(found)


def headings(page: str) -> set[str]:
    text = (ROOT / page).read_text(encoding="utf-8")
    return {m.group(1).strip() for m in re.finditer(r"^#+\s+(.*)$", text, flags=re.MULTILINE)}


def test_clause_sources_cite_a_section_of_a_page_a_reader_can_open() -> None:
    """A source in this repository names an existing page and one of its headings (before any ':')."""
    clauses = json.loads((ROOT / "specs" / "clauses.json").read_text(encoding="utf-8"))["clauses"]
    wrong = []
    for clause in clauses:
        document, section = clause["source"]["document"], clause["source"]["section"]
        if document.startswith("https://") or not document.endswith(".md"):
            continue  # a public URL, or a named public source (botocore's service model, an RFC)
        if document not in CITED_PAGES:
            wrong.append(f"{clause['id']}: {document} is not one of {', '.join(CITED_PAGES)}")
        elif section.split(":")[0].strip() not in headings(document):
            wrong.append(f"{clause['id']}: {document} has no heading {section.split(':')[0]!r}")
    assert not wrong, "\n".join(wrong)


def leaves(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in ("$schema", "source", "type"):
                yield from leaves(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from leaves(inner)
    else:
        yield str(value)


def test_the_contract_page_states_every_value_of_the_contract_data() -> None:
    """docs/target-contract.md and specs/contract.json are the same contract: no value only in the data."""
    data = json.loads((ROOT / "specs" / "contract.json").read_text(encoding="utf-8"))
    page = (ROOT / "docs" / "target-contract.md").read_text(encoding="utf-8")
    missing = sorted({value for value in leaves(data) if value not in page})
    assert not missing, f"in specs/contract.json but not in docs/target-contract.md: {missing}"

    written = [f"{name}=" for name in data["probe"]["directives"]] + [
        f"({rule['min']}..{rule['max']})" for rule in data["probe"]["directives"].values() if "min" in rule
    ]
    absent = [text for text in written if text not in page]
    assert not absent, f"directives or ranges not written in docs/target-contract.md: {absent}"
