#!/usr/bin/env bash
# A small relevance evaluation inside make check: judged queries over
# corpus/ (tests/eval/corpus-queries.jsonl), scored like eval-run. A floor
# that catches ranking regressions; `make eval` runs the real one.
set -u
. "$(dirname "$0")/lib.sh"

"$VNS_INDEX" --db "$TMP/db" corpus >/dev/null 2>&1
out=$("$VNS_QUERY" --db "$TMP/db" --batch tests/eval/corpus-queries.jsonl --trec "$TMP/run" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "^queries 8, errors 0, latency ms: p50 " <<<"$out"; then
    ok "--batch runs the 8 judged queries"
else
    not_ok "--batch runs the 8 judged queries" "rc=$rc" "$out"
fi
check "the run is TREC: qid Q0 docid rank score tag" \
    grep -qE '^c1 Q0 [^ ]+ 1 [0-9.]+ vnsearch$' "$TMP/run"
score=$(python3 tests/eval/ndcg.py tests/eval/corpus-queries.jsonl "$TMP/run")
last=$(tail -1 <<<"$score")
if python3 -c 'import sys
f = dict(kv.split("=") for kv in sys.argv[1].split()[1:])
sys.exit(0 if float(f["nDCG@10"]) >= 0.95 and float(f["MRR@10"]) == 1.0 else 1)' "$last"; then
    ok "corpus evaluation: $last"
else
    not_ok "corpus evaluation: $last (want nDCG@10 >= 0.95, MRR@10 = 1)" "$score"
fi
