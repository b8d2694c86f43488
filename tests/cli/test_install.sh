#!/usr/bin/env bash
# End to end: `make install` into a temporary DESTDIR, the installed
# programs on corpus/ with their data from share/vnsearch, a program built
# against the installed library through pkg-config, man pages, systemd
# units, then `make uninstall` leaves nothing behind.
set -u
. "$(dirname "$0")/lib.sh"

# run under tests/run.sh, itself maybe under `make check`: no outer flags
unset MAKEFLAGS MFLAGS MAKELEVEL VNSEARCH_DATA_DIR VNSEARCH_DB
P=/usr/local
D="$TMP/dest"
R="$D$P"
# the sanitizer build stays one: a rebuild during install keeps its flags
mk=(make -s BUILD="$build" PREFIX="$P" DESTDIR="$D")
san_cflags=()
if ldd "$build/vnsearch" 2>/dev/null | grep -q libasan; then
    mk+=(SANITIZE=1)
    san_cflags=(-fsanitize=address,undefined)
fi

"${mk[@]}" install >"$TMP/install.log" 2>&1
rc=$?
check "make install into a temporary DESTDIR" [ $rc -eq 0 ]
if [ $rc -ne 0 ]; then
    sed 's/^/#   /' "$TMP/install.log"
    exit 1
fi

# --- files ---------------------------------------------------------------
missing=()
for f in bin/vnsearch-index bin/vnsearch sbin/vnsearchd \
    libexec/vnsearch/vnsearch-ocr; do
    [ -x "$R/$f" ] || missing+=("$f")
done
for f in lib/libvnsearch.a lib/libvnsearch.so.0.1.0 lib/libvnsearch.so.0 \
    lib/libvnsearch.so lib/pkgconfig/vnsearch.pc \
    share/vnsearch/gazetteer.tsv share/vnsearch/bodies.tsv \
    share/vnsearch/synonyms.tsv share/doc/vnsearch/vnsearch.conf; do
    [ -e "$R/$f" ] || missing+=("$f")
