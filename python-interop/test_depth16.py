"""`normtool convert --depth 16` against NumPy on what the 16-bit files hold (issue 11 item 3).

References:
- 16-bit gray PNG: Pillow's "I;16" (which holds the exact values); 16-bit gray-alpha, RGB and
  RGBA PNG: the NumPy array the file was encoded from (format_writers.png16_bytes, one zlib
  stream, so the samples are what libpng returns); 16-bit TIFF: tifffile.imread;
- PNM with maxval above 255: round(v / maxval * 65535), half to even (Pillow's mode "I" rule);
- 8-bit images in the same folder: Pillow's convert('RGB') times 257;
- resizing: numpy.clip(Pillow's resize of the channel in mode "I", 0, 65535), channel by channel;
- statistics: NumPy float64 over x = pixels / 65535, within 1e-12 relative (NumPy rounds its sums; ours
  are exact).
"""
import io
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import tifffile
from PIL import Image, ImageOps

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import format_writers as fw  # noqa: E402

FILTERS = {"nearest": Image.Resampling.NEAREST, "bilinear": Image.Resampling.BILINEAR,
           "bicubic": Image.Resampling.BICUBIC, "lanczos": Image.Resampling.LANCZOS,
           "box": Image.Resampling.BOX, "hamming": Image.Resampling.HAMMING}


