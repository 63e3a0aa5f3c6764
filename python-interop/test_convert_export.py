"""Issue 12 items 5-7 and issue 11's summary: duplicates (file bytes, then decoded pixels;
`--dedupe keep-first`; duplicates.csv), the summary printed and stored beside the output, and
`--export hf,torchvision,keras,timm` with its refusals. References are hashlib, Pillow and
NumPy on the same files; the Hugging Face check runs the real transformers image processor."""
import collections
import csv
import hashlib
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys
import types

import numpy as np
import pytest
from PIL import Image

from hf_processor import load_processor
from reference import load_image

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "Samples" / "images"


def run(normtool, *arguments):
    return subprocess.run([normtool, *map(str, arguments)], capture_output=True, text=True)


IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp", ".gif", ".pbm"}


def photo(seed, size=(20, 14), channels=3):
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, size=(size[1], size[0], channels), dtype=np.uint8))


def scan(root):
    """The class folders' images in output order (docs/design.md §5): relative paths."""
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    files = []
    for name in classes:
        files += sorted(str(p.relative_to(root)) for p in (root / name).rglob("*")
                        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in IMAGE_EXTENSIONS)
    return classes, files


# --- duplicates ----------------------------------------------------------------------------

@pytest.fixture
def with_duplicates(tmp_path):
    """Two classes; byte-identical copies (within and across classes), a PNG re-encoded with
    other settings, a PNG holding a JPEG's decoded pixels, a BMP of a PNG, and distinct images."""
    root = tmp_path / "dups"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    photo(1).save(root / "a" / "p1.png")
    shutil.copyfile(root / "a" / "p1.png", root / "a" / "p1_copy.png")
    shutil.copyfile(root / "a" / "p1.png", root / "b" / "p1_other_class.png")
    photo(1).save(root / "b" / "p1_recompressed.png", compress_level=0)
    photo(2).save(root / "a" / "p2.jpg", quality=80)
    with Image.open(root / "a" / "p2.jpg") as jpeg:
        jpeg.convert("RGB").save(root / "b" / "p2_decoded.png")
    photo(3).save(root / "a" / "p3.png")
    photo(3).save(root / "b" / "p3.bmp")
    photo(4).save(root / "b" / "p4.png")
    return root


def reference_duplicates(root):
    """(file, original, kind) in file order: file hash first, then Pillow's pixels + shape."""
    _, files = scan(root)
    by_bytes, by_pixels, found = {}, {}, []
    for f in files:
        data = (root / f).read_bytes()
        pixels = load_image(root / f)
        file_key = hashlib.sha256(data).hexdigest()
        pixel_key = (pixels.shape, hashlib.sha256(pixels.tobytes()).hexdigest())
        match = None
        if file_key in by_bytes:
            match = (by_bytes[file_key], "identical-file")
        else:
            by_bytes[file_key] = f
        if pixel_key in by_pixels:
            match = match or (by_pixels[pixel_key], "same-pixels")
        else:
            by_pixels[pixel_key] = f
        if match:
            found.append((f, *match))
    return files, found


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_duplicates_are_listed_as_hashlib_and_pillow_find_them(normtool, with_duplicates, tmp_path):
    files, expected = reference_duplicates(with_duplicates)
    assert len(expected) == 5, "the corpus holds five duplicates"
    result = run(normtool, "convert", with_duplicates, "-o", tmp_path / "out.npz", "--normalize", "none")
    assert result.returncode == 0, result.stderr
    rows = read_csv(tmp_path / "out.duplicates.csv")
    assert [(r["file"], r["duplicate_of"], r["kind"]) for r in rows] == expected
    assert all(r["dropped"] == "0" and r["split"] == "" for r in rows)
    summary = json.loads((tmp_path / "out.summary.json").read_text())
    kinds = collections.Counter(kind for _, _, kind in expected)
    assert summary["duplicates"] == {"identical_files": kinds["identical-file"], "same_pixels": kinds["same-pixels"],
                                     "across_splits": 0, "dropped": 0}
    assert f"duplicates: {len(expected)} (identical files {kinds['identical-file']}" in result.stdout
    with np.load(tmp_path / "out.npz") as z:
        assert list(z["files"]) == files and "dropped" not in z.files


