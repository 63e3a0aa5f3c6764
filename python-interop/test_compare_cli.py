"""normtool compare against np.testing.assert_allclose (issue 16 items 1 and 5, docs/design.md §5).

Each case is generated here with NumPy, saved, compared by normtool and by
np.testing.assert_allclose with the same options. Checked: the verdict (exit status 0 or 1);
the lines of NumPy's own message (its array dumps aside) against ours, which holds the count,
the percentage, the listed mismatches and the maximum differences as NumPy prints them; and
the --json figures against NumPy computations (count, the first mismatches, the maxima and
where they first occur).
"""
import json
import subprocess
import sys

import numpy as np
import pytest


def run(normtool, *args):
    return subprocess.run([normtool, "compare", *map(str, args)], capture_output=True, text=True)


def numpy_verdict(actual, desired, rtol=1e-7, atol=0.0, equal_nan=True, strict=False):
    """None when assert_allclose passes, else its message lines without the array dumps."""
    try:
        np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, equal_nan=equal_nan, strict=strict)
        return None
    except AssertionError as error:
        lines = str(error).split("\n")
        assert lines[0] == ""  # NumPy's message starts with a line break
        return lines[1:next(i for i, line in enumerate(lines) if line.startswith(" ACTUAL: "))]


def our_lines(message):
    """The NumPy lines of our message: our additions (where maxima are, the files) removed."""
    return [line for line in message.split("\n")
            if not line.startswith((" ACTUAL: ", " DESIRED: ", "First at index: "))
            and " difference at index: " not in line]


def first_max(values, mask):
    """np.max of values[mask] and the C-order multi-index of its first occurrence (NaN first)."""
    flat = np.where(mask.ravel())[0]
    chosen = values.ravel()[flat]
    position = int(np.argmax(chosen))  # argmax returns the first NaN when there is one
    return chosen[position], list(np.unravel_index(flat[position], values.shape))


def check_figures(member, actual, desired, rtol, atol, equal_nan):
    """The --json figures against NumPy's own computation of them."""
    a, d = np.broadcast_arrays(np.asarray(actual), np.asarray(desired))
    with np.errstate(all="ignore"):
        close = np.isclose(a, d, rtol=rtol, atol=atol, equal_nan=equal_nan)
        flagged = np.zeros(a.shape, bool)
        if a.dtype.kind in "fc" or d.dtype.kind in "fc":
            if equal_nan:
                flagged |= np.isnan(a) & np.isnan(d)
            flagged |= np.isinf(a) & np.isinf(d)
        bad = ~close & ~flagged
        assert member["mismatched"] == int(bad.sum())
        assert member["total"] == a.size
        assert member["percent"] == pytest.approx(100 * bad.sum() / a.size if a.size else 0.0)
        positions = np.argwhere(bad)[:5]
        assert [m["index"] for m in member["mismatches"]] == positions.tolist()
        for m, p in zip(member["mismatches"], positions):
            np.testing.assert_equal(m["actual"], float(a[tuple(p)]))
            np.testing.assert_equal(m["desired"], float(d[tuple(p)]))
        if (a.dtype == bool and d.dtype == bool) or not bad.any():
            assert member["max_abs_diff"] is None and member["max_rel_diff"] is None
            return
        error = np.abs(a - d)
        if a.dtype.kind == "u" and d.dtype.kind == "u":
            error = np.minimum(error, np.abs(d - a))
        value, index = first_max(error, bad)
        np.testing.assert_equal(member["max_abs_diff"], float(value))
        assert member["max_abs_index"] == index
        nonzero = bad & (d != 0)
        if not nonzero.any():
            assert member["max_rel_diff"] == float("inf") and member["max_rel_index"] is None
        else:
            value, index = first_max(error / np.abs(d), nonzero)
            np.testing.assert_equal(member["max_rel_diff"], float(value))
            assert member["max_rel_index"] == index


