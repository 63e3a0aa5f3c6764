"""Helpers shared by the sharding tests (test_shard*.py): running normtool, a larger image folder
made from the samples, and byte comparisons with `normtool convert`'s directory output."""
import io
import os
import pathlib
import shutil
import subprocess

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "Samples" / "images"
MEMBERS = ["y.npy", "files.npy", "classes.npy", "stats.json"]
# Beside a dataset without splits, at the top of one with splits (convert's side files).
SUMMARY = ["summary.json", "duplicates.csv"]
# With --whiten, instead of mean.npy and std.npy.
WHITENING = ["whitening.npy", "whitening_eigenvalues.npy", "whitening_mean.npy"]


def normtool_run(normtool, *arguments, env=None, check=False):
    result = subprocess.run([normtool, *map(str, arguments)], capture_output=True, text=True,
                            env=None if env is None else dict(os.environ, **env))
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def copy_samples(destination, copies=1):
    """Samples/images copied `copies` times into each class folder (copy k named `kNAME`)."""
    for class_folder in sorted(SAMPLES.iterdir()):
        target = destination / class_folder.name
        target.mkdir(parents=True)
        for k in range(copies):
            for image in sorted(class_folder.iterdir()):
                shutil.copyfile(image, target / f"{k}{image.name}")
    return destination


def run_all_shards(normtool, run, shards, passes=None):
    """Plan already made: every pass of every shard, merging in between."""
    status = normtool_run(normtool, "shard", "status", run, check=True).stdout
    two_pass = "\nstats:" in status
    for shard_pass in passes or (["stats", "merge", "write"] if two_pass else ["all"]):
        if shard_pass == "merge":
            normtool_run(normtool, "shard", "merge", run, check=True)
            continue
        for index in range(shards):
            normtool_run(normtool, "shard", "run", run, "--index", index, "--pass", shard_pass, "--jobs", 1,
                         check=True)


def plan_files(run):
    """The plan's images in output order (relative paths)."""
    import json
    return [entry["path"] for entry in json.loads((run / "plan.json").read_text())["dataset"]["entries"]]


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def assert_same_dataset(sharded, reference, single):
    """`sharded` (finalize's OUT) against `reference` (convert's directory output): members
    byte for byte; x as one x.npy, or as stack files each np.save of its rows."""
    optional = ("mean.npy", "std.npy", *WHITENING)
    for member in MEMBERS + [m for m in optional if (reference / m).exists()]:
        assert (sharded / member).read_bytes() == (reference / member).read_bytes(), member
    for member in (*optional, *SUMMARY):
        assert (sharded / member).exists() == (reference / member).exists(), member
    for member in SUMMARY:
        if (reference / member).exists():
            assert (sharded / member).read_bytes() == (reference / member).read_bytes(), member
    if single:
        assert (sharded / "x.npy").read_bytes() == (reference / "x.npy").read_bytes()
        assert not (sharded / "x").exists()
        return
    x = np.load(reference / "x.npy")
    files = sorted((p for p in (sharded / "x").iterdir() if p.name != "info"), key=lambda p: int(p.stem))
    assert [p.name for p in files] == [f"{i}.npy" for i in range(len(files))]
    start = 0
    for part in files:
        rows = np.load(part, mmap_mode="r").shape[0]
        assert part.read_bytes() == npy_bytes(x[start:start + rows]), part
        start += rows
    assert start == x.shape[0]


def assert_same_split_dataset(sharded, reference, single):
    """`sharded` (finalize's OUT of a plan with splits) against `reference` (`convert --split …
    --format dir`): the same split folders, splits.csv and stats.json (and with --whiten
    stats.whitening.npz) byte for byte, and each split's dataset as assert_same_dataset checks it."""
    splits = sorted(p.name for p in reference.iterdir() if p.is_dir())
    assert splits and sorted(p.name for p in sharded.iterdir() if p.is_dir()) == splits
    top = ["splits.csv", "stats.json", *SUMMARY]
    if (reference / "stats.whitening.npz").exists():
        top.append("stats.whitening.npz")
    for member in top:
        assert (sharded / member).read_bytes() == (reference / member).read_bytes(), member
    assert sorted(p.name for p in sharded.iterdir() if not p.is_dir()) == sorted(top)
    for split in splits:
        assert_same_dataset(sharded / split, reference / split, single)
