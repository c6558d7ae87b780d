"""The Content-Security-Policy of deploy/nginx/kyosei-helper-headers.conf, computed from the code it allows.

    .venv/bin/python deploy/csp.py           print the policy
    .venv/bin/python deploy/csp.py --write   write it into deploy/nginx/kyosei-helper-headers.conf

Scripts are allowed by hash, not with 'unsafe-inline', so that an injected <script> never runs. The inline
scripts there are: Streamlit's own in its index.html, and the app's small script of helper/ui/style.py
(``<html lang dir>`` and the digit keyboard), one text per language. When either changes (a Streamlit
upgrade, an edit of style.py, a new language), run this with --write; tests/e2e/test_proxy.py fails until
the file matches and checks in Chromium that the app runs with no violation.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADERS = ROOT / "deploy" / "nginx" / "kyosei-helper-headers.conf"
LINE = re.compile(r'^add_header Content-Security-Policy ".*" always;$', re.M)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def inline_scripts() -> list[str]:
    """Every inline script the browser is asked to run: Streamlit's index.html and the app's, per language."""
    import streamlit

    sys.path.insert(0, str(ROOT))
    from helper.i18n import LANGUAGES
    from helper.ui import style

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    found = [m.group(1) for m in re.finditer(r"<script>(.*?)</script>", index, re.S)]
    for code, language in LANGUAGES.items():
        script = style._SCRIPT.format(lang=style.html_lang(code), dir="rtl" if language.rtl else "ltr")
        found.append(script.removeprefix("<script>").removesuffix("</script>"))
    return list(dict.fromkeys(found))


def policy() -> str:
    scripts = " ".join(_sha256(s) for s in inline_scripts())
    return "; ".join([
        "default-src 'self'",
        # 'wasm-unsafe-eval': long.js in Streamlit's protobuf bundle compiles a tiny WebAssembly module for
        # 64-bit arithmetic (it falls back to plain JavaScript, but reports a violation without it). It lets
        # no JavaScript text be evaluated: no 'unsafe-eval'.
        f"script-src 'self' 'wasm-unsafe-eval' {scripts}",
        # Streamlit styles its components with CSS-in-JS (emotion), which writes <style> elements at run
        # time, and the app adds its own <style> through st.html: styles cannot be listed by hash.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",  # the websocket /_stcore/stream (wss: on the same host and port) and /_stcore/*
        "media-src 'self' blob:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def header_line() -> str:
    return f'add_header Content-Security-Policy "{policy()}" always;'


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        text = HEADERS.read_text()
        if not LINE.search(text):
            sys.exit(f"{HEADERS}: no Content-Security-Policy line to replace")
        HEADERS.write_text(LINE.sub(lambda _: header_line(), text))
        return 0
    if argv:
        sys.exit(__doc__)
    print(policy())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
