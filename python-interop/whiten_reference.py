"""The NumPy reference for whitening (test_whiten.py, test_shard_whiten.py): CIFAR-sized test
images, the uint8 pixels normtool decodes, and the fit `Xc.T @ Xc / n`, `np.linalg.eigh`,
Keras's ZCA formula `(u * s_inv) @ u.T` (s_inv = 1/sqrt(s + eps)) and `diag(s_inv) @ u.T` for
PCA, with the checks of a fitted matrix and of whitened data."""
import pathlib
import subprocess

import numpy as np
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
