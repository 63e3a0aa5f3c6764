"""Generate the golden .npy/.npz files of Tests/Fixtures/npy with NumPy.

Run from the repository root:  python3 python-interop/gen_npy_fixtures.py

For every dtype x byte order x memory order x format version it writes a tiny array with
numpy.lib.format.write_array (what np.save calls) and records in manifest.json the shape,
descr, fortran_order, version, data offset and the array's bytes in C order and little-endian
byte order (hex), so the Swift tests can compare values exactly (NaN payloads included)
and compare what Swift writes byte for byte.
It also writes .npz archives with np.savez and np.savez_compressed, and one zip written to a
non-seekable stream (local headers followed by data descriptors).
"""
import io
import json
import pathlib
import zipfile

import numpy as np
from numpy.lib import format as npformat

import oracle_versions
from unseekable_sink import UnseekableSink

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "npy"

CODES = ["b1", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8", "c8", "c16"]


def values(code, shape):
    n = int(np.prod(shape))
    k = np.arange(n)
    kind = code[0]
    if kind == "b":
        return (k % 3 == 0).reshape(shape)
    if kind == "i":
        bits = int(code[1:]) * 8
        lo = -(1 << (bits - 1))
        v = (k * 37 - 50).astype(np.int64)
        v[0] = lo  # the most negative value
        return v.astype(np.dtype("i" + code[1:])).reshape(shape)
    if kind == "u":
        bits = int(code[1:]) * 8
        v = (k * 41 + 3).astype(np.uint64)
        v[-1] = (1 << bits) - 1  # the largest value
        return v.astype(np.dtype("u" + code[1:])).reshape(shape)
    if kind == "f":
        v = (k - 2.5) / 3.0
        v = v.astype(np.dtype("f" + code[1:]))
        if n > 2:
            v[1] = np.inf
            v[2] = -0.0
        return v.reshape(shape)
    if kind == "c":
        real = np.float32 if code == "c8" else np.float64
        v = ((k - 2.5) / 3.0).astype(real) + 1j * (k * 0.25 - 1).astype(real)
        return v.astype(np.dtype(code)).reshape(shape)
    raise ValueError(code)


def c_bytes_le(array):
    """The array's values in C order, little-endian, as hex: what a reader must produce."""
    native = np.ascontiguousarray(array)
    if native.dtype.kind in "biufc":
        native = native.astype(native.dtype.newbyteorder("<"))
    return native.tobytes().hex()


def save(path, array, version):
    with open(path, "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=False)


def record(manifest, name, array, version=None):
    path = OUT / name
    if version is None:
        np.save(path, array, allow_pickle=False)
    else:
        save(path, array, version)
    with open(path, "rb") as f:
        v = npformat.read_magic(f)
        reader = npformat.read_array_header_1_0 if v == (1, 0) else npformat.read_array_header_2_0
        shape, fortran, dtype = reader(f)
        offset = f.tell()
    manifest.append({
        "file": name, "descr": dtype.str, "shape": list(shape), "fortran_order": fortran,
        "version": list(v), "data_offset": offset, "c_bytes_le": c_bytes_le(array),
    })


STRING_VALUES = {
    # Wider than the longest element, with an embedded NUL, non-ASCII and astral code points.
    "U": ["cat", "", "élan", "zebra🦓", "a\x00b", "dog", "x", "yy", "zzz", "w", "vv", "u"],
    # Not UTF-8, a full-width element (no NUL at all), an empty one.
    "S": [b"ab", b"", b"\xff\xfe", b"abcdefghi", b"a\x00b", b"q", b"r", b"ss", b"t", b"uu", b"v", b"w"],
}
STRING_DTYPES = {"S": ["|S9", "|S1"], "Ule": ["<U8", "<U1"], "Ube": [">U8", ">U1"]}
STRING_SHAPES = {"0d": (), "empty": (0,), "empty2d": (2, 0), "1d": (5,), "2dC": (3, 4), "2dF": (3, 4),
                 "3dF": (2, 3, 2)}


def string_array_cases():
    """Every string dtype (|S, <U, >U; a wide and a one-character width) x shape (0-d, empty,
    1-d, 2-d C and F, 3-d F) x npy version, written by NumPy: str_{kind}{width}_{shape}_v{n}.npy.
    Returns their manifest: descr, shape, fortran_order, version, and the C-order elements
    (str for U, hex for S)."""
    cases = {}
    for kind, descrs in STRING_DTYPES.items():
        for descr in descrs:
            dtype = np.dtype(descr)
            pool = STRING_VALUES[kind[0]]
            for shape_name, shape in STRING_SHAPES.items():
                n = int(np.prod(shape))
                array = np.array(pool[:n] if n else [], dtype=dtype).reshape(shape)
                if shape_name.endswith("F"):
                    array = np.asfortranarray(array)
                for version in [(1, 0), (2, 0), (3, 0)]:
                    name = f"str_{kind}{dtype.itemsize // (4 if kind[0] == 'U' else 1)}_{shape_name}_v{version[0]}.npy"
                    save(OUT / name, array, version)
                    back = np.load(OUT / name, allow_pickle=False)
                    assert back.dtype.str == dtype.str and back.shape == shape
                    values = back.ravel().tolist()
                    cases[name] = {"descr": dtype.str, "shape": list(shape), "version": list(version),
                                   "fortran_order": bool(back.flags.f_contiguous and not back.flags.c_contiguous),
                                   "elements": values if kind[0] == "U" else [v.hex() for v in values]}
    return cases


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.np[yz]"):
        old.unlink()
    manifest = []
    for code in CODES:
        orders = ["|"] if code[1:] == "1" else ["<", ">"]
        for order in orders:
            dtype = np.dtype(order + code) if order != "|" else np.dtype(code)
            base = values(code, (2, 3)).astype(dtype)
            for memory in ["C", "F"]:
                array = np.asfortranarray(base) if memory == "F" else np.ascontiguousarray(base)
                for version in [(1, 0), (2, 0), (3, 0)]:
                    tag = {"<": "le", ">": "be", "|": "na"}[order]
                    name = f"{code}_{tag}_{memory}_v{version[0]}.npy"
                    record(manifest, name, array, version)
    # Shapes: 0-d, empty, 1-d, 3-d, a strided view (written in C order), a long axis 0.
    record(manifest, "shape_0d_f8.npy", np.array(3.25))
    record(manifest, "shape_empty_0x3_f4.npy", np.zeros((0, 3), np.float32))
    record(manifest, "shape_empty_1d_u1.npy", np.zeros((0,), np.uint8))
    record(manifest, "shape_1d_i8.npy", np.arange(7, dtype=np.int64))
    record(manifest, "shape_3d_u1.npy", np.arange(24, dtype=np.uint8).reshape(2, 3, 4))
    record(manifest, "shape_3d_F_f4.npy", np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4)))
    record(manifest, "strided_view_i4.npy", np.arange(40, dtype=np.int32).reshape(5, 8)[::2, 1::3])
    record(manifest, "transposed_3d_i2.npy", np.arange(24, dtype=np.int16).reshape(2, 3, 4).transpose(1, 0, 2))
    record(manifest, "long_axis0_u1.npy", np.arange(250, dtype=np.uint8).reshape(125, 2))
    # Strings, as np.array(list_of_str) makes them.
    strings = ["cat", "dog", "", "élan", "zebra🦓"]
    np.save(OUT / "strings_U.npy", np.array(strings))
    np.save(OUT / "strings_U_be.npy", np.array(strings).astype(">U6"))
    np.save(OUT / "strings_S.npy", np.array([b"ab", b"", b"xyz"]))
    np.save(OUT / "strings_U_2d.npy", np.array([["a", "bb"], ["ccc", "d"]]))
    np.save(OUT / "strings_empty.npy", np.array([], dtype=str))
    string_arrays = string_array_cases()
    # NPZ: stored and deflated, as np.savez and np.savez_compressed write them.
    members = {
        "x": np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
        "y": np.array([0, 1, 1, 0], dtype=np.int64),
        "classes": np.array(["cat", "dog"]),
        "f": np.asfortranarray(np.arange(6, dtype=np.uint16).reshape(2, 3)),
    }
    np.savez(OUT / "stored.npz", **members)
    np.savez_compressed(OUT / "compressed.npz", **members)
    np.savez(OUT / "positional.npz", np.arange(3, dtype=np.int8), np.zeros((2, 2), np.float64))
    # A larger compressible member (well under 1 MB) that deflates to several blocks.
    np.savez_compressed(OUT / "compressed_big.npz", img=(np.arange(60000) % 251).astype(np.uint8).reshape(200, 300))

    # A zip with data descriptors: zipfile writes them when the output cannot seek.
    sink = UnseekableSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for key in ["x", "y"]:
            with z.open(key + ".npy", "w", force_zip64=True) as fid:
                npformat.write_array(fid, members[key])
    (OUT / "descriptors.npz").write_bytes(bytes(sink.data))

    npz_manifest = {}
    for name in ["stored.npz", "compressed.npz", "positional.npz", "compressed_big.npz", "descriptors.npz"]:
        with np.load(OUT / name, allow_pickle=False) as z:
            npz_manifest[name] = {
                key: {"descr": z[key].dtype.str, "shape": list(z[key].shape),
                      "c_bytes_le": c_bytes_le(z[key]) if z[key].dtype.kind in "biufc" else None,
                      "strings": z[key].ravel().tolist() if z[key].dtype.kind == "U" else None}
                for key in z.files
            }
    with open(OUT / "manifest.json", "w") as f:
        json.dump({"npy": manifest, "npz": npz_manifest,
                   "strings": {"strings_U.npy": strings, "strings_U_be.npy": strings,
                               "strings_S.npy": ["ab", "", "xyz"],
                               "strings_U_2d.npy": ["a", "bb", "ccc", "d"], "strings_empty.npy": []},
                   "string_arrays": string_arrays},
                  f, indent=1, ensure_ascii=True)


if __name__ == "__main__":
    oracle_versions.require_pinned("numpy")  # golden data only from the pinned oracles
    main()
