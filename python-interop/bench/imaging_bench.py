#!/usr/bin/env python3
"""Benchmark: decode + convert('RGB') + resize to 224x224 bilinear, ours beside Pillow, one run.

    python3 python-interop/bench/imaging_bench.py DIR [--tool PATH] [--repeat 5] [--size 224]

DIR is a folder of images, e.g. the one made by
    python3 Benchmarks/make_image_corpus.py /tmp/flowers --count 3670 --jpeg-only --seed 7

Pillow's side is `Image.open(f).convert('RGB').resize((224, 224), Image.BILINEAR)` per image
(no draft, as Pillow's default), ours is `imaging-tool bench` (built with
`swift build -c release --package-path Benchmarks --product imaging-tool`). Both read the files into memory first, so
the disk is not timed. Pillow and ours alternate (one pass each per round, --repeat rounds)
so both see the same machine load; figures are medians, the ratio is Pillow's time divided
by ours. Single-thread for both, then all cores for ours (Pillow with a process pool
of the same width, for reference).
"""
import argparse
import io
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[2]


def files_under(folder):
    out = []
    for dirpath, _, names in os.walk(folder):
        for n in names:
            if n.lower().endswith((".jpg", ".jpeg", ".png")):
                out.append(os.path.join(dirpath, n))
    return sorted(out)


def pillow_pass(blobs, size, decode_only):
    checksum = 0
    for b in blobs:
        im = Image.open(io.BytesIO(b)).convert("RGB")
        if not decode_only:
            im = im.resize((size, size), Image.Resampling.BILINEAR)
        checksum += im.getpixel((im.width // 2, im.height // 2))[0]
    return checksum


_WORKER_BLOBS = {}


def load_worker_blobs(paths):
    """Pool initializer: each worker reads the files once, so only decoding is timed."""
    for p in paths:
        _WORKER_BLOBS[p] = pathlib.Path(p).read_bytes()


def pillow_chunk(args):
    paths, size, decode_only = args
    return pillow_pass([_WORKER_BLOBS[p] for p in paths], size, decode_only)


def time_pillow(blobs, size, repeat, decode_only):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        pillow_pass(blobs, size, decode_only)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def time_pillow_pool(paths, size, repeat, workers, decode_only):
    chunks = [(paths[i::workers], size, decode_only) for i in range(workers)]
    times = []
    with ProcessPoolExecutor(workers, initializer=load_worker_blobs, initargs=(paths,)) as pool:
        list(pool.map(pillow_chunk, chunks))  # warm the workers
        for _ in range(repeat):
            t = time.perf_counter()
            list(pool.map(pillow_chunk, chunks))
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def ours(tool, folder, size, repeat, threads, decode_only):
    cmd = [tool, "bench", folder, "--size", str(size), "--threads", str(threads), "--repeat", str(repeat)]
    if decode_only:
        cmd.append("--decode-only")
    result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return result["median_seconds"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--tool", default=str(ROOT / "Benchmarks" / ".build" / "release" / "imaging-tool"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    if not os.path.exists(args.tool):
        sys.exit(f"{args.tool} not built: swift build -c release --package-path Benchmarks --product imaging-tool")
    paths = files_under(args.folder)
    blobs = [pathlib.Path(p).read_bytes() for p in paths]
    n = len(paths)
    print(f"{n} images in {args.folder}; median of {args.repeat} runs; Pillow {Image.__version__}")
    rows = []
    # Pillow and ours alternate, one pass each per round, so both see the same machine load.
    for label, decode_only in (("decode+convert", True), (f"decode+convert+resize {args.size}x{args.size} bilinear", False)):
        p1, o1 = [], []
        for _ in range(args.repeat):
            p1.append(time_pillow(blobs, args.size, 1, decode_only))
            o1.append(ours(args.tool, args.folder, args.size, 1, 1, decode_only))
        rows.append((label, "1 thread", n / statistics.median(p1), n / statistics.median(o1)))
        if args.threads > 1:
            pn, on = [], []
            for _ in range(args.repeat):
                pn.append(time_pillow_pool(paths, args.size, 1, args.threads, decode_only))
                on.append(ours(args.tool, args.folder, args.size, 1, args.threads, decode_only))
            rows.append((label, f"{args.threads} threads", n / statistics.median(pn), n / statistics.median(on)))
    print(f"{'task':48} {'threads':>10} {'Pillow img/s':>13} {'ours img/s':>11} {'ratio':>7}")
    for label, threads, p, o in rows:
        print(f"{label:48} {threads:>10} {p:13.0f} {o:11.0f} {o / p:6.2f}x")


if __name__ == "__main__":
    main()
