"""Save files: round trip, passphrases, tampering, hostile envelopes, the cost of opening one."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from helper import savefile
from helper.answers import Answers
from helper.savefile import MAGIC, SaveFileError, dump, is_encrypted, load

ROOT = Path(__file__).resolve().parents[1]
PASS = "a long passphrase"
A = Answers.model_validate({"version": 1, "municipality": "27123",
                            "person": {"age": 41, "residence_status": "provisional_release"},
                            "applicant": {"name": "ミン・アウン", "nationality": "ミャンマー"}})


def envelope(answers: Answers = A, passphrase: str = PASS) -> dict[str, Any]:
    return json.loads(dump(answers, passphrase))


def version_1_file(answers: Answers, passphrase: str, n: int = 2**15) -> bytes:
    """A file as the version-1 writer made it (scrypt N=2^15, r=8, p=1, the magic as associated data)."""
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode())
    sealed = AESGCM(key).encrypt(nonce, answers.model_dump_json(exclude_none=True).encode(), MAGIC.encode())
    return json.dumps({"format": MAGIC, "version": 1, "kdf": "scrypt", "n": n, "r": 8, "p": 1,
                       "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
                       "ciphertext": base64.b64encode(sealed).decode()}).encode()


def test_plain_round_trip() -> None:
    data = dump(A)
    assert not is_encrypted(data)
    assert load(data) == A


def test_encrypted_round_trip_hides_everything() -> None:
    data = dump(A, PASS)
    assert is_encrypted(data)
    for secret in (b"provisional_release", "ミン".encode(), b"27123"):
        assert secret not in data
    assert load(data, PASS) == A


def test_new_files_use_argon2id_at_the_owasp_minimum() -> None:
    env = envelope()
    assert (env["version"], env["kdf"], env["m"], env["t"], env["p"]) == (2, "argon2id", 19 * 1024, 2, 1)


def test_version_1_files_written_with_the_old_parameters_still_open() -> None:
    assert load(version_1_file(A, PASS), PASS) == A
    with pytest.raises(SaveFileError, match="wrong_passphrase_or_changed"):
        load(version_1_file(A, PASS), "another long passphrase")


def test_a_version_1_file_with_any_other_cost_is_refused() -> None:
    # the old reader accepted N up to 2^20; no genuine file used more than 2^15
    with pytest.raises(SaveFileError, match="unexpected key derivation parameters"):
        load(version_1_file(A, PASS, n=2**14), PASS)


@pytest.mark.parametrize(("passphrase", "reason"), [(None, "needs_passphrase"), ("wrong passphrase",
                                                                                 "wrong_passphrase_or_changed")])
def test_encrypted_file_needs_the_right_passphrase(passphrase: str | None, reason: str) -> None:
    with pytest.raises(SaveFileError) as err:
        load(dump(A, PASS), passphrase)
    assert err.value.reason == reason


def test_every_changed_byte_of_the_ciphertext_is_detected() -> None:
    env = envelope()
    sealed = bytearray(base64.b64decode(env["ciphertext"]))
    for i in range(0, len(sealed), max(1, len(sealed) // 25)):
        changed = bytearray(sealed)
        changed[i] ^= 0x01
        env["ciphertext"] = base64.b64encode(bytes(changed)).decode()
        with pytest.raises(SaveFileError, match="wrong_passphrase_or_changed"):
            load(json.dumps(env).encode(), PASS)


@pytest.mark.parametrize("name", ["salt", "nonce"])
def test_a_changed_salt_or_nonce_is_detected(name: str) -> None:
    env = envelope()
    raw = bytearray(base64.b64decode(env[name]))
    raw[0] ^= 0x80
    env[name] = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(SaveFileError, match="wrong_passphrase_or_changed"):
        load(json.dumps(env).encode(), PASS)


def test_a_version_2_file_relabelled_version_1_is_refused() -> None:
    env = envelope()
    env["version"] = 1  # with argon2id parameters: not version 1's derivation
    with pytest.raises(SaveFileError, match="unknown encryption format"):
        load(json.dumps(env).encode(), PASS)


HOSTILE: dict[str, dict[str, Any]] = {
    # cost raised to exhaust memory or time
    "argon2 m 4 GiB": {"m": 4 * 1024 * 1024},
    "argon2 t huge": {"t": 10**6},
    "argon2 p huge": {"p": 2**24 - 1},
    "scrypt N 2^20": {"kdf": "scrypt", "n": 2**20, "r": 8, "p": 1},
    "scrypt N 2^30": {"kdf": "scrypt", "n": 2**30, "r": 8, "p": 1},
    "v1 scrypt N 2^20": {"version": 1, "kdf": "scrypt", "n": 2**20, "r": 8, "p": 1, "m": None, "t": None},
    "v1 scrypt r huge": {"version": 1, "kdf": "scrypt", "n": 2**15, "r": 2**20, "p": 1, "m": None, "t": None},
    "v1 scrypt p huge": {"version": 1, "kdf": "scrypt", "n": 2**15, "r": 8, "p": 2**20, "m": None, "t": None},
    # version 2 pretending, with parameters cheap to brute-force
    "argon2 cheap": {"m": 8, "t": 1},
    "argon2 m one less": {"m": 19 * 1024 - 1},
    "negative": {"m": -19456},
    "zero": {"t": 0},
    # not integers, or integers in disguise
    "float": {"m": 19456.0},
    "string": {"t": "2"},
    "bool for p=1": {"p": True},
    "null": {"m": None},
    "list": {"t": [2]},
    "huge integer literal": {"m": "@BIG@"},
    # missing or unknown fields
    "missing m": {"m": None},
    "missing kdf": {"kdf": None},
    "missing version": {"version": None},
    "unknown kdf": {"kdf": "pbkdf2"},
    "kdf case": {"kdf": "Argon2id"},
    "version 3": {"version": 3},
    "version string": {"version": "2"},
    "version float": {"version": 2.0},
    "version bool": {"version": True},
    "extra field": {"memory_limit": 1},
    "missing salt": {"salt": None},
    "short salt": {"salt": base64.b64encode(b"x").decode()},
    "salt not base64": {"salt": "***"},
    "long nonce": {"nonce": base64.b64encode(b"y" * 64).decode()},
    "missing ciphertext": {"ciphertext": None},
    "ciphertext not text": {"ciphertext": 12},
}


def hostile(changes: dict[str, Any]) -> bytes:
    env = envelope()
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return json.dumps(env).encode().replace(b'"@BIG@"', b"9" * 5000)


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_envelopes_are_refused_before_any_key_derivation(label: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    data = hostile(HOSTILE[label])
    derived = []
    monkeypatch.setattr(savefile.Kdf, "derive", lambda *a: derived.append(a) or b"\0" * 32)
    with pytest.raises(SaveFileError) as err:
        load(data, PASS)
    assert err.value.reason in {"unreadable", "invalid"}
    assert derived == [], "a key was derived for a refused envelope"


def test_the_genuine_envelope_does_derive_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counterpart of the test above: the spy sees a derivation when there is one."""
    data = hostile({})
    derived = []
    real = savefile.Kdf.derive
    monkeypatch.setattr(savefile.Kdf, "derive", lambda *a: derived.append(a) or real(*a))
    assert load(data, PASS) == A
    assert len(derived) == 1


