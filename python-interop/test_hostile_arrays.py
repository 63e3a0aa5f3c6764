"""Malformed .npy and .npz files given to `normtool inspect`, `stats` and `recode`.

Every case must fail cleanly (see test_hostile_support.assert_clean_failure): non-zero exit,
no signal, one line on stderr naming the file and the reason, no hang, bounded memory. All
inputs are generated here from a valid NumPy file, so nothing is checked in.
"""
import io
import os
import pathlib
import shutil
import struct
import zipfile
import zlib

import numpy as np
import pytest

from test_hostile_support import assert_clean_failure, enterable_by_anyone, run_tool, unprivileged_folder

COMMANDS = ["inspect", "stats", "recode"]
# The commands that read the data; inspect reads only headers.
READERS = ["stats", "recode"]


def npy_file(header_text, data=b"", version=(1, 0), header_len=None):
    """A .npy with `header_text` padded as NumPy pads it; `header_len` overrides HEADER_LEN."""
    text = header_text if isinstance(header_text, bytes) else header_text.encode("latin-1")
    fmt = "<H" if version[0] == 1 else "<I"
    prefix = 8 + struct.calcsize(fmt)
    text += b" " * (64 - (prefix + len(text) + 1) % 64) + b"\n"
    length = len(text) if header_len is None else header_len
    return b"\x93NUMPY" + bytes(version) + struct.pack(fmt, length) + text + data


def header(descr="'<f4'", fortran="False", shape="(3, 4)"):
    return f"{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}"


def valid_npy():
    buffer = io.BytesIO()
    np.save(buffer, np.arange(12, dtype=np.float32).reshape(3, 4))
    return buffer.getvalue()


def command_args(command, path, tmp_path):
    if command == "recode":
        return ["recode", path, tmp_path / "out.npy"]
    return [command, path]


def check(normtool, tmp_path, name, data, reason, commands=COMMANDS):
    path = tmp_path / name
    path.write_bytes(data)
    for command in commands:
        run = run_tool(normtool, *command_args(command, path, tmp_path))
        assert_clean_failure(run, path, reason)
        assert not (tmp_path / "out.npy").exists(), "recode left an output behind"
    assert path.read_bytes() == data, "the input was modified"


# MARK: - Truncation at every boundary

VALID = valid_npy()
DATA_OFFSET = 128
BOUNDARIES = {
    "magic": list(range(0, 6)),
    "version": [6, 7],
    "header_len": [8, 9],
    "header": list(range(10, DATA_OFFSET, 9)) + [DATA_OFFSET - 1],
    "data": list(range(DATA_OFFSET, len(VALID), 5)) + [len(VALID) - 1],
}


@pytest.mark.parametrize("part,cut", [(part, cut) for part, cuts in BOUNDARIES.items() for cut in cuts])
def test_truncated_npy(normtool, tmp_path, part, cut):
    assert len(VALID) == DATA_OFFSET + 48
    data = VALID[:cut]
    if part == "data":
        # The header is whole: inspect reads no data by design (test_npyio_cli), so only the
        # commands that read the data must fail.
        check(normtool, tmp_path, "cut.npy", data, r"data is truncated: expected 48 bytes for the shape, found \d+",
              commands=READERS)
    elif cut == 0:
        check(normtool, tmp_path, "cut.npy", data, r"expected 8 bytes, found 0")
    else:
        check(normtool, tmp_path, "cut.npy", data, r"file ends inside the \.npy header")


# MARK: - Lying header lengths, shapes and dtypes

