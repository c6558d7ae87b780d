#!/bin/sh
# Start one kyosei-helper app process on 127.0.0.1:PORT (default 8501), from the folder this script is in.
# Used by kyosei-helper@.service (the port is the unit's instance) and by run-several.sh. Run
# `python3 tasks.py app` once first (or follow docs/deploy.md) so that .venv exists.
#
#     deploy/run.sh [PORT]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${1:-8501}
case $PORT in
    ''|*[!0-9]*) echo "run.sh: the port must be a number, not '$PORT'" >&2; exit 2 ;;
esac
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    echo "run.sh: $ROOT/.venv is missing: run 'python3 tasks.py app' once, or see docs/deploy.md" >&2
    exit 2
fi
# Streamlit reads .streamlit/config.toml from the working folder: the project's own settings
# (no usage statistics, no error details, XSRF protection). Only the address and port are set here:
# always the loopback address, so that only the proxy (or this laptop's browser) reaches the app.
cd "$ROOT"
# helper.serve is streamlit run app.py with the server guards in place from the first request and freed
# memory overwritten (see helper/serve.py).
exec "$ROOT/.venv/bin/python" -m helper.serve \
    --server.address=127.0.0.1 --server.port="$PORT" --server.headless=true