PEAK = textwrap.dedent("""
    import sys
    from helper.savefile import SaveFileError, load

    def peak():  # KiB; VmHWM is this process's own peak (getrusage's ru_maxrss inherits the parent's)
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

    data = sys.stdin.buffer.read()
    before = peak()
    try:
        load(data, sys.argv[1])
        outcome = "loaded"
    except SaveFileError as exc:
        outcome = exc.reason
    print(outcome, peak() - before)
""")


def peak_growth(data: bytes) -> tuple[str, int]:
    """Load a file in a fresh process: the outcome and how far loading raised its peak memory (KiB)."""
    out = subprocess.run([sys.executable, "-c", PEAK, PASS], input=data, capture_output=True, cwd=ROOT,
                         timeout=120, check=True).stdout.split()
    return out[0].decode(), int(out[1])


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")


@needs_proc
def test_a_hostile_envelope_is_refused_without_the_memory_it_asks_for() -> None:
    # Before the fix, scrypt N=2^20 made the server allocate 1 GiB before checking the passphrase.
    for changes in ({"kdf": "scrypt", "version": 1, "n": 2**20, "r": 8, "p": 1, "m": None, "t": None},
                    {"m": 4 * 1024 * 1024}, {"t": 10**6, "m": 2**21}):
        outcome, growth = peak_growth(hostile(changes))
        assert outcome == "unreadable"
        assert growth < 4 * 1024, f"refusing {changes} raised the peak by {growth} KiB"


