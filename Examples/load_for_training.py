"""Load a dataset written by `normtool convert` for training, with NumPy alone.

    swift run -c release normtool convert Samples/images -o /tmp/train.npz --save-stats /tmp/train-stats.json
    swift run -c release normtool convert Samples/images -o /tmp/test.npz --stats /tmp/train-stats.json
    python3 Examples/load_for_training.py /tmp/train.npz /tmp/test.npz

The training set is standardized with its own (exact, dataset-wide) statistics; the test
set is converted with `--stats train-stats.json`, i.e. with the *training* mean and std,
as the seeds advise ("apply this exact same mean to the test data"). Here a small softmax
classifier is trained on shuffled minibatches to show the pieces a training loop needs:
x (N, H, W, C) float32, y int64 labels, class names, and the statistics used.
"""
import sys

import numpy as np


def load(path):
    """x, y, class names, and the mean/std the normalization used."""
    with np.load(path, allow_pickle=False) as data:
        return data["x"], data["y"], data["classes"].tolist(), data["mean"], data["std"]


def channel_moments(x):
    """Per-channel mean and std of an (N, H, W, C) array, accumulated in float64.

    Summing hundreds of thousands of float32 values in float32 loses digits: NumPy's own
    x.std(axis=(0, 1, 2)) on a standardized float32 dataset can say 0.9997 where the true
    value is 1.0000. Statistics are always taken in float64 (dtype=np.float64)."""
    mean = x.mean(axis=(0, 1, 2), dtype=np.float64)
    std = x.std(axis=(0, 1, 2), dtype=np.float64)
    return mean, std


def rounded(values):
    """Rounded to 4 places as a plain list, -0.0 shown as 0.0."""
    return (np.round(values, 4) + 0.0).tolist()


def minibatches(x, y, batch_size, rng):
    """Shuffled (x, y) batches covering the set once (one epoch)."""
    order = rng.permutation(len(x))
    for start in range(0, len(x), batch_size):
        picked = order[start:start + batch_size]
        yield x[picked], y[picked]


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def train(x, y, classes, epochs=20, batch_size=8, learning_rate=0.05, seed=0):
    """A linear softmax classifier on the flattened pixels, trained by minibatch SGD."""
    rng = np.random.default_rng(seed)
    features = x.reshape(len(x), -1)
    weights = np.zeros((features.shape[1], len(classes)), dtype=np.float32)
    bias = np.zeros(len(classes), dtype=np.float32)
    for _ in range(epochs):
        for xb, yb in minibatches(features, y, batch_size, rng):
            p = softmax(xb @ weights + bias)
            p[np.arange(len(yb)), yb] -= 1.0  # gradient of cross-entropy w.r.t. the logits
            weights -= learning_rate * xb.T @ p / len(yb)
            bias -= learning_rate * p.mean(axis=0)
    return weights, bias


def accuracy(model, x, y):
    weights, bias = model
    predicted = (x.reshape(len(x), -1) @ weights + bias).argmax(axis=1)
    return float((predicted == y).mean())


def main(train_path, test_path=None):
    x, y, classes, mean, std = load(train_path)
    print(f"train: x {x.dtype} {x.shape}, {len(classes)} classes {classes}")
    print(f"train: per-class counts {np.bincount(y, minlength=len(classes)).tolist()}")
    print(f"train: statistics used mean {rounded(mean)} std {rounded(std)}")
    after_mean, after_std = channel_moments(x)
    print(f"train: after standardization mean {rounded(after_mean)} std {rounded(after_std)}")
    model = train(x, y, classes)
    print(f"train accuracy {accuracy(model, x, y):.3f}")
    if test_path:
        tx, ty, tclasses, tmean, tstd = load(test_path)
        assert tclasses == classes, "test classes differ from training classes"
        assert np.array_equal(tmean, mean) and np.array_equal(tstd, std), \
            "the test set must be normalized with the training statistics (--stats train-stats.json)"
        print(f"test: x {tx.shape}, normalized with the training statistics")
        print(f"test accuracy {accuracy(model, tx, ty):.3f}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
