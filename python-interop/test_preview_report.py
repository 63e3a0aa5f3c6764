"""normtool preview and report (issue 16 items 3-5) against NumPy and Pillow.

The reference inversion is NumPy's, in Float64 as the advice to the seeds' readers says:
np.clip(np.rint((x * a + b) * k), 0, 255).astype(np.uint8) with (a, b, k) = (std', mean, 255)
for standardize (std' = max(std, 1/sqrt(n)), the divisor convert used), (1, mean, 255) for center, (max - min, min, 255) for minmax, (1, 0, 255) for
scale and (1, 0, 1) for none. Our PNGs are read back with Pillow. The folders are lossless
PNGs of one size (no resize), so for float32/float64 x the inversion must also give back
the very pixels Pillow decodes from the input images.
"""
import base64
import json
import os
import pathlib
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

import convert_corpus

GAP, LABEL_HEIGHT, BACKGROUND = 4, 11, 32
CLASSES = ("cat", "dog", "eel")


def make_folder(root, mode, size=(24, 20), per_class=3):
    """Lossless PNGs cut from the sample photographs, `per_class` per class, all of `size`."""
    photos = convert_corpus.sample_photos()
    k = 0
    for c in CLASSES:
        (root / c).mkdir(parents=True)
        for i in range(per_class):
            with Image.open(photos[k % len(photos)]) as im:
                tile = im.convert(mode).resize(size, Image.Resampling.BILINEAR)
            tile.save(root / c / f"{i}.png")
            k += 1
    return root


@pytest.fixture(scope="module")
def rgb_folder(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("preview") / "rgb", "RGB")


@pytest.fixture(scope="module")
def gray_folder(tmp_path_factory):
    return make_folder(tmp_path_factory.mktemp("preview") / "gray", "L")


def run(normtool, *args):
    return subprocess.run([normtool, *map(str, args)], capture_output=True, text=True)


def convert(normtool, folder, out, *options):
    result = run(normtool, "convert", folder, "-o", out, "--quiet", *options)
    assert result.returncode == 0, result.stderr
    return out


def load(path, layout="nhwc"):
    """x, y, classes, mean, std, and the recorded options, as np.load gives them (an .npz
    records no options: its layout is the one the test converted with)."""
    path = pathlib.Path(path)
    if path.suffix == ".npz":
        with np.load(path, allow_pickle=False) as z:
            d = {name: z[name] for name in z.files}
        d["options"] = {"layout": layout}
        d["stats"] = None
    else:
        d = {p.stem: np.load(p, allow_pickle=False) for p in path.glob("*.npy")}
        d["stats"] = json.loads((path / "stats.json").read_text())
        d["options"] = d["stats"]["options"]
    return d


def channels_last(d):
    x = d["x"]
    if x.ndim == 3:
        return x[..., None]
    return np.transpose(x, (0, 2, 3, 1)) if d["options"].get("layout") == "nchw" else x


def numpy_inversion(d):
    """The reference: every image of x back to uint8 pixels (N, H, W, C)."""
    x = channels_last(d).astype(np.float64)
    normalize = d["options"].get("normalize") or ("none" if d["x"].dtype == np.uint8 else "standardize")
    n = x.shape[0]
    if normalize in ("none", "scale"):
        a, b, k = np.float64(1), np.float64(0), (1.0 if normalize == "none" else 255.0)
        return np.clip(np.rint((x * a + b) * k), 0, 255).astype(np.uint8)
    if normalize == "minmax":
        low, high = np.array(d["stats"]["min"]), np.array(d["stats"]["max"])
        return np.clip(np.rint((x * (high - low) + low) * 255), 0, 255).astype(np.uint8)
    mean, std = d["mean"], d["std"]
    # std' = max(std, 1/sqrt(count)) divided (docs/design.md section 6): count from stats.json
    # for one set, else the pixels each statistic covered (times C for one global entry).
    pixels = x.shape[1] * x.shape[2] * (x.shape[3] if mean.shape[-1] == 1 else 1)
    if mean.ndim == 2:  # one row per image or batch
        per_row = 1 if mean.shape[0] == n else int(d["options"]["stats"].split(":")[1])
        rows = np.arange(n) // per_row
        count = np.bincount(rows)[rows] * pixels
        std = np.maximum(std[rows], 1 / np.sqrt(count)[:, None])
        mean, std = mean[rows][:, None, None, :], std[:, None, None, :]
    elif d["stats"] is not None:
        count = d["stats"].get("count")
        std = std if count is None else np.maximum(std, 1 / np.sqrt(np.array(count, dtype=np.float64)))
    else:
        std = np.maximum(std, 1 / np.sqrt(n * pixels))
    if normalize == "center":
        std = np.ones_like(std)
    return np.clip(np.rint((x * std + mean) * 255), 0, 255).astype(np.uint8)


