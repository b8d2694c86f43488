#!/usr/bin/env bash
# End to end: re-runs read only what changed and remove what is gone; the
# index is the same whatever --jobs is; a second writer is refused with the
# holder's PID; kill -9 leaves an index that opens, and a re-run completes.
set -u
. "$(dirname "$0")/lib.sh"

D="$TMP/docs"
DB="$TMP/db"
mkdir -p "$D/sub"
cp corpus/*.txt "$D/"
cp corpus/ninh-thuan-2021-08-31-thong-bao-ket-luan.md "$D/sub/"

summary() {
    "$VNS_INDEX" --db "$DB" "$@" "$D" 2>"$TMP/err" | sed 's/ in [0-9.]* s;.*//'
}
expect() {
    local what=$1 want=$2
    shift 2
    local got
    got=$(summary "$@")
    if [ "$got" = "$want" ]; then ok "$what"; else not_ok "$what" "got:  $got" "want: $want"; fi
}
count() {
    "$VNS_QUERY" --db "$DB" --dump-meta | wc -l
}

expect "first run indexes everything" \
    "indexed 5, updated 0, unchanged 0, removed 0, skipped 0, failed 0"
expect "a re-run reads nothing" \
    "indexed 0, updated 0, unchanged 5, removed 0, skipped 0, failed 0"
touch "$D/lai-chau-2021-11-08-thong-bao-ket-luan.txt"
expect "a touched file is re-read, found the same, left alone" \
    "indexed 0, updated 0, unchanged 5 (1 re-read), removed 0, skipped 0, failed 0"
expect "... and not re-read again" \
    "indexed 0, updated 0, unchanged 5, removed 0, skipped 0, failed 0"
echo "Đồng chí xyzzyquux phụ trách." >>"$D/lai-chau-2021-11-08-thong-bao-ket-luan.txt"
expect "a changed file is re-indexed" \
    "indexed 0, updated 1, unchanged 4, removed 0, skipped 0, failed 0"
hits=$("$VNS_QUERY" --db "$DB" --json xyzzyquux | ids | wc -l)
check "the change is searchable" [ "$hits" -eq 1 ]
rm "$D/sub/ninh-thuan-2021-08-31-thong-bao-ket-luan.md"
expect "a deleted file is removed" \
    "indexed 0, updated 0, unchanged 4, removed 1, skipped 0, failed 0"
check "the index holds 4 documents" [ "$(count)" -eq 4 ]
printf '{"province": "Trà Vinh"}' >"$D/lai-chau-2021-11-08-thong-bao-ket-luan.txt.meta.json"
expect "a new sidecar re-indexes its file" \
    "indexed 0, updated 1, unchanged 3, removed 0, skipped 1, failed 0"
p=$("$VNS_QUERY" --db "$DB" --explain lai-chau-2021-11-08-thong-bao-ket-luan.txt | grep "^  province:")
check "the sidecar's province is in" grep -q "Trà Vinh" <<<"$p"
cp corpus/ninh-thuan-2021-08-31-thong-bao-ket-luan.md "$D/sub/again.md"
expect "a new file is indexed" \
    "indexed 1, updated 0, unchanged 4, removed 0, skipped 1, failed 0"

# A root that is missing is an error, and nothing of it is removed.
out=$("$VNS_INDEX" --db "$DB" "$TMP/not-there" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "not-there" <<<"$out" && [ "$(count)" -eq 5 ]; then
    ok "a missing root fails and removes nothing"
else
    not_ok "a missing root fails and removes nothing" "rc=$rc" "$out"
fi

# The same index whatever --jobs is: same documents, same ranking.
for j in 1 2; do
    "$VNS_INDEX" --db "$TMP/j$j" --jobs $j "$D" >/dev/null 2>&1
    { "$VNS_QUERY" --db "$TMP/j$j" --dump-meta
      "$VNS_QUERY" --db "$TMP/j$j" --json --limit 20 "tiem mui 2 covid"
      "$VNS_QUERY" --db "$TMP/j$j" --json --facets --limit 20 "Tỉnh ủy"; } >"$TMP/out$j"
done
check "--jobs 1 and --jobs 2 give the same index" cmp -s "$TMP/out1" "$TMP/out2"

# A second writer is refused at once, naming the holder.
python3 -c '
import fcntl, os, sys, time
f = open(sys.argv[1] + "/vnsearch.lock", "w")
fcntl.flock(f, fcntl.LOCK_EX)
f.write("%d\n" % os.getpid()); f.flush()
print(os.getpid(), flush=True)
time.sleep(30)' "$DB" >"$TMP/holder" &
holder=$!
for _ in $(seq 50); do [ -s "$TMP/holder" ] && break; sleep 0.1; done
out=$("$VNS_INDEX" --db "$DB" "$D" 2>&1)
rc=$?
kill $holder 2>/dev/null
wait $holder 2>/dev/null
if [ $rc -eq 2 ] && grep -q "index is locked by PID $(cat "$TMP/holder")" <<<"$out"; then
    ok "a second writer is refused, naming the holder's PID"
else
    not_ok "a second writer is refused, naming the holder's PID" "rc=$rc" "$out"
fi

# kill -9 mid-run: the index opens with its last commit; a re-run completes.
K="$TMP/many"
for i in $(seq 1 300); do
    mkdir -p "$K/$i"
    cp corpus/*.txt "$K/$i/"
done
total=1200
"$VNS_INDEX" --db "$TMP/k" --commit-every 25 --jobs 1 "$K" >/dev/null 2>&1 &
pid=$!
# kill it once a commit is visible, so the run is caught in the middle
for _ in $(seq 200); do
    [ -f "$TMP/k/iamglass" ] && [ "$("$VNS_QUERY" --db "$TMP/k" --dump-meta 2>/dev/null | wc -l)" -gt 0 ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
kept=$("$VNS_QUERY" --db "$TMP/k" --dump-meta 2>&1 | wc -l)
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 0 ] && [ "$kept" -gt 0 ] && [ "$kept" -lt $total ]; then
    ok "after kill -9 the index opens ($kept of $total committed)"
else
    not_ok "after kill -9 the index opens ($kept of $total committed)" "rc=$rc"
fi
out=$("$VNS_INDEX" --db "$TMP/k" "$K" 2>&1)
if grep -q "holds $total documents" <<<"$out"; then
    ok "the next run completes it"
else
    not_ok "the next run completes it" "$out"
fi

# The same files make the same index: the first 250 documents take
# written pairs (C) from every syllable by their place in the run, not by
# how many the writer, running behind the workers, has written by then.
for d in same1 same2; do
    "$VNS_INDEX" -q --db "$TMP/$d" --jobs 2 "$K" >/dev/null 2>&1
done
c1=$(xapian-delve -A C -v -1 "$TMP/same1" 2>&1 | md5sum)
c2=$(xapian-delve -A C -v -1 "$TMP/same2" 2>&1 | md5sum)
n1=$(xapian-delve -A C -1 "$TMP/same1" 2>/dev/null | wc -l)
if [ "$c1" = "$c2" ] && [ "$n1" -gt 100 ]; then
    ok "the same $total files indexed twice give the same written pairs ($n1)"
else
    not_ok "the same $total files indexed twice give the same written pairs" \
        "$c1" "$c2" "$n1 terms"
fi
