"""`normtool convert --preset` and its building blocks against the frameworks (issue 17).

- Keras presets: `keras.applications.<model>.preprocess_input` itself (Keras 3, JAX CPU
  backend, pinned in requirements.txt; run by keras_preprocess.py in its own process) on the
  same decoded, resized pixels; where Keras does not import, the test prints why and uses
  the NumPy steps of Keras's `imagenet_utils._preprocess_numpy_input`.
- torchvision, CLIP and timm presets: the NumPy + Pillow reference of their documented
  steps (`reference.short_side_crop`: Resize(N) + CenterCrop; `framework_normalize`:
  ToTensor + Normalize in float32).
- The building blocks alone: --channel-order, --scale, --mean/--std, --resize
  short-side-crop --short-side N against Pillow doing the same steps.
- stats.json carries the preset, channel order and scale; --stats FILE repeats the
  treatment; another channel order is refused.

Tolerance: 1e-5 absolute (the issue's), and beyond it bit equality: presets compute in
the frameworks' float32 order (NormalizationArithmetic), so every value is the same float32.
"""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import convert_corpus
import oracle_versions
import reference
from test_stats_files import SCHEMA, schema_errors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "Samples", "images")
KERAS_PRESETS = {  # preset -> (keras.applications module, size, mode)
    "keras-caffe": ("vgg16", 224, "caffe"), "keras-tf": ("mobilenet_v2", 224, "tf"),
    "keras-torch": ("densenet", 224, "torch"), "vgg16": ("vgg16", 224, "caffe"),
    "vgg19": ("vgg19", 224, "caffe"), "resnet50": ("resnet50", 224, "caffe"),
    "inception_v3": ("inception_v3", 299, "tf"), "xception": ("xception", 299, "tf"),
    "mobilenet_v2": ("mobilenet_v2", 224, "tf"), "densenet121": ("densenet", 224, "torch"),
}
IMAGENET = (reference.IMAGENET_MEAN, reference.IMAGENET_STD)
TORCH_PRESETS = {  # preset -> (short side, crop, filter, mean, std): their published numbers
    "torchvision": (256, 224, "bilinear", *IMAGENET),
    "clip": (224, 224, "bicubic", (0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)),
    "timm:resnet50": (235, 224, "bicubic", *IMAGENET),  # floor(224 / 0.95)
    "timm:efficientnet_b0.ra_in1k": (256, 224, "bicubic", *IMAGENET),  # floor(224 / 0.875)
    "timm:vit_base_patch16_224": (248, 224, "bicubic", (0.5,) * 3, (0.5,) * 3),  # floor(224 / 0.9)
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "images"
    convert_corpus.make_corpus(root, count=27, seed=17)
    return root


@pytest.fixture(scope="module", params=["samples", "corpus"])
def folder(request, corpus):
    return SAMPLES if request.param == "samples" else str(corpus)


def convert(normtool, folder, out, *options, check=True):
    result = subprocess.run([normtool, "convert", str(folder), "-o", str(out), "--quiet", *map(str, options)],
                            capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def load_x(path):
    with np.load(path, allow_pickle=False) as data:
        return data["x"]


def files_of(folder):
    _, files, _ = reference.scan_folder(folder)
    assert files, f"no images in {folder}"
    return files


def keras_reference(mode):
    """Keras's _preprocess_numpy_input steps for channels_last float32 input, in NumPy."""
    def preprocess(x):
        if mode == "tf":
            x = x / np.float32(127.5)
            return x - np.float32(1.0)
        if mode == "torch":
            return reference.framework_normalize(x, *IMAGENET)
        return reference.framework_normalize(x[..., ::-1], (103.939, 116.779, 123.68), None, scale="255")
    return preprocess


@pytest.fixture(scope="module")
def keras_results(normtool, folder, tmp_path_factory):
    """{preset: (pixels, ours, theirs)} file paths for every Keras preset on `folder`: the
    same decoded and resized pixels (the preset with --normalize none, in RGB), our output,
    and Keras's own preprocess_input on those pixels as float32, all Keras calls in one
    keras_preprocess.py process. Where Keras does not import, the reason is printed and
    `theirs` is None (the test computes the NumPy reference). Paths, not arrays, so the test
    process stays small (its size would show in every later child's reported peak RSS)."""
    work = tmp_path_factory.mktemp("keras")
    results, arguments = {}, []
    for preset, (module, _, _) in KERAS_PRESETS.items():
        stem = work / preset
        convert(normtool, folder, f"{stem}-x.npz", "--preset", preset)
        convert(normtool, folder, f"{stem}-pixels.npz", "--preset", preset, "--normalize", "none",
                "--channel-order", "rgb")
        np.save(f"{stem}-in.npy", load_x(f"{stem}-pixels.npz").astype(np.float32))
        results[preset] = (f"{stem}-pixels.npz", f"{stem}-x.npz", f"{stem}-out.npy")
        arguments += [module, f"{stem}-in.npy", f"{stem}-out.npy"]
    keras = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "keras_preprocess.py"),
                            *arguments], capture_output=True, text=True)
    if keras.returncode == 3:
        print(f"{keras.stderr.strip()}; checking against the NumPy reference of "
              "imagenet_utils._preprocess_numpy_input instead")
        return {preset: (pixels, ours, None) for preset, (pixels, ours, _) in results.items()}
    assert keras.returncode == 0, keras.stderr
    assert oracle_versions.mismatches(["keras", "jax", "jaxlib"]) == [], \
        "run 'python3 -m pip install -r python-interop/requirements.txt'"
    print(f"checking against {keras.stdout.strip()}")
    return results