def generated_cases():
    rng = np.random.default_rng(16)
    base = rng.normal(0, 10, (4, 5, 6))
    cases = {
        "equal_float64": (base, base.copy(), {}),
        "within_rtol": (base * (1 + 5e-8), base, {}),
        "outside_rtol": (base * (1 + 5e-7), base, {}),
        "few_differ": (np.where(rng.random(base.shape) < 0.05, base + 1, base), base, {}),
        "one_differs": (np.where(np.arange(base.size).reshape(base.shape) == 17, 0.0, base), base, {}),
        "atol_passes": (base + 0.01, base, {"atol": 0.02}),
        "atol_rtol_mix": (base + 0.01, base, {"atol": 0.005, "rtol": 1e-4}),
        "zero_desired": (np.array([0.0, 1.0, 2.0]), np.array([0.0, 0.0, 2.5]), {}),
        "shapes": (base, base[:2], {}),
        "shapes_1d": (np.zeros(3), np.zeros(4), {}),
        "scalar_actual": (np.float64(1.0), np.array([1.0, 2.0, 1.0]), {}),
        "scalar_desired": (np.array([[1.0, 2.0], [1.0, 1.0]]), np.float64(1.0), {}),
        "empty": (np.zeros((0, 3)), np.zeros((0, 3)), {}),
        "nan_same": (np.array([1.0, np.nan, 3.0]), np.array([1.0, np.nan, 3.0]), {}),
        "nan_location": (np.array([1.0, np.nan, 3.0]), np.array([1.0, 2.0, 3.0]), {}),
        "nan_differ": (np.array([1.0, np.nan, 3.0, 5.0]), np.array([1.0, np.nan, 4.0, 5.0]), {"equal_nan": False}),
        "inf_same": (np.array([np.inf, -np.inf, 1.0]), np.array([np.inf, -np.inf, 1.0]), {}),
        "inf_location": (np.array([np.inf, 1.0]), np.array([1.0, 1.0]), {}),
        "inf_sign": (np.array([np.inf, 1.0]), np.array([-np.inf, 1.0]), {}),
        "float32_pair": (base.astype(np.float32) * np.float32(1 + 2e-7), base.astype(np.float32), {}),
        "float32_vs_64": (base.astype(np.float32), base, {}),
        "float32_vs_64_loose": (base.astype(np.float32), base, {"rtol": 1e-6}),
        "float16_pair": (np.array([1, 2, 3], np.float16), np.array([1, 2.002, 3], np.float16), {}),
        "int8_wraps": (np.array([100, -100, 5], np.int8), np.array([-100, 100, 5], np.int8), {}),
        "uint8_wraps": (np.array([1, 250, 7], np.uint8), np.array([3, 2, 7], np.uint8), {}),
        "int64_pair": (np.arange(12, dtype=np.int64).reshape(3, 4), np.arange(12, dtype=np.int64).reshape(3, 4) + (np.arange(12).reshape(3, 4) % 5 == 0), {}),
        "int_vs_float": (np.arange(6, dtype=np.int32), np.arange(6) + np.array([0, 0, 0.5, 0, 0, 1e-9]), {}),
        "uint16_vs_int16": (np.array([1, 40000, 3], np.uint16), np.array([1, -5, 4], np.int16), {}),
        "bool_pair": (np.array([True, False, True]), np.array([True, True, True]), {}),
        "fortran_both": (np.asfortranarray(base + (rng.random(base.shape) < 0.1)), np.asfortranarray(base), {}),
        "fortran_mixed": (np.asfortranarray(base + (rng.random(base.shape) < 0.1)), base, {}),
        "large_many": (rng.normal(size=(300, 301)).astype(np.float32), rng.normal(size=(300, 301)).astype(np.float32), {"rtol": 0.5}),
        "big_values": (np.array([1e-10, 1e9, 3.0]), np.array([2e-10, 1e8, 3.0]), {}),
        "nan_and_number_mismatch": (np.array([np.nan, 1.0, 2.0]), np.array([np.nan, 1.5, 2.0]), {}),
    }
    for i in range(12):  # random dtypes and tolerances
        dtypes = ["float16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "uint32"]
        ta, td = rng.choice(dtypes, 2)
        shape = tuple(int(n) for n in rng.integers(1, 6, rng.integers(1, 4)))
        values = rng.normal(0, 20, shape)
        noise = np.where(rng.random(shape) < 0.3, rng.normal(0, 1, shape), 0)
        if np.dtype(ta).kind == "u":
            values = np.abs(values)
        rtol = float(rng.choice([1e-7, 1e-3, 0.05]))
        cases[f"random_{i}_{ta}_{td}"] = ((values + noise).astype(ta), values.astype(td), {"rtol": rtol})
    return cases


CASES = generated_cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_compare_agrees_with_assert_allclose(normtool, tmp_path, name):
    actual, desired, options = CASES[name]
    rtol, atol = options.get("rtol", 1e-7), options.get("atol", 0.0)
    equal_nan = options.get("equal_nan", True)
    np.save(tmp_path / "a.npy", actual)
    np.save(tmp_path / "b.npy", desired)
    args = ["--rtol", repr(rtol), "--atol", repr(atol)] + ([] if equal_nan else ["--nan-differ"])
    result = run(normtool, tmp_path / "a.npy", tmp_path / "b.npy", *args, "--json")
    expected = numpy_verdict(actual, desired, rtol=rtol, atol=atol, equal_nan=equal_nan)
    assert result.returncode == (0 if expected is None else 1), result.stderr
    report = json.loads(result.stdout)
    (member,) = report["members"]
    assert report["equal"] == member["equal"] == (expected is None)
    if expected is not None:
        assert our_lines(member["message"]) == expected
    if member["outcome"] in ("values differ", "equal"):
        check_figures(member, actual, desired, rtol, atol, equal_nan)
    # The text output carries the same NumPy lines.
    text = run(normtool, tmp_path / "a.npy", tmp_path / "b.npy", *args)
    assert text.returncode == result.returncode
    if expected is not None:
        assert "\n".join(expected) in text.stdout


def test_exact_requires_equal_dtypes_and_values(normtool, tmp_path):
    a = np.linspace(0, 1, 10)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "a32.npy", a.astype(np.float32))
    np.save(tmp_path / "near.npy", a + 1e-12)
    for other, strict_equal in (("a.npy", True), ("a32.npy", False), ("near.npy", False)):
        desired = np.load(tmp_path / other)
        expected = numpy_verdict(a, desired, rtol=0, atol=0, strict=True)
        assert (expected is None) == strict_equal
        result = run(normtool, tmp_path / "a.npy", tmp_path / other, "--exact", "--json")
        assert result.returncode == (0 if strict_equal else 1)
        member = json.loads(result.stdout)["members"][0]
        if expected is not None:
            assert our_lines(member["message"]) == expected
    # Without --exact a float32 copy is compared by value, as assert_allclose does.
    loose = run(normtool, tmp_path / "a.npy", tmp_path / "a32.npy", "--rtol", "1e-6")
    assert loose.returncode == (0 if numpy_verdict(a, a.astype(np.float32), rtol=1e-6) is None else 1)


