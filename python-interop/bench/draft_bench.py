"""Benchmark: phone-size JPEGs (about 12 MP) to 224x224, `normtool convert --draft` beside
Pillow with and without `draft`, single thread, taking turns in one run (issue 11 item 5).

    python3 python-interop/bench/draft_bench.py /tmp/photos12mp --make 24
    swift build -c release --product normtool
    python3 python-interop/bench/draft_bench.py /tmp/photos12mp --normtool .build/release/normtool

--make N writes N 4000x3000 JPEGs (the checked-in sample photographs upscaled, quality 90,
4:2:0) into one class folder and exits. Each round times, one after another (the order
rotates):

  pillow        Image.open(f).convert("RGB").resize((224, 224), BILINEAR) per file
  pillow-draft  im = Image.open(f); im.draft("RGB", (224, 224)); the same convert + resize
  ours-draft    normtool convert FOLDER -o OUT.npy --draft --size 224 --normalize none --jobs 1
  ours          the same without --draft

Pillow runs in this process on files already in the page cache; ours is a whole process
(start-up and the .npy output included). Medians over the rounds; ratios are Pillow's time
divided by ours.
"""
import pathlib
import statistics
import subprocess
import tempfile
import time

import numpy as np
from PIL import Image

import corpus_bench_args

SIZE = (224, 224)


def make_corpus(folder, count):
    photos = sorted((pathlib.Path(__file__).resolve().parents[2] / "Samples" / "images").rglob("*.jpg"))
    target = folder / "photos"
    target.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        with Image.open(photos[i % len(photos)]) as im:
            im.convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC).save(target / f"{i:03d}.jpg", quality=90)


def pillow(files, draft):
    for f in files:
        with Image.open(f) as im:
            if draft:
                im.draft("RGB", SIZE)
            np.asarray(im.convert("RGB").resize(SIZE, Image.Resampling.BILINEAR))


def main():
    args = corpus_bench_args.parse(__doc__, make_corpus, rounds=3)
    files = sorted(str(p) for p in args.corpus.rglob("*.jpg"))
    out = pathlib.Path(tempfile.mkdtemp(prefix="draft-bench-")) / "x.npy"
    base = [args.normtool, "convert", str(args.corpus), "-o", str(out), "--size", "224", "--normalize", "none",
            "--jobs", "1", "--quiet"]
    tasks = {
        "pillow": lambda: pillow(files, False),
        "pillow-draft": lambda: pillow(files, True),
        "ours-draft": lambda: subprocess.run(base + ["--draft"], check=True),
        "ours": lambda: subprocess.run(base, check=True),
    }
    times = {name: [] for name in tasks}
    names = list(tasks)
    for r in range(args.rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            start = time.perf_counter()
            tasks[name]()
            times[name].append(time.perf_counter() - start)
    median = {name: statistics.median(t) for name, t in times.items()}
    n = len(files)
    for name in names:
        print(f"{name:<13} {median[name]:7.3f} s  {n / median[name]:6.1f} img/s")
    print(f"ours --draft vs Pillow draft: {median['pillow-draft'] / median['ours-draft']:.2f}x; "
          f"vs Pillow without draft: {median['pillow'] / median['ours-draft']:.2f}x; "
          f"ours without draft vs Pillow without: {median['pillow'] / median['ours']:.2f}x ({n} files)")


if __name__ == "__main__":
    main()
