"""Benchmark: `normtool convert` against the NumPy + Pillow ways, side by side in one run.

    python3 Benchmarks/make_image_corpus.py /tmp/flowers --count 3670 --jpeg-only --seed 7
    swift build -c release
    python3 python-interop/bench/convert_bench.py /tmp/flowers --normtool .build/release/normtool

Every pipeline resizes to 224x224 (bilinear, stretch), standardizes with the dataset's
per-channel mean and std over (N, H, W), and writes a float32 .npy:

  ours      normtool convert --size 224 --normalize standardize --stats dataset -o OUT.npy
  seeds     the seeds' way with Pillow: every image into one float64 array, mean and std
            over (0,1,2), subtract, divide (in place), np.save (as float32, to compare)
  careful   Pillow -> uint8 array with 2 worker processes, float64 statistics in chunks,
            float32 output written in chunks to np.lib.format.open_memmap

Each pipeline runs as its own process under /usr/bin/time (wall seconds, peak RSS, CPU seconds);
the median of --repeat runs is reported, with ratios (theirs / ours). Ours runs in two cases,
taking turns: writing a new file (the output removed first) and writing over the output of
the previous run (users re-run constantly; issue 9 item 8). Then ours runs on a
folder holding every image twice (hard links) to show that peak RSS does not grow with
the image count. Finally the outputs are compared (max |ours - seeds|).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

SIZE = 224

SEEDS = r'''
import sys, os, numpy as np
from PIL import Image
root, out = sys.argv[1], sys.argv[2]
classes = sorted(d for d in os.listdir(root) if not d.startswith(".") and os.path.isdir(os.path.join(root, d)))
files = [os.path.join(root, c, f) for c in classes for f in sorted(os.listdir(os.path.join(root, c)))]
dataset = np.ndarray(shape=(len(files), 224, 224, 3), dtype=np.float64)
for i, f in enumerate(files):
    with Image.open(f) as im:
        dataset[i] = np.asarray(im.convert("RGB").resize((224, 224), Image.Resampling.BILINEAR)) / 255.0
mean = dataset.mean(axis=(0, 1, 2))
std = dataset.std(axis=(0, 1, 2))
dataset -= mean
dataset /= std
np.save(out, dataset.astype(np.float32))
'''

CAREFUL = r'''
import sys, os, numpy as np
from multiprocessing import Pool
from PIL import Image
root, out = sys.argv[1], sys.argv[2]

def load(f):
    with Image.open(f) as im:
        return np.asarray(im.convert("RGB").resize((224, 224), Image.Resampling.BILINEAR))

if __name__ == "__main__":
    classes = sorted(d for d in os.listdir(root) if not d.startswith(".") and os.path.isdir(os.path.join(root, d)))
    files = [os.path.join(root, c, f) for c in classes for f in sorted(os.listdir(os.path.join(root, c)))]
    pixels = np.empty((len(files), 224, 224, 3), dtype=np.uint8)
    with Pool(2) as pool:
        for i, a in enumerate(pool.imap(load, files, chunksize=16)):
            pixels[i] = a
    chunk = 256
    total, squares, n = np.zeros(3), np.zeros(3), 0
    for s in range(0, len(files), chunk):
        x = pixels[s:s + chunk].astype(np.float64) / 255.0
        total += x.sum(axis=(0, 1, 2)); squares += (x * x).sum(axis=(0, 1, 2)); n += x.shape[0] * 224 * 224
    mean = total / n
    std = np.sqrt(squares / n - mean * mean)
    y = np.lib.format.open_memmap(out, mode="w+", dtype=np.float32, shape=pixels.shape)
    for s in range(0, len(files), chunk):
        y[s:s + chunk] = ((pixels[s:s + chunk] / 255.0 - mean) / std).astype(np.float32)
    y.flush()
'''


def timed(cmd):
    """(wall seconds, peak RSS in bytes, CPU seconds) of a command, from /usr/bin/time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", *cmd], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr}")
    wall, rss_kb, user, system = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss_kb) * 1024, float(user) + float(system)


def median_run(name, cmd, repeat):
    return summarize(name, [timed(cmd) for _ in range(repeat)])


def fresh_and_overwrite_runs(cmd, out, repeat):
    """Medians of `cmd` writing a new `out` and writing over the previous run's `out`, alternately."""
    fresh, overwrite = [], []
    for _ in range(repeat):
        if os.path.exists(out):
            os.remove(out)
        fresh.append(timed(cmd))
        overwrite.append(timed(cmd))
    return (summarize("ours, new output file", fresh),
            summarize("ours, over existing output", overwrite))


