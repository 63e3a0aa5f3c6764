"""convert --whiten pca|zca --whiten-scope channel|image against the NumPy reference: the
covariance `Xc.T @ Xc / n` of the pixels (X = p / 255, Xc = X - X.mean(0)), `np.linalg.eigh`,
Keras's `ImageDataGenerator.fit` formula for ZCA (`(u * s_inv) @ u.T`, s_inv = 1/sqrt(s + eps))
and `diag(s_inv) @ u.T` for PCA (components largest first). Checked: the mean and eigenvalues,
the matrix (within 1e-6 relative; sign- and rotation-invariant for PCA), the whitened output
(within 1e-5), identity covariance of the whitened training data, the saved matrix reused with
--stats FILE on test data, and the refusals (D > 4096, options that do not compose)."""
import json
import os

import numpy as np
import pytest
from PIL import Image

from whiten_reference import (EPS, SAMPLES, Reference, check_identity_covariance, check_matrix, make_cifar,
                              pixels, relative_error, run)


@pytest.fixture(scope="module")
def cifar(tmp_path_factory):
    """3500 CIFAR-sized training images (n > D = 3072, a full-rank image covariance) and 300 test images."""
    base = tmp_path_factory.mktemp("cifar")
    return make_cifar(base / "train", 3500, seed=1), make_cifar(base / "test", 300, seed=2), base


@pytest.fixture(scope="module")
def cifar_pixels(normtool, cifar):
    train, test, base = cifar
    return pixels(normtool, train, base), pixels(normtool, test, base)


@pytest.fixture(scope="module")
def references(cifar_pixels):
    train, _ = cifar_pixels
    return {scope: Reference(train, scope) for scope in ("channel", "image")}


@pytest.mark.parametrize("scope", ["channel", "image"])
@pytest.mark.parametrize("method", ["zca", "pca"])
def test_cifar_whitening_matches_numpy(normtool, cifar, cifar_pixels, references, tmp_path, method, scope):
    train, test, _ = cifar
    ref = references[scope]
    out = tmp_path / "train.npz"
    stats = tmp_path / "train-stats.json"
    run(normtool, "convert", train, "-o", out, "--normalize", "center", "--whiten", method,
        "--whiten-scope", scope, "--save-stats", stats, "--quiet")
    with np.load(out) as data:
        check_matrix(data, ref, method)
        x, w = data["x"], data["whitening"]
        assert "mean" not in data.files and "std" not in data.files
    assert x.dtype == np.float32
    own = w if method == "pca" else None
    expected = ref.whiten(cifar_pixels[0], method, own)
    assert x.shape == expected.shape
    assert relative_error(x, expected) < 1e-5
    check_identity_covariance(x, ref, scope, method, 1e-3 if scope == "channel" else 1e-2)

    # The saved matrix whitens the test set: --stats FILE reads stats.json and its sidecar .npz.
    record = json.loads(stats.read_text())["whitening"]
    assert record == {"method": method, "scope": scope, "epsilon": EPS, "dimension": len(ref.mean),
                      "vectors": len(ref.x), "file": "train-stats.whitening.npz"}
    test_out = tmp_path / "test.npz"
    run(normtool, "convert", test, "-o", test_out, "--normalize", "center", "--whiten", method,
        "--whiten-scope", scope, "--stats", stats, "--quiet")
    with np.load(test_out) as data:
        assert relative_error(data["x"], ref.whiten(cifar_pixels[1], method, own)) < 1e-5
        np.testing.assert_array_equal(data["whitening"], np.load(out)["whitening"])


def test_directory_output_stats_json_reuses_its_own_arrays(normtool, cifar, cifar_pixels, references, tmp_path):
    train, test, _ = cifar
    out = tmp_path / "train"
    run(normtool, "convert", train, "-o", out, "--normalize", "center", "--whiten", "zca", "--layout", "nchw",
        "--quiet")
    names = sorted(os.listdir(out))
    assert {"whitening.npy", "whitening_eigenvalues.npy", "whitening_mean.npy", "stats.json"} <= set(names)
    assert json.loads((out / "stats.json").read_text())["whitening"]["file"] == "whitening.npy"
    expected = references["channel"].whiten(cifar_pixels[0], "zca").transpose(0, 3, 1, 2)
    assert relative_error(np.load(out / "x.npy"), expected) < 1e-5
    test_out = tmp_path / "test.npy"
    run(normtool, "convert", test, "-o", test_out, "--normalize", "center", "--whiten", "zca", "--layout", "nchw",
        "--stats", out / "stats.json", "--quiet")
    expected = references["channel"].whiten(cifar_pixels[1], "zca").transpose(0, 3, 1, 2)
    assert relative_error(np.load(test_out), expected) < 1e-5


@pytest.mark.parametrize("method", ["zca", "pca"])
def test_samples_channel_whitening_matches_numpy(normtool, tmp_path, method):
    p = pixels(normtool, SAMPLES, tmp_path, "--size", "96")
    ref = Reference(p, "channel")
    out = tmp_path / "samples.npz"
    run(normtool, "convert", SAMPLES, "-o", out, "--size", "96", "--normalize", "center", "--whiten", method,
        "--quiet")
    with np.load(out) as data:
        check_matrix(data, ref, method)
        own = data["whitening"] if method == "pca" else None
        assert relative_error(data["x"], ref.whiten(p, method, own)) < 1e-5
        check_identity_covariance(data["x"], ref, "channel", method, 1e-3)