def test_first_k_mismatches_with_show(normtool, tmp_path):
    a = np.arange(20.0)
    b = a + (np.arange(20) % 3 == 0)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    for show, heading in ((3, "First 3 mismatches are at indices:"), (7, "Mismatch at indices:")):
        result = run(normtool, tmp_path / "a.npy", tmp_path / "b.npy", "--show", show, "--json")
        member = json.loads(result.stdout)["members"][0]
        assert member["mismatched"] == 7
        assert [m["index"][0] for m in member["mismatches"]] == list(np.flatnonzero(a != b)[:show])
        assert heading in member["message"]


def write_dataset_folder(folder, x, classes):
    folder.mkdir()
    np.save(folder / "x.npy", x)
    np.save(folder / "y.npy", np.arange(len(x)) % 2)
    np.save(folder / "classes.npy", np.array(classes))
    np.save(folder / "files.npy", np.array([f"{i}.png" for i in range(len(x))]))


def test_npz_and_folders_member_by_member(normtool, tmp_path):
    rng = np.random.default_rng(3)
    x = rng.random((6, 4, 4, 3)).astype(np.float32)
    x2 = x.copy()
    x2[2, 1, 1, 0] += 0.5
    np.savez(tmp_path / "a.npz", x=x, y=np.arange(6), classes=np.array(["cat", "dog"]))
    np.savez(tmp_path / "b.npz", x=x2, y=np.arange(6), classes=np.array(["cat", "emu"]), extra=np.zeros(1))
    result = run(normtool, tmp_path / "a.npz", tmp_path / "b.npz", "--json")
    assert result.returncode == 1
    members = {m["name"]: m for m in json.loads(result.stdout)["members"]}
    assert set(members) == {"x", "y", "classes", "extra"}
    assert not members["x"]["equal"] and members["x"]["max_abs_index"] == [2, 1, 1, 0]
    assert our_lines(members["x"]["message"]) == numpy_verdict(x, x2)
    assert members["y"]["equal"]
    assert members["classes"]["kind"] == "strings" and members["classes"]["mismatched"] == 1
    assert members["extra"]["kind"] == "missing"
    # --member compares one member; equal members exit 0.
    assert run(normtool, tmp_path / "a.npz", tmp_path / "b.npz", "--member", "y").returncode == 0
    # Dataset folders (normtool convert's directory output) and an .npy against a folder's x.
    write_dataset_folder(tmp_path / "da", x, ["cat", "dog"])
    write_dataset_folder(tmp_path / "db", x, ["cat", "dog"])
    assert run(normtool, tmp_path / "da", tmp_path / "db").returncode == 0
    np.save(tmp_path / "x2.npy", x2)
    folder_vs_npy = run(normtool, tmp_path / "da", tmp_path / "x2.npy", "--json")
    assert folder_vs_npy.returncode == 1
    assert json.loads(folder_vs_npy.stdout)["members"][0]["mismatched"] == 1