CASES = {
    # HEADER_LEN longer than the file, shorter than the dict, over NumPy's 10,000 limit, 0.
    "len_past_end": (npy_file(header(), header_len=4000), r"file ends inside the \.npy header: expected 4010 bytes"),
    "len_cuts_dict": (npy_file(header(), header_len=20) + bytes(48), r"malformed \.npy header"),
    "len_over_limit": (npy_file(header(), version=(2, 0), header_len=70000), r"more than the limit of 10000"),
    "len_zero": (npy_file(header(), header_len=0), r"malformed \.npy header: expected a value, found end of header"),
    # Shapes that overflow Int, exceed the file, or are negative.
    "shape_overflow_int": (npy_file(header(shape="(4611686018427387904, 4)")), r"invalid or overflowing byte count"),
    "shape_int64_max": (npy_file(header(descr="'|u1'", shape="(9223372036854775807,)")), r"data is truncated|overflowing"),
    "shape_beyond_int64": (npy_file(header(shape="(99999999999999999999,)")), r"does not fit in 64 bits"),
    "shape_zero_hides_overflow": (npy_file(header(shape="(0, 4294967296, 4294967296)")), r"overflowing byte count"),
    "shape_exceeds_file": (npy_file(header(shape="(1000, 1000)")) + bytes(48), r"data is truncated: expected 4000000 bytes for the shape, found 48"),
    "negative_dim": (npy_file(header(shape="(-1, 4)")) + bytes(48), r"invalid or overflowing byte count"),
    "negative_second_dim": (npy_file(header(shape="(3, -4)")) + bytes(48), r"invalid or overflowing byte count"),
    "shape_not_tuple": (npy_file(header(shape="[3, 4]")) + bytes(48), r"'shape' must be a tuple of integers"),
    "shape_float": (npy_file(header(shape="(3.0, 4)")) + bytes(48), r"expected an integer"),
    # Unsupported dtypes: object, structured, datetime, timedelta, void, zero-width strings.
    "object": (npy_file(header(descr="'|O'")) + bytes(96), r"unsupported dtype '\|O'.*object"),
    "structured": (npy_file(header(descr="[('a', '<i4'), ('b', '<f8')]")) + bytes(144), r"unsupported dtype \[\('a', '<i4'\)"),
    "datetime": (npy_file(header(descr="'<M8[ns]'")) + bytes(96), r"unsupported dtype '<M8\[ns\]'"),
    "timedelta": (npy_file(header(descr="'<m8[s]'")) + bytes(96), r"unsupported dtype '<m8\[s\]'"),
    "void": (npy_file(header(descr="'|V8'")) + bytes(96), r"unsupported dtype '\|V8'"),
    "zero_width_unicode": (npy_file(header(descr="'<U0'", shape="(4611686018427387904,)")), r"zero-width strings"),
    # Headers that are not Latin-1 text NumPy wrote, or not UTF-8 in version 3.0.
    "latin1_high_bytes": (npy_file(header(descr="'<f\xe9'")) + bytes(48), r"unsupported dtype '<f\xe9'"),
    "v3_not_utf8": (npy_file(header(descr="'<f4'").encode() + b"\xff\xfe", version=(3, 0)) + bytes(48), r"not valid UTF-8"),
    "nul_in_header": (npy_file(b"{'descr': '<f4',\x00 'fortran_order': False, 'shape': (3, 4), }") + bytes(48), r"expected a value, found"),
    "control_chars_in_key": (npy_file("{'descr': '<f4', 'fortran_order': False, 'sha\rpe\x1b[2J': (3, 4), }") + bytes(48),
                             r"'sha\\rpe\\x1b\[2J'"),
    # Bad version, bad magic, wrong keys, deep nesting.
    "version_9": (b"\x93NUMPY\x09\x00" + VALID[8:], r"unsupported \.npy format version 9\.0"),
    "bad_magic": (b"\x93NUMPX" + VALID[6:], r"magic string is not correct"),
    "missing_key": (npy_file("{'descr': '<f4', 'shape': (3, 4), }") + bytes(48), r"exactly the keys"),
    "extra_key": (npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), 'x': 1}") + bytes(48), r"exactly the keys"),
    "deep_nesting": (npy_file("{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * 200 + ")" * 200 + "}"),
                     r"nested deeper than 32 levels"),
}


