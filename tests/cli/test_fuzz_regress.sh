#!/usr/bin/env bash
# The fuzz harnesses without libFuzzer: each replay program (built by
# `make check` from tests/fuzz/fuzz_*.c and replay.c) runs its seed corpus
# and every past finding in tests/fuzz/regress/<harness>/.
cd "$(dirname "$0")/../.."
. tests/cli/lib.sh
export VNSEARCH_DATA_DIR=${VNSEARCH_DATA_DIR:-$PWD/data}

shopt -s nullglob
srcs=(tests/fuzz/fuzz_*.c)
for src in "${srcs[@]}"; do
    name=$(basename "$src" .c)
    h=${name#fuzz_}
    bin=$build/tests/fuzz/$name
    if [ ! -x "$bin" ]; then
        ok "fuzz replay $h # SKIP $bin not built (make tests-build)"
        continue
    fi
    dirs=(tests/fuzz/corpus/"$h")
    [ -d tests/fuzz/regress/"$h" ] && dirs+=(tests/fuzz/regress/"$h")
    if out=$("$bin" "${dirs[@]}" 2>&1); then
        ok "fuzz replay $h: ${out##*replayed }"
    else
        mapfile -t why < <(printf '%s\n' "$out" | tail -20)
        not_ok "fuzz replay $h" "${why[@]}"
    fi
done