done
for h in include/vnsearch/*.h; do
    cmp -s "$h" "$R/$h" || missing+=("$h")
done
check "programs, libraries, headers, vnsearch.pc and data installed" \
    [ ${#missing[@]} -eq 0 ]
[ ${#missing[@]} -eq 0 ] || printf '#   missing: %s\n' "${missing[@]}"

soname=$(readelf -d "$R/lib/libvnsearch.so.0.1.0" 2>/dev/null |
    sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
check "libvnsearch.so carries soname libvnsearch.so.0" \
    [ "$soname" = libvnsearch.so.0 ]
links="$(readlink "$R/lib/libvnsearch.so.0") $(readlink "$R/lib/libvnsearch.so")"
check "libvnsearch.so.0 and libvnsearch.so link to the real file" \
    [ "$links" = "libvnsearch.so.0.1.0 libvnsearch.so.0" ]
exported=$(nm -D --defined-only "$R/lib/libvnsearch.so" | awk '{print $3}' |
    grep -v '^vns_' | grep -v '^_' | head -3)
check "libvnsearch.so exports only vns_ names" [ -z "$exported" ]
check "the installed data directory is compiled in" \
    grep -q "$P/share/vnsearch" "$R/bin/vnsearch-index"
check "the OCR helper's installed folder is compiled in" \
    grep -q "$P/libexec/vnsearch" "$R/bin/vnsearch-index"

# --- the installed programs, data from share/vnsearch ---------------------
"$R/bin/vnsearch-index" --db "$TMP/db" corpus >"$TMP/index.out" 2>&1
check "installed vnsearch-index indexes corpus/" [ $? -eq 0 ]
got=$("$R/bin/vnsearch" --db "$TMP/db" --json --limit 1 \
    --province "ninh thuan" "tiem mui 2" 2>&1 | ids)
check "installed vnsearch finds a notice, province filter from the gazetteer" \
    [ "$got" = ninh-thuan-2021-11-29-thong-bao-ket-luan.txt ]
province=$("$R/bin/vnsearch" --db "$TMP/db" --dump-meta 2>/dev/null |
    grep -c '"province": *"Trà Vinh"')
check "metadata from the installed gazetteer (Trà Vinh)" [ "$province" -ge 1 ]
check "installed vnsearchd answers --help" \
    sh -c '"$1" --help | grep -q "usage: vnsearchd"' sh "$R/sbin/vnsearchd"
# Without share/vnsearch (and no install under /usr/local) it must fail:
# proof the file came from there, not from the repository.
if [ ! -e "$P/share/vnsearch/gazetteer.tsv" ]; then
    mv "$R/share/vnsearch" "$R/share/vnsearch.away"
    "$R/bin/vnsearch-index" --db "$TMP/db2" corpus >"$TMP/index2.out" 2>&1
    rc=$?
    mv "$R/share/vnsearch.away" "$R/share/vnsearch"
    grep -q 'gazetteer.tsv: not found' "$TMP/index2.out" || rc=0
    check "without share/vnsearch the installed indexer misses gazetteer.tsv" \
        [ $rc -ne 0 ]
else
    ok "# SKIP $P/share/vnsearch exists on this machine"
fi

# --- a program against the installed library, through pkg-config ---------
cat >"$TMP/prog.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <vnsearch/vnsearch.h>

int main(int argc, char **argv)
{
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    uint64_t docs = 0;
    char out[64];

    if (argc != 2 || vns_fold("Quảng Trị", out, sizeof(out)) != VNS_OK)
        return 1;
    if (vns_index_open(argv[1], VNS_INDEX_READ, &ix, &err) != VNS_OK ||
        vns_index_doccount(ix, &docs, &err) != VNS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        vns_index_close(ix);
        return 1;
    }
    vns_index_close(ix);
    printf("%s %s %llu\n", VNS_VERSION, out, (unsigned long long)docs);
    return 0;
}
EOF
pc=(env PKG_CONFIG_PATH="$R/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D"
    pkg-config)
check "pkg-config knows vnsearch 0.1.0" \
    [ "$("${pc[@]}" --modversion vnsearch 2>&1)" = 0.1.0 ]
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror "${san_cflags[@]}" "$TMP/prog.c" \
    $("${pc[@]}" --cflags --libs vnsearch) -o "$TMP/prog" 2>"$TMP/cc.err"
rc=$?
check "a C program builds against the installed library (pkg-config)" \
    [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$TMP/cc.err"
out=$(LD_LIBRARY_PATH="$R/lib" "$TMP/prog" "$TMP/db" 2>&1)
check "it runs on the installed libvnsearch.so" [ "$out" = "0.1.0 quang tri 5" ]
check "it loads libvnsearch.so.0 from the install" \
    sh -c 'LD_LIBRARY_PATH="$1" ldd "$2" | grep -q "libvnsearch.so.0 => $1/"' \
    sh "$R/lib" "$TMP/prog"

# --- man pages --------------------------------------------------------------
if command -v groff >/dev/null; then
    for m in packaging/man/*.[158]; do
        warn=$(groff -ww -z -man "$m" 2>&1)
        check "$(basename "$m") renders without warnings (groff -ww -z -man)" \
            [ -z "$warn" ]
        [ -z "$warn" ] || printf '#   %s\n' "$warn"
    done
else
    ok "# SKIP groff is not installed"
fi
missing=()
for m in man1/vnsearch.1 man1/vnsearch-index.1 man8/vnsearchd.8 \
    man5/vnsearch.conf.5; do
    cmp -s "packaging/man/$(basename "$m")" "$R/share/man/$m" ||
        missing+=("$m")
done
check "man pages installed under share/man" [ ${#missing[@]} -eq 0 ]
[ ${#missing[@]} -eq 0 ] || printf '#   missing: %s\n' "${missing[@]}"
# every option of --help is in the page
for p in vnsearch-index:1 vnsearch:1 vnsearchd:8; do
    prog=${p%%:*}
    bin="$R/bin/$prog"
    [ -x "$bin" ] || bin="$R/sbin/$prog"
    undoc=()
    [ -x "$bin" ] || undoc+=("(no $prog installed)")
    for o in $("$bin" --help | grep -o -- '--[a-z0-9-]*' | sort -u); do
        grep -q -- "$(printf '%s' "$o" | sed 's/-/\\\\-/g')" \
            "packaging/man/$prog.${p##*:}" || undoc+=("$o")
    done
    check "$prog.${p##*:} documents every option of --help" \
        [ ${#undoc[@]} -eq 0 ]
    [ ${#undoc[@]} -eq 0 ] || printf '#   not in the page: %s\n' "${undoc[@]}"
done

# --- systemd units -----------------------------------------------------------
U="$R/lib/systemd/system"
missing=()
for u in vnsearchd.service vnsearch-index.service; do
    [ -f "$U/$u" ] || missing+=("$u")
done
check "systemd units installed under lib/systemd/system" \
    [ ${#missing[@]} -eq 0 ]
[ ${#missing[@]} -eq 0 ] || printf '#   missing: %s\n' "${missing[@]}"
check "units run the installed programs" \
    grep -q "^ExecStart=$P/sbin/vnsearchd" "$U/vnsearchd.service"
missing=()
for d in "Type=exec" "User=vnsearch" "NoNewPrivileges=yes" \
    "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" \
    "ReadOnlyPaths=" "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
    "MemoryMax=" "ExecReload=.*kill -HUP"; do
    grep -q "^$d" "$U/vnsearchd.service" || missing+=("$d")
done
check "vnsearchd.service: user, hardening, memory cap, reload by SIGHUP" \
    [ ${#missing[@]} -eq 0 ]
[ ${#missing[@]} -eq 0 ] || printf '#   missing: %s\n' "${missing[@]}"
missing=()
for d in "Type=exec" "ExecStart=$P/bin/vnsearch-index --watch" \
    "Restart=on-failure" "User=vnsearch" "NoNewPrivileges=yes" \
    "ProtectSystem=strict" "PrivateNetwork=yes" "WantedBy="; do
    grep -q "^$d" "$U/vnsearch-index.service" || missing+=("$d")
done
check "vnsearch-index.service: a long-running --watch, hardened" \
    [ ${#missing[@]} -eq 0 ]
[ ${#missing[@]} -eq 0 ] || printf '#   missing: %s\n' "${missing[@]}"
if command -v systemd-analyze >/dev/null; then
    # the units as installed, their paths moved under DESTDIR so that
    # verify finds the programs and (through MANPATH) the man pages
    mkdir -p "$TMP/units"
    for u in "$U"/*; do
        sed "s|$P/|$R/|g" "$u" >"$TMP/units/$(basename "$u")"
    done
    man_opt=()
    command -v man >/dev/null || man_opt=(--man=no)
    out=$(MANPATH="$R/share/man" systemd-analyze verify "${man_opt[@]}" \
        "$TMP/units"/* 2>&1)
    rc=$?
    [ -z "$out" ] || rc=1
    check "systemd-analyze verify passes on the units" [ $rc -eq 0 ]
    [ -z "$out" ] || printf '#   %s\n' "$out"
else
    ok "# SKIP systemd-analyze is not installed"
fi

# --- the configuration file ------------------------------------------------
out=$("$R/bin/vnsearch-index" --config packaging/vnsearch.conf \
    --print-config 2>&1)
rc=$?
want="path = /var/lib/vnsearch/vnsearch.db ; packaging/vnsearch.conf:7"
printf '%s\n' "$out" | grep -qxF "$want" || rc=1
check "--print-config reads the sample config, says where values come from" \
    [ $rc -eq 0 ]
[ $rc -eq 0 ] || printf '#   %s\n' "$out"
out=$(VNSEARCH_DB="$TMP/env.db" "$R/bin/vnsearch-index" \
    --config packaging/vnsearch.conf --print-config --jobs 3 "$TMP/x" 2>&1)
for want in "path = $TMP/env.db ; \$VNSEARCH_DB" "jobs = 3 ; --jobs" \
    "folders = $TMP/x ; command line" \
    "listen = 127.0.0.1:8080 ; packaging/vnsearch.conf:25"; do
    if printf '%s\n' "$out" | grep -qxF "$want"; then
        ok "--print-config: $want"
    else
        not_ok "--print-config: $want" "$out"
    fi
done
# broken files: exit 2 and a message naming the file, the line and the key
while IFS='|' read -r text want; do
    printf '%b' "$text" >"$TMP/bad.conf"
    for prog in bin/vnsearch-index bin/vnsearch sbin/vnsearchd; do
        out=$("$R/$prog" --config "$TMP/bad.conf" x 2>&1)
        rc=$?
        if [ $rc -eq 2 ] && [ "$out" = "${prog#*/}: $TMP/bad.conf:$want" ]; then
            ok "${prog#*/} rejects: $want"
        else
            not_ok "${prog#*/} rejects: $want" "exit $rc: $out"
        fi
    done
