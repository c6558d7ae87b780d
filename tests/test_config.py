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
    assert config["server"]["disconnectedSessionTTL"] <= 60  # then the session and its data are gone
    assert config["server"]["websocketPingInterval"] <= 15
    # "none": no type, message or stack of an uncaught error reaches the browser (the legacy false is
    # "stacktrace" in Streamlit 1.67); tests/e2e/test_errors.py shows it in a browser.
    assert config["client"]["showErrorDetails"] == "none"


def test_showerrordetails_none_hides_every_detail_in_streamlit() -> None:
    """Streamlit's own reading of the configured value: no message, no trace, no type."""
    from streamlit import config as st_config
    from streamlit.elements import exception

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = config["client"]["showErrorDetails"]
    before = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", value)
    try:
        shown = exception._error_detail_visibility(apply_show_error_details=True)
    finally:
        st_config.set_option("client.showErrorDetails", before)
    assert not (shown.show_message or shown.show_trace or shown.show_type)


def test_no_secrets_and_no_risky_calls_are_tracked() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [f for f in files if f.endswith("secrets.toml")]
    risky = subprocess.run(
        ["git", "grep", "-nE",
         r"unsafe_allow_html *= *True|yaml\.load\(|yaml\.unsafe_load|gettext\.install|eval\(|exec\(",
         "--", "*.py", ":!tests/"], cwd=ROOT, capture_output=True, text=True).stdout
    assert risky == ""