def test_samples_image_zca_at_32_matches_numpy(normtool, tmp_path):
    """36 images, D = 3072: a rank-35 covariance, whitened with eps (Keras's case)."""
    p = pixels(normtool, SAMPLES, tmp_path, "--size", "32")
    ref = Reference(p, "image")
    out = tmp_path / "samples.npz"
    run(normtool, "convert", SAMPLES, "-o", out, "--size", "32", "--normalize", "center", "--whiten", "zca",
        "--whiten-scope", "image", "--dtype", "float64", "--quiet")
    with np.load(out) as data:
        check_matrix(data, ref, "zca")
        assert relative_error(data["x"], ref.whiten(p, "zca")) < 1e-5


def test_image_scope_above_4096_values_is_refused_with_the_memory_it_would_need(normtool, tmp_path):
    # With --size: refused before any image is decoded (64x64x3 = 12288 values).
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "x.npz", "--size", "64", "--normalize", "center",
                 "--whiten", "zca", "--whiten-scope", "image", ok=False)
    assert result.returncode == 64  # an option error: the message, then the usage
    first = result.stderr.splitlines()[0]
    assert "D = 12288" in first and "1.2 GB" in first and "--whiten-scope channel" in first
    # Without --size: refused at the first image (40x40x3 = 4800), nothing written.
    folder = tmp_path / "big" / "a"
    folder.mkdir(parents=True)
    for i in range(3):
        Image.new("RGB", (40, 40), (i, 2 * i, 3 * i)).save(folder / f"{i}.png")
    result = run(normtool, "convert", folder.parent, "-o", tmp_path / "y.npz", "--normalize", "center",
                 "--whiten", "pca", "--whiten-scope", "image", ok=False)
    assert result.returncode == 1
    assert "D = 4800" in result.stderr and "184.3 MB" in result.stderr and "--whiten-scope channel" in result.stderr
    assert not (tmp_path / "y.npz").exists()
    assert [n for n in os.listdir(tmp_path) if n.startswith(".")] == []
    # 32x32x4 would be 4096: gray 64x64 = 4096 values is the largest accepted.
    run(normtool, "convert", SAMPLES, "-o", tmp_path / "z.npz", "--size", "64", "--color", "gray",
        "--normalize", "center", "--whiten", "zca", "--whiten-scope", "image", "--quiet")


@pytest.mark.parametrize("args, message", [
    (["--whiten", "zca"], "--whiten zca needs --normalize center"),
    (["--normalize", "center", "--whiten", "zca", "--stats", "image"], "needs --stats dataset or a statistics file"),
    (["--normalize", "center", "--whiten", "zca", "--scope", "global"], "--scope global does not apply"),
    (["--normalize", "center", "--whiten", "zca", "--whiten-epsilon", "0"], "--whiten-epsilon: expected a finite number > 0"),
    (["--normalize", "center", "--whiten-scope", "image"], "need --whiten pca|zca"),
])
def test_options_that_do_not_compose_are_refused(normtool, tmp_path, args, message):
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "x.npz", "--size", "32", *args, ok=False)
    assert result.returncode == 64, result.stderr
    assert message in result.stderr
    assert not (tmp_path / "x.npz").exists()


def test_stats_file_without_or_with_another_whitening_is_refused(normtool, tmp_path):
    plain = tmp_path / "plain.json"
    run(normtool, "convert", SAMPLES, "-o", tmp_path / "a.npz", "--size", "32", "--normalize", "center",
        "--save-stats", plain, "--quiet")
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "b.npz", "--size", "32", "--normalize", "center",
                 "--whiten", "zca", "--stats", plain, ok=False)
    assert result.returncode == 1 and "the file has no whitening" in result.stderr
    zca = tmp_path / "zca.json"
    run(normtool, "convert", SAMPLES, "-o", tmp_path / "c.npz", "--size", "32", "--normalize", "center",
        "--whiten", "zca", "--save-stats", zca, "--quiet")
    assert (tmp_path / "zca.whitening.npz").exists()
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "d.npz", "--size", "32", "--normalize", "center",
                 "--whiten", "pca", "--stats", zca, ok=False)
    assert result.returncode == 1 and "its whitening is --whiten zca --whiten-scope channel" in result.stderr
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "e.npz", "--size", "16", "--normalize", "center",
                 "--whiten", "zca", "--whiten-scope", "image", "--stats", zca, ok=False)
    assert result.returncode == 1 and "its whitening is --whiten zca --whiten-scope channel" in result.stderr
    (tmp_path / "zca.whitening.npz").unlink()
    result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "f.npz", "--size", "32", "--normalize", "center",
                 "--whiten", "zca", "--stats", zca, ok=False)
    assert result.returncode == 1 and "zca.whitening.npz" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "b.npz").exists() and not (tmp_path / "f.npz").exists()


def test_a_whitening_record_that_does_not_fit_its_arrays_is_refused(normtool, tmp_path):
    stats = tmp_path / "zca.json"
    run(normtool, "convert", SAMPLES, "-o", tmp_path / "a.npz", "--size", "32", "--normalize", "center",
        "--whiten", "zca", "--save-stats", stats, "--quiet")
    report = json.loads(stats.read_text())
    for dimension, message in [(4, "expected a 4x4 whitening matrix"), (10**9, "expected a whitening \"dimension\"")]:
        report["whitening"]["dimension"] = dimension
        stats.write_text(json.dumps(report))
        result = run(normtool, "convert", SAMPLES, "-o", tmp_path / "b.npz", "--size", "32", "--normalize", "center",
                     "--whiten", "zca", "--stats", stats, ok=False)
        assert result.returncode == 1 and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "b.npz").exists()
