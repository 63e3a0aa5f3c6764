"""`normtool convert` as a user meets it: output forms, error handling, determinism."""
import json
import os
import subprocess

import numpy as np
import pytest

import convert_corpus
import reference


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli") / "images"
    convert_corpus.make_corpus(root, count=15)
    return root


def convert(normtool, folder, out, *options):
    return subprocess.run([normtool, "convert", str(folder), "-o", str(out), "--size", "20", *map(str, options)],
                          capture_output=True, text=True)


def test_npz_directory_and_npy_hold_the_same_x(corpus, normtool, tmp_path):
    for out in ("a.npz", "b", "c.npy"):
        result = convert(normtool, corpus, tmp_path / out)
        assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "a.npz", allow_pickle=False) as z:
        x = z["x"]
        for name in ("y", "classes", "files", "mean", "std"):
            np.testing.assert_array_equal(z[name], np.load(tmp_path / "b" / f"{name}.npy", allow_pickle=False))
    np.testing.assert_array_equal(x, np.load(tmp_path / "c.npy", allow_pickle=False))
    mm = np.load(tmp_path / "b" / "x.npy", mmap_mode="r")
    np.testing.assert_array_equal(x, mm)
    stats = json.loads((tmp_path / "b" / "stats.json").read_text())
    assert stats["format"] == "normtool-stats" and len(stats["mean"]) == 3
    # Beside each file output its summary and duplicates list; a directory holds them.
    assert sorted(os.listdir(tmp_path)) == ["a.duplicates.csv", "a.npz", "a.summary.json", "b", "c.duplicates.csv",
                                            "c.npy", "c.summary.json"], "no temporary files left"


def test_summary_reports_counts_and_statistics(corpus, normtool, tmp_path):
    result = convert(normtool, corpus, tmp_path / "x.npz")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "images: 15" in out and "classes: 3" in out and "skipped: 0" in out
    assert "images/s" in out and "statistics (dataset" in out
    assert result.stderr == "", "no progress bar when stderr is not a terminal"


def test_compressed_npz_is_smaller_and_equal(corpus, normtool, tmp_path):
    assert convert(normtool, corpus, tmp_path / "s.npz", "--normalize", "none").returncode == 0
    assert convert(normtool, corpus, tmp_path / "c.npz", "--normalize", "none", "--compress").returncode == 0
    assert os.path.getsize(tmp_path / "c.npz") < os.path.getsize(tmp_path / "s.npz")
    with np.load(tmp_path / "s.npz") as s, np.load(tmp_path / "c.npz") as c:
        np.testing.assert_array_equal(s["x"], c["x"])


def test_output_is_identical_for_any_jobs(corpus, normtool, tmp_path):
    for jobs in (1, 2, 3):
        assert convert(normtool, corpus, tmp_path / f"j{jobs}.npy", "--jobs", jobs).returncode == 0
    first = (tmp_path / "j1.npy").read_bytes()
    assert (tmp_path / "j2.npy").read_bytes() == first
    assert (tmp_path / "j3.npy").read_bytes() == first


def test_corrupt_file_fails_naming_it_and_leaves_nothing(corpus, normtool, tmp_path):
    bad = tmp_path / "bad"
    subprocess.run(["cp", "-r", str(corpus), str(bad)], check=True)
    (bad / "dog" / "zz_truncated.jpg").write_bytes((corpus / "cat" / "img_000.jpg").read_bytes()[:200])
    existing = tmp_path / "out.npz"
    existing.write_bytes(b"keep me")
    result = convert(normtool, bad, existing)
    assert result.returncode != 0
    assert "dog/zz_truncated.jpg" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert existing.read_bytes() == b"keep me"
    assert sorted(os.listdir(tmp_path)) == ["bad", "out.npz"]

    result = convert(normtool, bad, tmp_path / "skip.npz", "--on-error", "skip")
    assert result.returncode == 0, result.stderr
    assert "skipped: 1" in result.stdout and "dog/zz_truncated.jpg" in result.stdout
    with np.load(tmp_path / "skip.npz", allow_pickle=False) as z:
        assert list(z["skipped"]) == ["dog/zz_truncated.jpg"]
        assert len(z["x"]) == 15 and "dog/zz_truncated.jpg" not in list(z["files"])