def test_dedupe_keep_first_drops_later_copies_and_lists_them(normtool, with_duplicates, tmp_path):
    files, expected = reference_duplicates(with_duplicates)
    dropped = [f for f, _, _ in expected]
    kept = [f for f in files if f not in dropped]
    for out in (tmp_path / "out.npz", tmp_path / "dir"):
        result = run(normtool, "convert", with_duplicates, "-o", out, "--normalize", "none", "--dedupe", "keep-first")
        assert result.returncode == 0, result.stderr
        assert f"images: {len(kept)}" in result.stdout
        for f in dropped:
            assert f"dropped {f}:" in result.stdout
    with np.load(tmp_path / "out.npz") as z:
        assert list(z["files"]) == kept and list(z["dropped"]) == dropped
        np.testing.assert_array_equal(z["x"], np.stack([load_image(with_duplicates / f) for f in kept]))
        assert list(z["y"]) == [0 if f.startswith("a/") else 1 for f in kept]
    assert list(np.load(tmp_path / "dir" / "dropped.npy")) == dropped
    rows = read_csv(tmp_path / "dir" / "duplicates.csv")
    assert [r["file"] for r in rows] == dropped and all(r["dropped"] == "1" for r in rows)
    assert json.loads((tmp_path / "dir" / "summary.json").read_text())["duplicates"]["dropped"] == len(dropped)


def test_same_pixels_after_resizing_are_duplicates(normtool, tmp_path):
    """At --size the content hash is of the resized pixels: an image and its 2x NEAREST
    upscale resize (NEAREST) to the same 10x7 pixels in Pillow, so they are duplicates."""
    root = tmp_path / "sized"
    root.mkdir()
    photo(5, size=(20, 14)).save(root / "small.png")
    photo(5, size=(20, 14)).resize((40, 28), Image.Resampling.NEAREST).save(root / "large.png")
    a = load_image(root / "small.png", size=(10, 7), filter="nearest")
    b = load_image(root / "large.png", size=(10, 7), filter="nearest")
    assert np.array_equal(a, b), "Pillow gives both the same pixels"
    result = run(normtool, "convert", root, "-o", tmp_path / "o.npy", "--size", "10x7", "--filter", "nearest",
                 "--normalize", "none")
    assert result.returncode == 0, result.stderr
    rows = read_csv(tmp_path / "o.duplicates.csv")
    assert [(r["file"], r["duplicate_of"], r["kind"]) for r in rows] == [("small.png", "large.png", "same-pixels")]
    # Without --size they differ in shape, so they are not duplicates (and cannot share x).
    result = run(normtool, "convert", root, "-o", tmp_path / "p.npy", "--normalize", "none", "--on-error", "skip")
    assert result.returncode == 0, result.stderr
    assert read_csv(tmp_path / "p.duplicates.csv") == []


# --- the summary ---------------------------------------------------------------------------

def exif_with_orientation(value):
    exif = Image.Exif()
    exif[0x0112] = value
    return exif


@pytest.fixture
def varied(tmp_path):
    """Formats, sizes, an EXIF rotation, 16-bit gray, transparency (and opaque alpha, which is
    not transparency), and files the scan ignores."""
    root = tmp_path / "varied"
    for name in ("cats", "dogs", "empty_class"):
        (root / name).mkdir(parents=True)
    photo(10, (30, 20)).save(root / "cats" / "rotated.jpg", exif=exif_with_orientation(6))
    photo(11, (21, 33)).save(root / "cats" / "plain.jpg")
    ramp = (np.arange(24 * 16, dtype=np.uint32).reshape(16, 24) * 170).astype(np.uint16)
    Image.fromarray(ramp).save(root / "cats" / "deep.png")
    transparent = np.asarray(photo(12, (17, 19), 4)).copy()
    transparent[0, 0, 3] = 0
    Image.fromarray(transparent).save(root / "dogs" / "alpha.png")
    opaque = np.asarray(photo(13, (40, 10), 4)).copy()
    opaque[..., 3] = 255
    Image.fromarray(opaque).save(root / "dogs" / "opaque_alpha.png")
    photo(14, (25, 25)).save(root / "dogs" / "bitmap.bmp")
    photo(15, (26, 12)).save(root / "dogs" / "anim.gif")
    for ignored in ("cats/notes.txt", "dogs/readme.txt", "dogs/more.txt", "dogs/extra.txt", "cats/labels.csv",
                    "dogs/.DS_Store", "top-level.md"):
        (root / ignored).write_text("not an image")
    return root


