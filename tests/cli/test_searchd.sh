#!/usr/bin/env bash
# End to end: vnsearchd on 127.0.0.1 over corpus/ (ids with a "/"): every
# endpoint, filter and error code, headers, token, reopen, SIGTERM.
set -u
. "$(dirname "$0")/lib.sh"


NT=tb/ninh-thuan-2021-11-29-thong-bao-ket-luan.txt
NT_ENC=tb%2Fninh-thuan-2021-11-29-thong-bao-ket-luan.txt
mkdir -p "$TMP/docs/tb" "$TMP/extra"
cp corpus/*.txt corpus/*.md corpus/*.meta.json "$TMP/docs/tb/"
rm -f "$TMP/docs/tb/README.md"
"$VNS_INDEX" --db "$TMP/db" "$TMP/docs" >/dev/null 2>&1
check "index corpus/ into a temporary folder" [ $? -eq 0 ]

# start NAME ARGS...: run vnsearchd on a free port, log to $TMP/NAME.log;
# sets $port and $pid once /healthz answers.
start() {
    local name=$1 i
    shift
    "$VNSD" --db "$TMP/db" --listen 127.0.0.1:0 --threads 2 \
        --log "$TMP/$name.log" "$@" &
    pid=$!
    pids+=("$pid")
    port=
    for i in $(seq 1 200); do
        port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' \
            "$TMP/$name.log" 2>/dev/null)
        if [ -n "$port" ] &&
            curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# get PATH [CURL ARGS...]: body in $TMP/body, headers in $TMP/head,
# status in $code
get() {
    local path=$1
    shift
    code=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' "$@" \
        "http://127.0.0.1:$port$path")
}

# expect WHAT STATUS PATH [EXPR]: the status matches and EXPR (Python, on
# the JSON body as d) holds. Checked in batches by flush: Python starts
# slowly, so once per batch.
k=0
expect() {
    local what=$1 want=$2 path=$3 expr=${4:-True}
    get "$path"
    k=$((k + 1))
    cp "$TMP/body" "$TMP/b.$k"
    printf '%s' "$expr" >"$TMP/e.$k"
    printf '%s\t%s\t%s\t%s\n' "$k" "$want" "$code" "$what" >>"$TMP/pending"
}

flush() {
    [ -s "$TMP/pending" ] || return 0
    python3 - "$TMP" "$n" <<'PY' >"$TMP/results"
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
for line in open(tmp + "/pending", encoding="utf-8"):
    k, want, code, what = line.rstrip("\n").split("\t", 3)
    body = open(f"{tmp}/b.{k}", encoding="utf-8", errors="replace").read()
    expr = open(f"{tmp}/e.{k}", encoding="utf-8").read()
    try:
        got = bool(eval("(" + expr + ")", {"d": json.loads(body)}))
    except Exception as e:
        got = f"{type(e).__name__}: {e}"
    n += 1
    if code == want and got is True:
        print(f"ok {n} - {what}")
    else:
        print(f"not ok {n} - {what}")
        print(f"#   status {code} (want {want}), check: {got}")
        print(f"#   {body[:300]}")
PY
    cat "$TMP/results"
    n=$((n + $(grep -c '^\(not \)\?ok ' "$TMP/results")))
    rm -f "$TMP/pending"
}

start main --max-inflight 2
check "vnsearchd starts and /healthz answers" [ -n "$port" ]
B="http://127.0.0.1:$port"
expect "/healthz: ok and 5 documents" 200 /healthz \
    'd["status"] == "ok" and d["documents"] == 5'

# Security headers on a page, a search, an error.
for path in / "/api/search?q=covid" /nowhere; do
    get "$path"
    if grep -qi "^Content-Security-Policy: default-src 'self'" "$TMP/head" &&
        grep -qi '^X-Content-Type-Options: nosniff' "$TMP/head" &&
        grep -qi '^Referrer-Policy: no-referrer' "$TMP/head"; then
        ok "security headers on $path"
    else
        not_ok "security headers on $path" "$(cat "$TMP/head")"
    fi
done

get /
check "/: an HTML page with a search form to itself" \
    grep -q '<form id="search" class="search" action="/"' "$TMP/body"
get "/?q=covid&province=Ninh%20Thu%E1%BA%ADn"
check "/?q=: the first page rendered by the server" \
    grep -q "<a href=\"/doc/$NT_ENC\">" "$TMP/body"
get "/?q=%22%3E%3Cimg%20src%3Dx%3E"
check "/?q=: the query is escaped in the page" \
    grep -q 'value="&quot;&gt;&lt;img src=x&gt;"' "$TMP/body"
get "/?q=covid&province=Ninh%20Thuann"
grep -q 'did you mean' "$TMP/body" || code="$code without the reason"
check "/?q=: a bad province is a 400 page that says why" [ "$code" = 400 ]
get "/doc/$NT_ENC"
check "/doc/{id}: the document as a page" \
    grep -q '<div class="doctext">' "$TMP/body"
get "/doc/nope.txt"
check "/doc/{id}: 404 for an unknown id" [ "$code" = 404 ]
get /static/app.js
check "/static/app.js: the embedded script" \
    grep -qi '^Content-Type: text/javascript' "$TMP/head"
get /static/app.css
check "/static/app.css: the embedded style" grep -q 'font-family' "$TMP/body"
get /static/nope.js
check "/static/: 404 for an unknown file" [ "$code" = 404 ]
get /
check "/: served as HTML" grep -qi '^Content-Type: text/html' "$TMP/head"
code=$(curl -s -o /dev/null -w '%{http_code}' -I "$B/")
check "HEAD / is 200" [ "$code" = 200 ]
expect "/api describes the endpoints" 200 /api \
    '"/api/search" in [e["path"] for e in d["endpoints"]]'

# Search: the fields of the response and of a hit.
expect "search: total, total_exact, took_ms, facets" 200 \
    "/api/search?q=tiem+mui+2" \
    'd["total"] >= 1 and "total_exact" in d and d["took_ms"] >= 0 and
sorted(d["facets"]) == ["doc_type", "issuing_body", "month", "ocr", "province"]'
expect "search: suggestion restores diacritics, null when none" 200 \
    "/api/search?q=tiem+mui+2" 'd["suggestion"] == "tiêm mũi 2"'
expect "search: no suggestion for a query written right" 200 \
    "/api/search?q=ti%C3%AAm+m%C5%A9i+2" 'd["suggestion"] is None'
expect "search: a hit has id, title, score, metadata, snippets" 200 \
    "/api/search?q=tiem+mui+2&size=1" \
    'len(d["hits"]) == 1 and all(k in d["hits"][0] for k in
("id", "title", "score", "date", "province", "issuing_body", "doc_type",
"deadlines", "snippets")) and d["hits"][0]["snippets"][0]["highlights"]'
expect "search: highlights point at the matched words" 200 \
    "/api/search?q=ti%C3%AAm&size=1" \
    'all(s["text"].encode()[o:o+n].decode().lower() == "tiêm"
for s in d["hits"][0]["snippets"] for o, n in s["highlights"])'
expect "search: facets count the whole result set" 200 \
    "/api/search?q=covid&size=1" \
    'sum(d["facets"]["province"].values()) == d["total"] == 5'

# Each filter.
expect "filter province (old name, no diacritics)" 200 \
    "/api/search?q=covid&province=ninh+thuan" \
    'd["total"] == 2 and {h["province"] for h in d["hits"]} == {"Ninh Thuận"}'
expect "filter province_2025" 200 \
    "/api/search?province_2025=Kh%C3%A1nh+H%C3%B2a" \
    '{h["province_2025"] for h in d["hits"]} == {"Khánh Hòa"}'
expect "filter body" 200 \
    "/api/search?q=covid&body=Th%C6%B0%E1%BB%9Dng+tr%E1%BB%B1c+T%E1%BB%89nh+%E1%BB%A7y" \
    'd["total"] >= 1 and {h["issuing_body"] for h in d["hits"]} == {"Thường trực Tỉnh ủy"}'
expect "filter type" 200 "/api/search?q=covid&type=TB" 'd["total"] == 5'
expect "filter from/to" 200 "/api/search?from=2021-12-01&to=31/12/2021" \
    'sorted(h["date"] for h in d["hits"]) == ["2021-12-02", "2021-12-07"]'
expect "filter deadline_from/deadline_to" 200 \
    "/api/search?deadline_from=2021-12-05&deadline_to=2021-12-06" \
    'd["total"] >= 1 and all(any("2021-12-05" <= x["date"] <= "2021-12-06"
for x in h["deadlines"]) for h in d["hits"])'
expect "filter has_deadline" 200 "/api/search?q=covid&has_deadline=1" \
    'd["total"] >= 1 and all(h["deadlines"] for h in d["hits"])'
expect "sort=date: newest first" 200 "/api/search?q=covid&sort=date" \
    '[h["date"] for h in d["hits"]] == sorted((h["date"] for h in d["hits"]), reverse=True)'
expect "page and size" 200 "/api/search?q=covid&size=2&page=2" \
    '[h["rank"] for h in d["hits"]] == [3, 4] and d["page"] == 2'
expect "empty form fields are no filter" 200 \
    "/api/search?q=covid&province=&body=&sort=relevance" 'd["total"] == 5'

# Errors: JSON {error, message} with the right status.
expect "400: unknown province names the closest" 400 \
    "/api/search?q=covid&province=Ninh+Thuann" \
    'd["error"] == "bad_request" and "did you mean Ninh Thuận" in d["message"]'
expect "400: size over 100" 400 "/api/search?q=covid&size=101"
expect "400: page 0" 400 "/api/search?q=covid&page=0"
expect "400: bad sort" 400 "/api/search?q=covid&sort=name"
expect "400: unknown parameter" 400 "/api/search?q=covid&pgae=2" \
    '"pgae" in d["message"]'
expect "400: unbalanced quote" 400 "/api/search?q=%22covid"
expect "400: nothing to search for" 400 "/api/search?q="
expect "400: invalid UTF-8 in a parameter" 400 "/api/search?q=%FF%FE"
expect "400: NUL in a parameter" 400 "/api/search?q=co%00vid"
expect "400: NUL in the path" 400 "/api/doc/tb%00x"
expect "404: no such document" 404 "/api/doc/nope.txt" \
    'd["error"] == "not_found"'
expect "404: no such endpoint" 404 "/api/nothing"
code=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' -X POST \
    "$B/api/search?q=covid")
check "405: POST, with Allow" [ "$code" = 405 ] &&
    grep -qi '^Allow: GET, HEAD' "$TMP/head"
long=$(printf 'a%.0s' $(seq 1 9000))
expect "413: URL too long" 413 "/api/search?q=$long"
expect "413: query over 1 KiB" 413 "/api/search?q=${long:0:1100}"

# Documents: ids with a "/", encoded or not; the original file.
expect "/api/doc/{id} with %2F" 200 "/api/doc/$NT_ENC" \
    'd["id"] == "'$NT'" and len(d["text"]) > 1000 and
d["meta"]["province"] == "Ninh Thuận" and d["has_original"]'
expect "/api/doc/{id} with a plain /" 200 "/api/doc/$NT" \
    'd["id"] == "'$NT'"'
get "/api/doc/$NT_ENC/raw"
if [ "$code" = 200 ] && cmp -s "$TMP/body" "$TMP/docs/$NT" &&
    grep -qi '^Content-Type: text/plain' "$TMP/head"; then
    ok "/raw: the original bytes as text/plain"
else
    not_ok "/raw: the original bytes as text/plain" "status $code"
fi
check "/raw: sandboxed" grep -qi "^Content-Security-Policy: .*sandbox" \
    "$TMP/head"

expect "suggest: tiem -> tiêm" 200 "/api/suggest?q=tiem" \
    'd["suggestions"][0]["text"] == "tiêm" and d["suggestions"][0]["count"] >= 1'
expect "suggest: completes the last word only" 200 \
    "/api/suggest?q=k%E1%BA%BF+ho%E1%BA%A1ch+ti" \
    'all(s["text"].startswith("kế hoạch ") for s in d["suggestions"]) and
d["suggestions"]'

# The response cache: a search asked again is answered from it, whatever
# the order of its parameters, with the same bytes.
# xcache WHAT WANT PATH [BODY]: X-Cache of PATH is WANT ("hit", "miss",
# "none" for no header), and the body is the same as the file BODY.
xcache() {
    local what=$1 want=$2 path=$3 same=${4:-} got
    get "$path"
    got=$(sed -n 's/^X-Cache: \([a-z]*\).*/\1/Ip' "$TMP/head")
    got=${got:-none}
    if [ "$code" = 200 ] && [ "$got" = "$want" ] &&
        { [ -z "$same" ] || cmp -s "$TMP/body" "$same"; }; then
        ok "$what"
    else
        not_ok "$what" "status $code, X-Cache $got (want $want)"
    fi
}
xcache "cache: a new search is a miss" miss \
    "/api/search?q=covid&size=3&sort=date"
