"""Byte-level writers for the encodings Pillow cannot write itself, for the format parity tests.

Pillow writes plain BMP, binary PNM, GIF, WebP and little-endian striped TIFF; everything else
the decoders must read is written here, from the format specifications:
  bmp_bytes   every header size (OS/2 12, 40, 52, 56, 64, V4 108, V5 124), 1/4/8-bit palettes,
              16-bit 5-5-5 and 5-6-5, 24-bit, 32-bit with any BI_BITFIELDS masks, RLE8/RLE4
              (encoded runs, absolute runs, deltas), bottom-up and top-down;
  pnm_bytes   P1-P6, ASCII and binary, any maxval, comments in the header;
  tiff_bytes  either byte order, strips or tiles, none/deflate/PackBits compression,
              horizontal predictor, contiguous or separate planes, any photometric.
Pillow then reads every file, and its pixels are the reference.
"""
import struct
import zlib

import numpy as np

# ---------------------------------------------------------------------------------------
# BMP
# ---------------------------------------------------------------------------------------


def _rle8_row(row, absolute_every=0):
    """One row as RLE8: runs of equal values, and absolute runs for varied stretches."""
    out = bytearray()
    i, n = 0, len(row)
    while i < n:
        j = i
        while j < n and j - i < 255 and row[j] == row[i]:
            j += 1
        if j - i >= 2 or not absolute_every:
            out += bytes((j - i, row[i]))
            i = j
            continue
        # Absolute run of at least 3 varied values (shorter ones are encoded runs).
        k = i
        while k < n and k - i < 255 and (k + 1 >= n or row[k + 1] != row[k]):
            k += 1
        if k - i < 3:
            out += bytes((1, row[i]))
            i += 1
            continue
        out += bytes((0, k - i)) + bytes(row[i:k])
        if (k - i) % 2:
            out += b"\x00"
        i = k
    return bytes(out)


def _rle4_row(row):
    """One row as RLE4: runs of two alternating nibbles, and absolute runs."""
    out = bytearray()
    i, n = 0, len(row)
    while i < n:
        a = row[i]
        b = row[i + 1] if i + 1 < n else 0
        j = i
        while j < n and j - i < 255 and row[j] == (a if (j - i) % 2 == 0 else b):
            j += 1
        if j - i >= 3 or j == n:
            out += bytes((j - i, (a << 4) | b))
            i = j
            continue
        k = min(n, i + 9)
        count = k - i
        if count < 3:
            out += bytes((1, a << 4))
            i += 1
            continue
        vals = list(row[i:k]) + [0]
        packed = bytes((vals[t] << 4) | vals[t + 1] for t in range(0, count, 2))
        out += bytes((0, count)) + packed
        if len(packed) % 2:
            out += b"\x00"
        i = k
    return bytes(out)


