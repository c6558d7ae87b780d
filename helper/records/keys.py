"""Field-level encryption of personal fields: AES-256-GCM with a key id in every sealed value.

Keys come from the environment (``KH_RECORD_KEYS``) or, in the app, from Streamlit secrets (the same
name), never from the database: ``id:key,id:key`` with the newest first, each key 32 random bytes in
URL-safe base64 (``python -m helper records new-key`` prints one). New values are sealed with the newest
key; a value sealed with any listed key opens; ``rotate-keys`` re-seals every value with the newest key,
after which the older keys can be dropped from the setting.

A sealed value is ``kh1.<key id>.<base64 of nonce + ciphertext + tag>``. The associated data binds it to
its table, column and row, so a sealed value copied into another row or column does not open there.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .errors import KeysMalformed, KeysMissing, UndecryptableRecord

ENV = "KH_RECORD_KEYS"
PREFIX = "kh1"
NONCE_BYTES, KEY_BYTES = 12, 32
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class KeyRing:
    """The record keys, newest first. ``repr`` never shows a key."""

    keys: tuple[tuple[str, bytes], ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeysMissing()
        ids = [k for k, _ in self.keys]
        if len(set(ids)) != len(ids):
            raise KeysMalformed("a key id is listed twice")

    def __repr__(self) -> str:
        return f"KeyRing(ids={self.ids})"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.keys)

    @property
    def newest(self) -> str:
        return self.keys[0][0]

    def _key(self, key_id: str) -> bytes | None:
        return next((k for i, k in self.keys if i == key_id), None)

    def seal(self, plain: str, context: str) -> str:
        key_id, key = self.keys[0]
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plain.encode("utf-8"), _aad(context))
        return f"{PREFIX}.{key_id}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def open(self, token: str, context: str) -> str:
        prefix, key_id, body = _split(token)
        key = self._key(key_id)
        if key is None:
            raise UndecryptableRecord(f"sealed with key {key_id}, which is not set")
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(context))
        except (InvalidTag, binascii.Error, ValueError):
            raise UndecryptableRecord(f"does not open with key {key_id}") from None
        return plain.decode("utf-8")

    def reseal(self, token: str, context: str) -> str | None:
        """The value sealed with the newest key, or None if it already is."""
        if key_id_of(token) == self.newest:
            return None
        return self.seal(self.open(token, context), context)


def _aad(context: str) -> bytes:
    return f"kyosei-helper/records/{PREFIX}|{context}".encode()


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise UndecryptableRecord("not a sealed value")
    return parts[0], parts[1], parts[2]


def key_id_of(token: str) -> str:
    return _split(token)[1]


def new_key(key_id: str | None = None) -> str:
    """A fresh ``id:key`` entry for KH_RECORD_KEYS."""
    key_id = key_id or f"k{secrets.token_hex(4)}"
    if not KEY_ID.match(key_id):
        raise KeysMalformed("a key id is 1 to 32 letters, digits, - or _")
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode('ascii')}"


def parse_keys(setting: str) -> KeyRing:
    entries = [e.strip() for e in setting.split(",") if e.strip()]
    if not entries:
        raise KeysMissing()
    keys = []
    for n, entry in enumerate(entries, 1):
        key_id, sep, encoded = entry.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise KeysMalformed(f"entry {n} is not id:key")  # never echo the entry: it holds a key
        try:
            key = base64.urlsafe_b64decode(encoded.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise KeysMalformed(f"entry {n}: the key is not base64") from None
        if len(key) != KEY_BYTES:
            raise KeysMalformed(f"entry {n}: the key is not {KEY_BYTES} bytes")
        keys.append((key_id, key))
    return KeyRing(tuple(keys))


def _streamlit_secret() -> str | None:
    """KH_RECORD_KEYS from Streamlit secrets, when running in the app and the secrets file sets it."""
    import sys

    if "streamlit" not in sys.modules:  # the command line and tests never read a secrets file by surprise
        return None
    try:
        import streamlit as st

        value = st.secrets.get(ENV)
    except Exception:  # no secrets file, or not inside a Streamlit run: simply no key from there
        return None
    return str(value) if value else None


def keys_from_environment(environ: Mapping[str, str] | None = None) -> KeyRing:
    setting = (environ if environ is not None else os.environ).get(ENV) or _streamlit_secret()
    if not setting:
        raise KeysMissing()
    return parse_keys(setting)
