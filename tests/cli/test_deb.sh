#!/usr/bin/env bash
# `make deb`'s script: scripts/make-deb builds vnsearch_*.deb from the build
# folder into a temporary folder; its contents (dpkg-deb -c), control
# fields, conffile and maintainer scripts are checked, and lintian reports
# no error. Nothing is installed. Skips without dpkg-deb, dpkg-dev or
# lintian (scripts/install-deps --deb), and on the sanitizer build.
set -u
. "$(dirname "$0")/lib.sh"

unset MAKEFLAGS MFLAGS MAKELEVEL VNSEARCH_DATA_DIR VNSEARCH_DB
for tool in dpkg-deb dpkg-shlibdeps dpkg-gencontrol lintian; do
    if ! command -v "$tool" >/dev/null; then
        ok "skipped: $tool is not installed (scripts/install-deps --deb)"
        exit 0
    fi
done
if ldd "$build/vnsearch" 2>/dev/null | grep -q libasan; then
    ok "skipped: $build is a sanitizer build; the package comes from the optimized one"
    exit 0
fi

scripts/make-deb --out "$TMP" "$build" >"$TMP/make-deb.log" 2>&1
rc=$?
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
arch=$(dpkg --print-architecture)
deb=$(ls "$TMP"/vnsearch_"$version"-*_"$arch".deb 2>/dev/null | head -1)
check "scripts/make-deb builds vnsearch_${version}-REV_$arch.deb" \
    test $rc -eq 0 -a -n "$deb"
if [ -z "$deb" ]; then
    sed 's/^/#   /' "$TMP/make-deb.log"
    exit 1
fi

# --- contents --------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$TMP/files"
missing=()
for f in /usr/bin/vnsearch-index /usr/bin/vnsearch /usr/sbin/vnsearchd \
    /etc/vnsearch/vnsearch.conf \
    /lib/systemd/system/vnsearchd.service \
    /lib/systemd/system/vnsearch-index.service \
    /usr/share/man/man1/vnsearch.1.gz /usr/share/man/man1/vnsearch-index.1.gz \
    /usr/share/man/man5/vnsearch.conf.5.gz /usr/share/man/man8/vnsearchd.8.gz \
    /usr/share/vnsearch/gazetteer.tsv /usr/share/vnsearch/bodies.tsv \
    /usr/share/vnsearch/synonyms.tsv /usr/share/doc/vnsearch/copyright \
    /usr/share/doc/vnsearch/changelog.Debian.gz; do
    grep -qxF "$f" "$TMP/files" || missing+=("$f")
done
check "dpkg-deb -c: programs, conffile, units, man pages, data, copyright" \
    [ ${#missing[@]} -eq 0 ]
[ ${#missing[@]} -eq 0 ] || printf '#   missing: %s\n' "${missing[@]}"
extra=$(grep -E '^/usr/local|/include/|\.pc$|libvnsearch' "$TMP/files")
check "no /usr/local, headers or libvnsearch in the package" [ -z "$extra" ]
[ -z "$extra" ] || printf '#   %s\n' "$extra"
bad=$(dpkg-deb -c "$deb" | awk '$2 != "root/root"')
check "every file belongs to root" [ -z "$bad" ]

dpkg-deb -x "$deb" "$TMP/root"
check "the programs run the installed paths" \
    grep -q "^ExecStart=/usr/sbin/vnsearchd$" \
    "$TMP/root/lib/systemd/system/vnsearchd.service"
check "the data directory compiled in is /usr/share/vnsearch" \
    grep -q /usr/share/vnsearch "$TMP/root/usr/bin/vnsearch-index"
check "the conffile is the sample vnsearch.conf" \
    cmp -s packaging/vnsearch.conf "$TMP/root/etc/vnsearch/vnsearch.conf"
check "man pages are gzipped" \
    sh -c 'zcat "$1" | grep -q "^\.TH"' sh \
    "$TMP/root/usr/share/man/man8/vnsearchd.8.gz"
check "the programs are stripped" \
    sh -c '! readelf -S "$1" | grep -q "\.debug_info"' sh \
    "$TMP/root/usr/sbin/vnsearchd"

# --- control area ----------------------------------------------------------
dpkg-deb -e "$deb" "$TMP/ctl"
check "DEBIAN/conffiles lists /etc/vnsearch/vnsearch.conf" \
    [ "$(cat "$TMP/ctl/conffiles")" = /etc/vnsearch/vnsearch.conf ]
field() { dpkg-deb -f "$deb" "$1"; }
check "Package vnsearch, Version $version-REV, Architecture $arch" \
    [ "$(field Package) $(field Version | sed 's/-[^-]*$//') $(field Architecture)" \
    = "vnsearch $version $arch" ]
deps=$(field Depends)
missing=()
for d in libxapian30 libicu72 libmagic1 libmicrohttpd12 libjansson4 libxml2 \
    libcmark0.30.2 libzip4 libinih1 adduser poppler-utils; do
    # Debian 12's names; another release has other sonames
    case $d in libicu72 | libxapian30 | libcmark0.30.2 | libmicrohttpd12)
        [ "$(. /etc/os-release && echo "${VERSION_ID:-}")" = 12 ] || continue ;;
    esac
    printf '%s\n' "$deps" | grep -q "\b$d\b" || missing+=("$d")
done
check "Depends (dpkg-shlibdeps): the libraries, adduser, poppler-utils" \
    [ ${#missing[@]} -eq 0 ]
[ ${#missing[@]} -eq 0 ] || printf '#   missing: %s\n#   Depends: %s\n' \
    "${missing[*]}" "$deps"
for s in postinst prerm postrm; do
    check "DEBIAN/$s is executable and parses (sh -n)" \
        sh -c '[ -x "$1" ] && sh -n "$1"' sh "$TMP/ctl/$s"
done
check "postinst adds the vnsearch system user" \
    grep -q 'adduser .*--system --group --home /var/lib/vnsearch' \
    "$TMP/ctl/postinst"
check "postinst enables and starts vnsearchd.service" \
    sh -c 'grep -q "deb-systemd-helper enable" "$1" &&
        grep -q "deb-systemd-invoke \"\$action\"" "$1"' sh "$TMP/ctl/postinst"
check "prerm stops vnsearchd.service on remove" \
    grep -q 'stop vnsearchd.service' "$TMP/ctl/prerm"
check "postrm removes /var/lib/vnsearch on purge only" \
    sh -c 'sed -n "/\"\$1\" = purge/,\$p" "$1" | grep -q "rm -rf /var/lib/vnsearch"' \
    sh "$TMP/ctl/postrm"

# --- lintian (make-deb ran it) ------------------------------------------------
errors=$(grep '^E:' "$TMP/make-deb.log")
check "lintian reports no error" test -z "$errors" -a $rc -eq 0
[ -z "$errors" ] || printf '#   %s\n' "$errors"
grep '^W:' "$TMP/make-deb.log" | sed 's/^/# lintian: /'
exit 0
