"""What `normtool convert` writes, and refuses to write: a failed run never replaces an
existing output, outputs never collide with each other or with an input, test folders get
their training labels, only applied statistics are reported and stored; and the small
contracts around it (unknown subcommands, --version, stats on convert's own outputs)."""
import json
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

from test_hostile_support import unprivileged_folder

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "Samples" / "images"
TRAIN_CLASSES = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]


def normtool_run(normtool, *arguments):
    return subprocess.run([normtool, *map(str, arguments)], capture_output=True, text=True)


@pytest.fixture
def gray(tmp_path):
    """One class of the samples, as a small folder."""
    folder = tmp_path / "gray"
    shutil.copytree(SAMPLES / "daisy", folder / "daisy")
    return folder


def assert_one_line_failure(result, *fragments):
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("normtool convert: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Error Domain" not in result.stderr and "UserInfo" not in result.stderr
    for fragment in fragments:
        assert str(fragment) in result.stderr, result.stderr


# Item 1: a failed run never replaces an existing output.

def test_an_unwritable_save_stats_path_leaves_the_existing_dataset(normtool, gray, tmp_path):
    victim = tmp_path / "victim.npz"
    victim.write_bytes(b"keep me")
    result = normtool_run(normtool, "convert", gray, "-o", victim, "--size", 32, "--save-stats", "/nonexistent/s.json")
    assert result.stderr == ("normtool convert: cannot write /nonexistent/s.json: No such file or directory"
                             " (folder /nonexistent does not exist)\n")
    assert result.returncode == 1
    assert victim.read_bytes() == b"keep me"
    assert sorted(os.listdir(tmp_path)) == ["gray", "victim.npz"]


def test_outputs_are_checked_before_any_image_is_decoded(normtool, gray, tmp_path):
    (gray / "daisy" / "zz_broken.jpg").write_bytes(b"not a jpeg")
    (tmp_path / "stats-folder").mkdir()
    (tmp_path / "plain").write_bytes(b"a file")
    cases = [
        (["-o", tmp_path / "x.npz", "--save-stats", tmp_path / "missing" / "s.json"], "No such file or directory"),
        (["-o", tmp_path / "x.npz", "--save-stats", tmp_path / "stats-folder"], "Is a directory"),
        (["-o", tmp_path / "plain" / "x.npz"], "Not a directory"),
        (["-o", tmp_path / "stats-folder" / "x.npz", "--save-stats", tmp_path / "stats-folder" / "x.npz"],
         "name the same file"),
    ]
    for options, reason in cases:
        result = normtool_run(normtool, "convert", gray, "--size", 16, *options)
        # The broken image would fail the run if anything were decoded first.
        assert_one_line_failure(result, reason)
        assert "zz_broken" not in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["gray", "plain", "stats-folder"]


def test_a_read_only_stats_folder_is_refused_up_front(normtool, gray):
    """As root the run drops to nobody (test_hostile_support), so the folder's bits apply."""
    with unprivileged_folder(normtool) as nobody:
        inputs = shutil.copytree(gray, nobody.folder / "in")
        for path in [inputs, *inputs.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        locked = nobody.folder / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        victim = nobody.folder / "victim.npy"
        victim.write_bytes(b"keep me")
        victim.chmod(0o666)
        result = nobody.run("convert", inputs, "-o", victim, "--size", 16, "--save-stats", locked / "s.json")
        assert_one_line_failure(result, locked / "s.json", "Permission denied")
        assert victim.read_bytes() == b"keep me"
        assert os.listdir(locked) == []


# Item 2: no output is another output or an input.

def test_two_outputs_naming_the_same_file_are_refused(normtool, gray, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    for stats in (tmp_path / "real" / "same.npz", tmp_path / "link" / "same.npz"):
        result = normtool_run(normtool, "convert", gray, "-o", tmp_path / "real" / "same.npz", "--size", 16,
                              "--save-stats", stats)
        assert_one_line_failure(result, "--save-stats and -o name the same file")
    assert os.listdir(tmp_path / "real") == []


def test_an_output_that_is_an_input_is_refused(normtool, gray, tmp_path):
    train = tmp_path / "train.json"
    assert normtool_run(normtool, "convert", gray, "-o", tmp_path / "t.npy", "--size", 16, "--save-stats", train).returncode == 0
    before = train.read_bytes()
    (tmp_path / "alias.json").symlink_to(train)
    (tmp_path / "gray-link").symlink_to(gray)
    assert normtool_run(normtool, "convert", gray, "-o", tmp_path / "out", "--size", 16).returncode == 0
    kept = (tmp_path / "out" / "x.npy").read_bytes()
    cases = [
        (["-o", tmp_path / "x.npz", "--stats", tmp_path / "alias.json", "--save-stats", train], "is the --stats file"),
        (["-o", gray], "is the input folder"),
        (["-o", tmp_path / "gray-link" / "out"], "inside the input folder"),
        (["-o", tmp_path / "out", "--save-stats", tmp_path / "out" / "stats.json"], "inside the -o directory"),
    ]
    for options, reason in cases:
        result = normtool_run(normtool, "convert", gray, "--size", 16, *options)
        assert_one_line_failure(result, reason)
    assert train.read_bytes() == before
    assert sorted(os.listdir(gray)) == ["daisy"]
    assert not (tmp_path / "x.npz").exists()
    assert sorted(os.listdir(tmp_path / "out")) == ["classes.npy", "duplicates.csv", "files.npy", "mean.npy",
                                                   "stats.json", "std.npy", "summary.json", "x.npy", "y.npy"]
    assert (tmp_path / "out" / "x.npy").read_bytes() == kept


# Item 3: test folders get the training labels.

@pytest.fixture
def flowers(tmp_path, normtool):
    """The samples as a training set (5 classes) and a test set lacking dandelion and sunflowers."""
    test = tmp_path / "test"
    for name in ("daisy", "roses", "tulips"):
        shutil.copytree(SAMPLES / name, test / name)
    stats = tmp_path / "train-stats.json"
    result = normtool_run(normtool, "convert", SAMPLES, "-o", tmp_path / "train.npz", "--size", 16,
                          "--save-stats", stats, "--quiet")
    assert result.returncode == 0, result.stderr
    return test, stats


def test_stats_file_records_the_classes_in_label_order(flowers):
    _, stats = flowers
    assert json.loads(stats.read_text())["classes"] == TRAIN_CLASSES


def test_a_test_folder_lacking_classes_gets_the_training_labels(flowers, normtool, tmp_path):
    test, stats = flowers
    out = tmp_path / "test.npz"
    result = normtool_run(normtool, "convert", test, "-o", out, "--size", 16, "--stats", stats, "--quiet")
    assert result.returncode == 0, result.stderr
    with np.load(out, allow_pickle=False) as z:
        assert list(z["classes"]) == TRAIN_CLASSES
        labels = {f.split("/")[0]: int(y) for f, y in zip(z["files"], z["y"])}
    assert labels == {"daisy": 0, "roses": 2, "tulips": 4}


def test_a_class_unknown_to_training_is_an_error_naming_it(flowers, normtool, tmp_path):
    test, stats = flowers
    shutil.copytree(test / "roses", test / "orchids")
    result = normtool_run(normtool, "convert", test, "-o", tmp_path / "test.npz", "--size", 16, "--stats", stats)
    assert_one_line_failure(result, "'orchids'", stats)
    assert not (tmp_path / "test.npz").exists()


def test_classes_option_fixes_the_label_order(normtool, tmp_path):
    out = tmp_path / "x.npz"
    order = "tulips,sunflowers,roses,dandelion,daisy,lilies"
    result = normtool_run(normtool, "convert", SAMPLES, "-o", out, "--size", 16, "--classes", order, "--quiet")
    assert result.returncode == 0, result.stderr
    with np.load(out, allow_pickle=False) as z:
        assert list(z["classes"]) == order.split(",")
        for name, label in zip(z["files"], z["y"]):
            assert order.split(",")[label] == name.split("/")[0]
        assert list(z["y"]) == sorted(z["y"])
    result = normtool_run(normtool, "convert", SAMPLES, "-o", tmp_path / "y.npz", "--size", 16,
                          "--classes", "daisy,roses,tulips")
    assert_one_line_failure(result, "'dandelion', 'sunflowers'", "--classes")


# Item 4: only applied statistics are reported and stored.

@pytest.mark.parametrize("normalize", ["scale", "none"])
@pytest.mark.parametrize("source", ["imagenet", "dataset"])
def test_statistics_not_applied_are_neither_reported_nor_stored(normtool, gray, tmp_path, normalize, source):
    for out in (tmp_path / "x.npz", tmp_path / "d"):
        result = normtool_run(normtool, "convert", gray, "-o", out, "--size", 16, "--normalize", normalize,
                              "--stats", source)
        assert result.returncode == 0, result.stderr
        assert f"statistics: not applied (--normalize {normalize})" in result.stdout
        assert "0.485" not in result.stdout and "mean [" not in result.stdout
    with np.load(tmp_path / "x.npz", allow_pickle=False) as z:
        assert sorted(z.files) == ["classes", "files", "x", "y"]
    assert sorted(os.listdir(tmp_path / "d")) == ["classes.npy", "duplicates.csv", "files.npy", "stats.json",
                                                 "summary.json", "x.npy", "y.npy"]
    assert json.loads((tmp_path / "d" / "stats.json").read_text())["applied"] is False


# Item 12: messages and small contracts.

def test_a_mistyped_subcommand_is_named_with_a_suggestion(normtool):
    result = normtool_run(normtool, "covert", "gray", "-o", "x.npz")
    assert result.returncode == 64
    assert result.stderr == "normtool: unknown subcommand 'covert'; did you mean 'convert'?\n"
    result = normtool_run(normtool, "frobnicate")
    assert result.returncode == 64
    assert result.stderr == ("normtool: unknown subcommand 'frobnicate'; expected one of convert, plan, shard, presets, "
                             "stats, inspect, recode, compare, normalize, preview, report\n")


def test_version(normtool):
    result = normtool_run(normtool, "--version")
    assert result.returncode == 0
    source = (ROOT / "Sources" / "normtool" / "Normtool.swift").read_text()
    assert f'static let version = "{result.stdout.strip()}"' in source


def test_stats_on_a_converted_npz_picks_x(normtool, gray, tmp_path):
    out = tmp_path / "x.npz"
    assert normtool_run(normtool, "convert", gray, "-o", out, "--size", 16, "--quiet").returncode == 0
    result = normtool_run(normtool, "stats", out, "--json", "--axes", "0,1,2")
    assert result.returncode == 0, result.stderr
    with np.load(out, allow_pickle=False) as z:
        x = z["x"].astype(np.float64)
    np.testing.assert_allclose(json.loads(result.stdout)["mean"], x.mean(axis=(0, 1, 2)), atol=1e-12)


@pytest.mark.parametrize("options", [["--size", "24", "--color", "gray"],
                                     ["--size", "20x12", "--resize", "crop", "--filter", "lanczos"]])
def test_stats_folder_measures_what_convert_uses(normtool, tmp_path, options):
    saved = tmp_path / "s.json"
    result = normtool_run(normtool, "convert", SAMPLES, "-o", tmp_path / "x.npy", "--save-stats", saved, "--quiet", *options)
    assert result.returncode == 0, result.stderr
    result = normtool_run(normtool, "stats", SAMPLES, "--axes", "0,1,2", "--json", *options)
    assert result.returncode == 0, result.stderr
    measured, saved = json.loads(result.stdout), json.loads(saved.read_text())
    for key in ("mean", "std", "min", "max"):
        assert measured[key] == saved[key]
    plain = json.loads(normtool_run(normtool, "stats", SAMPLES, "--axes", "0,1,2", "--json").stdout)
    assert plain["mean"] != measured["mean"]


def test_image_options_on_an_array_file_are_refused(normtool, gray, tmp_path):
    out = tmp_path / "x.npy"
    assert normtool_run(normtool, "convert", gray, "-o", out, "--size", 16, "--quiet").returncode == 0
    result = normtool_run(normtool, "stats", out, "--size", "8")
    assert result.returncode != 0 and "apply to an image folder" in result.stderr
