#!/bin/sh
# Start N kyosei-helper app processes on 127.0.0.1, ports BASE_PORT, BASE_PORT+1, ... (default 3 from 8501),
# for nginx's kyosei-helper-several.conf (sticky sessions). Stops them all on Ctrl-C or SIGTERM, and stops
# the others when one of them ends. Where systemd runs, use kyosei-helper@PORT.service instead
# (docs/deploy.md, "Several app processes").
#
#     deploy/run-several.sh [N]          BASE_PORT=8601 deploy/run-several.sh 4
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
N=${1:-3}
BASE_PORT=${BASE_PORT:-8501}
case $N$BASE_PORT in
    *[!0-9]*) echo "run-several.sh: N and BASE_PORT must be numbers" >&2; exit 2 ;;
esac
[ "$N" -ge 1 ] || { echo "run-several.sh: N must be 1 or more" >&2; exit 2; }

PIDS=""
stop() {
    trap - INT TERM
    # shellcheck disable=SC2086
    [ -z "$PIDS" ] || kill $PIDS 2>/dev/null || true
    wait
}
trap 'stop; exit 0' INT TERM

i=0
while [ "$i" -lt "$N" ]; do
    port=$((BASE_PORT + i))
    "$HERE/run.sh" "$port" &
    PIDS="$PIDS $!"
    echo "run-several.sh: app process $((i + 1)) of $N on 127.0.0.1:$port (pid $!)"
    i=$((i + 1))
done

# Wait until any process ends (a crash, or a port already taken), then stop the rest: a half-running set
# would send some browsers to a dead process.
while :; do
    for pid in $PIDS; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "run-several.sh: process $pid ended; stopping the others" >&2
            stop
            exit 1
        fi
    done
    sleep 1
done
