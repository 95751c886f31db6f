#!/bin/bash
# Builds the libFuzzer targets (tests/fuzz) with clang in a build directory of their
# own and fuzzes each for a few seconds, starting from its seed corpus. ctest runs it
# as `fuzz_smoke` (label "fuzz"), so ./scripts/test.sh does too. A crash leaves the
# input in $out/crashes and fails; turn it into a corpus file (tests/fuzz/README.md).
#   scripts/fuzz-smoke.sh [SECONDS_PER_TARGET]      (default 5; HOOD_FUZZ_BUILD_DIR)
# Exit 77 (ctest: skipped) when clang or libFuzzer is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-5}
build=${HOOD_FUZZ_BUILD_DIR:-$here/build-fuzz}
out=$build/smoke

if ! command -v clang++ >/dev/null; then
    echo "fuzz-smoke: skipped: clang is not installed (apt-get install clang libclang-rt-14-dev)"
    exit 77
fi
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char *, unsigned long) { return 0; }' \
        | clang++ -x c++ -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
    echo "fuzz-smoke: skipped: clang cannot link libFuzzer (apt-get install libclang-rt-14-dev)"
    exit 77
fi

if [[ ! -f $build/CMakeCache.txt ]]; then
    CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DHOOD_BUILD_FUZZ=ON -DHOOD_BUILD_GUI=OFF -DHOOD_BUILD_TESTS=OFF >/dev/null
fi
targets=$(cd "$here/tests/fuzz" && ls fuzz_*.cpp | sed 's/\.cpp$//')
# fuzz_lesson needs Qt Core; it exists only where CMake found it.
known=$(ninja -C "$build" -t targets all 2>/dev/null) # once: grep -q on a pipe would cut ninja off
buildable=()
for t in $targets; do
    if grep -q "^$t:" <<<"$known"; then
        buildable+=("$t")
    fi
done
cmake --build "$build" -j "$(nproc)" --target "${buildable[@]}"

mkdir -p "$out/crashes"
failed=()
for t in "${buildable[@]}"; do
    short=${t#fuzz_}
    scratch=$out/corpus-$short
    mkdir -p "$scratch"
    echo "fuzz-smoke: $t for ${seconds}s"
    if ! "$build/tests/fuzz/$t" -max_total_time="$seconds" -artifact_prefix="$out/crashes/$t-" \
            -print_final_stats=0 "$scratch" "$here/tests/fuzz/corpus/$short" >"$out/$t.log" 2>&1; then
        failed+=("$t")
        tail -n 30 "$out/$t.log"
    fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz-smoke: crashed: ${failed[*]} (inputs in $out/crashes)"
    exit 1
fi
echo "fuzz-smoke: ${#buildable[@]} targets fuzzed for ${seconds}s each, no crash"
