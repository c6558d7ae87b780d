"""A throwaway PostgreSQL cluster for the storage tests: Debian's server binaries, a temporary folder,
port 55432 and a unix socket in that folder (no TCP listener). As root, the server runs as ``nobody``
(PostgreSQL refuses to run as root).

    cluster = Cluster.start_new()      # initdb + postgres
    url = cluster.create_database()    # a fresh database, as a SQLAlchemy URL
    cluster.kill()                     # SIGKILL the server and every backend at once
    cluster.start()                    # crash recovery, as after a power cut
    cluster.destroy()

Without the server binaries the tests are skipped, except under CI (``CI`` set), where they fail:
CI must prove the storage on PostgreSQL (tasks.py installs Debian's ``postgresql`` package).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

PORT = 55432
PREFERRED = "15"


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: p.split("/")[4] != PREFERRED)
    return Path(found[0]).parent if found else None


class Cluster:
    _names = itertools.count(1)

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin = bin_dir
        self.root = root
        self.data = root / "data"
        self.socket = root / "sock"
        self.process: subprocess.Popen[bytes] | None = None
        self._as: dict[str, Any] = {}
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            self._as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
            for path in (root, self.socket):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)

    @classmethod
    def start_new(cls) -> Cluster:
        bin_dir = server_bin()
        if bin_dir is None:
            raise FileNotFoundError("no PostgreSQL server binaries in /usr/lib/postgresql")
        root = Path(tempfile.mkdtemp(prefix="kh-pg-"))  # short: a socket path has at most 107 bytes
        root.chmod(0o700)
        (root / "sock").mkdir()
        cluster = cls(bin_dir, root)
        subprocess.run([str(bin_dir / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust",
                        "--no-locale", "-E", "UTF8", "--no-instructions"],
                       check=True, capture_output=True, cwd=root, **cluster._as)
        cluster.start()
        return cluster

    def start(self, timeout: float = 60) -> None:
        log = open(self.root / "server.log", "ab")  # noqa: SIM115 - the server keeps it
        # postgres itself, not pg_ctl: it is then the leader of its own process group, so that kill()
        # ends it and its backends in one signal, like a crash of the machine would.
        self.process = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(PORT), "-k", str(self.socket),
             "-c", "listen_addresses=", "-c", "fsync=on", "-c", "synchronous_commit=on",
             "-c", "full_page_writes=on"],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.root, **self._as)
        log.close()
        deadline = time.monotonic() + timeout
        import psycopg

        while True:
            try:
                psycopg.connect(host=str(self.socket), port=PORT, user="postgres", dbname="postgres",
                                connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start: "
                                       + (self.root / "server.log").read_text(errors="replace")[-2000:]) from None
                time.sleep(0.1)

    def kill(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        # the backends are in the same group; wait until none holds the shared memory
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _group_alive(self.process.pid):
            time.sleep(0.05)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)  # fast shutdown
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@/{dbname}?host={self.socket}&port={PORT}"

    def create_database(self) -> str:
        import psycopg

        name = f"kh_test_{next(self._names)}"
        with psycopg.connect(host=str(self.socket), port=PORT, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------- pytest fixtures (import them into a test module)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def pg_cluster() -> Any:
    if server_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the storage tests on PostgreSQL: install Debian's postgresql package")
        pytest.skip("PostgreSQL server binaries are not installed (Debian package postgresql)")
    cluster = Cluster.start_new()
    yield cluster
    cluster.destroy()