def bmp_bytes(pixels, bits, header_size=40, palette=None, compression=0, masks=None, top_down=False,
              colors_used=0, delta_at=None, end_early=False):
    """pixels: (H, W) indices for bits <= 8, else (H, W, 3) RGB (or (H, W, 4) with alpha masks).

    compression: 0 raw, 1 RLE8, 2 RLE4, 3 bitfields (masks: R, G, B[, A]).
    """
    a = np.asarray(pixels)
    h, w = a.shape[:2]
    rows = range(h) if top_down else range(h - 1, -1, -1)
    if compression in (1, 2):
        body = bytearray()
        for y in rows:
            if delta_at is not None and y == delta_at:
                body += b"\x00\x02" + bytes((min(w, 3), 0))  # skip 3 pixels right
                body += (_rle8_row if compression == 1 else _rle4_row)(list(a[y, min(w, 3):]))
            else:
                body += _rle8_row(list(a[y]), absolute_every=1) if compression == 1 else _rle4_row(list(a[y]))
            body += b"\x00\x00"
            if end_early:
                break
        body += b"\x00\x01"
        data = bytes(body)
    else:
        stride = ((w * bits + 31) >> 3) & ~3
        data = bytearray()
        for y in rows:
            if bits <= 8:
                per = 8 // bits
                row = np.zeros(-(-w // per) * per, np.uint8)
                row[:w] = a[y]
                row = row.reshape(-1, per)
                packed = np.zeros(len(row), np.uint8)
                for i in range(per):
                    packed |= (row[:, i] << (8 - bits * (i + 1))).astype(np.uint8)
                line = packed.tobytes()
            elif bits == 24:
                line = a[y][:, ::-1].astype(np.uint8).tobytes()
            else:
                m = masks or ((0x7C00, 0x3E0, 0x1F) if bits == 16 else (0xFF0000, 0xFF00, 0xFF))
                vals = np.zeros(w, np.uint64)
                for c, mask in enumerate(m):
                    if mask == 0 or c >= a.shape[2]:
                        continue
                    shift = (mask & -mask).bit_length() - 1
                    width = bin(mask).count("1")
                    v = a[y][:, c].astype(np.uint64) >> np.uint64(8 - width) if width < 8 else a[y][:, c].astype(np.uint64)
                    vals |= (v << np.uint64(shift))
                line = vals.astype("<u2" if bits == 16 else "<u4").tobytes()
            data += line + b"\x00" * (stride - len(line))
        data = bytes(data)
    pal = b""
    if bits <= 8:
        entries = palette if palette is not None else [(i * 255 // ((1 << bits) - 1),) * 3 for i in range(1 << bits)]
        size = 3 if header_size == 12 else 4
        pal = b"".join(bytes((b, g, r)) + (b"\x00" if size == 4 else b"") for r, g, b in entries)
    extra_masks = b""
    if header_size == 12:
        info = struct.pack("<IHHHH", 12, w, h, 1, bits)
    else:
        height = (-h) & 0xFFFFFFFF if top_down else h
        info = struct.pack("<IIIHHIIiiII", header_size, w, height, 1, bits, compression, len(data), 2835, 2835,
                           colors_used, 0)
        m = list(masks or ()) + [0] * (4 - len(masks or ()))
        if header_size >= 52:
            info += struct.pack("<III", *m[:3])
            if header_size >= 56:
                info += struct.pack("<I", m[3])
            if header_size >= 108:
                info += b"BGRs" + b"\x00" * 36 + struct.pack("<III", 0, 0, 0)
            if header_size == 124:
                info += struct.pack("<IIII", 4, 0, 0, 0)
            info = info + b"\x00" * (header_size - len(info))
        elif compression == 3:
            extra_masks = struct.pack("<III", *m[:3])
    offset = 14 + len(info) + len(extra_masks) + len(pal)
    head = b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset)
    return head + info + extra_masks + pal + data


# ---------------------------------------------------------------------------------------
# PNM
# ---------------------------------------------------------------------------------------


def pnm_bytes(samples, magic, maxval=255, comment=None, line_width=17):
    """samples: (H, W) for P1/P2/P4/P5, (H, W, 3) for P3/P6, values already in 0..maxval."""
    a = np.asarray(samples)
    h, w = a.shape[:2]
    head = magic.encode() + b"\n"
    if comment:
        head += b"# " + comment.encode() + b"\n"
    head += b"%d %d\n" % (w, h)
    if magic not in ("P1", "P4"):
        head += b"%d\n" % maxval
    flat = a.reshape(-1)
    if magic == "P4":
        rows = []
        for y in range(h):
            bits = np.zeros(-(-w // 8) * 8, np.uint8)
            bits[:w] = a[y]
            rows.append(np.packbits(bits).tobytes())
        return head + b"".join(rows)
    if magic in ("P5", "P6"):
        return head + (flat.astype(np.uint8).tobytes() if maxval < 256 else flat.astype(">u2").tobytes())
    if magic == "P1":
        text = "".join(str(int(v)) for v in flat)
        return head + "\n".join(text[i:i + 70] for i in range(0, len(text), 70)).encode() + b"\n"
    words = [str(int(v)) for v in flat]
    lines = [" ".join(words[i:i + line_width]) for i in range(0, len(words), line_width)]
    return head + "\n".join(lines).encode() + b"\n"


# ---------------------------------------------------------------------------------------
# TIFF
# ---------------------------------------------------------------------------------------

_TYPES = {"B": 1, "H": 3, "I": 4}


def _packbits(data):
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        j = i
        while j < n and j - i < 128 and data[j] == data[i]:
            j += 1
        if j - i >= 2:
            out += bytes((257 - (j - i),)) + data[i:i + 1]
            i = j
            continue
        k = i
        while k < n and k - i < 128 and not (k + 1 < n and data[k + 1] == data[k]):
            k += 1
        k = max(k, i + 1)
        out += bytes((k - i - 1,)) + data[i:k]
        i = k
    return bytes(out)


def _pack_samples(a, bits, order):
    """a: (rows, W*spp) sample values → packed bytes, each row padded to a byte."""
    if bits == 8:
        return a.astype(np.uint8).tobytes()
    if bits == 16:
        return a.astype(order + "u2").tobytes()
    rows = []
    for row in a:
        per = 8 // bits
        r = np.zeros(-(-len(row) // per) * per, np.uint8)
        r[:len(row)] = row
        r = r.reshape(-1, per)
        packed = np.zeros(len(r), np.uint8)
        for i in range(per):
            packed |= (r[:, i] << (8 - bits * (i + 1))).astype(np.uint8)
        rows.append(packed.tobytes())
    return b"".join(rows)


def tiff_bytes(samples, photometric, bits=8, byteorder="<", compression=1, predictor=1, tile=None,
               rows_per_strip=None, planar=1, colormap=None, extra_samples=None, second_page=None,
               orientation=None):
    """samples: (H, W) or (H, W, spp) integer sample values.

    compression: 1 none, 8 deflate, 32773 PackBits. predictor 2 = horizontal differencing
    (8/16-bit). tile: (tw, th) multiples of 16, or None for strips. planar 2: one plane per sample.
    second_page: another samples array written as a second IFD (multi-page).
    orientation: the Orientation tag (1-8), which Pillow applies when it loads a TIFF.
    """
    order = byteorder
    out = bytearray(b"II*\x00" if order == "<" else b"MM\x00*")
    out += struct.pack(order + "I", 0)  # IFD offset, patched below

    def encode_block(block):
        """block: (rows, cols, spp_in_block) → compressed bytes."""
        r, c, s = block.shape
        flat = block.reshape(r, c * s).astype(np.int64)
        if predictor == 2:
            diff = flat.copy()
            diff[:, s:] = flat[:, s:] - flat[:, :-s]
            flat = diff & ((1 << bits) - 1)
        raw = _pack_samples(flat, bits, order)
        if compression == 8:
            return zlib.compress(raw, 6)
        if compression == 32773:
            row_len = len(raw) // r if r else 0
            return b"".join(_packbits(raw[i * row_len:(i + 1) * row_len]) for i in range(r))
        return raw

    def write_ifd(a, last):
        a = np.asarray(a)
        if a.ndim == 2:
            a = a[:, :, None]
        h, w, spp = a.shape
        planes = [a[:, :, p:p + 1] for p in range(spp)] if planar == 2 else [a]
        blocks = []
        if tile:
            tw, th = tile
            for plane in planes:
                for ty in range(0, h, th):
                    for tx in range(0, w, tw):
                        t = np.zeros((th, tw, plane.shape[2]), a.dtype)
                        part = plane[ty:ty + th, tx:tx + tw]
                        t[:part.shape[0], :part.shape[1]] = part
                        blocks.append(encode_block(t))
        else:
            rps = rows_per_strip or h
            for plane in planes:
                for y in range(0, h, rps):
                    blocks.append(encode_block(plane[y:y + rps]))
        offsets = []
        for b in blocks:
            if len(out) % 2:
                out.append(0)
            offsets.append(len(out))
            out.extend(b)
        entries = [(256, "I", [w]), (257, "I", [h]), (258, "H", [bits] * spp), (259, "H", [compression]),
                   (262, "H", [photometric]), (277, "H", [spp]), (284, "H", [planar])]
        if colormap is not None:
            entries.append((320, "H", list(colormap)))
        if predictor != 1:
            entries.append((317, "H", [predictor]))
        if orientation:
            entries.append((274, "H", [orientation]))
        if extra_samples:
            entries.append((338, "H", list(extra_samples)))
        if tile:
            entries += [(322, "I", [tile[0]]), (323, "I", [tile[1]]), (324, "I", offsets),
                        (325, "I", [len(b) for b in blocks])]
        else:
            entries += [(273, "I", offsets), (278, "I", [rows_per_strip or h]),
                        (279, "I", [len(b) for b in blocks])]
        entries.sort()
        # Values longer than 4 bytes go before the IFD.
        values = {}
        for tag, kind, vals in entries:
            data = struct.pack(order + kind * len(vals), *vals)
            if len(data) > 4:
                if len(out) % 2:
                    out.append(0)
                values[tag] = len(out)
                out.extend(data)
        if len(out) % 2:
            out.append(0)
        ifd = len(out)
        out.extend(struct.pack(order + "H", len(entries)))
        for tag, kind, vals in entries:
            data = struct.pack(order + kind * len(vals), *vals)
            field = struct.pack(order + "I", values[tag]) if tag in values else data + b"\x00" * (4 - len(data))
            out.extend(struct.pack(order + "HHI", tag, _TYPES[kind], len(vals)) + field)
        next_pos = len(out)
        out.extend(struct.pack(order + "I", 0))
        return ifd, next_pos

    first, next_pos = write_ifd(samples, second_page is None)
    struct.pack_into(order + "I", out, 4, first)
    if second_page is not None:
        second, _ = write_ifd(second_page, True)
        struct.pack_into(order + "I", out, next_pos, second)
    return bytes(out)


# ---------------------------------------------------------------------------------------
# GIF
# ---------------------------------------------------------------------------------------


def gif_bytes(indices, palette, min_code_size=11, end_code_after=None, frame_offset=(0, 0), screen=None):
    """A one-frame GIF whose LZW stream is all literals at a wide code size.

    With min_code_size 11 every code is 12 bits from the start, so literals need no table
    bookkeeping (encoders never write this; Pillow reads it). end_code_after: write an end
    code after that many pixels and then the rest of the pixels (Pillow reads on past it).
    """
    a = np.asarray(indices, dtype=np.uint8)
    h, w = a.shape
    sw, sh = screen or (w + frame_offset[0], h + frame_offset[1])
    pal = bytes(np.asarray(palette, dtype=np.uint8).reshape(-1))
    entries = len(pal) // 3
    size_bits = max(1, (entries - 1).bit_length()) - 1
    pal += b"\x00" * (3 * (2 << size_bits) - len(pal))
    clear, end = 1 << min_code_size, (1 << min_code_size) + 1
    width = min_code_size + 1
    codes = [clear]
    for i, v in enumerate(a.reshape(-1)):
        if end_code_after is not None and i == end_code_after:
            codes.append(end)
        codes.append(int(v))
    codes.append(end)
    bitbuf, nbits, stream = 0, 0, bytearray()
    for c in codes:
        bitbuf |= c << nbits
        nbits += width
        while nbits >= 8:
            stream.append(bitbuf & 0xFF)
            bitbuf >>= 8
            nbits -= 8
    if nbits:
        stream.append(bitbuf & 0xFF)
    blocks = b"".join(bytes((len(stream[i:i + 255]),)) + bytes(stream[i:i + 255]) for i in range(0, len(stream), 255))
    head = b"GIF89a" + struct.pack("<HHBBB", sw, sh, 0x80 | size_bits, 0, 0) + pal
    desc = b"," + struct.pack("<HHHHB", frame_offset[0], frame_offset[1], w, h, 0)
    return head + desc + bytes((min_code_size,)) + blocks + b"\x00;"


# ---------------------------------------------------------------------------------------
# PNG, 16 bits per sample (Pillow writes 16-bit gray only)
# ---------------------------------------------------------------------------------------


def png16_bytes(samples, trns=None):
    """samples: (H, W) gray, (H, W, 2) gray-alpha, (H, W, 3) RGB or (H, W, 4) RGBA uint16
    values, written as a 16-bit PNG (filter 0, one zlib stream). trns: a colour key (one value
    for gray, three for RGB) written as a tRNS chunk."""
    a = np.asarray(samples, dtype=np.uint16)
    h, w = a.shape[:2]
    channels = 1 if a.ndim == 2 else a.shape[2]
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    rows = a.reshape(h, w * channels).astype(">u2")
    raw = b"".join(b"\x00" + rows[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))
    if trns is not None:
        out += chunk(b"tRNS", struct.pack(">" + "H" * len(np.atleast_1d(trns)), *np.atleast_1d(trns)))
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
