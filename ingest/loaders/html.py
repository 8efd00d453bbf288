"""Saved web pages: the main text without the site around it, as Markdown-like text.

Headings become '#' lines and blocks are separated by a blank line, so the chunker sees the
page structure. Properties come from <meta> description, author, keywords and dates.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from ingest.documents import LoadedDocument, Page
from ingest.loaders.properties import meaningful

# Site furniture and non-content elements, removed with everything inside them.
DROPPED = ["nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form",
           "button", "select", "iframe", "svg", "canvas", "dialog", "object", "embed"]
DROPPED_ROLES = ["navigation", "banner", "contentinfo", "search", "complementary"]
HEADINGS = {f"h{level}": level for level in range(1, 7)}
BLOCKS = {"p", "div", "section", "article", "main", "body", "blockquote", "pre", "ul", "ol", "dl",
          "dt", "dd", "table", "thead", "tbody", "tfoot", "figure", "figcaption", "address",
          "details", "summary", "hr", "fieldset", "caption"}
META_PROPERTIES = {
    "description": "description",
    "og:description": "description",
    "author": "author",
    "keywords": "keywords",
    "date": "date",
    "dc.date": "date",
    "article:published_time": "date",
}
CONTAINERS = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"}
SPACES = re.compile(r"[ \t\r\n\f]+")


def load(path: Path, data: bytes) -> LoadedDocument:
    soup = BeautifulSoup(data, "html.parser")
    properties = _meta(soup)
    page_title = meaningful(soup.title.get_text()) if soup.title else None
    for element in soup.find_all(DROPPED):
        # An article's own <header> holds its title and date: only the site's header goes.
        if element.name != "header" or not element.find_parent(["article", "main"]):
            element.decompose()
    for element in soup.find_all(attrs={"role": DROPPED_ROLES}):
        element.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    text = _tidy(_render(root))
    first_h1 = root.find("h1")
    title = page_title or (meaningful(first_h1.get_text()) if first_h1 else None)
    return LoadedDocument(path=path, pages=[Page(None, text)], title=title, properties=properties)


def _render(node: Tag) -> str:
    """Text of `node` with block boundaries as blank lines and headings as '#' lines."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, NavigableString):
            # Comments, doctype and CDATA are skipped, so is indentation between rows and items.
            if type(child) is NavigableString and (child.strip() or node.name not in CONTAINERS):
                parts.append(SPACES.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            parts.append("\n")
        elif name in HEADINGS:
            heading = " ".join(child.get_text(" ").split())
            if heading:
                parts.append(f"\n\n{'#' * HEADINGS[name]} {heading}\n\n")
        elif name == "li":
            marker = "1." if child.parent is not None and child.parent.name == "ol" else "-"
            parts.append(f"\n{marker} {_render(child).strip()}")
        elif name == "tr":
            cells = [" ".join(_render(cell).split()) for cell in child.find_all(["td", "th"], recursive=False)]
            parts.append("\n" + " | ".join(cell for cell in cells if cell))
        elif name in BLOCKS:
            parts.append(f"\n\n{_render(child)}\n\n")
        else:
            parts.append(_render(child))
    return "".join(parts)


def _tidy(text: str) -> str:
    """Strip each line and keep at most one blank line between blocks."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    properties: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = META_PROPERTIES.get(str(tag.get("name") or tag.get("property") or "").casefold())
        value = meaningful(tag.get("content"))
        if key and value and key not in properties:
            properties[key] = value
    return properties
