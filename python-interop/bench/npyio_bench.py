"""NPYIO benchmarks beside NumPy, in one run; prints each ratio (NumPy time / ours).

Build first:  swift build -c release --product normtool
              swift build -c release --package-path Benchmarks --product npyio-bench
Run:          python3 python-interop/bench/npyio_bench.py [--repeats 5] [--bin .build/release]
                  [--bench Benchmarks/.build/release/npyio-bench]
                  [--only npy|npz|stats] [--overwrite]

1. .npy save and load of a 600 MB float32 array (NPY.write / NPY.read vs np.save / np.load).
   NumPy and ours take turns (who goes first alternates); each turn loads the array (untimed
   for the save: the array's pages are faulted in by that load on both sides) and saves it.
   The source file is synced and one untimed warm-up turn per side runs first (the source's
   writeback otherwise stalls whichever save comes first by up to a second). Both sides start
   each save from the same state:
   - by default a new file: the previous output is deleted (not timed) before the save, and
     deleted again right after it (not timed), before it is written back;
   - with --overwrite, the previous output (600 MB, in the page cache) is replaced: np.save
     truncates it in place, ours renames a new file onto it; dropping the old file's pages is
     timed on both sides. (Measured on ext4 here, ours is then 2-5x slower than np.save, with
     or without reserving blocks: the new inode + rename that makes our write atomic costs
     more than truncating in place while the old file is still being written back.
     Not solved yet.)
   Neither side calls fsync. Our output is checked byte for byte against NumPy's.
2. .npz deflate (level 6) of 60 MB of standardized float32 image-like data
   (NPZWriter vs np.savez_compressed).
3. `normtool stats --axes 0,1,2` of a (1000, 224, 224, 3) uint8 .npy as a whole process vs
   np.load + mean/std/min/max over (0, 1, 2) inside an already running Python.
Data is generated in a temporary folder under /tmp and removed afterwards. Times are medians.
"""
import argparse
import filecmp
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]