cp "$TMP/body" "$TMP/cached"
xcache "cache: the same search again is a hit, the same body" hit \
    "/api/search?q=covid&size=3&sort=date" "$TMP/cached"
xcache "cache: the order of the parameters does not matter" hit \
    "/api/search?sort=date&q=covid&size=3" "$TMP/cached"
xcache "cache: another value is another entry" miss \
    "/api/search?q=covid&size=4&sort=date"
xcache "cache: suggestions are cached" miss "/api/suggest?q=ph"
cp "$TMP/body" "$TMP/cached"
xcache "cache: suggestions, second time a hit" hit "/api/suggest?q=ph" \
    "$TMP/cached"
xcache "cache: the search page is cached" miss "/?q=covid&page=1"
cp "$TMP/body" "$TMP/cached"
xcache "cache: the search page, second time a hit" hit "/?page=1&q=covid" \
    "$TMP/cached"
get "/api/search?q=covid&size=101"
get "/api/search?q=covid&size=101"
if [ "$code" = 400 ] && grep -qi '^X-Cache: miss' "$TMP/head"; then
    ok "cache: an error is not kept"
else
    not_ok "cache: an error is not kept" "status $code"
fi
get "/api/doc/$NT_ENC"
cp "$TMP/body" "$TMP/cached"
xcache "cache: a document asked again is a hit, the same body" hit \
    "/api/doc/$NT_ENC" "$TMP/cached"
