#!/usr/bin/env bash
# End to end, faults (docs/reliability.md): the disk fills up while
# indexing, commits land while vnsearchd serves, vnsearchd is killed -9
# under load, file descriptors and memory run out. Nothing committed is
# lost, nothing crashes, every error says what and where.
set -u
. "$(dirname "$0")/lib.sh"

FAILWRITE="$PWD/$build/tests/libfailwrite.so"
dpid=
lpid=
cleanup() {
    [ -n "$dpid" ] && kill -9 "$dpid" 2>/dev/null
    [ -n "$lpid" ] && kill -9 "$lpid" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
# the injector is not sanitized: ASan must not insist on coming first
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# 48 notices, each with a word of its own (khoN)
mkdir -p "$TMP/docs"
i=0
for f in corpus/*.txt; do
    for k in $(seq 1 12); do
        i=$((i + 1))
        { cat "$f"; printf 'Mã số lô %d, từ khóa riêng kho%d.\n' $i $i; } \
            >"$TMP/docs/n$i.txt"
    done
done
ndocs=$i

# hits QUERY [DB]: number of hits
hits() {
    "$VNS_QUERY" --db "${2:-$TMP/db}" --json --limit 100 "$1" 2>/dev/null |
        ids | wc -l
}

# --- disk full: the writes of the index fail with ENOSPC after N bytes
for after in 20000 1000000; do
    rm -rf "$TMP/db"
    out=$(VNS_FAIL_DIR="$TMP/db" VNS_FAIL_AFTER=$after LD_PRELOAD="$FAILWRITE" \
        "$VNS_INDEX" --db "$TMP/db" --commit-every 10 "$TMP/docs" 2>&1)
    rc=$?
    if [ $rc -eq 2 ] && grep -q "$TMP/db.*No space left on device" <<<"$out" &&
        grep -q "stopped: $TMP/db keeps its last commit" <<<"$out"; then
        ok "disk full after $after bytes: exit 2, the index and ENOSPC named"
    else
        not_ok "disk full after $after bytes: exit 2, the index and ENOSPC named" \
            "rc=$rc" "$out"
    fi
    kept=$(sed -n 's/.*keeps its last commit (\([0-9]*\) documents).*/\1/p' \
        <<<"$out")
    got=$("$VNS_QUERY" --db "$TMP/db" --json --limit 100 "" --type "thông báo" \
        2>/dev/null | ids | wc -l)
    out2=$("$VNS_QUERY" --db "$TMP/db" "kho1" 2>&1)
    rc2=$?
    if [ -n "$kept" ] && [ $((kept % 10)) -eq 0 ] && [ $rc2 -eq 0 ]; then
        ok "disk full after $after bytes: the last commit opens and searches ($kept documents, whole commits)"
    else
        not_ok "disk full after $after bytes: the last commit opens and searches" \
            "kept=$kept rc=$rc2 got=$got" "$out2"
    fi
    out=$("$VNS_INDEX" --db "$TMP/db" "$TMP/docs" 2>&1)
    rc=$?
    if [ $rc -eq 0 ] && grep -q "holds $ndocs documents" <<<"$out" &&
        [ "$(hits kho48)" -ge 1 ] && [ "$(hits kho1)" -ge 1 ]; then
        ok "disk full after $after bytes: a re-run with space completes it"
    else
        not_ok "disk full after $after bytes: a re-run with space completes it" \
            "rc=$rc" "$out"
    fi
done

# --- vnsearchd under commits: no request fails because of one
port=$(free_port)
B="http://127.0.0.1:$port"
up() { wait_http "$B/healthz"; }
"$VNSD" --db "$TMP/db" --listen "127.0.0.1:$port" --threads 2 --cache-mb 0 \
    --log "$TMP/d.log" &
dpid=$!
up
# a client asking again and again, writing each status
(
    while :; do
        curl -s -o /dev/null -w '%{http_code}\n' \
            "$B/api/search?q=kho7+th%C3%B4ng+b%C3%A1o&size=20"
    done
) >"$TMP/codes" 2>/dev/null &
lpid=$!
for round in 1 2 3; do
    "$VNS_INDEX" --db "$TMP/db" --force --commit-every 1 -q "$TMP/docs" \
        >/dev/null 2>&1
done
# on a loaded machine the commits may outrun the client: 20 answers at
# least, however long they take (30 s at most)
for _ in $(seq 1 300); do
    [ "$(grep -c . "$TMP/codes")" -ge 20 ] && break
    sleep 0.1
done
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null
lpid=
total=$(grep -c . "$TMP/codes")
bad=$(grep -vc '^200$' "$TMP/codes")
if [ "$total" -ge 20 ] && [ "$bad" -eq 0 ]; then
    ok "$total searches across 144 commits: every one answered 200"
else
    not_ok "searches across commits: every one answered 200" \
        "total=$total not-200=$bad" "$(sort "$TMP/codes" | uniq -c)"
fi
reopens=$(curl -s "$B/metrics" | sed -n 's/^vnsearchd_index_reopens_total //p')
check "/metrics counts the revisions picked up ($reopens)" [ "${reopens:-0}" -ge 3 ]

# --- kill -9 under load, then a clean restart on the same port
for _ in $(seq 1 8); do
    curl -s -m 5 -o /dev/null "$B/api/search?q=kho$RANDOM" &
done
sleep 0.1
kill -9 "$dpid"
wait "$dpid" 2>/dev/null
dpid=
"$VNSD" --db "$TMP/db" --listen "127.0.0.1:$port" --threads 2 \
    --log "$TMP/d2.log" &
dpid=$!
if up && [ "$(curl -s "$B/api/search?q=kho9" | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')" = n9.txt ]; then
    ok "kill -9 under load: restarts on the same port and answers"
else
    not_ok "kill -9 under load: restarts on the same port and answers" \
        "$(tail -3 "$TMP/d2.log")"
fi

# --- a damaged index: the CLI says so and what to do; the daemon keeps
# its last good snapshot; --rebuild builds it again while it serves
"$VNS_INDEX" --db "$TMP/dbc" "$TMP/docs" >/dev/null 2>&1
cp -r "$TMP/dbc" "$TMP/dbt"
truncate -s 100 "$TMP/dbt/postlist.glass"
out=$("$VNS_QUERY" --db "$TMP/dbt" kho5 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "dbt: index damaged" <<<"$out" &&
    grep -q "vnsearch-index --rebuild --db $TMP/dbt" <<<"$out"; then
    ok "a truncated table: vnsearch says damaged, names it and the cure, exit 1"
else
    not_ok "a truncated table: vnsearch says damaged, names it and the cure" \
        "rc=$rc" "$out"
fi
out=$("$VNSD" --db "$TMP/dbt" --listen 127.0.0.1:0 2>&1)
rc=$?
check "vnsearchd refuses to start on it (exit $rc), naming it" \
    sh -c '[ "$1" -eq 1 ] && printf "%s" "$2" | grep -q "dbt: index damaged"' \
    sh "$rc" "$out"
kill -TERM "$dpid"
wait "$dpid" 2>/dev/null
"$VNSD" --db "$TMP/dbc" --listen "127.0.0.1:$port" --threads 2 --cache-mb 0 \
    --log "$TMP/dc.log" &
dpid=$!
up
before=$(curl -s "$B/api/search?q=kho7" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')
printf 'not a version file' >"$TMP/dbc/iamglass"
codes=
for i in 1 2 3 4 5; do
    codes="$codes$(curl -s -o "$TMP/body" -w '%{http_code}' "$B/api/search?q=kho7")"
done
after=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hits"][0]["id"])' "$TMP/body" 2>/dev/null)
if [ "$codes" = 200200200200200 ] && [ "$before" = n7.txt ] && [ "$after" = n7.txt ]; then
    ok "damage under vnsearchd: it keeps answering from the last good snapshot"
else
    not_ok "damage under vnsearchd: it keeps answering from the last good snapshot" \
        "codes=$codes before=$before after=$after"
fi
check "... and logs it once, with the cure" \
    [ "$(grep -c 'serving its last good snapshot.*--rebuild' "$TMP/dc.log")" -eq 1 ]
out=$("$VNS_INDEX" --db "$TMP/dbc" --rebuild "$TMP/docs" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "rebuilt: indexed $ndocs.*holds $ndocs documents" <<<"$out" &&
    [ ! -e "$TMP/dbc.rebuild-tmp" ]; then
    ok "--rebuild while vnsearchd serves: built beside it and swapped in"
else
    not_ok "--rebuild while vnsearchd serves: built beside it and swapped in" \
        "rc=$rc" "$out"
fi
check "the rebuilt index passes --check" \
    sh -c '"$1" --db "$2" --check >/dev/null' sh "$VNS_INDEX" "$TMP/dbc"
printf 'Thêm một thông báo mới với từ khóa riêng khomoi.\n' >"$TMP/docs/moi.txt"
"$VNS_INDEX" --db "$TMP/dbc" "$TMP/docs" >/dev/null 2>&1
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$B/api/search?q=khomoi")
check "vnsearchd follows the rebuilt index (a commit after it is searchable)" \
    sh -c '[ "$1" = 200 ] && grep -q "moi.txt" "$2"' sh "$code" "$TMP/body"
rm -f "$TMP/docs/moi.txt"

# --- out of file descriptors: the daemon refuses what it cannot take
prlimit --pid "$dpid" --nofile=24:
cpids=()
for _ in $(seq 1 40); do
    curl -s -m 5 -o /dev/null "$B/api/search?q=kho$RANDOM" &
    cpids+=($!)
done
wait "${cpids[@]}" 2>/dev/null
check "out of descriptors: the daemon lives on" kill -0 "$dpid"
prlimit --pid "$dpid" --nofile=1024:
code=$(curl -s -o /dev/null -w '%{http_code}' "$B/api/search?q=kho3")
check "out of descriptors: it answers again once they are back" [ "$code" = 200 ]
kill -TERM "$dpid"
wait "$dpid"
rc=$?
dpid=
check "and still exits 0 on SIGTERM" [ $rc -eq 0 ]

# the indexer with too few descriptors: an error that says so, not a crash
# (nor "no index here"): too few to open the index, then, a few more, too
# few for the files. Where one ends and the other starts moves with the
# index's tables (none for positions since 2026-12) and the threads'
# timing, so a range of limits is tried, up to six times over until
# both were seen (the files' window is one descriptor wide: session 15's
# clean-clone CI missed it once in three tries, session 21's once too).
opened=0 files=0 bad=""
for attempt in 1 2 3 4 5 6; do
    for nofile in 6 7 8 9 10 11; do
        out=$(ulimit -n $nofile; "$VNS_INDEX" --db "$TMP/db-fd$attempt-$nofile" "$TMP/docs" 2>&1)
        rc=$?
        if [ $rc -gt 2 ] || grep -q "no index here" <<<"$out"; then
            bad="$bad nofile=$nofile rc=$rc: $out"
        elif [ $rc -ge 1 ] && grep -qi "cannot open the index: too many open files" <<<"$out"; then
            opened=1
        elif [ $rc -ge 1 ] && grep -qi "vnsearch-index: $TMP/docs/.*: too many open files" <<<"$out"; then
            files=1
        fi
    done
    [ "$opened" -eq 1 ] && [ "$files" -eq 1 ] && break
done
check "out of descriptors: the indexer says it cannot open the index (exit 1-2)" \
    [ "$opened" -eq 1 -a -z "$bad" ]
check "out of descriptors: the indexer names the files it cannot open (exit 1-2)" \
    [ "$files" -eq 1 -a -z "$bad" ]
[ -z "$bad" ] || echo "# $bad" >&2

# --- out of memory (address space): not in the sanitizer build, whose
# shadow memory wants terabytes of address space
if nm -D "$VNS_INDEX" 2>/dev/null | grep -q __asan_init ||
    nm "$VNS_INDEX" 2>/dev/null | grep -q __asan_init; then
    ok "out of memory: skipped in the sanitizer build # SKIP"
else
    # below what a run needs: refused up front (glibc's regcomp, inside
    # libmagic, can crash when an allocation fails instead of failing)
    out=$(ulimit -v 120000; "$VNS_INDEX" --db "$TMP/db-mem" "$TMP/docs" 2>&1)
    rc=$?
    if [ $rc -eq 2 ] && grep -q "address-space limit (ulimit -v) is 117 MB" <<<"$out"; then
        ok "out of memory (ulimit -v 120 MB): the indexer refuses, saying why"
    else
        not_ok "out of memory (ulimit -v 120 MB): the indexer refuses, saying why" \
            "rc=$rc" "$out"
    fi
    out=$(ulimit -v 350000; "$VNS_INDEX" --jobs 2 --db "$TMP/db-mem" "$TMP/docs" 2>&1)
    rc=$?
    check "a tight but sufficient limit (350 MB, 2 jobs): indexed" \
        sh -c '[ "$1" -eq 0 ] && printf "%s" "$2" | grep -q "holds 48 documents"' \
        sh "$rc" "$out"
    out=$(ulimit -v 120000; "$VNS_QUERY" --db "$TMP/db" "kho5 thông báo" 2>&1)
    rc=$?
    check "out of memory (ulimit -v 120 MB): a search exits $rc, no crash" \
        [ $rc -le 2 ]
fi
