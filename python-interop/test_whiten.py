"""convert --whiten pca|zca --whiten-scope channel|image against the NumPy reference: the
covariance `Xc.T @ Xc / n` of the pixels (X = p / 255, Xc = X - X.mean(0)), `np.linalg.eigh`,
Keras's `ImageDataGenerator.fit` formula for ZCA (`(u * s_inv) @ u.T`, s_inv = 1/sqrt(s + eps))
and `diag(s_inv) @ u.T` for PCA (components largest first). Checked: the mean and eigenvalues,
the matrix (within 1e-6 relative; sign- and rotation-invariant for PCA), the whitened output
(within 1e-5), identity covariance of the whitened training data, the saved matrix reused with
--stats FILE on test data, and the refusals (D > 4096, options that do not compose)."""
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "Samples" / "images"
EPS = 1e-6


def run(normtool, *args, ok=True):
    result = subprocess.run([normtool, *map(str, args)], capture_output=True, text=True)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def make_cifar(out, count, seed):
    """`count` 32x32 RGB PNGs in 3 classes: random crops of the sample photographs, resized
    with Pillow (CIFAR-sized images with natural image statistics)."""
    rng = np.random.default_rng(seed)
    photos = [Image.open(p).convert("RGB") for p in sorted(SAMPLES.rglob("*.jpg"))]
    assert photos, "no sample photographs"
    for i in range(count):
        photo = photos[rng.integers(len(photos))]
        w, h = photo.size
        side = int(rng.integers(24, min(w, h)))
        left, top = int(rng.integers(0, w - side + 1)), int(rng.integers(0, h - side + 1))
        tile = photo.crop((left, top, left + side, top + side)).resize((32, 32), Image.BILINEAR)
        folder = out / f"class{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        tile.save(folder / f"{i:05d}.png")
    return out


def pixels(normtool, folder, tmp, *size):
    """The uint8 pixels normtool decodes (`--normalize none`), the reference's input."""
    out = tmp / f"raw-{folder.name}.npz"
    run(normtool, "convert", folder, "-o", out, "--normalize", "none", *size, "--quiet")
    with np.load(out) as data:
        return data["x"]


class Reference:
    """The NumPy reference fit for (n, H, W, C) uint8 pixels."""

    def __init__(self, p, scope):
        x = p.astype(np.float64) / 255
        self.shape = p.shape[1:]
        self.x = x.reshape(-1, p.shape[-1]) if scope == "channel" else x.reshape(len(p), -1)
        # The exact mean (integer sums, one rounding): x.mean(axis=0) would add NumPy's
        # float64 summation error (1e-11 over millions of pixels) to the reference.
        self.mean = p.reshape(len(self.x), -1).sum(axis=0, dtype=np.int64) / (255.0 * len(self.x))
        xc = self.x - self.mean
        sigma = xc.T @ xc / len(xc)
        s, u = np.linalg.eigh(sigma)
        self.eigenvalues, self.u = s[::-1], u[:, ::-1]
        self.s_inv = 1.0 / np.sqrt(self.eigenvalues[np.newaxis] + EPS)

    def matrix(self, method):
        return (self.u * self.s_inv) @ self.u.T if method == "zca" else (self.u * self.s_inv).T

    def whiten(self, p, method, matrix=None):
        """`((p / 255 - mean) @ W.T)` shaped as normtool writes it (nhwc; (n, D) for image PCA).
        For PCA, whose components' signs are free, pass normtool's matrix once check_matrix
        has matched it to the reference."""
        d = len(self.mean)
        w = self.matrix(method) if matrix is None else matrix
        y = (p.astype(np.float64).reshape(-1, d) / 255 - self.mean) @ w.T
        return y.reshape(len(p), -1) if (d > p.shape[-1] and method == "pca") else y.reshape(p.shape)


def relative_error(a, b):
    return np.abs(a - b).max() / np.abs(b).max()


def check_matrix(data, ref, method):
    w = data["whitening"]
    assert w.dtype == np.float64 and w.shape == (len(ref.mean),) * 2
    np.testing.assert_allclose(data["whitening_mean"], ref.mean, rtol=1e-12, atol=0)
    # Eigenvalues: each within 1e-9 of the largest (LAPACK's backward error is relative to ||Σ||).
    np.testing.assert_allclose(data["whitening_eigenvalues"], ref.eigenvalues, rtol=0,
                               atol=1e-9 * ref.eigenvalues[0])
    if method == "zca":
        assert relative_error(w, ref.matrix("zca")) < 1e-6
    else:
        # Signs (and rotations within repeated eigenvalues) are free; W = diag(1/sqrt(s+eps)) U.T
        # gives W.T diag(sqrt(s+eps)) W = U diag(1/sqrt(s+eps)) U.T, the ZCA matrix, which is not.
        wr = ref.matrix("pca")
        assert relative_error(w.T @ (np.sqrt(ref.eigenvalues + EPS)[:, np.newaxis] * w), ref.matrix("zca")) < 1e-6
        # Each component whose eigenvalue is well separated matches up to its sign.
        s = ref.eigenvalues
        gaps = np.minimum(np.abs(np.diff(s, prepend=np.inf)), np.abs(np.diff(s, append=-np.inf)))
        separated = np.flatnonzero(gaps > 1e-3 * s[0])
        assert len(separated) >= 1
        for i in separated:
            sign = np.sign(w[i] @ wr[i])
            assert relative_error(sign * w[i], wr[i]) < 1e-6, i


def check_identity_covariance(x, ref, scope, method, tolerance):
    y = x.astype(np.float64).reshape(-1, ref.x.shape[1]) if scope == "channel" else \
        x.astype(np.float64).reshape(len(x), -1)
    yc = y - y.mean(axis=0)
    covariance = yc.T @ yc / len(yc)
    # With eps the expected covariance is diag(s / (s + eps)) in the components (PCA), and
    # U diag(s / (s + eps)) U.T for ZCA: the identity wherever s >> eps.
    shrink = ref.eigenvalues / (ref.eigenvalues + EPS)
    expected = np.diag(shrink) if method == "pca" else (ref.u * shrink) @ ref.u.T
    assert np.abs(covariance - expected).max() < tolerance
    strong = ref.eigenvalues > 100 * EPS
    assert strong.sum() >= min(3, len(strong))
    components = covariance if method == "pca" else ref.u.T @ covariance @ ref.u
    assert np.abs(components[np.ix_(strong, strong)] - np.eye(strong.sum())).max() < tolerance + 0.01


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
