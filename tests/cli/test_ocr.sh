#!/usr/bin/env bash
# OCR end to end on scans of three short notices (tests/files/ocr, made by
# tests/files/ocr/make): a PNG, a 2-page image-only PDF and a 2-page TIFF
# are searchable with and without diacritics, say "ocr": true, are never
# recognized twice (cache), and a damaged image fails alone.
set -u
. "$(dirname "$0")/lib.sh"

F=tests/files/ocr
D="$TMP/scans"
mkdir -p "$D"
cp "$F/water.png" "$F/vaccine.pdf" "$F/roads.tif" "$D/"
# born digital, beside them: no OCR, no "ocr" field
cp tests/files/good/notice.md "$D/"
# a PNG cut short: the right type for libmagic, not an image any more
head -c 3000 "$F/water.png" >"$D/truncated.png"
CACHE="$TMP/ocr-cache"

out=$("$VNS_INDEX" --db "$TMP/db" --ocr-cache "$CACHE" "$D" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "^indexed 4, " <<<"$out" &&
    grep -q "truncated.png: OCR: image cannot be decoded" <<<"$out"; then
    ok "scans indexed, the truncated PNG named with its reason, exit 1"
else
    not_ok "scans indexed, the truncated PNG named with its reason, exit 1" \
        "rc=$rc" "$out"
fi
if grep -q "^ocr: 5 pages of 3 files in .* pages/min), 0 pages of 0 files from the cache, 1 files failed" <<<"$out"; then
    ok "the summary counts OCR'd pages and pages/min"
else
    not_ok "the summary counts OCR'd pages and pages/min" "$out"
fi

first() {
    "$VNS_QUERY" --db "$TMP/db" --json "$1" | ids | head -1
}
check "PNG: 'tạm dừng cấp nước' finds it" \
    [ "$(first "tạm dừng cấp nước")" = water.png ]
check "PNG: 'tam dung cap nuoc' (no diacritics) finds it" \
    [ "$(first "tam dung cap nuoc")" = water.png ]
check "PDF page 1: 'tiêm chủng vắc xin sởi' finds it" \
    [ "$(first "tiêm chủng vắc xin sởi")" = vaccine.pdf ]
check "PDF page 2: 'phong kham da khoa Dien Sanh' finds it" \
    [ "$(first "phong kham da khoa Dien Sanh")" = vaccine.pdf ]
check "TIFF page 2: 'tải trọng đường tránh Phước Lễ' finds it" \
    [ "$(first "tải trọng đường tránh Phước Lễ")" = roads.tif ]

meta=$("$VNS_QUERY" --db "$TMP/db" --dump-meta)
if python3 -c '
import json, sys
docs = {d["id"]: d for d in map(json.loads, sys.stdin)}
for i in ("water.png", "vaccine.pdf", "roads.tif"):
    d = docs[i]
    assert d["ocr"] is True, d
    assert 50 <= d["ocr_confidence"] <= 100, d
assert docs["vaccine.pdf"]["number"] == "45/TB-TTYT", docs["vaccine.pdf"]
assert docs["water.png"]["date"] == "2024-03-05", docs["water.png"]
' <<<"$meta"; then
    ok "--dump-meta: ocr true, a confidence, number and date read from scans"
else
    not_ok "--dump-meta: ocr true, a confidence, number and date read from scans" "$meta"
fi
hit=$("$VNS_QUERY" --db "$TMP/db" --json "tiêm chủng" | head -1)
check "--json hits carry ocr and ocr_confidence" \
    python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["ocr"] is True and d["ocr_confidence"] > 0' "$hit"
only=$("$VNS_QUERY" --db "$TMP/db" --json --ocr "" | ids | sort | tr '\n' ' ')
check "vnsearch --ocr: only the scans" \
    [ "$only" = "roads.tif vaccine.pdf water.png " ]
facets=$("$VNS_QUERY" --db "$TMP/db" --facets "thông báo")
check "vnsearch --facets counts the scans (ocr: 1)" grep -qx "ocr: 1 (3)" <<<"$facets"
check "the born-digital notice has no ocr field" python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    if d["id"] == "notice.md":
        assert "ocr" not in d, d
        sys.exit(0)
sys.exit(1)' <<<"$meta"

# the API: ocr=1 filters, hits say "ocr": true
"$VNSD" --db "$TMP/db" --listen 127.0.0.1:0 --threads 2 --log "$TMP/d.log" &
dpid=$!
pids+=("$dpid")
port=$(log_port "$TMP/d.log")
body=$(curl -s "http://127.0.0.1:$port/api/search?q=th%C3%B4ng+b%C3%A1o&ocr=1")
if python3 -c '
import json, sys
d = json.loads(sys.argv[1])
ids = sorted(h["id"] for h in d["hits"])
assert ids == ["roads.tif", "vaccine.pdf", "water.png"], ids
assert all(h["ocr"] is True for h in d["hits"])' "$body" 2>/dev/null; then
    ok "API: ocr=1 keeps the scans, each hit says ocr true"
else
    not_ok "API: ocr=1 keeps the scans, each hit says ocr true" "$body"
fi
body=$(curl -s "http://127.0.0.1:$port/api/search?q=th%C3%B4ng+b%C3%A1o&facets=1")
check "API: the ocr facet counts the scans among the matches" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["facets"]["ocr"] == {"1": 3}, d["facets"]' "$body"
page=$(curl -s "http://127.0.0.1:$port/?q=th%C3%B4ng+b%C3%A1o")
check "the page offers the scans as a filter, with their count" \
    grep -q 'href="/?q=[^"]*&amp;ocr=1"><span>Bản quét (OCR)</span><span class="count">3</span>' <<<"$page"
kill "$dpid" 2>/dev/null
wait "$dpid" 2>/dev/null
ex=$("$VNS_QUERY" --db "$TMP/db" --explain water.png)
check "--explain says the text was OCR'd" grep -q "ocr: yes, mean confidence" <<<"$ex"

# --rebuild reads every file again: the cache answers, no recognition
out=$("$VNS_INDEX" --db "$TMP/db" --ocr-cache "$CACHE" --rebuild "$D" 2>&1)
if grep -q "^ocr: 0 pages of 0 files in .*, 5 pages of 3 files from the cache, 1 files failed" <<<"$out"; then
    ok "--rebuild: zero OCR, 3 files from the cache"
else
    not_ok "--rebuild: zero OCR, 3 files from the cache" "$out"
fi
check "after --rebuild the PNG is still found" \
    [ "$(first "tam dung cap nuoc")" = water.png ]

# a damaged cache entry is a miss: recognized again, saved again
entry=$(find "$CACHE" -type f -size -1500c | head -1)
n_entries=$(find "$CACHE" -type f | wc -l)
check "one cache entry per recognized file" [ "$n_entries" -eq 3 ]
printf 'vnsearch-ocr 1 pages=9 confidence=50\nbroken' >"$entry"
out=$("$VNS_INDEX" --db "$TMP/db" --ocr-cache "$CACHE" --force "$D" 2>&1)
if grep -q "^ocr: [12] pages of 1 files in .*, [0-9] pages of 2 files from the cache" <<<"$out"; then
    ok "a damaged cache entry is recognized again, the others come from the cache"
else
    not_ok "a damaged cache entry is recognized again, the others come from the cache" "$out"
fi
check "... and the entry is whole again" python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
assert b.startswith(b"vnsearch-ocr 1 pages=") and b.endswith(b"\f")' "$entry"
check "no temporary files left in the cache" \
    [ "$(find "$CACHE" -name '.tmp.*' | wc -l)" -eq 0 ]

# --ocr off: as before OCR existed
out=$("$VNS_INDEX" --db "$TMP/db-off" --ocr off --ocr-cache "$CACHE" "$D" 2>&1)
if grep -q "vaccine.pdf: no text layer (scanned?)" <<<"$out" &&
    grep -q "water.png: unsupported type image/png" <<<"$out" &&
    ! grep -q "^ocr:" <<<"$out"; then
    ok "--ocr off: 'no text layer (scanned?)', images unsupported, no OCR"
else
    not_ok "--ocr off: 'no text layer (scanned?)', images unsupported, no OCR" "$out"
fi

# the same from the config file, and --print-config shows it
printf '[ocr]\nmode = off\njobs = 1\npage_timeout = 30\ncache_dir = %s\n' \
    "$CACHE" >"$TMP/conf"
pc=$("$VNS_INDEX" --config "$TMP/conf" --print-config 2>&1)
if grep -q "^mode = off ; $TMP/conf:2" <<<"$pc" &&
    grep -q "^page_timeout = 30 ; " <<<"$pc" &&
    grep -q "^\[ocr\]" <<<"$pc"; then
    ok "[ocr] in the config file, shown by --print-config"
else
    not_ok "[ocr] in the config file, shown by --print-config" "$pc"
fi
out=$("$VNS_INDEX" --config "$TMP/conf" --db "$TMP/db-conf" "$D" 2>&1)
check "[ocr] mode = off applies" grep -q "no text layer (scanned?)" <<<"$out"
out=$("$VNS_INDEX" --ocr sometimes --db "$TMP/db-x" "$D" 2>&1)
check "--ocr takes auto, off or force" grep -q "takes one of auto off force" <<<"$out"

# no helper beside the program nor installed: each scan says what is missing
mkdir -p "$TMP/bin"
cp "$VNS_INDEX" "$TMP/bin/"
out=$(VNSEARCH_DATA_DIR="$PWD/data" "$TMP/bin/vnsearch-index" \
    --db "$TMP/db-nohelper" --ocr-cache "$TMP/empty-cache" "$D" 2>&1)
rc=$?
if [ -x /usr/local/libexec/vnsearch/vnsearch-ocr ]; then
    ok "# skip: an installed vnsearch-ocr would be found"
elif [ $rc -eq 1 ] && grep -q "water.png: OCR needs vnsearch-ocr, not found in $TMP/bin nor " <<<"$out" &&
    grep -q "vnsearch-ocr not found: scanned files will fail" <<<"$out"; then
    ok "no helper: a warning, then each scan names what is missing"
else
    not_ok "no helper: a warning, then each scan names what is missing" "rc=$rc" "$out"
fi
