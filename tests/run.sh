#!/usr/bin/env bash
# Runs the unit tests (cmocka binaries) and the end-to-end scripts of each
# build folder given (e.g. build and the sanitizer build-debug), and ends
# with one summary line: "tests: N passed, N failed".
# Usage: tests/run.sh [--unit|--e2e] BUILD_DIR...
set -u
what=all
case ${1:-} in
--unit) what=unit; shift ;;
--e2e) what=e2e; shift ;;
esac
[ $# -gt 0 ] || set -- build
cd "$(dirname "$0")/.."
# the programs read /etc/vnsearch/vnsearch.conf when it exists: not here
export VNSEARCH_CONFIG=
passed=0
failed=0
failures=()

# took START: seconds since START (a `date +%s.%N`), one decimal; each
# suite's line says it, so a slow one shows (make check must stay under
# 15 minutes)
took() {
    awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

for build in "$@"; do

if [ "$what" = all ] || [ "$what" = unit ]; then
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
        start=$(date +%s.%N)
        out=$("$t" 2>&1)
        rc=$?
        p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
        f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
        p=${p:-0}
        f=${f:-0}
        if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$f" -ne 0 ]; then
            failures+=("$build/$(basename "$t")")
            printf '%s\n' "$out"
        fi
        echo "$build unit $(basename "$t"): $p passed, $f failed ($(took "$start") s)"
    done
fi

if [ "$what" = all ] || [ "$what" = e2e ]; then
    for t in tests/cli/test_*.sh; do
        [ -f "$t" ] || continue
        start=$(date +%s.%N)
        out=$(VNS_BUILD="$build" bash "$t" 2>&1)
        rc=$?
        p=$(printf '%s\n' "$out" | grep -c '^ok ')
        f=$(printf '%s\n' "$out" | grep -c '^not ok ')
        if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$f" -ne 0 ]; then
            failures+=("$build/$(basename "$t")")
            printf '%s\n' "$out"
        fi
        echo "$build e2e $(basename "$t"): $p passed, $f failed ($(took "$start") s)"
    done
fi

done

[ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
