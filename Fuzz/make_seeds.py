#!/usr/bin/env python3
"""Writes the fuzz seed corpora under Fuzz/Corpus/<target>/ with NumPy, zipfile and Pillow.

Seeds are small valid files covering each format's branches (dtypes, byte orders, header
versions, Fortran order, string arrays; stored, deflated, ZIP64-header and data-descriptor
zips; every PNG colour type and bit depth, Adam7, eXIf; gray, RGB, CMYK, progressive,
restart-marker and EXIF JPEGs; the BMP/PNM/GIF/WebP/TIFF encodings of the parity corpus).
Run from anywhere: python3 Fuzz/make_seeds.py
"""
import io
import pathlib
import struct
import sys
import zipfile
import zlib

import numpy as np
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "python-interop"))
from unseekable_sink import UnseekableSink  # noqa: E402
CORPUS = HERE / "Corpus"


def out(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array, allow_pickle=False)
    else:
        np.lib.format.write_array(buffer, array, version=version, allow_pickle=False)
    return buffer.getvalue()


def npy_seeds():
    rng = np.random.default_rng(7)
    out("npy-header", "f4_3x4.npy", npy_bytes(rng.random((3, 4), dtype=np.float32)))
    out("npy-header", "u1_2x3x3.npy", npy_bytes(rng.integers(0, 255, (2, 3, 3), dtype=np.uint8)))
    out("npy-header", "i8_be_fortran.npy", npy_bytes(np.asfortranarray(np.arange(6, dtype=">i8").reshape(2, 3))))
    out("npy-header", "U3.npy", npy_bytes(np.array(["ab", "çé€"])))
    out("npy-header", "S2.npy", npy_bytes(np.array([b"a", b"bc", b""])))
    out("npy-header", "b1.npy", npy_bytes(np.array([True, False, True, True])))
    out("npy-header", "c8_0d.npy", npy_bytes(np.array(1 + 2j, dtype=np.complex64)))
    out("npy-header", "f8_empty.npy", npy_bytes(np.zeros((0, 3))))
    out("npy-header", "f2_be_v2.npy", npy_bytes(np.arange(5, dtype=">f2"), version=(2, 0)))
    out("npy-header", "u2_v3.npy", npy_bytes(np.arange(4, dtype="<u2"), version=(3, 0)))


