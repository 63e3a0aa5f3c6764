"""`--whiten` in sharded runs and with `--split` (issue 15): the covariance is bit-identical
for 1 and 8 shards and equal to NumPy's exact integer sums of the same pixels; the sharded
dataset is `normtool convert --whiten`'s, byte for byte, for both scopes and with splits; with
`--split` the matrix is fitted on the training split only (the NumPy reference of
whiten_reference.py: `X.T @ X / n`, `np.linalg.eigh`, Keras's formula) and whitens every
split; `--on-error skip` and `--keep-pixels` keep those identities; a stats file's saved
matrix whitens a sharded run as `convert --stats FILE --whiten` does; the refusals that
remain, and missing or corrupt partial sums or a changed copy of the matrix, in one line."""
import json
import zlib

import numpy as np
import pytest
from PIL import Image

from shard_support import (SAMPLES, assert_same_dataset, assert_same_split_dataset, copy_samples, normtool_run,
                           run_all_shards)
from whiten_reference import EPS, Reference, check_identity_covariance, check_matrix, make_cifar, relative_error

# Image scope at 16x16 (D = 768) and channel scope on the samples at 48x48, for speed.
CASES = {
    "image": ["--size", "16", "--whiten-scope", "image"],
    "channel": ["--size", "48", "--whiten-scope", "channel"],
}
SPLIT = ["--split", "train=0.75,test=0.25", "--seed", "3"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """72 images: the samples twice over."""
    return copy_samples(tmp_path_factory.mktemp("corpus") / "images", copies=2)


def whiten_options(scope, method):
    return [*CASES[scope], "--normalize", "center", "--whiten", method]


def sharded(normtool, folder, run, shards, *options):
    normtool_run(normtool, "shard", "plan", folder, run, "--shards", shards, *options, check=True)
    run_all_shards(normtool, run, shards)
    return run


def raw_pixels(normtool, folder, tmp_path, scope, *split):
    """The uint8 pixels normtool decodes (`--normalize none`), the reference's input: one
    array, or with `split` a dict of the splits' arrays."""
    out = tmp_path / f"raw-{scope}{'-split' if split else ''}"
    normtool_run(normtool, "convert", folder, "-o", out, "--normalize", "none", "--quiet", *CASES[scope][:2],
                 *(["--format", "dir", *split] if split else []), check=True)
    if not split:
        return np.load(out / "x.npy")
    return {p.name: np.load(p / "x.npy") for p in out.iterdir() if p.is_dir()}


def integer_sums(p, scope):
    """NumPy's exact covariance sums of uint8 pixels `p`: count, X.sum(0), np.triu(X.T @ X) in int64."""
    x = p.reshape(-1, p.shape[-1]) if scope == "channel" else p.reshape(len(p), -1)
    x = x.astype(np.int64)
    return len(x), x.sum(axis=0), np.triu(x.T @ x)


def load_sums(path):
    with np.load(path) as data:
        assert data["count"].shape == () and all(data[m].dtype == np.int64 for m in ("count", "sums", "products"))
        return int(data["count"]), data["sums"], data["products"]


@pytest.mark.parametrize("scope, method", [("image", "zca"), ("image", "pca"), ("channel", "zca"),
                                           ("channel", "pca")])
def test_sharded_whitening_is_convert_bit_for_bit_for_1_and_8_shards(normtool, corpus, tmp_path, scope, method):
    options = whiten_options(scope, method)
    reference = tmp_path / "reference"
    normtool_run(normtool, "convert", corpus, "-o", reference, "--quiet", *options, check=True)
    expected = integer_sums(raw_pixels(normtool, corpus, tmp_path, scope), scope)
    for shards in (1, 8):
        run = sharded(normtool, corpus, tmp_path / f"run{shards}", shards, *options)
        # The merged sums: NumPy's exact integers (and so the same bits for any shard count).
        count, sums, products = load_sums(run / "covariance.npz")
        assert count == expected[0] and sums.tobytes() == expected[1].tobytes()
        assert products.tobytes() == expected[2].tobytes()
        # Each shard's partial sums add up to them in any order.
        parts = [load_sums(run / "parts" / f"{i}.covariance.npz") for i in range(shards)]
        assert sum(p[0] for p in parts) == count
        assert np.array_equal(sum(p[2] for p in parts[::-1]), products)
        for single in (False, True):
            out = tmp_path / f"out{shards}{'-single' if single else ''}"
            normtool_run(normtool, "shard", "finalize", run, out, *(["--single"] if single else []), check=True)
            # x, y, files, classes, stats.json, whitening*.npy, the summary: convert's bytes.
            assert_same_dataset(out, reference, single)
        stats = json.loads((out / "stats.json").read_text())
        assert stats["whitening"]["file"] == "whitening.npy" and stats["applied"] is False
        assert not (out / "mean.npy").exists() and not (out / "std.npy").exists()
        manifest = json.loads((out / "manifest.json").read_text())
        assert {"whitening.npy", "whitening_eigenvalues.npy", "whitening_mean.npy"} <= set(manifest["members"])
    assert (tmp_path / "run1" / "covariance.npz").read_bytes() == (tmp_path / "run8" / "covariance.npz").read_bytes()
    assert (tmp_path / "run1" / "whitening.npz").read_bytes() == (tmp_path / "run8" / "whitening.npz").read_bytes()


@pytest.mark.parametrize("scope", ["image", "channel"])
def test_sharded_split_whitening_is_convert_bit_for_bit(normtool, corpus, tmp_path, scope):
    options = [*whiten_options(scope, "zca"), *SPLIT]
    reference = tmp_path / "reference"
    normtool_run(normtool, "convert", corpus, "-o", reference, "--format", "dir", "--quiet", *options, check=True)
    raw = raw_pixels(normtool, corpus, tmp_path, scope, *SPLIT)
    expected = integer_sums(raw["train"], scope)
    for shards in (1, 8):
        run = sharded(normtool, corpus, tmp_path / f"run{shards}", shards, *options, "--keep-pixels")
        count, _, products = load_sums(run / "covariance.npz")
        assert count == expected[0] and products.tobytes() == expected[2].tobytes()
        out = tmp_path / f"out{shards}"
        normtool_run(normtool, "shard", "finalize", run, out, check=True)
        assert_same_split_dataset(out, reference, single=False)


@pytest.mark.parametrize("scope, extra", [("image", ["--keep-pixels"]), ("channel", [])])
def test_on_error_skip_leaves_the_same_images_out_of_the_covariance_as_convert(normtool, tmp_path, scope, extra):
    """Unreadable images (--on-error skip) are neither measured nor written, in shards as in
    convert: the same sums, matrix and bytes."""
    folder = copy_samples(tmp_path / "images", copies=1)
    for damaged in sorted(folder.rglob("*.jpg"))[:3]:
        damaged.write_bytes(b"not an image")
    options = [*whiten_options(scope, "zca"), "--on-error", "skip"]
    reference = tmp_path / "reference"
    normtool_run(normtool, "convert", folder, "-o", reference, "--quiet", *options, check=True)
    run = sharded(normtool, folder, tmp_path / "run", 4, *options, *extra)
    out = tmp_path / "out"
    normtool_run(normtool, "shard", "finalize", run, out, "--single", check=True)
    assert_same_dataset(out, reference, single=True)
    assert (out / "skipped.npy").read_bytes() == (reference / "skipped.npy").read_bytes()
    assert len(np.load(out / "skipped.npy")) == 3
    # The sums are NumPy's over the 33 images convert kept.
    raw = tmp_path / "raw"
    normtool_run(normtool, "convert", folder, "-o", raw, "--normalize", "none", "--on-error", "skip", "--quiet",
                 *CASES[scope][:2], check=True)
    kept = np.load(raw / "x.npy")
    assert len(kept) == 33
    count, sums, products = load_sums(run / "covariance.npz")
    expected = integer_sums(kept, scope)
    assert count == expected[0] and sums.tobytes() == expected[1].tobytes()
    assert products.tobytes() == expected[2].tobytes()


@pytest.fixture(scope="module")
def cifar(tmp_path_factory):
    """1200 CIFAR-sized images, 16x16 for speed: a training split of 900 > D = 768 values."""
    return make_cifar(tmp_path_factory.mktemp("cifar") / "images", 1200, seed=5)


@pytest.mark.parametrize("scope, method", [("image", "zca"), ("channel", "pca")])
def test_split_whitening_fits_the_training_split_and_whitens_every_split(normtool, cifar, tmp_path, scope, method):
    folder = cifar if scope == "image" else SAMPLES
    options = [*whiten_options(scope, method), *SPLIT]
    out = tmp_path / "out"
    saved = tmp_path / "saved.json"
    normtool_run(normtool, "convert", folder, "-o", out, "--quiet", "--save-stats", saved, *options, check=True)
    raw = raw_pixels(normtool, folder, tmp_path, scope, *SPLIT)
    assert sorted(raw) == ["test", "train"] and len(raw["test"]) > 0
    ref = Reference(raw["train"], scope)
    with np.load(out / "train.npz") as train, np.load(out / "test.npz") as test:
        check_matrix(train, ref, method)
        own = train["whitening"] if method == "pca" else None
        assert relative_error(train["x"], ref.whiten(raw["train"], method, own)) < 1e-5
        check_identity_covariance(train["x"], ref, scope, method, 1e-3 if scope == "channel" else 1e-2)
        # The test split: whitened with the training matrix and mean, which it holds too.
        for member in ("whitening", "whitening_eigenvalues", "whitening_mean"):
            assert test[member].tobytes() == train[member].tobytes(), member
        assert relative_error(test["x"], ref.whiten(raw["test"], method, own)) < 1e-5
        assert "mean" not in test.files and "std" not in test.files
    # OUT/stats.json and --save-stats name the training matrix beside them, as for one split.
    for stats, sidecar in ((out / "stats.json", "stats.whitening.npz"), (saved, "saved.whitening.npz")):
        record = json.loads(stats.read_text())["whitening"]
        assert record == {"method": method, "scope": scope, "epsilon": EPS, "dimension": len(ref.mean),
                          "vectors": len(ref.x), "file": sidecar}
        with np.load(stats.parent / sidecar) as arrays, np.load(out / "train.npz") as train:
            assert arrays["whitening"].tobytes() == train["whitening"].tobytes()
    assert json.loads((out / "stats.json").read_text())["images"] == len(raw["train"])
    # Reused on other images with --stats OUT/stats.json: the same matrix.
    again = tmp_path / "again.npz"
    normtool_run(normtool, "convert", folder, "-o", again, "--quiet", *whiten_options(scope, method), "--stats",
                 out / "stats.json", check=True)
    with np.load(again) as data, np.load(out / "train.npz") as train:
        assert data["whitening"].tobytes() == train["whitening"].tobytes()


def test_a_split_of_another_image_size_is_refused_for_image_scope(normtool, tmp_path):
    folder = tmp_path / "images"
    for split, side in (("train", 8), ("test", 9)):
        (folder / split / "a").mkdir(parents=True)
        for i in range(4):
            Image.new("RGB", (side, side), (i * 40, 10, 200 - i * 30)).save(folder / split / "a" / f"{i}.png")
    labels = tmp_path / "labels.csv"
    labels.write_text("path,label,split\n" + "".join(
        f"{s}/a/{i}.png,a,{s}\n" for s in ("train", "test") for i in range(4)))
    result = normtool_run(normtool, "convert", "-o", tmp_path / "out", "--labels", labels, "--root", folder,
                          "--normalize",
                          "center", "--whiten", "zca", "--whiten-scope", "image")
    assert result.returncode == 1, result.stderr
    assert "split 'test': the training split's whitening is for vectors of 192 values" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("arguments, message", [
    (["--depth", "16"], "--whiten zca works on 8-bit pixels; --depth 16 is not supported with it"),
    (["--size", "64", "--whiten-scope", "image"], "D = 12288"),
    (["--stats", "STATS", "--whiten-scope", "image"],
     "its whitening is --whiten zca --whiten-scope channel, not --whiten zca --whiten-scope image"),
])
def test_the_refusals_that_remain_are_one_line(normtool, tmp_path, arguments, message):
    stats = tmp_path / "stats.json"
    normtool_run(normtool, "convert", SAMPLES, "-o", tmp_path / "a.npz", "--size", "16", "--normalize", "center",
                 "--whiten", "zca", "--save-stats", stats, "--quiet", check=True)
    arguments = [str(stats) if a == "STATS" else a for a in arguments]
    result = normtool_run(normtool, "shard", "plan", SAMPLES, tmp_path / "run", "--shards", "2", "--normalize",
                          "center", "--whiten", "zca", *arguments)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert not (tmp_path / "run" / "plan.json").exists()


def test_image_scope_above_4096_values_without_size_is_refused_by_the_stats_pass(normtool, tmp_path):
    folder = tmp_path / "big" / "a"
    folder.mkdir(parents=True)
    for i in range(3):
        Image.new("RGB", (40, 40), (i, 2 * i, 3 * i)).save(folder / f"{i}.png")
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", folder.parent, run, "--shards", "1", "--normalize", "center",
                 "--whiten", "pca", "--whiten-scope", "image", check=True)
    result = normtool_run(normtool, "shard", "run", run, "--index", "0", "--pass", "stats")
    assert result.returncode != 0 and "D = 4800" in result.stderr and "184.3 MB" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (run / "parts" / "0.stats.json").exists() and not (run / "parts" / "0.covariance.npz").exists()