def pillow_pixels(folder, d):
    """The input images as Pillow decodes them, in the order of x, (N, H, W, C)."""
    files = [str(f) for f in d["files"]]
    return np.stack([np.asarray(Image.open(folder / f)).reshape(np.asarray(Image.open(folder / f)).shape[:2] + (-1,))
                     for f in files])


def read_png(path):
    with Image.open(path) as im:
        assert im.format == "PNG"
        return np.asarray(im)


CASES = [
    ("npz", "standardize", "float32", "nhwc", "dataset"),
    ("npz", "standardize", "float64", "nchw", "dataset"),
    ("npz", "standardize", "float16", "nhwc", "dataset"),
    ("npz", "standardize", "float32", "nhwc", "image"),
    ("npz", "none", "uint8", "nchw", "dataset"),
    ("dir", "standardize", "float32", "nchw", "dataset"),
    ("dir", "center", "float64", "nhwc", "dataset"),
    ("dir", "minmax", "float32", "nhwc", "dataset"),
    ("dir", "scale", "float32", "nchw", "dataset"),
    ("dir", "standardize", "float32", "nhwc", "batch:2"),
    ("dir", "standardize", "float16", "nchw", "image"),
]


@pytest.mark.parametrize("kind,normalize,dtype,layout,stats", CASES)
@pytest.mark.parametrize("color", ["rgb", "gray"])
def test_single_images_equal_numpy_inversion(rgb_folder, gray_folder, normtool, tmp_path, kind, normalize, dtype,
                                             layout, stats, color):
    folder = rgb_folder if color == "rgb" else gray_folder
    out = tmp_path / ("d.npz" if kind == "npz" else "d")
    convert(normtool, folder, out, "--normalize", normalize, "--dtype", dtype, "--layout", layout, "--stats", stats,
            "--color", color)
    d = load(out, layout)
    expected = numpy_inversion(d)
    assert len(expected) == 9
    for i in range(len(expected)):
        png = tmp_path / f"{i}.png"
        result = run(normtool, "preview", out, "--index", i, "-o", png)
        assert result.returncode == 0, result.stderr
        got = read_png(png)
        assert got.reshape(expected[i].shape).tolist() == expected[i].tolist(), f"image {i}"
        assert got.ndim == (3 if color == "rgb" else 2), "gray stays one channel (Pillow mode L)"
    if dtype in ("float32", "float64", "uint8"):
        assert np.array_equal(expected, pillow_pixels(folder, d)), "the inversion gives back Pillow's pixels"


def tile(sheet, k, columns, h, w, labels=True):
    row, column = divmod(k, columns)
    top = GAP + row * (h + (LABEL_HEIGHT if labels else 0) + GAP)
    left = GAP + column * (w + GAP)
    return sheet[top:top + h, left:left + w]


@pytest.fixture(scope="module")
def samples_npz(tmp_path_factory, normtool):
    out = tmp_path_factory.mktemp("samples") / "s.npz"
    return convert(normtool, convert_corpus.SAMPLES, out, "--size", "32x24")