def zip_seeds():
    rng = np.random.default_rng(8)
    x = rng.integers(0, 255, (2, 2, 3), dtype=np.uint8)
    y = np.array([0, 1], dtype=np.int64)
    classes = np.array(["cat", "dög"])
    for name, save in [("savez.npz", np.savez), ("savez_compressed.npz", np.savez_compressed)]:
        buffer = io.BytesIO()
        save(buffer, x=x, y=y, classes=classes)
        out("npz", name, buffer.getvalue())
    buffer = io.BytesIO()
    np.savez(buffer, np.arange(3, dtype=">f8"))
    out("npz", "arr_0.npz", buffer.getvalue())
    # A zip whose members have data descriptors (written to an unseekable stream).
    stream = UnseekableSink()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("a.npy", "w") as member:
            member.write(npy_bytes(np.arange(4, dtype=np.int16)))
        with archive.open("b.npy", "w", force_zip64=True) as member:
            member.write(npy_bytes(np.eye(2, dtype=np.float32)))
    out("npz", "descriptors.npz", bytes(stream.data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("empty.npy", npy_bytes(np.zeros((0,), dtype=np.uint8)))
    out("npz", "empty_member.npz", buffer.getvalue())


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bytes(width, height, bit_depth, color_type, rows, interlace=0, extra=b""):
    """A PNG with filter type 0 on every row; `rows(pass_width, pass_height, pass)` gives packed rows."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    raw = bytearray()
    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        for number, (x0, y0, dx, dy) in enumerate(passes):
            pw = (width - x0 + dx - 1) // dx if width > x0 else 0
            ph = (height - y0 + dy - 1) // dy if height > y0 else 0
            if pw and ph:
                for row in rows(pw, ph, number):
                    raw += b"\x00" + row
    else:
        for row in rows(width, height, 0):
            raw += b"\x00" + row
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + extra
            + png_chunk(b"IDAT", zlib.compress(bytes(raw))) + png_chunk(b"IEND", b""))


def packed_rows(channels, bit_depth):
    def rows(width, height, number):
        result = []
        for y in range(height):
            samples = [(7 * x + 13 * y + 5 * c + number) % (1 << bit_depth)
                       for x in range(width) for c in range(channels)]
            if bit_depth == 16:
                result.append(b"".join(struct.pack(">H", s * 257 % 65536) for s in samples))
            elif bit_depth == 8:
                result.append(bytes(samples))
            else:
                per_byte = 8 // bit_depth
                row = bytearray()
                for i in range(0, len(samples), per_byte):
                    value = 0
                    for k in range(per_byte):
                        s = samples[i + k] if i + k < len(samples) else 0
                        value = (value << bit_depth) | s
                    row.append(value)
                result.append(bytes(row))
        return result
    return rows


def exif_orientation(value, big_endian=True):
    if big_endian:
        return b"MM\x00*" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, value, 0) + b"\x00" * 4
    return b"II*\x00" + struct.pack("<IH", 8, 1) + struct.pack("<HHIHH", 0x0112, 3, 1, value, 0) + b"\x00" * 4


def png_seeds():
    rgb = Image.new("RGB", (5, 3))
    rgb.putdata([(x * 50, y * 80, (x + y) * 30) for y in range(3) for x in range(5)])
    for mode in ["L", "LA", "RGB", "RGBA", "1"]:
        buffer = io.BytesIO()
        rgb.convert(mode).save(buffer, "PNG")
        out("png", f"pillow_{mode}.png", buffer.getvalue())
    buffer = io.BytesIO()
    rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=4).save(buffer, "PNG")
    out("png", "pillow_P4.png", buffer.getvalue())
    # Bit depths and colour types Pillow does not write.
    out("png", "gray2.png", png_bytes(6, 3, 2, 0, packed_rows(1, 2)))
    out("png", "gray4_adam7.png", png_bytes(9, 9, 4, 0, packed_rows(1, 4), interlace=1))
    out("png", "gray16.png", png_bytes(4, 2, 16, 0, packed_rows(1, 16)))
    out("png", "rgb16.png", png_bytes(3, 2, 16, 2, packed_rows(3, 16)))
    out("png", "la16.png", png_bytes(3, 2, 16, 4, packed_rows(2, 16)))
    plte = png_chunk(b"PLTE", bytes(range(0, 12))) + png_chunk(b"tRNS", b"\x00\x80")
    out("png", "palette2_short.png", png_bytes(5, 2, 2, 3, packed_rows(1, 2), extra=plte))
    exif = png_chunk(b"eXIf", exif_orientation(6))
    out("png", "rgb_exif6_adam7.png", png_bytes(5, 4, 8, 2, packed_rows(3, 8), interlace=1, extra=exif))


def jpeg_seeds():
    image = Image.new("RGB", (17, 9))
    image.putdata([((x * 15) % 256, (y * 28) % 256, (x * y * 3) % 256) for y in range(9) for x in range(17)])
    def save(name, img, **options):
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", **options)
        out("jpeg", name, buffer.getvalue())
    save("rgb_420.jpg", image, quality=75)
    save("rgb_444.jpg", image, quality=90, subsampling=0)
    save("gray.jpg", image.convert("L"), quality=80)
    save("cmyk.jpg", image.convert("CMYK"), quality=80)
    save("progressive.jpg", image, quality=70, progressive=True)
    save("optimized_restart.jpg", image, quality=60, optimize=True, restart_marker_blocks=1)
    exif = Image.Exif()
    exif[0x0112] = 8
    save("exif8.jpg", image, quality=50, exif=exif.tobytes())
    save("wide_draft.jpg", Image.new("RGB", (64, 16), (10, 200, 30)), quality=50)


# The BMP, PNM, GIF, WebP and TIFF seeds: the encodings of the Pillow parity corpus
# (python-interop/gen_imaging_fixtures.write_format_encodings), each at most 8 KB (the smoke
# run's -max_len).
FORMAT_SEEDS = {
    "bmp": ["bmp_h12_8bit.bmp", "bmp_h124_24bit.bmp", "bmp_1bit.bmp", "bmp_4bit.bmp", "bmp_16bit_bitfields_565.bmp",
            "bmp_32bit_bitfields_3_v5.bmp", "bmp_rle8_topdown_delta.bmp", "bmp_rle4_delta.bmp",
            "bmp_8bit_short_palette.bmp", "bmp_h64_8bit.bmp"],
    "pnm": ["pnm_P1.pbm", "pnm_P4.pbm", "pnm_P2_max7.pgm", "pnm_P3_max1000.ppm", "pnm_P5_max65535.pgm",
            "pnm_P5_max100.pgm", "pnm_P6_max255.ppm", "pnm_P6_max4095.ppm"],
    "gif": ["gif_P.gif", "gif_P16_interlaced.gif", "gif_L.gif", "gif_transparency.gif", "gif_animated.gif"],
    "webp": ["webp_lossy.webp", "webp_lossless.webp", "webp_lossy_alpha.webp", "webp_lossless_alpha.webp",
             "webp_animated.webp"],
    "tiff": ["tiff_le_rgb_deflate_tiles.tif", "tiff_be_rgb_packbits_strips.tif", "tiff_be_gray16_deflate_predictor_tiles.tif",
             "tiff_le_palette4.tif", "tiff_le_gray1_miniswhite.tif", "tiff_be_cmyk_planar.tif",
             "tiff_pillow_rgb_jpeg.tif", "tiff_pillow_YCbCr_lzw.tif", "tiff_pillow_rgb_tiff_lzw.tif",
             "tiff_orientation_6.tif", "tiff_le_multipage.tif"],
}


def format_seeds():
    import sys
    import tempfile
    sys.path.insert(0, str(HERE.parent / "python-interop"))
    import gen_imaging_fixtures
    with tempfile.TemporaryDirectory() as folder:
        files = {p.name: p for p in gen_imaging_fixtures.write_format_encodings(folder, seed=0)}
        for target, names in FORMAT_SEEDS.items():
            for name in names:
                data = files[name].read_bytes()
                assert len(data) <= 8192, (name, len(data))
                out(target, name, data)


if __name__ == "__main__":
    npy_seeds()
    zip_seeds()
    png_seeds()
    jpeg_seeds()
    format_seeds()
    for folder in sorted(CORPUS.iterdir()):
        files = sorted(folder.iterdir())
        print(f"{folder.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")
