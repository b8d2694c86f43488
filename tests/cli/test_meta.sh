#!/usr/bin/env bash
# End to end: metadata of the five real notices, filters, facets, sorting,
# --explain, --dump-meta, sidecars and manifests.
set -u
. "$(dirname "$0")/lib.sh"

DB="$TMP/db"
NT=ninh-thuan-2021-11-29-thong-bao-ket-luan.txt
NT8=ninh-thuan-2021-08-31-thong-bao-ket-luan.md
TH=thanh-hoa-2021-12-07-thong-bao-ket-luan.txt
TV=tra-vinh-2021-12-02-thong-bao-ket-luan.txt
LC=lai-chau-2021-11-08-thong-bao-ket-luan.txt
"$VNS_INDEX" --db "$DB" corpus >/dev/null 2>&1
check "index corpus/ with its sidecar" [ $? -eq 0 ]

# field ID KEY: the value --dump-meta gives
"$VNS_QUERY" --db "$DB" --dump-meta >"$TMP/dump.jsonl"
field() {
    python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d["id"] == sys.argv[2]:
        v = d[sys.argv[3]]
        print(v if not isinstance(v, list) else " ".join(x["date"] for x in v))' \
        "$TMP/dump.jsonl" "$1" "$2"
}
lines=$(wc -l <"$TMP/dump.jsonl")
check "--dump-meta: one line per document" [ "$lines" -eq 5 ]

# Every field the texts state (none has a header, so no number).
while read -r id key want; do
    got=$(field "$id" "$key")
    if [ "$got" = "$want" ]; then
        ok "$id: $key = $want"
    else
        not_ok "$id: $key = $want" "got: $got"
    fi
done <<EOF
$NT date 2021-11-29
$NT8 date 2021-08-31
$TH date 2021-12-07
$LC date 2021-11-08
$TV date 2021-12-02
$NT doc_type Thông báo
$NT8 doc_type Thông báo
$TH doc_type Thông báo
$LC doc_type Thông báo
$TV doc_type Thông báo
$NT number None
$NT province Ninh Thuận
$NT8 province Ninh Thuận
$TH province Thanh Hóa
$LC province Lai Châu
$TV province Trà Vinh
$NT province_2025 Khánh Hòa
$TH province_2025 Thanh Hóa
$LC province_2025 Lai Châu
$TV province_2025 Vĩnh Long
$NT issuing_body Thường trực Tỉnh ủy
$NT8 issuing_body Thường trực Tỉnh ủy
$TH issuing_body Văn phòng Tỉnh ủy
$TV issuing_body Văn phòng Tỉnh ủy
$LC issuing_body Văn phòng Ủy ban nhân dân tỉnh
$NT signer Nguyễn Đức Thanh
$NT8 signer Nguyễn Đức Thanh
$TH signer Trần Văn Tuấn
$LC signer Nguyễn Thị Hồng Tuyến
$NT deadlines 2021-12-15
$TV deadlines 2021-12-06 2021-12-05
EOF

# The Trà Vinh province comes from its sidecar: the text says only
# "huyện Châu Thành", which ten provinces have.
out=$("$VNS_QUERY" --db "$DB" --explain "$TV")
if grep -q "province: Trà Vinh  \[override\]" <<<"$out"; then
    ok "--explain shows the override"
else
    not_ok "--explain shows the override" "$out"
fi
out=$("$VNS_QUERY" --db "$DB" --explain "$NT")
if grep -q "^  province: Ninh Thuận  \[.*Ninh Hải" <<<"$out"; then
    ok "--explain shows the evidence for Ninh Thuận"
else
    not_ok "--explain shows the evidence for Ninh Thuận" "$out"
fi
out=$("$VNS_QUERY" --db "$DB" --explain "$TV")
if grep -q "^  recipients: Thường trực Tỉnh ủy (b/c);.*Nông nghiệp và Phát triển nông thôn, Ban Quản lý Khu kinh tế tỉnh, Giáo dục và Đào tạo; Văn phòng Ủy ban nhân dân tỉnh; Lưu Văn phòng Tỉnh ủy$" <<<"$out"; then
    ok "--explain lists the recipients, wrapped items joined"
else
    not_ok "--explain lists the recipients, wrapped items joined" "$out"
fi
"$VNS_QUERY" --db "$DB" --explain nope.txt >/dev/null 2>&1
check "--explain of an unknown id: exit 2" [ $? -eq 2 ]

# Without the sidecar the province is unknown, with candidates.
mkdir -p "$TMP/nos"
cp corpus/$TV "$TMP/nos/"
"$VNS_INDEX" --db "$TMP/db2" "$TMP/nos" >/dev/null 2>&1
out=$("$VNS_QUERY" --db "$TMP/db2" --explain "$TV" --json)
if python3 -c 'import json,sys
d = json.loads(sys.stdin.read())
sys.exit(0 if "province" not in d and "Trà Vinh" in d["province_candidates"] else 1)' <<<"$out"; then
    ok "Trà Vinh without sidecar: province unknown, Trà Vinh a candidate"