get "/api/doc/$NT_ENC/raw"
check "cache: original files are not cached (no X-Cache)" \
    sh -c '! grep -qi "^X-Cache:" "$1"' sh "$TMP/head"

# Reopen: a file indexed while the daemon runs shows up (the cached answer
# of the revision before is dropped), then /raw of it is 404 once the file
# is gone.
xcache "cache: before the commit, the search is cached" miss \
    "/api/search?q=xylophon"
xcache "cache: ... and answered from the cache" hit "/api/search?q=xylophon"
printf 'THÔNG BÁO\nVề việc kiểm tra xylophon tại xã Phước Dân.\n' \
    >"$TMP/extra/moi.txt"
"$VNS_INDEX" --db "$TMP/db" "$TMP/extra" >/dev/null 2>&1
expect "reopen: a new commit is searched without a restart" 200 \
    "/api/search?q=xylophon" 'd["total"] == 1 and d["hits"][0]["id"] == "moi.txt"'
check "cache: a new index revision empties the cache (a miss)" \
    grep -qi '^X-Cache: miss' "$TMP/head"
rm "$TMP/extra/moi.txt"
expect "/raw: 404 when the file is gone" 404 "/api/doc/moi.txt/raw"
flush

# 503: two requests held open (body announced, not sent) fill the limit.
exec 3<>"/dev/tcp/127.0.0.1/$port" 4<>"/dev/tcp/127.0.0.1/$port"
hold='GET /api/search?q=covid HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n'
printf "$hold" >&3
printf "$hold" >&4
for _ in $(seq 1 100); do
    get /metrics
    grep -q '^vnsearchd_in_flight_requests [3-9]' "$TMP/body" && break
    sleep 0.05