def test_grid_tiles_equal_numpy_inversion(samples_npz, normtool, tmp_path):
    d = load(samples_npz)
    expected = numpy_inversion(d)
    png = tmp_path / "grid.png"
    result = run(normtool, "preview", samples_npz, "--count", 10, "--grid", "4x3", "-o", png)
    assert result.returncode == 0, result.stderr
    sheet = read_png(png)
    h, w = 24, 32
    assert sheet.shape == (GAP + 3 * (h + LABEL_HEIGHT + GAP), GAP + 4 * (w + GAP), 3)
    for k in range(10):
        assert np.array_equal(tile(sheet, k, 4, h, w), expected[k]), f"tile {k}"
    assert np.all(tile(sheet, 11, 4, h, w) == BACKGROUND), "cells past the images stay background"
    label = sheet[GAP + h + 2:GAP + h + 9, GAP:GAP + w]
    assert (label == 255).any() and (label == BACKGROUND).any(), "a label is drawn under the first tile"


def test_indices_and_per_class_pick_numpy_order(samples_npz, normtool, tmp_path):
    d = load(samples_npz)
    expected = numpy_inversion(d)
    png = tmp_path / "pick.png"
    assert run(normtool, "preview", samples_npz, "--indices", "5,-1,0", "--grid", "3x1", "--no-labels",
               "-o", png).returncode == 0
    sheet = read_png(png)
    for k, i in enumerate([5, len(expected) - 1, 0]):
        assert np.array_equal(tile(sheet, k, 3, 24, 32, labels=False), expected[i])
    assert run(normtool, "preview", samples_npz, "--per-class", 2, "-o", png).returncode == 0
    sheet = read_png(png)
    y = d["y"]
    for label in range(len(d["classes"])):
        firsts = np.flatnonzero(y == label)[:2]
        for column, i in enumerate(firsts):
            assert np.array_equal(tile(sheet, label * 2 + column, 2, 24, 32), expected[i]), (label, column)


@pytest.mark.parametrize("mode", ["minmax", "symmetric"])
def test_minmax_and_symmetric_need_no_statistics(rgb_folder, normtool, tmp_path, mode):
    out = convert(normtool, rgb_folder, tmp_path / "s.npz", "--normalize", "standardize", "--dtype", "float32")
    x = load(out)["x"].astype(np.float64)
    for i in (0, 4):
        v = x[i]
        if mode == "minmax":
            ref = (v - v.min()) / (v.max() - v.min()) * 255
        else:
            ref = 127 + v / np.abs(v).max() * 127
        ref = np.clip(np.rint(ref), 0, 255).astype(np.uint8)
        png = tmp_path / f"{mode}{i}.png"
        assert run(normtool, "preview", out, "--mode", mode, "--index", i, "-o", png).returncode == 0
        assert np.array_equal(read_png(png), ref)


def assert_one_line_failure(result, *words):
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.stderr and "Fatal error" not in result.stderr