# Headers that are well formed but need more data than the file holds: inspect shows them.
DATA_CASES = {"shape_exceeds_file", "shape_int64_max"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_npy(normtool, tmp_path, name):
    data, reason = CASES[name]
    check(normtool, tmp_path, f"{name}.npy", data, reason, commands=READERS if name in DATA_CASES else COMMANDS)


# MARK: - Python expressions in a header are data, never code

EXPRESSIONS = [
    "__import__('os').system('touch PWNED')",
    "(lambda: 3)()",
    "(3*4,)",
    "tuple(range(3))",
    "(3, 4) if True else ()",
    "[x for x in (3, 4)]",
    "open('PWNED', 'w')",
    "{'descr': '<f4'}['descr']",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_python_expression_in_header_is_not_evaluated(normtool, tmp_path, expression):
    for field in ["shape", "descr"]:
        text = header(shape=expression) if field == "shape" else header(descr=expression)
        check(normtool, tmp_path, f"expr_{field}.npy", npy_file(text) + bytes(48),
              r"malformed \.npy header|unsupported dtype|must be a tuple")
        assert not (tmp_path / "PWNED").exists() and not pathlib.Path("PWNED").exists()


# MARK: - Zip archives

def npz_bytes(compress=False, **arrays):
    buffer = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(buffer, **arrays)
    return bytearray(buffer.getvalue())


def central_entry_offset(data):
    end = data.rindex(b"PK\x05\x06")
    return struct.unpack_from("<I", data, end + 16)[0]


def patch_central(data, field_offset, fmt, value):
    """Sets a field of the first central directory entry (offsets per APPNOTE 4.3.12)."""
    struct.pack_into(fmt, data, central_entry_offset(data) + field_offset, value)
    return data


X = np.arange(12, dtype=np.float32).reshape(3, 4)


def wrong_crc():
    data = npz_bytes(x=X)
    return patch_central(data, 16, "<I", 0x12345678)


def corrupt_data_keeping_crc():
    data = npz_bytes(x=X)
    position = data.index(b"\x93NUMPY") + 140
    data[position] ^= 0xFF
    return data


def lying_uncompressed_size(delta):
    data = npz_bytes(compress=True, x=X)
    entry = central_entry_offset(data)
    size = struct.unpack_from("<I", data, entry + 24)[0]
    return patch_central(data, 24, "<I", size + delta)


def lying_compressed_size():
    data = npz_bytes(compress=True, x=X)
    return patch_central(data, 20, "<I", 10_000_000)


def local_offset_past_end():
    data = npz_bytes(x=X)
    return patch_central(data, 42, "<I", 0xFFFFFF00)


def entry_count_lie():
    data = npz_bytes(x=X)
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 60000, 60000)
    return data


def overlapping_entries():
    """Two central entries pointing at one local header (an overlapping zip bomb's trick)."""
    data = npz_bytes(x=X)
    end = data.rindex(b"PK\x05\x06")
    count, size, offset = struct.unpack_from("<HII", data, end + 10)
    entry = bytes(data[offset:offset + size])
    duplicate = bytearray(entry)
    name_length = struct.unpack_from("<H", duplicate, 28)[0]
    duplicate[46:46 + name_length] = b"y.npy"[:name_length].ljust(name_length, b"_")
    tail = bytearray(data[end:])
    struct.pack_into("<HHII", tail, 8, 2, 2, 2 * size, offset)
    return bytes(data[:offset]) + entry + bytes(duplicate) + bytes(tail)


def raw_zip(name, payload, method, uncompressed_size, crc):
    """A one-member zip written field by field; sizes go in a ZIP64 extra (as NumPy writes)."""
    name = name.encode()
    extra = struct.pack("<HHQQ", 1, 16, uncompressed_size, len(payload))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, method, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                        len(name), len(extra)) + name + extra
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0x21, crc, 0xFFFFFFFF,
                          0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, 0) + name + extra
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(payload), 0)
    return local + payload + central + end


