#!/usr/bin/env bash
# End to end: the log lines of vnsearch-index and vnsearchd: logfmt and
# text, levels (-q, -v, --log-level, the config file's [log]), a hostile
# file name kept on one line, no query text above debug.
set -u
. "$(dirname "$0")/lib.sh"

dpid=
cleanup() {
    [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$TMP/docs"
printf 'Thông báo\nHạn chót 30/6/2025 phải tiêm mũi 2 cho người dân.\n' \
    >"$TMP/docs/a.txt"
# not text at all, and a newline in its name
printf '\x00\x01\x02garbage\xff\xfe' >"$TMP/docs/bad
evil.txt"

"$VNS_INDEX" --db "$TMP/db" --log-format logfmt "$TMP/docs" \
    >"$TMP/out" 2>"$TMP/err"
check "logfmt: a bad file is one error line naming it" grep -Eq \
    '^ts=[-0-9T:.]+Z level=error prog=vnsearch-index msg="[^"]+" file=[^ ]*/bad\\x0aevil\.txt$' \
    "$TMP/err"
check "logfmt: the newline in the name cannot start a line" \
    [ "$(grep -vc '^ts=' "$TMP/err")" -eq 0 ]
check "logfmt: the summary stays on stdout" grep -q '^indexed 1, ' "$TMP/out"

"$VNS_INDEX" --db "$TMP/db" --force "$TMP/docs" >/dev/null 2>"$TMP/err"
check "text (default): \"vnsearch-index: FILE: reason\"" grep -Eq \
    '^vnsearch-index: [^ ]*/bad\\x0aevil\.txt: [a-z]' "$TMP/err"

"$VNS_INDEX" --db "$TMP/db" --force -v --log-format logfmt "$TMP/docs" \
    >/dev/null 2>"$TMP/err"
check "-v: each file at debug" grep -Eq \
    'level=debug prog=vnsearch-index msg=updated file=[^ ]*/a\.txt$' "$TMP/err"
check "-v: each commit at debug" grep -q 'level=debug .*msg=committed' \
    "$TMP/err"

"$VNS_INDEX" --db "$TMP/db" --force --log-level debug -q "$TMP/docs" \
    >/dev/null 2>"$TMP/err"
check "-q after --log-level debug: errors only" \
    sh -c '! grep -q "updated" "$1" && grep -q "bad" "$1"' sh "$TMP/err"

printf '[log]\nlevel = debug\nformat = logfmt\n' >"$TMP/conf"
"$VNS_INDEX" --config "$TMP/conf" --db "$TMP/db" --force "$TMP/docs" \
    >/dev/null 2>"$TMP/err"
check "[log] in the config file applies" grep -q 'level=debug.*msg=updated' \
    "$TMP/err"
out=$("$VNS_INDEX" --config "$TMP/conf" --print-config 2>&1)
check "--print-config shows [log] and where it came from" \
    grep -q "^format = logfmt ; $TMP/conf:3" <<<"$out"
printf '[log]\nlevel = loud\n' >"$TMP/conf-bad"
out=$("$VNS_INDEX" --config "$TMP/conf-bad" --db "$TMP/db" "$TMP/docs" 2>&1)
rc=$?
check "a bad [log] level names the file, line and key" \
    sh -c '[ "$1" -eq 2 ] && printf "%s" "$2" | grep -q "conf-bad:2: \[log\] level: takes one of error warn info debug"' \
    sh "$rc" "$out"
out=$("$VNS_INDEX" --log-format json --db "$TMP/db" "$TMP/docs" 2>&1)
check "--log-format json: refused with the choices" \
    grep -q 'takes one of text logfmt' <<<"$out"

# vnsearchd: a free port first, since -q hides the "listening" line
port=$(free_port)
up() { wait_http "http://127.0.0.1:$port/healthz"; }
stop() {
    kill -TERM "$dpid" 2>/dev/null
    wait "$dpid" 2>/dev/null
    dpid=
}

"$VNSD" --db "$TMP/db" --listen "127.0.0.1:$port" --threads 1 -q \
    --log "$TMP/q.log" &
dpid=$!
up
curl -s -o /dev/null "http://127.0.0.1:$port/api/search?q=ti%C3%AAm"
stop
check "vnsearchd -q: no request lines" \
    sh -c '! grep -q "msg=request" "$1"' sh "$TMP/q.log"

"$VNSD" --db "$TMP/db" --listen "127.0.0.1:$port" --threads 1 \
    --log-format text --log "$TMP/t.log" &
dpid=$!
up
curl -s -o /dev/null "http://127.0.0.1:$port/api/search?q=ti%C3%AAm+secretword"
stop
check "vnsearchd --log-format text: \"vnsearchd: request method=...\"" \
    grep -q '^vnsearchd: request method=GET path=/api/search status=200 ms=' \
    "$TMP/t.log"
check "vnsearchd: the query text never logged at info" \
    sh -c '! grep -q "secretword\|ti%C3" "$1"' sh "$TMP/t.log"
check "vnsearchd: start and stop logged" \
    sh -c 'grep -q "^vnsearchd: listening on http://127.0.0.1:" "$1" &&
        grep -q "^vnsearchd: stopped" "$1"' sh "$TMP/t.log"
