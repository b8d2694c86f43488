#!/usr/bin/env bash
# End to end: a sharded index. The same documents in one database and in 3
# shards (one writer per shard) give the same hits, scores, snippets,
# facets and totals, locally and through a stub mixing a local shard with
# two served by xapian-tcpsrv on loopback; a remote shard that stops is an
# error, or with --allow-partial results flagged as partial until it is
# back; re-indexing updates documents in their shard; --compact keeps the
# shards, --compact --merge-shards makes one database; a replica made with
# xapian-replicate (scripts/replica) answers the same and follows new
# commits under a running vnsearchd. Each writer learns its packing
# dictionaries from its first 8 documents here (VNSEARCH_PACK_TRAIN, not
# 300), so every comparison also reads records packed with each shard's
# own dictionaries, locally, through xapian-tcpsrv, merged and replicated.
set -u
. "$(dirname "$0")/lib.sh"
export VNSEARCH_PACK_TRAIN=8

for tool in xapian-tcpsrv xapian-replicate xapian-replicate-server; do
    if ! command -v $tool >/dev/null; then
        not_ok "$tool is installed (scripts/install-deps: xapian-tools)"
        exit 0
    fi
done

# 100 notices: each sample in 20 variants (another closing line each);
# from 100 documents on, a word in most of them is common (fixes.c), and
# a query's count then runs a tree of its own (the facets' count tree)
DOCS="$TMP/docs"
words=(xét nghiệm cách ly tiêm chủng vắc xin học sinh trường học phong tỏa)
for v in $(seq 1 20); do
    mkdir -p "$DOCS/v$v"
    for f in corpus/*.txt corpus/*.md; do
        [ "$(basename "$f")" = README.md ] && continue
        b=$(basename "$f")
        cp "$f" "$DOCS/v$v/$b"
        for ((k = 0; k < v; k++)); do
            printf '\nGhi chú %d: %s %s trước ngày %d/12/2021.\n' "$k" \
                "${words[$(((v + k) % 10))]}" "${words[$(((v * k) % 10))]}" \
                $((k + 10)) >>"$DOCS/v$v/$b"
        done
    done
done
ndocs=$(find "$DOCS" -type f | wc -l)

ONE="$TMP/one"
SH="$TMP/sh"
"$VNS_INDEX" -q --db "$ONE" --jobs 2 "$DOCS" >/dev/null 2>&1
check "index $ndocs notices into one database" [ $? -eq 0 ]
"$VNS_INDEX" -q --db "$SH" --shards 3 --jobs 2 "$DOCS" >"$TMP/out" 2>&1
check "--shards 3 --jobs 2 indexes them" grep -q "holds $ndocs documents" "$TMP/out"
if [ -f "$SH/XAPIANDB" ] && [ "$(grep -c '^auto shard[0-2]$' "$SH/XAPIANDB")" = 3 ]; then
    ok "the index folder holds a stub listing shard0..shard2"
else
    not_ok "the index folder holds a stub listing shard0..shard2" "$(ls "$SH")"
fi
per_shard() {
    python3 - "$@" <<'EOF'
import subprocess, sys
n = [int(subprocess.run(["xapian-delve", "-v", sys.argv[1] + "/shard%d" % i],
        capture_output=True, text=True).stdout.split("number of documents = ")[1]
        .split()[0]) for i in range(3)]
print(" ".join(map(str, n)))
EOF
}
counts=$(per_shard "$SH" 2>/dev/null)
read -r c0 c1 c2 <<<"$counts"
if [ -n "${c2:-}" ] && [ "$c0" -gt 0 ] && [ "$c1" -gt 0 ] && [ "$c2" -gt 0 ] &&
    [ $((c0 + c1 + c2)) -eq "$ndocs" ]; then
    ok "every shard holds documents ($counts), $ndocs in all"
else
    not_ok "every shard holds documents, $ndocs in all" "counts: $counts"
fi

# queries: words, no diacritics, a phrase, an exclusion, filters, a
# deadline question, a synonym, a document number, misspelled words (the
# spelling's term lookups go to remote shards together: termbatch.c),
# common words beside a typo (where the facets' count tree once matched
# fewer documents than the ranked tree: search.c, build())
cat >"$TMP/queries" <<'EOF'
tiêm mũi 2
tiêm mủi 2
trien kha tiem chug
tiem mui 2 deadline
"cách ly"
xét nghiệm -trường
vaccine học sinh
UBND tỉnh
phòng chống dịch Covid-19
hạn báo cáo kết quả
Ninh Thuận
truy vết F0
người dân đạ tiêm
EOF
# same DB1 DB2 what [ARGS]: every query's --json answer (hits with scores,
# snippets, deadlines; the summary with totals and facets) is the same
same() {
    local a=$1 b=$2 what=$3 bad=0 q
    shift 3
    while IFS= read -r q; do
        "$VNS_QUERY" --db "$a" --json --facets --limit 10 "$@" -- $q \
            >"$TMP/a.json" 2>"$TMP/a.err"
        "$VNS_QUERY" --db "$b" --json --facets --limit 10 "$@" -- $q \
            >"$TMP/b.json" 2>"$TMP/b.err"
        if ! python3 - "$TMP/a.json" "$TMP/b.json" <<'EOF'; then
import json, sys
def load(p):
    return [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]
a, b = load(sys.argv[1]), load(sys.argv[2])
if len(a) != len(b) or len(a) == 0:
    sys.exit("%d lines against %d" % (len(a), len(b)))
for x, y in zip(a, b):
    sx, sy = x.pop("score", None), y.pop("score", None)
    if (sx is None) != (sy is None) or (sx is not None and abs(sx - sy) > 1e-9):
        sys.exit("scores %r %r for %s" % (sx, sy, x.get("id")))
    if x != y:
        sys.exit("differ: %s / %s" % (json.dumps(x)[:300], json.dumps(y)[:300]))
EOF
            bad=$((bad + 1))
            echo "#   query: $q $*" >&2
        fi
    done <"$TMP/queries"
    if [ $bad -eq 0 ]; then ok "$what"; else not_ok "$what" "$bad queries differ"; fi
}
same "$ONE" "$SH" "3 shards answer every query as one database (ids, scores to 1e-9, snippets, facets, totals)"
same "$ONE" "$SH" "... with a province filter too" --province "Ninh Thuận"
same "$ONE" "$SH" "... sorted by date" --sort date

# the total and facets count every document the query lists: "đạ" folds
# to the common "da", so its fix "độ" counts only in the pairs beside it
"$VNS_QUERY" --db "$ONE" --json --facets --limit 100 -- người dân đạ tiêm >"$TMP/t.json" 2>&1
check "--facets: the total counts every hit listed (a typo among common words)" \
    python3 - "$TMP/t.json" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
head, hits = lines[0], lines[1:]
def tally(field):
    n = {}
    for h in hits:
        if h.get(field):
            n[h[field]] = n.get(h[field], 0) + 1
    return n
f = head["facets"]
sys.exit(0 if head["total_exact"] and head["total"] == len(hits) > 20
         and f["province"] == tally("province")
         and f["doc_type"] == tally("doc_type") else 1)
EOF

# two shards served by xapian-tcpsrv (its own process group: on SIGTERM it
# signals its whole group), one read from disk
p1=$(free_port)
p2=$(free_port)
serve() { # PORT SHARD
    setsid xapian-tcpsrv --port "$1" --interface 127.0.0.1 "$SH/$2" \
        >>"$TMP/tcpsrv.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
serve "$p1" shard1 && serve "$p2" shard2
check "xapian-tcpsrv serves shard1 and shard2 on 127.0.0.1" [ $? -eq 0 ]
srv2=${pids[$((${#pids[@]} - 1))]}
STUB="$TMP/mixed.stub"
printf '# one local shard, two remote\nauto %s\nremote 127.0.0.1:%s\nremote tcp 127.0.0.1 %s\n' \
    "$SH/shard0" "$p1" "$p2" >"$STUB"
same "$ONE" "$STUB" "a stub of a local and two remote shards answers every query as one database"

# a TREC run 100 deep: the hits past the tenth are named from the id
# cache, whose values come over the remote shards a window a match
python3 - "$TMP/queries" >"$TMP/batch.jsonl" <<'EOF'
import json, sys
for i, q in enumerate(open(sys.argv[1], encoding="utf-8")):
    print(json.dumps({"qid": "q%02d" % i, "query": q.strip(), "filters": {}},
                     ensure_ascii=False))
EOF
"$VNS_QUERY" --db "$ONE" --batch "$TMP/batch.jsonl" --trec "$TMP/one.run" >/dev/null 2>&1
"$VNS_QUERY" --db "$STUB" --batch "$TMP/batch.jsonl" --trec "$TMP/stub.run" >/dev/null 2>&1
check "--batch over the stub: the TREC run of one database (ids at every rank, scores to 1e-9)" \
    python3 - "$TMP/one.run" "$TMP/stub.run" <<'EOF'
import sys
a = [l.split() for l in open(sys.argv[1])]
b = [l.split() for l in open(sys.argv[2])]
ok = len(a) == len(b) and len(a) > 30 and all(
    x[:4] == y[:4] and abs(float(x[4]) - float(y[4])) <= 1e-9
    for x, y in zip(a, b))
sys.exit(0 if ok else 1)
EOF

# vnsearchd over the stub, allowing partial answers
port=$(free_port)
"$VNSD" --db "$STUB" --allow-partial --listen "127.0.0.1:$port" --rate-per-ip 0 \
    --cache-mb 0 >"$TMP/d.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port/healthz"
api() { curl -s "http://127.0.0.1:$port/api/search?q=ti%C3%AAm+m%C5%A9i+2&size=5"; }
api >"$TMP/r1.json"
check "vnsearchd over the stub: whole results (partial false)" \
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["partial"] is False and r["missing_shards"] == [] and r["total"] > 0 else 1)' "$TMP/r1.json"

# vnsearchd over one database and over the stub: every query's answer
# (under the daemon's time limit, facets always counted) has the same
# total, facets and hits (ids, scores to 1e-9)
port1=$(free_port)
"$VNSD" --db "$ONE" --listen "127.0.0.1:$port1" --rate-per-ip 0 \
    --cache-mb 0 >"$TMP/d1.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$port1/healthz"
check "vnsearchd over the stub answers every query as over one database (totals, facets, hits)" \
    python3 - "$TMP/queries" "$port1" "$port" <<'EOF'
import json, sys, urllib.parse, urllib.request
def get(port, q, extra):
    url = "http://127.0.0.1:%s/api/search?q=%s%s" % (port, urllib.parse.quote(q), extra)
    return json.loads(urllib.request.urlopen(url, timeout=30).read())
bad = 0
for q in open(sys.argv[1], encoding="utf-8"):
    for extra in ("", "&size=50", "&province=Ninh+Thu%E1%BA%ADn"):
        a, b = get(sys.argv[2], q.strip(), extra), get(sys.argv[3], q.strip(), extra)
        ha = [(h["id"], h["score"]) for h in a["hits"]]
        hb = [(h["id"], h["score"]) for h in b["hits"]]
        same = ((a["total"], a["total_exact"], a["facets"]) ==
                (b["total"], b["total_exact"], b["facets"]) and len(ha) == len(hb)
                and all(x[0] == y[0] and abs(x[1] - y[1]) <= 1e-9 for x, y in zip(ha, hb)))
        if not same:
            bad += 1
            print("#   differ: %s%s: total %s / %s" % (q.strip(), extra, a["total"], b["total"]),
                  file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

# one remote shard stops
kill "$srv2"
sleep 0.3
"$VNS_QUERY" --db "$STUB" tiêm mũi 2 >/dev/null 2>"$TMP/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "127.0.0.1:$p2" "$TMP/err" && grep -q "did not answer" "$TMP/err"; then
    ok "a stopped shard: vnsearch exits 1 naming it"
else
    not_ok "a stopped shard: vnsearch exits 1 naming it" "rc=$rc" "$(cat "$TMP/err")"
fi
"$VNS_QUERY" --db "$STUB" --allow-partial --json tiêm mũi 2 >"$TMP/p.json" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && head -1 "$TMP/p.json" | grep -q "\"partial\":true,\"missing_shards\":\[\"127.0.0.1:$p2\"\]" &&
    grep -q "partial results" "$TMP/err"; then
    ok "--allow-partial: the other shards' hits, flagged partial with the missing shard"
else
    not_ok "--allow-partial: the other shards' hits, flagged partial" "rc=$rc" "$(head -c 300 "$TMP/p.json")" "$(cat "$TMP/err")"
fi
api >"$TMP/r2.json"
check "vnsearchd, mid-run: the answer is flagged partial and names the shard" \
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["partial"] is True and r["missing_shards"] == ["127.0.0.1:" + sys.argv[2]] and r["total"] > 0 else 1)' "$TMP/r2.json" "$p2"
curl -s "http://127.0.0.1:$port/?q=ti%C3%AAm+m%C5%A9i+2" >"$TMP/page.html"
check "the search page says the results are partial" grep -q 'class="partial"' "$TMP/page.html"
port2=$(free_port)
"$VNSD" --db "$STUB" --listen "127.0.0.1:$port2" --rate-per-ip 0 >"$TMP/d2.log" 2>&1 &
pids+=($!)
sleep 0.5
status=$(curl -s -o "$TMP/e.json" -w '%{http_code}' "http://127.0.0.1:$port2/api/search?q=ti%C3%AAm")
if [ "$status" = 503 ] || grep -q "did not answer" "$TMP/d2.log"; then
    ok "without --allow-partial a missing shard is a clear error (503 or refusal to start)"
else
    not_ok "without --allow-partial a missing shard is a clear error" "status=$status" "$(cat "$TMP/e.json")"
fi
# back again: picked up within a few seconds
serve "$p2" shard2
ok_back=0
for _ in $(seq 1 40); do
    api >"$TMP/r3.json"
    if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["partial"] is False else 1)' "$TMP/r3.json"; then
        ok_back=1
        break
    fi
    sleep 0.25
done
check "the shard back: whole results again, without a restart" [ $ok_back -eq 1 ]
cmp -s <(python3 -c 'import json,sys; print([(h["id"], h["score"]) for h in json.load(open(sys.argv[1]))["hits"]])' "$TMP/r1.json") \
    <(python3 -c 'import json,sys; print([(h["id"], h["score"]) for h in json.load(open(sys.argv[1]))["hits"]])' "$TMP/r3.json")
check "... the same hits and scores as before it stopped" [ $? -eq 0 ]

# re-indexing: a changed file is updated in its shard, a removed one goes
f=$(find "$DOCS/v3" -name '*.txt' | head -1)
printf '\nBổ sung: kiểm tra zeolit tại cảng cá.\n' >>"$f"
rm "$DOCS/v2/"*.md
"$VNS_INDEX" -q --db "$SH" "$DOCS" >"$TMP/out" 2>&1
"$VNS_INDEX" -q --db "$ONE" "$DOCS" >/dev/null 2>&1
nfiles=$(find "$DOCS" -type f | wc -l)
if grep -q "updated 1, unchanged $((nfiles - 1)), removed 1" "$TMP/out" &&
    grep -q "holds $nfiles documents" "$TMP/out"; then
    ok "re-indexing the shards: 1 updated, 1 removed, none twice"
else
    not_ok "re-indexing the shards: 1 updated, 1 removed" "$(cat "$TMP/out")"
fi
"$VNS_QUERY" --db "$SH" --json zeolit | ids >"$TMP/z"
check "the updated notice is found in its shard" [ "$(cat "$TMP/z")" = "${f#"$DOCS"/}" ]
same "$ONE" "$SH" "after re-indexing both: the same answers"

"$VNS_INDEX" -q --db "$SH" --shards 2 "$DOCS" >/dev/null 2>"$TMP/err"
rc=$?
check "--shards 2 on an index of 3 shards: refused, naming --rebuild" \
    sh -c "[ $rc -eq 2 ] && grep -q 'has 3 shards, not 2' '$TMP/err'"
"$VNS_INDEX" -q --db "$ONE" --shards 2 "$DOCS" >/dev/null 2>"$TMP/err"
rc=$?
check "--shards 2 on an index of one database: refused" \
    sh -c "[ $rc -eq 2 ] && grep -q 'one database' '$TMP/err'"
printf 'auto shard0\nremote nowhere\n' >"$TMP/bad.stub"
"$VNS_QUERY" --db "$TMP/bad.stub" x >/dev/null 2>"$TMP/err"
check "a bad stub line: the file and line named" grep -q "bad.stub:2: expected" "$TMP/err"

# --watch writes into the shards too
"$VNS_INDEX" --db "$SH" --watch "$DOCS" >"$TMP/watch.log" 2>&1 &
wpid=$!
pids+=($wpid)
for _ in $(seq 1 100); do grep -q "watching for changes" "$TMP/watch.log" && break; sleep 0.05; done
mkdir -p "$DOCS/w"
printf 'THÔNG BÁO\nVề việc kiểm tra molypden tại xã Phước Dân.\n' >"$DOCS/w/m.txt"
seen=0
for _ in $(seq 1 100); do
    if "$VNS_QUERY" --db "$SH" --json molypden 2>/dev/null | ids | grep -qx "w/m.txt"; then
        seen=1
        break
    fi
    sleep 0.1
done
kill -TERM "$wpid"
wait "$wpid"
rc=$?
check "--watch on shards: a new file is searchable, SIGTERM exits 0" \
    [ $seen -eq 1 -a $rc -eq 0 ]
rm -rf "$DOCS/w"
"$VNS_INDEX" -q --db "$SH" "$DOCS" >/dev/null 2>&1

# keeping: compact keeps the shards, --merge-shards makes one database
"$VNS_INDEX" --db "$SH" --check >"$TMP/check" 2>&1
check "--check reads every shard's tables" \
    sh -c "[ \$(grep -c 'xapian shard[0-2]: every table is sound' '$TMP/check') = 3 ]"
check "--check finds every shard's documents sound" \
    grep -q "^$SH: sound\$" "$TMP/check"
dicts() { # the packing dictionaries vnsearch-index --stats counts in $1
    "$VNS_INDEX" --db "$1" --stats --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["dictionaries"])' 2>/dev/null
}
packs=$(dicts "$SH")
each="$(dicts "$SH/shard0") $(dicts "$SH/shard1") $(dicts "$SH/shard2")"
read -r p0 p1 p2 <<<"$each"
check "each shard learnt its packing dictionaries ($each; $packs in all)" \
    [ "${p0:-0}" -ge 1 -a "${p1:-0}" -ge 1 -a "${p2:-0}" -ge 1 -a \
    "${packs:-0}" = $((p0 + p1 + p2)) ]
CP="$TMP/cp"
cp -a "$SH" "$CP"
"$VNS_INDEX" --db "$CP" --compact >/dev/null 2>&1
check "--compact: still 3 shards" [ -f "$CP/XAPIANDB" -a -d "$CP/shard2" ]
same "$ONE" "$CP" "compacted shards answer as one database"
"$VNS_INDEX" --db "$CP" --compact --merge-shards >"$TMP/out" 2>&1
check "--compact --merge-shards: one database" [ ! -e "$CP/XAPIANDB" -a -f "$CP/iamglass" ]
same "$ONE" "$CP" "merged shards answer as one database"
merged=$(dicts "$CP")
check "the merged database keeps every shard's dictionaries ($merged)" \
    [ "${merged:-0}" = "${packs:-x}" ]
"$VNS_INDEX" --db "$CP" --check >"$TMP/check" 2>&1
check "--check finds the merged database sound" grep -q "^$CP: sound\$" "$TMP/check"

# a replica by Xapian replication
rport=$(free_port)
setsid xapian-replicate-server -I 127.0.0.1 -p "$rport" "$TMP" >"$TMP/rs.log" 2>&1 &
pids+=($!)
sleep 0.5
REP="$TMP/replica"
bash scripts/replica --primary "127.0.0.1:$rport" --name sh --shards 3 --db "$REP" --once \
    >"$TMP/rep.log" 2>&1
check "scripts/replica --once copies the 3 shards" [ $? -eq 0 ]
same "$SH" "$REP" "the replica answers as the primary"
rdport=$(free_port)
"$VNSD" --db "$REP" --listen "127.0.0.1:$rdport" --rate-per-ip 0 --cache-mb 0 \
    >"$TMP/rd.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$rdport/healthz"
mkdir -p "$DOCS/new"
printf 'THÔNG BÁO\nVề việc kiểm tra quặng wolfram tại xã Phước Dân.\n' >"$DOCS/new/w.txt"
"$VNS_INDEX" -q --db "$SH" "$DOCS" >/dev/null 2>&1
bash scripts/replica --primary "127.0.0.1:$rport" --name sh --shards 3 --db "$REP" --once \
    >>"$TMP/rep.log" 2>&1
found=0
for _ in $(seq 1 40); do
    if curl -s "http://127.0.0.1:$rdport/api/search?q=wolfram" | grep -q '"id":"new/w.txt"'; then
        found=1
        break
    fi
    sleep 0.1
done
check "vnsearchd on the replica finds a notice committed on the primary after its start" [ $found -eq 1 ]

