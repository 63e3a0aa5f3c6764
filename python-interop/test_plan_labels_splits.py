"""Plans (issue 12 items 1-4): labels from every source, every label mode and every split option
against the NumPy references of split_reference.py; Keras's split file for file (against Keras's
own index_directory / get_training_or_validation_split when Keras imports, and always against
NumPy's RandomState running Keras's steps); malformed label files leave no output.
"""
import csv
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import reference
import split_reference as ref
from conftest import ROOT

SAMPLES = ROOT / "Samples" / "images"
SIZE = 8


def convert(normtool, *args, check=True):
    result = subprocess.run([normtool, "convert", *map(str, args)], capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def samples():
    return reference.scan_folder(SAMPLES)


def pixels(root, files):
    return np.stack([reference.load_image(os.path.join(root, f), (SIZE, SIZE)) for f in files])


def write_table(path, header, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def label_file(tmp_path, kind):
    """A label file of the sample images in a shuffled order, in format `kind`; returns its path."""
    classes, files, labels = samples()
    order = np.random.default_rng(4).permutation(len(files))
    files = [files[i] for i in order]
    names = [classes[labels[i]] for i in order]
    if kind == "csv":
        path = tmp_path / "labels.csv"
        write_table(path, ["path", "label", "note"], [(f, n, "a, quoted note") for f, n in zip(files, names)])
    elif kind == "tsv":
        path = tmp_path / "labels.tsv"
        write_table(path, ["label", "path"], [(n, f) for f, n in zip(files, names)], delimiter="\t")
    elif kind == "jsonl":
        path = tmp_path / "labels.jsonl"
        path.write_text("".join(json.dumps({"path": f, "label": n}) + "\n" for f, n in zip(files, names)))
    elif kind == "csv-int":
        path = tmp_path / "labels.csv"
        write_table(path, ["path", "label"], [(f, str(classes.index(n) * 2)) for f, n in zip(files, names)])
    elif kind == "csv-multi":
        path = tmp_path / "labels.csv"
        rows = [(f, n if i % 3 else f"{n}|{classes[(classes.index(n) + 1) % len(classes)]}")
                for i, (f, n) in enumerate(zip(files, names))]
        write_table(path, ["path", "label"], rows)
    elif kind == "jsonl-multi":
        path = tmp_path / "labels.jsonl"
        path.write_text("".join(json.dumps({"path": f, "label": [n, "extra"] if i % 2 else [n]}) + "\n"
                                for i, (f, n) in enumerate(zip(files, names))))
    else:
        path = tmp_path / "list.txt"
        path.write_text("".join(f + "\n" for f in files))
    return path


@pytest.mark.parametrize("kind", ["csv", "tsv", "jsonl", "csv-int", "csv-multi", "jsonl-multi", "list"])
def test_labels_from_every_source_match_numpy(normtool, tmp_path, kind):
    path = label_file(tmp_path, kind)
    out = tmp_path / "out.npz"
    source = ["--files", path] if kind == "list" else ["--labels", path]
    convert(normtool, *source, "--root", SAMPLES, "-o", out, "--size", SIZE, "--normalize", "none", "--quiet")
    rows = [(line.strip(), [], None, None) for line in open(path) if line.strip()] if kind == "list" \
        else ref.read_label_rows(path)
    classes, encoded = ref.class_indices(rows)
    mode = "multi-hot" if "multi" in kind else "int"
    with np.load(out) as data:
        assert list(data["files"]) == [r[0] for r in rows]
        assert list(data["classes"]) == classes
        expected = ref.encode_labels(encoded, len(classes), mode)
        assert data["y"].dtype == expected.dtype and np.array_equal(data["y"], expected)
        assert np.array_equal(data["x"], pixels(SAMPLES, [r[0] for r in rows]))
        if "multi" in kind:
            assert data["y"].sum() > len(rows)  # some rows carry two labels


@pytest.mark.parametrize("mode", ["int", "categorical", "multi-hot"])
def test_label_modes_of_class_folders(normtool, tmp_path, mode):
    out = tmp_path / "out"
    convert(normtool, SAMPLES, "-o", out, "--size", SIZE, "--label-mode", mode, "--quiet")
    classes, files, labels = samples()
    expected = ref.encode_labels([[l] for l in labels], len(classes), mode)
    y = np.load(out / "y.npy")
    assert y.dtype == expected.dtype and y.shape == expected.shape and np.array_equal(y, expected)
    assert list(np.load(out / "classes.npy")) == classes


def test_binary_label_mode_and_classes_option(normtool, tmp_path):
    classes, files, labels = samples()
    keep = [(f, classes[l]) for f, l in zip(files, labels) if classes[l] in ("roses", "tulips")]
    path = tmp_path / "two.csv"
    write_table(path, ["path", "label"], keep)
    out = tmp_path / "out.npz"
    convert(normtool, "--labels", path, "--root", SAMPLES, "--classes", "tulips,roses", "--label-mode", "binary",
            "-o", out, "--size", SIZE, "--quiet")
    expected = np.array([[1.0 if n == "roses" else 0.0] for _, n in keep], dtype=np.float32)
    with np.load(out) as data:
        assert data["y"].dtype == np.float32 and np.array_equal(data["y"], expected)
        assert list(data["classes"]) == ["tulips", "roses"]


def read_splits_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [tuple(r) for r in csv.reader(f)][1:]


@pytest.mark.parametrize("split,seed,stratify", [
    ("train=0.8,val=0.1,test=0.1", 0, True),
    ("train=0.6,val=0.2,test=0.2", 5, True),
    ("train=0.7,test=0.3", 11, False),
    ("train=0.5,val=0.5", 3, True),
])
def test_split_matches_numpy(normtool, tmp_path, split, seed, stratify):
    out = tmp_path / "out"
    convert(normtool, SAMPLES, "-o", out, "--size", SIZE, "--normalize", "none", "--split", split, "--seed", seed,
            *([] if stratify else ["--no-stratify"]), "--quiet")
    classes, files, labels = samples()
    names = [p.split("=")[0] for p in split.split(",")]
    fractions = [float(p.split("=")[1]) for p in split.split(",")]
    expected = ref.assign_splits([[l] for l in labels], names, fractions, seed, stratify)
    assert read_splits_csv(out / "splits.csv") == [(f, classes[l], s) for f, l, s in zip(files, labels, expected)]
    for name in names:
        members = [i for i, s in enumerate(expected) if s == name]
        with np.load(out / f"{name}.npz") as data:
            assert list(data["files"]) == [files[i] for i in members]
            assert list(data["y"]) == [labels[i] for i in members]
            assert list(data["classes"]) == classes
    if stratify:
        for c in range(len(classes)):
            counts = [sum(1 for l, s in zip(labels, expected) if l == c and s == n) for n in names]
            assert counts == ref.split_counts(labels.count(c), fractions, names.index("train"))
            assert counts[names.index("train")] >= 1


def test_statistics_come_from_train_and_are_applied_to_every_split(normtool, tmp_path):
    out = tmp_path / "out"
    convert(normtool, SAMPLES, "-o", out, "--size", SIZE, "--split", "train=0.6,val=0.2,test=0.2", "--seed", 2,
            "--format", "dir", "--save-stats", tmp_path / "train-stats.json", "--quiet")
    classes, files, labels = samples()
    split_of = dict((f, s) for f, _, s in read_splits_csv(out / "splits.csv"))
    train_pixels = pixels(SAMPLES, [f for f in files if split_of[f] == "train"])
    stats = reference.statistics(train_pixels)
    for name in ("train", "val", "test"):
        members = [f for f in files if split_of[f] == name]
        x = np.load(out / name / "x.npy")
        expected = reference.normalize(pixels(SAMPLES, members), "standardize", stats)
        np.testing.assert_allclose(x, expected, rtol=0, atol=1e-6)
        np.testing.assert_allclose(np.load(out / name / "mean.npy"), stats["mean"], rtol=1e-12)
        assert json.load(open(out / name / "stats.json"))["images"] == len(train_pixels)
    saved = json.load(open(tmp_path / "train-stats.json"))
    assert saved == json.load(open(out / "stats.json"))
    np.testing.assert_allclose(saved["mean"], stats["mean"], rtol=1e-12)


def test_group_column_and_split_column(normtool, tmp_path):
    classes, files, labels = samples()
    groups = [f"patient{i % 9}" for i in range(len(files))]
    fixed = ["test" if i in (0, 1) else None for i in range(len(files))]
    # Group of row 0 (patient0) is fixed to test by its rows 0; row 9 shares it.
    path = tmp_path / "labels.csv"
    write_table(path, ["path", "label", "split", "patient"],
                [(f, classes[l], fixed[i] or "", groups[i]) for i, (f, l) in enumerate(zip(files, labels))])
    out = tmp_path / "out"
    convert(normtool, "--labels", path, "--root", SAMPLES, "--group-column", "patient", "--split",
            "train=0.7,val=0.15,test=0.15", "--seed", 8, "-o", out, "--size", SIZE, "--normalize", "none", "--quiet")
    expected = ref.assign_group_splits(files, groups, ["train", "val", "test"], [0.7, 0.15, 0.15], 8, fixed)
    got = [s for _, _, s in read_splits_csv(out / "splits.csv")]
    assert got == expected
    for g in set(groups):
        assert len({s for s, gg in zip(got, groups) if gg == g}) == 1, g
    assert got[0] == got[1] == "test"


def test_split_column_alone_gives_the_splits(normtool, tmp_path):
    classes, files, labels = samples()
    path = tmp_path / "labels.jsonl"
    splits = ["test" if i % 4 == 0 else "train" for i in range(len(files))]
    path.write_text("".join(json.dumps({"path": f, "label": classes[l], "split": s}) + "\n"
                            for f, l, s in zip(files, labels, splits)))
    out = tmp_path / "out"
    convert(normtool, "--labels", path, "--root", SAMPLES, "-o", out, "--size", SIZE, "--normalize", "none", "--quiet")
    assert sorted(os.listdir(out)) == ["duplicates.csv", "splits.csv", "stats.json", "summary.json", "test.npz", "train.npz"]
    for name in ("train", "test"):
        with np.load(out / f"{name}.npz") as data:
            assert list(data["files"]) == [f for f, s in zip(files, splits) if s == name]


def test_rounding_gives_train_an_image_and_warns_about_an_empty_split(normtool, tmp_path):
    root = tmp_path / "tiny"
    for name, count in (("a", 1), ("b", 2)):
        (root / name).mkdir(parents=True)
        for i in range(count):
            Image.new("RGB", (4, 4), (i * 40, 10, 20)).save(root / name / f"{i}.png")
    out = tmp_path / "out"
    result = convert(normtool, root, "-o", out, "--normalize", "none", "--split", "train=0.2,val=0.2,test=0.6")
    got = read_splits_csv(out / "splits.csv")
    assert [s for f, _, s in got if f.startswith("a/")] == ["train"]
    expected = ref.assign_splits([[0], [1], [1]], ["train", "val", "test"], [0.2, 0.2, 0.6], 0)
    assert [s for _, _, s in got] == expected
    assert "split 'val' got no images" in result.stderr
    assert not (out / "val.npz").exists()


def make_keras_tree(root):
    """Class folders with nested folders ('a' vs 'a-b' order), hidden files, upper-case and
    non-Keras extensions, and a hidden class folder."""
    colors = iter(range(1, 250))
    for cls, names in {
        "cats": ["z.jpg", "B.PNG", "a/y.jpg", "a-b/x.jpeg", "a/deep/w.gif", ".hidden.jpg", "t.webp", "n.txt"],
        "dogs": ["1.bmp", "10.png", "2.png", "sub/3.jpg"],
        "zebra": ["only.jpg"],
        ".cache": ["c.jpg"],
    }.items():
        for name in names:
            path = root / cls / name
            path.parent.mkdir(parents=True, exist_ok=True)
            fmt = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "bmp": "BMP", "webp": "WEBP"}.get(
                name.rsplit(".", 1)[1].lower())
            if fmt:
                Image.new("RGB", (6, 5), (next(colors), 30, 60)).save(path, fmt)
            else:
                path.write_text("not an image")


KERAS_CASES = [
    ("samples", 0.2, 7, None), ("samples", 0.5, 123, None), ("samples", 0.33, 4294967295, None),
    ("samples", 0.4, 9, ["tulips", "daisy", "roses"]), ("tree", 0.3, 1, None), ("tree", 0.25, 42, None),
]

KERAS_SCRIPT = """
import json, os, sys
from keras.src.utils import dataset_utils, image_dataset_utils
out = []
for directory, fraction, seed, classes in json.loads(sys.argv[1]):
    paths, labels, _ = dataset_utils.index_directory(
        directory, "inferred", formats=image_dataset_utils.ALLOWLIST_FORMATS, class_names=classes,
        shuffle=True, seed=seed, verbose=False)
    split = [dataset_utils.get_training_or_validation_split(paths, labels, fraction, subset)[0]
             for subset in ("training", "validation")]
    out.append([[os.path.relpath(p, directory).replace(os.sep, "/") for p in files] for files in split])
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def keras_tree(tmp_path_factory):
    directory = tmp_path_factory.mktemp("keras") / "tree"
    make_keras_tree(directory)
    return directory


@pytest.fixture(scope="module")
def keras_splits(keras_tree):
    """Keras's own index_directory + get_training_or_validation_split for every case, run once
    in a child process (numpy backend, so this process's Keras backend is untouched); None and
    the reason when Keras does not import."""
    cases = [[str(SAMPLES if folder == "samples" else keras_tree), fraction, seed, classes]
             for folder, fraction, seed, classes in KERAS_CASES]
    env = dict(os.environ, KERAS_BACKEND="numpy")
    result = subprocess.run([sys.executable, "-c", KERAS_SCRIPT, json.dumps(cases)], capture_output=True,
                            text=True, env=env)
    if result.returncode != 0:
        return None, "keras not importable: " + (result.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(result.stdout.strip().splitlines()[-1]), None


@pytest.mark.parametrize("case", range(len(KERAS_CASES)))
def test_keras_split_is_file_for_file(normtool, tmp_path, keras_tree, keras_splits, case):
    folder, fraction, seed, classes = KERAS_CASES[case]
    directory = SAMPLES if folder == "samples" else keras_tree
    out = tmp_path / "out"
    convert(normtool, directory, "-o", out, "--size", 4, "--normalize", "none", "--split-like", "keras",
            "--validation-split", fraction, "--seed", seed, *(["--classes", ",".join(classes)] if classes else []),
            "--quiet")
    got = {name: list(np.load(out / f"{name}.npz")["files"]) for name in ("train", "val")}
    train, val = ref.keras_split(directory, fraction, seed, classes)
    assert sorted(got["train"]) == sorted(train) and sorted(got["val"]) == sorted(val)
    assert len(got["val"]) == int(fraction * (len(train) + len(val)))
    _, order, labels = ref.keras_file_order(directory, classes)
    assert [f for f, _, _ in read_splits_csv(out / "splits.csv")] == order
    label_of = dict(zip(order, labels))
    assert list(np.load(out / "val.npz")["y"]) == [label_of[f] for f in got["val"]]
    all_keras_files, reason = keras_splits
    if all_keras_files is None:
        pytest.skip(f"checked against NumPy's RandomState running Keras's steps only: {reason}")
    keras_files = all_keras_files[case]
    assert sorted(got["train"]) == sorted(keras_files[0]) and sorted(got["val"]) == sorted(keras_files[1])


def test_random_state_shuffle_matches_numpy_for_long_lists(normtool, tmp_path):
    """Keras's split on 1500 files exercises MT19937's state regeneration (624 words)."""
    root = tmp_path / "many"
    for c in range(3):
        (root / f"c{c}").mkdir(parents=True)
        for i in range(500):
            (root / f"c{c}" / f"{i:04d}.png").write_bytes(b"")
    plan = tmp_path / "plan.json"
    subprocess.run([normtool, "plan", root, "-o", plan, "--split-like", "keras", "--validation-split", "0.3",
                    "--seed", "99", "--quiet"], check=True, capture_output=True)
    entries = json.load(open(plan))["entries"]
    train, val = ref.keras_split(root, 0.3, 99)
    assert sorted(e["path"] for e in entries if e["split"] == "val") == sorted(val)


def leftovers(folder):
    return sorted(os.listdir(folder))


@pytest.mark.parametrize("content,line,reason", [
    ("path,label\nroses/roses_00002.png,roses\nmissing.jpg,roses\n", 3, "'missing.jpg' does not exist"),
    ("path,label\nroses/roses_00002.png,roses\nroses/./roses_00002.png,roses\n", 3, "duplicate path"),
    ("path,label\nroses/roses_00002.png,weeds\n", 2, "unknown label 'weeds'"),
    ("path,label\nroses/../roses/roses_00002.png,roses\nroses/../../images/x.png,roses\n", 3, "escapes the root"),
    ("path,label\n/etc/passwd,roses\n", 2, "is absolute"),
    ("path,label\nroses/roses_00002.png,roses\n\"unterminated,roses\n", 3, "quoted field"),
    ("path,label\nroses/roses_00002.png,roses,extra\n", 2, "expected 2 fields"),
    ("file,label\nroses/roses_00002.png,roses\n", 1, "'path' column"),
    (b"path,label\nroses/roses_00002.png,roses\nroses/\xff.png,roses\n", 3, "not UTF-8"),
    ("path,label\nroses/roses_00002.png,\n", 2, "no label"),
])
def test_malformed_label_file_fails_on_one_line_and_leaves_nothing(normtool, tmp_path, content, line, reason):
    path = tmp_path / "labels.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "old.npz").write_bytes(b"existing output")
    for target in ("old.npz", "new.npz", "splits"):
        extra = ["--split", "train=0.5,test=0.5"] if target == "splits" else []
        result = convert(normtool, "--labels", path, "--root", SAMPLES, "--classes",
                         "daisy,dandelion,roses,sunflowers,tulips", "-o", outputs / target, "--size", SIZE,
                         *extra, check=False)
        assert result.returncode == 1, result.stderr
        message = result.stderr.strip()
        assert "\n" not in message and message.startswith("normtool convert: "), message
        assert f"{path}:{line}: " in message and reason in message, message
    assert leftovers(outputs) == ["old.npz"]
    assert (outputs / "old.npz").read_bytes() == b"existing output"


def test_plan_json_and_dry_run(normtool, tmp_path):
    plan_path = tmp_path / "plan.json"
    args = [SAMPLES, "--split", "train=0.8,val=0.1,test=0.1", "--seed", "3", "--size", "16"]
    subprocess.run([normtool, "plan", *map(str, args), "-o", plan_path, "--quiet"], check=True, capture_output=True)
    plan = json.load(open(plan_path))
    classes, files, labels = samples()
    assert plan["classes"] == classes and [e["path"] for e in plan["entries"]] == files
    assert [e["labels"] for e in plan["entries"]] == [[l] for l in labels]
    expected = ref.assign_splits([[l] for l in labels], ["train", "val", "test"], [0.8, 0.1, 0.1], 3)
    assert [e["split"] for e in plan["entries"]] == expected
    assert len(plan["hash"]) == 64 and plan["options"]["size"] == "16x16"
    # Same inputs, same hash; another seed, another hash.
    again = tmp_path / "again.json"
    subprocess.run([normtool, "plan", *map(str, args), "-o", again, "--quiet"], check=True, capture_output=True)
    assert json.load(open(again))["hash"] == plan["hash"]
    other = tmp_path / "other.json"
    subprocess.run([normtool, "plan", *map(str, args[:-4]), "--seed", "4", "--size", "16", "-o", other, "--quiet"],
                   check=True, capture_output=True)
    assert json.load(open(other))["hash"] != plan["hash"]
    out = tmp_path / "out"
    dry = convert(normtool, *args, "-o", out, "--dry-run")
    assert not out.exists()
    lines = dry.stdout.splitlines()
    for c, name in enumerate(classes):
        row = next(l for l in lines if l.startswith(name + " "))
        counts = [sum(1 for l, s in zip(labels, expected) if l == c and s == n) for n in ("train", "val", "test")]
        assert row.split()[1:] == [str(n) for n in counts + [sum(counts)]]
    assert "x: float32 16x16x3 per image" in dry.stdout


def test_a_failing_split_leaves_nothing_and_keeps_the_old_output(normtool, tmp_path):
    images = tmp_path / "images"
    shutil.copytree(SAMPLES, images)
    (images / "roses" / "zz-broken.png").write_bytes(b"not a png")
    out = tmp_path / "out"
    out.mkdir()
    (out / "train.npz").write_bytes(b"old train")
    (out / "splits.csv").write_text("old")
    result = convert(normtool, images, "-o", out, "--size", SIZE, "--split", "train=0.5,val=0.5", "--seed", 1,
                     check=False)
    assert result.returncode == 1 and "zz-broken.png" in result.stderr and result.stderr.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["images", "out"]
    assert sorted(os.listdir(out)) == ["splits.csv", "train.npz"]
    assert (out / "train.npz").read_bytes() == b"old train"
    # A folder holding anything else is not replaced.
    (out / "notes.txt").write_text("mine")
    result = convert(normtool, SAMPLES, "-o", out, "--size", SIZE, "--split", "train=0.5,val=0.5", check=False)
    assert result.returncode == 1 and "notes.txt" in result.stderr
    # Without the foreign file the run replaces the old outputs.
    (out / "notes.txt").unlink()
    convert(normtool, SAMPLES, "-o", out, "--size", SIZE, "--split", "train=0.5,val=0.5", "--quiet")
    assert sorted(os.listdir(out)) == ["duplicates.csv", "splits.csv", "stats.json", "summary.json", "train.npz", "val.npz"]


def test_sample_statistics_come_from_the_training_split(normtool, tmp_path):
    """--stats sample:K samples K images of train (SampleSelection over train's files) and
    normalizes every split with them; --format npy writes x alone per split."""
    out = tmp_path / "out"
    convert(normtool, SAMPLES, "-o", out, "--size", SIZE, "--split", "train=0.7,test=0.3", "--seed", 6,
            "--stats", "sample:4", "--format", "npy", "--quiet")
    assert sorted(os.listdir(out)) == ["duplicates.csv", "splits.csv", "stats.json", "summary.json", "test.npy", "train.npy"]
    classes, files, labels = samples()
    split_of = {f: s for f, _, s in read_splits_csv(out / "splits.csv")}
    train = [f for f in files if split_of[f] == "train"]
    picked = reference.sample_indices(len(train), 4, 6)
    stats = reference.statistics(pixels(SAMPLES, [train[i] for i in picked]))
    for name in ("train", "test"):
        expected = reference.normalize(pixels(SAMPLES, [f for f in files if split_of[f] == name]), "standardize", stats)
        np.testing.assert_allclose(np.load(out / f"{name}.npy"), expected, rtol=0, atol=1e-6)
    saved = json.load(open(out / "stats.json"))
    assert saved["images"] == 4
    np.testing.assert_allclose(saved["mean"], stats["mean"], rtol=1e-12)


@pytest.mark.parametrize("kind", ["fifo", "folder", "missing"])
def test_a_label_file_that_is_not_a_file_fails_at_once(normtool, tmp_path, kind):
    path = tmp_path / "labels.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    result = subprocess.run([normtool, "convert", "--labels", str(path), "-o", str(tmp_path / "out.npz")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert str(path) in result.stderr and not (tmp_path / "out.npz").exists()
