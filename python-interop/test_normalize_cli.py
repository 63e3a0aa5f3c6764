"""normtool normalize against NumPy (issue 16 items 2 and 5, docs/design.md §5, §6).

The reference is the hand-written NumPy way: a.astype(float64), statistics over `axes` with
keepdims, std' = max(std, 1/sqrt(n)), the mode's formula, .astype(dtype). Tolerance: the
statistics agree to rtol 1e-12 (ours merge per-run moments, NumPy sums pairwise); the output
values are compared with rtol 1e-6, atol 1e-6 for float32 (float64: 1e-12; float16: NumPy's
own float16 rounding of the float64 result, 1 ulp), and in practice are bit-identical.
"""
import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest

MODES = ["standardize", "center", "positive", "minmax"]
TOLERANCE = {"float32": dict(rtol=1e-6, atol=1e-6), "float64": dict(rtol=1e-12, atol=1e-12),
             "float16": dict(rtol=1e-3, atol=1e-3)}


def run(normtool, *args):
    return subprocess.run([normtool, "normalize", *map(str, args)], capture_output=True, text=True)


def reference(a, mode, axes, stats=None):
    """The NumPy way; `stats` (mean, std, min, max, count) replaces the array's own."""
    x = np.asarray(a).astype(np.float64)
    axes = tuple(range(x.ndim)) if axes is None else axes
    if stats is None:
        mean = x.mean(axis=axes, keepdims=True)
        std = x.std(axis=axes, keepdims=True)
        low, high = x.min(axis=axes, keepdims=True), x.max(axis=axes, keepdims=True)
        count = np.prod([x.shape[i] for i in axes]) if axes else 1
    else:
        kept = [1 if i in axes else n for i, n in enumerate(x.shape)]
        mean, std, low, high = (np.asarray(stats[k], np.float64).reshape(kept) for k in ("mean", "std", "min", "max"))
        count = np.asarray(stats["count"], np.float64).reshape(kept)
    std_prime = np.maximum(std, 1 / np.sqrt(count))
    if mode == "standardize":
        return (x - mean) / std_prime
    if mode == "center":
        return x - mean
    if mode == "positive":
        return (np.clip((x - mean) / std_prime, -1, 1) + 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(high == low, 0.0, (x - low) / (high - low))


def volume(shape=(50, 50, 50), dtype=np.float64, seed=0):
    return np.random.default_rng(seed).normal(3, 2, shape).astype(dtype)


AXES = [None, (0,), (1, 2), (0, 2), (2,), (0, 1, 2)]


@pytest.mark.parametrize("mode,axes", list(itertools.product(MODES, AXES)))
def test_every_mode_and_axes_matches_numpy(normtool, tmp_path, mode, axes):
    a = volume((12, 9, 7), seed=len(mode) + (len(axes) if axes else 0))
    a[3, :, :] = 4.0  # a constant slice: std' floors at 1/sqrt(n), minmax gives 0
    np.save(tmp_path / "in.npy", a)
    args = [tmp_path / "in.npy", tmp_path / "out.npy", "--normalize", mode, "--save-stats", tmp_path / "s.json"]
    if axes is not None:
        args += ["--axes", ",".join(map(str, axes))]
    result = run(normtool, *args)
    assert result.returncode == 0, result.stderr
    out = np.load(tmp_path / "out.npy", allow_pickle=False)
    expected = reference(a, mode, axes).astype(np.float32)
    assert out.dtype == np.float32 and out.shape == a.shape
    np.testing.assert_allclose(out, expected, **TOLERANCE["float32"])
    stats = json.loads((tmp_path / "s.json").read_text())
    reduced = tuple(range(a.ndim)) if axes is None else axes
    assert stats["axes"] == list(reduced)
    np.testing.assert_allclose(stats["mean"], a.mean(axis=reduced).ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(stats["std"], a.std(axis=reduced).ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(stats["min"], a.min(axis=reduced).ravel())
    np.testing.assert_array_equal(stats["max"], a.max(axis=reduced).ravel())


def test_the_seeds_volume_whole_and_slice_by_slice(normtool, tmp_path):
    """The seeds' question: a (50, 50, 50) volume, standardized over the whole volume or per
    slice along axis 0 (--axes 1,2)."""
    a = volume()
    np.save(tmp_path / "vol.npy", a)
    assert run(normtool, tmp_path / "vol.npy", tmp_path / "whole.npy").returncode == 0
    assert run(normtool, tmp_path / "vol.npy", tmp_path / "slices.npy", "--axes", "1,2").returncode == 0
    whole, slices = np.load(tmp_path / "whole.npy"), np.load(tmp_path / "slices.npy")
    np.testing.assert_allclose(whole, reference(a, "standardize", None).astype(np.float32), **TOLERANCE["float32"])
    np.testing.assert_allclose(slices, reference(a, "standardize", (1, 2)).astype(np.float32), **TOLERANCE["float32"])
    assert abs(float(whole.astype(np.float64).mean())) < 1e-6
    np.testing.assert_allclose(slices.astype(np.float64).std(axis=(1, 2)), 1, rtol=1e-5)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("source", ["uint8", "int16", "float32", "bool"])
def test_input_and_output_dtypes(normtool, tmp_path, dtype, source):
    rng = np.random.default_rng(7)
    a = (rng.random((6, 5, 4)) > 0.5) if source == "bool" else (rng.random((6, 5, 4)) * 200).astype(source)
    np.save(tmp_path / "in.npy", a)
    result = run(normtool, tmp_path / "in.npy", tmp_path / "out.npy", "--dtype", dtype, "--axes", "0,1")
    assert result.returncode == 0, result.stderr
    out = np.load(tmp_path / "out.npy")
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(out, reference(a, "standardize", (0, 1)).astype(dtype), **TOLERANCE[dtype])


def test_npz_member_fortran_order_and_zero_d(normtool, tmp_path):
    a = volume((8, 6, 5))
    np.savez_compressed(tmp_path / "in.npz", x=a, classes=np.array(["a"]), files=np.array(["f"]))
    result = run(normtool, tmp_path / "in.npz", tmp_path / "out.npz", "--axes", "0")
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "out.npz") as out:
        assert out.files == ["x"]
        np.testing.assert_allclose(out["x"], reference(a, "standardize", (0,)).astype(np.float32), **TOLERANCE["float32"])
    f = np.asfortranarray(a)
    np.save(tmp_path / "f.npy", f)
    assert run(normtool, tmp_path / "f.npy", tmp_path / "fo.npy", "--axes", "2", "--normalize", "minmax").returncode == 0
    np.testing.assert_allclose(np.load(tmp_path / "fo.npy"), reference(f, "minmax", (2,)).astype(np.float32),
                               **TOLERANCE["float32"])
    np.save(tmp_path / "s.npy", np.float64(2.5))
    assert run(normtool, tmp_path / "s.npy", tmp_path / "so.npy", "--normalize", "center").returncode == 0
    assert np.load(tmp_path / "so.npy").shape == () and float(np.load(tmp_path / "so.npy")) == 0.0


def test_stats_file_from_training_array_applies_to_test_array(normtool, tmp_path):
    train, test = volume((10, 4, 3), seed=1), volume((5, 4, 3), seed=2)
    np.save(tmp_path / "train.npy", train)
    np.save(tmp_path / "test.npy", test)
    assert run(normtool, tmp_path / "train.npy", tmp_path / "train_n.npy", "--axes", "0,1",
               "--save-stats", tmp_path / "stats.json").returncode == 0
    stats = json.loads((tmp_path / "stats.json").read_text())
    for mode in MODES:
        result = run(normtool, tmp_path / "test.npy", tmp_path / "test_n.npy", "--axes", "0,1", "--stats",
                     tmp_path / "stats.json", "--normalize", mode)
        assert result.returncode == 0, result.stderr
        np.testing.assert_allclose(np.load(tmp_path / "test_n.npy"),
                                   reference(test, mode, (0, 1), stats).astype(np.float32), **TOLERANCE["float32"])
    # normtool stats --json output is accepted too.
    line = subprocess.run([normtool, "stats", tmp_path / "train.npy", "--axes", "0,1", "--json"],
                          capture_output=True, text=True, check=True).stdout
    (tmp_path / "line.json").write_text(line)
    assert run(normtool, tmp_path / "test.npy", tmp_path / "t2.npy", "--axes", "0,1", "--stats",
               tmp_path / "line.json").returncode == 0
    np.testing.assert_allclose(np.load(tmp_path / "t2.npy"),
                               reference(test, "standardize", (0, 1), stats).astype(np.float32), **TOLERANCE["float32"])
    # Statistics of another shape are refused, naming the file.
    bad = run(normtool, tmp_path / "test.npy", tmp_path / "t3.npy", "--axes", "0", "--stats", tmp_path / "stats.json")
    assert bad.returncode == 1 and "stats.json" in bad.stderr and "expected 12 statistics" in bad.stderr
    assert not (tmp_path / "t3.npy").exists()


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if "partial" in p.name or p.name.startswith("."))


def test_bad_input_one_line_nothing_written(normtool, tmp_path):
    a = volume((4, 3, 2))
    a[2, 1, 0] = np.nan
    np.save(tmp_path / "nan.npy", a)
    (tmp_path / "out.npy").write_bytes(b"keep me")
    result = run(normtool, tmp_path / "nan.npy", tmp_path / "out.npy", "--save-stats", tmp_path / "s.json")
    assert result.returncode == 1
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1 and "nan.npy" in lines[0] and "non-finite" in lines[0] and "[2, 1, 0]" in lines[0]
    assert (tmp_path / "out.npy").read_bytes() == b"keep me" and not (tmp_path / "s.json").exists()
    # With a stats file the non-finite value is found while writing: still nothing written.
    np.save(tmp_path / "ok.npy", volume((4, 3, 2)))
    assert run(normtool, tmp_path / "ok.npy", tmp_path / "o.npy", "--save-stats", tmp_path / "s.json").returncode == 0
    infinite = volume((4, 3, 2))
    infinite[3, 2, 1] = -np.inf
    np.save(tmp_path / "inf.npy", infinite)
    result = run(normtool, tmp_path / "inf.npy", tmp_path / "out.npy", "--stats", tmp_path / "s.json")
    assert result.returncode == 1 and "-inf" in result.stderr and "[3, 2, 1]" in result.stderr
    assert (tmp_path / "out.npy").read_bytes() == b"keep me"
    assert leftovers(tmp_path) == []
    # Other refusals: one line, non-zero, nothing written.
    np.save(tmp_path / "c.npy", np.zeros(3, np.complex64))
    (tmp_path / "junk.npy").write_bytes(b"\x93NUMPY\x01\x00\xff")
    cases = [
        ([tmp_path / "missing.npy", tmp_path / "n1.npy"], 1, "no such file"),
        ([tmp_path / "junk.npy", tmp_path / "n1.npy"], 1, "junk.npy"),
        ([tmp_path / "c.npy", tmp_path / "n1.npy"], 1, "complex64"),
        ([tmp_path / "ok.npy", tmp_path / "ok.npy"], 1, "is the IN file"),
        ([tmp_path / "ok.npy", tmp_path / "n1.npy", "--axes", "3"], 64, "--axes"),
        ([tmp_path / "ok.npy", tmp_path / "n1.npy", "--normalize", "scale"], 64, "does not apply to arrays"),
        ([tmp_path / "ok.npy", tmp_path / "n1.npy", "--dtype", "uint8"], 64, "float dtype"),
        ([tmp_path / "ok.npy", tmp_path / "nofolder" / "n1.npy"], 1, "nofolder"),
    ]
    for args, status, fragment in cases:
        result = run(normtool, *args)
        assert result.returncode == status, (args, result.stderr)
        assert fragment in result.stderr, (args, result.stderr)
        if status == 1:
            assert len(result.stderr.strip().split("\n")) == 1, result.stderr
        assert not (tmp_path / "n1.npy").exists()
    assert leftovers(tmp_path) == []


def test_memory_stays_below_the_array_size(normtool, tmp_path):
    """A 48 MB array normalized per column: both passes stream it, so the peak resident size
    stays well under the array's size plus its float32 output (about 60 MB measured)."""
    np.save(tmp_path / "a.npy", np.random.default_rng(9).random(12_000_000, dtype=np.float32).reshape(-1, 1000))
    probe = ("import resource, subprocess, sys\n"
             "status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
             "print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n")
    status, megabytes = subprocess.run(
        [sys.executable, "-c", probe, normtool, "normalize", tmp_path / "a.npy", tmp_path / "o.npy", "--axes", "0"],
        capture_output=True, text=True, check=True).stdout.split()
    assert int(status) == 0
    assert int(megabytes) < 85, f"peak RSS {megabytes} MB for a 48 MB array"


def test_saved_statistics_follow_the_schema(normtool, tmp_path):
    """--save-stats writes a file of docs/stats-schema.json (checked as test_stats_files does)."""
    from test_stats_files import SCHEMA, schema_errors
    np.save(tmp_path / "a.npy", volume((5, 4, 3)))
    assert run(normtool, tmp_path / "a.npy", tmp_path / "o.npy", "--axes", "0,1",
               "--save-stats", tmp_path / "s.json").returncode == 0
    saved = json.loads((tmp_path / "s.json").read_text())
    assert schema_errors(saved, SCHEMA) == [] and saved["shape"] == [3] and saved["count"] == [20, 20, 20]