def summarize(name, runs):
    wall = statistics.median(r[0] for r in runs)
    rss = statistics.median(r[1] for r in runs)
    cpu = statistics.median(r[2] for r in runs)
    print(f"{name:28s} {wall:8.2f} s  {rss / 1e9:7.3f} GB  {cpu:7.2f} CPU-s   "
          f"(runs: {', '.join(f'{r[0]:.2f}' for r in runs)})", flush=True)
    return wall, rss, cpu


def count_images(root):
    return sum(1 for _, _, fs in os.walk(root) for f in fs if f.lower().endswith((".jpg", ".jpeg", ".png")))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--normtool", required=True)
    ap.add_argument("--repeat", type=int, default=5, help="runs per pipeline (median reported)")
    ap.add_argument("--baseline-repeat", type=int, default=None,
                    help="runs for the two Python pipelines (default: --repeat)")
    ap.add_argument("--workdir", default=None, help="where outputs go (default: a temporary folder)")
    args = ap.parse_args()
    base_repeat = args.baseline_repeat or args.repeat
    work = args.workdir or tempfile.mkdtemp(prefix="convert-bench-")
    os.makedirs(work, exist_ok=True)
    n = count_images(args.corpus)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               "unknown CPU") if os.path.exists("/proc/cpuinfo") else "unknown CPU"
    print(f"corpus {args.corpus}: {n} images; {os.cpu_count()} cores ({cpu}); load average "
          f"{os.getloadavg()[0]:.1f}; outputs in {work}")
    ours_out, seeds_out, careful_out = (os.path.join(work, f"{k}.npy") for k in ("ours", "seeds", "careful"))
    ours_cmd = [args.normtool, "convert", args.corpus, "-o", ours_out, "--size", str(SIZE),
                "--normalize", "standardize", "--stats", "dataset", "--quiet"]
    ours, ours_over = fresh_and_overwrite_runs(ours_cmd, ours_out, args.repeat)
    seeds = median_run("seeds (float64, Pillow)", [sys.executable, "-c", SEEDS, args.corpus, seeds_out], base_repeat)
    careful = median_run("careful (uint8, chunks, 2p)", [sys.executable, "-c", CAREFUL, args.corpus, careful_out],
                         base_repeat)

    doubled = os.path.join(work, "doubled")
    if not os.path.exists(doubled):
        os.makedirs(doubled)
        for copy in ("a", "b"):
            subprocess.run(["cp", "-al", args.corpus, os.path.join(doubled, copy)], check=True)
    doubled_out = os.path.join(work, "ours-doubled.npy")
    ours2 = median_run(f"ours on {2 * n} images", ours_cmd[:2] + [doubled, "-o", doubled_out] + ours_cmd[5:],
                       args.repeat)
    os.remove(doubled_out)
    shutil.rmtree(doubled)

    import numpy as np
    a = np.load(ours_out, mmap_mode="r")
    b = np.load(seeds_out, mmap_mode="r")
    c = np.load(careful_out, mmap_mode="r")
    diff_seeds = max(float(np.max(np.abs(a[s:s + 256] - b[s:s + 256]))) for s in range(0, len(a), 256))
    diff_careful = max(float(np.max(np.abs(a[s:s + 256] - c[s:s + 256]))) for s in range(0, len(a), 256))
    print()
    for case, mine in (("new file", ours), ("over existing", ours_over)):
        print(f"speed-up vs seeds,   {case:13s}: {seeds[0] / mine[0]:6.1f}x wall, "
              f"{seeds[1] / mine[1]:6.1f}x less peak RSS, {seeds[2] / mine[2]:5.1f}x less CPU time")
        print(f"speed-up vs careful, {case:13s}: {careful[0] / mine[0]:6.1f}x wall, "
              f"{careful[1] / mine[1]:6.1f}x less peak RSS, {careful[2] / mine[2]:5.1f}x less CPU time")
    print(f"ours over existing / ours new file: {ours_over[0] / ours[0]:.2f}x wall, "
          f"{ours_over[2] / ours[2]:.2f}x CPU time")
    print(f"peak RSS {n} -> {2 * n} images: {ours[1] / 1e6:.0f} MB -> {ours2[1] / 1e6:.0f} MB "
          f"({ours2[1] / ours[1]:.2f}x)")
    print(f"max |ours - seeds| = {diff_seeds:.2e}, max |ours - careful| = {diff_careful:.2e} (float32 outputs)")
    for path in (ours_out, seeds_out, careful_out):
        os.remove(path)


if __name__ == "__main__":
    main()