def convert(normtool, folder, out, *options, check=True):
    cmd = [normtool, "convert", str(folder), "-o", str(out), "--quiet", *map(str, options)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if check:
        assert run.returncode == 0, run.stderr
        with np.load(out, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}
    return run


def samples16(seed, shape):
    """Random 16-bit samples that include 0 and 65535."""
    a = np.random.default_rng(seed).integers(0, 65536, shape, dtype=np.uint16)
    a.flat[0], a.flat[-1] = 0, 65535
    return a


def one_file(tmp_path, name, data):
    folder = tmp_path / name.replace(".", "_")
    folder.mkdir()
    (folder / name).write_bytes(data)
    return folder


def as_rgb(gray):
    return np.repeat(gray[:, :, None], 3, axis=2)


def luma16(rgb):
    r, g, b = (rgb[..., k].astype(np.int64) for k in range(3))
    return ((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16).astype(np.uint16)


def mode_i_resize(channel, size, filter, resize="stretch"):
    """One uint16 channel resized as Pillow resizes mode "I", clipped to uint16."""
    im = Image.fromarray(channel.astype(np.int32), "I")
    method = FILTERS[filter]
    if resize == "stretch":
        im = im.resize(size, method)
    elif resize == "crop":
        im = ImageOps.fit(im, size, method)
    else:
        im = ImageOps.pad(im, size, method, color=0)
    return np.clip(np.asarray(im, dtype=np.int64), 0, 65535).astype(np.uint16)


def test_a_ramp_of_all_65536_levels_comes_out_exact(normtool, tmp_path):
    ramp = np.arange(65536, dtype=np.uint16).reshape(256, 256)
    folder = tmp_path / "ramp"
    folder.mkdir()
    Image.fromarray(ramp).save(folder / "ramp.png")
    raw = convert(normtool, folder, tmp_path / "raw.npz", "--depth", "16", "--normalize", "none",
                  "--color", "gray")
    assert raw["x"].dtype == np.uint16 and raw["x"].shape == (1, 256, 256, 1)
    assert np.array_equal(raw["x"][0, :, :, 0], ramp)
    assert len(np.unique(raw["x"])) == 65536
    scaled = convert(normtool, folder, tmp_path / "scaled.npz", "--depth", "16", "--normalize", "scale",
                     "--dtype", "float64", "--color", "gray")
    assert np.array_equal(scaled["x"][0, :, :, 0], ramp / 65535.0)
    assert scaled["x"].mean() == 0.5  # the ramp: true mean 0.5, Pillow's convert('L') gives 0.998
    standardized = convert(normtool, folder, tmp_path / "std.npz", "--depth", "16", "--dtype", "float64",
                           "--color", "gray")
    x = ramp / 65535.0
    assert np.allclose(standardized["mean"], [x.mean()], rtol=0, atol=1e-15)
    assert np.allclose(standardized["std"], [x.std()], rtol=1e-12, atol=0)
    assert np.allclose(standardized["x"][0, :, :, 0], (x - x.mean()) / x.std(), rtol=0, atol=1e-12)


def test_the_default_depth_stays_pillows_clipping(normtool, tmp_path):
    ramp = np.arange(65536, dtype=np.uint16).reshape(256, 256)
    folder = tmp_path / "ramp"
    folder.mkdir()
    Image.fromarray(ramp).save(folder / "ramp.png")
    out = convert(normtool, folder, tmp_path / "out.npz", "--normalize", "none", "--color", "gray")
    with Image.open(folder / "ramp.png") as im:
        expected = np.asarray(im.convert("L"))
    assert out["x"].dtype == np.uint8 and np.array_equal(out["x"][0, :, :, 0], expected)
    assert out["x"].mean() > 254  # what --depth 16 exists to avoid


PNG_CASES = {
    "gray": (48, 40), "gray_alpha": (48, 40, 2), "rgb": (48, 40, 3), "rgba": (48, 40, 4),
}


@pytest.mark.parametrize("kind", list(PNG_CASES))
@pytest.mark.parametrize("color", ["rgb", "gray", "rgba", "gray3"])
def test_16bit_png_samples_are_kept(normtool, tmp_path, kind, color):
    samples = samples16(len(kind), PNG_CASES[kind])
    folder = one_file(tmp_path, f"{kind}.png", fw.png16_bytes(samples))
    out = convert(normtool, folder, tmp_path / "out.npz", "--depth", "16", "--normalize", "none",
                  "--color", color)["x"][0]
    if samples.ndim == 2:
        rgba = np.dstack([as_rgb(samples), np.full(samples.shape, 65535, np.uint16)])
    elif samples.shape[2] == 2:
        rgba = np.dstack([as_rgb(samples[..., 0]), samples[..., 1]])
    elif samples.shape[2] == 3:
        rgba = np.dstack([samples, np.full(samples.shape[:2], 65535, np.uint16)])
    else:
        rgba = samples
    expected = {"rgb": rgba[..., :3], "rgba": rgba, "gray": luma16(rgba)[..., None],
                "gray3": as_rgb(luma16(rgba))}[color]
    assert out.dtype == np.uint16 and np.array_equal(out, expected)


@pytest.mark.parametrize("byteorder", ["<", ">"])
# The horizontal predictor goes with deflate (libtiff ignores it for PackBits and none).
@pytest.mark.parametrize("compression,predictor", [(1, 1), (8, 1), (8, 2), (32773, 1)])
@pytest.mark.parametrize("photometric,shape", [(1, (40, 56)), (2, (40, 56, 3)), (2, (40, 56, 4))])
def test_16bit_tiff_samples_equal_tifffile(normtool, tmp_path, byteorder, compression, predictor,
                                           photometric, shape):
    samples = samples16(compression + predictor, shape)
    extra = [2] if len(shape) == 3 and shape[2] == 4 else None  # unassociated alpha
    data = fw.tiff_bytes(samples, photometric, bits=16, byteorder=byteorder, compression=compression,
                         predictor=predictor, extra_samples=extra)
    reference = tifffile.imread(io.BytesIO(data))
    assert np.array_equal(reference, samples)  # the writer wrote what we meant
    folder = one_file(tmp_path, "image.tif", data)
    color = "gray" if photometric == 1 else "rgb"
    out = convert(normtool, folder, tmp_path / "out.npz", "--depth", "16", "--normalize", "none",
                  "--color", color)["x"][0]
    expected = reference[..., None] if photometric == 1 else reference[..., :3]
    assert out.dtype == np.uint16 and np.array_equal(out, expected)


@pytest.mark.parametrize("magic,maxval", [("P5", 65535), ("P5", 1000), ("P2", 4095), ("P6", 65535),
                                          ("P6", 300), ("P3", 1023)])
def test_pnm_above_8_bits_is_rescaled_to_16(normtool, tmp_path, magic, maxval):
    shape = (24, 36) if magic in ("P2", "P5") else (24, 36, 3)
    samples = np.random.default_rng(maxval).integers(0, maxval + 1, shape)
    samples.flat[0], samples.flat[-1] = 0, maxval
    name = "image.pgm" if len(shape) == 2 else "image.ppm"
    folder = one_file(tmp_path, name, fw.pnm_bytes(samples, magic, maxval=maxval))
    out = convert(normtool, folder, tmp_path / "out.npz", "--depth", "16", "--normalize", "none")["x"][0]
    scaled = np.round(samples / maxval * 65535).astype(np.uint16)  # half to even, as Pillow's "I"
    expected = as_rgb(scaled) if scaled.ndim == 2 else scaled
    assert np.array_equal(out, expected)


def test_8bit_images_are_scaled_by_257_beside_16bit_ones(normtool, tmp_path):
    folder = tmp_path / "mixed"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    rgb16 = samples16(3, (32, 32, 3))
    (folder / "a" / "deep.png").write_bytes(fw.png16_bytes(rgb16))
    rgb8 = np.random.default_rng(4).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    Image.fromarray(rgb8).save(folder / "b" / "flat.png")
    Image.fromarray(rgb8).save(folder / "b" / "photo.jpg", quality=90)
    out = convert(normtool, folder, tmp_path / "out.npz", "--depth", "16", "--normalize", "none")
    assert list(out["files"]) == ["a/deep.png", "b/flat.png", "b/photo.jpg"]
    assert np.array_equal(out["x"][0], rgb16)
    assert np.array_equal(out["x"][1], rgb8.astype(np.uint16) * 257)
    with Image.open(folder / "b" / "photo.jpg") as im:
        assert np.array_equal(out["x"][2], np.asarray(im.convert("RGB")).astype(np.uint16) * 257)
    # Statistics: NumPy float64 over the same uint16 pixels on the unit scale v / 65535.
    std = convert(normtool, folder, tmp_path / "std.npz", "--depth", "16", "--dtype", "float64")
    x = out["x"].astype(np.float64) / 65535
    assert np.allclose(std["mean"], x.mean(axis=(0, 1, 2)), rtol=1e-12, atol=0)
    assert np.allclose(std["std"], x.std(axis=(0, 1, 2)), rtol=1e-12, atol=0)
    assert np.allclose(std["x"], (x - x.mean(axis=(0, 1, 2))) / x.std(axis=(0, 1, 2)), rtol=0, atol=1e-12)
    minmax = convert(normtool, folder, tmp_path / "minmax.npz", "--depth", "16", "--normalize", "minmax",
                     "--stats", "image", "--dtype", "float64")
    for i in range(3):
        lo, hi = x[i].min(axis=(0, 1)), x[i].max(axis=(0, 1))
        assert np.allclose(minmax["x"][i], (x[i] - lo) / (hi - lo), rtol=0, atol=1e-12)


@pytest.mark.parametrize("filter", list(FILTERS))
@pytest.mark.parametrize("resize", ["stretch", "crop", "pad"])
@pytest.mark.parametrize("size", [(23, 17), (97, 71)])
def test_16bit_resize_is_pillows_mode_i_clipped(normtool, tmp_path, filter, resize, size):
    gray = np.zeros((60, 80), np.uint16)
    gray[:, 40:] = 65535
    gray[10:50, 10:30] = samples16(1, (40, 20))  # noise beside hard edges: overshoot is clipped
    rgb = samples16(2, (60, 80, 3))
    rgb[20:40, :, 1] = 0
    folder = tmp_path / "images"
    folder.mkdir()
    Image.fromarray(gray).save(folder / "a_gray.png")
    (folder / "b_rgb.png").write_bytes(fw.png16_bytes(rgb))
    out = convert(normtool, folder, tmp_path / "out.npz", "--depth", "16", "--normalize", "none",
                  "--size", f"{size[0]}x{size[1]}", "--resize", resize, "--filter", filter)["x"]
    expected_gray = mode_i_resize(gray, size, filter, resize)
    assert np.array_equal(out[0], as_rgb(expected_gray))
    expected_rgb = np.dstack([mode_i_resize(rgb[..., c], size, filter, resize) for c in range(3)])
    assert np.array_equal(out[1], expected_rgb)


def test_uint16_output_needs_depth_16_and_none(normtool, tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(folder / "a.png")
    for options, message in [(["--dtype", "uint16", "--normalize", "none"], "--dtype uint16 needs --depth 16"),
                             (["--depth", "16", "--dtype", "uint8", "--normalize", "none"], "use uint16"),
                             (["--depth", "16", "--dtype", "uint16"], "needs --normalize none"),
                             (["--depth", "12"], "--depth")]:
        run = convert(normtool, folder, tmp_path / "out.npz", *options, check=False)
        assert run.returncode != 0 and message in run.stderr, (options, run.stderr)
        assert not (tmp_path / "out.npz").exists()


def test_16bit_alpha_composites_with_the_16bit_rule(normtool, tmp_path):
    """Pillow cannot composite 16-bit samples; the rule (docs/design.md §4) is NumPy's
    (c·a + bg·257·(65535 − a) + 32767) // 65535, and 8-bit images follow Pillow's."""
    rgba = samples16(9, (20, 30, 4))
    rgba[:4, :, 3] = 0
    rgba[4:8, :, 3] = 65535
    folder = one_file(tmp_path, "rgba16.png", fw.png16_bytes(rgba))
    out = convert(normtool, folder, tmp_path / "out.npz", "--depth", "16", "--normalize", "none",
                  "--alpha-background", "10,200,255")["x"][0]
    a = rgba[..., 3:].astype(np.int64)
    background = np.array([10, 200, 255], np.int64) * 257
    expected = (rgba[..., :3].astype(np.int64) * a + background * (65535 - a) + 32767) // 65535
    assert np.array_equal(out, expected.astype(np.uint16))
    assert np.array_equal(out[:4], np.broadcast_to(background, out[:4].shape))
    assert np.array_equal(out[4:8], rgba[4:8, :, :3])
