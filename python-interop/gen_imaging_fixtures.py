#!/usr/bin/env python3
"""Generate the Imaging test fixtures and Pillow's reference results for them.

    python3 python-interop/gen_imaging_fixtures.py            # rewrites Tests/Fixtures/images/

Writes, under Tests/Fixtures/images/:
  formats/    one small file per BMP, PNM, GIF, WebP and TIFF encoding
              (write_format_encodings; format_writers.py writes what Pillow cannot).
  extra/      small synthetic images in every encoding the decoder handles that the
              public-domain corpus (corpus/, made by make_image_corpus.py
              --public-domain-only) lacks: 1/2/4/16-bit gray, LA, 16-bit RGB(A), palettes
              of every bit depth with tRNS and short palettes, Adam7, CMYK JPEG, 4:2:2,
              EXIF orientations 1-8 (JPEG) and an eXIf PNG.
  bad/        zero-byte, non-image, truncated, CRC-damaged and corrupt files.
  manifest.json
              Pillow 13's results: for each case the file, the operation, the output shape
              and the CRC-32 of the output bytes (C order). The Swift tests require equality.
  full/       a few complete reference arrays as raw bytes (for debugging a mismatch).

The module is also imported by python-interop/test_imaging_parity.py to build a larger
corpus in a temporary folder. Deterministic: the same Pillow gives the same bytes.
"""
import io
import warnings
import json
import os
import pathlib
import random
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageOps

import oracle_versions

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures" / "images"

FILTERS = {
    "nearest": Image.Resampling.NEAREST,
    "box": Image.Resampling.BOX,
    "bilinear": Image.Resampling.BILINEAR,
    "hamming": Image.Resampling.HAMMING,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
}

# ---------------------------------------------------------------------------------------
# Synthetic pixels and a PNG writer that can produce every colour type and bit depth.
# ---------------------------------------------------------------------------------------


