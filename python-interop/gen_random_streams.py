"""Writes NumPy's random streams for NumPyRandomGenerator's tests into
Tests/Fixtures/random/streams.json.

Regenerate (from anywhere):   python3 python-interop/gen_random_streams.py
Check the file is current:    python3 python-interop/gen_random_streams.py --check

NumPy keeps `Generator` streams stable within a release but may change them between
releases (NEP 19), so the script is pinned: it refuses to run on a NumPy other than the one pinned in
python-interop/requirements.txt (oracle_versions), and it prints and records the version it used.
The output is deterministic; re-running gives the same file.

For every seed, one `np.random.default_rng(seed)` runs a fixed script of calls in order
(raw draws, doubles, float32s, integers of every width, uniforms, normals, permutations,
shuffles, choices). Running them on one generator checks the state carried between calls,
including the 32-bit half-draw NumPy keeps buffered after float32s and small integers.
The "long" section holds digests of long streams (hundreds of thousands of values, where
rare paths such as the ziggurat's tail are certain to occur) for a few seeds.

Encoding: integers and the parameters of calls as decimal strings ("last" is the largest
value an integers call may return: high - 1, or high with endpoint=True); PCG64's 128-bit
state and increment as 32 hex digits; float64 values as the 16 hex digits of their bits;
float32 values as 8 hex digits; raw 64-bit draws as 16 hex digits. A digest folds one
64-bit word per value (an integer's two's complement, a float's bit pattern zero-extended)
as h = fmix64((h ^ word) + 0x9e3779b97f4a7c15 mod 2**64) from h = 0, where fmix64 is
MurmurHash3's 64-bit finalizer. (A plain word-wise FNV-1a is too weak here: two sign flips
cancel in it.)
"""
import argparse
import json
import pathlib
import random
import sys

import numpy as np

import oracle_versions

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "random" / "streams.json"
ZIGGURAT_R = 3.6541528853610087963519472518
MASK64 = (1 << 64) - 1


def seeds():
    """(label, seed) pairs: the named seeds, then 20 drawn from a fixed Python RNG, then
    seeds given as 32-bit word lists (NumPy reads a big int as its little-endian words)."""
    named = [0, 1, 42, 2**32 - 1, 2**32, 2**63, 2**64 - 1]
    picker = random.Random(14)
    drawn = [picker.getrandbits(64) for _ in range(14)] + [picker.getrandbits(32) for _ in range(6)]
    out = [("int", s) for s in named + drawn]
    out += [("words", [1, 2, 3]), ("words", [7, 0, 0, 16]), ("words", [0xFFFFFFFF] * 6),
            ("words", [0, 0])]
    return out


def bits64(values):
    return ["%016x" % v for v in np.asarray(values, dtype=np.float64).view(np.uint64).tolist()]


def bits32(values):
    return ["%08x" % v for v in np.asarray(values, dtype=np.float32).view(np.uint32).tolist()]


def ints(values):
    return [str(int(v)) for v in np.asarray(values).reshape(-1).tolist()]


def fmix64(k):
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & MASK64
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & MASK64
    return k ^ (k >> 33)


def digest(words):
    h = 0
    for w in words:
        h = fmix64(((h ^ (int(w) & MASK64)) + 0x9E3779B97F4A7C15) & MASK64)
    return "%016x" % h


def words_of(values):
    a = np.asarray(values).reshape(-1)
    if a.dtype == np.float64:
        return a.view(np.uint64).tolist()
    if a.dtype == np.float32:
        return a.view(np.uint32).tolist()
    return [int(v) & MASK64 for v in a.tolist()]


def bit_state(rng):
    s = rng.bit_generator.state
    return {"state": "%032x" % s["state"]["state"], "inc": "%032x" % s["state"]["inc"],
            "has_uint32": int(s["has_uint32"]), "uinteger": str(s["uinteger"])}


