"""matmul and eigh beside NumPy, in one run; prints each ratio (NumPy time / ours).

Build first:  swift build -c release --package-path Benchmarks --product linalg-bench
Run:          python3 python-interop/bench/linalg_bench.py [--bench Benchmarks/.build/release/linalg-bench]
                  [--size 1024] [--repeats 7] [--threads N]

Benchmarks: matmul of two N×N float32 and float64 matrices (both sides end in OpenBLAS's
sgemm/dgemm) and eigh of a symmetric N×N float64 matrix (both LAPACK's dsyevd). Each side
makes its own random matrices of the same size, warms up once (OpenBLAS starts its threads),
then takes the median of `repeats` timed calls. NumPy and ours alternate `rounds` times per
benchmark (who goes first alternates too) and the median round's ratio is printed.

Both sides use every core (OpenBLAS's default), or N threads with --threads (threadpoolctl
limits NumPy's OpenBLAS, OPENBLAS_NUM_THREADS ours): on a busy machine OpenBLAS's threads
wait on each other and timings swing by several times, so compare with --threads 1 there. On machines where OPENBLAS_CORETYPE or
OPENBLAS_L2_SIZE are set (they keep older OpenBLAS builds off kernels that misbehave), they
also slow NumPy's newer OpenBLAS; to compare, unset both for this command alone:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 python-interop/bench/linalg_bench.py

The script prints the kernel each OpenBLAS runs (threadpoolctl for NumPy's, the library's own
openblas_get_corename for Debian's libopenblas that ours links) and the two variables.
"""
import argparse
import os
import pathlib
import subprocess
import sys

import numpy as np

import alternating_rounds

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEBIAN_OPENBLAS = "/usr/lib/x86_64-linux-gnu/libopenblas.so.0"



def kernels(environment):
    lines = []
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if "numpy" in pool.get("filepath", ""):
                lines.append(f"numpy: {pool['internal_api']} {pool['version']} {pool['architecture']} "
                             f"threads={pool['num_threads']}")
    except ImportError:
        lines.append("numpy: threadpoolctl not installed (pip install threadpoolctl) — kernel unknown")
    # Asked in a child process: loading a second OpenBLAS here would start its threads
    # beside NumPy's for the whole run.
    probe = ("import ctypes, sys; l = ctypes.CDLL(sys.argv[1]); "
             "l.openblas_get_corename.restype = l.openblas_get_config.restype = ctypes.c_char_p; "
             "print(l.openblas_get_config().decode(), 'core=' + l.openblas_get_corename().decode(), "
             "'threads=%d' % l.openblas_get_num_threads())")
    run = subprocess.run([sys.executable, "-c", probe, DEBIAN_OPENBLAS], capture_output=True, text=True, env=environment)
    lines.append("ours:  " + (run.stdout.strip() or f"cannot open {DEBIAN_OPENBLAS}: {run.stderr.strip()}"))
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"):
        lines.append(f"{name}={os.environ.get(name, '(unset)')}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=str(ROOT / "Benchmarks/.build/release/linalg-bench"))
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3,
                        help="NumPy and ours alternate this many times per benchmark; the median ratio is reported")
    parser.add_argument("--threads", type=int, help="OpenBLAS threads on both sides (default: every core)")
    args = parser.parse_args()
    limits = None
    environment = dict(os.environ)
    if args.threads:
        from threadpoolctl import threadpool_limits
        limits = threadpool_limits(limits=args.threads, user_api="blas")
        environment["OPENBLAS_NUM_THREADS"] = str(args.threads)
    n = args.size
    rng = np.random.default_rng(1)
    a32, b32 = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    a64, b64 = rng.random((n, n)), rng.random((n, n))
    m = rng.random((n, n))
    symmetric = (m + m.T) / 2
    benchmarks = [("matmul-f32", f"matmul {n}x{n} float32", lambda: a32 @ b32),
                  ("matmul-f64", f"matmul {n}x{n} float64", lambda: a64 @ b64),
                  ("eigh-f64", f"eigh {n}x{n} float64", lambda: np.linalg.eigh(symmetric))]
    for line in kernels(environment):
        print(line)
    if limits is not None:
        print(f"threads: {args.threads} on both sides")
    for name, label, numpy_call in benchmarks:
        comparison = alternating_rounds.compare([args.bench, name, str(n), str(args.repeats)], numpy_call,
                                                args.rounds, args.repeats, env=environment)
        alternating_rounds.report(label, 24, comparison)

if __name__ == "__main__":
    main()
