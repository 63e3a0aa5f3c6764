"""`normtool shard` with `--depth 16` (issues 11 and 13 together): a 16-bit plan split into
3 shards gives `normtool convert --depth 16`'s bytes, for a folder mixing 16-bit PNGs with
8-bit images (scaled by 257), standardized (two passes, with and without kept pixels, which
are uint16) and raw (uint16 x, one pass). The reference is convert's own output, which
test_depth16.py checks against NumPy; the plan records the depth, and a default plan does
not (so plans made before --depth existed hash the same)."""
import json
import pathlib
import sys

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import format_writers as fw  # noqa: E402
from shard_support import assert_same_dataset, copy_samples, normtool_run, run_all_shards  # noqa: E402

SIZE = ["--size", "24"]


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory):
    """The samples (8-bit JPEGs) plus 16-bit RGB PNGs of random samples in every class."""
    folder = copy_samples(tmp_path_factory.mktemp("corpus16") / "images", copies=1)
    rng = np.random.default_rng(16)
    for k, class_folder in enumerate(sorted(folder.iterdir())):
        for i in range(3):
            samples = rng.integers(0, 65536, (30 + i, 40 - i, 3), dtype=np.uint16)
            samples.flat[0], samples.flat[-1] = 0, 65535
            (class_folder / f"deep{k}{i}.png").write_bytes(fw.png16_bytes(samples))
    return folder


@pytest.mark.parametrize("options", [
    [],
    ["--keep-pixels"],
    ["--normalize", "none"],
    ["--channel-order", "bgr", "--normalize", "scale", "--dtype", "float64"],
], ids=["standardize", "standardize-kept-pixels", "none-uint16", "bgr-scale-float64"])
def test_depth16_plan_in_3_shards_is_byte_identical_to_convert(normtool, mixed_corpus, tmp_path, options):
    plan_options = [o for o in options if o != "--keep-pixels"]
    reference = tmp_path / "reference"
    normtool_run(normtool, "convert", mixed_corpus, "-o", reference, "--quiet", "--depth", "16", *SIZE,
                 *plan_options, check=True)
    run = tmp_path / "run"
    keep = ["--keep-pixels"] if "--keep-pixels" in options else []
    normtool_run(normtool, "shard", "plan", mixed_corpus, run, "--shards", 3, *keep, "--depth", "16", *SIZE,
                 *plan_options, check=True)
    plan = json.loads((run / "plan.json").read_text())
    assert '"depth": "16"' in json.dumps(plan), "the plan's options record --depth 16"
    run_all_shards(normtool, run, 3)
    if keep:
        pixels = np.load(run / "parts" / "0.pixels.npy")
        assert pixels.dtype == np.uint16 and pixels.max() > 255
    normtool_run(normtool, "shard", "finalize", run, tmp_path / "single", "--single", check=True)
    assert_same_dataset(tmp_path / "single", reference, single=True)
    x = np.load(reference / "x.npy")
    if plan_options == ["--normalize", "none"]:
        assert x.dtype == np.uint16 and x.max() == 65535
    # 16 bits really were kept: values that are not multiples of 257 (8-bit data x257) exist.
    raw = x if x.dtype == np.uint16 else None
    if raw is not None:
        assert np.any(raw % 257 != 0)


def test_a_default_plan_records_no_depth(normtool, mixed_corpus, tmp_path):
    run = tmp_path / "run"
    normtool_run(normtool, "shard", "plan", mixed_corpus, run, "--shards", 3, *SIZE, check=True)
    text = (run / "plan.json").read_text()
    assert '"depth"' not in text and '"draft"' not in text and '"alpha_background"' not in text


@pytest.mark.parametrize("options", [["--preset", "vgg16"], ["--scale", "255"]], ids=["preset", "scale-255"])
def test_depth16_with_an_8_bit_convention_is_refused_before_reading(normtool, mixed_corpus, tmp_path, options):
    for command in (["convert", mixed_corpus, "-o", tmp_path / "out.npz"],
                    ["shard", "plan", mixed_corpus, tmp_path / "run", "--shards", 3]):
        result = normtool_run(normtool, *command, "--depth", "16", *options)
        # A usage error (exit 64), its reason on the first line, as convert's other refusals.
        assert result.returncode == 64, result.stderr
        assert "--depth 16" in result.stderr.splitlines()[0], result.stderr
    assert not (tmp_path / "out.npz").exists() and not (tmp_path / "run" / "plan.json").exists()
