"""Reading a rendered page back: its tags, attributes, table rows and text, nesting checked."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LOADING = {
    "script",
    "img",
    "link",
    "iframe",
    "frame",
    "object",
    "embed",
    "base",
    "form",
    "audio",
    "video",
    "source",
}
URL_ATTRIBUTES = {
    "src",
    "href",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "xlink:href",
}


class Page(HTMLParser):
    """The tags, attributes, table rows and text of a page, with its nesting checked as it is read."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.rows: dict[str, list[str]] = {}  # tr id -> the text of its cells
        self.text: list[str] = []
        self.styles: list[str] = []
        self._row: str | None = None
        self.feed(text)
        self.close()
        self.problems += [f"<{tag}> never closed" for tag in self.stack]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "tr":
            self._row = attributes.get("id") or f"row-{len(self.rows)}"
            self.rows[self._row] = []
        if tag in ("td", "th") and self._row is not None:
            self.rows[self._row].append("")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] == "style":
            self.styles.append(data)
        if self._row is not None and self.rows[self._row]:
            self.rows[self._row][-1] += data
