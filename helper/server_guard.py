"""Guards on Streamlit's server for what its configuration cannot promise (Streamlit 1.67).

This is a guard: it replaces a few of Streamlit's internals, and ``tests/test_server_guard.py`` and the
browser tests in ``tests/e2e/test_egress.py`` and ``tests/e2e/test_memory.py`` fail if an upgrade of
Streamlit moves them. ``helper/serve.py`` installs it before the server starts; ``app.py`` calls
``install()`` again (it does nothing twice), so a server started with plain ``streamlit run app.py``
is guarded from its first session on, except the download headers (see ``install``).

1. **No address lookups.** A websocket whose ``Origin`` is not the host it connects to makes Streamlit
   compare the origin with the machine's own addresses, found by a UDP ``connect`` to 8.8.8.8 and an
   HTTP request to checkip.amazonaws.com (``streamlit.net_util``). No setting stops it:
   ``browser.serverAddress`` only adds a name to the list that is walked before those lookups. Here the
   lookups answer "unknown" without touching the network, so a foreign origin is refused straight away.
   Upstream report (text to file): "A cross-origin WebSocket attempt makes the server look up its
   external IP (checkip.amazonaws.com) and internal IP (UDP connect to 8.8.8.8) before refusing it, in
   `is_url_from_allowed_origins`. An offline or privacy-sensitive deployment cannot turn this off: please
   add an option to never look up the machine's addresses (or skip the lookups when `server.address` or
   `browser.serverAddress` is set)."
2. **Disconnected sessions end.** Streamlit keeps a disconnected session for
   ``server.disconnectedSessionTTL`` seconds so that a dropped connection can resume, but after that
   its cache only stops answering for it: nothing shuts the session down, so its answers, uploaded
   files and downloads stay in memory. ``ClosingSessionStorage`` shuts such a session down when its
   time is up (or when more than ``maxsize`` are waiting), empties its session state and collects it.
3. **Downloads are not cached.** Letters and answers files are served from ``/media/``; Streamlit sends
   no ``Cache-Control`` with them. A middleware adds ``Cache-Control: no-store`` (and ``Pragma``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
import time
from collections import OrderedDict
from typing import Any

_LOG = logging.getLogger("kyosei_helper.server")
_lock = threading.Lock()
_installed: set[str] = set()

NO_STORE_PREFIXES = ("/media/", "/_stcore/upload_file/")
CONNECTION_KEEP_ALIVE = 5  # seconds: uvicorn's default, which Streamlit keeps


def install() -> None:
    """Install every guard that can still take effect; safe to call again (it does nothing twice).

    Before the server starts (``helper/serve.py``) every guard takes effect. From a running app only
    the address lookups and the session storage can be replaced: the middleware of a running server
    cannot change, which is logged once so that an operator sees it.
    """
    with _lock:
        if "addresses" not in _installed:
            _no_address_lookups()
            _installed.add("addresses")
        if "storage" not in _installed and _guard_session_storage():
            _installed.add("storage")
        if "headers" not in _installed:
            if _runtime_exists():
                _installed.add("headers")
                _LOG.warning("the server was started without helper.serve: downloads have no Cache-Control")
            else:
                _add_no_store_middleware()
                _installed.add("headers")


# 1. Addresses ---------------------------------------------------------------------------------------

def _unknown_address() -> str | None:
    return None


def _no_address_lookups() -> None:
    from streamlit import net_util

    # Read at call time by streamlit.web.server.server_util and streamlit.web.bootstrap.
    net_util.get_internal_ip = _unknown_address
    net_util.get_external_ip = _unknown_address


# 2. Sessions ----------------------------------------------------------------------------------------

class ClosingSessionStorage:
    """Keeps disconnected sessions for ``ttl_seconds`` for a reconnect, then shuts them down.

    Implements Streamlit's ``SessionStorage`` protocol (get, save, delete, list). Called on the server's
    event loop thread; a timer on that loop ends sessions even when no one else connects.
    """

    def __init__(self, ttl_seconds: float, maxsize: int = 128) -> None:
        self.ttl_seconds = ttl_seconds
        self.maxsize = maxsize
        self._saved: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, session_id: str) -> Any | None:
        self.sweep()
        entry = self._saved.get(session_id)
        return entry[1] if entry else None

    def save(self, session_info: Any) -> None:
        self._saved[session_info.session.id] = (time.monotonic(), session_info)
        self._saved.move_to_end(session_info.session.id)
        self.sweep()
        with contextlib.suppress(RuntimeError):  # no event loop in this thread (tests): the next call sweeps
            asyncio.get_running_loop().call_later(self.ttl_seconds + 0.5, self.sweep)

    def delete(self, session_id: str) -> None:
        del self._saved[session_id]  # a resumed session: it lives on, so it is not shut down

    def list(self) -> list[Any]:
        self.sweep()
        return [info for _, info in self._saved.values()]

    def sweep(self) -> None:
        now = time.monotonic()
        # Oldest first (save moves a session to the end): the expired ones, then any beyond maxsize.
        order = list(self._saved)
        expired = sum(1 for saved, _ in self._saved.values() if now - saved >= self.ttl_seconds)
        ending = order[: max(expired, len(order) - self.maxsize)]
        for sid in ending:
            _, info = self._saved.pop(sid)
            end_session(info.session)
        if ending:
            gc.collect()  # the session's objects form cycles; runner.postScriptGC is off (config.toml)
            # Its HTTP connections (an upload's request buffer) close after uvicorn's keep-alive (5 s).
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().call_later(CONNECTION_KEEP_ALIVE + 1, gc.collect)


def end_session(session: Any) -> None:
    """Shut a session down (its uploads and downloads go) and empty its state."""
    from streamlit import runtime

    try:
        session.shutdown()
    finally:
        state = session.session_state
        state.clear()
        # clear() leaves two copies of what the person typed: the widgets' metadata (a text field's value
        # is its default on the next run, so a name typed on the letter page stays there) and the client's
        # last message (the widget states as the browser sent them).
        widgets = getattr(state, "_new_widget_state", None)
        if widgets is not None:
            widgets.widget_metadata.clear()
            widgets.states.clear()
        if hasattr(session, "_client_state"):
            from streamlit.proto.ClientState_pb2 import ClientState

            session._client_state = ClientState()
        if runtime.exists():
            # shutdown() only marks an orphaned download for deletion (so that a click racing a rerun
            # still gets its file) and the next pass deletes it. No one can click in an ended session.
            runtime.get_instance().media_file_mgr.remove_orphaned_files()


def _guard_session_storage() -> bool:
    """Make Streamlit create (or, once running, use) a ClosingSessionStorage. True once it is in place."""
    from streamlit import config
    from streamlit.runtime import memory_session_storage

    def closing_storage(maxsize: int = 128, ttl_seconds: int = 120) -> ClosingSessionStorage:
        return ClosingSessionStorage(ttl_seconds=ttl_seconds, maxsize=maxsize)

    if not _runtime_exists():
        import streamlit.web.server.server as server_module

        # server.py builds the runtime with MemorySessionStorage(ttl_seconds=server.disconnectedSessionTTL).
        server_module.MemorySessionStorage = closing_storage  # type: ignore[assignment,misc]
        try:
            import streamlit.web.server.starlette.starlette_app as starlette_app

            starlette_app.MemorySessionStorage = closing_storage  # type: ignore[attr-defined]
        except ImportError:  # pragma: no cover - a Streamlit without the Starlette server
            pass
        return True
    from streamlit import runtime

    # The guard's one way in to a running server; a test harness's runtime (AppTest's mock) has none.
    manager = getattr(runtime.get_instance(), "_session_mgr", None)
    storage = getattr(manager, "_session_storage", None)
    if isinstance(storage, ClosingSessionStorage):
        return True
    if manager is not None and isinstance(storage, memory_session_storage.MemorySessionStorage):
        manager._session_storage = closing_storage(ttl_seconds=config.get_option("server.disconnectedSessionTTL"))  # noqa: SLF001
        return True
    return False


def _runtime_exists() -> bool:
    from streamlit import runtime

    return runtime.exists()


# 3. Headers -----------------------------------------------------------------------------------------

class NoStoreMiddleware:
    """ASGI middleware: responses under ``NO_STORE_PREFIXES`` (downloads, uploads) are never cached."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not any(p in scope.get("path", "") for p in NO_STORE_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"cache-control", b"pragma", b"expires")]
                headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_no_store)


def _add_no_store_middleware() -> None:
    import streamlit.web.server.starlette.starlette_app as starlette_app
    from starlette.middleware import Middleware

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "_kyosei_no_store", False):
        return

    def with_no_store() -> list[Any]:
        return [Middleware(NoStoreMiddleware), *original()]

    with_no_store._kyosei_no_store = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = with_no_store
