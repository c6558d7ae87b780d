"""Who may do what with the records. Staff log in (a later slice builds the login); the store is told
who acts and checks the role before anything is read or written."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    VOLUNTEER = "volunteer"  # keeps cases: saves, finds, exports and deletes them on the person's request
    COORDINATOR = "coordinator"  # what a volunteer does, and the housekeeping (retention, key rotation)
    CAMPAIGNER = "campaigner"  # counts only: never reads a personal field
    SYSTEM = "system"  # the command line's housekeeping (retention, key rotation), no reading


CASEWORK = frozenset({"create", "list", "view", "update", "export", "delete"})  # "counts" is not casework
HOUSEKEEPING = frozenset({"expire", "rotate_keys"})
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.VOLUNTEER: CASEWORK,
    Role.COORDINATOR: CASEWORK | HOUSEKEEPING | {"counts"},
    Role.CAMPAIGNER: frozenset({"counts"}),
    Role.SYSTEM: HOUSEKEEPING,
}


@dataclass(frozen=True)
class Actor:
    """A staff account acting on the records: its login id (never a person served) and its role."""

    id: str
    role: Role

    def __post_init__(self) -> None:
        if not self.id or len(self.id) > 64:
            raise ValueError("a staff account id is 1 to 64 characters")

    def may(self, action: str) -> bool:
        return action in PERMISSIONS[self.role]


SYSTEM = Actor("system", Role.SYSTEM)
