"""What a person agrees to before a staff member saves their consultation (issue 12: consent first).

The text is versioned: a record keeps the version, the language it was read in and the day, so that what
the person agreed to can be shown again word for word. A new wording is a new version, never an edit.
Consent is asked of the person, in their language, by the staff member who saves; refusing changes nothing
in the help they get (the questions, results and letters work without a record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from .i18n import LANGUAGES, translator
from .text import N_

VERSION = 1
RETENTION_DAYS = 180  # the default: records are deleted this long after their last change

# One short sentence each, in the order a person needs them; {days} is the retention period.
POINTS: tuple[str, ...] = (
    N_("We would like to keep a record of today's consultation, so that we can help you again without asking "
       "everything again."),
    N_("The record holds your answers, the results, the letters we write with you and what the office "
       "answers, and notes. Names, dates of birth, addresses and card numbers are stored encrypted."),
    # Honest about the one exception: a search warrant (捜索差押許可状) compels; a police inquiry
    # (捜査関係事項照会) and the immigration law's duty to report (入管法62条, on officials) do not.
    N_("Only the volunteers and coordinators of this group can open it. We do not give it to the immigration "
       "authorities, the police, the city office or anyone else unless you ask us to; only a court warrant "
       "could force us to."),
    N_("It is deleted automatically {days} days after it last changed."),
    N_("You can ask at any time to see it, to take a copy, to correct it or to delete it now."),
    N_("You can say no. Saying no changes nothing in the help you get today."),
)
AGREE = N_("The person agrees that this consultation is kept as described.")
EXPLAINED = N_("I read or explained this text to the person in a language they understand, and they could ask "
               "questions.")


@dataclass(frozen=True)
class Consent:
    """A person's agreement, as the record keeps it: no signature, no name, only what was agreed and when."""

    version: int
    language: str
    given_on: dt.date
    retention_days: int
    explained_by_staff: Literal[True] = True


def points(code: str, retention_days: int = RETENTION_DAYS) -> list[str]:
    _ = translator(code)
    return [_(p).replace("{days}", str(retention_days)) for p in POINTS]


def translated(code: str) -> bool:
    """Whether every point reads in this language (not English by default): else an interpreter is needed."""
    if code not in LANGUAGES:
        return False
    if code == "en":
        return True
    _ = translator(code)
    return all(_(p) != p for p in (*POINTS, AGREE))


def give(code: str, today: dt.date, retention_days: int = RETENTION_DAYS) -> Consent:
    if code not in LANGUAGES:
        raise ValueError("unknown language")
    return Consent(VERSION, code, today, retention_days)
