"""Benchmark: decode + convert('RGB') + resize to 224x224 bilinear for every format, one
thread, `normtool convert` beside Pillow in one run (issue 11 item 7).

    python3 python-interop/bench/formats_bench.py /tmp/formats --make 150
    swift build -c release --product normtool
    python3 python-interop/bench/formats_bench.py /tmp/formats --normtool .build/release/normtool

--make N writes N 640x480 images per format (the checked-in sample photographs resized;
Pillow's encoders: JPEG q90, PNG, BMP 24-bit, PPM, GIF (adaptive palette), WebP lossy q90 and
lossless, TIFF deflate) into FOLDER/FORMAT/images/ and exits. Each round runs, per format,
Pillow in this process (`np.asarray(Image.open(f).convert("RGB").resize((224, 224),
BILINEAR))` per file, files in the page cache) and ours as a process (`normtool convert
FOLDER/FORMAT -o x.npy --size 224 --normalize none --jobs 1`: start-up, folder scan and the
.npy output included), who goes first alternating. Medians over the rounds; the ratio is
Pillow's time divided by ours. Our output goes to a temporary folder under $TMPDIR, deleted
at the end (`TMPDIR=/dev/shm` keeps the disk's writeback out of the wall times).
"""
import pathlib
import shutil
import statistics
import subprocess
import tempfile
import time

import numpy as np
from PIL import Image

import corpus_bench_args

FORMATS = {
    "jpeg": (".jpg", dict(quality=90)),
    "png": (".png", {}),
    "bmp": (".bmp", {}),
    "ppm": (".ppm", {}),
    "gif": (".gif", {}),
    "webp-lossy": (".webp", dict(quality=90)),
    "webp-lossless": (".webp", dict(lossless=True)),
    "tiff-deflate": (".tif", dict(compression="tiff_adobe_deflate")),
}


def make_corpus(root, count):
    photos = sorted((pathlib.Path(__file__).resolve().parents[2] / "Samples" / "images").rglob("*.jpg"))
    for name, (extension, params) in FORMATS.items():
        folder = root / name / "images"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            with Image.open(photos[i % len(photos)]) as im:
                image = im.convert("RGB").resize((640, 480), Image.Resampling.BICUBIC)
            if name == "gif":
                image = image.quantize(256)
            image.save(folder / f"{i:04d}{extension}", **params)


def pillow(files):
    for f in files:
        with Image.open(f) as im:
            np.asarray(im.convert("RGB").resize((224, 224), Image.Resampling.BILINEAR))


def main():
    args = corpus_bench_args.parse(__doc__, make_corpus, rounds=7)
    work = pathlib.Path(tempfile.mkdtemp(prefix="formats-bench-"))
    try:
        run_formats(args, work / "x.npy")
    finally:
        shutil.rmtree(work)


def run_formats(args, out):
    for name in FORMATS:
        folder = args.corpus / name
        files = sorted(str(p) for p in folder.rglob("*") if p.is_file())
        ours_cmd = [args.normtool, "convert", str(folder), "-o", str(out), "--size", "224", "--normalize", "none",
                    "--jobs", "1", "--quiet"]
        theirs, mine = [], []
        for r in range(args.rounds):
            steps = [("pillow", lambda: pillow(files)), ("ours", lambda: subprocess.run(ours_cmd, check=True))]
            for label, step in (steps if r % 2 == 0 else steps[::-1]):
                start = time.perf_counter()
                step()
                (theirs if label == "pillow" else mine).append(time.perf_counter() - start)
        t, m = statistics.median(theirs), statistics.median(mine)
        print(f"{name:<14} {len(files):4d} files  Pillow {len(files) / t:7.1f} img/s  ours {len(files) / m:7.1f} img/s"
              f"  ratio {t / m:5.2f}x", flush=True)


if __name__ == "__main__":
    main()
