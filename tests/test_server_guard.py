"""The server guards (helper/server_guard.py) in-process: sessions ended, lookups answered locally,
downloads marked no-store. The browser tests in tests/e2e/ prove them on a running server."""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import pytest

from helper import server_guard
from helper.server_guard import ClosingSessionStorage, NoStoreMiddleware


@dataclass
class FakeSession:
    id: str
    ended: bool = False
    session_state: dict[str, Any] = field(default_factory=lambda: {"answers": {"applicant.name": "x"}})

    def shutdown(self) -> None:
        self.ended = True


@dataclass
class FakeInfo:
    session: FakeSession


def test_expired_sessions_are_shut_down_and_emptied() -> None:
    storage = ClosingSessionStorage(ttl_seconds=3600)
    kept, expired = FakeInfo(FakeSession("kept")), FakeInfo(FakeSession("expired"))
    storage.save(expired)
    storage.ttl_seconds = 0  # everything saved so far has outlived the TTL
    storage.sweep()
    storage.ttl_seconds = 3600
    storage.save(kept)
    assert expired.session.ended and expired.session.session_state == {}
    assert storage.get("expired") is None and storage.get("kept") is kept and not kept.session.ended
    assert storage.list() == [kept]


def test_a_resumed_session_lives_on_and_the_oldest_go_beyond_maxsize() -> None:
    storage = ClosingSessionStorage(ttl_seconds=3600, maxsize=2)
    infos = [FakeInfo(FakeSession(f"s{i}")) for i in range(3)]
    for info in infos:
        storage.save(info)
    assert infos[0].session.ended and not infos[1].session.ended and not infos[2].session.ended
    storage.delete("s1")  # reconnected: Streamlit takes it back
    assert not infos[1].session.ended and storage.list() == [infos[2]]


def test_no_address_is_looked_up() -> None:
    from streamlit import net_util
    from streamlit.web.server import server_util

    server_guard.install()
    server_guard.install()  # twice does nothing more
    assert net_util.get_internal_ip() is None and net_util.get_external_ip() is None
    assert not server_util.is_url_from_allowed_origins("https://evil.example")
    assert server_util.is_url_from_allowed_origins("http://localhost:8501")


def run_at_once(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine that never waits (no event loop: the browser tests may have one running)."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    raise AssertionError("the coroutine waited")


def test_downloads_and_uploads_are_marked_no_store() -> None:
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"cache-control", b"public, max-age=3600"), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    for path in ("/media/abc123.json", "/base/media/abc", "/_stcore/upload_file/s/f", "/_stcore/health"):
        sent.clear()
        run_at_once(NoStoreMiddleware(app)({"type": "http", "path": path}, receive, send))
        headers = dict(sent[0]["headers"])
        if path == "/_stcore/health":
            assert headers[b"cache-control"] == b"public, max-age=3600"  # other responses unchanged
        else:
            assert headers[b"cache-control"] == b"no-store" and headers[b"pragma"] == b"no-cache"
            assert [k for k, _ in sent[0]["headers"]].count(b"cache-control") == 1


def test_the_launcher_reads_the_config_once_and_does_not_poll_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.web import bootstrap

    from helper import serve

    watched: list[str] = []
    monkeypatch.setattr(bootstrap, "watch_file", lambda path, *a, **k: watched.append(path))
    monkeypatch.setattr(bootstrap, "_install_config_watchers", bootstrap._install_config_watchers)  # restored after
    bootstrap._install_config_watchers({})
    assert any(p.endswith("config.toml") for p in watched)  # Streamlit alone polls every config file
    watched.clear()
    serve.no_config_reloading()
    bootstrap._install_config_watchers({})
    assert watched == []
