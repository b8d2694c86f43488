# Helpers for the end-to-end scripts: TAP-like "ok N - what" lines that
# tests/run.sh counts, and the built programs.
build=${VNS_BUILD:-build}
VNS_INDEX="$PWD/$build/vnsearch-index"
VNS_QUERY="$PWD/$build/vnsearch"
VNSD="$PWD/$build/vnsearchd"
TMP=$(mktemp -d)
# the OCR cache of vnsearch-index: a test's own, never the user's
export XDG_CACHE_HOME="$TMP/cache"
# background processes a script starts (daemons): killed at exit
pids=()
lib_cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap lib_cleanup EXIT
n=0

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}

not_ok() {
    n=$((n + 1))
    echo "not ok $n - $1"
    shift
    [ $# -gt 0 ] && printf '#   %s\n' "$@"
}

# check "what" COMMAND...: passes when COMMAND succeeds
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# ids of the hits, one per line, from vnsearch --json on stdin
ids() {
    python3 -c 'import json, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
for l in sys.stdin:
    d = json.loads(l)
    if "id" in d:
        print(d["id"])'
}

# free_port: a TCP port free on 127.0.0.1 now
free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http URL: until URL answers (10 s at most)
wait_http() {
    local i
    for i in $(seq 1 200); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.05
    done
    return 1
}

# log_port LOG: the port a daemon started with --listen 127.0.0.1:0 says
# it listens on in LOG, once it answers (10 s at most); "" if it never does
log_port() {
    local port= _
    for _ in $(seq 1 200); do
        port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' \
            "$1" 2>/dev/null)
        [ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/healthz" &&
            break
        sleep 0.05
    done
    echo "$port"
}