@pytest.fixture
def measured(normtool, tmp_path):
    """A plan of 3 shards, image scope, after its stats pass (before merge)."""
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", SAMPLES, run, "--shards", "3", *whiten_options("image", "zca"),
                 check=True)
    run_all_shards(normtool, run, 3, passes=["stats"])
    return run


def assert_merge_fails(normtool, run, message):
    result = normtool_run(normtool, "shard", "merge", run)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    for name in ("stats.json", "covariance.npz", "whitening.npz"):
        assert not (run / name).exists(), name


def test_a_missing_partial_is_named(normtool, measured):
    (measured / "parts" / "1.covariance.npz").unlink()
    assert_merge_fails(normtool, measured, f"{measured}/parts/1.covariance.npz: shard 1: its covariance sums are "
                                           "missing; re-run shard 1")


def test_a_corrupt_partial_is_named(normtool, measured):
    part = measured / "parts" / "2.covariance.npz"
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    assert_merge_fails(normtool, measured, f"{part}: shard 2: wrong checksum of its covariance sums; re-run shard 2")


def test_a_partial_that_is_not_covariance_sums_is_named(normtool, measured):
    # Valid int64 arrays with a matching checksum, but a full (not upper-triangular) product matrix.
    part = measured / "parts" / "0.covariance.npz"
    with np.load(part) as data:
        count, sums, products = data["count"], data["sums"], data["products"]
    np.savez(part, count=count, sums=sums, products=products + np.tril(np.ones_like(products), -1))
    marker = measured / "parts" / "0.stats.json"
    record = json.loads(marker.read_text())
    record["covariance"]["checksum"] = f"{zlib.crc32(part.read_bytes()):08x}"
    marker.write_text(json.dumps(record))
    assert_merge_fails(normtool, measured, f"{part}: shard 0: expected int64 covariance sums")