def test_bad_options_are_one_line_errors(corpus, normtool, tmp_path):
    for options in (["--dtype", "uint8"], ["--stats", "median"], ["--size", "0"], ["--filter", "sinc"]):
        result = convert(normtool, corpus, tmp_path / "x.npz", *options)
        assert result.returncode != 0
        assert "Error" in result.stderr or "error" in result.stderr
    result = subprocess.run([normtool, "convert", str(tmp_path / "missing"), "-o", str(tmp_path / "x.npz")],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "missing: no such folder" in result.stderr
    assert not (tmp_path / "x.npz").exists()


def test_unlabeled_folder(corpus, normtool, tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    for name in ("b.jpg", "a.png"):
        src = next(p for p in corpus.rglob("*") if p.suffix.lower() == os.path.splitext(name)[1])
        (flat / name).write_bytes(src.read_bytes())
    (flat / "notes.txt").write_text("not an image")
    result = convert(normtool, flat, tmp_path / "u.npz")
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "u.npz", allow_pickle=False) as z:
        assert list(z["files"]) == ["a.png", "b.jpg"]
        assert list(z["y"]) == [-1, -1] and len(z["classes"]) == 0


@pytest.mark.parametrize("resize", ["crop", "pad"])
def test_crop_and_pad_match_imageops(resize, corpus, normtool, tmp_path):
    out = tmp_path / "x.npy"
    result = convert(normtool, corpus, out, "--normalize", "none", "--resize", resize, "--size", "24x16")
    assert result.returncode == 0, result.stderr
    classes, files, labels = reference.scan_folder(corpus)
    ref = np.stack([reference.load_image(corpus / f, (24, 16), resize=resize) for f in files])
    np.testing.assert_array_equal(np.load(out), ref)


@pytest.mark.parametrize("axes", [["--axes", "0,1,2"], []])
def test_stats_of_an_image_folder(axes, corpus, normtool):
    """normtool stats FOLDER: exact statistics of the decoded images (any sizes), unit scale."""
    result = subprocess.run([normtool, "stats", str(corpus), "--json", *axes], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    classes, files, labels = reference.scan_folder(corpus)
    pixels = np.concatenate([reference.load_image(corpus / f).reshape(-1, 3) for f in files])
    x = pixels / 255.0
    axis = 0 if axes else None
    assert stats["axes"] == ([0, 1, 2] if axes else [0, 1, 2, 3])
    assert stats["shape"] == ([3] if axes else [])
    assert stats["count"] == (len(pixels) if axes else pixels.size)
    for key, ref in (("mean", x.mean(axis=axis)), ("std", x.std(axis=axis)), ("min", x.min(axis=axis)),
                     ("max", x.max(axis=axis))):
        np.testing.assert_allclose(stats[key], np.atleast_1d(ref), rtol=1e-12, atol=1e-15)


def test_exif_orientation_is_applied_only_when_asked(normtool, tmp_path):
    from PIL import Image, ImageOps
    folder = tmp_path / "exif" / "only"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(3)
    im = Image.fromarray(rng.integers(0, 256, (24, 40, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    im.save(folder / "a.png", exif=exif)
    with Image.open(folder / "a.png") as opened:
        upright = np.asarray(ImageOps.exif_transpose(opened).convert("RGB"))
        stored = np.asarray(opened.convert("RGB"))
    for flag, expected in ((["--exif-orientation"], upright), ([], stored)):
        out = tmp_path / f"x{len(flag)}.npy"
        result = subprocess.run([normtool, "convert", str(tmp_path / "exif"), "-o", str(out), "--normalize", "none",
                                 *flag], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        np.testing.assert_array_equal(np.load(out)[0], expected)


@pytest.mark.parametrize("content, reason", [
    ("not json", "expected normtool stats JSON"),
    ('{"format": "normtool-stats", "version": 1, "scope": "channel", "channels": 3, "images": 1, '
     '"mean": [0.5, 0.5], "std": [0.2, 0.2, 0.2], "options": {}}', "expected mean, std, min, max and count of one length"),
    ('{"format": "normtool-stats", "version": 1, "scope": "global", "channels": 3, "images": 1, '
     '"mean": [0.5], "std": [0.2], "options": {}}', "expected --scope channel statistics, found global"),
])
def test_bad_statistics_file_is_a_one_line_error(content, reason, corpus, normtool, tmp_path):
    stats = tmp_path / "stats.json"
    stats.write_text(content)
    result = convert(normtool, corpus, tmp_path / "x.npz", "--stats", stats)
    assert result.returncode == 1
    assert result.stderr.startswith(f"normtool convert: {stats}: ") and reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(os.listdir(tmp_path)) == ["stats.json"]
