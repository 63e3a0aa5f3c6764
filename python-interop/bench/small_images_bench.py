"""Benchmark: many small images (CIFAR-like 32x32 PNGs) standardized to a float32 .npy,
`normtool convert` against the seeds' Pillow way, taking turns in one run (issue 11 item 7).

    python3 python-interop/bench/small_images_bench.py /tmp/cifar --make 20000
    swift build -c release --product normtool
    python3 python-interop/bench/small_images_bench.py /tmp/cifar --normtool .build/release/normtool

--make N writes N 32x32 PNGs in 10 class folders (random crops of the checked-in sample
photographs, resized with Pillow; deterministic) and exits. Then each round runs both
pipelines as processes (who goes first alternates) and prints their wall times; the median
ratio (seeds / ours) is reported:

  ours   normtool convert FOLDER -o OUT.npy (standardize, dataset statistics, float32)
  seeds  every image into one float64 array (Image.open(f).convert("RGB") / 255), mean and
         std over (0, 1, 2), subtract, divide in place, np.save as float32

CPU time (user + system of each process) is printed too: on a loaded machine the wall
times say more about the load than about the pipelines. Both outputs (245 MB each) go to
a temporary folder under $TMPDIR, deleted at the end; `TMPDIR=/dev/shm` keeps the disk's
writeback out of both sides' wall times (on this machine's virtual disk it adds up to a
second per round to either side, at random). The outputs are compared at the end
(max |ours - seeds|, float32 rounding only).
"""
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import corpus_bench_args

SEEDS = r'''
import sys, os, numpy as np
from PIL import Image
root, out = sys.argv[1], sys.argv[2]
classes = sorted(d for d in os.listdir(root) if not d.startswith(".") and os.path.isdir(os.path.join(root, d)))
files = [os.path.join(root, c, f) for c in classes for f in sorted(os.listdir(os.path.join(root, c)))]
with Image.open(files[0]) as im:
    w, h = im.size
dataset = np.ndarray(shape=(len(files), h, w, 3), dtype=np.float64)
for i, f in enumerate(files):
    with Image.open(f) as im:
        dataset[i] = np.asarray(im.convert("RGB")) / 255.0
mean = dataset.mean(axis=(0, 1, 2))
std = dataset.std(axis=(0, 1, 2))
dataset -= mean
dataset /= std
np.save(out, dataset.astype(np.float32))
'''


def make_corpus(root, count, seed=7):
    from PIL import Image
    samples = sorted((pathlib.Path(__file__).resolve().parents[2] / "Samples" / "images").rglob("*.jpg"))
    photos = []
    for path in samples:
        with Image.open(path) as im:
            photos.append(np.asarray(im.convert("RGB")))
    rng = np.random.default_rng(seed)
    for i in range(count):
        folder = root / f"class{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        a = photos[rng.integers(len(photos))]
        h, w = a.shape[:2]
        side = int(rng.integers(32, min(h, w)))
        y, x = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        Image.fromarray(a[y:y + side, x:x + side]).resize((32, 32), Image.Resampling.BILINEAR) \
            .save(folder / f"{i // 10:05d}.png")


def timed(cmd):
    """(wall seconds, CPU seconds: user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    def options(parser):
        parser.add_argument("--jobs", type=int, default=None, help="normtool --jobs (default: all cores)")

    args = corpus_bench_args.parse(__doc__, make_corpus, rounds=5, extra=options)
    work = pathlib.Path(tempfile.mkdtemp(prefix="small-images-"))
    ours_out, seeds_out = work / "ours.npy", work / "seeds.npy"
    ours = [args.normtool, "convert", str(args.corpus), "-o", str(ours_out), "--quiet"]
    if args.jobs:
        ours += ["--jobs", str(args.jobs)]
    seeds = [sys.executable, "-c", SEEDS, str(args.corpus), str(seeds_out)]
    try:
        run_rounds(args, ours, seeds, ours_out, seeds_out)
    finally:
        shutil.rmtree(work)


def run_rounds(args, ours, seeds, ours_out, seeds_out):
    rounds = []
    for r in range(args.rounds):
        if ours_out.exists():
            ours_out.unlink()
        if r % 2 == 0:
            theirs, mine = timed(seeds), timed(ours)
        else:
            mine, theirs = timed(ours), timed(seeds)
        rounds.append((theirs[0] / mine[0], theirs, mine))
        print(f"round {r + 1}: seeds {theirs[0]:.3f} s (CPU {theirs[1]:.3f} s)  ours {mine[0]:.3f} s "
              f"(CPU {mine[1]:.3f} s)  ratio {theirs[0] / mine[0]:.2f}x", flush=True)
    ratio, theirs, mine = sorted(rounds, key=lambda x: x[0])[len(rounds) // 2]
    ratios = [x[0] for x in rounds]
    cpu = statistics.median(x[1][1] for x in rounds) / statistics.median(x[2][1] for x in rounds)
    print(f"median: seeds {theirs[0]:.3f} s  ours {mine[0]:.3f} s  ratio {ratio:.2f}x "
          f"(rounds {min(ratios):.2f}x-{max(ratios):.2f}x, spread {statistics.pstdev(ratios):.2f}); "
          f"CPU-time ratio {cpu:.2f}x (ours uses --jobs threads)")
    a, b = np.load(ours_out), np.load(seeds_out)
    print(f"outputs: {a.shape} {a.dtype}; max |ours - seeds| = {np.abs(a.astype(np.float64) - b).max():.2e}")


if __name__ == "__main__":
    main()
