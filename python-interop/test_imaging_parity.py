"""Our decoder and resizer against Pillow on a generated corpus of every encoding.

Builds ~230 images in a temporary folder (gen_imaging_fixtures.write_encodings with several
seeds and scales, plus the EXIF orientation set), runs them through the built
`imaging-tool batch` and compares every array with Pillow's, byte for byte:
decode+convert to RGB and L, every filter at a downscale and an upscale, crop and pad.
"""
import os
import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import gen_imaging_fixtures as gen  # noqa: E402

# P images with tRNS bytes make Pillow warn "should be converted to RGBA"; we convert to
# RGB on purpose (alpha dropped, docs/design.md §4).
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imaging-corpus")
    files = []
    for seed in range(7):
        files += gen.write_encodings(folder / f"set{seed}", seed=100 + seed, scale=1 + seed % 3)
    files += gen.write_orientations(folder / "orient", seed=7)
    return files


def run_batch(tool, jobs, portable=False):
    """jobs: list of tab-separated job lines; returns a list of arrays or error strings."""
    text = "".join(j + "\n" for j in jobs)
    env = dict(os.environ, IMAGING_PORTABLE_KERNELS="1" if portable else "0")
    out = subprocess.run([tool, "batch"], input=text.encode(), capture_output=True, check=True,
                         env=env).stdout
    results, pos = [], 0
    for _ in jobs:
        nl = out.index(b"\n", pos)
        head = out[pos:nl].decode()
        pos = nl + 1
        if head.startswith("ERR"):
            results.append(head)
            continue
        h, w, c = map(int, head.split()[1:])
        results.append(np.frombuffer(out[pos:pos + h * w * c], np.uint8).reshape(h, w, c))
        pos += h * w * c
    return results


def compare(tool, cases, portable=False):
    """cases: list of (job line, Pillow array); returns the mismatch descriptions."""
    results = run_batch(tool, [job for job, _ in cases], portable)
    bad = []
    for (job, expected), ours in zip(cases, results):
        if isinstance(ours, str):
            bad.append(f"{job}: {ours}")
        elif ours.shape != expected.shape or not np.array_equal(ours, expected):
            diff = "shape" if ours.shape != expected.shape else \
                f"max diff {np.abs(ours.astype(int) - expected.astype(int)).max()}"
            bad.append(f"{job}: {diff}")
    return bad


def test_decode_and_convert_match_pillow(imaging_tool, corpus):
    warnings.simplefilter("ignore", UserWarning)
    cases = []
    for p in corpus:
        for mode in ("rgb", "gray"):
            for exif in (False, True):
                if exif and "orient" not in str(p):
                    continue
                expected = gen.pillow_op(gen.pillow_decode(p, mode, exif=exif), "decode")
                cases.append((f"{p}\t{mode}\t{int(exif)}\t-\t-\t-\t-", expected))
    bad = compare(imaging_tool, cases)
    assert len(cases) > 450
    assert not bad, f"{len(bad)} of {len(cases)} differ:\n" + "\n".join(bad[:20])


@pytest.mark.parametrize("kernels", ["default", "portable"])
@pytest.mark.parametrize("filter_name", list(gen.FILTERS))
def test_every_filter_matches_pillow(imaging_tool, corpus, filter_name, kernels):
    """Both kernel sets (AVX2 where the CPU has it, and the portable C) give Pillow's bytes."""
    warnings.simplefilter("ignore", UserWarning)
    cases = []
    for i, p in enumerate(corpus):
        mode = "gray" if i % 4 == 3 else "rgb"
        im = gen.pillow_decode(p, mode)
        w, h = im.size
        sizes = [(max(1, w // 3 + i % 5), max(1, h // 2 - i % 3)),   # down, fractional
                 (w * 2 + 1, h + 7),                                  # up
                 (max(1, w - 1), max(1, h // 5))]                     # vertical-first order
        if i % 9 == 0:
            sizes.append((1, max(1, h * 3)))                         # extreme aspect
        for s in sizes:
            cases.append((f"{p}\t{mode}\t0\t-\tstretch\t{filter_name}\t{s[0]}x{s[1]}",
                           gen.pillow_op(im, "resize", filter_name, s)))
        s = (24 + i % 17, 24 + (i * 7) % 29)
        for op in ("crop", "pad"):
            cases.append((f"{p}\t{mode}\t0\t-\t{op}\t{filter_name}\t{s[0]}x{s[1]}",
                          gen.pillow_op(im, op, filter_name, s)))
    bad = compare(imaging_tool, cases, portable=kernels == "portable")
    assert not bad, f"{len(bad)} of {len(cases)} differ:\n" + "\n".join(bad[:20])


def test_fractional_boxes_match_pillow(imaging_tool, corpus):
    rng = np.random.default_rng(11)
    cases = []
    for p in corpus[::5]:
        im = gen.pillow_decode(p, "rgb")
        w, h = im.size
        for filter_name in gen.FILTERS:
            x0, y0 = rng.uniform(0, w / 2), rng.uniform(0, h / 2)
            box = (round(x0, 3), round(y0, 3), round(rng.uniform(x0, w), 3), round(rng.uniform(y0, h), 3))
            size = (int(rng.integers(1, 80)), int(rng.integers(1, 80)))
            cases.append((f"{p}\trgb\t0\t-\tbox\t{filter_name}\t{size[0]}x{size[1]}\t{','.join(map(str, box))}",
                          gen.pillow_op(im, "resize", filter_name, size, box=box)))
    bad = compare(imaging_tool, cases)
    assert not bad, f"{len(bad)} of {len(cases)} differ:\n" + "\n".join(bad[:20])


def test_bad_files_fail_cleanly(imaging_tool, tmp_path):
    kinds = gen.write_bad_files(tmp_path, seed=5)
    results = run_batch(imaging_tool, [f"{tmp_path / n}\trgb\t0\t-\t-\t-\t-" for n in sorted(kinds)])
    for name, result in zip(sorted(kinds), results):
        assert isinstance(result, str) and result.startswith("ERR"), name
        assert str(tmp_path / name) in result, result