def synthetic_rgb(rng, width, height):
    """Smooth gradients, a ring pattern, sharp edges and noise: exercises every filter."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    fx, fy = rng.uniform(0.05, 0.4), rng.uniform(0.05, 0.4)
    r = 127 + 120 * np.sin(x * fx + rng.uniform(0, 6)) * np.cos(y * fy)
    g = 255 * (x / max(1, width - 1)) * (1 - y / max(1, height - 1) / 2)
    b = np.where(((x // 5) + (y // 7)) % 2 == 0, 230.0, 25.0)
    noise = rng.normal(0, 12, (height, width, 3))
    a = np.stack([r, g, b], axis=-1) + noise
    return np.clip(a, 0, 255).astype(np.uint8)


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _pack_row(samples, bit_depth):
    """samples: 1-D integer array of one row's samples."""
    if bit_depth == 8:
        return samples.astype(np.uint8).tobytes()
    if bit_depth == 16:
        return samples.astype(">u2").tobytes()
    per_byte = 8 // bit_depth
    padded = np.zeros(-(-len(samples) // per_byte) * per_byte, dtype=np.uint8)
    padded[: len(samples)] = samples
    padded = padded.reshape(-1, per_byte)
    out = np.zeros(len(padded), dtype=np.uint8)
    for i in range(per_byte):
        out |= (padded[:, i] << (8 - bit_depth * (i + 1))).astype(np.uint8)
    return out.tobytes()


ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def png_bytes(pixels, color_type, bit_depth, palette=None, trns=None, interlace=False, chunks_before_idat=()):
    """Encode `pixels` (H, W) or (H, W, C) of sample values as a PNG, byte by byte."""
    a = np.asarray(pixels)
    if a.ndim == 2:
        a = a[:, :, None]
    h, w, c = a.shape
    raw = bytearray()
    passes = ADAM7 if interlace else ((0, 0, 1, 1),)
    for x0, y0, dx, dy in passes:
        if x0 >= w or y0 >= h:
            continue
        for y in range(y0, h, dy):
            raw.append(0)
            raw += _pack_row(a[y, x0::dx].reshape(-1), bit_depth)
    out = b"\x89PNG\r\n\x1a\n"
    out += _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        out += _chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        out += _chunk(b"tRNS", trns)
    for kind, data in chunks_before_idat:
        out += _chunk(kind, data)
    out += _chunk(b"IDAT", zlib.compress(bytes(raw), 6))
    out += _chunk(b"IEND", b"")
    return out


def exif_orientation_bytes(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


# ---------------------------------------------------------------------------------------
# The catalogue of encodings.
# ---------------------------------------------------------------------------------------


def write_encodings(folder, seed=0, scale=1):
    """Write one file per encoding into `folder`; returns their paths (sorted)."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)

    def size():
        return int(rng.integers(9, 60)) * scale, int(rng.integers(9, 60)) * scale

    def rgb():
        w, h = size()
        return synthetic_rgb(rng, w, h)

    def gray():
        return np.asarray(Image.fromarray(rgb()).convert("L"))

    files = {}

    def put(name, data):
        (folder / name).write_bytes(data)
        files[name] = folder / name

    def jpeg(im, **kw):
        b = io.BytesIO()
        im.save(b, "JPEG", **kw)
        return b.getvalue()

    # JPEG variants
    put("jpeg_420.jpg", jpeg(Image.fromarray(rgb()), quality=prng.choice([70, 85, 95]), subsampling=2))
    put("jpeg_422.jpg", jpeg(Image.fromarray(rgb()), quality=80, subsampling=1))
    put("jpeg_444.jpg", jpeg(Image.fromarray(rgb()), quality=90, subsampling=0))
    put("jpeg_progressive.jpg", jpeg(Image.fromarray(rgb()), quality=75, progressive=True, optimize=True))
    put("jpeg_gray.jpg", jpeg(Image.fromarray(gray()), quality=85))
    put("jpeg_cmyk.jpg", jpeg(Image.fromarray(rgb()).convert("CMYK"), quality=90))
    put("jpeg_1x1.jpg", jpeg(Image.fromarray(synthetic_rgb(rng, 1, 1))))
    put("jpeg_odd_17x3.jpg", jpeg(Image.fromarray(synthetic_rgb(rng, 17 * scale, 3))))
    # PNG gray of every depth
    g = gray()
    put("png_gray1.png", png_bytes(g >> 7, 0, 1))
    put("png_gray2.png", png_bytes(g >> 6, 0, 2))
    put("png_gray4.png", png_bytes(g >> 4, 0, 4))
    put("png_gray8_trns.png", png_bytes(g, 0, 8, trns=struct.pack(">H", int(g[0, 0]))))
    g16 = g.astype(np.uint16) * 251 + rng.integers(0, 200, g.shape).astype(np.uint16)
    g16[0, : min(4, g16.shape[1])] = [0, 255, 256, 65535][: min(4, g16.shape[1])]
    put("png_gray16.png", png_bytes(g16, 0, 16))
    put("png_gray16_small_values.png", png_bytes((g.astype(np.uint16) + 100), 0, 16))
    # gray + alpha
    ga = np.stack([g, np.linspace(0, 255, g.shape[1], dtype=np.uint8)[None, :].repeat(g.shape[0], 0)], -1)
    put("png_gray_alpha8.png", png_bytes(ga, 4, 8))
    put("png_gray_alpha16.png", png_bytes(ga.astype(np.uint16) * 257 + 3, 4, 16))
    # RGB / RGBA
    c = rgb()
    put("png_rgb8_trns.png", png_bytes(c, 2, 8, trns=struct.pack(">HHH", *map(int, c[0, 0]))))
    put("png_rgb16.png", png_bytes(c.astype(np.uint16) * 256 + rng.integers(0, 256, c.shape).astype(np.uint16), 2, 16))
    ca = np.concatenate([c, rng.integers(0, 256, c.shape[:2] + (1,)).astype(np.uint8)], -1)
    put("png_rgba8.png", png_bytes(ca, 6, 8))
    put("png_rgba16.png", png_bytes(ca.astype(np.uint16) * 257, 6, 16))
    put("png_rgb8_adam7.png", png_bytes(rgb(), 2, 8, interlace=True))
    put("png_rgb16_adam7.png", png_bytes(rgb().astype(np.uint16) * 257, 2, 16, interlace=True))
    put("png_gray2_adam7.png", png_bytes(gray() >> 6, 0, 2, interlace=True))
    # palettes
    for bits in (1, 2, 4, 8):
        n = 1 << bits
        pal = rng.integers(0, 256, (n, 3))
        idx = rng.integers(0, n, size())
        put(f"png_palette{bits}.png", png_bytes(idx, 3, bits, palette=pal))
    pal = rng.integers(0, 256, (16, 3))
    idx = rng.integers(0, 16, size())
    put("png_palette4_trns.png", png_bytes(idx, 3, 4, palette=pal, trns=bytes(rng.integers(0, 256, 10).astype(np.uint8))))
    idx = rng.integers(0, 256, size())
    put("png_palette8_short.png", png_bytes(idx, 3, 8, palette=rng.integers(0, 256, (5, 3))))
    put("png_palette4_adam7.png", png_bytes(rng.integers(0, 16, size()), 3, 4, palette=rng.integers(0, 256, (16, 3)), interlace=True))
    put("png_1xN.png", png_bytes(synthetic_rgb(rng, 1, 40), 2, 8))
    put("png_Nx1.png", png_bytes(synthetic_rgb(rng, 40, 1), 2, 8))
    return sorted(files.values())


def write_format_encodings(folder, seed=0, scale=1):
    """One file per encoding of BMP, PNM, GIF, WebP and TIFF; returns their paths (sorted).

    Pillow writes what it can (plain BMP, binary PNM, GIF, WebP, striped little-endian TIFF
    with every libtiff compression); format_writers writes the rest byte by byte (BMP headers,
    bitfields and RLE, ASCII PNM and odd maxvals, big-endian, tiled, predicted and planar TIFF).
    The file names say the encoding; the extensions are deliberately not always the format's.
    """
    import format_writers as fw
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    w, h = 23 * scale + seed % 5, 17 * scale + seed % 3
    rgb = synthetic_rgb(rng, w, h)
    gray = np.asarray(Image.fromarray(rgb).convert("L"))
    alpha = rng.integers(0, 256, (h, w), dtype=np.uint8)
    rgba = np.dstack([rgb, alpha])
    palette = rng.integers(0, 256, (256, 3)).tolist()
    paths = []

    def put(name, data):
        p = folder / name
        p.write_bytes(data)
        paths.append(p)

    def pillow(name, im, fmt, **kw):
        p = folder / name
        im.save(p, fmt, **kw)
        paths.append(p)

    # BMP: every header, depth, bitfields layout and RLE.
    idx8 = rng.integers(0, 256, (h, w), dtype=np.uint8)
    idx8[:, : w // 2] = idx8[:, :1]  # long runs for RLE
    idx4 = (idx8 % 16).astype(np.uint8)
    idx1 = (gray > 128).astype(np.uint8)
    for header in (12, 40, 52, 56, 64, 108, 124):
        put(f"bmp_h{header}_8bit.bmp", fw.bmp_bytes(idx8, 8, header, palette=palette))
        put(f"bmp_h{header}_24bit.bmp", fw.bmp_bytes(rgb, 24, header))
    put("bmp_1bit.bmp", fw.bmp_bytes(idx1, 1, palette=[(10, 20, 30), (200, 150, 100)]))
    put("bmp_1bit_bw.bmp", fw.bmp_bytes(idx1, 1, palette=[(0, 0, 0), (255, 255, 255)]))
    put("bmp_4bit.bmp", fw.bmp_bytes(idx4, 4, palette=palette[:16]))
    put("bmp_4bit_os2.bmp", fw.bmp_bytes(idx4, 4, 12, palette=palette[:16]))
    put("bmp_8bit_gray.bmp", fw.bmp_bytes(gray, 8, palette=[(i, i, i) for i in range(256)]))
    put("bmp_8bit_short_palette.bmp", fw.bmp_bytes(idx8 % 40 + 10, 8, palette=palette[:40], colors_used=40))
    put("bmp_8bit_topdown.bmp", fw.bmp_bytes(idx8, 8, palette=palette, top_down=True))
    put("bmp_24bit_topdown.bmp", fw.bmp_bytes(rgb, 24, top_down=True))
    put("bmp_16bit_555.bmp", fw.bmp_bytes(rgb, 16))
    put("bmp_16bit_bitfields_565.bmp", fw.bmp_bytes(rgb, 16, compression=3, masks=(0xF800, 0x7E0, 0x1F)))
    put("bmp_16bit_bitfields_555_v4.bmp", fw.bmp_bytes(rgb, 16, 108, compression=3, masks=(0x7C00, 0x3E0, 0x1F)))
    put("bmp_32bit.bmp", fw.bmp_bytes(rgb, 32))
    for i, masks in enumerate([(0xFF0000, 0xFF00, 0xFF, 0), (0xFF000000, 0xFF0000, 0xFF00, 0),
                               (0xFF000000, 0xFF00, 0xFF, 0), (0xFF000000, 0xFF0000, 0xFF00, 0xFF),
                               (0xFF, 0xFF00, 0xFF0000, 0xFF000000), (0xFF0000, 0xFF00, 0xFF, 0xFF000000),
                               (0xFF000000, 0xFF00, 0xFF, 0xFF0000)]):
        put(f"bmp_32bit_bitfields_{i}_v5.bmp", fw.bmp_bytes(rgba, 32, 124, compression=3, masks=masks))
    put("bmp_32bit_bitfields_h40.bmp", fw.bmp_bytes(rgb, 32, 40, compression=3, masks=(0xFF0000, 0xFF00, 0xFF)))
    put("bmp_24bit_bitfields_h56.bmp", fw.bmp_bytes(rgb, 24, 56, compression=3, masks=(0xFF0000, 0xFF00, 0xFF)))
    put("bmp_rle8.bmp", fw.bmp_bytes(idx8, 8, palette=palette, compression=1))
    put("bmp_rle8_topdown_delta.bmp", fw.bmp_bytes(idx8, 8, palette=palette, compression=1, top_down=True,
                                                   delta_at=h // 2))
    put("bmp_rle4.bmp", fw.bmp_bytes(idx4, 4, palette=palette[:16], compression=2))
    put("bmp_rle4_delta.bmp", fw.bmp_bytes(idx4, 4, palette=palette[:16], compression=2, delta_at=1))
    pillow("bmp_pillow_rgb.bmp", Image.fromarray(rgb), "BMP")
    pillow("bmp_pillow_P.bmp", Image.fromarray(rgb).quantize(37), "BMP")
    pillow("bmp_pillow_1.bmp", Image.fromarray(gray).convert("1"), "BMP")
    pillow("bmp_pillow_rgba.bmp", Image.fromarray(rgba), "BMP")
    pillow("bmp_named.png", Image.fromarray(rgb), "BMP")

    # PNM: binary and ASCII, every maxval regime, comments.
    wide = (gray.astype(np.uint32) * 257 + rng.integers(0, 257, gray.shape)).astype(np.uint32)
    for magic, data in (("P1", idx1), ("P4", idx1)):
        put(f"pnm_{magic}.pbm", fw.pnm_bytes(data, magic, comment="made by gen_imaging_fixtures"))
    for maxval in (255, 1, 7, 100, 256, 1000, 4095, 65535):
        g = np.minimum(wide * (maxval + 1) // 65536, maxval)
        c = np.minimum(rgb.astype(np.uint32) * maxval // 255, maxval)
        put(f"pnm_P5_max{maxval}.pgm", fw.pnm_bytes(g, "P5", maxval))
        put(f"pnm_P6_max{maxval}.ppm", fw.pnm_bytes(c, "P6", maxval))
        put(f"pnm_P2_max{maxval}.pgm", fw.pnm_bytes(g, "P2", maxval, comment="ascii"))
        put(f"pnm_P3_max{maxval}.ppm", fw.pnm_bytes(c, "P3", maxval))
    over = np.where(rng.random(gray.shape) < 0.1, 255, np.minimum(gray, 200)).astype(np.uint8)
    put("pnm_P5_values_above_max200.pgm", fw.pnm_bytes(over, "P5", 200))
    pillow("pnm_pillow_L.pgm", Image.fromarray(gray), "PPM")
    pillow("pnm_pillow_rgb.ppm", Image.fromarray(rgb), "PPM")
    pillow("pnm_pillow_I16.pgm", Image.fromarray(wide.astype(np.uint16)), "PPM")
    pillow("pnm_named.jpg", Image.fromarray(rgb), "PPM")

    # GIF: palettes, transparency, interlace, frames smaller than the screen, animation.
    pillow("gif_P.gif", Image.fromarray(rgb).quantize(200), "GIF")
    pillow("gif_P16_interlaced.gif", Image.fromarray(rgb).quantize(16), "GIF", interlace=True)
    pillow("gif_L.gif", Image.fromarray(gray), "GIF")
    pillow("gif_transparency.gif", Image.fromarray(rgb).quantize(64), "GIF", transparency=5)
    frames = [Image.fromarray(synthetic_rgb(rng, w, h)).quantize(32) for _ in range(3)]
    pillow("gif_animated.gif", frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50)
    pillow("gif_named.webp", Image.fromarray(rgb).quantize(50), "GIF")
    small = (idx8 % 64).astype(np.uint8)
    put("gif_lzw_code_size_11.gif", fw.gif_bytes(small, palette[:64]))
    put("gif_frame_past_screen.gif", fw.gif_bytes(small, palette[:64], frame_offset=(3, 2), screen=(w, h)))

    # WebP: lossy, lossless, alpha, animated.
    pillow("webp_lossy.webp", Image.fromarray(rgb), "WEBP", quality=80)
    pillow("webp_lossless.webp", Image.fromarray(rgb), "WEBP", lossless=True)
    pillow("webp_lossy_alpha.webp", Image.fromarray(rgba), "WEBP", quality=70)
    pillow("webp_lossless_alpha.webp", Image.fromarray(rgba), "WEBP", lossless=True, exact=True)
    anim = [Image.fromarray(synthetic_rgb(rng, w, h)) for _ in range(3)]
    pillow("webp_animated.webp", anim[0], "WEBP", save_all=True, append_images=anim[1:], duration=40, quality=75)
    pillow("webp_animated_lossless_alpha.webp", Image.fromarray(rgba), "WEBP", save_all=True,
           append_images=[Image.fromarray(np.dstack([a, alpha])) for a in (rgb[::-1],)], lossless=True)
    pillow("webp_named.tif", Image.fromarray(rgb), "WEBP", quality=60)

    # TIFF through Pillow (libtiff): every compression it writes, modes, multi-page.
    for comp in ("raw", "tiff_lzw", "tiff_deflate", "tiff_adobe_deflate", "packbits", "jpeg"):
        pillow(f"tiff_pillow_rgb_{comp}.tif", Image.fromarray(rgb), "TIFF", compression=comp)
    for mode, im in (("L", Image.fromarray(gray)), ("1", Image.fromarray(gray).convert("1")),
                     ("RGBA", Image.fromarray(rgba)), ("P", Image.fromarray(rgb).quantize(77)),
                     ("CMYK", Image.fromarray(rgb).convert("CMYK")), ("LA", Image.fromarray(rgba).convert("LA")),
                     ("I16", Image.fromarray(wide.astype(np.uint16))), ("YCbCr", Image.fromarray(rgb).convert("YCbCr"))):
        pillow(f"tiff_pillow_{mode}_lzw.tif", im, "TIFF", compression="tiff_lzw")
    pillow("tiff_pillow_L_jpeg.tif", Image.fromarray(gray), "TIFF", compression="jpeg")
    for orientation in (3, 4):  # libtiff's RGBA reader would flip these itself; Pillow stops it
        pillow(f"tiff_pillow_YCbCr_orientation_{orientation}.tif", Image.fromarray(rgb).convert("YCbCr"), "TIFF",
               compression="tiff_lzw", tiffinfo={274: orientation})
    pillow("tiff_pillow_multipage.tif", Image.fromarray(rgb), "TIFF", save_all=True,
           append_images=[Image.fromarray(rgb[::-1])])
    # TIFF by hand: byte orders, tiles, predictors, planes, bit depths, photometrics.
    cmap = [v * 257 for v in np.asarray(palette, dtype=np.int64).T.reshape(-1)]
    wide16 = wide.astype(np.uint16)
    for order in ("<", ">"):
        o = "le" if order == "<" else "be"
        for comp, cname in ((1, "none"), (8, "deflate"), (32773, "packbits")):
            put(f"tiff_{o}_rgb_{cname}_strips.tif", fw.tiff_bytes(rgb, 2, byteorder=order, compression=comp, rows_per_strip=5))
            put(f"tiff_{o}_rgb_{cname}_tiles.tif", fw.tiff_bytes(rgb, 2, byteorder=order, compression=comp, tile=(16, 16)))
        put(f"tiff_{o}_rgb_deflate_predictor.tif", fw.tiff_bytes(rgb, 2, byteorder=order, compression=8, predictor=2))
        put(f"tiff_{o}_gray16_deflate_predictor_tiles.tif",
            fw.tiff_bytes(wide16, 1, 16, byteorder=order, compression=8, predictor=2, tile=(16, 32)))
        put(f"tiff_{o}_gray16.tif", fw.tiff_bytes(wide16, 1, 16, byteorder=order))
        put(f"tiff_{o}_rgb16.tif", fw.tiff_bytes((rgb.astype(np.uint16) * 257), 2, 16, byteorder=order))
        put(f"tiff_{o}_rgba16_tiles.tif", fw.tiff_bytes(np.dstack([rgb, alpha]).astype(np.uint16) * 257, 2, 16,
                                                        byteorder=order, tile=(16, 16), extra_samples=[2]))
        put(f"tiff_{o}_palette8.tif", fw.tiff_bytes(idx8, 3, 8, byteorder=order, colormap=cmap))
        put(f"tiff_{o}_palette4.tif", fw.tiff_bytes(idx4, 3, 4, byteorder=order,
                                                    colormap=[v for c in range(3) for v in cmap[c * 256:c * 256 + 16]]))
        put(f"tiff_{o}_gray1_miniswhite.tif", fw.tiff_bytes(idx1, 0, 1, byteorder=order))
        put(f"tiff_{o}_gray4_tiles.tif", fw.tiff_bytes(idx4, 1, 4, byteorder=order, tile=(16, 16), compression=8))
        put(f"tiff_{o}_gray2.tif", fw.tiff_bytes(idx4 % 4, 1, 2, byteorder=order))
        put(f"tiff_{o}_cmyk_planar.tif", fw.tiff_bytes(np.asarray(Image.fromarray(rgb).convert("CMYK")), 5,
                                                       byteorder=order, planar=2, compression=8))
        put(f"tiff_{o}_cmyk16.tif", fw.tiff_bytes(np.asarray(Image.fromarray(rgb).convert("CMYK")).astype(np.uint16) * 257
                                                  + 100, 5, 16, byteorder=order))
        put(f"tiff_{o}_rgb_planar_tiles.tif", fw.tiff_bytes(rgb, 2, byteorder=order, planar=2, tile=(16, 16),
                                                            compression=32773))
        put(f"tiff_{o}_rgba_unassoc.tif", fw.tiff_bytes(rgba, 2, byteorder=order, extra_samples=[2]))
        put(f"tiff_{o}_rgba_assoc.tif", fw.tiff_bytes(
            np.dstack([(rgb.astype(np.uint32) * alpha[..., None] // 255).astype(np.uint8), alpha]), 2,
            byteorder=order, extra_samples=[1]))
        put(f"tiff_{o}_multipage.tif", fw.tiff_bytes(gray, 1, byteorder=order, second_page=rgb[:5, :7]))
    for orientation in (3, 6, 8):
        put(f"tiff_orientation_{orientation}.tif", fw.tiff_bytes(rgb, 2, orientation=orientation))
    return sorted(paths)


def write_orientations(folder, seed=1):
    """JPEGs with EXIF orientation 1-8 and a PNG with an eXIf chunk (orientation 6)."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    base = Image.fromarray(synthetic_rgb(rng, 40, 24))
    paths = []
    for o in range(1, 9):
        p = folder / f"exif_orientation_{o}.jpg"
        base.save(p, "JPEG", quality=90, exif=exif_orientation_bytes(o))
        paths.append(p)
    p = folder / "exif_orientation_6.png"
    p.write_bytes(png_bytes(np.asarray(base), 2, 8, chunks_before_idat=[(b"eXIf", exif_orientation_bytes(6)[6:])]))
    paths.append(p)
    return paths


def write_bad_files(folder, seed=2):
    """Files that must fail, with the error kind each must give."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    im = Image.fromarray(synthetic_rgb(rng, 48, 40))
    b = io.BytesIO(); im.save(b, "JPEG", quality=90); baseline = b.getvalue()
    b = io.BytesIO(); im.save(b, "JPEG", quality=90, progressive=True); progressive = b.getvalue()
    png = png_bytes(np.asarray(im), 2, 8)
    cases = {}

    def put(name, data, kind):
        (folder / name).write_bytes(data)
        cases[name] = kind

    put("empty.jpg", b"", "emptyFile")
    put("text.png", b"this is not an image, just text\n", "unknownFormat")
    put("gif_named.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "corrupt")  # a GIF with no image
    put("truncated_baseline.jpg", baseline[: len(baseline) * 6 // 10], "truncated")
    put("truncated_progressive.jpg", progressive[: len(progressive) * 6 // 10], "truncated")
    sos = baseline.index(b"\xff\xda")
    put("header_only.jpg", baseline[: sos + 14], "truncated")
    put("soi_only.jpg", b"\xff\xd8\xff", "truncated")
    bad_sof = bytearray(baseline)
    sof = bad_sof.index(b"\xff\xc0")
    bad_sof[sof + 5: sof + 9] = b"\x00\x00\x00\x00"  # height 0, width 0
    put("zero_size_sof.jpg", bytes(bad_sof), "corrupt")
    huge_sof = bytearray(baseline)
    huge_sof[sof + 5: sof + 9] = struct.pack(">HH", 60000, 60000)  # 3.6 G pixels
    put("huge_dimensions.jpg", bytes(huge_sof), "tooLarge")
    huge_png = bytearray(png)
    huge_png[16:24] = struct.pack(">II", 20000, 20000)  # 400 M pixels
    huge_png[29:33] = struct.pack(">I", zlib.crc32(bytes(huge_png[12:29])) & 0xFFFFFFFF)
    put("huge_dimensions.png", bytes(huge_png), "tooLarge")
    zero_width = bytearray(png)
    zero_width[16:20] = struct.pack(">I", 0)
    zero_width[29:33] = struct.pack(">I", zlib.crc32(bytes(zero_width[12:29])) & 0xFFFFFFFF)
    put("zero_width.png", bytes(zero_width), "corrupt")
    put("truncated.png", png[: len(png) * 6 // 10], "truncated")
    put("signature_only.png", png[:8], "truncated")
    bad_crc = bytearray(png)
    idat = bad_crc.index(b"IDAT")
    length = struct.unpack(">I", bad_crc[idat - 4: idat])[0]
    bad_crc[idat + 4 + length] ^= 0xFF  # first CRC byte of IDAT
    put("bad_crc_idat.png", bytes(bad_crc), "corrupt")
    bad_ihdr = bytearray(png)
    bad_ihdr[8 + 8 + 13] ^= 0xFF  # first CRC byte of IHDR
    put("bad_crc_ihdr.png", bytes(bad_ihdr), "corrupt")
    bad_zlib = bytearray(png)
    bad_zlib[idat + 4: idat + 6] = b"\xff\xff"  # break the zlib header, then fix the CRC
    crc = zlib.crc32(bytes(bad_zlib[idat: idat + 4 + length])) & 0xFFFFFFFF
    bad_zlib[idat + 4 + length: idat + 8 + length] = struct.pack(">I", crc)
    put("bad_zlib.png", bytes(bad_zlib), "corrupt")
    return cases


def write_format_bad_files(folder, seed=3):
    """Malformed BMP, PNM, GIF, WebP and TIFF files, with the error kind each must give."""
    import format_writers as fw
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rgb = synthetic_rgb(rng, 30, 20)
    idx = rng.integers(0, 256, (20, 30), dtype=np.uint8)
    palette = rng.integers(0, 256, (256, 3)).tolist()
    cases = {}

    def put(name, data, kind):
        (folder / name).write_bytes(data)
        cases[name] = kind

    def pillow_bytes(im, fmt, **kw):
        b = io.BytesIO()
        im.save(b, fmt, **kw)
        return b.getvalue()

    bmp = fw.bmp_bytes(rgb, 24)
    put("bmp_truncated.bmp", bmp[: len(bmp) * 2 // 3], "truncated")
    put("bmp_header_only.bmp", bmp[:30], "truncated")
    huge = bytearray(bmp)
    huge[18:26] = struct.pack("<ii", 30000, 30000)
    put("bmp_huge_dimensions.bmp", bytes(huge), "tooLarge")
    odd = bytearray(bmp)
    odd[14:18] = struct.pack("<I", 99)
    put("bmp_unknown_header.bmp", bytes(odd), "unsupported")
    put("bmp_bitfields_unsupported.bmp", fw.bmp_bytes(rgb, 32, 124, compression=3, masks=(0xFF, 0xFF00, 0xFF0000, 0xF0)),
        "unsupported")
    put("bmp_rle8_ends_early.bmp", fw.bmp_bytes(idx, 8, palette=palette, compression=1, end_early=True), "truncated")
    put("bmp_depth_7.bmp", bmp[:28] + struct.pack("<H", 7) + bmp[30:], "unsupported")
    p6 = fw.pnm_bytes(rgb, "P6")
    put("pnm_truncated.ppm", p6[: len(p6) // 2], "truncated")
    put("pnm_ascii_above_maxval.pgm", b"P2\n2 2\n10\n1 2 3 11\n", "corrupt")
    put("pnm_maxval_zero.pgm", b"P5\n2 2\n0\n\x00\x00\x00\x00", "corrupt")
    put("pnm_huge_dimensions.pgm", b"P5\n40000 40000\n255\n" + b"\x00" * 64, "tooLarge")
    put("pnm_ascii_too_few.ppm", b"P3\n2 2\n255\n1 2 3 4 5 6\n", "truncated")
    put("pnm_header_only.pbm", b"P4\n", "truncated")
    gif = pillow_bytes(Image.fromarray(rgb).quantize(64), "GIF")
    put("gif_truncated.gif", gif[: len(gif) // 2], "truncated")
    huge_gif = bytearray(gif)
    huge_gif[6:10] = struct.pack("<HH", 65535, 65535)
    put("gif_huge_screen.gif", bytes(huge_gif), "tooLarge")
    # Pillow's decoder pauses at an end code and then finds no more data: truncated.
    put("gif_end_code_early.gif", fw.gif_bytes(idx % 64, palette[:64], end_code_after=300), "truncated")
    put("gif_empty_frame.gif", fw.gif_bytes(idx[:0], palette[:64], screen=(30, 20)), "corrupt")
    webp = pillow_bytes(Image.fromarray(rgb), "WEBP", quality=80)
    put("webp_truncated.webp", webp[: len(webp) // 2], "corrupt")
    put("webp_header_only.webp", webp[:20], "truncated")
    tiff = fw.tiff_bytes(rgb, 2, compression=8)
    put("tiff_truncated.tif", tiff[: len(tiff) // 3], "corrupt")
    put("tiff_header_only.tif", tiff[:8], "corrupt")
    put("tiff_huge_dimensions.tif", fw.tiff_bytes(np.zeros((1, 1), np.uint8), 1)[:8]
        + fw.tiff_bytes(np.zeros((1, 1), np.uint8), 1)[8:].replace(struct.pack("<HHII", 256, 4, 1, 1),
                                                                    struct.pack("<HHII", 256, 4, 1, 200000))
        .replace(struct.pack("<HHII", 257, 4, 1, 1), struct.pack("<HHII", 257, 4, 1, 200000)), "tooLarge")
    # 12000×12000 (under the pixel limit) declared by files of a few hundred bytes: refused
    # before the raster is allocated.
    def big(photometric, spp):
        small = fw.tiff_bytes(np.zeros((1, 1, spp) if spp > 1 else (1, 1), np.uint8), photometric, compression=8)
        return small.replace(struct.pack("<HHII", 256, 4, 1, 1), struct.pack("<HHII", 256, 4, 1, 12000)) \
                    .replace(struct.pack("<HHII", 257, 4, 1, 1), struct.pack("<HHII", 257, 4, 1, 12000)) \
                    .replace(struct.pack("<HHII", 278, 4, 1, 1), struct.pack("<HHII", 278, 4, 1, 12000))
    put("tiff_deflate_rgb_declares_144m_pixels.tif", big(2, 3), "truncated")
    put("tiff_deflate_ycbcr_declares_144m_pixels.tif", big(6, 3), "truncated")
    return cases


# ---------------------------------------------------------------------------------------
# Pillow's reference results.
# ---------------------------------------------------------------------------------------


def pillow_decode(path, mode, exif=False, draft=None):
    with Image.open(path) as im:
        if draft is not None:
            im.draft("RGB", draft)
        if exif:
            im = ImageOps.exif_transpose(im)
        return im.convert("RGB" if mode == "rgb" else "L")


def pillow_op(im, op, filt=None, size=None, box=None):
    if op == "decode":
        out = im
    elif op == "resize":
        out = im.resize(size, FILTERS[filt], box=box)
    elif op == "crop":
        out = ImageOps.fit(im, size, FILTERS[filt])
    elif op == "pad":
        out = ImageOps.pad(im, size, FILTERS[filt], color=0)
    else:
        raise ValueError(op)
    a = np.asarray(out)
    return a.reshape(a.shape[0], a.shape[1], -1)


def crc(a):
    return zlib.crc32(np.ascontiguousarray(a).tobytes()) & 0xFFFFFFFF


RESIZE_SIZES = [(224, 224), (20, 15), (61, 47), (1, 1), (1, 50), (300, 2), (33, 400)]
FIT_SIZES = [(32, 32), (50, 20), (20, 50)]


def main():
    # Pillow warns that P images with tRNS bytes "should be converted to RGBA"; we convert
    # to RGB on purpose (alpha is dropped, as docs/design.md §4 says).
    warnings.simplefilter("ignore", UserWarning)
    rel = lambda p: str(pathlib.Path(p).resolve().relative_to(FIXTURES.resolve()))
    corpus = sorted(p for p in (FIXTURES / "corpus").rglob("*") if p.is_file())
    if not corpus:
        sys.exit("Tests/Fixtures/images/corpus is empty: run make_image_corpus.py first (see README)")
    extra = write_encodings(FIXTURES / "extra", seed=0)
    orient = write_orientations(FIXTURES / "extra", seed=1)
    bad = write_bad_files(FIXTURES / "bad", seed=2)
    bad.update(write_format_bad_files(FIXTURES / "bad", seed=3))
    formats = write_format_encodings(FIXTURES / "formats", seed=0)
    full_dir = FIXTURES / "full"
    full_dir.mkdir(exist_ok=True)
    cases = []

    def add(path, mode, op, filt=None, size=None, box=None, exif=False, draft=None, keep_full=False):
        im = pillow_decode(path, mode, exif=exif, draft=draft)
        a = pillow_op(im, op, filt, size, box)
        case = {"file": rel(path), "mode": mode, "op": op, "exif": exif,
                "shape": list(a.shape), "crc32": crc(a)}
        if filt:
            case["filter"] = filt
        if size:
            case["size"] = list(size)
        if box:
            case["box"] = list(box)
        if draft:
            case["draft"] = list(draft)
        if keep_full:
            name = f"{len(cases):04d}.bin"
            (full_dir / name).write_bytes(a.tobytes())
            case["full"] = "full/" + name
        cases.append(case)

    images = corpus + extra + formats
    for p in images:
        for mode in ("rgb", "gray"):
            add(p, mode, "decode", keep_full=(p == images[0]))
    # Resize: every filter at every size on a spread of encodings.
    resize_set = [corpus[0], corpus[5], corpus[7]] + [FIXTURES / "extra" / n for n in
                  ("jpeg_cmyk.jpg", "png_palette4_trns.png", "png_gray16.png", "jpeg_odd_17x3.jpg", "png_1xN.png")]
    for p in resize_set:
        for filt in FILTERS:
            for s in RESIZE_SIZES:
                add(p, "rgb", "resize", filt, s)
    # One file of each new format through every filter at two sizes.
    for name in ("bmp_rle8.bmp", "pnm_P6_max1000.ppm", "gif_transparency.gif", "webp_lossy_alpha.webp",
                 "tiff_be_rgb16.tif", "tiff_le_palette4.tif"):
        for filt in FILTERS:
            for s in ((224, 224), (9, 13)):
                add(FIXTURES / "formats" / name, "rgb", "resize", filt, s)
    for p in (corpus[1], FIXTURES / "extra" / "jpeg_gray.jpg"):
        for filt in FILTERS:
            for s in RESIZE_SIZES:
                add(p, "gray", "resize", filt, s)
    # Fractional boxes.
    for filt in FILTERS:
        for box in ((0.5, 1.25, 30.75, 20.5), (3, 2, 40, 33), (10, 0, 11, 30)):
            add(corpus[2], "rgb", "resize", filt, (24, 17), box=box)
    # Crop and pad.
    for p in (corpus[0], corpus[3], FIXTURES / "extra" / "png_Nx1.png"):
        for filt in FILTERS:
            for s in FIT_SIZES:
                for mode in ("rgb", "gray"):
                    add(p, mode, "crop", filt, s)
                    add(p, mode, "pad", filt, s)
    # EXIF orientation on and off.
    for p in orient:
        add(p, "rgb", "decode", exif=True)
        add(p, "rgb", "decode", exif=False)
    # Draft (DCT scaling) requests.
    big = FIXTURES / "extra" / "draft_source.jpg"
    Image.fromarray(synthetic_rgb(np.random.default_rng(3), 200, 120)).save(big, "JPEG", quality=85)
    for d in ((100, 60), (50, 30), (25, 15), (24, 14), (201, 121), (60, 10)):
        add(big, "rgb", "decode", draft=d)
    # Errors: make sure Pillow fails on each too, except a bad IDAT CRC, which Pillow does
    # not check (it skips IDAT CRCs) and we report, as the issue asks.
    pillow_accepts = {"bad_crc_idat.png"}
    errors = []
    for name, kind in sorted(bad.items()):
        try:
            with Image.open(FIXTURES / "bad" / name) as im:
                im.load()
            pillow_failed = False
        except Exception:
            pillow_failed = True
        assert pillow_failed != (name in pillow_accepts), f"Pillow and bad/{name}"
        errors.append({"file": "bad/" + name, "error": kind, "pillow_fails": pillow_failed})
    manifest = {"generator": "python-interop/gen_imaging_fixtures.py",
                "pillow": Image.__version__, "numpy": np.__version__,
                "cases": cases, "errors": errors}
    (FIXTURES / "manifest.json").write_text(json.dumps(manifest, indent=0) + "\n")
    print(f"{len(cases)} reference cases, {len(errors)} error cases written to {FIXTURES}")


if __name__ == "__main__":
    oracle_versions.require_pinned("numpy", "pillow")  # golden data only from the pinned oracles
    main()
