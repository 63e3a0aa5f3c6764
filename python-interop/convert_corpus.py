"""A small image corpus for the convert tests, generated with Pillow from Samples/images.

make_corpus(out, count=30) writes `count` images in 3 classes, cut from the checked-in
sample photographs at several sizes (30-90 px) and saved in every encoding a real folder
holds: baseline JPEG 4:2:0 and 4:4:4, progressive JPEG, grayscale JPEG, PNG RGB, RGBA,
grayscale, palette and 16-bit grayscale. Deterministic for a given seed.
"""
import importlib.util
import os
import pathlib
import random

from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The encodings are written by the corpus tool's `save`, the one place that knows them.
_spec = importlib.util.spec_from_file_location("make_image_corpus", ROOT / "Benchmarks" / "make_image_corpus.py")
corpus_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus_tool)
# Small test folders: mixed-case suffixes, three qualities, 64-colour palettes.
TEST_FOLDER = corpus_tool.EncodingChoices((".jpg", ".jpeg", ".JPG"), (75, 85, 95), (".png", ".PNG"), 64)
SAMPLES = ROOT / "Samples" / "images"
KINDS = ["jpeg_420", "jpeg_444", "jpeg_progressive", "jpeg_gray", "png_rgb", "png_rgba", "png_gray",
         "png_palette", "png_gray16"]


def sample_photos():
    return sorted(p for p in SAMPLES.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def make_corpus(out, count=30, seed=5, classes=("cat", "dog", "eel")):
    rng = random.Random(seed)
    photos = sample_photos()
    out = pathlib.Path(out)
    for c in classes:
        (out / c).mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        with Image.open(photos[rng.randrange(len(photos))]) as src:
            src = src.convert("RGB")
            w, h = rng.randint(30, 90), rng.randint(30, 90)
            x0, y0 = rng.randint(0, src.width - 32), rng.randint(0, src.height - 24)
            im = src.crop((x0, y0, src.width, src.height)).resize((w, h), Image.Resampling.BICUBIC)
        cls = classes[i % len(classes)]
        sub = "deep/" if i % 7 == 3 else ""
        os.makedirs(out / cls / sub, exist_ok=True)
        paths.append(corpus_tool.save(im, rng, KINDS[i % len(KINDS)], str(out / cls / sub / f"img_{i:03d}"), TEST_FOLDER))
    return paths
