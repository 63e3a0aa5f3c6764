"""Malformed images and hostile folders given to `normtool convert` (and `stats FOLDER`).

Every broken image must fail the run cleanly (test_hostile_support.assert_clean_failure:
non-zero exit, no signal, one stderr line naming the file and the reason, no hang, bounded
memory) and leave no output; with `--on-error skip` the run succeeds and lists it in
`skipped`. All images are made here with Pillow or by hand, so nothing is checked in.
"""
import importlib.util
import io
import os
import pathlib
import struct
import unicodedata
import zlib

import numpy as np
import pytest
from PIL import Image

from test_hostile_support import assert_clean_failure, escaped, run_tool, unprivileged_folder


def jpeg_bytes(size=(64, 48), progressive=False, mode="RGB"):
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert(mode).save(buffer, "JPEG", quality=85, progressive=progressive)
    return buffer.getvalue()


def png_bytes(size=(64, 48), mode="RGB"):
    rng = np.random.default_rng(4)
    pixels = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert(mode).save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_raw(width, height, bit_depth=8, color_type=2, idat=None, ihdr_crc=None):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    chunk = png_chunk(b"IHDR", ihdr)
    if ihdr_crc is not None:
        chunk = chunk[:-4] + struct.pack(">I", ihdr_crc)
    idat = zlib.compress(b"\x00" * 64) if idat is None else idat
    return b"\x89PNG\r\n\x1a\n" + chunk + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_segments(data):
    """(marker, start, end) of each segment before the scan data."""
    position, result = 2, []
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        result.append((marker, position, position + 2 + length))
        if marker == 0xDA:
            break
        position += 2 + length
    return result


def jpeg_with_frame(width, height, components=None, progressive=False):
    """A valid JPEG whose SOF declares another size (or component count): tiny file, big claim."""
    data = bytearray(jpeg_bytes(progressive=progressive))
    for marker, start, _ in jpeg_segments(data):
        if marker in (0xC0, 0xC2):
            struct.pack_into(">HH", data, start + 5, height, width)
            if components is not None:
                data[start + 9] = components
    return bytes(data)


def jpeg_corrupt_huffman():
    data = bytearray(jpeg_bytes())
    for marker, start, end in jpeg_segments(data):
        if marker == 0xC4:
            data[start + 5:end] = b"\xff" * (end - start - 5)
            break
    return bytes(data)


