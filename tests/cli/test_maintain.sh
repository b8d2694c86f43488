#!/usr/bin/env bash
# End to end: keeping an index. --stats (text, JSON), --check on a sound
# index and on a cut or overwritten table, --compact while vnsearchd
# answers a loop of searches (same hits, only 200s), --compact refused
# under another writer, --backup and --restore.
set -u
. "$(dirname "$0")/lib.sh"


DB="$TMP/db"
mkdir -p "$TMP/docs" "$TMP/extra"
cp corpus/*.txt corpus/*.md corpus/*.meta.json "$TMP/docs/"
rm -f "$TMP/docs/README.md"
"$VNS_INDEX" --db "$DB" "$TMP/docs" >/dev/null 2>&1
check "index corpus/ into a temporary folder" [ $? -eq 0 ]
# a second commit: the compacted copy starts again at revision 1
printf 'THÔNG BÁO\nVề việc kiểm tra xylophon tại xã Phước Dân.\n' \
    >"$TMP/extra/moi.txt"
"$VNS_INDEX" --db "$DB" "$TMP/extra" >/dev/null 2>&1
rm "$TMP/extra/moi.txt"
"$VNS_INDEX" --db "$DB" "$TMP/extra" >/dev/null 2>&1

# json FILE EXPR: EXPR (Python, on the JSON in FILE as d) holds
json() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2"
}

# --stats
"$VNS_INDEX" --db "$DB" --stats >"$TMP/stats" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '^documents  *5$' "$TMP/stats" &&
    grep -q '^  *2  Ninh Thuận$' "$TMP/stats" &&
    grep -q '^  *5  2021$' "$TMP/stats" &&
    grep -q '^last commit  *20[0-9-]* [0-9:]* UTC$' "$TMP/stats"; then
    ok "--stats: 5 documents, 2 from Ninh Thuận, 5 of 2021, last commit"
else
    not_ok "--stats: 5 documents, 2 from Ninh Thuận, 5 of 2021, last commit" \
        "rc=$rc" "$(cat "$TMP/stats")"
fi
"$VNS_INDEX" --db "$DB" --stats --json >"$TMP/stats.json" 2>&1
check "--stats --json: documents, provinces, types, years, size, commit" \
    json "$TMP/stats.json" 'd["documents"] == 5 and
d["provinces"]["Ninh Thuận"] == 2 and d["provinces"]["Trà Vinh"] == 1 and
sum(d["types"].values()) == 5 and d["years"] == {"2021": 5} and
d["bytes"] > 0 and d["terms"] > 1000 and d["revision"] >= 3 and
d["last_commit"].endswith("Z") and d["format"] == "3"'
before=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bytes"])' \
    "$TMP/stats.json")

# A run that writes half the index or more compacts it; --no-compact
# leaves it as written; a run that writes little leaves it alone.
out=$("$VNS_INDEX" --db "$TMP/fresh" "$TMP/docs" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "fresh: compacted, [0-9.]* MB -> [0-9.]* MB" <<<"$out"; then
    ok "a first run compacts the index it wrote"
else
    not_ok "a first run compacts the index it wrote" "rc=$rc" "$out"
fi
out=$("$VNS_INDEX" --no-compact --db "$TMP/loose" "$TMP/docs" 2>&1)
rc=$?
compacted=$(du -sb "$TMP/fresh" | cut -f1)
loose=$(du -sb "$TMP/loose" | cut -f1)
if [ $rc -eq 0 ] && ! grep -q "compacted" <<<"$out" &&
    [ "$compacted" -lt "$loose" ]; then
    ok "--no-compact: not compacted, larger ($loose > $compacted bytes)"
else
    not_ok "--no-compact: not compacted, larger" "rc=$rc $loose $compacted" "$out"
fi
a=$("$VNS_QUERY" --db "$TMP/fresh" --json --limit 5 tiêm mũi 2 2>&1)
b=$("$VNS_QUERY" --db "$TMP/loose" --json --limit 5 tiêm mũi 2 2>&1)
if [ -n "$a" ] && [ "$a" = "$b" ]; then
    ok "the compacted index answers as the loose one"
else
    not_ok "the compacted index answers as the loose one" "$a" "$b"
fi
printf 'THÔNG BÁO\nVề việc kiểm tra đê điều tại xã Phước Dân.\n' \
    >"$TMP/extra2.txt"
mkdir -p "$TMP/extra2" && mv "$TMP/extra2.txt" "$TMP/extra2/"
out=$("$VNS_INDEX" --db "$TMP/fresh" "$TMP/extra2" 2>&1)
check "a run adding 1 document to 5 does not compact" \
    eval '! grep -q compacted <<<"$out"'

# --check: sound, then a table cut short, then one overwritten
out=$("$VNS_INDEX" --db "$DB" --check 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q ": sound$" <<<"$out"; then
    ok "--check: a sound index exits 0"
else
    not_ok "--check: a sound index exits 0" "rc=$rc" "$out"
fi
cp -r "$DB" "$TMP/cut"
truncate -s 10000 "$TMP/cut/postlist.glass"
out=$("$VNS_INDEX" --db "$TMP/cut" --check 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "FAULT: postlist: .*EOF reading block" <<<"$out" &&
    grep -q "DAMAGED" <<<"$out" && grep -q "vnsearch-index --rebuild" <<<"$out"; then
    ok "--check: a cut table exits 1, names it, says how to rebuild"
else
    not_ok "--check: a cut table exits 1, names it, says how to rebuild" \
        "rc=$rc" "$out"
fi
out=$("$VNS_QUERY" --db "$TMP/cut" covid 2>&1)
rc=$?
if [ $rc -ge 1 ] && [ $rc -lt 128 ] && grep -q "index damaged" <<<"$out"; then
    ok "vnsearch on a cut table: an error, no crash"
else
    not_ok "vnsearch on a cut table: an error, no crash" "rc=$rc" "$out"
fi
cp -r "$DB" "$TMP/over"
python3 -c 'import os, sys
n = os.path.getsize(sys.argv[1])
open(sys.argv[1], "r+b").write(b"\xab" * n)' "$TMP/over/termlist.glass"
out=$("$VNS_INDEX" --db "$TMP/over" --check 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "FAULT: termlist: " <<<"$out"; then
    ok "--check: an overwritten table exits 1 and names it"
else
    not_ok "--check: an overwritten table exits 1 and names it" "rc=$rc" "$out"
fi
out=$("$VNS_QUERY" --db "$TMP/over" --explain \
    lai-chau-2021-11-08-thong-bao-ket-luan.txt 2>&1)
rc=$?
check "vnsearch on an overwritten table: no crash (rc=$rc)" [ $rc -lt 128 ]
out=$("$VNS_INDEX" --db "$TMP/nothing" --check 2>&1)
rc=$?
check "--check: no index there exits 2" [ $rc -eq 2 ]
"$VNS_INDEX" --db "$DB" --check "$TMP/docs" >/dev/null 2>&1
check "--check with a PATH is a usage error (2)" [ $? -eq 2 ]

# --compact while vnsearchd answers searches in a loop
# no cache and no rate limit: every search is computed from the index
"$VNSD" --db "$DB" --listen 127.0.0.1:0 --threads 2 --cache-mb 0 \
    --rate-per-ip 0 --log "$TMP/d.log" &
pid=$!
pids+=("$pid")
port=$(log_port "$TMP/d.log")
check "vnsearchd starts" [ -n "$port" ]
python3 - "$port" "$TMP/stop" "$TMP/started" "$TMP/loop.json" <<'PY' &
import json, os, sys, urllib.error, urllib.parse, urllib.request
port, stop, started, out = sys.argv[1:5]
queries = ["covid", "tiem mui 2", "Tỉnh ủy", "kết luận"]
res = []
while not os.path.exists(stop):
    for q in queries:
        url = "http://127.0.0.1:%s/api/search?q=%s" % (port, urllib.parse.quote(q))
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                res.append([q, r.status, [h["id"] for h in json.load(r)["hits"]]])
        except urllib.error.HTTPError as e:
            res.append([q, e.code, e.read().decode("utf-8", "replace")[:200]])
        except Exception as e:
            res.append([q, str(e), None])
    if not os.path.exists(started):
        open(started, "w").close()
json.dump(res, open(out, "w"))
PY
loop=$!
for _ in $(seq 1 200); do [ -e "$TMP/started" ] && break; sleep 0.05; done
out=
for i in 1 2 3 4 5; do
    out+=$("$VNS_INDEX" --db "$DB" --compact 2>&1)
    rc=$?
    [ $rc -eq 0 ] || break
    out+=$'\n'
    sleep 0.2
done
check "--compact five times while searches go on" [ $rc -eq 0 ]
sleep 0.5
touch "$TMP/stop"
wait "$loop"
check "the search loop ran throughout" [ -s "$TMP/loop.json" ]
summary=$(python3 - "$TMP/loop.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
first, bad = {}, []
for q, code, ids in res:
    first.setdefault(q, ids)
    if code != 200 or ids != first[q] or not ids:
        bad.append((q, code, ids))
print(len(res), len(bad), bad[:3])
PY
)
read -r total nbad rest <<<"$summary"
if [ "$nbad" -eq 0 ] && [ "$total" -ge 20 ]; then
    ok "vnsearchd: $total searches before, during and after, all 200, same hits"
else
    not_ok "vnsearchd: searches before, during and after, all 200, same hits" \
        "$summary"
fi
grep -q "swapped in atomically" <<<"$out"
check "the compacted index was swapped in atomically" [ $? -eq 0 ]
"$VNS_INDEX" --db "$DB" --stats --json >"$TMP/after.json" 2>&1
check "compacted: documents the same, size smaller or equal" \
    json "$TMP/after.json" "d['documents'] == 5 and d['bytes'] <= $before"
out=$("$VNS_INDEX" --db "$DB" --check 2>&1)
check "--check passes after --compact" [ $? -eq 0 ]
check "no folder is left beside the index" \
    [ "$(ls "$TMP" | grep -c '^db\.')" -eq 0 ]
check "the lock file is carried over" [ -f "$DB/vnsearch.lock" ]
# a commit after the swap reaches the daemon (a revision the old folder had)
printf 'THÔNG BÁO\nVề việc kiểm tra zyxwvut tại xã Phước Dân.\n' \
    >"$TMP/extra/moi2.txt"
"$VNS_INDEX" --db "$DB" "$TMP/extra" >/dev/null 2>&1
hit=$(curl -s "http://127.0.0.1:$port/api/search?q=zyxwvut" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"])')
check "vnsearchd sees a commit made after the swap" [ "$hit" = 1 ]
rm "$TMP/extra/moi2.txt"
"$VNS_INDEX" --db "$DB" "$TMP/extra" >/dev/null 2>&1

# --compact is refused while another writer holds the lock
python3 -c '
import fcntl, os, sys, time
f = open(sys.argv[1] + "/vnsearch.lock", "w")
fcntl.flock(f, fcntl.LOCK_EX)
f.write("%d\n" % os.getpid()); f.flush()
print(os.getpid(), flush=True)
time.sleep(30)' "$DB" >"$TMP/holder" &
holder=$!
pids+=("$holder")
for _ in $(seq 50); do [ -s "$TMP/holder" ] && break; sleep 0.1; done
out=$("$VNS_INDEX" --db "$DB" --compact 2>&1)
rc=$?
kill $holder 2>/dev/null
wait $holder 2>/dev/null
if [ $rc -eq 2 ] && grep -q "index is locked by PID $(cat "$TMP/holder")" <<<"$out"; then
    ok "--compact is refused under another writer, naming its PID"
else
    not_ok "--compact is refused under another writer, naming its PID" \
        "rc=$rc" "$out"
fi

# --backup, then --restore it over a changed index while vnsearchd runs
out=$("$VNS_INDEX" --db "$DB" --backup "$TMP/bk" 2>&1)
rc=$?
if [ $rc -eq 0 ] && "$VNS_INDEX" --db "$TMP/bk" --check >/dev/null 2>&1; then
    ok "--backup: a copy that passes --check"
else
    not_ok "--backup: a copy that passes --check" "rc=$rc" "$out"
fi
a=$("$VNS_QUERY" --db "$DB" --json "tiem mui 2" | ids)
b=$("$VNS_QUERY" --db "$TMP/bk" --json "tiem mui 2" | ids)
check "--backup: the copy gives the same hits" [ -n "$a" -a "$a" = "$b" ]
"$VNS_INDEX" --db "$DB" --backup "$TMP/bk" >/dev/null 2>&1
check "--backup to a folder that exists is refused (2)" [ $? -eq 2 ]
printf 'THÔNG BÁO\nVề việc kiểm tra qwertzu.\n' >"$TMP/extra/moi3.txt"
"$VNS_INDEX" --db "$DB" "$TMP/extra" >/dev/null 2>&1
curl -s -o "$TMP/h1" "http://127.0.0.1:$port/healthz"
out=$("$VNS_INDEX" --db "$DB" --restore "$TMP/bk" 2>&1)
rc=$?
curl -s -o "$TMP/h2" "http://127.0.0.1:$port/healthz"
if [ $rc -eq 0 ] && json "$TMP/h1" 'd["documents"] == 6' &&
    json "$TMP/h2" 'd["documents"] == 5'; then
    ok "--restore: vnsearchd goes from 6 documents to the backup's 5"
else
    not_ok "--restore: vnsearchd goes from 6 documents to the backup's 5" \
        "rc=$rc" "$out" "$(cat "$TMP/h1" "$TMP/h2")"
fi
check "--restore leaves the backup in place" [ -f "$TMP/bk/iamglass" ]

kill -TERM "$pid"
rc=0
for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
wait "$pid"
rc=$?
check "vnsearchd: clean exit 0 (no leak in the sanitizer build)" [ "$rc" -eq 0 ]
