"""Examples/SoftmaxClassifier (issue 14 item 6): one gradient step equals NumPy's within 1e-6,
the features and the first batch are what NumPy computes, and the loss falls over epochs.

The example runs on normtool's 32x32 standardized output of Samples/images."""
import os
import re
import subprocess

import numpy as np
import pytest

from conftest import ROOT

SEED = 3
BATCH = 8
GRID = 4


@pytest.fixture(scope="module")
def classifier(normtool):
    path = os.path.join(os.path.dirname(normtool), "softmax-classifier")
    assert os.path.exists(path), f"softmax-classifier is not built at {path}: run 'swift build'"
    return path


@pytest.fixture(scope="module")
def dataset(normtool, tmp_path_factory):
    out = tmp_path_factory.mktemp("softmax") / "flowers.npz"
    subprocess.run([normtool, "convert", str(ROOT / "Samples/images"), "-o", str(out), "--size", "32"],
                   check=True, capture_output=True)
    return out


def numpy_step(features, labels, w, b, lr):
    z = features @ w + b
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    g = p.copy()
    g[np.arange(len(labels)), labels] -= 1
    g /= len(labels)
    return w - lr * (features.T @ g), b - lr * g.sum(axis=0)


def test_one_gradient_step_equals_numpys(classifier, dataset, tmp_path):
    dump = tmp_path / "step.npz"
    subprocess.run([classifier, str(dataset), "--epochs", "1", "--seed", str(SEED), "--batch-size", str(BATCH),
                    "--grid", str(GRID), "--step-dump", str(dump)], check=True, capture_output=True)
    with np.load(dataset) as data:
        x, y = data["x"], data["y"]
    with np.load(dump) as step:
        s = {name: step[name] for name in step.files}
    # The first batch is x[perm[:8]] for perm = default_rng(seed).permutation(n).
    perm = np.random.default_rng(SEED).permutation(len(x))
    np.testing.assert_array_equal(s["indices"], perm[:BATCH])
    np.testing.assert_array_equal(s["labels"], y[perm[:BATCH]])
    n, h, w, c = x.shape
    pooled = x[perm[:BATCH]].reshape(BATCH, GRID, h // GRID, GRID, w // GRID, c).mean(axis=(2, 4), dtype=np.float64)
    np.testing.assert_allclose(s["features"], pooled.reshape(BATCH, -1), rtol=0, atol=1e-9)
    # Initial weights: default_rng(seed + 1).normal(0, 0.01, (D, K)), zero bias.
    np.testing.assert_array_equal(s["w0"], np.random.default_rng(SEED + 1).normal(0, 0.01, s["w0"].shape))
    np.testing.assert_array_equal(s["b0"], np.zeros(s["b0"].shape))
    w1, b1 = numpy_step(s["features"], s["labels"], s["w0"], s["b0"], float(s["learning_rate"]))
    assert np.abs(s["w1"] - s["w0"]).max() > 1e-3  # the step moved the weights
    np.testing.assert_allclose(s["w1"], w1, rtol=0, atol=1e-6)
    np.testing.assert_allclose(s["b1"], b1, rtol=0, atol=1e-6)


def test_loss_falls_over_epochs(classifier, dataset):
    run = subprocess.run([classifier, str(dataset), "--epochs", "30", "--seed", str(SEED)],
                         check=True, capture_output=True, text=True)
    losses = [float(v) for v in re.findall(r"^epoch \d+ loss ([0-9.]+)", run.stdout, re.M)]
    assert len(losses) == 31
    assert losses[-1] < 0.75 * losses[0], losses
    assert sum(losses[21:]) < sum(losses[11:21]) < sum(losses[1:11]), losses


def test_bad_dataset_is_a_one_line_error(classifier, tmp_path):
    np.save(tmp_path / "x.npy", np.zeros((3, 32, 32, 3), np.float32))
    run = subprocess.run([classifier, str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and str(tmp_path) in run.stderr and "'y'" in run.stderr
