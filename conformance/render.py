"""Renderings of a report (specs/schemas/report.schema.json): report.md, report.html and badge.svg.

Each is a Jinja2 template of templates/, filled from the report's view (report_view.py);
everything here is a pure function of the report dict, except `write_all`. Evidence holds text
the target chose (headers, bodies, error messages), so every value is treated as hostile: both
environments make control and bidi characters visible in whatever a template prints (their
`finalize`), the HTML one escapes it too, and the Markdown template names a filter for each value.
The HTML loads nothing: inline CSS (templates/report.css), no script, and a CSP that forbids the rest.
"""

from __future__ import annotations

import dataclasses
import html as _html
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import report_view
from .report_view import MARKS, VERDICT_CLASSES

__all__ = ["MARKS", "VERDICT_COLOURS", "badge", "html", "markdown", "write_all"]

# C0/C1 controls (but tab and newline), DEL, and the bidi controls that can reorder what a reader sees.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(value: object) -> str:
    """The text with every invisible or reordering character written as an escape."""
    return _INVISIBLE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", str(value)
    )


def _html_value(value: object) -> Markup:
    """What an HTML template prints: the value made visible, then escaped for text and attributes alike.

    Markup passes as it is: only what the templates' macros return, and our stylesheet, is Markup.
    """
    if isinstance(value, Markup):
        return value
    return Markup(_html.escape(_visible(value), quote=True))


# -- Markdown filters ----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#!~])")


def _md_text(value: object) -> str:
    """Prose that renders as itself: Markdown and HTML syntax backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", _visible(value)).replace("\n", " ")


def _md_code(value: object) -> str:
    """An inline code span that no backtick in the text can close early."""
    text = _visible(value).replace("\n", " ")
    if not text:
        return "*(empty)*"
    ticks = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _md_block(value: object, lang: str = "text") -> str:
    """A fenced block longer than any backtick run inside, so the text cannot end it."""
    text = _visible(value).rstrip("\n")
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _md_cell(text: str) -> str:
    """Markdown already made safe, fitted into one table cell: lines joined, every bare `|` escaped.

    GFM reads a backslash and the character after it as one unit when it splits a row,
    so a pipe is bare unless it ends such a pair.
    """
    out, chars = [], iter(text.replace("\n", "<br>"))
    for ch in chars:
        if ch == "\\":
            out.append(ch + next(chars, ""))
        else:
            out.append("\\|" if ch == "|" else ch)
    return "".join(out)


# -- the environments ----------------------------------------------------------------------------

_LOADER = jinja2.PackageLoader(__name__.rpartition(".")[0], "templates")


def _environment(*, autoescape: bool, finalize: Callable[[object], str]) -> jinja2.Environment:
    """One of ours: a block tag's own line leaves nothing in the output, and a misspelt name fails."""
    return jinja2.Environment(
        loader=_LOADER,
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# report.html and badge.svg: every printed value visible and escaped, whatever the template says.
_HTML = _environment(autoescape=True, finalize=_html_value)
# report.md: every printed value visible; its Markdown escaping is the filter the template names.
_MARKDOWN = _environment(autoescape=False, finalize=_visible)
_MARKDOWN.filters.update(md_text=_md_text, md_code=_md_code, md_block=_md_block, md_cell=_md_cell)

# The page's stylesheet, inlined into it: ours, not the report's, so it is markup as it stands.
_CSS = Markup(_LOADER.get_source(_HTML, "report.css")[0])


def _root_properties(css: str) -> dict[str, str]:
    """The custom properties of the stylesheet's :root rule, "--pass" -> "#1a7f37"."""
    root = re.search(r":root\{([^}]*)\}", css)
    if root is None:
        raise LookupError("templates/report.css has no :root rule")
    return dict(declaration.split(":", 1) for declaration in root[1].split(";"))


# The verdict badges' colours, as the stylesheet defines them (--pass, --fail, ..., --na).
_PALETTE = _root_properties(_CSS)
VERDICT_COLOURS = {
    verdict: _PALETTE["--" + name.removeprefix("v-")] for verdict, name in VERDICT_CLASSES.items()
}


def _fill(environment: jinja2.Environment, template: str, report: Mapping[str, Any], **extra: object) -> str:
    view = report_view.from_report(report)
    parts = {field.name: getattr(view, field.name) for field in dataclasses.fields(view)}
    return environment.get_template(template).render(**parts, **extra)


def markdown(report: Mapping[str, Any]) -> str:
    """report.md: the whole report for a pull request, a wiki or a terminal."""
    return _fill(_MARKDOWN, "report.md.j2", report)


def html(report: Mapping[str, Any]) -> str:
    """report.html: one self-contained page, readable in any browser with no network."""
    return _fill(_HTML, "report.html.j2", report, css=_CSS)


def badge(report: Mapping[str, Any]) -> str:
    """badge.svg: a flat shields.io-style badge of the documented clauses' conformance."""
    return _fill(_HTML, "badge.svg.j2", report)


def write_all(report: Mapping[str, Any], directory: Path) -> dict[str, Path]:
    """report.md, report.html and badge.svg in `directory` (UTF-8); report.json is the caller's."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, make in (("report.md", markdown), ("report.html", html), ("badge.svg", badge)):
        path = directory / name
        path.write_text(make(report), encoding="utf-8", newline="\n")
        written[name] = path
    return written