done
expect "503 beyond the in-flight limit" 503 "/api/search?q=covid" \
    'd["error"] == "unavailable"'
check "503 says when to retry" grep -qi '^Retry-After:' "$TMP/head"
exec 3>&- 4>&-
flush

# each idle handle catches up with the commit once: a few answers may be
# computed on the new revision before one is kept
for _ in 1 2 3 4 5 6; do
    get "/api/search?q=covid"
    grep -qi '^X-Cache: hit' "$TMP/head" && break
done
check "cache: filled again after the new revision" \
    grep -qi '^X-Cache: hit' "$TMP/head"
get /metrics
check "/metrics: requests by status" \
    grep -q '^vnsearchd_requests_total{status="400"} [1-9]' "$TMP/body"
check "/metrics: latency histogram" \
    grep -q '^vnsearchd_request_duration_seconds_bucket{le="+Inf"} [1-9]' \
    "$TMP/body"
check "/metrics: documents and last reopen" \
    grep -q '^vnsearchd_index_documents 6$' "$TMP/body"
check "/metrics: errors" grep -q '^vnsearchd_errors_total ' "$TMP/body"
check "/metrics: cache hits" \
    grep -q '^vnsearchd_cache_hits_total [1-9]' "$TMP/body"
check "/metrics: cache misses" \
    grep -q '^vnsearchd_cache_misses_total [1-9]' "$TMP/body"