# --- the presets against the frameworks ------------------------------------------------------

@pytest.mark.parametrize("preset", sorted(KERAS_PRESETS))
def test_keras_presets_equal_preprocess_input(folder, keras_results, preset):
    module, size, mode = KERAS_PRESETS[preset]
    pixels_path, ours_path, theirs_path = keras_results[preset]
    pixels, ours = load_x(pixels_path), load_x(ours_path)
    theirs = np.load(theirs_path) if theirs_path else keras_reference(mode)(pixels.astype(np.float32))
    assert ours.dtype == np.float32 and ours.shape == (len(files_of(folder)), size, size, 3)
    # The pixels are keras.utils.load_img(path, target_size=(size, size))'s (Pillow, nearest).
    expected = np.stack([reference.load_image(os.path.join(folder, f), (size, size), filter="nearest")
                         for f in files_of(folder)])
    np.testing.assert_array_equal(pixels, expected)
    assert theirs.dtype == np.float32 and theirs.shape == ours.shape
    difference = np.abs(ours.astype(np.float64) - theirs)
    print(f"{preset}: max |ours - keras| = {difference.max():.3g} over {ours.size} values")
    assert difference.max() <= 1e-5
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("preset", sorted(TORCH_PRESETS))
def test_torch_presets_equal_the_documented_steps(normtool, folder, tmp_path, preset):
    short_side, crop, filter, mean, std = TORCH_PRESETS[preset]
    convert(normtool, folder, tmp_path / "x.npz", "--preset", preset)
    ours = load_x(tmp_path / "x.npz")
    theirs = np.stack([
        reference.framework_normalize(
            reference.load_image(os.path.join(folder, f), (crop, crop), "short-side-crop", filter, short_side=short_side),
            mean, std).transpose(2, 0, 1)
        for f in files_of(folder)])
    assert ours.dtype == np.float32 and ours.shape == theirs.shape == (len(theirs), 3, crop, crop)
    print(f"{preset}: max |ours - reference| = {np.abs(ours - theirs).max():.3g}")
    assert np.abs(ours - theirs).max() <= 1e-5
    np.testing.assert_array_equal(ours, theirs)


# --- the building blocks alone ---------------------------------------------------------------

@pytest.mark.parametrize("short_side,size", [(None, "40"), (48, "40"), (40, "48x32"), (20, "32"), (30, "24x44")])
@pytest.mark.parametrize("filter", ["bilinear", "bicubic", "nearest", "lanczos"])
def test_short_side_crop_equals_pillow_doing_the_same_steps(normtool, corpus, tmp_path, short_side, size, filter):
    options = ["--resize", "short-side-crop", "--size", size, "--filter", filter, "--normalize", "none"]
    if short_side:
        options += ["--short-side", short_side]
    convert(normtool, corpus, tmp_path / "x.npy", *options)
    ours = np.load(tmp_path / "x.npy")
    w, h = (int(v) for v in size.split("x")) if "x" in size else (int(size),) * 2
    theirs = np.stack([reference.load_image(corpus / f, (w, h), "short-side-crop", filter, short_side=short_side)
                       for f in files_of(corpus)])
    assert ours.shape == theirs.shape == (len(theirs), h, w, 3)
    np.testing.assert_array_equal(ours, theirs)


def test_bgr_reverses_the_channels(normtool, corpus, tmp_path):
    convert(normtool, corpus, tmp_path / "rgb.npy", "--size", "24", "--normalize", "none")
    convert(normtool, corpus, tmp_path / "bgr.npy", "--size", "24", "--normalize", "none", "--channel-order", "bgr")
    rgb, bgr = np.load(tmp_path / "rgb.npy"), np.load(tmp_path / "bgr.npy")
    assert not np.array_equal(rgb, bgr)
    np.testing.assert_array_equal(bgr, rgb[..., ::-1])