def test_invert_without_stored_statistics_is_one_line_and_leaves_nothing(rgb_folder, normtool, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    out = convert(normtool, rgb_folder, data / "scaled.npz", "--normalize", "scale", "--dtype", "float32")
    converted = sorted(os.listdir(data))  # the dataset and convert's side files (summary, duplicates)
    target = tmp_path / "out"
    target.mkdir()
    existing = target / "keep.png"
    existing.write_bytes(b"old bytes")
    result = run(normtool, "preview", out, "-o", existing)
    assert_one_line_failure(result, "normtool preview:", str(out), "no stored statistics", "--mode minmax")
    assert existing.read_bytes() == b"old bytes", "an existing output is left untouched"
    assert run(normtool, "preview", out, "-o", target / "new.png").returncode == 1
    assert sorted(os.listdir(target)) == ["keep.png"], "nothing left behind"
    assert sorted(os.listdir(data)) == converted and "scaled.npz" in converted
    assert run(normtool, "preview", out, "--mode", "minmax", "-o", target / "new.png").returncode == 0


def test_bad_input_is_one_line(rgb_folder, normtool, tmp_path):
    good = convert(normtool, rgb_folder, tmp_path / "d.npz")
    png = tmp_path / "out" / "p.png"
    png.parent.mkdir()
    cases = [
        (["--indices", "9"], ["d.npz", "index 9 is out of bounds for axis 0 with size 9"]),
        (["--index", "-10"], ["index -10 is out of bounds"]),
        (["--count", "9", "--grid", "2x2"], ["--grid 2x2 holds 4 tiles"]),
    ]
    for options, words in cases:
        assert_one_line_failure(run(normtool, "preview", good, "-o", png, *options), *words)
    no_x = tmp_path / "no_x.npz"
    np.savez(no_x, a=np.zeros((2, 4, 4, 3), np.float32))
    assert_one_line_failure(run(normtool, "preview", no_x, "-o", png), str(no_x), "no member x")
    lone = tmp_path / "lone.npy"
    np.save(lone, np.zeros((2, 4, 4, 3), np.float32))
    assert_one_line_failure(run(normtool, "preview", lone, "-o", png), "lone .npy")
    assert_one_line_failure(run(normtool, "report", tmp_path / "missing.npz", "-o", tmp_path / "out" / "r.html"),
                            "missing.npz", "no such file")
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, x=np.zeros((2, 4, 4, 5), np.float32))
    assert_one_line_failure(run(normtool, "report", wrong, "-o", tmp_path / "out" / "r.html"), "1 or 3 channels")
    assert_one_line_failure(run(normtool, "preview", good, "-o", tmp_path / "nowhere" / "p.png"), "nowhere")
    assert_one_line_failure(run(normtool, "preview", good, "-o", good), "the dataset")
    assert os.listdir(tmp_path / "out") == [], "no output and no temporary file left"
    usage = run(normtool, "preview", good, "-o", png, "--indices", "1,x")
    assert usage.returncode == 64 and "'x' is not an integer" in usage.stderr
    usage = run(normtool, "preview", good, "-o", png, "--grid", "4by3")
    assert usage.returncode == 64 and "--grid" in usage.stderr


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory, normtool):
    root = tmp_path_factory.mktemp("report")
    out = convert(normtool, convert_corpus.SAMPLES, root / "flowers", "--size", "32x24", "--layout", "nchw")
    html = root / "report.html"
    result = run(normtool, "report", out, "-o", html)
    assert result.returncode == 0, result.stderr
    return out, html


def test_report_is_self_contained_with_the_preview_grid(report_dir, normtool, tmp_path):
    out, html = report_dir
    page = html.read_text()
    d = load(out)
    assert page.count("<svg") == 2 * 3, "histograms before and after, per channel"
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', ""), "no network address"
    assert "https://" not in page and "<script" not in page
    for name, count in zip(d["classes"], np.bincount(d["y"])):
        assert re.search(rf"<td>{name}</td><td class=\"n\">{count}</td>", page), name
    grid = tmp_path / "grid.png"
    assert run(normtool, "preview", out, "--count", 16, "-o", grid).returncode == 0
    embedded = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page).group(1)
    assert base64.b64decode(embedded) == grid.read_bytes(), "the embedded grid is preview's"
    mean = d["stats"]["mean"]
    assert f"{mean[0]:.6g}" in page, "the statistics table holds the stored mean"