check "/metrics: cache bytes" \
    grep -q '^vnsearchd_cache_bytes [1-9]' "$TMP/body"

kill -TERM "$pid"
rc=0
for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
wait "$pid" 2>/dev/null
rc=$?
check "SIGTERM: clean exit 0 (no leak in the sanitizer build)" [ "$rc" -eq 0 ]
check "log: one logfmt line per request" grep -Eq \
    '^ts=[-0-9T:.]+Z level=info prog=vnsearchd msg=request method=GET path=/api/search status=400 ms=[0-9.]+$' \
    "$TMP/main.log"
if grep -q 'covid\|tiem\|xylophon' "$TMP/main.log"; then
    not_ok "log: never the query text" "$(grep 'covid\|tiem' "$TMP/main.log" | head -3)"
else
    ok "log: never the query text"
fi
# the index read into the page cache beside the first requests: the
# postings and the document data, not the term lists
check "log: the index was read ahead at start" grep -Eq \
    'msg="the index was read ahead" mb=[0-9.]+ files=2 ms=[0-9]+$' \
    "$TMP/main.log"

# Token: every route but /healthz.
printf 's3cr3t-token\n' >"$TMP/token"
start auth --auth-token-file "$TMP/token"
B="http://127.0.0.1:$port"
expect "token: 401 without" 401 "/api/search?q=covid"
check "token: 401 asks for Bearer" grep -qi '^WWW-Authenticate: Bearer' \
    "$TMP/head"
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' \
    "$B/api/search?q=covid")