def jpeg_garbage_scan():
    data = bytearray(jpeg_bytes())
    sos_end = [end for marker, _, end in jpeg_segments(data) if marker == 0xDA][0]
    data[sos_end:-2] = b"\xff\x00\xff\x01" * ((len(data) - 2 - sos_end) // 4) + b"\x00" * ((len(data) - 2 - sos_end) % 4)
    return bytes(data)


def png_bad_zlib():
    return png_raw(8, 8, idat=b"\x78\x9c" + b"\xde\xad\xbe\xef" * 8)


def png_huge_chunk_length():
    data = bytearray(png_bytes())
    at = data.index(b"IDAT") - 4
    struct.pack_into(">I", data, at, 0x7FFFFFF0)
    return bytes(data)


def _regression_generator():
    path = pathlib.Path(__file__).resolve().parent.parent / "Fuzz" / "make_regressions.py"
    spec = importlib.util.spec_from_file_location("make_regressions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


many_scans_jpeg = _regression_generator().many_scans_jpeg
JPEG = jpeg_bytes()
PNG = png_bytes()

BROKEN = {
    # name: (file name, bytes, reason regex)
    "text_named_jpg": ("notes.jpg", b"just some text, not an image\n", r"not a JPEG or PNG image"),
    "text_named_png": ("notes.png", b"\x00\x01 binary junk", r"not a JPEG or PNG image"),
    "png_named_jpg": ("actually_png.jpg", PNG, None),  # the format comes from the bytes: fine
    "zero_byte_jpg": ("zero.jpg", b"", r"empty file \(0 bytes\)"),
    "zero_byte_png": ("zero.png", b"", r"empty file \(0 bytes\)"),
    "jpeg_soi_only": ("soi.jpg", b"\xff\xd8\xff", r"JPEG"),
    "jpeg_corrupt_huffman": ("huffman.jpg", jpeg_corrupt_huffman(), r"corrupt JPEG data|JPEG file is truncated"),
    "jpeg_two_components": ("two.jpg", jpeg_with_frame(64, 48, components=2), r"corrupt JPEG data|unsupported JPEG"),
    "jpeg_zero_height": ("zero_height.jpg", jpeg_with_frame(64, 0), r"corrupt JPEG data"),
    "jpeg_bomb_65500": ("bomb.jpg", jpeg_with_frame(65500, 65500), r"exceeds the limit of 178956970 pixels"),
    "jpeg_600_scans": ("scans.jpg", many_scans_jpeg(600, 2048), r"more than 500 scans"),
    "png_bad_ihdr_crc": ("crc.png", png_raw(8, 8, ihdr_crc=0xDEADBEEF), r"corrupt PNG data: IHDR: CRC error"),
    "png_bad_zlib": ("zlib.png", png_bad_zlib(), r"corrupt PNG data"),
    "png_zero_width": ("zero_width.png", png_raw(0, 8), r"corrupt PNG data"),
    "png_bad_depth": ("depth.png", png_raw(8, 8, bit_depth=3), r"corrupt PNG data"),
    "png_huge_chunk": ("chunk.png", png_huge_chunk_length(), r"PNG"),
    "png_bomb_30000": ("bomb.png", png_raw(30000, 30000), r"exceeds the limit of 178956970 pixels"),
    "png_bomb_13000_truncated": ("bomb13k.png", png_raw(13000, 13000), r"PNG"),
}
for fraction in [0.02, 0.1, 0.3, 0.6, 0.9]:
    BROKEN[f"jpeg_cut_{fraction}"] = (f"cut_{fraction}.jpg", JPEG[:max(4, int(len(JPEG) * fraction))],
                                      r"JPEG file is truncated|corrupt JPEG data")
    BROKEN[f"png_cut_{fraction}"] = (f"cut_{fraction}.png", PNG[:max(9, int(len(PNG) * fraction))],
                                     r"PNG file is truncated|corrupt PNG data")


def make_folder(root, extra_name=None, extra_bytes=None, size=(64, 48)):
    """A labeled folder: two valid images in each of classes a and b, plus one extra file in a."""
    for cls in ["a", "b"]:
        (root / cls).mkdir(parents=True, exist_ok=True)
        for k in range(2):
            (root / cls / f"ok{k}.jpg").write_bytes(jpeg_bytes(size=size))
    if extra_name is not None:
        (root / "a" / extra_name).write_bytes(extra_bytes)
    return root


def convert(normtool, folder, output, *extra):
    return run_tool(normtool, "convert", folder, "-o", output, "--quiet", *extra)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_image_fails_the_run(normtool, tmp_path, case):
    name, data, reason = BROKEN[case]
    folder = make_folder(tmp_path / "in", name, data)
    output = tmp_path / "out.npz"
    run = convert(normtool, folder, output, "--size", "64x48")
    if reason is None:
        assert run.returncode == 0, run.stderr
        return
    assert_clean_failure(run, f"a/{name}", reason)
    assert not output.exists(), "a failed run left an output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"], "temporary files left behind"
    assert (folder / "a" / name).read_bytes() == data, "the input was modified"


@pytest.mark.parametrize("case", ["text_named_jpg", "zero_byte_png", "jpeg_cut_0.3", "png_bad_ihdr_crc", "jpeg_bomb_65500"])
def test_broken_image_is_skipped_on_request(normtool, tmp_path, case):
    name, data, _ = BROKEN[case]
    folder = make_folder(tmp_path / "in", name, data)
    output = tmp_path / "out.npz"
    run = convert(normtool, folder, output, "--size", "64x48", "--on-error", "skip")
    assert run.returncode == 0, run.stderr
    with np.load(output, allow_pickle=False) as npz:
        assert npz["x"].shape == (4, 48, 64, 3)
        assert list(npz["skipped"]) == [f"a/{name}"]
        assert f"a/{name}" not in list(npz["files"])


def test_corrupt_scan_data_decodes_as_pillow_does(normtool, tmp_path):
    """libjpeg recovers from garbage entropy data with warnings; Pillow ignores them and so do
    we (docs/design.md §4): the pixels must then be Pillow's, bit for bit."""
    data = jpeg_garbage_scan()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.jpg").write_bytes(data)
    run = convert(normtool, folder, tmp_path / "out.npz", "--normalize", "none")
    assert run.returncode == 0, run.stderr
    with np.load(tmp_path / "out.npz", allow_pickle=False) as npz:
        expected = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        assert np.array_equal(npz["x"][0], expected)


@pytest.mark.parametrize("progressive,max_rss_mb", [(False, 700), (True, 1300)])
def test_decompression_bomb_below_the_pixel_limit_is_bounded(normtool, tmp_path, progressive, max_rss_mb):
    """A 2 KB JPEG declaring 13000x13000 (169 M pixels, under Pillow's 178,956,970 limit) decodes,
    as in Pillow, to a mostly empty image. Memory is bounded by the limit: 3 bytes a pixel
    for the output, plus 6 a pixel of coefficients for a progressive file, per decoding job."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bomb.jpg").write_bytes(jpeg_with_frame(13000, 13000, progressive=progressive))
    run = convert(normtool, folder, tmp_path / "out.npz", "--size", "8", "--jobs", "1")
    assert not run.timed_out and run.returncode == 0, run.stderr
    assert run.max_rss_mb < max_rss_mb, f"peak RSS {run.max_rss_mb:.0f} MB"


def test_progressive_jpeg_with_many_scans_under_the_limit_decodes_as_pillow_does(normtool, tmp_path):
    data = many_scans_jpeg(400, 64)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scans.jpg").write_bytes(data)
    run = convert(normtool, folder, tmp_path / "out.npz", "--normalize", "none")
    assert run.returncode == 0, run.stderr
    with np.load(tmp_path / "out.npz", allow_pickle=False) as npz:
        assert np.array_equal(npz["x"][0], np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))


def test_sparse_multi_gigabyte_file_is_refused_without_reading_it(normtool, tmp_path):
    """A 3 GB sparse file named .jpg takes no disk; it was read whole into memory (3 GB RSS,
    26 s) before its first bytes were checked. Files over 1 GiB are refused from their size."""
    folder = make_folder(tmp_path / "in")
    huge = folder / "a" / "huge.jpg"
    with open(huge, "wb") as f:
        f.write(b"\xff\xd8\xff")
        f.truncate(3 << 30)
    run = convert(normtool, folder, tmp_path / "out.npz")
    assert_clean_failure(run, "a/huge.jpg", r"larger than the 1073741824-byte limit")


def test_stats_of_folder_with_broken_image(normtool, tmp_path):
    folder = make_folder(tmp_path / "in", "bad.png", b"\x89PNG\r\n\x1a\n\x00")
    run = run_tool(normtool, "stats", folder)
    assert_clean_failure(run, "bad.png", r"PNG")


def test_fifo_named_jpg_does_not_hang(normtool, tmp_path):
    folder = make_folder(tmp_path / "in")
    os.mkfifo(folder / "a" / "pipe.jpg")
    run = convert(normtool, folder, tmp_path / "out.npz")
    assert_clean_failure(run, "a/pipe.jpg", r"not a regular file")
    assert not (tmp_path / "out.npz").exists()


def test_unreadable_image(normtool):
    """chmod 000 on one image; as root the child runs as nobody so the bits apply."""
    with unprivileged_folder(normtool) as nobody:
        scratch = nobody.folder
        folder = make_folder(scratch / "in")
        for path in [scratch / "in", *(scratch / "in").rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        locked = folder / "b" / "ok1.jpg"
        locked.chmod(0)
        run = nobody.run("convert", folder, "-o", scratch / "out.npz", "--quiet")
        assert_clean_failure(run, "b/ok1.jpg", r"[Pp]ermission")
        assert not (scratch / "out.npz").exists()


def test_unreadable_class_folder(normtool):
    with unprivileged_folder(normtool) as nobody:
        scratch = nobody.folder
        folder = make_folder(scratch / "in")
        for path in [scratch / "in", *(scratch / "in").rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (folder / "b").chmod(0)
        run = nobody.run("convert", folder, "-o", scratch / "out.npz", "--quiet")
        assert_clean_failure(run, "b", r"[Pp]ermission|cannot|unreadable")


def test_symlink_loops_are_not_followed_twice(normtool, tmp_path):
    folder = make_folder(tmp_path / "in")
    os.symlink("..", folder / "a" / "up")            # a/up -> in (a loop through the root)
    os.symlink(".", folder / "b" / "self")           # b/self -> b
    os.symlink("loop.jpg", folder / "b" / "loop.jpg")  # a link to itself (ELOOP)
    os.symlink("missing.jpg", folder / "a" / "dangling.jpg")
    output = tmp_path / "out.npz"
    run = convert(normtool, folder, output)
    assert not run.timed_out and run.returncode == 0, run.stderr
    with np.load(output, allow_pickle=False) as npz:
        assert list(npz["files"]) == ["a/ok0.jpg", "a/ok1.jpg", "b/ok0.jpg", "b/ok1.jpg"]


def test_symlink_loop_only_folder_fails_cleanly(normtool, tmp_path):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    os.symlink("..", folder / "a" / "up")
    run = convert(normtool, folder, tmp_path / "out.npz")
    assert_clean_failure(run, folder, r"no images|image")


UNICODE_NAMES = [
    "données", "数据", "😀", "\u05e2\u05d1\u05e8\u05d9\u05ea", "Ελληνικά", "e\u0301",  # NFD é
    "\u00e9",  # NFC é: a different name from the NFD one
    "sp ace", "quote'\"", "tab\tname", "new\nline", "\u202eevil", "zero\u200bwidth",
]


def test_unicode_file_and_class_names(normtool, tmp_path):
    folder = tmp_path / "in"
    for k, name in enumerate(UNICODE_NAMES):
        cls = folder / f"{name}_class"
        cls.mkdir(parents=True)
        (cls / f"{name}.jpg").write_bytes(jpeg_bytes(size=(8, 8)))
    output = tmp_path / "out.npz"
    run = convert(normtool, folder, output)
    assert run.returncode == 0, run.stderr
    expected_classes = sorted(f"{name}_class" for name in UNICODE_NAMES)
    with np.load(output, allow_pickle=False) as npz:
        assert list(npz["classes"]) == expected_classes
        assert list(npz["files"]) == [f"{c}/{c[:-6]}.jpg" for c in expected_classes]
        assert list(npz["y"]) == list(range(len(UNICODE_NAMES)))
    assert unicodedata.normalize("NFC", "e\u0301") == "\u00e9"  # both kept, as distinct classes


def test_file_name_that_is_not_utf8(normtool, tmp_path):
    """Linux file names are bytes; 'caf\\xe9.jpg' (Latin-1) was dropped silently (counted as
    ignored). It cannot be stored in the `files` strings, so the run fails and names it."""
    folder = make_folder(tmp_path / "in")
    os.rename(folder / "a" / "ok0.jpg", os.path.join(os.fsencode(folder / "a"), b"caf\xe9.jpg"))
    run = convert(normtool, folder, tmp_path / "out.npz")
    assert_clean_failure(run, folder / "a", r"the file name 'caf\\xe9\.jpg' is not valid UTF-8")
    assert not (tmp_path / "out.npz").exists()


@pytest.mark.parametrize("name", ["new\nline.jpg", "esc\x1b[31m.jpg", "数据.png", "\u2028sep.jpg"])
def test_broken_image_with_unicode_name_gives_one_line(normtool, tmp_path, name):
    folder = make_folder(tmp_path / "in", name, b"not an image")
    run = convert(normtool, folder, tmp_path / "out.npz")
    assert_clean_failure(run, f"a/{name}", r"not a JPEG or PNG image")


def test_empty_and_missing_folders(normtool, tmp_path):
    (tmp_path / "empty").mkdir()
    assert_clean_failure(convert(normtool, tmp_path / "empty", tmp_path / "o.npz"), tmp_path / "empty", r"image")
    assert_clean_failure(convert(normtool, tmp_path / "missing", tmp_path / "o.npz"), tmp_path / "missing", r"no such folder")
    (tmp_path / "file.jpg").write_bytes(JPEG)
    assert_clean_failure(convert(normtool, tmp_path / "file.jpg", tmp_path / "o.npz"), tmp_path / "file.jpg", r"folder|director")


STATS_FILES = {
    "not_json": (b"mean = 0.5\n", r"expected normtool stats JSON"),
    "empty": (b"", r"expected normtool stats JSON"),
    "deep_nesting": (b"[" * 400_000 + b"]" * 400_000, r"expected normtool stats JSON"),
    "too_big": (b" " * (2 << 20) + b"{}", r"expected a small JSON file"),
    "nan": (b'{"format": "normtool-stats", "scope": "channel", "channels": 3, "mean": [NaN, 0, 0], "std": [1, 1, 1]}',
            r"expected normtool stats JSON|finite"),
    "wrong_format": (b'{"format": "other", "scope": "channel", "channels": 3, "mean": [0, 0, 0], "std": [1, 1, 1]}',
                     r"expected format|expected normtool stats JSON"),
    "negative_std": (b'{"format": "normtool-stats", "scope": "channel", "channels": 3, "mean": [0, 0, 0], "std": [1, -1, 1]}',
                     r"std >= 0|expected normtool stats JSON"),
    "lengths_differ": (b'{"format": "normtool-stats", "scope": "channel", "channels": 3, "mean": [0, 0, 0], "std": [1, 1]}',
                       r"of one length|expected normtool stats JSON"),
}


@pytest.mark.parametrize("case", sorted(STATS_FILES))
def test_hostile_statistics_file(normtool, tmp_path, case):
    data, reason = STATS_FILES[case]
    folder = make_folder(tmp_path / "in")
    stats = tmp_path / "stats.json"
    stats.write_bytes(data)
    run = convert(normtool, folder, tmp_path / "out.npz", "--stats", stats)
    assert_clean_failure(run, stats, reason)
    assert not (tmp_path / "out.npz").exists()