def test_a_changed_whitening_after_merge_stops_write_and_finalize(normtool, measured, tmp_path):
    normtool_run(normtool, "shard", "merge", measured, check=True)
    whitening = measured / "whitening.npz"
    data = bytearray(whitening.read_bytes())
    data[-30] ^= 0xFF
    whitening.write_bytes(bytes(data))
    result = normtool_run(normtool, "shard", "run", measured, "--index", "0", "--pass", "write")
    assert result.returncode == 1 and f"{whitening}: wrong checksum (it changed after merge)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (measured / "parts" / "0.write.json").exists() and not (measured / "parts" / "0.x.npy").exists()
    # Merging again restores it; a later corruption stops finalize the same way.
    normtool_run(normtool, "shard", "merge", measured, check=True)
    run_all_shards(normtool, measured, 3, passes=["write"])
    whitening.write_bytes(bytes(data))
    result = normtool_run(normtool, "shard", "finalize", measured, tmp_path / "out")
    assert result.returncode == 1 and f"{whitening}: wrong checksum" in result.stderr
    assert not (tmp_path / "out").exists()


def saved_training_stats(normtool, tmp_path, options):
    """A training set's statistics and whitening matrix (`convert --save-stats`) on the samples."""
    stats = tmp_path / "train.json"
    normtool_run(normtool, "convert", SAMPLES, "-o", tmp_path / "train.npz", "--quiet", *options, "--save-stats",
                 stats, check=True)
    return stats