def test_bgr_dataset_statistics_are_in_bgr_order(normtool, corpus, tmp_path):
    convert(normtool, corpus, tmp_path / "x.npz", "--size", "24", "--channel-order", "bgr")
    pixels = np.stack([reference.load_image(corpus / f, (24, 24)) for f in files_of(corpus)])[..., ::-1]
    stats = reference.statistics(pixels)
    with np.load(tmp_path / "x.npz") as data:
        np.testing.assert_allclose(data["mean"], stats["mean"], rtol=1e-12)
        np.testing.assert_allclose(data["x"], reference.normalize(pixels, "standardize", stats), atol=1e-6)


def test_scale_255_gives_pixel_values_and_centers_on_that_scale(normtool, corpus, tmp_path):
    pixels = np.stack([reference.load_image(corpus / f, (24, 24)) for f in files_of(corpus)])
    convert(normtool, corpus, tmp_path / "s.npy", "--size", "24", "--normalize", "scale", "--scale", "255")
    np.testing.assert_array_equal(np.load(tmp_path / "s.npy"), pixels.astype(np.float32))
    convert(normtool, corpus, tmp_path / "c.npz", "--size", "24", "--normalize", "center", "--scale", "255",
            "--save-stats", tmp_path / "c.json")
    stats = reference.statistics(pixels)
    with np.load(tmp_path / "c.npz") as data:
        np.testing.assert_allclose(data["x"], pixels - stats["mean"] * 255, atol=1e-4)
        # the applied statistics, on the unit scale like every mean/std member
        np.testing.assert_allclose(data["mean"], stats["mean"], rtol=1e-12)
    saved = json.loads((tmp_path / "c.json").read_text())
    assert saved["scale"] == 255 and saved["value_scale"] == "255" and saved["channel_order"] == "rgb"
    np.testing.assert_allclose(saved["mean"], stats["mean"] * 255, rtol=1e-12)


@pytest.mark.parametrize("scale,mean,std", [("unit", (0.5, 0.4, 0.3), (0.2, 0.25, 0.3)),
                                            ("255", (120.0, 110.0, 100.0), (60.0, 50.0, 40.0)),
                                            ("255", (127.5,) * 3, None)])
def test_mean_and_std_from_the_command_line(normtool, corpus, tmp_path, scale, mean, std):
    options = ["--size", "24", "--scale", scale, "--mean", ",".join(map(str, mean))]
    if std:
        options += ["--std", ",".join(map(str, std))]
    convert(normtool, corpus, tmp_path / "x.npz", *options)
    pixels = np.stack([reference.load_image(corpus / f, (24, 24)) for f in files_of(corpus)]).astype(np.float64)
    x = pixels / 255 if scale == "unit" else pixels
    expected = (x - np.array(mean)) / (np.array(std) if std else 1.0)
    with np.load(tmp_path / "x.npz") as data:
        np.testing.assert_allclose(data["x"], expected.astype(np.float32), rtol=0, atol=1e-6 * max(1, np.abs(expected).max()))
        divisor = 1 if scale == "unit" else 255
        np.testing.assert_allclose(data["mean"], np.array(mean) / divisor, rtol=1e-15)


# --- stored with the output, applied again ---------------------------------------------------

def test_stats_file_of_a_preset_run_repeats_its_treatment(normtool, corpus, tmp_path):
    convert(normtool, corpus, tmp_path / "train", "--preset", "vgg16", "--size", "64")
    saved = json.loads((tmp_path / "train" / "stats.json").read_text())
    assert (saved["preset"], saved["channel_order"], saved["value_scale"], saved["scale"]) == ("vgg16", "bgr", "255", 255)
    assert saved["mean"] == [103.939, 116.779, 123.68]
    assert saved["options"]["preset_overrides"] == "--size"
    assert schema_errors(saved, SCHEMA) == []
    convert(normtool, corpus, tmp_path / "preset.npz", "--preset", "vgg16", "--size", "64")
    convert(normtool, corpus, tmp_path / "file.npz", "--stats", tmp_path / "train" / "stats.json")
    np.testing.assert_array_equal(load_x(tmp_path / "file.npz"), load_x(tmp_path / "preset.npz"))
    assert load_x(tmp_path / "file.npz").shape[1:] == (64, 64, 3)


def test_a_preset_statistics_file_is_refused_for_another_channel_order(normtool, corpus, tmp_path):
    convert(normtool, corpus, tmp_path / "train", "--preset", "keras-caffe", "--size", "32")
    (tmp_path / "test.npz").write_bytes(b"keep me")
    result = convert(normtool, corpus, tmp_path / "test.npz", "--stats", tmp_path / "train" / "stats.json",
                     "--channel-order", "rgb", check=False)
    assert result.returncode == 1
    assert "BGR" in result.stderr and "--channel-order bgr" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "test.npz").read_bytes() == b"keep me"


