"""Derived values of the 公営住宅 letters: the guarantor waiver (docs/letters.md §3.1); the inquiry (§3.2)
needs only shared ones (sender, status, place, reply date)."""

from __future__ import annotations

from ..values import EMPTY
from . import Facts, derives


@derives("guarantor_other", "guarantor_reason")
def guarantor(f: Facts) -> None:
    """Why no guarantor can be found, as coded ("other": the person's own words)."""
    if "letter.guarantor_reason" in f.values:
        code = f.values["letter.guarantor_reason"]
        f.ctx["guarantor_other"] = code == "other"
        f.ctx["guarantor_reason"] = (f.choice("guarantor_reason", code, "letter.guarantor_reason")
                                     if code != "other" else EMPTY)
