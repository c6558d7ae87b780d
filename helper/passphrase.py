"""How easy a passphrase is to guess, and why: zxcvbn (Dropbox's estimator, Python port, MIT).

Length alone says little ("aaaaaaaaaaaa" and "password1234" are long), so the estimate is zxcvbn's:
it looks for common passwords and words, keyboard patterns, repeats, sequences and dates, and for the
person's own details passed as ``user_inputs``. A passphrase is accepted from score 3 ("safely
unguessable: moderate protection from an offline slow-hash attack", fewer than 10^10 guesses), which
is the situation of a save file: whoever holds the file can try passphrases offline, each guess
slowed by the key derivation (:mod:`helper.savefile`).

Only the first :data:`CHECKED_CHARS` characters are estimated (zxcvbn's own limit, which bounds its
time): a passphrase that is already strong in its first 72 characters stays strong.
"""

from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn

from .text import N_

MIN_SCORE = 3
CHECKED_CHARS = 72

# Why a passphrase is weak, most telling first; the page shows the reason, then GOOD_PASSPHRASE.
REASONS: dict[str, str] = {
    "own_details": N_("It contains your own details, such as your name."),
    "common": N_("It is a common password, or made of too few common words."),
    "keyboard": N_("It follows the keys of a keyboard, such as “qwerty”."),
    "repeat": N_("It repeats the same letters or words, such as “aaaa” or “abcabc”."),
    "sequence": N_("It is a sequence, such as “abcd” or “1234”."),
    "date": N_("It contains a date or a year, which is easy to guess."),
    "too_simple": N_("It is too short or too simple to be hard to guess."),
}
GOOD_PASSPHRASE = N_("A good passphrase is four or more unrelated words that only you would put together, "
                     "in any language: not a saying, a song line or your own details. Write it down and keep "
                     "it apart from the file.")
_PATTERN_REASON = {"spatial": "keyboard", "repeat": "repeat", "sequence": "sequence", "date": "date",
                   "regex": "date"}  # zxcvbn's only regex is recent years


def weakness(passphrase: str, user_inputs: Iterable[str] = ()) -> str | None:
    """``None`` if the passphrase is hard enough to guess, else a key of :data:`REASONS`."""
    inputs = [str(u) for u in user_inputs if u]
    result = zxcvbn(passphrase[:CHECKED_CHARS], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    found = set()
    for match in result["sequence"]:
        if match["pattern"] == "dictionary":
            found.add("own_details" if match.get("dictionary_name") == "user_inputs" else "common")
        elif match["pattern"] in _PATTERN_REASON:
            found.add(_PATTERN_REASON[match["pattern"]])
    return next((reason for reason in REASONS if reason in found), "too_simple")