def test_explicit_options_override_the_preset_and_the_summary_says_so(normtool, corpus, tmp_path):
    result = subprocess.run([normtool, "convert", str(corpus), "-o", str(tmp_path / "x.npz"), "--preset", "torchvision",
                             "--size", "32", "--layout", "nhwc"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "preset torchvision" in result.stdout and "overridden: --size --layout" in result.stdout
    assert load_x(tmp_path / "x.npz").shape[1:] == (32, 32, 3)


# --- the list and the refusals ----------------------------------------------------------------

def test_presets_lists_every_preset_with_its_numbers(normtool):
    out = subprocess.run([normtool, "presets"], capture_output=True, text=True, check=True).stdout
    for name in [*KERAS_PRESETS, *TORCH_PRESETS]:
        assert name.split(".")[0] in out
    for number in ["103.939", "0.48145466", "0.26862954", "127.5", "0.229", "short side 235"]:
        assert number in out


@pytest.mark.parametrize("options,message", [
    (["--preset", "vgg-16"], "--preset: expected one of"),
    (["--mean", "0.5,0.5"], "expected 3 values each"),
    (["--mean", "0.5,x,0.5"], "expected numbers separated by commas"),
    (["--mean", "120,120,120"], "0-255 values need --scale 255"),
    (["--std", "0,1,1"], "std > 0"),
    (["--stats", "dataset", "--mean", "0.5,0.5,0.5"], "--stats and --mean/--std"),
    (["--size", "32", "--short-side", "40"], "--short-side applies to --resize short-side-crop only"),
    (["--resize", "short-side-crop"], "needs --size"),
    (["--channel-order", "bgr", "--color", "gray"], "--channel-order bgr needs 3-channel images"),
    (["--preset", "resnet50", "--color", "gray"], "--channel-order bgr needs 3-channel images"),
])
def test_conflicting_options_are_refused_before_reading(normtool, corpus, tmp_path, options, message):
    result = convert(normtool, corpus, tmp_path / "x.npz", *options, check=False)
    assert result.returncode == 64 and message in result.stderr, result.stderr
    assert not (tmp_path / "x.npz").exists()


def test_a_short_side_that_would_need_gigabytes_is_refused_naming_the_file(normtool, tmp_path):
    folder = tmp_path / "images" / "a"
    folder.mkdir(parents=True)
    from PIL import Image
    Image.new("RGB", (90, 30), (10, 20, 30)).save(folder / "wide.png")
    # Resize(65536) of a 90x30 image is 196608x65536 pixels (36 GiB) before the crop.
    result = convert(normtool, tmp_path / "images", tmp_path / "x.npz", "--resize", "short-side-crop",
                     "--short-side", "65536", "--size", "8", check=False)
    assert result.returncode == 1
    assert "a/wide.png" in result.stderr and "over 1 GiB" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.npz").exists()


@pytest.mark.parametrize("key,value", [("channel_order", "gbr"), ("value_scale", "1"), ("preset", 3)])
def test_a_stats_file_with_a_bad_treatment_key_is_one_line(normtool, corpus, tmp_path, key, value):
    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"mean": [0.5, 0.5, 0.5], "std": [0.2, 0.2, 0.2], key: value}))
    result = convert(normtool, corpus, tmp_path / "x.npz", "--size", "8", "--stats", stats, check=False)
    assert result.returncode == 1 and str(stats) in result.stderr and f'"{key}"' in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.npz").exists()


def test_stats_of_a_folder_in_bgr_say_so_and_fit_only_bgr_runs(normtool, corpus, tmp_path):
    line = subprocess.run([normtool, "stats", str(corpus), "--axes", "0,1,2", "--size", "24", "--channel-order", "bgr",
                           "--json"], capture_output=True, text=True, check=True).stdout
    measured = json.loads(line)
    pixels = np.stack([reference.load_image(corpus / f, (24, 24)) for f in files_of(corpus)])[..., ::-1]
    assert measured["channel_order"] == "bgr"
    np.testing.assert_allclose(measured["mean"], reference.statistics(pixels)["mean"], rtol=1e-12)
    (tmp_path / "bgr.json").write_text(line)
    refused = convert(normtool, corpus, tmp_path / "rgb.npz", "--size", "24", "--stats", tmp_path / "bgr.json",
                      check=False)
    assert refused.returncode == 1 and "--channel-order bgr" in refused.stderr
    convert(normtool, corpus, tmp_path / "bgr.npz", "--size", "24", "--stats", tmp_path / "bgr.json",
            "--channel-order", "bgr")
