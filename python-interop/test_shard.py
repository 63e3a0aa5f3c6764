"""`normtool shard` (issue 13): a conversion split into shards gives `normtool convert`'s bytes
for any shard count, with statistics bit-identical, for plans with splits too (`convert --split
… --format dir`); the failures a cluster has (a task killed
mid-write, re-runs, parts from another plan or with a wrong checksum, status after a failure);
indices from the engines' environment variables; refused options. The engines themselves:
test_shard_slurm.py and test_shard_dask.py."""
import json
import os
import pickle
import shutil
import signal
import subprocess
import time

import numpy as np
import pytest

from shard_support import (plan_files, SAMPLES, assert_same_dataset, assert_same_split_dataset, copy_samples,
                           normtool_run, run_all_shards)

SIZE = ["--size", "24"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """108 images: the samples three times over."""
    return copy_samples(tmp_path_factory.mktemp("corpus") / "images", copies=3)


def convert_reference(normtool, folder, out, *options):
    normtool_run(normtool, "convert", folder, "-o", out, "--quiet", *options, check=True)
    return out


def sharded(normtool, folder, tmp_path, shards, *options, name="run"):
    run = tmp_path / name
    normtool_run(normtool, "shard", "plan", folder, run, "--shards", shards, *options, check=True)
    run_all_shards(normtool, run, shards)
    return run


@pytest.mark.parametrize("shards", [1, 3, 8, 37])
def test_sharded_output_is_byte_identical_to_convert(normtool, corpus, tmp_path, shards):
    reference = convert_reference(normtool, corpus, tmp_path / "reference", *SIZE)
    run = sharded(normtool, corpus, tmp_path, shards, *SIZE)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "stack", check=True)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    assert_same_dataset(tmp_path / "stack", reference, single=False)
    assert_same_dataset(tmp_path / "single", reference, single=True)
    assert len(os.listdir(tmp_path / "stack" / "x")) == shards + 1
    # The statistics, bit for bit: mean.npy/std.npy/stats.json above, and the float64 values here.
    stats = json.loads((tmp_path / "stack" / "stats.json").read_text())
    assert stats["images"] == 108 and stats["applied"] is True
    assert np.load(tmp_path / "stack" / "mean.npy").tobytes() == np.load(reference / "mean.npy").tobytes()
    # The manifest names the members beside x that convert writes too.
    expected = sorted(f for f in os.listdir(reference) if f == "stats.json" or (f.endswith(".npy") and f != "x.npy"))
    for out in ("stack", "single"):
        assert json.loads((tmp_path / out / "manifest.json").read_text())["members"] == expected


def test_images_per_shard_makes_equal_shards_and_a_smaller_last_one(normtool, corpus, tmp_path):
    run = tmp_path / "run"
    out = normtool_run(normtool, "shard", "plan", corpus, run, "--images-per-shard", 50, *SIZE, check=True).stdout
    assert "108 images in 3 shards (--array=0-2)" in out
    plan = json.loads((run / "plan.json").read_text())
    assert plan["shards"] == [{"start": 0, "end": 50}, {"start": 50, "end": 100}, {"start": 100, "end": 108}]
    run_all_shards(normtool, run, 3)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "out", check=True)
    info = pickle.loads((tmp_path / "out" / "x" / "info").read_bytes())
    assert info == {"chunks": ((50, 50, 8), (24,), (24,), (3,)), "dtype": "<f4", "axis": 0}


@pytest.fixture(scope="module")
def training_stats(tmp_path_factory, normtool):
    """A --save-stats file from the samples (the statistics of a 'training set')."""
    folder = tmp_path_factory.mktemp("train")
    path = folder / "train.json"
    normtool_run(normtool, "convert", SAMPLES, "-o", folder / "t.npz", "--save-stats", path, *SIZE, "--quiet",
                 check=True)
    return path


@pytest.mark.parametrize("options", [
    ["--normalize", "none"],
    ["--stats", "imagenet", "--layout", "nchw"],
    ["--normalize", "scale", "--dtype", "float16"],
    ["--color", "gray", "--normalize", "minmax"],
    ["TRAINING_STATS"],
    ["--normalize", "none", "--label-mode", "categorical", "--classes", "tulips,roses,daisy,dandelion,sunflowers"],
    ["--preset", "keras-caffe"],
], ids=["none", "imagenet-nchw", "scale-float16", "gray-minmax", "stats-file", "categorical-classes",
        "preset-keras-caffe"])