def test_report_histograms_count_every_value(report_dir):
    out, html = report_dir
    d = load(out)
    x = channels_last(d)
    page = html.read_text()
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    inverted = numpy_inversion(d)
    for c in range(3):
        before, _ = np.histogram(inverted[..., c], bins=64, range=(0, 256))
        after, _ = np.histogram(x[..., c].astype(np.float64), bins=64,
                                range=(float(x[..., c].min()), float(x[..., c].max())))
        for chart, counts in ((charts[c], before), (charts[3 + c], after)):
            assert f">{counts.max()}</text>" in chart, "the y axis is labelled with the largest bin"
            heights = [float(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)"', chart)]
            assert len(heights) == np.count_nonzero(counts), "one bar per non-empty bin"
            expected = counts[counts > 0] / counts.max() * (190 - 24 - 44)
            assert np.allclose(heights, expected, atol=0.006), "bar heights are NumPy's counts"


def chromium():
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def test_report_renders_in_headless_chromium(report_dir, tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (make browser-deps installs Debian's chromium as root)")
    _, html = report_dir
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
              "--allow-file-access-from-files"]
    shot = tmp_path / "shot.png"
    result = subprocess.run([*common, f"--screenshot={shot}", "--window-size=1200,2400", html.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    problems = [line for line in result.stderr.splitlines()
                if "CONSOLE" in line or "net::ERR" in line or "Refused to" in line]
    assert problems == [], "the page loaded without console errors or blocked requests"
    dom = subprocess.run([*common, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0
    assert dom.stdout.count("<svg") == 6 and "data:image/png;base64," in dom.stdout
    with Image.open(shot) as im:
        pixels = np.asarray(im.convert("RGB"))
    assert pixels.shape[:2] == (2400, 1200)
    colours = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(colours) > 500, f"the screenshot is not blank ({len(colours)} colours)"
    shutil.copy(shot, "/tmp/preview-report-shot.png") if os.environ.get("KEEP_SCREENSHOT") else None


def test_report_of_data_without_statistics_shows_stretched_samples(rgb_folder, normtool, tmp_path):
    out = convert(normtool, rgb_folder, tmp_path / "scaled.npz", "--normalize", "scale", "--dtype", "float32")
    html = tmp_path / "r.html"
    result = run(normtool, "report", out, "-o", html)
    assert result.returncode == 0, result.stderr
    page = html.read_text()
    assert page.count("<svg") == 3, "only the after-normalization histograms"
    assert "stores no statistics" in page
    grid = tmp_path / "grid.png"
    assert run(normtool, "preview", out, "--mode", "minmax", "--count", 16, "-o", grid).returncode == 0
    embedded = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page).group(1)
    assert base64.b64decode(embedded) == grid.read_bytes()


@pytest.mark.parametrize("damage", ["truncated", "bad crc", "x lies about its shape", "huge labels"])
@pytest.mark.parametrize("command", ["preview", "report"])
def test_damaged_datasets_fail_cleanly(rgb_folder, normtool, tmp_path, command, damage):
    """A broken archive: one line naming it, no signal, no hang, bounded memory, no output."""
    from test_hostile_support import assert_clean_failure, run_tool
    good = convert(normtool, rgb_folder, tmp_path / "good.npz").read_bytes()
    bad = tmp_path / "bad.npz"
    if damage == "truncated":
        bad.write_bytes(good[:len(good) // 2])
        reason = "zip|archive|end"
    elif damage == "bad crc":
        data = bytearray(good)
        data[200] ^= 0xFF  # inside member x's data
        bad.write_bytes(bytes(data))
        reason = "CRC|crc"
    elif damage == "x lies about its shape":
        np.savez(bad, x=np.zeros(10, np.float32))
        reason = "expected x of shape"
    else:
        np.savez(bad, x=np.zeros((2, 4, 4, 3), np.float32), y=np.zeros((2, 2), np.int64))
        reason = "int64 labels"
    out = tmp_path / "out" / ("o.png" if command == "preview" else "o.html")
    out.parent.mkdir()
    run = run_tool(normtool, command, bad, "-o", out, *(["--mode", "minmax"] if command == "preview" else []))
    assert_clean_failure(run, bad, reason)
    assert os.listdir(out.parent) == []