done <<'END'
[server]\nlisen = 0.0.0.0:80\n|2: [server] lisen: unknown key
[index]\npath = a\n[indexer]\njobs = 0\n|4: [indexer] jobs: takes 1 to 64, not "0"
[limits]\ntime_limit = soon\n|2: [limits] time_limit: takes seconds, over 0 and at most 600, not "soon"
[server]\nlisten = localhost:80\n|2: [server] listen: takes HOST:PORT with a numeric host (127.0.0.1:8080, [::1]:8080), not "localhost:80"
[srv]\nthreads = 2\n|2: [srv] threads: unknown section
END
out=$("$R/bin/vnsearch" --config "$TMP/none.conf" x 2>&1)
check "--config FILE must exist" \
    [ "$out" = "vnsearch: $TMP/none.conf: cannot open: No such file or directory" ]
check "--help works with a broken config file" \
    sh -c '"$1" --config "$2" --help | grep -q "usage: vnsearchd"' sh \
    "$R/sbin/vnsearchd" "$TMP/bad.conf"

# the three programs run from one config file; options override it
cat >"$TMP/vns.conf" <<END
[index]
path = $TMP/conf.db
[indexer]
folders = $PWD/corpus
jobs = 2
[server]
listen = 127.0.0.1:0
threads = 2
log = $TMP/vnsearchd.log
END
"$R/bin/vnsearch-index" --config "$TMP/vns.conf" -q >"$TMP/ci.out" 2>&1
check "vnsearch-index indexes the config's folders into its path" \
    grep -q "$TMP/conf.db holds 5 documents" "$TMP/ci.out"
