"""Issue 12 items 4-7 together: duplicates, the summary and --export on a run with splits.
Duplicates are found across all splits (the training split first, then the others in --split
order), reported louder when they cross splits, and dropped from the later split by
--dedupe keep-first; the summary counts per class and per split; the summary, duplicates.csv
and the exports are written once in OUT/ from the training split's statistics, and the real
transformers image processor reproduces the val split's NCHW output. References: hashlib,
Pillow and NumPy (reference.py, split_reference.py) on the same files."""
import csv
import hashlib
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from hf_processor import load_processor
import reference
import split_reference as ref
from conftest import ROOT

SAMPLES = ROOT / "Samples" / "images"


def convert(normtool, *args, check=True):
    result = subprocess.run([normtool, "convert", *map(str, args)], capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def photo(seed, size=(12, 10)):
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, size=(size[1], size[0], 3), dtype=np.uint8))


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def leaky(tmp_path):
    """Two classes and a label file with a split column. val holds a byte copy of a train
    image (listed BEFORE it, so file order alone would keep the val copy), a re-encoded
    (same pixels) copy of another train image, and a copy of a val image within val."""
    root = tmp_path / "images"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
    photo(1).save(root / "a" / "t1.png")
    shutil.copyfile(root / "a" / "t1.png", root / "a" / "v1_copy.png")
    photo(2).save(root / "b" / "t2.png")
    photo(2).save(root / "b" / "v2.bmp")
    photo(3).save(root / "a" / "v3.png")
    shutil.copyfile(root / "a" / "v3.png", root / "b" / "v3_copy.png")
    for seed in (4, 5, 6):
        photo(seed).save(root / ("a" if seed % 2 else "b") / f"t{seed}.png")
    rows = [("a/v1_copy.png", "a", "val"), ("a/t1.png", "a", "train"), ("b/t2.png", "b", "train"),
            ("b/v2.bmp", "b", "val"), ("a/v3.png", "a", "val"), ("b/v3_copy.png", "b", "val"),
            ("a/t5.png", "a", "train"), ("b/t4.png", "b", "train"), ("b/t6.png", "b", "train")]
    labels = tmp_path / "labels.csv"
    with open(labels, "w", newline="") as f:
        csv.writer(f).writerows([("path", "label", "split")] + rows)
    return root, labels, rows


def reference_duplicates(root, rows, order):
    """(file, original, kind, split, original_split) as the rule says: splits in `order`,
    rows in file order within each; the file hash first, then Pillow's pixels + shape."""
    by_bytes, by_pixels, found = {}, {}, []
    for split in order:
        for f, _, s in rows:
            if s != split:
                continue
            pixels = reference.load_image(root / f)
            file_key = hashlib.sha256((root / f).read_bytes()).hexdigest()
            pixel_key = (pixels.shape, hashlib.sha256(pixels.tobytes()).hexdigest())
            match = None
            if file_key in by_bytes:
                match = (*by_bytes[file_key], "identical-file")
            else:
                by_bytes[file_key] = (f, s)
            if pixel_key in by_pixels:
                match = match or (*by_pixels[pixel_key], "same-pixels")
            else:
                by_pixels[pixel_key] = (f, s)
            if match:
                found.append((f, match[0], match[2], s, match[1]))
    return found


