"""`normtool convert --draft` against Pillow 13 (issue 11 item 5): byte for byte the pixels of

    im = Image.open(f); im.draft("RGB", (W, H)); im = im.convert(mode)
    im.resize((W, H), filter)        # or ImageOps.fit / ImageOps.pad for --resize crop / pad

i.e. JPEGs decoded with libjpeg's DCT scaling (1/2, 1/4, 1/8: the largest that keeps both
sides at least W x H) before the resize, as Image.thumbnail does. Other formats are not
drafted (Pillow's draft does nothing for them). The corpus: photographs of several sizes
(up to 12 MP-like shapes scaled down to keep the test short), baseline 4:2:0 and 4:4:4,
progressive and grayscale JPEGs, and a PNG.
"""
import pathlib
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageOps

ROOT = pathlib.Path(__file__).resolve().parent.parent
FILTERS = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC,
           "lanczos": Image.Resampling.LANCZOS, "nearest": Image.Resampling.NEAREST}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("draft") / "images"
    folder.mkdir()
    photos = sorted((ROOT / "Samples" / "images").rglob("*.jpg"))[:4]
    assert photos, "no sample photographs"
    for i, path in enumerate(photos):
        with Image.open(path) as im:
            big = im.convert("RGB").resize((1200 - 100 * i, 900 - 60 * i), Image.Resampling.BICUBIC)
        big.save(folder / f"{i}_420.jpg", quality=90)
        big.save(folder / f"{i}_444.jpg", quality=95, subsampling=0)
        big.save(folder / f"{i}_progressive.jpg", quality=85, progressive=True)
        big.convert("L").save(folder / f"{i}_gray.jpg", quality=90)
        big.save(folder / f"{i}_lossless.png")
    return folder


def pillow_draft(path, size, color, filter, resize):
    with Image.open(path) as im:
        im.draft("RGB", size)
        im = im.convert("RGB" if color == "rgb" else "L")
        method = FILTERS[filter]
        if im.size != size:
            im = {"stretch": lambda: im.resize(size, method), "crop": lambda: ImageOps.fit(im, size, method),
                  "pad": lambda: ImageOps.pad(im, size, method, color=0)}[resize]()
        a = np.asarray(im)
    return a[:, :, None] if a.ndim == 2 else a


def convert(normtool, folder, out, *options):
    run = subprocess.run([normtool, "convert", str(folder), "-o", str(out), "--quiet", "--normalize", "none",
                          *map(str, options)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with np.load(out, allow_pickle=False) as data:
        return data["x"], list(data["files"])


@pytest.mark.parametrize("size", [(224, 224), (100, 75), (60, 40), (300, 200)])
@pytest.mark.parametrize("filter", list(FILTERS))
def test_draft_equals_pillow_draft_then_resize(normtool, corpus, tmp_path, size, filter):
    x, files = convert(normtool, corpus, tmp_path / "out.npz", "--draft", "--size", f"{size[0]}x{size[1]}",
                       "--filter", filter)
    assert len(files) == 20
    for image, name in zip(x, files):
        assert np.array_equal(image, pillow_draft(corpus / name, size, "rgb", filter, "stretch")), name


@pytest.mark.parametrize("resize", ["crop", "pad"])
@pytest.mark.parametrize("color", ["rgb", "gray"])
def test_draft_with_fit_and_gray(normtool, corpus, tmp_path, resize, color):
    size = (128, 128)
    x, files = convert(normtool, corpus, tmp_path / "out.npz", "--draft", "--size", "128", "--resize", resize,
                       "--color", color)
    for image, name in zip(x, files):
        assert np.array_equal(image, pillow_draft(corpus / name, size, color, "bilinear", resize)), name


def test_draft_changes_jpegs_only(normtool, corpus, tmp_path):
    drafted, files = convert(normtool, corpus, tmp_path / "draft.npz", "--draft", "--size", "100x75")
    full, _ = convert(normtool, corpus, tmp_path / "full.npz", "--size", "100x75")
    for a, b, name in zip(drafted, full, files):
        assert np.array_equal(a, b) == name.endswith(".png"), name


def test_draft_needs_a_size(normtool, corpus, tmp_path):
    run = subprocess.run([normtool, "convert", str(corpus), "-o", str(tmp_path / "out.npz"), "--draft"],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "--draft needs --size" in run.stderr, run.stderr
    assert not (tmp_path / "out.npz").exists()
