"""Benchmarks and the full fault loops of the consultation records. Prints one ``name: value unit`` line each.

    python bench/records.py                 both databases, the issue's full counts (1,000 and 100 loops)
    python bench/records.py sqlite 200      one database, another count

The kill-during-write loops are those of tests/test_records_faults.py (the suite runs fewer): a writer is
killed at a random moment (on PostgreSQL, the server), then every acknowledged record must be there and
whole. A failed check ends the run with a traceback. Also reported: sealing and opening one value.
PostgreSQL needs Debian's server binaries (tests/postgres.py starts a throwaway cluster on port 55432).
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helper.records.keys import new_key, parse_keys  # noqa: E402
from tests import postgres  # noqa: E402
from tests.test_records_faults import FULL_LOOPS, kill_loops  # noqa: E402


def seal_open_us(runs: int = 2000) -> tuple[float, float]:
    ring = parse_keys(new_key("k1"))
    value = "x" * 200
    seal, opened = [], []
    for n in range(runs):
        start = time.perf_counter()
        token = ring.seal(value, f"people.notes:{n}")
        seal.append(time.perf_counter() - start)
        start = time.perf_counter()
        ring.open(token, f"people.notes:{n}")
        opened.append(time.perf_counter() - start)
    return statistics.median(seal) * 1e6, statistics.median(opened) * 1e6


def sqlite_loops(loops: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        acks, seconds = kill_loops(f"sqlite:///{Path(folder) / 'records.sqlite3'}", loops,
                                   lambda proc: proc.send_signal(signal.SIGKILL))
    print(f"sqlite_kill_loops: {loops} loops")
    print(f"sqlite_acknowledged_kept: {acks} records (all of those acknowledged)")
    print(f"sqlite_kill_loops_time: {seconds} s")


def postgresql_loops(loops: int) -> None:
    if postgres.server_bin() is None:
        print("postgresql_kill_loops: 0 loops (no server binaries)")
        return
    cluster = postgres.Cluster.start_new()
    try:
        acks, seconds = kill_loops(cluster.create_database(), loops, lambda _proc: cluster.kill(),
                                   after=cluster.start)
    finally:
        cluster.destroy()
    print(f"postgresql_kill_loops: {loops} loops")
    print(f"postgresql_acknowledged_kept: {acks} records (all of those acknowledged)")
    print(f"postgresql_kill_loops_time: {seconds} s")


def main(argv: list[str]) -> None:
    os.environ["KH_RECORD_KEYS"] = new_key("k1")
    seal, opened = seal_open_us()
    print(f"seal_value_us: {seal:.1f} us")
    print(f"open_value_us: {opened:.1f} us")
    which = argv[:1] or ["sqlite", "postgresql"]
    for name in which:
        loops = int(argv[1]) if len(argv) > 1 else FULL_LOOPS[name]
        {"sqlite": sqlite_loops, "postgresql": postgresql_loops}[name](loops)
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