def pillow_facts(path):
    with Image.open(path) as im:
        alpha = "A" in im.getbands() and im.getchannel("A").getextrema()[0] < 255
        sixteen = im.mode.startswith("I;16") or (im.format == "PNG" and path.read_bytes()[24] == 16)
        return im.format, im.size, im.getexif().get(0x0112, 1), sixteen, alpha


def test_summary_json_matches_pillow_and_numpy(normtool, varied, tmp_path):
    result = run(normtool, "convert", varied, "-o", tmp_path / "v.npz", "--size", 16)
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "v.summary.json").read_text())
    classes, relative = scan(varied)
    files = [varied / f for f in relative]
    facts = [pillow_facts(f) for f in files]
    assert summary["images"] == len(files) == 7
    assert summary["per_class"] == {c: sum(1 for f in files if f.parent.name == c) for c in classes}
    widths = [size[0] for _, size, _, _, _ in facts]
    heights = [size[1] for _, size, _, _, _ in facts]
    for key, values in (("width", widths), ("height", heights)):
        assert summary[key] == {"min": int(np.min(values)), "median": float(np.median(values)),
                                "max": int(np.max(values))}
    assert summary["formats"] == dict(sorted(collections.Counter(f for f, *_ in facts).items()))
    assert summary["exif_rotated"] == sum(1 for *_, o, _, _ in facts if o != 1) == 1
    assert summary["sixteen_bit"] == sum(1 for *_, s, _ in facts if s) == 1
    assert summary["transparency"] == sum(1 for *_, a in facts if a) == 1
    assert summary["skipped"] == []
    ignored = summary["ignored"]
    assert ignored["count"] == 7
    assert {ext: group["count"] for ext, group in ignored["by_extension"].items()} == {".txt": 4, ".csv": 1, ".md": 1,
                                                                                      "": 1}
    assert ignored["by_extension"][".txt"]["first"] == ["cats/notes.txt", "dogs/extra.txt", "dogs/more.txt"]
    assert "--depth 16" in summary["warnings"][0] and "1 image has 16-bit samples" in summary["warnings"][0]
    out = result.stdout
    assert "per class: cats 3, dogs 4, empty_class 0" in out
    assert "EXIF rotation: 1  16-bit samples: 1  transparency: 1" in out
    assert "ignored .txt: 4 (cats/notes.txt, dogs/extra.txt, dogs/more.txt, …)" in out
    assert "warning: 1 image has 16-bit samples, reduced to 8 bits (as Pillow does); --depth 16 keeps them" in out


def test_summary_lists_skipped_files(normtool, varied, tmp_path):
    (varied / "dogs" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    result = run(normtool, "convert", varied, "-o", tmp_path / "d", "--size", 16, "--on-error", "skip")
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "d" / "summary.json").read_text())
    assert [s["file"] for s in summary["skipped"]] == ["dogs/broken.png"] and summary["skipped"][0]["reason"]
    assert summary["images"] == 7


# --- exports -------------------------------------------------------------------------------

SIZE = (24, 20)  # width, height: not square, so a swapped height/width shows