def test_duplicates_across_splits_are_reported_louder(normtool, leaky, tmp_path):
    root, labels, rows = leaky
    expected = reference_duplicates(root, rows, ["train", "val"])
    assert [(f, o) for f, o, *_ in expected] == [
        ("a/v1_copy.png", "a/t1.png"), ("b/v2.bmp", "b/t2.png"), ("b/v3_copy.png", "a/v3.png")]
    out = tmp_path / "out"
    result = convert(normtool, "--labels", labels, "--root", root, "--split", "train=0.5,val=0.5", "-o", out,
                     "--normalize", "none")
    table = read_csv(out / "duplicates.csv")
    assert [(r["file"], r["duplicate_of"], r["kind"], r["split"], r["duplicate_of_split"]) for r in table] == expected
    assert all(r["dropped"] == "0" for r in table)
    summary = json.loads((out / "summary.json").read_text())
    across = sum(1 for *_, s, o in expected if s != o)
    assert across == 2
    assert summary["duplicates"]["across_splits"] == across and summary["duplicates"]["dropped"] == 0
    assert f"{across} duplicates across splits" in summary["warnings"][0]
    assert f"warning: {across} duplicates across splits" in result.stdout
    # The leaks are listed first and marked.
    listed = [line for line in result.stdout.splitlines() if line.startswith("duplicate ")]
    assert [line.endswith("ACROSS SPLITS)") for line in listed] == [True, True, False]
    # Nothing dropped: every row is in its split's dataset.
    for split in ("train", "val"):
        with np.load(out / f"{split}.npz") as z:
            assert list(z["files"]) == [f for f, _, s in rows if s == split] and "dropped" not in z.files


def test_keep_first_drops_from_the_later_split(normtool, leaky, tmp_path):
    root, labels, rows = leaky
    expected = reference_duplicates(root, rows, ["train", "val"])
    dropped = {f for f, *_ in expected}
    out = tmp_path / "out"
    convert(normtool, "--labels", labels, "--root", root, "--split", "train=0.5,val=0.5", "-o", out,
            "--normalize", "none", "--dedupe", "keep-first", "--quiet")
    with np.load(out / "train.npz") as z:
        assert list(z["files"]) == [f for f, _, s in rows if s == "train"] and "dropped" not in z.files
    with np.load(out / "val.npz") as z:
        kept = [f for f, _, s in rows if s == "val" and f not in dropped]
        assert list(z["files"]) == kept == ["a/v3.png"]
        assert list(z["dropped"]) == [f for f, _, s in rows if s == "val" and f in dropped]
        np.testing.assert_array_equal(z["x"], np.stack([reference.load_image(root / f) for f in kept]))
    table = read_csv(out / "duplicates.csv")
    assert [r["file"] for r in table] == [f for f, *_ in expected] and all(r["dropped"] == "1" for r in table)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["per_split"] == {"train": {"images": 5, "per_class": {"a": 2, "b": 3}},
                                    "val": {"images": 1, "per_class": {"a": 1, "b": 0}}}


def test_summary_counts_per_class_and_split_match_numpy(normtool, tmp_path):
    out = tmp_path / "out"
    names, fractions, seed = ["train", "val", "test"], [0.6, 0.2, 0.2], 4
    result = convert(normtool, SAMPLES, "-o", out, "--size", 8, "--split", "train=0.6,val=0.2,test=0.2", "--seed",
                     seed)
    classes, files, labels = reference.scan_folder(SAMPLES)
    expected = ref.assign_splits([[l] for l in labels], names, fractions, seed, True)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["images"] == len(files)
    assert summary["per_class"] == {c: labels.count(i) for i, c in enumerate(classes)}
    counts = np.zeros((len(names), len(classes)), dtype=int)
    np.add.at(counts, ([names.index(s) for s in expected], labels), 1)
    assert summary["per_split"] == {
        n: {"images": int(counts[k].sum()), "per_class": {c: int(counts[k, i]) for i, c in enumerate(classes)}}
        for k, n in enumerate(names)}
    for k, n in enumerate(names):
        assert f"split {n}: {counts[k].sum()} images (" in result.stdout
    # The summary is written once, for all splits, and printed once.
    assert sorted(os.listdir(out)) == ["duplicates.csv", "splits.csv", "stats.json", "summary.json", "test.npz",
                                       "train.npz", "val.npz"]
    assert result.stdout.count("per class: ") == 1


SIZE = (24, 20)  # width, height