def test_deflated_npz_members_are_streamed_and_checked(normtool, tmp_path):
    x = np.random.default_rng(5).normal(size=(700, 1000)).astype(np.float32)
    np.savez_compressed(tmp_path / "a.npz", x=x)
    np.save(tmp_path / "x.npy", x)
    assert run(normtool, tmp_path / "a.npz", tmp_path / "x.npy").returncode == 0
    y = x.copy()
    y[-1, -1] += 1
    np.save(tmp_path / "y.npy", y)
    result = run(normtool, tmp_path / "a.npz", tmp_path / "y.npy", "--json")
    assert json.loads(result.stdout)["members"][0]["mismatches"][0]["index"] == [699, 999]


def test_bad_input_is_one_line_exit_2(normtool, tmp_path):
    np.save(tmp_path / "a.npy", np.zeros(3))
    np.save(tmp_path / "c.npy", np.zeros(3, np.complex64))
    (tmp_path / "junk.npy").write_bytes(b"\x93NUMPY\x01\x00garbage")
    np.savez(tmp_path / "z.npz", x=np.zeros(3), y=np.zeros(3))
    cases = [
        (tmp_path / "missing.npy", "no such file"),
        (tmp_path / "junk.npy", "junk.npy"),
        (tmp_path / "c.npy", "complex64"),
    ]
    for other, fragment in cases:
        result = run(normtool, tmp_path / "a.npy", other)
        assert result.returncode == 2, result
        assert result.stdout == ""
        lines = result.stderr.strip().split("\n")
        assert len(lines) == 1 and lines[0].startswith("normtool compare: ") and fragment in lines[0], result.stderr
    unknown = run(normtool, tmp_path / "z.npz", tmp_path / "z.npz", "--member", "w")
    assert unknown.returncode == 2 and "w" in unknown.stderr and len(unknown.stderr.strip().split("\n")) == 1
    ambiguous = run(normtool, tmp_path / "z.npz", tmp_path / "a.npy")
    assert ambiguous.returncode == 2 and "--member" in ambiguous.stderr or "members" in ambiguous.stderr
    bad_option = run(normtool, tmp_path / "a.npy", tmp_path / "a.npy", "--rtol", "-1")
    assert bad_option.returncode == 64 and "--rtol" in bad_option.stderr


def peak_rss_megabytes(*command):
    """(exit status, peak resident MB) of one process, measured in a fresh Python parent."""
    probe = ("import resource, subprocess, sys\n"
             "status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
             "print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n")
    status, megabytes = subprocess.run([sys.executable, "-c", probe, *map(str, command)], capture_output=True,
                                       text=True, check=True).stdout.split()
    return int(status), int(megabytes)


def test_memory_stays_below_the_arrays_size(normtool, tmp_path):
    """Two 48 MB arrays: the mapped pages already compared are released as the scan goes, so
    the peak resident size stays well under the 96 MB both arrays take (about 60 MB; 125 MB if
    every page stayed)."""
    a = np.random.default_rng(9).random(12_000_000, dtype=np.float32).reshape(-1, 1000)
    np.save(tmp_path / "a.npy", a)
    a[-1, -1] += 1
    np.save(tmp_path / "b.npy", a)
    del a
    status, megabytes = peak_rss_megabytes(normtool, "compare", tmp_path / "a.npy", tmp_path / "b.npy")
    assert status == 1
    assert megabytes < 85, f"peak RSS {megabytes} MB for two 48 MB arrays"


def test_a_corrupt_member_is_an_error_not_a_verdict(normtool, tmp_path):
    """A stored member whose bytes no longer match its CRC-32: the stream is checked at its
    end, so the run fails with one line (exit 2) instead of reporting a difference."""
    x = np.arange(1000, dtype=np.float64)
    np.savez(tmp_path / "good.npz", x=x)
    data = bytearray((tmp_path / "good.npz").read_bytes())
    position = data.index(x.tobytes()[800:808])
    data[position] ^= 0x01
    (tmp_path / "bad.npz").write_bytes(bytes(data))
    result = run(normtool, tmp_path / "bad.npz", tmp_path / "good.npz")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().split("\n")) == 1 and "CRC" in result.stderr.upper(), result.stderr
    normalized = subprocess.run([normtool, "normalize", tmp_path / "bad.npz", tmp_path / "out.npy"],
                                capture_output=True, text=True)
    assert normalized.returncode == 1 and "CRC" in normalized.stderr.upper()
    assert not (tmp_path / "out.npy").exists()
