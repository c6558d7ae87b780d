"""CSV tables behind table parameters: big tables (a row per municipality, per prefecture and 級地)
stay readable and diffable as CSV beside the YAML that dates and cites them.

A table file is UTF-8 CSV. Lines starting with ``#`` are comments (the table's source, how it was
made); the first other line is the header: the parameter's key columns, then its value columns, in the
order the parameter declares them. Keys are text (``"27100"``); a value cell is a whole number or text
as its column declares, or empty for "no value here".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import reading, strict_yaml

_INT = re.compile(r"^-?[0-9]+$")


@dataclass(frozen=True, slots=True)
class Table:
    """A loaded table: rows by key (a tuple of key cells), cells in the declared column order."""

    file: str
    columns: tuple[str, ...]
    rows: dict[tuple[str, ...], tuple[Any, ...]]

    def row(self, key: tuple[str, ...]) -> tuple[Any, ...] | None:
        return self.rows.get(key)


@dataclass(frozen=True, slots=True)
class TableProblem:
    line: int | None
    field: str
    message: str


def read_table(path: Path, display: str, keys: tuple[str, ...],
               columns: dict[str, str]) -> tuple[Table | None, list[TableProblem]]:
    """Read and check ``path``; problems name the line and the column, and no table is returned then."""
    try:  # bounded like every rule file: a regular file of at most strict_yaml.MAX_BYTES
        text = reading.read_file(path, strict_yaml.MAX_BYTES).decode("utf-8")
    except reading.ReadError as exc:
        return None, [TableProblem(None, "(file)", "no such table file" if exc.template == reading.NO_SUCH_FILE
                                   else exc.message)]
    except UnicodeDecodeError:
        return None, [TableProblem(None, "(file)", "not UTF-8 text")]
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.startswith("#")]
    if not lines:
        return None, [TableProblem(None, "(header)", "the table is empty")]
    expected = [*keys, *columns]
    header_line, header = lines[0][0], next(csv.reader([lines[0][1]]))
    if header != expected:
        return None, [TableProblem(header_line, "(header)", f"expected the columns {','.join(expected)}, "
                                                            f"found {','.join(header)}")]
    kinds = [columns[c] for c in columns]
    problems: list[TableProblem] = []
    rows: dict[tuple[str, ...], tuple[Any, ...]] = {}
    for (n, _line), cells in zip(lines[1:], csv.reader(line for _n, line in lines[1:]), strict=True):
        if len(cells) != len(expected):
            problems.append(TableProblem(n, "(row)", f"expected {len(expected)} cells, found {len(cells)}"))
            continue
        key = tuple(c.strip() for c in cells[:len(keys)])
        if any(not k for k in key):
            problems.append(TableProblem(n, keys[0], "a key cell is empty"))
            continue
        if key in rows:
            problems.append(TableProblem(n, keys[0], f"the key {','.join(key)} appears twice"))
            continue
        values: list[Any] = []
        for name, kind, cell in zip(columns, kinds, cells[len(keys):], strict=True):
            cell = cell.strip()
            if not cell:
                values.append(None)
            elif kind == "number":
                if _INT.match(cell) and len(cell.lstrip("-")) <= strict_yaml.MAX_DIGITS:
                    values.append(int(cell))
                else:
                    shown = cell if len(cell) <= 20 else cell[:20] + "…"
                    problems.append(TableProblem(n, name, f"'{shown}' is not a whole number of at most "
                                                          f"{strict_yaml.MAX_DIGITS} digits"))
                    values.append(None)
            else:
                values.append(cell)
        rows[key] = tuple(values)
    if problems:
        return None, problems
    return Table(display, tuple(columns), rows), []
