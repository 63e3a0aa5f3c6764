"""normtool compare beside np.testing.assert_allclose on two 600 MB float32 arrays (issue 16).

Whole processes, load included: `normtool compare A B` against a Python process that runs
`np.testing.assert_allclose(np.load(A), np.load(B))`, over rounds in which who goes first
alternates (as alternating_rounds.py does); the median ratio (NumPy seconds / ours) is
printed. Two cases: equal arrays (every element checked, the verdict "equal") and arrays
that differ in 0.1% of the elements (NumPy builds its full message). The arrays are written
to a temporary folder (default under /tmp) and deleted afterwards. A benchmark, not a test.

    python3 python-interop/bench/compare_bench.py [--normtool .build/release/normtool] [--rounds 3]
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from alternating_rounds import report  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
NUMPY_SIDE = ("import sys, numpy as np\n"
              "try:\n"
              "    np.testing.assert_allclose(np.load(sys.argv[1]), np.load(sys.argv[2]))\n"
              "except AssertionError as e:\n"
              "    print(str(e)[:2000]); sys.exit(1)\n")


def timed(command):
    """Wall-clock seconds of one process and its exit status."""
    start = time.perf_counter()
    status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, status


def median_seconds(command, repeats):
    """Median wall-clock seconds of `repeats` runs (the files are in the page cache by then)."""
    runs = [timed(command) for _ in range(repeats)]
    return sorted(seconds for seconds, _ in runs)[len(runs) // 2], runs[0][1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--normtool", default=str(ROOT / ".build/release/normtool"))
    parser.add_argument("--megabytes", type=int, default=600, help="size of each array")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--folder", default=None, help="where to write the arrays (default: a new folder in /tmp)")
    args = parser.parse_args()
    if not os.path.exists(args.normtool):
        sys.exit(f"{args.normtool} is not built: swift build -c release --product normtool")
    folder = pathlib.Path(tempfile.mkdtemp(prefix="compare-bench-", dir=args.folder))
    try:
        count = args.megabytes * (1 << 20) // 4
        rng = np.random.default_rng(0)
        a = rng.random(count, dtype=np.float32).reshape(-1, 1024)
        np.save(folder / "a.npy", a)
        np.save(folder / "same.npy", a)
        changed = a.copy()
        changed.ravel()[rng.choice(count, count // 1000, replace=False)] += 1
        np.save(folder / "differ.npy", changed)
        del a, changed
        print(f"two {args.megabytes} MB float32 arrays {count // 1024}x1024; whole processes, load included; "
              f"median of {args.rounds} alternating rounds", flush=True)
        for case in ("same", "differ"):
            ours = [args.normtool, "compare", str(folder / "a.npy"), str(folder / f"{case}.npy")]
            theirs = [sys.executable, "-c", NUMPY_SIDE, str(folder / "a.npy"), str(folder / f"{case}.npy")]
            timed(ours)  # warm the page cache
            results = []
            for round_index in range(args.rounds):
                order = [theirs, ours] if round_index % 2 == 0 else [ours, theirs]
                seconds = {}
                for command in order:
                    seconds[command is ours], status = median_seconds(command, args.repeats)
                    assert status == (0 if case == "same" else 1), (command, status)
                results.append((seconds[False] / seconds[True], seconds[False], seconds[True]))
            ratio, numpy_seconds, our_seconds = sorted(results)[len(results) // 2]
            report(f"compare {case}", 16, (ratio, numpy_seconds, our_seconds, [r[0] for r in results]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
