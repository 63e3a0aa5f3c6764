"""sort, take, boolean masks and standard normals beside NumPy, in one run; prints each ratio
(NumPy time / ours). matmul and eigh are python-interop/bench/linalg_bench.py's (make bench
runs both).

Build first:  swift build -c release --package-path Benchmarks --product ml-bench
Run:          python3 python-interop/bench/ml_bench.py [--bench Benchmarks/.build/release/ml-bench]
                  [--repeats 5] [--rounds 3]

Benchmarks (issue 14 item 7):
  sort-f32      np.sort of 10M uniform float32 (NumPy's default kind, SIMD quicksort where the CPU
                has AVX-512/AVX2) and np.sort(kind="stable"), against our sorted() (stable, NaNs last)
  take          x.take(500 random rows, axis=0) of a (1000, 224, 224, 3) uint8 array
  mask          x[mask] of the same array, a (1000,) mask with 500 rows set
  normal        default_rng(2).standard_normal(10M) float64 against NumPyRandomGenerator (same stream)
Each side makes its own data of the same size, warms up once, then takes the median of
`repeats` timed calls. NumPy and ours alternate `rounds` times per benchmark (who goes first
alternates too) and the median round's ratio is printed; on a shared machine, read the spread.
"""
import argparse
import pathlib

import numpy as np

import alternating_rounds

ROOT = pathlib.Path(__file__).resolve().parents[2]



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=str(ROOT / "Benchmarks/.build/release/ml-bench"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3,
                        help="NumPy and ours alternate this many times per benchmark; the median ratio is reported")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks (sort-f32 take mask normal)")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    values = rng.random(10_000_000, dtype=np.float32)
    images = np.full((1000, 224, 224, 3), 7, dtype=np.uint8)
    rows = rng.permutation(1000)[:500]
    mask = np.zeros(1000, dtype=bool)
    mask[rows] = True
    benchmarks = [
        ("sort-f32", 10_000_000, "sort 10M float32", lambda: np.sort(values)),
        ("sort-f32", 10_000_000, "sort 10M f32 (stable)", lambda: np.sort(values, kind="stable")),
        ("take", 1000, "take 500 of (1000,224,224,3) u8", lambda: images.take(rows, axis=0)),
        ("mask", 1000, "mask 500 of (1000,224,224,3) u8", lambda: images[mask]),
        ("normal", 10_000_000, "standard_normal 10M f64",
         lambda: np.random.default_rng(2).standard_normal(10_000_000)),
    ]
    for name, size, label, numpy_call in benchmarks:
        if args.only and name not in args.only:
            continue
        comparison = alternating_rounds.compare([args.bench, name, str(size), str(args.repeats)], numpy_call,
                                                args.rounds, args.repeats)
        alternating_rounds.report(label, 34, comparison)


if __name__ == "__main__":
    main()