check "token: 401 with a wrong one" [ "$code" = 401 ]
code=$(curl -s -o /dev/null -w '%{http_code}' \
    -H 'Authorization: Bearer s3cr3t-token' "$B/api/search?q=covid")
check "token: 200 with it" [ "$code" = 200 ]
expect "token: /healthz stays open" 200 /healthz
code=$(curl -s -o /dev/null -D "$TMP/head" -w '%{http_code}' \
    "$B/api/search?q=covid")
check "token: a cached answer still wants the token" [ "$code" = 401 ]
kill -HUP "$pid"
sleep 0.2
check "SIGHUP reopens the log" grep -q 'log reopened' "$TMP/auth.log"
kill -TERM "$pid"
wait "$pid" 2>/dev/null
check "SIGTERM: the second daemon exits 0" [ $? -eq 0 ]
flush

# --cache-mb 0: no cache, every search computed again.
start nocache --cache-mb 0 --preload-mb 0
xcache "--cache-mb 0: no X-Cache header" none "/api/search?q=covid&size=3"
xcache "--cache-mb 0: not cached the second time" none \
    "/api/search?q=covid&size=3"
get /metrics
check "--cache-mb 0: no hits, no bytes" \
    sh -c 'grep -q "^vnsearchd_cache_hits_total 0$" "$1" &&
grep -q "^vnsearchd_cache_bytes 0$" "$1"' sh "$TMP/body"
kill -TERM "$pid"
wait "$pid" 2>/dev/null
check "--cache-mb 0: exits 0" [ $? -eq 0 ]
check "--preload-mb 0: the index is not read ahead" \
    sh -c '! grep -q "read ahead" "$1"' sh "$TMP/nocache.log"
"$VNSD" --db "$TMP/db" --preload-mb -1 >/dev/null 2>&1
check "--preload-mb takes 0 or more MiB (exit 2)" [ $? -eq 2 ]
"$VNSD" --db "$TMP/db" --cache-mb lots >/dev/null 2>&1
check "--cache-mb takes a number (exit 2)" [ $? -eq 2 ]

# --rate-per-ip: a client asking without pause gets 429 with Retry-After
# once its burst (2N) is spent; /healthz and cached answers stay free.
start rate --rate-per-ip 2
B="http://127.0.0.1:$port"
codes=
for i in 1 2 3 4 5 6 7 8; do
    code=$(curl -s -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' \
        "$B/api/search?q=covid+$i")
    codes="$codes $code"
    [ "$code" = 429 ] && break # its headers and body stay for the checks
done
if [ "$(echo $codes | cut -d' ' -f1-4)" = "200 200 200 200" ] &&
    grep -q ' 429' <<<"$codes" && grep -qi '^Retry-After: [1-9]' "$TMP/head" &&
    grep -q '"error":"too_many_requests"' "$TMP/body"; then
    ok "--rate-per-ip 2: a burst of 4, then 429 with Retry-After"
else
    not_ok "--rate-per-ip 2: a burst of 4, then 429 with Retry-After" \
        "codes:$codes" "$(cat "$TMP/head" "$TMP/body")"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' "$B/healthz")
check "--rate-per-ip: /healthz is not counted" [ "$code" = 200 ]
check "--rate-per-ip: /metrics counts the 429s" sh -c \
    'curl -s "$1/metrics" | grep -q "^vnsearchd_requests_total{status=\"429\"} [1-9]"' \
    sh "$B"
code=$(curl -s -o /dev/null -w '%{http_code}' "$B/api/search?q=covid+1")
check "--rate-per-ip: an answer from the cache is not counted" [ "$code" = 200 ]
sleep 1.1
code=$(curl -s -o /dev/null -w '%{http_code}' "$B/api/search?q=covid+9")
check "--rate-per-ip: tokens come back with time" [ "$code" = 200 ]
kill -TERM "$pid"
wait "$pid" 2>/dev/null
check "--rate-per-ip: exits 0" [ $? -eq 0 ]