def zip_bomb_declared(declared_size):
    """A 1 KB deflated member that declares `declared_size` bytes (8 GB) of .npy data."""
    member = npy_file(header(descr="'|u1'", shape=f"({declared_size - 128},)")) + bytes(1_000_000)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = compressor.compress(member) + compressor.flush()
    assert len(payload) < 1100
    return raw_zip("x.npy", payload, 8, declared_size, zlib.crc32(member))


def bomb_member_header_lies():
    """A small member whose .npy header declares 4 GB: the member's size bounds the read."""
    member = npy_file(header(descr="'|u1'", shape="(4000000000,)")) + bytes(1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.npy", member)
    return buffer.getvalue()


def bomb_inflates_past_declared():
    """A member declaring 2,000 bytes whose stream inflates to 1 MB: stops at the declared size."""
    member = npy_file(header(descr="'|u1'", shape="(1000000,)")) + bytes(1_000_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.npy", member)
    data = bytearray(buffer.getvalue())
    return patch_central(data, 24, "<I", 2000)


def not_a_zip():
    return b"PK\x03\x04" + b"this is not a zip archive at all" * 3


ZIP_CASES = {
    "wrong_crc": (wrong_crc, READERS, r"is corrupt: CRC-32 declared 0x12345678"),
    "corrupt_data": (corrupt_data_keeping_crc, READERS, r"is corrupt: CRC-32 declared"),
    "uncompressed_size_short": (lambda: lying_uncompressed_size(-7), READERS, r"declares \d+ uncompressed bytes, found more data|data is truncated"),
    "uncompressed_size_long": (lambda: lying_uncompressed_size(+7), READERS, r"declares \d+ uncompressed bytes, found"),
    "compressed_size_past_end": (lying_compressed_size, COMMANDS, r"declares 10000000 bytes"),
    "local_offset_past_end": (local_offset_past_end, COMMANDS, r"malformed zip archive"),
    "entry_count_lie": (entry_count_lie, COMMANDS, r"60000 entries cannot fit"),
    "overlapping_entries": (overlapping_entries, COMMANDS, r"overlapped entries"),
    "bomb_declares_8_gb": (lambda: zip_bomb_declared(8 << 30), COMMANDS, r"beyond deflate's 1032:1 limit"),
    "bomb_header_declares_4_gb": (bomb_member_header_lies, READERS, r"data is truncated: expected 4000000000 bytes for the shape"),
    "bomb_inflates_past_declared": (bomb_inflates_past_declared, READERS, r"declares 2000 uncompressed bytes|data is truncated|file ends inside"),
    "not_a_zip": (not_a_zip, COMMANDS, r"not a \.npz \(zip\) archive"),
}


@pytest.mark.parametrize("name", sorted(ZIP_CASES))
def test_malformed_npz(normtool, tmp_path, name):
    make, commands, reason = ZIP_CASES[name]
    data = bytes(make())
    path = tmp_path / f"{name}.npz"
    path.write_bytes(data)
    for command in commands:
        args = ["recode", path, tmp_path / "out.npz"] if command == "recode" else [command, path]
        run = run_tool(normtool, *args)
        assert_clean_failure(run, path, reason)
        assert not (tmp_path / "out.npz").exists()
    assert path.read_bytes() == data


def test_sparse_zip_declaring_a_3_gb_central_directory(normtool, tmp_path):
    """A 3 GB sparse file (4 KB of disk) whose ZIP64 end record declares a central directory
    filling it: the directory was read whole (3 GB RSS, 27 s); it is now read in pieces."""
    path = tmp_path / "sparse.npz"
    size = 3 << 30
    directory_size = size - 98
    count = directory_size // 46
    with open(path, "wb") as f:
        f.truncate(size)
        f.seek(size - 98)
        f.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, directory_size, 0))
        f.write(struct.pack("<IIQI", 0x07064B50, 0, size - 98, 1))
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    for command in COMMANDS:
        run = run_tool(normtool, *command_args(command, path, tmp_path))
        assert_clean_failure(run, path, r"central directory entry 0 is cut short or has a bad signature")


