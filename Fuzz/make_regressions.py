#!/usr/bin/env python3
"""Writes the hand-made regression inputs under Fuzz/Regressions/<target>/.

Inputs that libFuzzer found are copied there verbatim (named `fuzz-<what>-<sha1 prefix>`);
this script makes the ones a person wrote to pin a bug found by reading or by the mutation
harness. Every file here must be rejected with a one-line message and never crash
(HostileInputTests.CorpusReplayTests replays them all). Run: python3 Fuzz/make_regressions.py
"""
import io
import pathlib
import struct
import zipfile

HERE = pathlib.Path(__file__).resolve().parent


def out(target, name, data):
    folder = HERE / "Regressions" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def fixed_date(name):
    """A member with a fixed time stamp, so regenerating gives the same bytes."""
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))


def npy(header_text, data=b"", version=(1, 0)):
    text = header_text.encode("latin-1") if isinstance(header_text, str) else header_text
    length_format = "<H" if version[0] == 1 else "<I"
    prefix_length = 6 + 2 + struct.calcsize(length_format)
    pad = 64 - (prefix_length + len(text) + 1) % 64
    text += b" " * pad + b"\n"
    return b"\x93NUMPY" + bytes(version) + struct.pack(length_format, len(text)) + text + data


def main():
    # A zero dimension made the byte count 0, so (0, 2**40, 2**40) passed the overflow
    # check and computing its strides trapped (NumPy: "array is too big").
    out("npy-header", "zero-dim-overflowing-strides.npy",
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1099511627776, 1099511627776), }"))
    # '<U0' has no bytes per element, so the file could not bound the element count and
    # reading reserved 2**62 strings.
    out("npy-header", "zero-width-strings-huge-count.npy",
        npy("{'descr': '<U0', 'fortran_order': False, 'shape': (4611686018427387904,), }"))
    # Header text with a carriage return and an escape inside a key: echoed raw, the error
    # message was two lines on a terminal (found by the mutation harness).
    out("npy-header", "line-breaks-in-key.npy",
        npy("{'descr': '<f4', 'fortran_order': False, 'sha\rpe\x1b': (3,), }"))
    # A member name with a line break made the NPZ error messages two lines.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(fixed_date("x\n.npy"), b"\x93NUMPY\x01\x00garbage")
    out("npz", "line-break-in-member-name.npz", buffer.getvalue())

    # Overlapping entries: a second central directory entry pointing at the first member's
    # local header (the building block of overlapping zip bombs), and a member whose declared
    # compressed size runs into the next member. Python's zipfile: "Overlapped entries".
    out("npz", "overlapping-entries-shared-header.npz", overlapping_zip(shared_header=True))
    out("npz", "overlapping-entries-long-member.npz", overlapping_zip(shared_header=False))
    # A progressive JPEG whose last scan is repeated 600 times over a 2048x2048 frame: each
    # scan revisits every block, so scan count x size bounds the time (1,000 scans of a
    # 2048^2 frame took 1.5 s; 10,000 of a 13000^2 one would take about 10 minutes).
    out("jpeg", "progressive-600-scans.jpg", many_scans_jpeg(600, 2048))


def many_scans_jpeg(scans, side):
    import numpy as np
    from PIL import Image
    image = Image.fromarray(np.random.default_rng(1).integers(0, 255, (16, 16, 3), dtype=np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", progressive=True, quality=80)
    data = bytearray(buffer.getvalue())
    position, segments = 2, []
    while position < len(data) - 1:
        marker = data[position + 1]
        if marker == 0xD9:
            break
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        end = position + 2 + length
        if marker == 0xDA:  # the scan data runs to the next marker that is not FF00 or RSTn
            while not (data[end] == 0xFF and data[end + 1] != 0 and not 0xD0 <= data[end + 1] <= 0xD7):
                end += 1
        segments.append((marker, position, end))
        position = end
    for marker, start, _ in segments:
        if marker == 0xC2:
            struct.pack_into(">HH", data, start + 5, side, side)
    last_scan = [(start, end) for marker, start, end in segments if marker == 0xDA][-1]
    repeated = bytes(data[last_scan[0]:last_scan[1]]) * (scans - 9)
    return bytes(data[:last_scan[1]]) + repeated + b"\xff\xd9"


def overlapping_zip(shared_header):
    member = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", b"\x01\x02\x03\x04")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(fixed_date("a.npy"), member)
        archive.writestr(fixed_date("b.npy"), member)
    data = bytearray(buffer.getvalue())
    end = data.rindex(b"PK\x05\x06")
    count, size, offset = struct.unpack_from("<HII", data, end + 10)
    first = data[offset:offset + 46 + 5]  # the central entry of a.npy (no extra, no comment)
    if shared_header:
        # Replace b.npy's central entry by a copy of a.npy's renamed "c.npy".
        second = bytearray(first)
        second[46:51] = b"c.npy"
        directory = bytes(first) + bytes(second)
    else:
        # Declare a.npy 40 bytes longer (stored: both sizes), into b.npy's local header.
        entry = bytearray(first)
        compressed, uncompressed = struct.unpack_from("<II", entry, 20)
        struct.pack_into("<II", entry, 20, compressed + 40, uncompressed + 40)
        directory = bytes(entry) + bytes(data[offset + 51:offset + size])
    tail = bytearray(data[end:])
    struct.pack_into("<HHII", tail, 8, 2, 2, len(directory), offset)
    return bytes(data[:offset]) + directory + bytes(tail)


def format_regressions():
    """The malformed BMP, PNM, GIF, WebP and TIFF files of the parity suite, one folder each."""
    import sys
    import tempfile
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python-interop"))
    import gen_imaging_fixtures
    with tempfile.TemporaryDirectory() as folder:
        for name in gen_imaging_fixtures.write_format_bad_files(folder, seed=3):
            target = name.split("_")[0]
            out(target, name, (pathlib.Path(folder) / name).read_bytes())


if __name__ == "__main__":
    main()
    format_regressions()
