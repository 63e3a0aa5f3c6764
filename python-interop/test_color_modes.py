"""`--color rgba`, `--color gray3` and `--alpha-background R,G,B` against Pillow 13 (issue 11 item 4).
Statistics within 1e-12 relative of NumPy float64 (which rounds its sums; ours are exact).

References, on a corpus Pillow writes (PNG RGBA, LA, palette with tRNS, gray and RGB with a tRNS
colour key, GIF with a transparent index, WebP with alpha, opaque JPEG and PNG):
- rgba:  np.asarray(Image.open(f).convert("RGBA")), then Pillow's resize (which premultiplies
         alpha for RGBA, as Keras's load_img(color_mode="rgba", target_size=...) gets it);
- gray3: Image.open(f).convert("L").convert("RGB") (torchvision's Grayscale(3)), then resize;
- --alpha-background: Image.alpha_composite(Image.new("RGBA", size, (R, G, B, 255)),
         im.convert("RGBA")).convert(mode), then resize. The default keeps Pillow's "drop alpha".
"""
import pathlib
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageOps

FILTERS = {"nearest": Image.Resampling.NEAREST, "bilinear": Image.Resampling.BILINEAR,
           "bicubic": Image.Resampling.BICUBIC, "lanczos": Image.Resampling.LANCZOS}
BACKGROUND = (23, 180, 251)
W, H = 40, 30


def make_corpus(folder: pathlib.Path):
    rng = np.random.default_rng(11)
    folder.mkdir(parents=True)
    rgba = rng.integers(0, 256, (H, W, 4), dtype=np.uint8)
    rgba[:5, :, 3] = 0
    rgba[5:10, :, 3] = 255
    Image.fromarray(rgba, "RGBA").save(folder / "rgba.png")
    la = rng.integers(0, 256, (H, W, 2), dtype=np.uint8)
    la[:4, :, 1] = 0
    Image.fromarray(la, "LA").save(folder / "la.png")
    indices = rng.integers(0, 16, (H, W), dtype=np.uint8)
    palette = rng.integers(0, 256, 16 * 3, dtype=np.uint8).tolist()
    p = Image.fromarray(indices, "P")
    p.putpalette(palette)
    p.save(folder / "palette_trns.png", transparency=bytes([0, 128, 255, 7, 200]))
    p.save(folder / "palette.gif", transparency=3)
    gray = rng.integers(0, 256, (H, W), dtype=np.uint8)
    gray[:3] = 77
    Image.fromarray(gray, "L").save(folder / "gray_key.png", transparency=77)
    rgb = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    rgb[:3] = (1, 2, 3)
    Image.fromarray(rgb, "RGB").save(folder / "rgb_key.png", transparency=(1, 2, 3))
    Image.fromarray(rgba, "RGBA").save(folder / "alpha.webp", lossless=True)
    Image.fromarray(rgb, "RGB").save(folder / "opaque.jpg", quality=92)
    Image.fromarray(rgb, "RGB").save(folder / "opaque.png")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("colors") / "images"
    make_corpus(folder)
    return folder