def test_every_plan_gives_convert_bytes(normtool, corpus, tmp_path, training_stats, options):
    options = ["--stats", training_stats] if options == ["TRAINING_STATS"] else options
    reference = convert_reference(normtool, corpus, tmp_path / "reference", *SIZE, *options)
    run = sharded(normtool, corpus, tmp_path, 4, *SIZE, *options)
    two_pass = (run / "parts" / "0.stats.json").exists()
    assert two_pass == (options == ["--color", "gray", "--normalize", "minmax"])
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    assert_same_dataset(tmp_path / "single", reference, single=True)


def test_a_one_pass_plan_refuses_the_stats_pass_and_a_two_pass_plan_the_all_pass(normtool, corpus, tmp_path):
    one = tmp_path / "one"
    normtool_run(normtool, "shard", "plan", corpus, one, "--shards", 2, "--normalize", "none", *SIZE, check=True)
    result = normtool_run(normtool, "shard", "run", one, "--index", 0, "--pass", "stats")
    assert result.returncode == 1 and "run --pass all" in result.stderr and result.stderr.count("\n") == 1
    two = tmp_path / "two"
    normtool_run(normtool, "shard", "plan", corpus, two, "--shards", 2, *SIZE, check=True)
    result = normtool_run(normtool, "shard", "run", two, "--index", 0, "--pass", "all")
    assert result.returncode == 1 and "--pass stats" in result.stderr
    result = normtool_run(normtool, "shard", "run", two, "--index", 0, "--pass", "write")
    assert result.returncode == 1 and "shard merge" in result.stderr
    assert not (two / "parts" / "0.write.json").exists() and not (two / "parts" / "0.x.npy").exists()


# Plans with splits: the training split's statistics, measured by the stats pass alone, normalize
# every split; finalize writes OUT/NAME/ per split, splits.csv and stats.json as convert does.

SPLIT_PLANS = {
    "stratified": ["--split", "train=0.6,val=0.25,test=0.15", "--seed", "7"],
    "keras": ["--split-like", "keras", "--validation-split", "0.3", "--seed", "11"],
}


def split_counts(run):
    entries = json.loads((run / "plan.json").read_text())["dataset"]["entries"]
    counts = {}
    for entry in entries:
        counts[entry["split"]] = counts.get(entry["split"], 0) + 1
    return counts


@pytest.mark.parametrize("shards", [1, 3, 8, 37])
@pytest.mark.parametrize("split", sorted(SPLIT_PLANS))
def test_a_sharded_split_plan_is_byte_identical_to_convert(normtool, corpus, tmp_path, split, shards):
    options = [*SIZE, *SPLIT_PLANS[split]]
    reference = convert_reference(normtool, corpus, tmp_path / "reference", "--format", "dir", *options)
    run = sharded(normtool, corpus, tmp_path, shards, *options)
    counts = split_counts(run)
    assert len(counts) == (3 if split == "stratified" else 2) and min(counts.values()) > 0
    # The stats pass measured the training split alone: its images, its pixels.
    merged = json.loads((run / "stats.json").read_text())
    assert merged["images"] == counts["train"]
    assert merged["moments"]["count"] == [counts["train"] * 24 * 24] * 3
    if shards == 37 and split == "stratified":  # 2-3 images a shard: one of them has no training image
        markers = [json.loads((run / "parts" / f"{i}.stats.json").read_text()) for i in range(shards)]
        assert any(m["height"] == 0 and m["moments"]["count"] == [0, 0, 0] for m in markers)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "stack", check=True)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    assert_same_split_dataset(tmp_path / "stack", reference, single=False)
    assert_same_split_dataset(tmp_path / "single", reference, single=True)
    # Statistics bit for bit: the training split's normalize every split.
    train_mean = np.load(reference / "train" / "mean.npy")
    for name in counts:
        assert np.load(tmp_path / "stack" / name / "mean.npy").tobytes() == train_mean.tobytes(), name
        manifest = json.loads((tmp_path / "stack" / name / "manifest.json").read_text())
        assert manifest["split"] == name and manifest["images"] == counts[name]
        assert sum(part["rows"] for part in manifest["parts"]) == counts[name]
        assert 1 <= len(manifest["parts"]) <= shards
        assert len(os.listdir(tmp_path / "stack" / name / "x")) == len(manifest["parts"]) + 1


