"""Start the app's server with the guards of ``helper/server_guard.py`` in place from the first request.

    python -m helper.serve [streamlit options, e.g. --server.port=8501]

The same as ``streamlit run app.py``, except that

- the guards are installed before the server starts (``streamlit run`` would install them only when the
  first session runs ``app.py``);
- the config files are read once, at the start, not polled for changes (see :func:`no_config_reloading`);
- freed memory is overwritten. CPython and the C library leave the bytes of a freed object in place
  until the memory is reused, so a person's answers would outlive their session in the process's
  memory. The server is started with ``PYTHONMALLOC=malloc`` (every Python object from the C library's
  allocator) and glibc's tunables ``perturb`` (glibc fills each freed block) and ``tcache_count=0``.
  This costs some speed; ``KYOSEI_SCRUB_FREED_MEMORY=0`` turns it off. ``tests/e2e/test_memory.py`` proves the whole.

Use it to run the app anywhere: ``python3 tasks.py app`` does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import server_guard

APP = Path(__file__).resolve().parent.parent / "app.py"


# perturb: glibc fills each freed block with 0xa5; tcache_count=0: no block skips that on its way to
# glibc's per-thread cache (which does not fill them).
SCRUB_FREED_MEMORY = {"PYTHONMALLOC": "malloc",
                      "GLIBC_TUNABLES": "glibc.malloc.perturb=165:glibc.malloc.tcache_count=0"}


def _restart_scrubbing_freed_memory() -> None:
    """Start again with the allocator settings (they must be set before the interpreter starts)."""
    if os.environ.get("KYOSEI_SCRUB_FREED_MEMORY", "1") == "0" or os.name == "nt":
        return
    if all(os.environ.get(k) == v for k, v in SCRUB_FREED_MEMORY.items()):
        return
    env = {**os.environ, **SCRUB_FREED_MEMORY}
    os.execve(sys.executable, [sys.executable, "-m", "helper.serve", *sys.argv[1:]], env)


def no_config_reloading() -> None:
    """Stop Streamlit polling its config files for changes (every 200 ms, in a thread of its own).

    The configuration holds security settings (no error details, the upload limit, the session TTL): a
    running server takes them from its start and a change needs a restart, as with nginx's. The polling
    also took about 4 % of the server's time under load, each wake-up contending for the interpreter lock.
    """
    from streamlit.web import bootstrap

    bootstrap._install_config_watchers = lambda flag_options: None  # noqa: SLF001


def main(argv: list[str] | None = None) -> None:
    if argv is None:
        _restart_scrubbing_freed_memory()
    server_guard.install()
    no_config_reloading()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