got=$("$R/bin/vnsearch" --config "$TMP/vns.conf" --json --limit 1 \
    "tiem mui 2" 2>&1 | ids)
check "vnsearch searches the config's index" [ -n "$got" ]
out=$("$R/bin/vnsearch" --config "$TMP/vns.conf" --db "$TMP/nope" x 2>&1)
check "--db overrides the config's path" \
    [ "$out" = "vnsearch: $TMP/nope: no index here" ]
"$R/sbin/vnsearchd" --config "$TMP/vns.conf" &
dpid=$!
port=
for _ in $(seq 1 200); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' \
        "$TMP/vnsearchd.log" 2>/dev/null)
    [ -n "$port" ] && curl -s -o /dev/null "http://127.0.0.1:$port/healthz" &&
        break
    sleep 0.05
done
health=$(curl -s "http://127.0.0.1:$port/healthz" 2>&1)
check "vnsearchd listens, logs and serves as its config says" \
    [ "$health" = '{"status":"ok","documents":5}' ]
[ "$health" = '{"status":"ok","documents":5}' ] ||
    printf '#   %s\n' "$health" "$(cat "$TMP/vnsearchd.log")"
kill -TERM "$dpid" 2>/dev/null
wait "$dpid"
check "vnsearchd exits 0 on SIGTERM" [ $? -eq 0 ]

# --- uninstall -------------------------------------------------------------
"${mk[@]}" uninstall >"$TMP/uninstall.log" 2>&1
check "make uninstall" [ $? -eq 0 ]
left=$(find "$D" ! -type d)
check "make uninstall leaves no file behind" [ -z "$left" ]
[ -z "$left" ] || printf '#   left: %s\n' $left
