#!/usr/bin/env bash
# Fuzz/run.sh TARGET SECONDS — builds a fuzz target with libFuzzer and AddressSanitizer and
# fuzzes it for SECONDS, starting from its seed corpus and regression inputs.
#   TARGET: npy-header | npz | png | jpeg | bmp | pnm | gif | webp | tiff | all (each target
#   gets SECONDS)
#   Env: FUZZ_JOBS (parallel fuzzing processes, default 1), FUZZ_KEEP_CORPUS=1 to keep the
#        inputs libFuzzer generated (under .build-fuzz/corpus/TARGET), FUZZ_ARGS (extra
#        libFuzzer flags).
# A crash (or a broken error-message contract, which the harness turns into a trap) fails
# the script; libFuzzer writes the input to .build-fuzz/artifacts/TARGET/. Copy it to
# Fuzz/Regressions/TARGET/ with the fix so HostileInputTests replays it for ever.
# Without libFuzzer (swiftc lacking -sanitize=fuzzer) the script falls back to the
# deterministic mutation harness of a plain build: `fuzz-TARGET --iterations N`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TARGETS=(npy-header npz png jpeg bmp pnm gif webp tiff)
if [[ $# -ne 2 ]]; then
  echo "usage: Fuzz/run.sh TARGET|all SECONDS" >&2
  exit 2
fi
if [[ "$1" == all ]]; then
  for t in "${TARGETS[@]}"; do "$0" "$t" "$2"; done
  exit 0
fi
TARGET="$1"
SECONDS_BUDGET="$2"
[[ " ${TARGETS[*]} " == *" $TARGET "* ]] || { echo "unknown target $TARGET; expected one of ${TARGETS[*]} or all" >&2; exit 2; }
PRODUCT="fuzz-$TARGET"
SCRATCH="$ROOT/.build-fuzz"

build_fuzzer() {
  swift build --scratch-path "$SCRATCH" --product "$PRODUCT" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    -Xcc -fsanitize=fuzzer-no-link,address 2>&1 | grep -v "Cannot export local symbol" | tail -3
  return "${PIPESTATUS[0]}"
}

if ! build_fuzzer; then
  echo "== libFuzzer build failed; running the deterministic mutation harness instead" >&2
  swift build --product "$PRODUCT" 2>&1 | tail -1
  BIN="$(swift build --show-bin-path)/$PRODUCT"
  # 500 inputs a second is a safe estimate for a debug build.
  exec "$BIN" --iterations "$((SECONDS_BUDGET * 500))"
fi

BIN="$SCRATCH/debug/$PRODUCT"
WORK="$SCRATCH/corpus/$TARGET"
ARTIFACTS="$SCRATCH/artifacts/$TARGET"
rm -rf "$WORK"
mkdir -p "$WORK" "$ARTIFACTS"
cp "$ROOT/Fuzz/Corpus/$TARGET"/* "$WORK"/
find "$ROOT/Fuzz/Regressions/$TARGET" -type f ! -name '.*' -exec cp {} "$WORK"/ \;
DICT=()
[[ -f "$ROOT/Fuzz/Dictionaries/$TARGET.dict" ]] && DICT=(-dict="$ROOT/Fuzz/Dictionaries/$TARGET.dict")
PARALLEL=()
# With jobs, libFuzzer writes each worker's log to fuzz-N.log in the current folder.
[[ "${FUZZ_JOBS:-1}" -gt 1 ]] && PARALLEL=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS") && cd "$SCRATCH"
echo "== fuzzing $TARGET for ${SECONDS_BUDGET}s (libFuzzer + AddressSanitizer)"
# -rss_limit_mb / -malloc_limit_mb: an input that makes a reader allocate more than 1 GiB is
# a finding (bounded memory), as is one input running over 10 s (-timeout: a hang).
set +e
# SWIFT_BACKTRACE off: Swift's crash handler would otherwise trip AddressSanitizer and
# hide the trap's own message.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}" \
  "$BIN" "$WORK" "${DICT[@]}" -max_total_time="$SECONDS_BUDGET" -max_len=8192 \
  -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 "${PARALLEL[@]}" \
  -artifact_prefix="$ARTIFACTS/" -print_final_stats=1 ${FUZZ_ARGS:-} 2>&1 | tee "$SCRATCH/$TARGET.log" \
  | grep -E '^(#[0-9]+ +(INITED|DONE))|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY|Test unit written|==[0-9]+==|Fatal error|cov:' | tail -12
STATUS=${PIPESTATUS[0]}
set -e
[[ "${FUZZ_KEEP_CORPUS:-0}" == 1 ]] || rm -rf "$WORK"
if [[ $STATUS -ne 0 ]]; then
  echo "== $TARGET: fuzzer exited with status $STATUS; see $SCRATCH/$TARGET.log and $ARTIFACTS/" >&2
  exit "$STATUS"
fi
echo "== $TARGET: no crash in ${SECONDS_BUDGET}s"
