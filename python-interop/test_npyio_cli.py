"""normtool inspect / recode / stats against NumPy (issue 3, docs/design.md §5).

Every file normtool writes must load with np.load(allow_pickle=False) and equal its input;
inspect --json and stats --json must agree with NumPy. Inputs are generated here, in tmp_path.
"""
import json
import subprocess

import numpy as np
import pytest

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


def run(normtool, *args, check=True):
    result = subprocess.run([normtool, *map(str, args)], capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def sample(dtype, shape=(3, 4, 5), seed=0):
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 50, size=shape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.normal(0, 3, size=shape)
    if np.dtype(dtype).kind == "b":
        return values > 0
    if np.dtype(dtype).kind == "u":
        values = np.abs(values)
    return values.astype(dtype)


def assert_same(a, b):
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    assert a.shape == b.shape
    assert a.tobytes() == b.tobytes()  # exact, NaN payloads included


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("byteorder", ["<", ">"])
def test_recode_npy_keeps_values_dtype_order(normtool, tmp_path, dtype, order, byteorder):
    array = np.asarray(sample(dtype), order=order)
    if array.dtype.itemsize > 1 and array.dtype.kind != "b":
        array = array.astype(array.dtype.newbyteorder(byteorder))
    src, out = tmp_path / "in.npy", tmp_path / "out.npy"
    np.save(src, array)
    run(normtool, "recode", src, out)
    back = np.load(out, allow_pickle=False)
    assert_same(back, array)
    assert back.flags.f_contiguous == array.flags.f_contiguous
    assert out.read_bytes() == src.read_bytes()  # np.save's bytes exactly


@pytest.mark.parametrize("compress", [False, True])
def test_recode_npz_roundtrip_and_members(normtool, tmp_path, compress):
    members = {"x": sample("float32"), "y": np.arange(5, dtype=np.int64), "classes": np.array(["cat", "dog"]),
               "f": np.asfortranarray(sample("uint16", (4, 6)))}
    src = tmp_path / "in.npz"
    np.savez(src, **members)
    out = tmp_path / "out.npz"
    args = ["recode", src, out] + (["--compress"] if compress else [])
    run(normtool, *args)
    with np.load(out, allow_pickle=False) as z:
        assert z.files == list(members)
        for key, value in members.items():
            assert_same(z[key], value)
    if not compress:
        assert out.read_bytes() == src.read_bytes()  # np.savez's bytes exactly
    # One member out as .npy.
    one = tmp_path / "f.npy"
    run(normtool, "recode", src, one, "--member", "f")
    assert_same(np.load(one, allow_pickle=False), members["f"])
    # Several members and an .npy OUT without --member is an error that names the members.
    result = run(normtool, "recode", src, tmp_path / "bad.npy", check=False)
    assert result.returncode != 0 and "--member" in result.stderr


def test_recode_large_member_parallel_deflate(normtool, tmp_path):
    rng = np.random.default_rng(1)
    x = ((rng.integers(0, 256, size=(40, 64, 64, 3)) / 255.0 - 0.45) / 0.22).astype(np.float32)  # ~2 MB
    x = np.concatenate([x] * 4)  # ~8 MB: above the parallel threshold
    src = tmp_path / "x.npy"
    np.save(src, x)
    out = tmp_path / "x.npz"
    run(normtool, "recode", src, out, "--compress")
    with np.load(out, allow_pickle=False) as z:
        assert z.files == ["arr_0"]
        assert_same(z["arr_0"], x)
    import zipfile
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None  # CRC-32 checked by Python too


@pytest.mark.parametrize("target", ["float32", "float64", "int16", "uint8", "float16", "bool", "complex64"])
def test_recode_dtype_matches_astype(normtool, tmp_path, target):
    array = np.asfortranarray(sample("float64", (5, 7)))
    src, out = tmp_path / "in.npy", tmp_path / "out.npy"
    np.save(src, array)
    run(normtool, "recode", src, out, "--dtype", target, "--casting", "unsafe")
    back = np.load(out, allow_pickle=False)
    expected = array.astype(target)
    assert_same(back, expected)
    assert back.flags.f_contiguous and not back.flags.c_contiguous  # order kept, as astype does


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_recode_order_and_version(normtool, tmp_path, order, version):
    array = sample("int32", (4, 5, 6))
    src, out = tmp_path / "in.npy", tmp_path / "out.npy"
    np.save(src, array)
    run(normtool, "recode", src, out, "--order", order, "--npy-version", version)
    expected = tmp_path / "expected.npy"
    with open(expected, "wb") as f:
        np.lib.format.write_array(f, np.asarray(array, order=order), version=(int(version), 0))
    assert out.read_bytes() == expected.read_bytes()


def test_inspect_json_matches_numpy(normtool, tmp_path):
    array = np.asfortranarray(sample(">f8", (3, 5)))
    path = tmp_path / "a.npy"
    np.save(path, array)
    info = json.loads(run(normtool, "inspect", path, "--json").stdout)
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        offset = f.tell()
    assert info == {"format": "npy", "version": list(version), "descr": dtype.str, "shape": list(shape),
                    "fortran_order": fortran, "data_offset": offset, "nbytes": array.nbytes}
    archive = tmp_path / "a.npz"
    np.savez_compressed(archive, a=array, s=np.array(["x", "yz"]))
    info = json.loads(run(normtool, "inspect", archive, "--json").stdout)
    assert info["format"] == "npz"
    assert [m["name"] for m in info["members"]] == ["a", "s"]
    assert info["members"][0]["descr"] == ">f8" and info["members"][0]["fortran_order"] is True
    assert info["members"][1]["descr"] == "<U2" and info["members"][1]["compressed"] is True
    assert info["members"][0]["nbytes"] == array.nbytes


@pytest.mark.parametrize("dtype", ["uint8", "int16", "float32", "float64", "bool", "float16", "uint64"])
@pytest.mark.parametrize("axes", [None, (0,), (0, 1), (0, 1, 2), (2,), (1,), (-1, 0)])
def test_stats_json_matches_numpy(normtool, tmp_path, dtype, axes):
    array = sample(dtype, (6, 5, 4, 3), seed=3)
    path = tmp_path / "a.npy"
    np.save(path, array)
    args = ["stats", path, "--json"] + (["--axes", ",".join(map(str, axes))] if axes is not None else [])
    info = json.loads(run(normtool, *args).stdout)
    a = array.astype(np.float64)
    axis = tuple(sorted(x % a.ndim for x in axes)) if axes is not None else tuple(range(a.ndim))
    assert info["axes"] == list(axis)
    mean = a.mean(axis=axis)
    assert info["shape"] == list(np.shape(mean))
    assert info["count"] == int(np.prod([a.shape[i] for i in axis]))
    for key, value in [("mean", mean), ("std", a.std(axis=axis)), ("min", a.min(axis=axis)), ("max", a.max(axis=axis))]:
        np.testing.assert_allclose(info[key], np.ravel(value), rtol=1e-12, atol=1e-12, err_msg=key)


def test_stats_uint8_images_per_channel_exact(normtool, tmp_path):
    rng = np.random.default_rng(7)
    images = rng.integers(0, 256, size=(37, 21, 19, 3), dtype=np.uint8)  # rows not a multiple of the lanes
    path = tmp_path / "images.npy"
    np.save(path, images)
    info = json.loads(run(normtool, "stats", path, "--axes", "0,1,2", "--json").stdout)
    a = images.astype(np.float64)
    np.testing.assert_allclose(info["mean"], a.mean(axis=(0, 1, 2)), rtol=1e-15)
    np.testing.assert_allclose(info["std"], a.std(axis=(0, 1, 2)), rtol=1e-13)
    assert info["min"] == list(a.min(axis=(0, 1, 2))) and info["max"] == list(a.max(axis=(0, 1, 2)))


def test_stats_npz_member_and_errors(normtool, tmp_path):
    archive = tmp_path / "d.npz"
    x = sample("float32", (4, 3))
    np.savez(archive, x=x, y=np.arange(4))
    info = json.loads(run(normtool, "stats", archive, "--member", "x", "--axes", "0", "--json").stdout)
    np.testing.assert_allclose(info["mean"], x.astype(np.float64).mean(axis=0), rtol=1e-12)
    result = run(normtool, "stats", archive, check=False)
    assert result.returncode != 0 and "--member" in result.stderr
    result = run(normtool, "stats", archive, "--member", "x", "--axes", "5", check=False)
    assert result.returncode != 0 and "out of bounds" in result.stderr
    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"\x93NUMPY\x01\x00" + b"\x10\x00" + b"{'descr': '|O'}\n")
    result = run(normtool, "stats", bad, check=False)
    assert result.returncode != 0 and str(bad) in result.stderr