@pytest.fixture(scope="module")
def exported(normtool, tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    common = ["--size", f"{SIZE[0]}x{SIZE[1]}", "--filter", "bicubic"]
    result = run(normtool, "convert", SAMPLES, "-o", out / "x.npz", "--layout", "nchw", "--export",
                 "hf,torchvision,keras,timm", *common)
    assert result.returncode == 0, result.stderr
    raw = run(normtool, "convert", SAMPLES, "-o", out / "raw.npy", "--normalize", "none", *common)
    assert raw.returncode == 0, raw.stderr
    with np.load(out / "x.npz") as z:
        members = {name: z[name] for name in z.files}
    return out, members, np.load(out / "raw.npy"), result.stdout


def test_exports_are_written_beside_the_output(exported):
    out, _, _, stdout = exported
    names = ["preprocessor_config.json", "torchvision_normalize.py", "keras_normalization.json",
             "timm_pretrained_cfg.json"]
    assert sorted(os.listdir(out / "x.export")) == sorted(names)
    for name in names:
        assert f"exported {out / 'x.export' / name}" in stdout
    # One sample (dandelion_00001.png, RGBA with alpha down to 64) has transparency.
    assert "warning: 1 image has transparency: hf's processor composites it on white" in stdout


def test_hf_preprocessor_config_fields(exported):
    out, members, _, _ = exported
    config = json.loads((out / "x.export" / "preprocessor_config.json").read_text())
    assert config["image_processor_type"] == "ViTImageProcessor"
    assert config["size"] == {"height": SIZE[1], "width": SIZE[0]}
    assert config["resample"] == int(Image.Resampling.BICUBIC)
    assert config["do_rescale"] is True and config["rescale_factor"] == 1 / 255
    assert config["do_normalize"] is True
    assert config["image_mean"] == list(members["mean"]) and config["image_std"] == list(members["std"])


def test_transformers_reproduces_our_output(exported, monkeypatch):
    """The real client: AutoImageProcessor (Pillow backend, no torch) on our images gives our
    NCHW float32 x within 1e-6."""
    out, members, _, _ = exported
    processor = load_processor(out / "x.export", monkeypatch)
    # Our pipeline drops alpha as Pillow's convert("RGB") does; the processor would composite
    # it on white (the summary warns), so it is given RGB images, as the docs say.
    images = []
    for f in members["files"]:
        with Image.open(SAMPLES / f) as im:
            images.append(im.convert("RGB"))
    pixel_values = processor(images, return_tensors="np")["pixel_values"]
    assert pixel_values.shape == members["x"].shape == (36, 3, SIZE[1], SIZE[0])
    np.testing.assert_allclose(pixel_values, members["x"], rtol=0, atol=1e-6)


class Recorder:
    """Stands in for a torchvision transform: records its arguments."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


def test_torchvision_snippet_runs_and_holds_the_statistics(exported):
    out, members, _, _ = exported
    fake = types.ModuleType("torchvision")
    fake.transforms = types.SimpleNamespace(
        Normalize=type("Normalize", (Recorder,), {}), Resize=type("Resize", (Recorder,), {}),
        ToTensor=type("ToTensor", (Recorder,), {}), Compose=type("Compose", (Recorder,), {}),
        InterpolationMode=types.SimpleNamespace(BICUBIC="BICUBIC"))
    namespace = {}
    saved = sys.modules.get("torchvision")
    sys.modules["torchvision"] = fake
    try:
        exec((out / "x.export" / "torchvision_normalize.py").read_text(), namespace)
    finally:
        if saved is None:
            del sys.modules["torchvision"]
        else:
            sys.modules["torchvision"] = saved
    normalize = namespace["normalize"]
    assert list(normalize.kwargs["mean"]) == list(members["mean"])
    assert list(normalize.kwargs["std"]) == list(members["std"])
    resize, to_tensor, last = namespace["transform"].args[0]
    assert resize.args == ((SIZE[1], SIZE[0]),) and resize.kwargs == {"interpolation": "BICUBIC"}
    assert last is normalize


def test_keras_values_reproduce_our_output(exported):
    out, members, raw, _ = exported
    config = json.loads((out / "x.export" / "keras_normalization.json").read_text())
    rescaling, normalization = config["layers"]
    assert rescaling["class_name"] == "Rescaling" and normalization["class_name"] == "Normalization"
    assert config["input_shape"] == [SIZE[1], SIZE[0], 3]
    c = normalization["config"]
    assert c["axis"] == -1 and c["invert"] is False
    # Keras: (x - mean) / sqrt(variance) on x = pixel * scale, in NHWC.
    x = raw.astype(np.float64) * rescaling["config"]["scale"]
    expected = (x - np.array(c["mean"])) / np.sqrt(np.array(c["variance"]))
    np.testing.assert_allclose(expected.transpose(0, 3, 1, 2), members["x"], rtol=0, atol=1e-6)


def test_timm_cfg_fields(exported):
    out, members, _, _ = exported
    cfg = json.loads((out / "x.export" / "timm_pretrained_cfg.json").read_text())
    assert cfg["input_size"] == [3, SIZE[1], SIZE[0]]
    assert cfg["interpolation"] == "bicubic" and cfg["crop_pct"] == 1.0 and cfg["crop_mode"] == "squash"
    assert cfg["mean"] == list(members["mean"]) and cfg["std"] == list(members["std"])
    assert cfg["num_classes"] == len(members["classes"])


def test_global_scope_and_directory_output(normtool, tmp_path):
    out = tmp_path / "d"
    result = run(normtool, "convert", SAMPLES, "-o", out, "--size", 16, "--scope", "global", "--export", "hf,timm")
    assert result.returncode == 0, result.stderr
    assert {"preprocessor_config.json", "timm_pretrained_cfg.json", "summary.json"} <= set(os.listdir(out))
    config = json.loads((out / "preprocessor_config.json").read_text())
    mean, std = np.load(out / "mean.npy"), np.load(out / "std.npy")
    assert config["image_mean"] == [float(mean[0])] * 3 and config["image_std"] == [float(std[0])] * 3


@pytest.mark.parametrize("options, reason", [
    (["--stats", "image"], "--stats image"),
    (["--stats", "batch:4"], "--stats batch:4"),
    (["--resize", "pad"], "--resize pad"),
    (["--normalize", "minmax"], "--normalize minmax"),
    (["--normalize", "none"], "--normalize none"),
    (["--resize", "crop"], "--resize crop"),
    (["--color", "gray"], "--color gray"),
    (["--channel-order", "bgr"], "--channel-order bgr"),
    (["--preset", "vgg16"], "--channel-order bgr"),
    (["--resize", "short-side-crop"], "--resize short-side-crop"),
    (["--normalize", "center", "--whiten", "zca"], "--whiten zca"),
    (["--depth", "16"], "--depth 16"),
])
def test_exports_refuse_what_they_cannot_express(normtool, tmp_path, options, reason):
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "x.npz", "--size", 16, "--export", "hf", *options)
    assert result.returncode != 0
    first = result.stderr.splitlines()[0]  # then argument-parser's usage lines, as for every option error
    assert "--export: hf" in first and reason in first, result.stderr
    assert os.listdir(tmp_path) == []


def test_keras_takes_crop_and_unknown_targets_are_refused(normtool, tmp_path):
    ok = run(normtool, "convert", SAMPLES, "-o", tmp_path / "k.npz", "--size", 16, "--resize", "crop",
             "--export", "keras")
    assert ok.returncode == 0, ok.stderr
    bad = run(normtool, "convert", SAMPLES, "-o", tmp_path / "o.npz", "--export", "hf,onnx")
    assert bad.returncode != 0 and "onnx" in bad.stderr and not (tmp_path / "o.npz").exists()


def test_a_keras_export_of_a_caffe_preset_says_bgr_and_the_preset(normtool, tmp_path):
    # keras-caffe (vgg16): BGR, 0-255 centring; the file names the order and the preset.
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "v", "--preset", "vgg16", "--size", 32,
                 "--export", "keras")
    assert result.returncode == 0, result.stderr
    config = json.loads((tmp_path / "v" / "keras_normalization.json").read_text())
    assert config["channel_order"] == "bgr" and config["preset"] == "vgg16"
    mean = config["layers"][1]["config"]["mean"]
    # On the 0-255 scale: no rescaling, the preset's own BGR mean, no division.
    assert config["layers"][0]["config"]["scale"] == 1.0
    np.testing.assert_allclose(mean, [103.939, 116.779, 123.68], rtol=1e-12)
    assert config["layers"][1]["config"]["variance"] == [1.0, 1.0, 1.0]
    # What those layers compute on the same run's raw BGR pixels equals x.
    raw = run(normtool, "convert", SAMPLES, "-o", tmp_path / "raw.npy", "--preset", "vgg16", "--size", 32,
              "--normalize", "none")
    assert raw.returncode == 0, raw.stderr
    pixels = np.load(tmp_path / "raw.npy").astype(np.float64)
    layers = config["layers"]
    expected = (pixels * layers[0]["config"]["scale"] - np.array(mean)) / np.sqrt(layers[1]["config"]["variance"])
    x = np.load(tmp_path / "v" / "x.npy")
    assert x.dtype == np.float32 and x.shape == pixels.shape
    np.testing.assert_allclose(x, expected, rtol=0, atol=1e-4)