else
    not_ok "Trà Vinh without sidecar: province unknown, Trà Vinh a candidate" "$out"
fi

# Filters.
q() {
    "$VNS_QUERY" --db "$DB" --json --limit 100 "$@" | ids | sort | tr '\n' ' '
}
check "--province 'ninh thuan': both Ninh Thuận notices" \
    [ "$(q --province "ninh thuan")" = "$NT8 $NT " ]
check "--province-2025 'Khánh Hòa' takes merged Ninh Thuận" \
    [ "$(q --province-2025 "Khánh Hòa")" = "$NT8 $NT " ]
check "--province 'Khánh Hòa': only notices naming Khánh Hòa (none here)" \
    [ "$(q --province "Khánh Hòa")" = "" ]
check "--province-2025 'vinh long'" [ "$(q --province-2025 "vinh long")" = "$TV " ]
check "--from 2021-12-01" [ "$(q --from 2021-12-01)" = "$TH $TV " ]
check "--to 31/08/2021" [ "$(q --to 31/08/2021)" = "$NT8 " ]
check "--deadline-from/--deadline-to 05/12/2021" \
    [ "$(q --deadline-from 05/12/2021 --deadline-to 2021-12-05)" = "$TV " ]
check "--has-deadline with a query" \
    [ "$(q --has-deadline "tiêm mũi 2")" = "$NT $TH $TV " ]
check "--type TB" [ "$(q --type TB | wc -w)" -eq 5 ]
check "--body 'thuong truc tinh uy'" [ "$(q --body "thuong truc tinh uy")" = "$NT8 $NT " ]
check "--body 'VP Tỉnh ủy'" [ "$(q --body "VP Tỉnh ủy")" = "$TH $TV " ]
first=$("$VNS_QUERY" --db "$DB" --json --sort date --province "Ninh Thuận" | ids | head -1)
check "--sort date: newest first" [ "$first" = "$NT" ]

for bad in "--province Ninh Thuann:did you mean Ninh Thuận?" \
    "--type Thong bo:did you mean Thông báo?" \
    "--from 32/13/2021:not a date"; do
    opt=${bad%%:*}
    msg=${bad#*:}
    out=$("$VNS_QUERY" --db "$DB" ${opt%% *} "${opt#* }" covid 2>&1)
    rc=$?
    if [ $rc -eq 2 ] && grep -qF "$msg" <<<"$out" && [ "$(wc -l <<<"$out")" -eq 1 ]; then
        ok "bad filter $opt: one line, '$msg', exit 2"
    else
        not_ok "bad filter $opt: one line, '$msg', exit 2" "rc=$rc" "$out"
    fi
done

# Facets count the whole result set, not the page.
out=$("$VNS_QUERY" --db "$DB" --json --facets --limit 1 covid | head -1)
if python3 -c 'import json,sys
d = json.loads(sys.stdin.read())["facets"]
sys.exit(0 if d["province"]["Ninh Thuận"] == 2 and d["doc_type"]["Thông báo"] == 5
         and d["month"]["2021-12"] == 2 else 1)' <<<"$out"; then
    ok "--facets: counts over all matches"
else
    not_ok "--facets: counts over all matches" "$out"
fi

# A manifest overrides; a sidecar wins over it; bad entries are named.
M="$TMP/m"
mkdir -p "$M"
cp corpus/$NT corpus/$LC "$M/"
printf 'id,province,number\n%s,Thanh Hóa,99/TB-TU\n' "$NT" >"$TMP/manifest.csv"
printf '{"number": "7/TB-X"}' >"$M/$NT.meta.json"
"$VNS_INDEX" --db "$TMP/db3" --manifest "$TMP/manifest.csv" "$M" >/dev/null 2>&1
check "index with --manifest" [ $? -eq 0 ]
"$VNS_QUERY" --db "$TMP/db3" --dump-meta >"$TMP/dump.jsonl"
check "manifest overrides the province" [ "$(field "$NT" province)" = "Thanh Hóa" ]
check "sidecar wins over the manifest" [ "$(field "$NT" number)" = "7/TB-X" ]
printf '{"provnce": "Huế"}' >"$M/$LC.meta.json"
out=$("$VNS_INDEX" --db "$TMP/db3" "$M" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "$LC: provnce: unknown field" <<<"$out"; then
    ok "bad sidecar: file named with the key, exit 1"
else
    not_ok "bad sidecar: file named with the key, exit 1" "rc=$rc" "$out"
fi
printf 'id,province\n"broken\n' >"$TMP/bad.csv"
out=$("$VNS_INDEX" --db "$TMP/db3" --manifest "$TMP/bad.csv" "$M" 2>&1)
rc=$?
if [ $rc -eq 2 ] && grep -q "bad.csv:2: " <<<"$out"; then
    ok "bad manifest: file and line named, exit 2"
else
    not_ok "bad manifest: file and line named, exit 2" "rc=$rc" "$out"
fi
