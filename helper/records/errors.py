"""The store's errors. Each carries a stable ``reason`` and a translatable ``message`` (marked with N_),
and none ever quotes a value from a record: messages name what went wrong, never whose data it was."""

from __future__ import annotations

from ..text import N_

DATABASE_DOWN = N_("The records database cannot be reached. Nothing was saved; the answers in this session are "
                   "still here. Try again later or ask the coordinator.")
NO_KEYS = N_("No record key is set, so records cannot be opened or saved. The coordinator sets KH_RECORD_KEYS "
             "(see docs/records.md).")
WRONG_KEY = N_("This record was locked with a key that is not set here, so it cannot be opened.")
BAD_KEYS = N_("The record keys setting is malformed: each key is id:key, separated by commas, newest first.")
NOT_ALLOWED = N_("Your role does not allow this.")
NOT_FOUND = N_("There is no such record. It may have been deleted.")
NO_CONSENT = N_("Nothing can be saved without the person's consent.")
DATA_DIR_IN_CLONE = N_("The records folder must be outside the program's folder, so that the data is never "
                       "copied or published with the code. Set KH_DATA_DIR to another folder.")


class RecordsError(Exception):
    """Base of the store's errors: ``reason`` is a stable code, ``message`` the English text to translate."""

    reason = "records"
    message = ""

    def __init__(self, detail: str = "") -> None:
        # The detail is for logs and tests (a key id, a table name), never a person's value.
        super().__init__(f"{self.reason}: {detail}" if detail else self.reason)
        self.detail = detail


class StoreUnavailable(RecordsError):
    reason, message = "database_down", DATABASE_DOWN


class KeysMissing(RecordsError):
    reason, message = "no_keys", NO_KEYS


class KeysMalformed(RecordsError):
    reason, message = "bad_keys", BAD_KEYS


class UndecryptableRecord(RecordsError):
    reason, message = "wrong_key", WRONG_KEY


class NotAllowed(RecordsError):
    reason, message = "not_allowed", NOT_ALLOWED


class RecordNotFound(RecordsError):
    reason, message = "not_found", NOT_FOUND


class ConsentMissing(RecordsError):
    reason, message = "no_consent", NO_CONSENT


class DataDirInsideClone(RecordsError):
    reason, message = "data_dir_in_clone", DATA_DIR_IN_CLONE
