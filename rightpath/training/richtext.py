"""Lesson text: a small Markdown-like syntax rendered to a safe subset of HTML when a lesson is saved.

Everything the author types is escaped first; only the constructs below become markup, so no tag,
attribute or script from the input can reach the page:

* ``## Heading`` and ``### Heading``; a blank line separates paragraphs;
* ``- item`` (bulleted) and ``1. item`` (numbered) lists; ``> quote``;
* ``**bold**``, ``*italic*``;
* ``[text](https://…)`` links (``http``, ``https``, ``mailto`` or a path on this site only);
* ``![description](image:<file code>)`` shows an image uploaded to the lesson.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.html import escape

_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(image:([0-9a-f-]{36})\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
_SAFE_URL = re.compile(r"^(https?://[^\s\"'<>]+|mailto:[^\s\"'<>]+|/[^\s\"'<>]*)$", re.IGNORECASE)
_ORDERED = re.compile(r"^\d+[.)]\s+")

ImageURL = Callable[[str], str | None]


def _inline(text: str, image_url: ImageURL) -> str:
    """Escape ``text`` and turn the inline constructs into markup."""
    out = escape(text)

    def image(match: re.Match[str]) -> str:
        url = image_url(match.group(2))
        if url is None:
            return match.group(1)
        return f'<img src="{escape(url)}" alt="{match.group(1)}">'

    def link(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        # The target was escaped with the rest; undo only the ampersand to check it.
        raw = target.replace("&amp;", "&")
        if not _SAFE_URL.match(raw) or raw.startswith("//"):
            return label
        return f'<a href="{escape(raw)}">{label}</a>'

    out = _IMAGE.sub(image, out)
    out = _LINK.sub(link, out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _ITALIC.sub(r"<em>\1</em>", out)
    return out


def render(text: str, image_url: ImageURL | None = None) -> str:
    """The HTML for ``text`` (see the module docstring for the syntax)."""
    resolve: ImageURL = image_url or (lambda code: None)
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""
    quote: list[str] = []

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            blocks.append("<p>" + "<br>".join(_inline(line, resolve) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            blocks.append(
                f"<{list_tag}>" + "".join(f"<li>{_inline(i, resolve)}</li>" for i in items) + f"</{list_tag}>"
            )
            items.clear()
            list_tag = ""
        if quote:
            blocks.append("<blockquote><p>" + " ".join(_inline(q, resolve) for q in quote) + "</p></blockquote>")
            quote.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("### ") or line.startswith("## "):
            flush()
            level = 3 if line.startswith("### ") else 2
            blocks.append(f"<h{level}>{_inline(line[level + 1 :].strip(), resolve)}</h{level}>")
        elif line.startswith(("- ", "* ")):
            if paragraph or quote or list_tag == "ol":
                flush()
            list_tag = "ul"
            items.append(line[2:].strip())
        elif _ORDERED.match(line):
            if paragraph or quote or list_tag == "ul":
                flush()
            list_tag = "ol"
            items.append(_ORDERED.sub("", line, count=1))
        elif line.startswith(">"):
            if paragraph or items:
                flush()
            quote.append(line[1:].strip())
        else:
            if items or quote:
                flush()
            paragraph.append(line)
    flush()
    return "\n".join(blocks)