@pytest.mark.parametrize("options", [
    ["--normalize", "none"],
    ["--stats", "imagenet", "--layout", "nchw"],
    ["TRAINING_STATS"],
    ["--keep-pixels", "--color", "gray", "--normalize", "minmax"],
    ["--preset", "keras-caffe"],
    ["--stats", "image"],
], ids=["none", "imagenet-nchw", "stats-file", "keep-pixels-gray-minmax", "preset-keras-caffe", "stats-image"])
def test_every_split_plan_gives_convert_bytes(normtool, corpus, tmp_path, training_stats, options):
    options = ["--stats", training_stats] if options == ["TRAINING_STATS"] else options
    split = SPLIT_PLANS["stratified"]
    convert_options = [o for o in options if o != "--keep-pixels"]
    reference = convert_reference(normtool, corpus, tmp_path / "reference", "--format", "dir", *SIZE, *split,
                                  *convert_options)
    run = sharded(normtool, corpus, tmp_path, 4, *SIZE, *split, *options)
    two_pass = (run / "parts" / "0.stats.json").exists()
    assert two_pass == ("minmax" in options)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "stack", check=True)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    assert_same_split_dataset(tmp_path / "stack", reference, single=False)
    assert_same_split_dataset(tmp_path / "single", reference, single=True)


@pytest.mark.parametrize("options, shards", [
    (["--stats", "image"], 5),
    (["--stats", "image", "--scope", "global", "--normalize", "minmax", "--layout", "nchw"], 3),
    (["--stats", "batch:10"], 4),
    (["--stats", "batch:7", "--color", "gray", "--dtype", "float16"], 3),
], ids=["image", "image-global-minmax-nchw", "batch-10", "batch-7-gray-float16"])
def test_per_image_and_per_batch_statistics_give_convert_bytes(normtool, corpus, tmp_path, options, shards):
    """--stats image|batch:N: one all pass; each image (batch) normalized by its own statistics, one
    row of mean.npy/std.npy each, as convert writes them; batch shards start at multiples of N."""
    reference = convert_reference(normtool, corpus, tmp_path / "reference", *SIZE, *options)
    run = sharded(normtool, corpus, tmp_path, shards, *SIZE, *options)
    assert not (run / "parts" / "0.stats.json").exists() and (run / "parts" / "0.all.json").exists()
    batch = int(options[1].split(":")[1]) if options[1].startswith("batch:") else 1
    ranges = json.loads((run / "plan.json").read_text())["shards"]
    assert len(ranges) == shards and ranges[-1]["end"] == 108
    assert all(r["start"] % batch == 0 for r in ranges) and all(r["start"] < r["end"] for r in ranges)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "stack", check=True)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    assert_same_dataset(tmp_path / "stack", reference, single=False)
    assert_same_dataset(tmp_path / "single", reference, single=True)
    assert np.load(tmp_path / "stack" / "mean.npy").shape[0] == -(-108 // batch)
    assert json.loads((tmp_path / "stack" / "stats.json").read_text())["applied"] is False


@pytest.mark.parametrize("options, shards", [
    (["--stats", "sample:20", "--seed", "5"], 3),
    (["--stats", "sample:200", "--seed", "1", "--keep-pixels"], 8),
    (["--stats", "sample:15", "--seed", "9", "--format", "dir", *SPLIT_PLANS["stratified"]], 4),
], ids=["sample-20", "sample-all-keep-pixels", "sample-15-splits"])
def test_sampled_statistics_give_convert_bytes(normtool, corpus, tmp_path, options, shards):
    """--stats sample:K: the plan draws convert's sample (of the training split with splits); the
    stats pass measures only those images, and every image is normalized with their statistics."""
    convert_options = [o for o in options if o != "--keep-pixels"]
    shard_options = [o for o in options if o not in ("--format", "dir")]
    reference = convert_reference(normtool, corpus, tmp_path / "reference", *SIZE, *convert_options)
    run = sharded(normtool, corpus, tmp_path, shards, *SIZE, *shard_options)
    plan = json.loads((run / "plan.json").read_text())
    k = int(options[1].split(":")[1])
    entries = plan["dataset"]["entries"]
    population = [i for i, e in enumerate(entries) if "--split" not in options or e.get("split") == "train"]
    assert plan["sample"] == sorted(plan["sample"]) and set(plan["sample"]) <= set(population)
    assert len(plan["sample"]) == min(k, len(population))
    merged = json.loads((run / "stats.json").read_text())
    assert merged["images"] == len(plan["sample"])
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "stack", check=True)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    same = assert_same_split_dataset if "--split" in options else assert_same_dataset
    same(tmp_path / "stack", reference, single=False)
    same(tmp_path / "single", reference, single=True)