@pytest.mark.parametrize("scope, method", [("image", "zca"), ("channel", "pca")])
def test_a_saved_matrix_whitens_a_sharded_run_as_convert_does(normtool, corpus, tmp_path, scope, method):
    options = whiten_options(scope, method)
    with_stats = [*options, "--stats", str(saved_training_stats(normtool, tmp_path, options))]
    reference = tmp_path / "reference"
    normtool_run(normtool, "convert", corpus, "-o", reference, "--quiet", *with_stats, check=True)
    saved = np.load(tmp_path / "train.whitening.npz")
    for shards in (1, 3):
        run = sharded(normtool, corpus, tmp_path / f"run{shards}", shards, *with_stats)
        # One `all` pass: no statistics pass, no merge, no covariance; the matrix is the file's.
        assert not (run / "stats.json").exists() and not (run / "covariance.npz").exists()
        with np.load(run / "whitening.npz") as copy:
            for name in ("whitening", "whitening_eigenvalues", "whitening_mean"):
                assert copy[name].tobytes() == saved[name].tobytes(), name
        for single in (False, True):
            out = tmp_path / f"out{shards}{'-single' if single else ''}"
            normtool_run(normtool, "shard", "finalize", run, out, *(["--single"] if single else []), check=True)
            assert_same_dataset(out, reference, single)
        assert np.load(out / "whitening.npy").tobytes() == saved["whitening"].tobytes()


