"""Staff accounts: who may open consultation records, and what each role may do.

The person-facing app never needs a login; only staff pages (records, real-case counts) do. Where no
identity provider is configured, accounts live in a local JSON file outside the repository (``KH_STAFF_FILE``,
or ``staff.json`` in ``KH_DATA_DIR``), each with an Argon2id hash in the PHC string format from
``cryptography``: the file never holds a password, and a stolen copy costs an attacker one Argon2id
derivation per guess per account.

Roles (the issue's volunteer keeps a case from saving to deleting it on the person's request):

- ``volunteer``: save, find, update, export and delete consultations;
- ``coordinator``: a volunteer's rights, plus the housekeeping (retention, key rotation) and the counts;
- ``campaigner``: suppressed counts only, never a personal field.
"""

from __future__ import annotations

import json
import os
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from .passphrase import weakness
from .reading import ReadError, read_file

Role = Literal["volunteer", "coordinator", "campaigner"]
ROLES: tuple[Role, ...] = ("volunteer", "coordinator", "campaigner")
Permission = Literal["records.view", "records.edit", "records.export", "records.delete", "records.housekeeping",
                     "counts.view"]
CASEWORK: frozenset[Permission] = frozenset({"records.view", "records.edit", "records.export", "records.delete"})
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    "volunteer": CASEWORK,
    "coordinator": CASEWORK | {"records.housekeeping", "counts.view"},
    "campaigner": frozenset({"counts.view"}),
}

MIN_PASSWORD = 12  # staff open other people's records: longer than a save file's passphrase
MAX_FILE_BYTES = 1024 * 1024
# OWASP's first Argon2id configuration, as for save files (m in KiB).
ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_LANES = 19 * 1024, 2, 1
FAILURES_BEFORE_LOCK, LOCK_SECONDS = 5, 300
_derivations = threading.BoundedSemaphore(2)  # the machine's cores; a login storm queues instead of swapping


class StaffError(ValueError):
    """A refused account operation or login; ``reason`` is a stable code the page and CLI translate."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    password: str  # the PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash), never the password


@dataclass(frozen=True)
class Staff:
    """A logged-in staff member: what the session keeps (no hash, no password)."""

    name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]


def staff_file() -> Path:
    if explicit := os.environ.get("KH_STAFF_FILE"):
        return Path(explicit)
    data = os.environ.get("KH_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "kyosei-helper")
    return Path(data) / "staff.json"


def normal_name(name: str) -> str:
    """Names compare as people type them: NFKC (full-width letters), case-folded, outer spaces dropped."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _valid_name(name: str) -> str:
    n = normal_name(name)
    if not n or len(n) > 64 or any(unicodedata.category(c)[0] in "CZ" and c != " " for c in n):
        raise StaffError("bad_name")
    return n


def load(path: Path | None = None) -> dict[str, Account]:
    """The accounts, by normalised name; none if the file does not exist (records are then off)."""
    path = path or staff_file()
    if not path.exists():
        return {}
    try:
        data = json.loads(read_file(path, MAX_FILE_BYTES).decode("utf-8"))
    except (ReadError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StaffError("unreadable_file", type(exc).__name__) from exc
    accounts: dict[str, Account] = {}
    entries = data.get("accounts") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise StaffError("unreadable_file", "accounts")
    for i, entry in enumerate(entries):
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry.get("role") in ROLES
                and isinstance(entry.get("password"), str) and entry["password"].startswith("$argon2id$")):
            raise StaffError("unreadable_file", f"accounts[{i}]")
        accounts[normal_name(entry["name"])] = Account(entry["name"], entry["role"], entry["password"])
    return accounts


def save(accounts: dict[str, Account], path: Path | None = None) -> None:
    """Write the file whole and atomically, readable by its owner only."""
    path = path or staff_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = json.dumps({"version": 1, "accounts": [
        {"name": a.name, "role": a.role, "password": a.password} for a in accounts.values()]}, indent=2)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def hash_password(password: str) -> str:
    with _derivations:
        return Argon2id(salt=os.urandom(16), length=32, iterations=ARGON2_ITERATIONS, lanes=ARGON2_LANES,
                        memory_cost=ARGON2_MEMORY_KIB).derive_phc_encoded(
            password.encode("utf-8", "surrogatepass"))


def _matches(password: str, phc: str) -> bool:
    try:
        with _derivations:
            Argon2id.verify_phc_encoded(password.encode("utf-8", "surrogatepass"), phc)
    except (InvalidKey, ValueError):
        return False
    return True


def add(accounts: dict[str, Account], name: str, role: str, password: str) -> dict[str, Account]:
    """The accounts with one added or its password and role replaced; a weak password is refused."""
    key = _valid_name(name)
    if role not in ROLES:
        raise StaffError("bad_role", role)
    if len(password) < MIN_PASSWORD:
        raise StaffError("short_password")
    if (why := weakness(password, [name])) is not None:
        raise StaffError("weak_password", why)
    return {**accounts, key: Account(name.strip(), role, hash_password(password))}


def remove(accounts: dict[str, Account], name: str) -> dict[str, Account]:
    key = normal_name(name)
    if key not in accounts:
        raise StaffError("no_such_account")
    return {k: a for k, a in accounts.items() if k != key}


# A hash of nothing anybody knows: an unknown name costs the same derivation as a wrong password, so the
# time of a refusal does not tell which names exist.
_DUMMY = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$EBYYUD0+p4cd1759adWbdDWyU18D4iTq0KSyujp9Yfo"


class Logins:
    """Checks logins and locks a name out for a while after repeated failures (per process)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def login(self, accounts: dict[str, Account], name: str, password: str) -> Staff:
        key = normal_name(name)
        now = self._clock()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < LOCK_SECONDS]
            self._failures[key] = recent
            if len(recent) >= FAILURES_BEFORE_LOCK:
                raise StaffError("locked")
        account = accounts.get(key)
        ok = _matches(password, account.password if account else _DUMMY) and account is not None
        if not ok or account is None:
            with self._lock:
                self._failures.setdefault(key, []).append(now)
            raise StaffError("wrong_login")  # the same refusal for an unknown name and a wrong password
        with self._lock:
            self._failures.pop(key, None)
        return Staff(account.name, account.role)


LOGINS = Logins()
