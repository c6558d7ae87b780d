"""Save and resume without an account: the answers file, optionally encrypted with a passphrase.

Encrypted files are a small JSON envelope: a key is derived from the passphrase and a random salt,
and AES-256-GCM encrypts the answers file and authenticates it, so a wrong passphrase or a changed
byte is detected. Nothing is kept on the server; the person keeps the file.

The key derivation's cost comes from this code, never from the file
--------------------------------------------------------------------
An uploaded file is hostile until its passphrase has been checked, and the passphrase can only be
checked after the key is derived. So each format ``version`` has exactly one set of parameters,
fixed in :data:`KDF_BY_VERSION`; the envelope repeats them only so that a reader can see them, and an
envelope declaring anything else (a larger or smaller cost, another algorithm, a value that is not
an integer) is refused with ``unreadable`` before any derivation. The memory one derivation may use
is therefore at most :data:`MAX_KDF_MEMORY` whatever the file says, and at most
:data:`CONCURRENT_DERIVATIONS` derivations run at once in a process (other sessions wait their turn),
so that many uploads at once cannot exhaust the server either.

Version 2 (written now): Argon2id, m = 19 MiB, t = 2, p = 1. This is the first of the equivalent
configurations in the OWASP Password Storage Cheat Sheet ("use Argon2id with a minimum configuration
of 19 MiB of memory, an iteration count of 2, and 1 degree of parallelism"; the others trade memory
for iterations: m = 46 MiB t = 1, m = 12 MiB t = 3, m = 9 MiB t = 4, m = 7 MiB t = 5; OWASP's scrypt
figure is N = 2^17, r = 8, p = 1, i.e. 128 MiB). Of these, 19 MiB / t = 2 gives OWASP's strength with
the least memory per derivation, which matters on a shared 2-core server with dozens of sessions; it
takes about 35 ms here. Argon2id comes from ``cryptography`` (``hazmat.primitives.kdf.argon2``, since
version 44), a library the project already keeps.

Version 1 (read only): scrypt, N = 2^15, r = 8, p = 1 (32 MiB). Every version-1 file this project
wrote used exactly these parameters, so every genuine old file still opens; the old reader also
accepted N up to 2^20 (1 GiB), which only a hand-made file could use, and such a file is now refused.

The passphrase's strength is checked when a file is written (:mod:`helper.passphrase`), not when it is
read: an old file with a weak passphrase still opens.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .answers import MAX_ANSWERS_BYTES, Answers, AnswersError, parse_answers
from .passphrase import weakness

MAGIC = "kyosei-helper/encrypted-answers"
VERSION = 2  # the version written
SALT_BYTES, NONCE_BYTES, KEY_BYTES = 16, 12, 32
MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class Kdf:
    """One format version's key derivation: the name and parameters as written in the envelope."""

    name: str
    params: dict[str, int]
    memory: int  # bytes one derivation uses

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        secret = passphrase.encode("utf-8", "surrogatepass")  # a lone surrogate must not crash
        if self.name == "argon2id":
            p = self.params
            return Argon2id(salt=salt, length=KEY_BYTES, iterations=p["t"], lanes=p["p"],
                            memory_cost=p["m"]).derive(secret)
        p = self.params
        return Scrypt(salt=salt, length=KEY_BYTES, n=p["n"], r=p["r"], p=p["p"]).derive(secret)


KDF_BY_VERSION: dict[int, Kdf] = {
    # scrypt memory is 128 * N * r bytes
    1: Kdf("scrypt", {"n": 2**15, "r": 8, "p": 1}, memory=128 * 2**15 * 8),
    # Argon2id memory_cost m is in KiB
    2: Kdf("argon2id", {"m": 19 * 1024, "t": 2, "p": 1}, memory=19 * 1024 * 1024),
}
MAX_KDF_MEMORY = max(k.memory for k in KDF_BY_VERSION.values())
CONCURRENT_DERIVATIONS = 2  # the machine's cores; more would only queue inside the C library
_derivations = threading.BoundedSemaphore(CONCURRENT_DERIVATIONS)