def median_time(fn, repeats, before=None):
    times = []
    for _ in range(repeats):
        if before:
            before()  # not timed
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def image_like(count, rng):
    """Smooth gradients plus sensor noise, like photos; uint8 (count, 224, 224, 3)."""
    y, x = np.mgrid[0:224, 0:224].astype(np.float32) / 224
    out = np.empty((count, 224, 224, 3), np.uint8)
    for i in range(count):
        a, b, c = rng.uniform(0, 1, 3)
        base = 255 * (0.5 + 0.5 * np.sin(6 * a * x + 4 * b * y + c))[..., None] * rng.uniform(0.4, 1, 3)
        out[i] = np.clip(base + rng.normal(0, 8, base.shape), 0, 255).astype(np.uint8)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bin", default=str(ROOT / ".build" / "release"), help="folder of the built normtool")
    parser.add_argument("--bench", default=str(ROOT / "Benchmarks" / ".build" / "release" / "npyio-bench"),
                        help="the built npyio-bench (nested package Benchmarks/)")
    parser.add_argument("--only", choices=["npy", "npz", "stats"], default=None)
    parser.add_argument("--verbose", action="store_true", help="print every timing, not only medians")
    parser.add_argument("--overwrite", action="store_true",
                        help="npy save replaces an existing output instead of making a new one")
    args = parser.parse_args()
    bench = args.bench
    normtool = os.path.join(args.bin, "normtool")
    assert os.path.exists(normtool), f"{normtool} missing: swift build -c release --product normtool"
    assert os.path.exists(bench), f"{bench} missing: swift build -c release --package-path Benchmarks --product npyio-bench"
    rng = np.random.default_rng(0)
    work = pathlib.Path(tempfile.mkdtemp(prefix="npyio-bench-", dir="/tmp"))
    rows = []
    try:
        if args.only in (None, "npy"):
            a = rng.standard_normal(150_000_000, dtype=np.float32).reshape(1000, 150_000)  # 600 MB
            src = work / "big.npy"
            np.save(src, a)
            del a
            out = work / "np_out.npy"
            ours_out = work / "our_out.npy"
            # NumPy and ours take turns, so load on the shared machine hits both alike.
            np_loads, np_saves, our_loads, our_saves = [], [], [], []
            # By default outputs are deleted right after each timed save (on both sides), so their
            # dirty pages are dropped rather than written back while the other side is timed.
            # With --overwrite they stay, to be replaced by the next save. Either way every turn
            # is alike; the files compared byte for byte afterwards come from untimed saves.
            if args.overwrite:
                shutil.copyfile(src, out)
                shutil.copyfile(src, ours_out)

            def numpy_turn():
                start = time.perf_counter()
                a = np.load(src)
                np_loads.append(time.perf_counter() - start)
                if not args.overwrite:
                    out.unlink(missing_ok=True)
                start = time.perf_counter()
                np.save(out, a)
                np_saves.append(time.perf_counter() - start)
                if not args.overwrite:
                    out.unlink()

            def our_turn():
                extra = "overwrite" if args.overwrite else "remove"
                ours = json.loads(subprocess.run([bench, "save-load", src, ours_out, "1", extra],
                                                 capture_output=True, text=True, check=True).stdout)
                our_loads.append(ours["load"])
                our_saves.append(ours["save"])

            # Untimed warm-up: the source's own writeback (it was just made) and first-use costs
            # land here, on neither side's figures.
            os.sync()
            numpy_turn()
            our_turn()
            for timings in (np_loads, np_saves, our_loads, our_saves):
                timings.clear()
            for i in range(args.repeats):
                # Alternate who goes first.
                for turn in ((numpy_turn, our_turn) if i % 2 == 0 else (our_turn, numpy_turn)):
                    turn()
            np.save(out, np.load(src))
            subprocess.run([bench, "save-load", src, ours_out, "1"], capture_output=True, check=True)
            assert filecmp.cmp(ours_out, out, shallow=False), "our .npy differs from np.save's"
            if args.verbose:
                for name, times in (("numpy load", np_loads), ("numpy save", np_saves),
                                    ("ours load", our_loads), ("ours save", our_saves)):
                    print(f"{name:<11}", " ".join(f"{t:.3f}" for t in times))
            np_load, np_save = sorted(np_loads)[args.repeats // 2], sorted(np_saves)[args.repeats // 2]
            ours = {"load": sorted(our_loads)[args.repeats // 2], "save": sorted(our_saves)[args.repeats // 2]}
            rows.append(("npy load 600 MB float32", np_load, ours["load"]))
            rows.append(("npy save 600 MB float32" + (" over an existing file" if args.overwrite else " to a new file"),
                         np_save, ours["save"]))
            for f in work.glob("*.npy"):
                f.unlink()
        if args.only in (None, "npz"):
            images = image_like(100, rng)  # 100 x 224 x 224 x 3 float32 = 60 MB
            x = images.astype(np.float32) / 255
            x = ((x - x.mean(axis=(0, 1, 2))) / x.std(axis=(0, 1, 2))).astype(np.float32)
            src = work / "std.npy"
            np.save(src, x)
            np_times, our_times = [], []
            for i in range(args.repeats):
                (work / "np.npz").unlink(missing_ok=True)
                start = time.perf_counter()
                np.savez_compressed(work / "np.npz", x=x)
                np_times.append(time.perf_counter() - start)
                ours = json.loads(subprocess.run([bench, "npz", src, work / "ours.npz", "6", "1"],
                                                 capture_output=True, text=True, check=True).stdout)
                our_times.append(ours["npz"])
            np_npz = sorted(np_times)[args.repeats // 2]
            ours = {"npz": sorted(our_times)[args.repeats // 2]}
            with np.load(work / "ours.npz", allow_pickle=False) as z:
                assert np.array_equal(z["x"], x)
            size_np = (work / "np.npz").stat().st_size
            size_ours = (work / "ours.npz").stat().st_size
            rows.append((f"npz deflate-6 write 60 MB float32 (sizes {size_np} vs {size_ours} bytes)",
                         np_npz, ours["npz"]))
            for f in list(work.glob("*.np?")):
                f.unlink()
        if args.only in (None, "stats"):
            images = rng.integers(0, 256, size=(1000, 224, 224, 3), dtype=np.uint8)  # 150 MB
            src = work / "images.npy"
            np.save(src, images)
            del images

            def numpy_stats():
                a = np.load(src)
                return a.mean(axis=(0, 1, 2)), a.std(axis=(0, 1, 2)), a.min(axis=(0, 1, 2)), a.max(axis=(0, 1, 2))

            np_stats = median_time(numpy_stats, args.repeats)
            cmd = [normtool, "stats", str(src), "--axes", "0,1,2", "--json"]
            ours = median_time(lambda: subprocess.run(cmd, capture_output=True, check=True), args.repeats)
            got = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
            mean, std, low, high = numpy_stats()
            np.testing.assert_allclose(got["mean"], mean, rtol=1e-12)
            np.testing.assert_allclose(got["std"], std, rtol=1e-9)
            rows.append(("stats --axes 0,1,2 (1000,224,224,3) uint8, whole process", np_stats, ours))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'benchmark':<75} {'numpy s':>9} {'ours s':>9} {'ratio':>7}")
    for name, theirs, ours in rows:
        print(f"{name:<75} {theirs:9.3f} {ours:9.3f} {theirs / ours:6.2f}x")


if __name__ == "__main__":
    main()
