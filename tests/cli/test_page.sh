#!/usr/bin/env bash
# The search page in a real browser: vnsearchd on 127.0.0.1 over corpus/
# plus an XSS fixture, driven by tests/page/test_page.mjs in Debian's
# headless Chromium through playwright-core (installed here by npm ci).
set -u
. "$(dirname "$0")/lib.sh"

PAGE_DIR="$PWD/tests/page"
ART="$PAGE_DIR/artifacts/$(basename "$build")"
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

CHROMIUM=${VNS_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    ok "# skip the page test: node or npm is missing (scripts/install-deps)"
    exit 0
fi
if [ ! -x "$CHROMIUM" ]; then
    ok "# skip the page test: no $CHROMIUM (scripts/install-deps)"
    exit 0
fi
if [ ! -d "$PAGE_DIR/node_modules/playwright-core" ]; then
    # the exact versions of package-lock.json; no browser is downloaded
    (cd "$PAGE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
        npm ci --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1
    if [ $? -ne 0 ]; then
        not_ok "npm ci in tests/page" "$(tail -3 "$TMP/npm.log")"
        exit 1
    fi
fi

mkdir -p "$TMP/docs" "$ART"
cp corpus/*.txt corpus/*.md corpus/*.meta.json "$TMP/docs/"
rm -f "$TMP/docs/README.md"
# markup in notices: raw in a .txt (libmagic calls it HTML, the tags
# go), and as entities in an .html whose text then holds the markup, also
# in the subject and signer of its sidecar
cat >"$TMP/docs/xss-raw.txt" <<'XSS'
THÔNG BÁO xsskiemtra <script>alert(1)</script> "><img src=x onerror=alert(1)>
Văn bản kiểm tra xsskiemtra: <script>alert(1)</script> và "><img src=x onerror=alert(1)> phải hiện ra như chữ.
XSS
cat >"$TMP/docs/xss-thong-bao.html" <<'XSS'
<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>THÔNG BÁO kiểm tra xsskiemtra &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</title></head>
<body><h1>THÔNG BÁO kiểm tra xsskiemtra &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>
<p>Nội dung thứ nhất: &lt;script&gt;alert(1)&lt;/script&gt; là chữ.</p>
<p>Nội dung thứ hai: &quot;&gt;&lt;img src=x onerror=alert(1)&gt; cũng là chữ xsskiemtra.</p>
</body></html>
XSS
printf '%s\n' '{"subject": "<script>alert(1)</script> \"><img src=x onerror=alert(1)>", "signer": "\"><img src=x onerror=alert(1)>"}' \
    >"$TMP/docs/xss-thong-bao.html.meta.json"
"$VNS_INDEX" --db "$TMP/db" "$TMP/docs" >"$TMP/index.log" 2>&1
check "index corpus/ and the XSS fixture" [ $? -eq 0 ]

"$VNSD" --db "$TMP/db" --listen 127.0.0.1:0 --threads 4 \
    --log "$TMP/d.log" &
pid=$!
port=
for _ in $(seq 1 200); do
    port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' \
        "$TMP/d.log" 2>/dev/null)
    if [ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/healthz"
    then
        break
    fi
    port=
    sleep 0.05
done
check "vnsearchd answers on a free port" [ -n "$port" ]
[ -n "$port" ] || exit 1

VNS_URL="http://127.0.0.1:$port" VNS_ARTIFACTS="$ART" VNS_N=$n \
    VNS_CHROMIUM="$CHROMIUM" timeout 180 node "$PAGE_DIR/test_page.mjs"
rc=$?
if [ $rc -ne 0 ]; then
    echo "# node exited with $rc; daemon log:"
    tail -5 "$TMP/d.log" | sed 's/^/#   /'
fi
exit $rc
