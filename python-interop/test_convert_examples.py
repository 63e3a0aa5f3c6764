"""The examples a new user runs: the README's shell and Python blocks run as written on a
fresh clone (with /tmp moved to a test folder and `normtool` the built binary), and the
training example (Examples/load_for_training.py) runs on normtool's output of the
checked-in Samples, reusing the training statistics on the test set."""
import json
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "Samples" / "images"
README = ROOT / "README.md"

# README shell lines that install things or run the other suites: they must stay in the
# README (checked below) but are not run here.
NOT_RUN = [
    "make test",
    "sudo apt-get install zlib1g-dev libjpeg-dev libpng-dev libwebp-dev libtiff-dev libdeflate-dev libopenblas-dev liblapacke-dev pkg-config",
    "swift build -c release",
    "install .build/release/normtool /usr/local/bin/",
]
SUBCOMMANDS = {"convert", "plan", "shard", "presets", "stats", "inspect", "recode", "compare", "normalize", "preview", "report"}


def fenced_blocks(text):
    """(language, code) of every fenced block, in order, with the fence's indentation removed."""
    blocks, current = [], None
    for line in text.splitlines():
        fence = re.match(r"^( *)```(\w*)\s*$", line)
        if current is None and fence:
            current = (fence.group(2), len(fence.group(1)), [])
        elif current is not None and fence and not fence.group(2):
            blocks.append((current[0], "\n".join(current[2]) + "\n"))
            current = None
        elif current is not None:
            current[2].append(line[current[1]:])
    assert current is None, "README.md: a code block is not closed"
    return blocks


def as_test_script(code, work):
    """The block with /tmp moved to `work`, `swift run -c release normtool` and `normtool`
    the built binary, and python3 the running interpreter; NOT_RUN lines left out."""
    lines = []
    for line in code.splitlines():
        if line.strip() in NOT_RUN:
            continue
        line = line.replace("/tmp/", f"{work}/")
        line = re.sub(r"^(\s*)swift run -c release normtool ", r"\1normtool ", line)
        line = re.sub(r"^(\s*)python3 ", rf"\1{sys.executable} ", line)
        lines.append(line)
    return "\n".join(lines) + "\n"


def normtool_commands(code):
    """The normtool command lines of a block, as `normtool SUBCOMMAND ...`."""
    return [re.sub(r"^swift run -c release ", "", line.strip()) for line in code.splitlines()
            if re.match(r"\s*(swift run -c release )?normtool \w", line)]


def test_readme_examples_run_on_a_fresh_clone(normtool, tmp_path):
    text = README.read_text()
    blocks = fenced_blocks(text)
    shell = [code for language, code in blocks if language == "sh"]
    python = [code for language, code in blocks if language == "python"]
    commands = [c for code in shell for c in normtool_commands(code)]
    # The README's first lines: the main job, then the whole test suite.
    assert blocks[0] == ("sh", "swift run -c release normtool convert Samples/images -o /tmp/samples.npz\nmake test\n")
    assert {c.split()[1] for c in commands} == SUBCOMMANDS
    assert len(commands) >= 7 and python
    for line in NOT_RUN:
        assert any(line in code.splitlines() for code in shell), f"NOT_RUN line no longer in README.md: {line}"
    assert "../shared" not in text, "the README must not depend on ../shared"
    assert "--overwrite`" not in text.replace("npyio_bench.py --overwrite`", ""), "normtool has no --overwrite"

    work = tmp_path / "tmp"
    work.mkdir()
    # Run from a folder that looks like the clone's root, so relative paths resolve but
    # nothing can be written into the repository.
    clone = tmp_path / "clone"
    clone.mkdir()
    for entry in ["Samples", "Examples"]:
        (clone / entry).symlink_to(ROOT / entry)
    prelude = f'set -euo pipefail\nnormtool() {{ "{normtool}" "$@"; }}\n'
    for code in [c for language, c in blocks if language in ("sh", "python")]:
        language = "sh" if code in shell else "python"
        script = as_test_script(code, work)
        run = (subprocess.run(["bash", "-c", prelude + script], cwd=clone, capture_output=True, text=True)
               if language == "sh" else
               subprocess.run([sys.executable, "-c", script], cwd=clone, capture_output=True, text=True))
        assert run.returncode == 0, f"README block failed:\n{code}\nstderr: {run.stderr[-3000:]}"
        if "x.std(axis=(0, 1, 2), dtype=np.float64)" in code:
            printed = [float(v) for v in re.findall(r"[-\d.e]+", run.stdout.strip().splitlines()[-1])]
            assert len(printed) == 3 and np.allclose(printed, 1, atol=1e-6), run.stdout
    # Every output the README's commands name was made.
    for command in commands:
        args = command.split()
        outputs = [args[args.index("-o") + 1]] if "-o" in args else []
        outputs += args[3:4] if args[1] in ("recode", "normalize") else []
        for output in outputs:
            assert (work / output.removeprefix("/tmp/")).exists(), f"{command}: no {output}"
    assert sorted(p.name for p in (work / "split").iterdir()) == ["test", "train"]
    assert sorted(p.name for p in (work / "sharded" / "x").iterdir()) == ["0.npy", "1.npy", "2.npy", "info"]
    with np.load(work / "test.npz", allow_pickle=False) as test:
        assert 0 < len(test["x"]) < 36 and list(test["classes"]) == sorted(p.name for p in SAMPLES.iterdir())


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


def numbers_after(label, stdout):
    """The two lists printed on the line starting with `label`: mean [...] std [...]."""
    line = next(line for line in stdout.splitlines() if line.startswith(label))
    return [json.loads(found) for found in re.findall(r"\[[^\]]*\]", line)]


def test_training_example(normtool, tmp_path):
    """At the samples' own size (442,368 values per channel) a float32 sum says std 0.9997;
    the example computes its check in float64, so it prints what is true: 1.0."""
    train, test, stats = tmp_path / "train.npz", tmp_path / "test.npz", tmp_path / "train-stats.json"
    for args in (["-o", str(train), "--save-stats", str(stats)], ["-o", str(test), "--stats", str(stats)]):
        result = subprocess.run([normtool, "convert", str(SAMPLES), *args], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert json.loads(stats.read_text())["images"] == 36
    result = subprocess.run([sys.executable, str(ROOT / "Examples" / "load_for_training.py"), str(train), str(test)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "train: x float32 (36, 96, 128, 3), 5 classes ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']" \
        in result.stdout
    mean, std = numbers_after("train: after standardization", result.stdout)
    assert len(mean) == len(std) == 3
    assert np.allclose(mean, 0, atol=1e-4) and np.allclose(std, 1, atol=1e-4), result.stdout
    assert "normalized with the training statistics" in result.stdout
    accuracy = float(result.stdout.strip().splitlines()[-1].split()[-1])
    assert accuracy > 0.5  # a linear model memorizes 36 images


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_channel_moments_accumulate_in_float64(dtype):
    sys.path.insert(0, str(ROOT / "Examples"))
    try:
        import load_for_training
    finally:
        sys.path.pop(0)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((40, 96, 128, 3)).astype(dtype)
    mean, std = load_for_training.channel_moments(x)
    exact = x.astype(np.float64)
    assert mean.dtype == std.dtype == np.float64
    np.testing.assert_allclose(mean, exact.mean(axis=(0, 1, 2)), rtol=0, atol=1e-12)
    np.testing.assert_allclose(std, exact.std(axis=(0, 1, 2)), rtol=1e-12)
