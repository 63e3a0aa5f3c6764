"""Times the NumPy side of `swift run -c release --package-path Benchmarks ndarray-bench`; prints JSON.

Each operation runs `--repeat` times (default 5) on freshly made arrays of the same
shapes the Swift side uses; the JSON maps operation name -> median seconds.
Run alone:  python3 python-interop/bench/ndarray_bench.py [--repeat 5] [--quick]
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="(100,224,224,3) instead of (1000,224,224,3)")
    args = parser.parse_args()
    n = 100 if args.quick else 1000
    shape = (n, 224, 224, 3)
    rng = np.random.default_rng(0)
    x8 = rng.integers(0, 256, size=shape, dtype=np.uint8)
    x32 = x8.astype(np.float32) / np.float32(255)
    mean = np.array([0.485, 0.456, 0.406], dtype=np.float32)
    std = np.array([0.229, 0.224, 0.225], dtype=np.float32)
    axes = (0, 1, 2)
    results = {}
    r = args.repeat
    results["mean (0,1,2) uint8"] = median_time(lambda: x8.mean(axis=axes), r)
    results["std (0,1,2) uint8"] = median_time(lambda: x8.std(axis=axes), r)
    results["mean (0,1,2) float32"] = median_time(lambda: x32.mean(axis=axes), r)
    results["std (0,1,2) float32"] = median_time(lambda: x32.std(axis=axes), r)
    results["sum all uint8"] = median_time(lambda: x8.sum(), r)
    results["sum all float32"] = median_time(lambda: x32.sum(), r)
    results["(x - mean) / std new float32"] = median_time(lambda: (x32 - mean) / std, r)

    def in_place():
        y = x32  # same array every time; values drift but timing does not depend on them
        y -= mean
        y /= std
    results["(x - mean) / std in place float32"] = median_time(in_place, r)
    results["astype uint8 -> float32"] = median_time(lambda: x8.astype(np.float32), r)
    json.dump({"numpy": np.__version__, "shape": list(shape), "seconds": results}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
