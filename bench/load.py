"""Load: many people going through the guided questions at once. Prints ``name: value unit`` lines.

Each simulated person is a websocket client speaking Streamlit's own protocol (the protobuf messages the
browser sends and receives), so the machine's CPU goes to the server, not to 50 browsers. A person opens
the app, presses Start, and then answers every question the way a hurried person would: the first choice
of a choice question, a number where a number is asked, a postal code for the place, and "I don't know"
for the household table; at the end page they start again in a new session. A step is one press of a
button: from sending it to the server's "script finished".

- step_ms_p50 / step_ms_p95 / step_ms_p99: step latency over all sessions (target: p95 ≤ 1,000 ms with 50
  sessions);
- session_start_ms_p50: from opening the websocket to the first page (not a step);
- reruns_per_s: script runs the server completed per second, all sessions together (steps and first pages);
- steps: how many steps were measured (after a warm-up).

Run: ``python bench/load.py [--sessions 50] [--seconds 60] [--think 0] [--processes N] [--url URL]``. Without
``--url`` it starts the app itself with the project's configuration: one server on a free port, or with
``--processes N`` N servers behind the deployed nginx configuration (deploy/nginx/, sticky sessions, TLS
with a throwaway certificate; needs Debian's nginx and the ports of tests/e2e/proxy.py). ``--think`` is a
person's pause between steps in seconds (0: as fast as the server answers, the worst case).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import ssl
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTAL_CODE = "532-0028"  # 大阪市淀川区: a place with every layer, so the longest flow
END_PAGE: list[float] = []  # the steps that led to the end page (every programme's result on one screen)
WIDGETS = ("button", "radio", "number_input", "text_input", "selectbox")


@dataclass
class Screen:
    """The widgets of one script run, by the key the app gave them."""

    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)  # key -> (kind, proto)
    page_hash: str = ""

    def key(self, widget_id: str) -> str:
        # Streamlit writes a keyed widget's id as "$$ID-<hash>-<key>".
        return widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") else widget_id


def _rerun(page_hash: str, states: list[tuple[str, str, object]]) -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = "lang=en"
    cs.page_script_hash = page_hash
    for widget_id, kind, value in states:
        w = cs.widget_states.widgets.add()
        w.id = widget_id
        setattr(w, kind, value)
    return msg.SerializeToString()


async def _run(ws: websockets.ClientConnection, payload: bytes, screen: Screen) -> Screen:
    """Send one rerun and read until the script finished; returns the new screen."""
    await ws.send(payload)
    new = Screen(page_hash=screen.page_hash)
    while True:
        fm = ForwardMsg()
        fm.ParseFromString(await ws.recv())
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            new.page_hash = fm.new_session.page_script_hash or new.page_hash
        elif kind == "page_info_changed" or kind == "navigation":
            if kind == "navigation" and fm.navigation.page_script_hash:
                new.page_hash = fm.navigation.page_script_hash
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            et = el.WhichOneof("type")
            if et in WIDGETS:
                proto = getattr(el, et)
                new.widgets[new.key(proto.id)] = (et, proto)
        elif kind == "script_finished":
            return new


def _next_step(screen: Screen, rng: random.Random) -> list[tuple[str, str, object]] | None:
    """The widget states a hurried person sends from this screen, or None at the end page."""
    w = screen.widgets
    if "g_start" in w:
        return [(w["g_start"][1].id, "trigger_value", True)]
    if "g_postal" in w and "g_next" not in w:
        return [(w["g_postal"][1].id, "string_value", POSTAL_CODE)]
    if "g_next" not in w:
        return None
    states: list[tuple[str, str, object]] = []
    for key, (kind, proto) in w.items():
        if key.startswith("g_m"):  # the household table: too many fields for a hurried person
            return [(w["g_dont_know"][1].id, "trigger_value", True)]
        if kind == "radio" and key.startswith("g_"):
            states.append((proto.id, "string_value", proto.options[0]))
        elif kind == "number_input" and key.startswith("g_"):
            states.append((proto.id, "double_value", float(rng.choice((0, 1, 2, 30, 120_000)))))
        elif kind == "text_input" and key == "g_postal":
            states.append((proto.id, "string_value", POSTAL_CODE))
    states.append((w["g_next"][1].id, "trigger_value", True))
    return states


async def person(url: str, until: float, warm_until: float, think: float, steps: list[float],
                 starts: list[float], rng: random.Random, tls: ssl.SSLContext | None) -> None:
    ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
    while time.perf_counter() < until:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=2**24, ssl=tls) as ws:
            opened = time.perf_counter()
            screen = await _run(ws, _rerun("", []), Screen())
            if opened >= warm_until:
                starts.append((time.perf_counter() - opened) * 1000)
            for _ in range(60):
                states = _next_step(screen, rng)
                if states is None or time.perf_counter() >= until:
                    break
                await asyncio.sleep(think * rng.uniform(0.5, 1.5) if think else 0)
                start = time.perf_counter()
                screen = await _run(ws, _rerun(screen.page_hash, states), screen)
                if start >= warm_until:
                    steps.append((time.perf_counter() - start) * 1000)
                    if "g_next" not in screen.widgets and "g_start" not in screen.widgets:
                        END_PAGE.append(steps[-1])


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


async def measure(url: str, sessions: int, seconds: float, think: float, warm: float,
                  tls: ssl.SSLContext | None = None) -> tuple[list[float], list[float]]:
    steps: list[float] = []
    starts: list[float] = []
    start = time.perf_counter()
    until, warm_until = start + warm + seconds, start + warm
    await asyncio.gather(*(person(url, until, warm_until, think, steps, starts, random.Random(i), tls)
                           for i in range(sessions)))
    return steps, starts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warm", type=float, default=10, help="seconds of warm-up not counted")
    ap.add_argument("--think", type=float, default=0)
    ap.add_argument("--processes", type=int, default=0, help="app processes behind nginx (0: one, direct)")
    ap.add_argument("--url")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    with contextlib.ExitStack() as stack:
        url, tls = args.url, None
        if args.processes:
            import tempfile

            from tests.e2e.proxy import running

            proxy = stack.enter_context(running("kyosei-helper-several.conf",
                                                Path(stack.enter_context(tempfile.TemporaryDirectory())),
                                                args.processes))
            url, tls = proxy.url, proxy.tls()
        elif not url:
            from tests.e2e.conftest import free_port, start_server, wait_healthy

            port = free_port()
            url = f"http://127.0.0.1:{port}"
            proc = start_server(port)
            stack.callback(proc.wait, timeout=10)
            stack.callback(proc.terminate)
            wait_healthy(url)
        steps, starts = asyncio.run(measure(url, args.sessions, args.seconds, args.think, args.warm, tls))
    where = f"{args.processes} processes behind nginx" if args.processes else "1 process"
    tag = f"[{args.sessions} sessions, think {args.think:g} s, {where}{', ' + args.label if args.label else ''}]"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"step_ms_p50{tag}: {statistics.median(steps):.0f} ms  load {load}")
    print(f"step_ms_p95{tag}: {pct(steps, 95):.0f} ms")
    print(f"step_ms_p99{tag}: {pct(steps, 99):.0f} ms (slowest {max(steps):.0f} ms)")
    if END_PAGE:
        print(f"end_page_step_ms_p50{tag}: {statistics.median(END_PAGE):.0f} ms ({len(END_PAGE)} steps)")
    print(f"session_start_ms_p50{tag}: {statistics.median(starts) if starts else 0:.0f} ms (the app's first page)")
    print(f"reruns_per_s{tag}: {(len(steps) + len(starts)) / args.seconds:.1f} /s")
    print(f"steps{tag}: {len(steps)} steps")


if __name__ == "__main__":
    main()