@needs_proc
def test_the_measure_sees_a_real_derivation_and_its_fixed_cost() -> None:
    """The counterpart: genuine files do cost their version's memory (19 MiB, 32 MiB), and no more."""
    outcome, growth = peak_growth(dump(A, PASS))
    assert outcome == "loaded" and 15 * 1024 < growth < 19 * 1024 + 8 * 1024, growth
    outcome, growth = peak_growth(version_1_file(A, PASS))
    assert outcome == "loaded" and 28 * 1024 < growth < 32 * 1024 + 8 * 1024, growth
    outcome, growth = peak_growth(dump(A, PASS).replace(b'"t": 2', b'"t": 3'))
    assert outcome == "unreadable" and growth < 4 * 1024, growth


def test_no_more_than_two_derivations_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many uploads at once cost at most 2 x 32 MiB: the other sessions wait for their turn."""
    data = dump(A, PASS)
    running, most = 0, 0
    lock = threading.Lock()
    real = savefile.Kdf.derive

    def counted(*args: Any) -> bytes:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return real(*args)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(savefile.Kdf, "derive", counted)
    with ThreadPoolExecutor(8) as pool:
        assert all(a == A for a in pool.map(lambda _: load(data, PASS), range(8)))
    assert most == savefile.CONCURRENT_DERIVATIONS == 2
    assert savefile.MAX_KDF_MEMORY == 32 * 1024 * 1024


def test_short_passphrases_are_refused() -> None:
    with pytest.raises(SaveFileError, match="short_passphrase"):
        dump(A, "short")


@pytest.mark.parametrize(("passphrase", "why"), [
    ("password1234", "common"), ("qwertyuiop", "common"), ("aaaaaaaaaaaa", "repeat"),
    ("lmnopqrstu", "sequence"), ("ミンアウン1990", "own_details"), ("minaung1990", "own_details"),
    ("zxcvbnm,./", "keyboard"),
])
def test_guessable_passphrases_are_refused_with_the_reason(passphrase: str, why: str) -> None:
    with pytest.raises(SaveFileError) as err:
        dump(A.model_copy(update={"applicant": A.applicant.model_copy(update={"name": "Min Aung"})})
             if passphrase.startswith("min") else A, passphrase)
    assert (err.value.reason, err.value.detail) == ("weak_passphrase", why)


@pytest.mark.parametrize("passphrase", ["river lamp orange quietly", "kitchen mango", "みかん でんしゃ あおい そら"])
def test_a_few_unrelated_words_are_accepted(passphrase: str) -> None:
    assert load(dump(A, passphrase), passphrase) == A


def test_invalid_answers_inside_are_reported_as_invalid() -> None:
    with pytest.raises(SaveFileError, match="invalid"):
        load(b'{"version": 1, "person": {"age": -1}}')


def test_letter_edits_round_trip_and_old_files_without_them_stay_valid() -> None:
    edits = {"welfare_application": {"applicant.phone": "06-1234-5678", "letter.reasons": ["job_loss"],
                                     "letter.no_family_inquiry": True, "letter.addressee": ""}}
    with_edits = A.model_copy(update={"letter_edits": edits})
    assert load(dump(with_edits, PASS), PASS).letter_edits == edits
    assert load(dump(A)).letter_edits is None
