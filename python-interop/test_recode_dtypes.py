"""`normtool recode` keeps dtypes exactly, and --dtype follows NumPy's casting rules (issue 9
items 6 and 7).

String arrays: every string dtype (|S, <U, >U; a wide and a one-character width) x shape
(0-d, empty, 1-d, 2-d C and F, 3-d F) x npy version, written by NumPy
(python-interop/gen_npy_fixtures.py -> Tests/Fixtures/npy/str_*.npy). With no options the
output bytes are what np.save writes for np.load(IN): the input bytes for a version 1.0 input
(np.save, like recode, writes the lowest version the header fits, so a 2.0 or 3.0 input comes
out as 1.0, as for numeric arrays); with --order / --npy-version they are what NumPy writes
for np.asarray(a, order=...).

Casting: recode --dtype refuses exactly the casts np.can_cast(from, to, casting) refuses,
naming --casting in a one-line message, and writes no output; allowed casts equal astype.
"""
import json
import pathlib
import subprocess
import warnings
import zipfile

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "Fixtures" / "npy"
STRING_CASES = json.loads((FIXTURES / "manifest.json").read_text())["string_arrays"]
DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]


def run(normtool, *args):
    return subprocess.run([normtool, *map(str, args)], capture_output=True, text=True)


def npy_bytes(array, version=None):
    """What np.save writes for `array`, in .npy format `version` (1, 2 or 3) if given."""
    import io
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, version=version and (version, 0), allow_pickle=False)
    return buffer.getvalue()


def test_the_string_cases_cover_every_dtype_shape_and_version():
    descrs = {case["descr"] for case in STRING_CASES.values()}
    assert descrs == {"|S9", "|S1", "<U8", "<U1", ">U8", ">U1"}
    assert {tuple(case["shape"]) for case in STRING_CASES.values()} == {(), (0,), (2, 0), (5,), (3, 4), (2, 3, 2)}
    assert {tuple(case["version"]) for case in STRING_CASES.values()} == {(1, 0), (2, 0), (3, 0)}
    assert any(case["fortran_order"] for case in STRING_CASES.values())
    assert len(STRING_CASES) == 126


@pytest.mark.parametrize("name", sorted(STRING_CASES))
def test_recode_copies_string_arrays_byte_for_byte(normtool, tmp_path, name):
    source = FIXTURES / name
    out = tmp_path / "out.npy"
    result = run(normtool, "recode", source, out)
    assert result.returncode == 0, result.stderr
    original = np.load(source, allow_pickle=False)
    assert out.read_bytes() == npy_bytes(original)
    if STRING_CASES[name]["version"] == [1, 0]:
        assert out.read_bytes() == source.read_bytes()
    back, original = np.load(out, allow_pickle=False), np.load(source, allow_pickle=False)
    assert back.dtype.str == original.dtype.str == STRING_CASES[name]["descr"]
    assert np.array_equal(back, original)


@pytest.mark.parametrize("name", sorted(n for n in STRING_CASES if n.endswith("_v1.npy")))
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("version", [1, 2, 3])
def test_recode_string_arrays_with_order_and_version(normtool, tmp_path, name, order, version):
    source = FIXTURES / name
    out = tmp_path / "out.npy"
    result = run(normtool, "recode", source, out, "--order", order, "--npy-version", version)
    assert result.returncode == 0, result.stderr
    original = np.load(source, allow_pickle=False)
    assert out.read_bytes() == npy_bytes(np.asarray(original, order=order), version)
    back = np.load(out, allow_pickle=False)
    assert back.dtype.str == original.dtype.str
    assert back.shape == original.shape and np.array_equal(back, original)


