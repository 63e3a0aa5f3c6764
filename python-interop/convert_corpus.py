"""A small image corpus for the convert tests, generated with Pillow from Samples/images.

make_corpus(out, count=30) writes `count` images in 3 classes, cut from the checked-in
sample photographs at several sizes (30-90 px) and saved in every encoding a real folder
holds: baseline JPEG 4:2:0 and 4:4:4, progressive JPEG, grayscale JPEG, PNG RGB, RGBA,
grayscale, palette and 16-bit grayscale. Deterministic for a given seed.
"""
import os
import pathlib
import random

import numpy as np
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "Samples" / "images"
KINDS = ["jpeg_420", "jpeg_444", "jpeg_progressive", "jpeg_gray", "png_rgb", "png_rgba", "png_gray",
         "png_palette", "png_gray16"]


def sample_photos():
    return sorted(p for p in SAMPLES.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


def save(im, kind, stem, rng):
    if kind.startswith("jpeg"):
        path = stem + rng.choice([".jpg", ".jpeg", ".JPG"])
        q = rng.choice([75, 85, 95])
        if kind == "jpeg_gray":
            im.convert("L").save(path, "JPEG", quality=q)
        elif kind == "jpeg_444":
            im.save(path, "JPEG", quality=q, subsampling=0)
        elif kind == "jpeg_progressive":
            im.save(path, "JPEG", quality=q, progressive=True, optimize=True)
        else:
            im.save(path, "JPEG", quality=q, subsampling=2)
        return path
    path = stem + rng.choice([".png", ".PNG"])
    if kind == "png_rgb":
        im.save(path, "PNG")
    elif kind == "png_rgba":
        a = np.array(im.convert("RGBA"))
        a[..., 3] = np.linspace(64, 255, a.shape[1], dtype=np.uint8)[None, :]
        Image.fromarray(a, "RGBA").save(path, "PNG")
    elif kind == "png_gray":
        im.convert("L").save(path, "PNG")
    elif kind == "png_palette":
        im.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(path, "PNG")
    elif kind == "png_gray16":
        g = np.asarray(im.convert("L"), dtype=np.uint16) * 257
        Image.fromarray(g).save(path, "PNG")
    return path


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
        paths.append(save(im, KINDS[i % len(KINDS)], str(out / cls / sub / f"img_{i:03d}"), rng))
    return paths