@pytest.fixture(scope="module")
def split_export(normtool, tmp_path_factory):
    out = tmp_path_factory.mktemp("split-export") / "out"
    result = convert(normtool, SAMPLES, "-o", out, "--size", f"{SIZE[0]}x{SIZE[1]}", "--filter", "bicubic",
                     "--layout", "nchw", "--split", "train=0.7,val=0.3", "--seed", 3, "--export", "hf,keras")
    return out, result.stdout


def test_split_export_is_written_once_from_the_training_statistics(split_export):
    out, stdout = split_export
    assert sorted(os.listdir(out)) == ["duplicates.csv", "keras_normalization.json", "preprocessor_config.json",
                                       "splits.csv", "stats.json", "summary.json", "train.npz", "val.npz"]
    assert f"exported {out / 'preprocessor_config.json'}" in stdout
    classes, files, labels = reference.scan_folder(SAMPLES)
    split_of = {r["file"]: r["split"] for r in read_csv(out / "splits.csv")}
    train = [f for f in files if split_of[f] == "train"]
    stats = reference.statistics(np.stack([reference.load_image(SAMPLES / f, SIZE, filter="bicubic") for f in train]))
    config = json.loads((out / "preprocessor_config.json").read_text())
    np.testing.assert_allclose(config["image_mean"], stats["mean"], rtol=1e-12)
    np.testing.assert_allclose(config["image_std"], reference.adjusted_std(stats), rtol=1e-12)
    for split in ("train", "val"):
        with np.load(out / f"{split}.npz") as z:
            assert list(z["mean"]) == config["image_mean"] and list(z["std"]) == config["image_std"]
    keras = json.loads((out / "keras_normalization.json").read_text())
    assert keras["layers"][1]["config"]["mean"] == config["image_mean"]


def test_transformers_reproduces_the_val_split(split_export, monkeypatch):
    out, _ = split_export
    processor = load_processor(out, monkeypatch)
    with np.load(out / "val.npz") as z:
        files, x = list(z["files"]), z["x"]
    assert len(files) >= 5
    images = []
    for f in files:
        with Image.open(SAMPLES / f) as im:
            images.append(im.convert("RGB"))  # the processor composites alpha on white; we drop it
    pixel_values = processor(images, return_tensors="np")["pixel_values"]
    assert pixel_values.shape == x.shape == (len(files), 3, SIZE[1], SIZE[0])
    np.testing.assert_allclose(pixel_values, x, rtol=0, atol=1e-6)


def test_a_failing_split_run_with_exports_leaves_nothing(normtool, tmp_path):
    """A broken image in the last split: no split, summary, duplicates list, export or
    --save-stats file is left, and the old files are kept."""
    images = tmp_path / "images"
    shutil.copytree(SAMPLES, images)
    (images / "tulips" / "zz-broken.png").write_bytes(b"not a png")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("old")
    saved = tmp_path / "saved.json"
    result = convert(normtool, images, "-o", out, "--size", 8, "--split", "train=0.5,val=0.5", "--seed", 1,
                     "--export", "hf,timm", "--save-stats", saved, check=False)
    assert result.returncode == 1 and "zz-broken.png" in result.stderr and result.stderr.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["images", "out"]
    assert os.listdir(out) == ["summary.json"] and (out / "summary.json").read_text() == "old"
    # Without the broken image everything lands together, the old summary replaced.
    (images / "tulips" / "zz-broken.png").unlink()
    convert(normtool, images, "-o", out, "--size", 8, "--split", "train=0.5,val=0.5", "--seed", 1,
            "--export", "hf,timm", "--save-stats", saved, "--quiet")
    assert sorted(os.listdir(out)) == ["duplicates.csv", "preprocessor_config.json", "splits.csv", "stats.json",
                                       "summary.json", "timm_pretrained_cfg.json", "train.npz", "val.npz"]
    assert json.loads(saved.read_text()) == json.loads((out / "stats.json").read_text())
    assert json.loads((out / "summary.json").read_text())["images"] == sum(
        1 for _ in reference.scan_folder(SAMPLES)[1])
