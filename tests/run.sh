#!/usr/bin/env bash
# Runs the unit tests (cmocka binaries) and the end-to-end scripts, and
# ends with one summary line: "tests: N passed, N failed".
# Usage: tests/run.sh BUILD_DIR [unit|e2e]
set -u
build=${1:-build}
what=${2:-all}
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=()

if [ "$what" = all ] || [ "$what" = unit ]; then
    for t in "$build"/tests/test_*; do
        [ -x "$t" ] || continue
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
            failures+=("$(basename "$t")")
            printf '%s\n' "$out"
        fi
        echo "unit $(basename "$t"): $p passed, $f failed"
    done
fi

if [ "$what" = all ] || [ "$what" = e2e ]; then
    for t in tests/cli/test_*.sh; do
        [ -f "$t" ] || continue
        out=$(VNS_BUILD="$build" bash "$t" 2>&1)
        rc=$?
        p=$(printf '%s\n' "$out" | grep -c '^ok ')
        f=$(printf '%s\n' "$out" | grep -c '^not ok ')
        if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$f" -ne 0 ]; then
            failures+=("$(basename "$t")")
            printf '%s\n' "$out"
        fi
        echo "e2e $(basename "$t"): $p passed, $f failed"
    done
fi

[ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