EXPORTS = ["preprocessor_config.json", "torchvision_normalize.py", "keras_normalization.json",
           "timm_pretrained_cfg.json"]


@pytest.mark.parametrize("options", [
    [],
    ["--stats", "imagenet"],
    ["--scale", "255", "--preset", "keras-caffe"],
    SPLIT_PLANS["stratified"],
], ids=["dataset", "imagenet", "keras-caffe", "stratified-splits"])
def test_exports_are_convert_bytes(normtool, corpus, tmp_path, options):
    """--export: finalize writes the four files convert writes, from the applied statistics."""
    options = [*SIZE, "--export", "hf,torchvision,keras,timm", *options]
    if "keras-caffe" in options:
        options[options.index("hf,torchvision,keras,timm")] = "keras"
    splits = "--split" in options
    reference = convert_reference(normtool, corpus, tmp_path / "reference", *(["--format", "dir"] if splits else []),
                                  *options)
    run = sharded(normtool, corpus, tmp_path, 3, *options)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "stack", check=True)
    written = [name for name in EXPORTS if (reference / name).exists()]
    assert written == (["keras_normalization.json"] if "keras-caffe" in options else EXPORTS)
    for name in EXPORTS:
        assert (tmp_path / "stack" / name).exists() == (reference / name).exists(), name
    for name in written:
        assert (tmp_path / "stack" / name).read_bytes() == (reference / name).read_bytes(), name
    if not splits:
        assert_same_dataset(tmp_path / "stack", reference, single=False)


def test_images_per_shard_rounds_up_to_whole_batches(normtool, corpus, tmp_path):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", corpus, run, "--images-per-shard", 25, "--stats", "batch:10", *SIZE,
                 check=True)
    plan = json.loads((run / "plan.json").read_text())
    assert plan["shards"] == [{"start": 0, "end": 30}, {"start": 30, "end": 60}, {"start": 60, "end": 90},
                              {"start": 90, "end": 108}]