def test_a_saved_matrix_whitens_every_split_of_a_sharded_run_as_convert_does(normtool, corpus, tmp_path):
    options = whiten_options("image", "zca")
    with_stats = [*options, "--stats", str(saved_training_stats(normtool, tmp_path, options)), *SPLIT]
    reference = tmp_path / "reference"
    normtool_run(normtool, "convert", corpus, "-o", reference, "--format", "dir", "--quiet", *with_stats, check=True)
    run = sharded(normtool, corpus, tmp_path / "run", 3, *with_stats)
    out = tmp_path / "out"
    normtool_run(normtool, "shard", "finalize", run, out, check=True)
    assert_same_split_dataset(out, reference, single=False)


def test_a_saved_matrix_of_another_image_length_is_refused_naming_the_stats_file(normtool, corpus, tmp_path):
    stats = saved_training_stats(normtool, tmp_path, whiten_options("image", "zca"))
    whiten = ["--normalize", "center", "--whiten", "zca", "--whiten-scope", "image", "--stats", stats]
    # With --size every image's length is known: the plan is refused.
    result = normtool_run(normtool, "shard", "plan", corpus, tmp_path / "sized", "--shards", 2, "--size", "8", *whiten)
    assert result.returncode == 1, result.stderr
    assert f"{stats}: its whitening is for vectors of 768 values; 8x8x3 images give 192" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "sized" / "plan.json").exists()
    # Without it, the first image of another length stops its task, and the task writes nothing.
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", corpus, run, "--shards", 2, *whiten, check=True)
    result = normtool_run(normtool, "shard", "run", run, "--index", 0, "--pass", "all", "--jobs", 1)
    assert result.returncode == 1, result.stderr
    assert f"{stats}: its whitening is for vectors of 768 values; " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list((run / "parts").glob("0.*npy")) and not (run / "parts" / "0.all.json").exists()


def test_a_changed_copy_of_a_saved_matrix_stops_tasks_and_finalize(normtool, corpus, tmp_path):
    options = whiten_options("channel", "zca")
    with_stats = [*options, "--stats", str(saved_training_stats(normtool, tmp_path, options))]
    run = sharded(normtool, corpus, tmp_path / "run", 2, *with_stats)
    copy = run / "whitening.npz"
    with np.load(copy) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["whitening"] = arrays["whitening"] * 2
    np.savez(copy, **arrays)
    message = f"{copy}: not the matrix the plan was made with"
    result = normtool_run(normtool, "shard", "finalize", run, tmp_path / "out")
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()
    (run / "parts" / "0.all.json").unlink(missing_ok=True)
    for marker in (run / "parts").glob("0.*.json"):
        marker.unlink()
    result = normtool_run(normtool, "shard", "run", run, "--index", 0, "--pass", "all", "--jobs", 1)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    # Planning again with the same options copies the file's matrix back; the run completes.
    normtool_run(normtool, "shard", "plan", corpus, run, "--shards", 2, *with_stats, check=True)
    run_all_shards(normtool, run, 2)
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "out", check=True)