# (op, parameters) run in this order on one generator per seed.
INTEGER_CASES = [
    ("int64", 0, 10, 12, False), ("int64", -1000, 1000, 6, False), ("int64", 0, 2**40, 4, False),
    ("int64", -2**63, 2**63 - 1, 3, False), ("int64", 0, 2**32, 3, False), ("int64", 5, 6, 2, False),
    ("int64", -2**63, 2**63 - 1, 2, True), ("int64", 0, 3 * 2**61, 5, False),
    ("int32", -100, 100, 7, False), ("int32", -2**31, 2**31 - 1, 3, False),
    ("int32", -2**31, 2**31 - 1, 2, True),
    ("uint8", 0, 256, 9, False), ("uint8", 0, 10, 11, False), ("int8", -128, 127, 5, False),
    ("uint8", 3, 3, 2, True),
    ("uint16", 0, 65536, 3, False), ("int16", -300, 300, 5, False), ("uint16", 0, 1000, 4, False),
    ("uint32", 0, 2**32 - 1, 3, True), ("uint64", 2**63, 2**64 - 1, 3, False),
]


def script(rng):
    ops = []
    ops.append({"op": "raw", "count": 5, "values": ["%016x" % v for v in rng.bit_generator.random_raw(5).tolist()]})
    ops.append({"op": "random", "count": 9, "values": bits64(rng.random(9))})
    ops.append({"op": "random_f32", "count": 7, "values": bits32(rng.random(7, dtype=np.float32))})
    for dtype, low, high, count, endpoint in INTEGER_CASES[:1]:
        ops.append(integer_op(rng, dtype, low, high, count, endpoint))
    ops.append({"op": "random_scalar", "values": bits64([rng.random()])})
    ops.append({"op": "random_f32_scalar", "values": bits32([rng.random(dtype=np.float32)])})
    for dtype, low, high, count, endpoint in INTEGER_CASES[1:]:
        ops.append(integer_op(rng, dtype, low, high, count, endpoint))
    ops.append({"op": "integers_scalar", "dtype": "int64", "low": "0", "high": "100", "last": "99", "endpoint": False,
                "values": ints([rng.integers(0, 100)])})
    ops.append({"op": "integers_scalar", "dtype": "uint8", "low": "0", "high": "7", "last": "6", "endpoint": False,
                "values": ints([rng.integers(0, 7, dtype=np.uint8)])})
    ops.append({"op": "uniform", "low": "-2.0", "high": "3.0", "count": 5, "values": bits64(rng.uniform(-2.0, 3.0, 5))})
    ops.append({"op": "uniform_scalar", "low": "10.0", "high": "20.0", "values": bits64([rng.uniform(10.0, 20.0)])})
    ops.append({"op": "standard_normal", "count": 25, "values": bits64(rng.standard_normal(25))})
    ops.append({"op": "standard_normal_scalar", "values": bits64([rng.standard_normal()])})
    ops.append({"op": "normal", "mean": "1.5", "std": "2.0", "count": 5, "values": bits64(rng.normal(1.5, 2.0, 5))})
    ops.append({"op": "normal_scalar", "mean": "-3.0", "std": "0.5", "values": bits64([rng.normal(-3.0, 0.5)])})
    ops.append({"op": "standard_normal_f32", "count": 15, "values": bits32(rng.standard_normal(15, dtype=np.float32))})
    ops.append({"op": "standard_normal_f32_scalar", "values": bits32([rng.standard_normal(dtype=np.float32)])})
    for n in (10, 1, 0, 37):
        ops.append({"op": "permutation", "n": n, "values": ints(rng.permutation(n))})
    a = np.arange(7) * 10
    rng.shuffle(a)
    ops.append({"op": "shuffle", "shape": [7], "values": ints(a)})
    b = np.arange(12).reshape(4, 3)
    rng.shuffle(b)
    ops.append({"op": "shuffle", "shape": [4, 3], "values": ints(b)})
    for n, size, replace, shuffle in [(100, 5, False, True), (10, 10, False, True), (50, 8, True, True),
                                      (12, 4, False, False), (1, 1, False, True), (30, 0, False, True)]:
        ops.append({"op": "choice", "n": n, "size": size, "replace": replace, "shuffle": shuffle,
                    "values": ints(rng.choice(n, size, replace=replace, shuffle=shuffle))})
    ops.append({"op": "random", "count": 3, "values": bits64(rng.random(3))})
    return ops


