"""``python -m helper staff``: the local staff accounts (add, list, remove), for an operator's shell."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from . import staff

MESSAGES = {
    "bad_name": "a name is 1 to 64 characters with no control characters",
    "bad_role": "the role is one of: " + ", ".join(staff.ROLES),
    "short_password": f"the password needs at least {staff.MIN_PASSWORD} characters",
    "weak_password": "the password is too easy to guess; use several unrelated words",
    "no_such_account": "there is no account with that name",
    "unreadable_file": "the staff file cannot be read (it is not the file this tool writes)",
    "mismatch": "the two passwords differ",
}


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise staff.StaffError("mismatch")
    return first


def cmd_staff(args: argparse.Namespace, out: TextIO) -> int:
    path = staff.staff_file()
    try:
        accounts = staff.load(path)
        if args.action == "list":
            for a in accounts.values():
                out.write(f"{a.name}\t{a.role}\n")
            if not accounts:
                out.write(f"no staff accounts in {path}: consultation records are off\n")
            return 0
        if args.action == "add":
            accounts = staff.add(accounts, args.name, args.role, _password(args))
        else:
            accounts = staff.remove(accounts, args.name)
        staff.save(accounts, path)
    except staff.StaffError as exc:
        print(f"error: {MESSAGES.get(exc.reason, exc.reason)}", file=sys.stderr)
        return 2
    out.write(f"{args.action}: {args.name} ({path})\n")
    return 0


def register(sub: Any) -> None:
    sp = sub.add_parser("staff", help="staff accounts for consultation records (in KH_STAFF_FILE or KH_DATA_DIR)")
    actions = sp.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add an account, or set its role and password")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=staff.ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    remove = actions.add_parser("remove", help="remove an account")
    remove.add_argument("name")
    actions.add_parser("list", help="list the accounts and their roles")
    sp.set_defaults(func=cmd_staff)
