"""BMP, PNM, GIF, WebP and TIFF decoding against Pillow 13 on a generated corpus.

gen_imaging_fixtures.write_format_encodings writes one file per encoding (Pillow writes what it
can, format_writers the rest) for several seeds and sizes into a temporary folder; the built
`imaging-tool batch` decodes each, and every array must equal Pillow's
`Image.open(f).convert('RGB' | 'L')`, then its resize, fit (crop) and pad, byte for byte.
Malformed files of each format must fail with one line naming the file, as Pillow fails.
"""
import collections
import pathlib
import sys
import warnings

import pytest
from PIL import Image

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import gen_imaging_fixtures as gen  # noqa: E402
from test_imaging_parity import compare, run_batch  # noqa: E402

pytestmark = [pytest.mark.filterwarnings("ignore::UserWarning"),
              pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")]

FORMAT_PREFIXES = ("bmp_", "pnm_", "gif_", "webp_", "tiff_")


@pytest.fixture(scope="session")
def format_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("format-corpus")
    files = []
    for seed in range(4):
        files += gen.write_format_encodings(folder / f"set{seed}", seed=200 + seed, scale=1 + seed % 2)
    return files


def test_corpus_has_every_format(format_corpus):
    counts = collections.Counter(p.name.split("_")[0] + "_" for p in format_corpus)
    for prefix in FORMAT_PREFIXES:
        assert counts[prefix] >= 4 * 6, (prefix, counts)


def test_decode_and_convert_match_pillow(imaging_tool, format_corpus):
    warnings.simplefilter("ignore", UserWarning)
    cases = []
    for p in format_corpus:
        for mode in ("rgb", "gray"):
            expected = gen.pillow_op(gen.pillow_decode(p, mode), "decode")
            cases.append((f"{p}\t{mode}\t0\t-\t-\t-\t-", expected))
    bad = compare(imaging_tool, cases)
    assert len(cases) > 1000
    assert not bad, f"{len(bad)} of {len(cases)} differ:\n" + "\n".join(bad[:20])


@pytest.mark.parametrize("filter_name", list(gen.FILTERS))
def test_resize_fit_and_pad_match_pillow(imaging_tool, format_corpus, filter_name):
    warnings.simplefilter("ignore", UserWarning)
    cases = []
    for i, p in enumerate(format_corpus[::3]):
        mode = "gray" if i % 3 == 2 else "rgb"
        im = gen.pillow_decode(p, mode)
        w, h = im.size
        for s in ((max(1, w // 3 + i % 4), max(1, h // 2)), (w * 2 + 1, h + 5)):
            cases.append((f"{p}\t{mode}\t0\t-\tstretch\t{filter_name}\t{s[0]}x{s[1]}",
                           gen.pillow_op(im, "resize", filter_name, s)))
        s = (20 + i % 11, 16 + (i * 5) % 13)
        for op in ("crop", "pad"):
            cases.append((f"{p}\t{mode}\t0\t-\t{op}\t{filter_name}\t{s[0]}x{s[1]}", gen.pillow_op(im, op, filter_name, s)))
    bad = compare(imaging_tool, cases)
    assert len(cases) > 150
    assert not bad, f"{len(bad)} of {len(cases)} differ:\n" + "\n".join(bad[:20])


def test_malformed_files_fail_cleanly_where_pillow_fails(imaging_tool, tmp_path):
    kinds = gen.write_format_bad_files(tmp_path, seed=9)
    names = sorted(kinds)
    results = run_batch(imaging_tool, [f"{tmp_path / n}\trgb\t0\t-\t-\t-\t-" for n in names])
    assert len(names) >= 15
    for name, result in zip(names, results):
        with pytest.raises(Exception):
            with Image.open(tmp_path / name) as im:
                im.load()
        assert isinstance(result, str) and result.startswith("ERR"), name
        assert str(tmp_path / name) in result and "\n" not in result, result


def test_folder_scan_takes_every_format_extension(normtool, tmp_path):
    """torchvision's extensions plus .gif and .pbm, any case, are converted; their pixels are
    Pillow's, whatever the extension says (a BMP named .tif is read as a BMP)."""
    import subprocess

    import numpy as np
    source = gen.write_format_encodings(tmp_path / "src", seed=31)
    picks = {"jpg": "bmp_h40_24bit.bmp", "JPEG": "webp_lossy.webp", "png": "gif_P.gif", "PPM": "pnm_P6_max255.ppm",
             "bmp": "bmp_rle8.bmp", "pgm": "pnm_P5_max1000.pgm", "TIF": "bmp_32bit.bmp", "tiff": "tiff_be_rgb16.tif",
             "webp": "webp_lossless.webp", "Gif": "gif_transparency.gif", "pbm": "pnm_P4.pbm"}
    folder = tmp_path / "folder" / "only"
    folder.mkdir(parents=True)
    by_name = {p.name: p for p in source}
    expected = []
    for i, (ext, name) in enumerate(sorted(picks.items(), key=lambda kv: kv[1])):
        target = folder / f"{i:02d}.{ext}"
        target.write_bytes(by_name[name].read_bytes())
        expected.append(gen.pillow_op(gen.pillow_decode(target, "rgb").resize((12, 9), gen.FILTERS["bilinear"]),
                                      "decode"))
    (folder / "notes.txt").write_text("not an image")
    out = tmp_path / "out.npz"
    result = subprocess.run([normtool, "convert", str(tmp_path / "folder"), "-o", str(out), "--size", "12x9",
                             "--normalize", "none"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with np.load(out) as z:
        x, files = z["x"], list(z["files"])
    assert len(files) == len(picks) == 11
    order = sorted(range(len(files)), key=lambda k: files[k])
    for k, want in zip(order, expected):
        assert np.array_equal(x[k], want), files[k]
