"""Save and resume without an account: the answers file, optionally encrypted with a passphrase.

Encrypted files are a small JSON envelope: scrypt derives a key from the passphrase and a random
salt, AES-256-GCM encrypts the answers file and authenticates it, so a wrong passphrase or a changed
byte is detected. Nothing is kept on the server; the person keeps the file.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .answers import MAX_ANSWERS_BYTES, Answers, AnswersError, parse_answers

MAGIC = "kyosei-helper/encrypted-answers"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSPHRASE = 8


class SaveFileError(ValueError):
    """A file that cannot be resumed; ``reason`` is a stable code the page translates."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _key(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def dump(answers: Answers, passphrase: str | None = None) -> bytes:
    """The answers file as bytes: plain JSON, or the encrypted envelope with a passphrase."""
    plain = answers.model_dump_json(exclude_none=True, indent=2).encode("utf-8")
    if not passphrase:
        return plain
    if len(passphrase) < MIN_PASSPHRASE:
        raise SaveFileError("short_passphrase")
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_key(passphrase, salt)).encrypt(nonce, plain, MAGIC.encode())
    envelope = {
        "format": MAGIC, "version": 1, "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
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


def load(data: bytes, passphrase: str | None = None) -> Answers:
    """Parse an uploaded file. Raises :class:`SaveFileError`; never returns partial answers."""
    if len(data) > MAX_ANSWERS_BYTES:
        raise SaveFileError("too_large")
    if is_encrypted(data):
        envelope: dict[str, Any] = json.loads(data.decode("utf-8"))
        if not passphrase:
            raise SaveFileError("needs_passphrase")
        try:
            if envelope.get("kdf") != "scrypt" or envelope.get("version") != 1:
                raise SaveFileError("unreadable", "unknown encryption format")
            n, r, p = int(envelope["n"]), int(envelope["r"]), int(envelope["p"])
            if not (2**14 <= n <= 2**20 and r == 8 and p == 1):  # refuse parameters chosen to exhaust memory
                raise SaveFileError("unreadable", "unexpected key derivation parameters")
            salt = base64.b64decode(envelope["salt"], validate=True)
            nonce = base64.b64decode(envelope["nonce"], validate=True)
            sealed = base64.b64decode(envelope["ciphertext"], validate=True)
            plain = AESGCM(_key(passphrase, salt, n, r, p)).decrypt(nonce, sealed, MAGIC.encode())
        except InvalidTag:
            raise SaveFileError("wrong_passphrase_or_changed") from None
        except (KeyError, ValueError, TypeError) as exc:
            raise SaveFileError("unreadable", str(exc)) from None
        data = plain
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveFileError("unreadable", "not UTF-8 text") from None
    try:
        return parse_answers(text)
    except AnswersError as exc:
        raise SaveFileError("invalid", f"{exc.field}: {exc.message}") from None
