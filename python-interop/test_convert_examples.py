"""The training example (Examples/load_for_training.py) runs on normtool's output of the
checked-in Samples, and the test set reuses the training statistics."""
import json
import pathlib
import subprocess
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "Samples" / "images"


def test_samples_convert_without_options(normtool, tmp_path):
    """The README's first command: no options at all."""
    out = tmp_path / "samples.npz"
    result = subprocess.run([normtool, "convert", str(SAMPLES), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with np.load(out, allow_pickle=False) as z:
        assert z["x"].shape == (36, 96, 128, 3) and z["x"].dtype == np.float32
        assert list(z["classes"]) == ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
        x = z["x"].astype(np.float64)
        assert np.allclose(x.mean(axis=(0, 1, 2)), 0, atol=1e-6)
        assert np.allclose(x.std(axis=(0, 1, 2)), 1, atol=1e-6)


def test_training_example(normtool, tmp_path):
    train, test, stats = tmp_path / "train.npz", tmp_path / "test.npz", tmp_path / "train-stats.json"
    for args in (["-o", str(train), "--save-stats", str(stats)], ["-o", str(test), "--stats", str(stats)]):
        result = subprocess.run([normtool, "convert", str(SAMPLES), "--size", "32", *args],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert json.loads(stats.read_text())["images"] == 36
    result = subprocess.run([sys.executable, str(ROOT / "Examples" / "load_for_training.py"), str(train), str(test)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "train: x float32 (36, 32, 32, 3), 5 classes" in result.stdout
    assert "normalized with the training statistics" in result.stdout
    accuracy = float(result.stdout.strip().splitlines()[-1].split()[-1])
    assert accuracy > 0.5  # a linear model memorizes 36 images
