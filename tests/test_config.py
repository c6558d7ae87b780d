"""The Streamlit configuration keeps its privacy promises."""

from __future__ import annotations

import subprocess
import tomllib

from tests.conftest import ROOT


def test_config_protects_privacy() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"  # explicit: no lookup of an external address at start
    assert config["server"]["maxUploadSize"] <= 1
    assert config["server"]["enableXsrfProtection"] is True and config["server"]["enableCORS"] is True
    assert config["client"]["showErrorDetails"] is False


def test_no_secrets_and_no_risky_calls_are_tracked() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [f for f in files if f.endswith("secrets.toml")]
    risky = subprocess.run(
        ["git", "grep", "-nE",
         r"unsafe_allow_html *= *True|yaml\.load\(|yaml\.unsafe_load|gettext\.install|eval\(|exec\(",
         "--", "*.py", ":!tests/"], cwd=ROOT, capture_output=True, text=True).stdout
    assert risky == ""