class SaveFileError(ValueError):
    """A file that cannot be resumed; ``reason`` is a stable code the page translates."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _derive(kdf: Kdf, passphrase: str, salt: bytes) -> bytes:
    with _derivations:
        return kdf.derive(passphrase, salt)


def _aad(version: int) -> bytes:
    # Version 1 authenticated the magic alone; from version 2 the version is bound into the tag too.
    return MAGIC.encode() if version == 1 else f"{MAGIC}/{version}".encode()


def own_details(answers: Answers) -> list[str]:
    """What of the person the file holds that a guesser could know: a passphrase should not contain it."""
    people = [answers.applicant, answers.supporter]
    texts = [getattr(p, f, None) for p in people if p is not None
             for f in ("name", "name_kana", "phone", "address", "birth_date", "residence_card_number")]
    words = [str(t) for t in texts if t]
    parts = [t.replace("・", " ").split() for t in words]
    return words + ["".join(p) for p in parts] + [w for p in parts for w in p if len(w) > 2]


def dump(answers: Answers, passphrase: str | None = None) -> bytes:
    """The answers file as bytes: plain JSON, or the encrypted envelope with a passphrase.

    A passphrase shorter than :data:`MIN_PASSPHRASE` raises ``short_passphrase``; one that is easy to
    guess raises ``weak_passphrase`` (its ``detail`` is the code from :func:`helper.passphrase.weakness`).
    """
    plain = answers.model_dump_json(exclude_none=True, indent=2).encode("utf-8")
    if not passphrase:
        return plain
    if len(passphrase) < MIN_PASSPHRASE:
        raise SaveFileError("short_passphrase")
    if (why := weakness(passphrase, own_details(answers))) is not None:
        raise SaveFileError("weak_passphrase", why)
    kdf = KDF_BY_VERSION[VERSION]
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    sealed = AESGCM(_derive(kdf, passphrase, salt)).encrypt(nonce, plain, _aad(VERSION))
    envelope = {
        "format": MAGIC, "version": VERSION, "kdf": kdf.name, **kdf.params,
        "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(sealed).decode(),
    }
    return json.dumps(envelope, indent=2).encode("utf-8")


def is_encrypted(data: bytes) -> bool:
    if MAGIC.encode() not in data[:4096] or not data.lstrip().startswith(b"{"):
        return False
    try:
        return json.loads(data.decode("utf-8")).get("format") == MAGIC
    except (ValueError, UnicodeDecodeError, AttributeError, RecursionError):
        return False


def _exact_int(value: Any) -> int | None:
    # bool is an int in Python, and 32768.0 == 32768: the envelope must hold the integer itself.
    return value if type(value) is int else None


def _b64(envelope: dict[str, Any], name: str, size: int | None = None) -> bytes:
    value = envelope.get(name)
    if not isinstance(value, str):
        raise SaveFileError("unreadable", f"{name} missing")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SaveFileError("unreadable", f"{name} is not base64") from None
    if size is not None and len(raw) != size:
        raise SaveFileError("unreadable", f"{name} has the wrong length")
    return raw


def envelope_kdf(envelope: dict[str, Any]) -> Kdf:
    """The derivation an envelope may use: its version's, if it declares exactly that. Derives nothing."""
    version = _exact_int(envelope.get("version"))
    kdf = KDF_BY_VERSION.get(version) if version is not None else None
    if kdf is None or envelope.get("kdf") != kdf.name:
        raise SaveFileError("unreadable", "unknown encryption format")
    declared = {k: envelope.get(k) for k in kdf.params}
    if any(_exact_int(v) is None for v in declared.values()) or declared != kdf.params:
        # Refused before any work: the cost of opening a file is this code's, never the file's.
        raise SaveFileError("unreadable", "unexpected key derivation parameters")
    known = {"format", "version", "kdf", "salt", "nonce", "ciphertext", *kdf.params}
    if set(envelope) - known:
        raise SaveFileError("unreadable", "unknown envelope field")
    return kdf


def load(data: bytes, passphrase: str | None = None) -> Answers:
    """Parse an uploaded file. Raises :class:`SaveFileError`; never returns partial answers."""
    if len(data) > MAX_ANSWERS_BYTES:
        raise SaveFileError("too_large")
    if is_encrypted(data):
        envelope = json.loads(data.decode("utf-8"))
        if not isinstance(envelope, dict):
            raise SaveFileError("unreadable", "not an envelope")
        kdf = envelope_kdf(envelope)
        salt = _b64(envelope, "salt", SALT_BYTES)
        nonce = _b64(envelope, "nonce", NONCE_BYTES)
        sealed = _b64(envelope, "ciphertext")
        if not passphrase:
            raise SaveFileError("needs_passphrase")
        try:
            plain = AESGCM(_derive(kdf, passphrase, salt)).decrypt(nonce, sealed, _aad(envelope["version"]))
        except InvalidTag:
            raise SaveFileError("wrong_passphrase_or_changed") from None
        data = plain
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveFileError("unreadable", "not UTF-8 text") from None
    try:
        return parse_answers(text)
    except AnswersError as exc:
        raise SaveFileError("invalid", f"{exc.field}: {exc.message}") from None
    except ValueError:  # e.g. an integer literal over Python's 4,300-digit limit
        raise SaveFileError("unreadable", "not an answers file") from None