@pytest.mark.parametrize("compress", [False, True])
def test_recode_npz_keeps_string_members(normtool, tmp_path, compress):
    members = {name.removesuffix(".npy"): np.load(FIXTURES / name, allow_pickle=False)
               for name in sorted(STRING_CASES) if name.endswith("_v1.npy")}
    members["x"] = np.arange(6, dtype=">f8").reshape(2, 3)
    source, out = tmp_path / "in.npz", tmp_path / "out.npz"
    (np.savez_compressed if compress else np.savez)(source, **members)
    result = run(normtool, "recode", source, out, *(["--compress"] if compress else []))
    assert result.returncode == 0, result.stderr
    with np.load(out, allow_pickle=False) as back:
        assert sorted(back.files) == sorted(members)
        for key, value in members.items():
            assert back[key].dtype.str == value.dtype.str, key
            assert back[key].shape == value.shape and np.array_equal(back[key], value), key
    with zipfile.ZipFile(out) as z, zipfile.ZipFile(source) as original:
        assert z.testzip() is None
        for info in original.infolist():  # every member's .npy bytes as NumPy wrote them
            assert z.read(info.filename) == original.read(info.filename), info.filename
    if not compress:  # a stored archive is what np.savez writes
        assert out.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("name", ["str_S9_1d_v1.npy", "str_Ule8_2dF_v1.npy", "str_Ube1_0d_v1.npy"])
@pytest.mark.parametrize("casting", ["same_kind", "unsafe"])
def test_recode_refuses_dtype_on_string_arrays(normtool, tmp_path, name, casting):
    out = tmp_path / "out.npy"
    result = run(normtool, "recode", FIXTURES / name, out, "--dtype", "float64", "--casting", casting)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "--dtype float64" in lines[0] and "string" in lines[0]
    assert not out.exists()


def test_recode_refuses_dtype_on_a_string_member_of_an_npz(normtool, tmp_path):
    source, out = tmp_path / "in.npz", tmp_path / "out.npz"
    np.savez(source, x=np.arange(3.0), classes=np.array(["cat", "dog"]))
    result = run(normtool, "recode", source, out, "--dtype", "float32")
    assert result.returncode != 0 and "classes" in result.stderr and "--dtype float32" in result.stderr
    assert not out.exists()


def test_unit_floats_to_uint8_are_refused_by_default(normtool, tmp_path):
    """The black image: 0..1 floats silently became 0 and 1."""
    source, out = tmp_path / "scale.npy", tmp_path / "u8.npy"
    np.save(source, np.linspace(0, 1, 11))
    out.write_bytes(b"keep me")
    result = run(normtool, "recode", source, out, "--dtype", "uint8")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "cannot cast float64 to uint8 under --casting same_kind" in result.stderr
    assert "--casting unsafe" in result.stderr and str(source) in result.stderr
    assert out.read_bytes() == b"keep me"
    result = run(normtool, "recode", source, out, "--dtype", "uint8", "--casting", "unsafe")
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.load(out), np.linspace(0, 1, 11).astype(np.uint8))


@pytest.mark.parametrize("source_dtype", DTYPES)
def test_recode_casting_matches_numpy_can_cast(normtool, tmp_path, source_dtype):
    """Every target dtype under every rule (and the same_kind default): refused exactly when
    np.can_cast refuses; otherwise the output equals astype."""
    array = (np.arange(12).reshape(3, 4) % 5).astype(source_dtype)
    source = tmp_path / "in.npy"
    np.save(source, array)
    for target in DTYPES:
        for casting in CASTINGS + [None]:
            out = tmp_path / f"{target}-{casting}.npy"
            args = ["recode", source, out, "--dtype", target] + (["--casting", casting] if casting else [])
            result = run(normtool, *args)
            allowed = np.can_cast(source_dtype, target, casting=casting or "same_kind")
            if allowed:
                assert result.returncode == 0, (target, casting, result.stderr)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    expected = array.astype(target)
                back = np.load(out, allow_pickle=False)
                assert back.dtype == expected.dtype and back.tobytes() == expected.tobytes(), (target, casting)
            else:
                assert result.returncode != 0, (target, casting)
                assert f"cannot cast {source_dtype} to {target} under --casting {casting or 'same_kind'}" in result.stderr
                assert not out.exists()