def test_a_split_plan_keeps_status_merge_and_finalize_checks(normtool, corpus, tmp_path):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", corpus, run, "--shards", 4, *SIZE, *SPLIT_PLANS["stratified"],
                 check=True)
    for index in (0, 2):
        normtool_run(normtool, "shard", "run", run, "--index", index, check=True)
    result = normtool_run(normtool, "shard", "merge", run)
    assert result.returncode == 1 and "2 of 4 shards have no stats part: shards 1,3" in result.stderr, result.stderr
    assert normtool_run(normtool, "shard", "status", run, "--array").stdout == "1,3\n"
    run_all_shards(normtool, run, 4, passes=["stats", "merge", "write"])
    assert "complete: run 'normtool shard finalize RUN OUT'" in normtool_run(normtool, "shard", "status", run).stdout
    part = run / "parts" / "3.1.x.npy"
    data = bytearray(part.read_bytes())
    data[-1] ^= 0x01
    part.write_bytes(bytes(data))
    result = normtool_run(normtool, "shard", "finalize", run, tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "shard 3: wrong checksum of 3.1.x.npy" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


# Item 4: the failures a cluster has.

def visible(folder):
    return sorted(name for name in os.listdir(folder) if not name.startswith("."))


def test_a_task_killed_mid_write_leaves_no_marker_and_no_visible_part(normtool, tmp_path):
    folder = copy_samples(tmp_path / "images", copies=6)
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", folder, run, "--shards", 1, "--size", "256", "--normalize", "none",
                 "--dtype", "float64", check=True)
    parts = run / "parts"
    task = subprocess.Popen([normtool, "shard", "run", run, "--index", "0", "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and task.poll() is None:
        if any(name.startswith(".0.x.npy.") for name in os.listdir(parts)):
            break
        time.sleep(0.005)
    assert task.poll() is None, "the task ended before it could be killed"
    time.sleep(0.05)
    task.send_signal(signal.SIGKILL)
    task.wait()
    assert task.returncode == -signal.SIGKILL
    assert visible(parts) == [], "a killed task left a marker or a visible part"
    status = normtool_run(normtool, "shard", "status", run, "--array", check=True)
    assert status.stdout == "0\n"
    normtool_run(normtool, "shard", "run", run, "--index", 0, check=True)
    assert visible(parts) == ["0.all.json", "0.facts.json", "0.x.npy"], "the re-run left the killed task's temporary file"


def test_a_rerun_replaces_only_what_is_missing(normtool, corpus, tmp_path):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", corpus, run, "--shards", 4, "--stats", "imagenet", *SIZE, check=True)
    for index in (0, 2):
        normtool_run(normtool, "shard", "run", run, "--index", index, check=True)
    done = {name: os.stat(run / "parts" / name) for name in visible(run / "parts")}
    assert sorted(done) == ["0.all.json", "0.facts.json", "0.x.npy", "2.all.json", "2.facts.json", "2.x.npy"]
    outputs = [normtool_run(normtool, "shard", "run", run, "--index", i, check=True).stdout for i in range(4)]
    assert outputs[0] == "shard 0 all: already done\n" and outputs[2] == "shard 2 all: already done\n"
    assert "already done" not in outputs[1] + outputs[3]
    for name, before in done.items():
        after = os.stat(run / "parts" / name)
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), name
    assert len(visible(run / "parts")) == 12


def test_a_part_from_an_older_plan_is_refused_with_its_index(normtool, corpus, tmp_path):
    run = sharded(normtool, corpus, tmp_path, 3, *SIZE)
    older = tmp_path / "older"
    normtool_run(normtool, "shard", "plan", corpus, older, "--shards", 3, "--size", "20", check=True)
    normtool_run(normtool, "shard", "run", older, "--index", 1, "--pass", "stats", check=True)
    shutil.copyfile(older / "parts" / "1.stats.json", run / "parts" / "1.stats.json")
    result = normtool_run(normtool, "shard", "merge", run)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "shard 1 belongs to another plan" in result.stderr, result.stderr
    # And at finalize, a write part of the other plan.
    for index in range(3):
        normtool_run(normtool, "shard", "run", older, "--index", index, "--pass", "stats", check=True)
    normtool_run(normtool, "shard", "merge", older, check=True)
    normtool_run(normtool, "shard", "run", older, "--index", 2, "--pass", "write", check=True)
    for name in ("2.write.json", "2.x.npy"):
        shutil.copyfile(older / "parts" / name, run / "parts" / name)
    result = normtool_run(normtool, "shard", "finalize", run, tmp_path / "out")
    assert result.returncode == 1 and "shard 2 belongs to another plan" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
    assert normtool_run(normtool, "shard", "status", run, "--array", "--pass", "write").stdout == "2\n"


def test_a_part_with_a_wrong_checksum_is_refused_with_its_index(normtool, corpus, tmp_path):
    run = sharded(normtool, corpus, tmp_path, 3, *SIZE)
    part = run / "parts" / "2.x.npy"
    data = bytearray(part.read_bytes())
    data[-1] ^= 0x01
    part.write_bytes(bytes(data))
    result = normtool_run(normtool, "shard", "finalize", run, tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "shard 2: wrong checksum" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() and visible(tmp_path) == ["run"]
    marker = run / "parts" / "1.stats.json"
    fields = json.loads(marker.read_text())
    fields["moments"]["sum"][0] += 1
    marker.write_text(json.dumps(fields))
    result = normtool_run(normtool, "shard", "merge", run)
    assert result.returncode == 1 and "shard 1: wrong checksum" in result.stderr, result.stderr


def test_merge_and_finalize_name_the_missing_shards(normtool, corpus, tmp_path):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", corpus, run, "--shards", 6, *SIZE, check=True)
    for index in (0, 1, 4):
        normtool_run(normtool, "shard", "run", run, "--index", index, check=True)
    result = normtool_run(normtool, "shard", "merge", run)
    assert result.returncode == 1 and "3 of 6 shards have no stats part: shards 2-3,5" in result.stderr, result.stderr
    assert "--array=2-3,5" in result.stderr and not (run / "stats.json").exists()
    result = normtool_run(normtool, "shard", "finalize", run, tmp_path / "out")
    assert result.returncode == 1 and "6 of 6 shards have no write part" in result.stderr, result.stderr


def test_status_after_a_failure_prints_exactly_the_shards_to_resubmit(normtool, tmp_path):
    folder = copy_samples(tmp_path / "images")
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", folder, run, "--shards", 6, *SIZE, check=True)
    files = plan_files(run)
    broken = [folder / files[7], folder / files[31]]  # in shards 1 and 5 (6 images each)
    originals = [path.read_bytes() for path in broken]
    for path in broken:
        path.write_bytes(b"not an image")
    for index in range(6):
        result = normtool_run(normtool, "shard", "run", run, "--index", index)
        if index in (1, 5):
            assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
            assert files[7 if index == 1 else 31] in result.stderr
        else:
            assert result.returncode == 0, result.stderr
    assert normtool_run(normtool, "shard", "status", run, "--array").stdout == "1,5\n"
    text = normtool_run(normtool, "shard", "status", run, check=True).stdout
    assert "stats: 4 done, 2 failed, 0 missing" in text
    assert f"shard 1 failed: {files[7]}" in text and "resubmit: --pass stats --array=1,5" in text
    for path, data in zip(broken, originals):
        path.write_bytes(data)
    for index in (1, 5):
        normtool_run(normtool, "shard", "run", run, "--index", index, check=True)
    assert normtool_run(normtool, "shard", "status", run, "--array").stdout == "\n"
    assert "merge: not yet" in normtool_run(normtool, "shard", "status", run).stdout


@pytest.mark.parametrize("variable", ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "NORMTOOL_SHARD_INDEX"])
def test_the_index_comes_from_the_engines_variable(normtool, tmp_path, variable):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", SAMPLES, run, "--shards", 3, "--normalize", "none", *SIZE, check=True)
    clean = {name: "" for name in ("SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "NORMTOOL_SHARD_INDEX")}
    env = {k: v for k, v in os.environ.items() if k not in clean}
    env[variable] = "2"
    result = subprocess.run([normtool, "shard", "run", run], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert visible(run / "parts") == ["2.all.json", "2.facts.json", "2.x.npy"]
    del env[variable]
    result = subprocess.run([normtool, "shard", "run", run], capture_output=True, text=True, env=env)
    assert result.returncode == 1 and result.stderr.startswith("normtool shard run: no shard index"), result.stderr
    env["NORMTOOL_SHARD_INDEX"] = "7"
    result = subprocess.run([normtool, "shard", "run", run], capture_output=True, text=True, env=env)
    assert result.returncode == 1 and "shard index 7 is out of range: the plan has shards 0-2" in result.stderr


@pytest.mark.parametrize("arguments, message", [
    (["--shards", "0"], "--shards must be between 1 and 1024"),
    (["--shards", "37"], "--shards 37: the folder has 36 images"),
    (["--images-per-shard", "0"], "--images-per-shard must be at least 1"),
    ([], "give one of --images-per-shard S and --shards K"),
    (["--shards", "2", "--on-error", "skip"], "--on-error skip in a sharded run needs --size"),
    (["--shards", "2", "--on-error", "skip", "--size", "8", "--stats", "batch:4"], "--on-error skip with --stats batch:4"),
    (["--shards", "2", "--stats", "sample:4", "--dedupe", "keep-first"], "--dedupe"),
    (["--shards", "10", "--stats", "batch:4"], "--shards 10: the folder has 36 images, 9 batches of 4"),
    (["--shards", "2", "--stats", "batch:4", "--split", "a=0.5,b=0.5"], "--stats batch:4 with splits"),
    (["--shards", "2", "-o", "x.npz"], "-o: not a 'shard plan' option"),
    (["--shards", "2", "--size", "0"], "--size"),
])
def test_bad_plans_are_refused_in_one_line(normtool, tmp_path, arguments, message):
    result = normtool_run(normtool, "shard", "plan", SAMPLES, tmp_path / "run", *arguments)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert not (tmp_path / "run" / "plan.json").exists()


def test_a_run_folder_holds_one_plan_and_an_edited_plan_is_refused(normtool, tmp_path):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", SAMPLES, run, "--shards", 2, *SIZE, check=True)
    normtool_run(normtool, "shard", "plan", SAMPLES, run, "--shards", 2, *SIZE, check=True)  # the same: fine
    result = normtool_run(normtool, "shard", "plan", SAMPLES, run, "--shards", 3, *SIZE)
    assert result.returncode == 1 and "it holds another plan" in result.stderr
    plan = json.loads((run / "plan.json").read_text())
    plan["dataset"]["entries"][0]["labels"] = [4]
    (run / "plan.json").write_text(json.dumps(plan))
    result = normtool_run(normtool, "shard", "run", run, "--index", 0)
    assert result.returncode == 1 and "the plan was edited" in result.stderr


def test_finalize_does_not_replace_a_folder_of_other_files(normtool, tmp_path):
    run = sharded(normtool, SAMPLES, tmp_path, 2, "--normalize", "none", *SIZE)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = normtool_run(normtool, "shard", "finalize", run, out)
    assert result.returncode == 1 and "holds other files (notes.txt)" in result.stderr
    assert visible(out) == ["notes.txt"]
    (out / "notes.txt").unlink()
    normtool_run(normtool, "shard", "finalize", run, out, check=True)
    normtool_run(normtool, "shard", "finalize", run, out, "--single", check=True)  # replaces its own output
    assert visible(out) == ["classes.npy", "duplicates.csv", "files.npy", "manifest.json", "stats.json",
                            "summary.json", "x.npy", "y.npy"]


def test_info_loads_under_an_unpickler_that_allows_no_globals(normtool, tmp_path):
    run = sharded(normtool, SAMPLES, tmp_path, 5, "--normalize", "none", *SIZE)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "out", check=True)

    class NoGlobals(pickle.Unpickler):
        def find_class(self, module, name):
            raise pickle.UnpicklingError(f"global {module}.{name} refused")

    with open(tmp_path / "out" / "x" / "info", "rb") as f:
        info = NoGlobals(f).load()
    assert info == {"chunks": ((8, 7, 7, 7, 7), (24,), (24,), (3,)), "dtype": "|u1", "axis": 0}
    assert (tmp_path / "out" / "x" / "info").read_bytes().startswith(b"(d")  # protocol 0: no PROTO opcode
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["shape"] == [36, 24, 24, 3] and [s["rows"] for s in manifest["files"]] == [8, 7, 7, 7, 7]


def test_keep_pixels_writes_from_the_kept_pixels_with_the_same_bytes(normtool, corpus, tmp_path):
    reference = convert_reference(normtool, corpus, tmp_path / "reference", *SIZE)
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", corpus, run, "--shards", 3, "--keep-pixels", *SIZE, check=True)
    for index in range(3):
        normtool_run(normtool, "shard", "run", run, "--index", index, "--pass", "stats", check=True)
    kept = np.load(run / "parts" / "1.pixels.npy")
    assert kept.shape == (36, 24, 24, 3) and kept.dtype == np.uint8
    normtool_run(normtool, "shard", "merge", run, check=True)
    # The write pass reads the kept pixels, not the images: it works with the images gone.
    shutil.move(corpus, tmp_path / "moved")
    try:
        for index in range(3):
            normtool_run(normtool, "shard", "run", run, "--index", index, check=True)
    finally:
        shutil.move(tmp_path / "moved", corpus)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    assert_same_dataset(tmp_path / "single", reference, single=True)
    (run / "parts" / "2.write.json").unlink()
    (run / "parts" / "2.pixels.npy").unlink()
    result = normtool_run(normtool, "shard", "run", run, "--index", 2, "--pass", "write")
    assert result.returncode == 1 and "re-run --pass stats for shard 2" in result.stderr, result.stderr
    assert normtool_run(normtool, "shard", "status", run, "--array", "--pass", "stats").stdout == "2\n"


def test_damaged_run_files_are_named_in_one_line(normtool, tmp_path):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", SAMPLES, run, "--shards", 2, *SIZE, check=True)
    normtool_run(normtool, "shard", "run", run, "--index", 0, check=True)
    (run / "parts" / "1.stats.json").write_text("garbage")
    result = normtool_run(normtool, "shard", "merge", run)
    assert result.stderr == (f"normtool shard merge: {run}/parts/1.stats.json: expected shard 1: a shard marker, "
                             "found text that is not valid JSON\n")
    (run / "plan.json").write_text('{"format": 3}')
    for command in (["run", run, "--index", 1], ["merge", run], ["status", run], ["finalize", run, tmp_path / "o"]):
        result = normtool_run(normtool, "shard", *command)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert f"{run}/plan.json: expected a plan written by 'normtool shard plan'" in result.stderr
        assert "DecodingError" not in result.stderr
    result = normtool_run(normtool, "shard", "status", tmp_path / "nowhere")
    assert result.returncode == 1 and "no plan (No such file or directory)" in result.stderr


def test_finalize_writes_convert_summary_and_refuses_damaged_facts(normtool, corpus, tmp_path):
    """summary.json and duplicates.csv come from the facts each shard recorded (the corpus repeats
    every sample three times: 72 identical files); a damaged or missing facts file is named."""
    reference = convert_reference(normtool, corpus, tmp_path / "reference", *SIZE, "--stats", "imagenet")
    run = sharded(normtool, corpus, tmp_path, 3, *SIZE, "--stats", "imagenet")
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "out", check=True)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["images"] == 108 and summary["duplicates"]["identical_files"] == 72
    for member in ("summary.json", "duplicates.csv"):
        assert (tmp_path / "out" / member).read_bytes() == (reference / member).read_bytes(), member
    facts = run / "parts" / "1.facts.json"
    facts.write_text(facts.read_text().replace('"JPEG"', '"PNG"', 1))
    result = normtool_run(normtool, "shard", "finalize", run, tmp_path / "again")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert f"{facts}: shard 1: the checksum does not match its marker; re-run --pass all for shard 1" in result.stderr
    facts.unlink()
    result = normtool_run(normtool, "shard", "finalize", run, tmp_path / "again")
    assert result.returncode == 1 and "shard 1: no image facts for the summary" in result.stderr
    assert not (tmp_path / "again").exists()


@pytest.fixture(scope="module")
def damaged_corpus(tmp_path_factory):
    """A copy of the 108-image corpus, whose files the --on-error skip test damages and restores."""
    return copy_samples(tmp_path_factory.mktemp("damaged") / "images", copies=3)


@pytest.mark.parametrize("options", [
    [],
    ["--keep-pixels"],
    ["--stats", "imagenet"],
    ["--stats", "image"],
    SPLIT_PLANS["stratified"],
], ids=["dataset", "keep-pixels", "imagenet", "image", "stratified-splits"])
def test_on_error_skip_leaves_out_the_same_images_as_convert(normtool, damaged_corpus, tmp_path, options):
    """--on-error skip: each shard names the images it left out; finalize's x, y, files, skipped,
    statistics and summary are convert's."""
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", damaged_corpus, run, "--shards", 36, "--on-error", "skip", *SIZE,
                 *options, check=True)
    files = plan_files(run)
    originals = {}
    for k in (0, 1, 2, 50, 107):  # shard 0 whole, and two more
        originals[k] = (damaged_corpus / files[k]).read_bytes()
        (damaged_corpus / files[k]).write_bytes(b"not an image")
    try:
        splits = "--split" in options
        convert_options = [o for o in options if o != "--keep-pixels"]
        reference = convert_reference(normtool, damaged_corpus, tmp_path / "reference", "--on-error", "skip", *SIZE,
                                      *(["--format", "dir"] if splits else []), *convert_options)
        run_all_shards(normtool, run, 36)
    finally:
        for k, data in originals.items():
            (damaged_corpus / files[k]).write_bytes(data)
    out = normtool_run(normtool, "shard", "finalize", run, tmp_path / "stack", check=True).stdout
    assert out.startswith("skipped 5 unreadable images (--on-error skip), first "), out
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    check = assert_same_split_dataset if splits else assert_same_dataset
    check(tmp_path / "stack", reference, single=False)
    check(tmp_path / "single", reference, single=True)
    skipped = [s["file"] for s in json.loads((tmp_path / "stack" / "summary.json").read_text())["skipped"]]
    assert sorted(skipped) == sorted(files[k] for k in originals)
    if not splits:
        assert skipped == [files[k] for k in sorted(originals)]
        assert sorted(np.load(tmp_path / "stack" / "skipped.npy").tolist()) == sorted(files[k] for k in originals)
        assert (tmp_path / "stack" / "skipped.npy").read_bytes() == (reference / "skipped.npy").read_bytes()
        assert np.load(tmp_path / "single" / "x.npy", mmap_mode="r").shape[0] == 103
