#!/usr/bin/env bash
# Developer tool for refactors: hashes of normtool's output bytes over a fixed set of runs
# (convert in six variants, recode of the golden .npy fixtures), to show that a change that
# must not change behaviour leaves every output byte as it was. Run it before and after, diff.
# usage: output_hashes.sh NORMTOOL REPO OUTDIR
set -euo pipefail
nt=$1; repo=$2; out=$3
rm -rf "$out"; mkdir -p "$out"
imgs=$repo/Samples/images
run() { name=$1; shift; "$nt" "$@" >/dev/null 2>&1 || echo "FAILED: $name"; }
run c1 convert "$imgs" -o "$out/c1.npz" --size 32
run c2 convert "$imgs" -o "$out/c2.npy" --size 48x32 --resize crop --filter bicubic --dtype float16 --layout nchw
run c3 convert "$imgs" -o "$out/c3.npz" --size 24 --normalize none --compress
run c4 convert "$imgs" -o "$out/c4" --size 16 --normalize positive --scope global --color gray
run c5 convert "$imgs" -o "$out/c5.npz" --size 20 --normalize minmax --stats sample:5 --seed 3 --resize pad --filter lanczos
run c6 convert "$imgs" -o "$out/c6.npz" --size 20 --normalize center --stats imagenet --dtype float64
for f in "$repo"/Tests/Fixtures/npy/{f4,u1,i8,U3,S2,c8,b1}*_C_v1.npy; do
  [ -e "$f" ] || continue
  b=$(basename "$f" .npy)
  run "r-$b" recode "$f" "$out/r-$b.npy" --npy-version 2
  run "rz-$b" recode "$f" "$out/rz-$b.npz" --compress 2>/dev/null || true
done
run r-f8 recode "$out/c2.npy" "$out/r-f8.npy" --dtype float64
(cd "$out" && find . -type f | sort | xargs sha256sum)
