#!/usr/bin/env bash
# End to end on small fixtures: exact forms outrank other tones, and bad
# files are named, skipped and never stop the run.
set -u
. "$(dirname "$0")/lib.sh"

DB="$TMP/db"
"$VNS_INDEX" --db "$DB" tests/files/good/mui >/dev/null 2>&1
check "index the mùi/mũi/mui fixture" [ $? -eq 0 ]

first() {
    "$VNS_QUERY" --db "$DB" --json "$1" | ids | head -1
}
check "'mùi' ranks the mùi document first" [ "$(first "mùi")" = mui-hoi.txt ]
check "'mũi' ranks the mũi document first" [ "$(first "mũi")" = mui-tiem.txt ]
hits=$("$VNS_QUERY" --db "$DB" --json "mui" | ids | wc -l)
check "'mui' matches all three forms" [ "$hits" -eq 3 ]
hits=$("$VNS_QUERY" --db "$DB" --json "mùi" | ids | wc -l)
check "'mùi' still finds the other forms, ranked lower" [ "$hits" -eq 3 ]

# A tree with a binary file, an empty file and a PDF header among good ones.
T="$TMP/tree"
mkdir -p "$T/sub"
cp corpus/tra-vinh-2021-12-02-thong-bao-ket-luan.txt "$T/sub/a.txt"
head -c 4096 /dev/urandom >"$T/random.txt"
: >"$T/empty.txt"
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n' >"$T/x.pdf"
printf '<html><head><title>T</title><script>var secretword=1;</script></head><body><p>Thông báo khẩn về tiêm chủng</p></body></html>' >"$T/page.txt"
ln -s loop "$T/loop" 2>/dev/null
out=$("$VNS_INDEX" --db "$TMP/db2" "$T" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "random.txt: " <<<"$out" &&
    grep -q "empty.txt: " <<<"$out" && grep -q "x.pdf: " <<<"$out" &&
    grep -q "loop: " <<<"$out" && grep -q "^indexed 2, " <<<"$out"; then
    ok "bad files named with a reason, the rest indexed, exit 1"
else
    not_ok "bad files named with a reason, the rest indexed, exit 1" "rc=$rc" "$out"
fi
ids_found=$("$VNS_QUERY" --db "$TMP/db2" --json "tiêm chủng" | ids | sort | tr '\n' ' ')
check "HTML detected by content and indexed" grep -q "page.txt" <<<"$ids_found"
hits=$("$VNS_QUERY" --db "$TMP/db2" --json "secretword" | ids | wc -l)
check "script text is not indexed" [ "$hits" -eq 0 ]
check "nested ids are relative paths" grep -q "sub/a.txt" <<<"$ids_found"

# Unreadable files, as a user who cannot read them (root reads anything):
# named, skipped, the rest indexed.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    U="$TMP/unreadable"
    mkdir -p "$U"
    cp corpus/lai-chau-2021-11-08-thong-bao-ket-luan.txt "$U/ok.txt"
    cp corpus/lai-chau-2021-11-08-thong-bao-ket-luan.txt "$U/secret.txt"
    chmod 000 "$U/secret.txt"
    chmod 777 "$TMP" "$U"
    out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$VNS_INDEX" --db "$TMP/db-nobody" "$U" 2>&1)
    rc=$?
    if [ $rc -eq 1 ] && grep -q "secret.txt: Permission denied" <<<"$out" &&
        grep -q "^indexed 1, " <<<"$out"; then
        ok "an unreadable file is named and skipped, as a non-root user"
    else
        not_ok "an unreadable file is named and skipped, as a non-root user" "rc=$rc" "$out"
    fi
else
    ok "# skip unreadable files: needs root to drop to nobody"
fi

# A FIFO named .txt never blocks the run.
mkfifo "$TMP/fifo-tree/pipe.txt" 2>/dev/null || { mkdir -p "$TMP/fifo-tree"; mkfifo "$TMP/fifo-tree/pipe.txt"; }
cp corpus/tra-vinh-2021-12-02-thong-bao-ket-luan.txt "$TMP/fifo-tree/a.txt"
out=$(timeout 20 "$VNS_INDEX" --db "$TMP/db-fifo" "$TMP/fifo-tree" 2>&1)
rc=$?
if [ $rc -eq 1 ] && grep -q "pipe.txt: not a regular file" <<<"$out"; then
    ok "a FIFO is refused without blocking"
else
    not_ok "a FIFO is refused without blocking" "rc=$rc" "$out"
fi
