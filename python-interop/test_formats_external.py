"""Every file of the external corpus (Pillow's Tests/images and PngSuite) against Pillow 13.

The corpus lives outside the repository, in `../shared/corpora/external/` relative to the
repository root (see its SOURCES.md); $SHARED_DIR names another `shared` folder. Nothing of it
is committed. For each file: where Pillow's `Image.open(f).convert(mode)` succeeds, our
pixels must equal Pillow's; where Pillow raises, we must fail with one line naming the file.
The few files where we knowingly differ are listed in KNOWN_DIFFERENCES with the reason, and
the test fails if that list goes stale in either direction.
"""
import json
import os
import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import gen_imaging_fixtures as gen  # noqa: E402
from test_imaging_parity import run_batch  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("SHARED_DIR") or ROOT.parent / "shared")
EXTERNAL = SHARED / "corpora" / "external"
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".ppm", ".pgm", ".pbm", ".pnm"}

# (file relative to EXTERNAL, mode) → why we differ from Pillow on it.
_LAB = "CIELAB TIFF: Pillow converts LAB to RGB with its own tables, not ported; refused as unsupported"
KNOWN_DIFFERENCES = {
    ("Pillow/Tests/images/lab.tif", "rgb"): _LAB,
    ("Pillow/Tests/images/lab-red.tif", "rgb"): _LAB,
    ("Pillow/Tests/images/lab-green.tif", "rgb"): _LAB,
    ("Pillow/Tests/images/hopper.Lab.tif", "rgb"): _LAB,
    ("Pillow/Tests/images/tiff_overflow_rows_per_strip.tif", "rgb"):
        "Pillow cannot identify it (its RowsPerStrip overflows Pillow's own strip arithmetic); libtiff reads it",
    ("Pillow/Tests/images/tiff_overflow_rows_per_strip.tif", "gray"):
        "Pillow cannot identify it (its RowsPerStrip overflows Pillow's own strip arithmetic); libtiff reads it",
    ("image-png/tests/pngsuite/xcsn0g01.png", "rgb"): "IDAT CRC errors are reported on purpose (docs/design.md §4)",
    ("image-png/tests/pngsuite/xcsn0g01.png", "gray"): "IDAT CRC errors are reported on purpose (docs/design.md §4)",
    ("Pillow/Tests/images/png_decompression_dos.png", "rgb"):
        "Pillow refuses a zTXt chunk over its MAX_TEXT_CHUNK; we skip text chunks and decode the pixels",
    ("Pillow/Tests/images/png_decompression_dos.png", "gray"):
        "Pillow refuses a zTXt chunk over its MAX_TEXT_CHUNK; we skip text chunks and decode the pixels",
    ("Pillow/Tests/images/apng/chunk_no_fctl.png", "rgb"):
        "Pillow refuses APNG frame-sequence errors; we read the default image and ignore animation chunks",
    ("Pillow/Tests/images/apng/chunk_no_fctl.png", "gray"):
        "Pillow refuses APNG frame-sequence errors; we read the default image and ignore animation chunks",
}


def external_files():
    if not EXTERNAL.is_dir():
        return []
    return sorted(p for p in EXTERNAL.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)


def pillow_result(path, mode):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return gen.pillow_op(gen.pillow_decode(path, mode), "decode")
    except Exception as e:  # every way Pillow refuses a file
        return f"{type(e).__name__}: {e}"


def compare_with_pillow(tool, files, chunk=40):
    """Runs every file through `tool` and Pillow in both modes, a chunk of files at a time.

    Returns (differences {(file, mode): why}, opened, refused). Raises AssertionError on an
    unclean error message.
    """
    differences = {}
    opened = refused = 0
    for start in range(0, len(files), chunk):
        jobs = [(p, mode) for p in files[start:start + chunk] for mode in ("rgb", "gray")]
        results = run_batch(tool, [f"{p}\t{mode}\t0\t-\t-\t-\t-" for p, mode in jobs])
        for (p, mode), got in zip(jobs, results):
            key = (str(p.relative_to(EXTERNAL)), mode)
            want = pillow_result(p, mode)
            if isinstance(got, str):
                assert str(p) in got and "\n" not in got, f"unclean error for {key}: {got!r}"
            if isinstance(want, str):
                refused += 1
                if not isinstance(got, str):
                    differences[key] = f"Pillow refuses ({want[:80]}), we decode"
            elif isinstance(got, str):
                differences[key] = f"Pillow decodes, we fail: {got[:120]}"
            else:
                opened += 1
                if got.shape != want.shape or not np.array_equal(got, want):
                    differences[key] = "pixels differ" if got.shape == want.shape else f"shape {got.shape} != {want.shape}"
    return differences, opened, refused


def test_external_corpus_matches_pillow(imaging_tool):
    files = external_files()
    if not files:
        pytest.skip(f"no external corpus at {EXTERNAL} (set SHARED_DIR to the folder holding corpora/)")
    # In a child process: decoding ~900 files grows a Python process by hundreds of MB, and
    # every later subprocess would inherit that as its peak RSS (the hostile suites bound it).
    child = subprocess.run([sys.executable, __file__, imaging_tool], capture_output=True, text=True,
                           env=dict(os.environ, SHARED_DIR=str(SHARED)))
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout)
    differences = {tuple(k.split("\t")): v for k, v in report["differences"].items()}
    opened, refused = report["opened"], report["refused"]
    assert opened > 1000 and refused > 50, (opened, refused)
    unexpected = {k: v for k, v in differences.items() if k not in KNOWN_DIFFERENCES}
    stale = sorted(k for k in KNOWN_DIFFERENCES if k not in differences)
    assert not unexpected, f"{len(unexpected)} files differ from Pillow:\n" + \
        "\n".join(f"{k}: {v}" for k, v in sorted(unexpected.items())[:30])
    assert not stale, f"listed as known differences but now agree with Pillow: {stale}"


if __name__ == "__main__":
    differences, opened, refused = compare_with_pillow(sys.argv[1], external_files())
    print(json.dumps({"differences": {"\t".join(k): v for k, v in differences.items()},
                      "opened": opened, "refused": refused}))
