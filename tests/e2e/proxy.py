"""Start the nginx of deploy/nginx/ in front of Streamlit, on this test's own ports, with a throwaway certificate.

The site files are the deployed ones: only their host-specific parts (ports, certificate and log paths, the
snippets' folder) are rewritten, each checked to be there, so that a change to the deployed files is tested
as it is and a change to those parts fails here loudly instead of being skipped.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.conftest import ROOT, start_server, wait_healthy

DEPLOY = ROOT / "deploy" / "nginx"
HTTPS_PORT, HTTP_PORT = 8630, 8631
APP_PORTS = (8627, 8628, 8629)
DEPLOYED_APP_PORTS = (8501, 8502, 8503)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made for this run only (no key in the tree)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    chain, private = folder / "fullchain.pem", folder / "privkey.pem"
    chain.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    private.chmod(0o600)
    return chain, private


def _replace(text: str, old: str, new: str, where: str) -> str:
    if old not in text:
        raise AssertionError(f"{where} no longer has {old!r}: update tests/e2e/proxy.py with it")
    return text.replace(old, new)


def render(site: str, folder: Path, processes: int) -> Path:
    """The deployed site file and snippets, rewritten for this machine's test ports, under ``folder``."""
    for snippet in DEPLOY.glob("kyosei-helper-*.conf"):
        text = snippet.read_text()
        if "/etc/nginx/snippets/" in text:
            text = text.replace("/etc/nginx/snippets/", f"{folder}/")
        (folder / snippet.name).write_text(text)
    text = (DEPLOY / site).read_text()
    for old, new in [("/etc/nginx/snippets/", f"{folder}/"), ("/etc/kyosei-helper/tls/", f"{folder}/tls/"),
                     ("/var/log/nginx/", f"{folder}/log/"),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;"),
                     ("listen [::]:443 ssl http2;\n", ""),
                     ("listen 80;", f"listen 127.0.0.1:{HTTP_PORT};"), ("listen [::]:80;\n", "")]:
        text = _replace(text, old, new, site)
    for deployed, port in zip(DEPLOYED_APP_PORTS[:processes], APP_PORTS, strict=False):
        text = _replace(text, f"server 127.0.0.1:{deployed};", f"server 127.0.0.1:{port};", site)
    (folder / "site.conf").write_text(text)
    (folder / "log").mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the temp folders under /tmp
    (folder / "nginx.conf").write_text(f"""{user}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/log/main-error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
""")
    return folder / "nginx.conf"


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@dataclass
class Proxy:
    url: str
    http_url: str
    folder: Path
    app_urls: list[str]
    cafile: Path

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cafile))

    def access_log(self) -> str:
        path = self.folder / "log" / "kyosei-helper.access.log"
        return path.read_text() if path.exists() else ""


@contextmanager
def running(site: str, folder: Path, processes: int) -> Iterator[Proxy]:
    binary = nginx_binary()
    assert binary, "nginx is not installed"
    busy = [p for p in (HTTPS_PORT, HTTP_PORT, *APP_PORTS[:processes]) if not port_free(p)]
    assert not busy, f"ports {busy} are taken: the proxy tests need them free"
    chain, _ = make_certificate(folder / "tls")
    conf = render(site, folder, processes)
    apps = [start_server(port) for port in APP_PORTS[:processes]]
    nginx = None
    try:
        app_urls = [f"http://127.0.0.1:{port}" for port in APP_PORTS[:processes]]
        for url in app_urls:
            wait_healthy(url, timeout=90)
        check = subprocess.run([binary, "-t", "-q", "-p", str(folder), "-c", str(conf), "-e", str(folder / "log" /
                                "check.log")], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        nginx = subprocess.Popen([binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "log" / "start.log")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proxy = Proxy(f"https://127.0.0.1:{HTTPS_PORT}", f"http://127.0.0.1:{HTTP_PORT}", folder, app_urls, chain)
        deadline = time.monotonic() + 20
        while port_free(HTTPS_PORT):
            assert nginx.poll() is None, (folder / "log" / "start.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "nginx did not start listening"
            time.sleep(0.05)
        yield proxy
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        for app in apps:
            app.terminate()
        for app in apps:
            app.wait(timeout=15)