def convert(normtool, folder, out, *options, check=True):
    cmd = [normtool, "convert", str(folder), "-o", str(out), "--quiet", "--normalize", "none", *map(str, options)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if check:
        assert run.returncode == 0, run.stderr
        with np.load(out, allow_pickle=False) as data:
            return data["x"], list(data["files"])
    return run


def pillow(path, color, background=None, size=None, filter="bilinear", resize="stretch"):
    with Image.open(path) as im:
        if background is not None:
            im = Image.alpha_composite(Image.new("RGBA", im.size, background + (255,)), im.convert("RGBA"))
        im = {"rgb": lambda: im.convert("RGB"), "gray": lambda: im.convert("L"),
              "rgba": lambda: im.convert("RGBA"), "gray3": lambda: im.convert("L").convert("RGB")}[color]()
        if size is not None:
            method = FILTERS[filter]
            im = {"stretch": lambda: im.resize(size, method), "crop": lambda: ImageOps.fit(im, size, method),
                  "pad": lambda: ImageOps.pad(im, size, method, color=0)}[resize]()
        a = np.asarray(im)
    return a[:, :, None] if a.ndim == 2 else a


def test_corpus_has_transparency(corpus):
    transparent = 0
    for path in sorted(corpus.iterdir()):
        if (pillow(path, "rgba")[..., 3] < 255).any():
            transparent += 1
    assert transparent == 7


@pytest.mark.parametrize("color", ["rgba", "gray3", "rgb", "gray"])
def test_color_modes_equal_pillow(normtool, corpus, tmp_path, color):
    x, files = convert(normtool, corpus, tmp_path / "out.npz", "--color", color)
    assert x.shape == (len(files), H, W, {"rgba": 4, "gray3": 3, "rgb": 3, "gray": 1}[color]) and len(files) == 9
    for image, name in zip(x, files):
        assert np.array_equal(image, pillow(corpus / name, color)), name


@pytest.mark.parametrize("color", ["rgba", "gray3"])
@pytest.mark.parametrize("filter", list(FILTERS))
@pytest.mark.parametrize("resize", ["stretch", "crop", "pad"])
def test_resized_color_modes_equal_pillow(normtool, corpus, tmp_path, color, filter, resize):
    size = (17, 23)
    x, files = convert(normtool, corpus, tmp_path / "out.npz", "--color", color, "--size", "17x23",
                       "--filter", filter, "--resize", resize)
    for image, name in zip(x, files):
        assert np.array_equal(image, pillow(corpus / name, color, size=size, filter=filter, resize=resize)), name


@pytest.mark.parametrize("color", ["rgb", "gray", "gray3"])
def test_alpha_background_composites_as_pillow(normtool, corpus, tmp_path, color):
    option = ",".join(map(str, BACKGROUND))
    x, files = convert(normtool, corpus, tmp_path / "out.npz", "--color", color, "--alpha-background", option)
    dropped, _ = convert(normtool, corpus, tmp_path / "dropped.npz", "--color", color)
    differs = 0
    for image, plain, name in zip(x, dropped, files):
        assert np.array_equal(image, pillow(corpus / name, color, background=BACKGROUND)), name
        differs += not np.array_equal(image, plain)
    assert differs == 7  # every image with transparency changed, the opaque ones did not


def test_alpha_background_then_resize(normtool, corpus, tmp_path):
    x, files = convert(normtool, corpus, tmp_path / "out.npz", "--alpha-background", "255,255,255",
                       "--size", "20x20", "--filter", "bicubic")
    for image, name in zip(x, files):
        expected = pillow(corpus / name, "rgb", background=(255, 255, 255), size=(20, 20), filter="bicubic")
        assert np.array_equal(image, expected), name


def test_rgba_statistics_have_four_channels(normtool, corpus, tmp_path):
    out = tmp_path / "out.npz"
    run = subprocess.run([normtool, "convert", str(corpus), "-o", str(out), "--quiet", "--color", "rgba",
                          "--dtype", "float64"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with np.load(out) as data:
        files = list(data["files"])
        mean, std = data["mean"], data["std"]
    x = np.stack([pillow(corpus / f, "rgba") for f in files]).astype(np.float64) / 255
    assert np.allclose(mean, x.mean(axis=(0, 1, 2)), rtol=1e-12, atol=0)
    assert np.allclose(std, x.std(axis=(0, 1, 2)), rtol=1e-12, atol=0)


@pytest.mark.parametrize("options,message", [
    (["--alpha-background", "1,2"], "--alpha-background: expected R,G,B"),
    (["--alpha-background", "1,2,256"], "--alpha-background: expected R,G,B"),
    (["--alpha-background", "1,2,3", "--color", "rgba"], "--alpha-background drops alpha"),
    (["--color", "cmyk"], "--color"),
])
def test_bad_color_options_are_refused(normtool, corpus, tmp_path, options, message):
    run = convert(normtool, corpus, tmp_path / "out.npz", *options, check=False)
    assert run.returncode != 0 and message in run.stderr, run.stderr
    assert not (tmp_path / "out.npz").exists()