# MARK: - Files that are not files

def test_zero_byte_files(normtool, tmp_path):
    for name in ["empty.npy", "empty.npz", "empty"]:
        check(normtool, tmp_path, name, b"", r"expected|shorter than an end-of-central-directory record")


def test_folder_given_as_array(normtool, tmp_path):
    folder = tmp_path / "folder.npy"
    folder.mkdir()
    for command in ["inspect", "recode"]:
        run = run_tool(normtool, *command_args(command, folder, tmp_path))
        assert_clean_failure(run, folder, r"is a folder")


def test_missing_file(normtool, tmp_path):
    path = tmp_path / "missing.npy"
    for command in COMMANDS:
        assert_clean_failure(run_tool(normtool, *command_args(command, path, tmp_path)), path, r"no such file")


def test_fifo_named_npy_does_not_hang(normtool, tmp_path):
    path = tmp_path / "pipe.npy"
    os.mkfifo(path)
    for command in COMMANDS:
        run = run_tool(normtool, *command_args(command, path, tmp_path), timeout=20)
        assert_clean_failure(run, path, r"not a regular file")


def test_unreadable_file(normtool):
    """chmod 000: as root (CAP_DAC_OVERRIDE) permission bits do not stop reads, so the run
    drops to an unprivileged user (nobody) in a world-readable scratch folder instead."""
    with unprivileged_folder(normtool) as nobody:
        folder = nobody.folder
        path = folder / "locked.npy"
        path.write_bytes(VALID)
        path.chmod(0)
        for command in COMMANDS:
            args = ["recode", path, folder / "out.npy"] if command == "recode" else [command, path]
            assert_clean_failure(nobody.run(*args), path, r"Permission denied")
            assert not (folder / "out.npy").exists()


def test_runs_as_nobody_do_not_need_access_to_the_clone(normtool, tmp_path):
    """A clone under a folder only root may enter (root's home is 0700): the runs that drop to
    nobody must still start, so they may not execute the binary where it was built."""
    if os.geteuid() != 0:
        pytest.skip("only root drops to nobody; as any other user permission bits apply directly")
    private = tmp_path / "private"
    private.mkdir()
    private.chmod(0o700)
    built = private / "normtool"
    shutil.copy2(normtool, built)
    with unprivileged_folder(built) as nobody:
        assert enterable_by_anyone(nobody.folder) and enterable_by_anyone(nobody.normtool)
        path = nobody.folder / "missing.npy"
        assert_clean_failure(nobody.run("inspect", path), path, r"no such file")


@pytest.mark.parametrize("name", ["données.npy", "数据.npy", "😀 emoji.npy", "new\nline.npy", "tab\there.npy",
                                  "\u202eevil.npy", "sp ace's \"quote\".npy", "\u0301combining.npy"])
def test_unicode_file_names_in_messages(normtool, tmp_path, name):
    check(normtool, tmp_path, name, b"\x93NUMPY\x01\x00\xff", r"file ends inside the \.npy header")


def test_path_argument_that_is_not_utf8(normtool, tmp_path):
    """Swift decodes argv as UTF-8 and repairs invalid bytes (U+FFFD), so a Latin-1 path on
    the command line cannot be opened: a clean one-line failure, the name shown repaired."""
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.npy")
    with open(raw, "wb") as f:
        f.write(VALID)
    run = run_tool(normtool, "inspect", os.fsdecode(raw))
    assert run.returncode == 1 and not run.timed_out
    lines = run.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and "caf\ufffd.npy: no such file" in lines[0], run.stderr
