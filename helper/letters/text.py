"""Placeholders in letter texts: ``{name}`` and optional segments ``⟦ … ⟧``.

- ``{applicant.name}`` is replaced by a value. Values are inserted in one pass and never scanned again, so a
  value that itself contains ``{x}``, ``⟦``, markup or template syntax appears literally.
- ``⟦ … ⟧`` is printed only when every placeholder inside it has a value (``⟦（家賃 {rent}）⟧``).

There is no other syntax: no attribute access, no format specs, no expressions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z0-9_*]+)*)\}")
SEGMENT = re.compile(r"⟦([^⟦⟧]*)⟧")


class MissingValue(KeyError):
    """A placeholder outside an optional segment has no value."""


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def required_placeholders(template: str) -> set[str]:
    return placeholders(SEGMENT.sub("", template))


def fill(
    template: str, values: Mapping[str, str], used: Callable[[str], None] | None = None, *, tidy: bool = False
) -> str:
    """Fill ``template`` from ``values`` (missing or empty values count as absent).

    With ``tidy``, runs of spaces that a dropped segment leaves in the template are collapsed (before the
    values go in: values are never changed)."""

    def has(key: str) -> bool:
        v = values.get(key)
        return v is not None and v != ""

    def segment(m: re.Match[str]) -> str:
        inner = m.group(1)
        keys = placeholders(inner)
        return inner if keys and all(has(k) for k in keys) else ""

    resolved = SEGMENT.sub(segment, template)
    if tidy:
        resolved = re.sub(r" {2,}", " ", resolved).strip(" ")

    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if not has(key):
            raise MissingValue(key)
        if used is not None:
            used(key)
        return values[key]

    return PLACEHOLDER.sub(one, resolved)


def well_formed(template: str) -> bool:
    """Brackets of optional segments are balanced and not nested."""
    depth = 0
    for ch in template:
        if ch == "⟦":
            depth += 1
            if depth > 1:
                return False
        elif ch == "⟧":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