def test_inspect_reads_no_data(normtool, tmp_path):
    """A file cut short after its header still inspects (the data is never read)."""
    path = tmp_path / "cut.npy"
    np.save(path, np.zeros((1000, 1000), np.float64))
    path.write_bytes(path.read_bytes()[:200])
    info = json.loads(run(normtool, "inspect", path, "--json").stdout)
    assert info["shape"] == [1000, 1000] and info["nbytes"] == 8_000_000
    result = run(normtool, "stats", path, check=False)
    assert result.returncode != 0 and "truncated" in result.stderr and str(path) in result.stderr


def test_stats_on_an_empty_folder_names_it(normtool, tmp_path):
    result = run(normtool, "stats", tmp_path, check=False)
    assert result.returncode != 0 and str(tmp_path) in result.stderr and "found none" in result.stderr


@pytest.mark.parametrize("target", ["uint8", "int8", "int16", "int32", "int64", "uint16", "float16", "bool"])
def test_recode_dtype_edge_values_match_astype(normtool, tmp_path, target):
    """Out-of-range, infinite and NaN floats convert as NumPy's astype does on this machine."""
    array = np.array([0.0, -0.0, 0.5, -1.5, 255.7, 256.0, 300.0, -129.0, 65504.0, 70000.0, 1e20, -1e20,
                      np.inf, -np.inf, np.nan, 2.0**31, 2.0**63], dtype=np.float64)
    src, out = tmp_path / "in.npy", tmp_path / "out.npy"
    np.save(src, array)
    run(normtool, "recode", src, out, "--dtype", target, "--casting", "unsafe")
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = array.astype(target)
    assert_same(np.load(out, allow_pickle=False), expected)
