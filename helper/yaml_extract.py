"""Babel extractor for the user-facing texts in rule, question and letter YAML files.

Registered in pyproject.toml ([tool.babel] extractors). It yields each text under a translatable
key with its line, and a translator comment saying where the text lives. Of a sources file only each
source's ``title`` is a text (its url, note and articles are not shown translated); test cases and ``ja``
phrases (said at a Japanese counter as written) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import strict_yaml

KEYS = frozenset({"title", "summary", "pass", "fail", "unknown", "uncertain", "text", "note", "prompt", "help",
                  "label", "if_text", "do", "contested", "hours", "because"})
# ``name`` is a translatable text only for a counter (a layer's or an advisory's contacts, and a national
# counter's name from the municipality); elsewhere it is a Japanese place name or an identifier.
_NAMED = frozenset({"contacts", "local"})
SKIP_KINDS = frozenset({"tests"})


def extract_yaml(fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[
        tuple[int, None, str, list[str]]]:
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    doc = strict_yaml.parse(text)
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") in SKIP_KINDS:
        return
    name = getattr(fileobj, "name", "").rsplit("/", 1)[-1]
    if data.get("kind") == "sources":
        yield from _source_titles(data, doc, name)
        return
    yield from _walk(data, (), doc, name)


def _source_titles(data: dict[str, Any], doc: strict_yaml.Document, fname: str) -> Iterator[
        tuple[int, None, str, list[str]]]:
    """Each source's title (the document's name as cited), and nothing else of a sources file."""
    for sid, source in (data.get("sources") or {}).items():
        title = source.get("title") if isinstance(source, dict) else None
        if isinstance(title, str) and title.strip():
            here = ("sources", sid, "title")
            yield doc.line_of(here) or 1, None, title, [f"{fname}: {strict_yaml.format_path(here)}"]


def _walk(node: Any, path: tuple[Any, ...], doc: strict_yaml.Document, fname: str) -> Iterator[
        tuple[int, None, str, list[str]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = path + (key,)
            text = key in KEYS or (key == "name" and (len(path) >= 2 and path[-2] == "contacts"
                                                      or path[-1:] == ("local",)))
            if text and isinstance(value, str) and value.strip():
                yield doc.line_of(here) or 1, None, value, [f"{fname}: {strict_yaml.format_path(here)}"]
            else:
                yield from _walk(value, here, doc, fname)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, path + (i,), doc, fname)
