"""``python -m helper records new-key|rotate-keys|purge-expired|upgrade``: the records' housekeeping.

The database is ``DATABASE_URL`` or the default SQLite file (docs/records.md); the keys come from
``KH_RECORD_KEYS``. Nothing about a person is printed: counts and key ids only.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from .errors import RecordsError


def _store() -> Any:
    from .store import Store

    return Store.open()


def cmd_new_key(args: argparse.Namespace, out: TextIO) -> int:
    from .keys import new_key

    print(new_key(args.id), file=out)
    return 0


def cmd_rotate(args: argparse.Namespace, out: TextIO) -> int:
    store = _store()
    try:
        report = store.rotate_keys()
        use = store.key_use()
    finally:
        store.close()
    print(f"rotated: {report.resealed} values in {report.rows} rows sealed anew with key {store.keys.newest}; "
          f"values per key now: {', '.join(f'{k} {n}' for k, n in use.items()) or 'none'}", file=out)
    return 0


def cmd_purge(args: argparse.Namespace, out: TextIO) -> int:
    store = _store()
    try:
        deleted = store.purge_expired()
    finally:
        store.close()
    print(f"deleted {deleted} cases unchanged for {store.retention_days} days", file=out)
    return 0


def cmd_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    _store().close()  # opening runs the migrations
    print("the records database is at the newest schema", file=out)
    return 0


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        return int(args.records_func(args, out))
    except RecordsError as exc:
        print(f"error: records: {exc.message}", file=sys.stderr)  # the reason, never a value
        return 2


def add_parser(sub: Any) -> None:
    """Register ``records`` and its subcommands on the main parser's subparsers."""
    rec = sub.add_parser("records", help="consultation records: keys, key rotation, retention (docs/records.md)")
    rsub = rec.add_subparsers(dest="records_command", required=True)
    nk = rsub.add_parser("new-key", help="print a new id:key entry for KH_RECORD_KEYS (put it first)")
    nk.add_argument("--id", help="the key's id (default: random)")
    nk.set_defaults(records_func=cmd_new_key)
    rsub.add_parser("rotate-keys", help="seal every stored value anew with the first key of KH_RECORD_KEYS"
                    ).set_defaults(records_func=cmd_rotate)
    rsub.add_parser("purge-expired", help="delete the cases unchanged for the retention period (default 180 days)"
                    ).set_defaults(records_func=cmd_purge)
    rsub.add_parser("upgrade", help="bring the database to the newest schema").set_defaults(records_func=cmd_upgrade)
    rec.set_defaults(func=run)