def integer_op(rng, dtype, low, high, count, endpoint):
    values = rng.integers(low, high, count, dtype=np.dtype(dtype), endpoint=endpoint)
    return {"op": "integers", "dtype": dtype, "low": str(low), "high": str(high),
            "last": str(high if endpoint else high - 1), "count": count,
            "endpoint": endpoint, "values": ints(values)}


LONG_SEEDS = [0, 42, 2**63, 12345]
LONG_CASES = [
    ("standard_normal", {"count": 200_000}),
    ("standard_normal_f32", {"count": 200_001}),
    ("random", {"count": 100_000}),
    ("random_f32", {"count": 100_001}),
    ("integers", {"dtype": "int64", "low": "0", "high": "1000", "count": 100_000}),
    ("integers", {"dtype": "int64", "low": "0", "high": str(3 * 2**61), "count": 20_000}),
    ("integers", {"dtype": "uint8", "low": "0", "high": "200", "count": 100_001}),
    ("integers", {"dtype": "int16", "low": "-20000", "high": "20000", "count": 50_001}),
    ("permutation", {"n": 100_000}),
    ("choice", {"n": 1_000_000, "size": 30_000, "shuffle": True}),
    ("choice", {"n": 1_000_000, "size": 15_000, "shuffle": True}),
    ("choice", {"n": 20_000, "size": 1_001, "shuffle": False}),
    ("choice", {"n": 20_000, "size": 1_000, "shuffle": False}),
]


def long_case(seed, op, params):
    rng = np.random.default_rng(seed)
    extra = {}
    if op == "standard_normal":
        values = rng.standard_normal(params["count"])
        extra["tail_count"] = int(np.sum(np.abs(values) >= ZIGGURAT_R))
    elif op == "standard_normal_f32":
        values = rng.standard_normal(params["count"], dtype=np.float32)
        extra["tail_count"] = int(np.sum(np.abs(values) >= np.float32(ZIGGURAT_R)))
    elif op == "random":
        values = rng.random(params["count"])
    elif op == "random_f32":
        values = rng.random(params["count"], dtype=np.float32)
    elif op == "integers":
        values = rng.integers(int(params["low"]), int(params["high"]), params["count"], dtype=np.dtype(params["dtype"]))
    elif op == "permutation":
        values = rng.permutation(params["n"])
    elif op == "choice":
        values = rng.choice(params["n"], params["size"], replace=False, shuffle=params["shuffle"])
    else:
        raise ValueError(op)
    out = {"seed": str(seed), "op": op, **params, "digest": digest(words_of(values)),
           "after": bits64([rng.random()])}
    out.update(extra)
    return out


def build():
    cases = []
    for kind, seed in seeds():
        entropy = seed if kind == "int" else list(seed)
        seq = np.random.SeedSequence(entropy)
        rng = np.random.default_rng(entropy)
        case = {"label": f"{kind} {seed}", "seed_state": ["%016x" % v for v in seq.generate_state(4, np.uint64).tolist()],
                "pool": [str(v) for v in seq.pool.tolist()], "pcg_state": bit_state(rng)}
        if kind == "int":
            case["seed"] = str(seed)
        else:
            case["words"] = [str(w) for w in seed]
        case["ops"] = script(rng)
        case["final_state"] = bit_state(rng)
        cases.append(case)
    long = [long_case(seed, op, params) for seed in LONG_SEEDS for op, params in LONG_CASES]
    for op in ("standard_normal", "standard_normal_f32"):
        assert all(c["tail_count"] > 0 for c in long if c["op"] == op), f"{op}: no ziggurat tail draws"
    return {"numpy_version": np.__version__, "generator": "python-interop/gen_random_streams.py",
            "cases": cases, "long": long}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the checked-in file instead of writing")
    args = parser.parse_args()
    print(f"numpy {np.__version__}")
    oracle_versions.require_pinned("numpy")  # golden data only from the pinned oracles
    text = json.dumps(build(), indent=None, separators=(",", ":")) + "\n"
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            sys.exit(f"{OUT}: out of date; run python3 python-interop/gen_random_streams.py")
        print(f"{OUT}: up to date")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
