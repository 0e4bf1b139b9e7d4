"""A small document model (heading, paragraph, table) and its Markdown and HTML renderers.

The bloom-forecast bulletin (:mod:`obs.forecast.bulletin`) is built as a :class:`Document`;
renderers turn it into text. Kept small on purpose so that a shared report writer (PDF) can take
it over: every block is plain data.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; level 1 is the document title."""

    text: str
    level: int = 2


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text cells with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | Table


@dataclass(frozen=True, slots=True)
class Document:
    """An ordered list of blocks, with the document language (``zh`` or ``en``)."""

    lang: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(document: Document) -> str:
    """Markdown: ``#`` headings, blank-line separated paragraphs, pipe tables."""
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            parts.append("#" * block.level + " " + block.text)
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            lines = ["| " + " | ".join(_md_cell(c) for c in block.header) + " |"]
            lines.append("|" + "|".join("---" for _ in block.header) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


_CSS = (
    "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:46em;"
    "margin:2em auto;line-height:1.6}h1{text-align:center}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .6em}"
)


def to_html(document: Document) -> str:
    """A standalone HTML page (UTF-8, escaped text, one small style sheet)."""
    body: list[str] = []
    title = ""
    for block in document.blocks:
        if isinstance(block, Heading):
            title = title or block.text
            body.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{html.escape(block.text)}</p>")
        else:
            head = "".join(f"<th>{html.escape(c)}</th>" for c in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    lang = "zh-CN" if document.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
