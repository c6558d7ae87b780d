"""Save files: round trip, passphrases, tampering, hostile envelopes."""

from __future__ import annotations

import base64
import json

import pytest

from helper.answers import Answers
from helper.savefile import SaveFileError, dump, is_encrypted, load

A = Answers.model_validate({"version": 1, "municipality": "27123",
                            "person": {"age": 41, "residence_status": "provisional_release"},
                            "applicant": {"name": "ミン・アウン", "nationality": "ミャンマー"}})


def test_plain_round_trip() -> None:
    data = dump(A)
    assert not is_encrypted(data)
    assert load(data) == A


def test_encrypted_round_trip_hides_everything() -> None:
    data = dump(A, "a long passphrase")
    assert is_encrypted(data)
    for secret in (b"provisional_release", "ミン".encode(), b"27123"):
        assert secret not in data
    assert load(data, "a long passphrase") == A


@pytest.mark.parametrize(("passphrase", "reason"), [(None, "needs_passphrase"), ("wrong passphrase",
                                                                                 "wrong_passphrase_or_changed")])
def test_encrypted_file_needs_the_right_passphrase(passphrase: str | None, reason: str) -> None:
    with pytest.raises(SaveFileError) as err:
        load(dump(A, "a long passphrase"), passphrase)
    assert err.value.reason == reason


def test_every_changed_byte_of_the_ciphertext_is_detected() -> None:
    envelope = json.loads(dump(A, "a long passphrase"))
    sealed = bytearray(base64.b64decode(envelope["ciphertext"]))
    for i in range(0, len(sealed), max(1, len(sealed) // 25)):
        changed = bytearray(sealed)
        changed[i] ^= 0x01
        envelope["ciphertext"] = base64.b64encode(bytes(changed)).decode()
        with pytest.raises(SaveFileError, match="wrong_passphrase_or_changed"):
            load(json.dumps(envelope).encode(), "a long passphrase")


def test_key_derivation_parameters_cannot_be_raised_to_exhaust_memory() -> None:
    envelope = json.loads(dump(A, "a long passphrase"))
    envelope["n"] = 2**30
    with pytest.raises(SaveFileError, match="unreadable"):
        load(json.dumps(envelope).encode(), "a long passphrase")


def test_short_passphrases_are_refused() -> None:
    with pytest.raises(SaveFileError, match="short_passphrase"):
        dump(A, "short")


def test_invalid_answers_inside_are_reported_as_invalid() -> None:
    with pytest.raises(SaveFileError, match="invalid"):
        load(b'{"version": 1, "person": {"age": -1}}')
