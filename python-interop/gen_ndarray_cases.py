"""Writes NumPy's answers for the NDArray tests into Tests/Fixtures/ndarray/*.json.

Run from anywhere:  python3 python-interop/gen_ndarray_cases.py
Deterministic (fixed seeds); re-running gives the same files. Needs numpy (2.x).

Every number is written as a string (exact: Python's repr of the float64 value, or the
integer's decimal digits; "nan", "inf", "-inf"; "True"/"False") so that no JSON parser
can round it. Arrays are {"dtype": NumPy name, "shape": [...], "data": [C-order strings]}.
"""
import json
import pathlib
import warnings

import numpy as np

import oracle_versions

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "ndarray"

REAL_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float16", "float32", "float64"]


def text(x):
    if isinstance(x, (bool, np.bool_)):
        return "True" if x else "False"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (complex, np.complexfloating)):
        return [text(x.real), text(x.imag)]
    f = float(x)
    if np.isnan(f):
        return "nan"
    if np.isinf(f):
        return "inf" if f > 0 else "-inf"
    return repr(f)


def encode(a):
    a = np.asarray(a)
    return {"dtype": a.dtype.name, "shape": list(a.shape), "data": [text(x) for x in a.reshape(-1).tolist()]}


def sample(rng, dtype, shape, special=False):
    dt = np.dtype(dtype)
    n = int(np.prod(shape))
    if dt.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        low, high = (int(info.min), int(info.max)) if dt.itemsize <= 2 else (-1000, 1000)
        if dt.kind == "u":
            low = 0
        return rng.integers(low, high, size=shape, endpoint=True, dtype=np.int64).astype(dt)
    values = rng.normal(3.0, 10.0, size=n)
    if special and n >= 4:
        values[1] = np.nan if special == "nan" else values[1]
    return values.astype(dt).reshape(shape)


def reduction_cases(rng):
    cases = []
    shapes = [(), (0,), (5,), (1, 1), (3, 0), (4, 1, 3), (2, 3, 4), (3, 2, 2, 2), (3, 5)]
    axis_sets = [None, [], [0], [-1], [0, -1], [1, 2], [0, 1, 2], [2, 0]]
    for dtype in REAL_DTYPES:
        for shape in shapes:
            a = sample(rng, dtype, shape)
            entry = {"array": encode(a), "reductions": []}
            cases.append(entry)
            for axes in axis_sets:
                if axes is not None and any(not (-len(shape) <= x < len(shape)) for x in axes):
                    continue
                if axes is not None and len({x % len(shape) for x in axes}) != len(axes):
                    continue
                ax = None if axes is None else tuple(axes)
                for keep in ([False, True] if shape == (2, 3, 4) else [False]):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        results = {
                            "sum": np.sum(a, axis=ax, keepdims=keep),
                            "mean": np.mean(a, axis=ax, keepdims=keep),
                            "var0": np.var(a, axis=ax, keepdims=keep),
                            "std1": np.std(a, axis=ax, ddof=1, keepdims=keep),
                        }
                        a64 = a.astype(np.float64)
                        reference = {
                            "sum": np.sum(a64, axis=ax, keepdims=keep),
                            "mean": np.mean(a64, axis=ax, keepdims=keep),
                            "var0": np.var(a64, axis=ax, keepdims=keep),
                            "std1": np.std(a64, axis=ax, ddof=1, keepdims=keep),
                        }
                        try:  # NumPy raises for min/max over zero elements
                            results["min"] = np.min(a, axis=ax, keepdims=keep)
                            results["max"] = np.max(a, axis=ax, keepdims=keep)
                        except ValueError:
                            pass
                    case = {"axes": axes, "keepdims": keep,
                            "results": {k: encode(v) for k, v in results.items()}}
                    if dtype in ("float16", "float32"):
                        # The float64-accumulated answer, which ours should match after rounding.
                        case["float64"] = {k: encode(v) for k, v in reference.items()}
                    entry["reductions"].append(case)
    return cases


def nan_cases(rng):
    cases = []
    for dtype in ["float32", "float64"]:
        a = sample(rng, dtype, (3, 4))
        a[1, 2] = np.nan
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cases.append({"array": encode(a),
                          "min0": encode(np.min(a, axis=0)), "max1": encode(np.max(a, axis=1)),
                          "argmin0": encode(np.argmin(a, axis=0)), "argmax1": encode(np.argmax(a, axis=1)),
                          "mean1": encode(np.mean(a, axis=1))})
    return cases


def arg_cases(rng):
    cases = []
    for dtype in ["int8", "uint8", "int64", "float32", "float64"]:
        for shape in [(7,), (3, 4), (2, 3, 4)]:
            a = sample(rng, dtype, shape)
            if dtype in ("int8", "uint8"):
                a = (a % 5).astype(dtype)  # plenty of ties: first index wins
            entry = {"array": encode(a), "argmin": {}, "argmax": {}}
            entry["argmin"]["none"] = encode(np.argmin(a))
            entry["argmax"]["none"] = encode(np.argmax(a))
            for axis in range(-a.ndim, a.ndim):
                entry["argmin"][str(axis)] = encode(np.argmin(a, axis=axis))
                entry["argmax"][str(axis)] = encode(np.argmax(a, axis=axis))
            cases.append(entry)
    return cases


def cast_cases(rng):
    dtypes = ["bool"] + REAL_DTYPES
    cases = []
    floats = np.array([0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.7, -2.7, 127.9, 128.0, -128.5, 255.0, 255.9,
                       256.0, 300.0, -1.0, 65535.0, 65536.5, 3e9, -3e9, 1e20, -1e20,
                       np.nan, np.inf, -np.inf, 1e-3, 70000.0])
    ints = np.array([0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32769, 65535, 65536,
                     2147483647, 2147483648, -2147483649, 4294967295, 4294967296, 2**53 + 1,
                     -(2**63), 2**63 - 1], dtype=np.int64)
    uints = np.array([0, 1, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**53 + 1, 2**63, 2**64 - 1],
                     dtype=np.uint64)
    sources = {
        "bool": np.array([True, False, True]),
        "float64": floats, "float32": floats.astype(np.float32), "float16": floats.astype(np.float16),
        "int64": ints, "uint64": uints,
    }
    for name in ["int8", "int16", "int32", "uint8", "uint16", "uint32"]:
        sources[name] = ints.astype(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for src in dtypes:
            for dst in dtypes:
                a = sources[src]
                cases.append({"array": encode(a), "to": dst, "result": encode(a.astype(dst))})
    return cases


ALL_DTYPES = ["bool"] + REAL_DTYPES + ["complex64", "complex128"]
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]


def can_cast_cases():
    """np.can_cast(from, to, casting) for every pair of the 14 dtypes and every rule."""
    return [{"from": a, "to": b, "casting": c, "allowed": bool(np.can_cast(a, b, casting=c))}
            for a in ALL_DTYPES for b in ALL_DTYPES for c in CASTINGS]


def binary_cases(rng):
    pairs = [((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3)), ((4, 1), (1, 5)), ((2, 1, 3), (4, 1)),
             ((), (2, 2)), ((2, 2), ()), ((0, 3), (3,)), ((1,), (0,)), ((2, 3, 4), (2, 1, 4)),
             ((5, 1, 1), (1, 1, 1, 6))]
    cases = []
    for dtype in ["int8", "uint8", "int32", "int64", "float32", "float64"]:
        for sa, sb in pairs:
            a = sample(rng, dtype, sa)
            b = sample(rng, dtype, sb)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                entry = {"a": encode(a), "b": encode(b), "add": encode(a + b),
                         "subtract": encode(a - b), "multiply": encode(a * b),
                         "minimum": encode(np.minimum(a, b)), "maximum": encode(np.maximum(a, b))}
                if np.dtype(dtype).kind == "f":
                    bb = np.where(b == 0, 1, b).astype(dtype)
                    entry["b_nonzero"] = encode(bb)
                    entry["divide"] = encode(a / bb)
            cases.append(entry)
    return cases


def unary_cases(rng):
    cases = []
    for dtype in ["float32", "float64"]:
        a = np.concatenate([np.abs(sample(rng, dtype, (20,))), np.array([0, 1, 2.5, 1e-3], dtype=dtype)])
        signed = sample(rng, dtype, (12,))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cases.append({"positive": encode(a), "sqrt": encode(np.sqrt(a)), "log": encode(np.log(a)),
                          "signed": encode(signed), "exp": encode(np.exp(signed / 4).astype(dtype)),
                          "exp_input": encode((signed / 4).astype(dtype)),
                          "abs": encode(np.abs(signed)), "clip": encode(np.clip(signed, -2, 5))})
    for dtype in ["int8", "int32", "uint8"]:
        s = sample(rng, dtype, (10,))
        if dtype == "int8":
            s[0] = -128
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cases.append({"signed": encode(s), "abs": encode(np.abs(s)), "clip": encode(np.clip(s, 2, 100))})
    return cases


def index_cases():
    """Basic indexing on np.arange(n).reshape(shape); index items are JSON-encoded."""
    def enc(item):
        if item is None:
            return "newaxis"
        if item is Ellipsis:
            return "ellipsis"
        if isinstance(item, slice):
            return {"slice": [item.start, item.stop, item.step]}
        return {"int": item}

    specs = [
        ((10,), (slice(2, 8, 3),)), ((10,), (slice(None, None, -1),)), ((10,), (slice(-3, None),)),
        ((10,), (slice(8, 1, -2),)), ((10,), (slice(20, -20, -1),)), ((10,), (slice(5, 5),)),
        ((10,), (-1,)), ((3, 4), (1,)), ((3, 4), (slice(None), 2)), ((3, 4), (None, slice(None), None)),
        ((3, 4), (Ellipsis, 1)), ((2, 3, 4), (Ellipsis, slice(None, None, 2))),
        ((2, 3, 4), (1, Ellipsis, None, slice(1, 3))), ((2, 3, 4), (slice(None), slice(1, 5, 2), None, Ellipsis, 3)),
        ((2, 3, 4), (slice(None, None, -1), slice(None, None, -2), slice(None, None, -3))),
        ((4, 5), (slice(-100, 100), slice(3, None, -1))), ((4, 5), (Ellipsis,)), ((), (None,)), ((), (Ellipsis,)),
    ]
    cases = []
    for shape, index in specs:
        a = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
        r = a[index]
        cases.append({"shape": list(shape), "index": [enc(i) for i in index], "result": encode(r)})
    # Views of views: apply two indexings in turn.
    a = np.arange(120, dtype=np.int32).reshape(4, 5, 6)
    first = (slice(None, None, -1), slice(1, None, 2), slice(None))
    second = (Ellipsis, slice(5, 0, -2))
    cases.append({"shape": [4, 5, 6], "index": [enc(i) for i in first], "then": [enc(i) for i in second],
                  "result": encode(a[first][second])})
    return cases


def shape_cases():
    a = np.arange(24, dtype=np.int16).reshape(2, 3, 4)
    t = a.transpose(2, 0, 1)
    cases = {
        "reshape": [{"shape": [2, 3, 4], "transpose": None, "to": s, "result": encode(a.reshape(s))}
                    for s in ([6, 4], [-1], [4, -1, 2], [24, 1], [1, 2, 1, 12])]
                   + [{"shape": [2, 3, 4], "transpose": [2, 0, 1], "to": s, "result": encode(t.reshape(s))}
                      for s in ([4, 6], [-1], [2, 2, 6])],
        "transpose": [{"shape": [2, 3, 4], "axes": ax, "result": encode(a.transpose(ax))}
                      for ax in ([2, 0, 1], [1, 0, 2], [-1, 0, 1])]
                     + [{"shape": [2, 3, 4], "axes": None, "result": encode(a.T)}],
        "squeeze": [{"shape": [1, 3, 1, 2], "axes": ax, "result": encode(np.arange(6, dtype=np.int16).reshape(1, 3, 1, 2).squeeze(
            axis=None if ax is None else tuple(ax)))} for ax in (None, [0], [-2], [0, 2])],
        "expand": [{"shape": [2, 3], "axis": ax, "result": encode(np.expand_dims(np.arange(6, dtype=np.int16).reshape(2, 3), ax))}
                   for ax in (0, 1, 2, -1, -3)],
        "broadcast": [{"shape": [3, 1], "to": [2, 3, 4], "result": encode(np.broadcast_to(np.arange(3, dtype=np.int16).reshape(3, 1), (2, 3, 4)))},
                      {"shape": [], "to": [2, 2], "result": encode(np.broadcast_to(np.int16(0), (2, 2)))}],
        "concatenate": [
            {"shapes": [[2, 3], [1, 3]], "axis": 0,
             "result": encode(np.concatenate([np.arange(6, dtype=np.int16).reshape(2, 3), np.arange(3, dtype=np.int16).reshape(1, 3)], 0))},
            {"shapes": [[2, 3], [2, 1], [2, 0]], "axis": -1,
             "result": encode(np.concatenate([np.arange(6, dtype=np.int16).reshape(2, 3), np.arange(2, dtype=np.int16).reshape(2, 1),
                                              np.arange(0, dtype=np.int16).reshape(2, 0)], -1))},
        ],
        "stack": [{"shapes": [[2, 3], [2, 3]], "axis": ax,
                   "result": encode(np.stack([np.arange(6, dtype=np.int16).reshape(2, 3), np.arange(6, dtype=np.int16).reshape(2, 3)], ax))}
                  for ax in (0, 1, 2, -1)],
    }
    return cases


def creation_cases():
    return {
        "arange": [{"start": s, "stop": e, "step": st, "result": encode(np.arange(s, e, st, dtype=np.float64))}
                   for s, e, st in ((0, 5, 1), (1, 2, 0.3), (5, 0, -1.5), (0, 1, 0.1), (3, 3, 1))],
        "linspace": [{"start": s, "stop": e, "num": n, "endpoint": ep,
                      "result": encode(np.linspace(s, e, n, endpoint=ep))}
                     for s, e, n, ep in ((0, 1, 5, True), (0, 1, 5, False), (-3, 7, 11, True), (2, 2, 3, True),
                                         (0, 1, 1, True), (0, 1, 0, True), (0.1, 0.7, 7, True))],
    }


def description_cases(rng):
    arrays = [
        np.arange(6, dtype=np.int64).reshape(2, 3), np.arange(6, dtype=np.uint8), np.array([1.0, 2.5, 3.25]),
        np.array([[1.5, -2.0], [100.0, 0.001]]), np.array([1e-5, 1.0, 1e10]), np.array([np.nan, 1.0, -np.inf]),
        np.array(3.5), np.array(7, dtype=np.int32), np.array([True, False]), np.zeros((0,)), np.zeros((2, 0)),
        np.arange(2000, dtype=np.int64), np.arange(1040, dtype=np.float32).reshape(40, 26) / 7,
        np.arange(30, dtype=np.float64) * 1.1, np.array([0.1, 0.2, 0.3], dtype=np.float32),
        np.arange(24, dtype=np.int32).reshape(2, 3, 4), np.array([1, -1], dtype=np.int8),
        np.array([123456789.0, 1.0]), np.array([0.0, -0.0]),
    ]
    return [{"array": encode(a), "str": str(a), "repr": repr(a)} for a in arrays]


def large_cases():
    """Statistics of arrays big enough for the parallel SIMD paths. The arrays are not
    stored: both sides build them from the formula `((i * 2654435761) >> 13) & 255`."""
    shape = (64, 96, 96, 3)
    i = np.arange(int(np.prod(shape)), dtype=np.uint64)
    x8 = (((i * np.uint64(2654435761)) >> np.uint64(13)) & np.uint64(255)).astype(np.uint8).reshape(shape)
    x32 = x8.astype(np.float32) / np.float32(255)
    x64 = x32.astype(np.float64)
    out = {"shape": list(shape), "formula": "((i * 2654435761) >> 13) & 255"}
    for axes in [None, (0, 1, 2), (1, 2), (0, 1, 3)]:
        key = "all" if axes is None else ",".join(map(str, axes))
        out[key] = {
            "uint8": {"sum": encode(x8.sum(axis=axes)), "mean": encode(x8.mean(axis=axes)),
                      "std": encode(x8.std(axis=axes)), "min": encode(x8.min(axis=axes)),
                      "max": encode(x8.max(axis=axes))},
            # float32 input: NumPy's float64 computation on the same values (ours accumulates in float64).
            "float32": {"sum": encode(x64.sum(axis=axes)), "mean": encode(x64.mean(axis=axes)),
                        "std": encode(x64.std(axis=axes)), "var1": encode(x64.var(axis=axes, ddof=1))},
        }
    return out


# ---------------------------------------------------------------------------------------
# Indexing and the functions ML code reaches for (issue 14, items 1 and 2). A separate
# random stream, so that the files above stay byte-identical.

VIEWS = [None, "T", "flip0", "step0"]


def make_view(a, view):
    """The same views the Swift tests build: none, `.T`, `a[::-1]`, `a[::2]`."""
    if view is None:
        return a
    if view == "T":
        return a.T
    if view == "flip0":
        return a[::-1]
    return a[::2]


def base_case(a, view):
    return {"base": encode(a), "view": view}


def ml_sample(rng, dtype, shape, nan=False, ties=False):
    a = sample(rng, dtype, shape)
    if ties and np.dtype(dtype).kind in "iu":
        a = (a % 4).astype(dtype)
    if nan and np.dtype(dtype).kind == "f" and a.size >= 3:
        flat = a.reshape(-1)
        flat[1] = np.nan
        flat[-1] = np.nan
    return a


def ml_indexing_cases(rng):
    cases = {"row": [], "range": [], "mixed": [], "take": [], "compare": [], "mask": [], "where": [],
             "nonzero": [], "anyall": [], "transpose": []}
    for dtype in ["int32", "float64", "uint8", "bool"]:
        for shape in [(5,), (4, 3), (3, 2, 4), (2, 0, 3), (6, 1)]:
            a = ml_sample(rng, dtype, shape)
            for view in VIEWS:
                v = make_view(a, view)
                if v.ndim == 0 or v.shape[0] == 0:
                    continue
                n = v.shape[0]
                for i in sorted({0, n - 1, -1, -n, n // 2}):
                    cases["row"].append({**base_case(a, view), "index": i, "result": encode(v[i])})
                cases["transpose"].append({**base_case(a, view), "result": encode(v.T)})
    # Swift ranges: kind and bounds; Python's equivalent slice.
    range_specs = [("range", 2, 5), ("range", 0, 0), ("range", -3, -1), ("range", 3, 100), ("range", -100, 2),
                   ("closed", 1, 3), ("closed", -2, -1), ("closed", 0, 0), ("from", 2, None), ("from", -2, None),
                   ("from", 9, None), ("upto", None, 3), ("upto", None, -1), ("through", None, 2),
                   ("through", None, -1), ("all", None, None)]

    def as_slice(kind, lo, hi):
        if kind == "range":
            return slice(lo, hi)
        if kind == "closed":
            return slice(lo, None if hi == -1 else hi + 1)
        if kind == "from":
            return slice(lo, None)
        if kind == "upto":
            return slice(None, hi)
        if kind == "through":
            return slice(None, None if hi == -1 else hi + 1)
        return slice(None)

    for dtype in ["int64", "float32"]:
        for shape in [(7,), (6, 2), (5, 3, 2)]:
            a = ml_sample(rng, dtype, shape)
            for view in VIEWS:
                v = make_view(a, view)
                for kind, lo, hi in range_specs:
                    cases["range"].append({**base_case(a, view), "kind": kind, "lower": lo, "upper": hi,
                                           "result": encode(v[as_slice(kind, lo, hi)])})
    a = np.arange(60, dtype=np.int16).reshape(3, 4, 5)
    mixed = [
        ([("range", 1, 3), ("int", 0)], (slice(1, 3), 0)),
        ([("int", -1), ("from", 2, None)], (-1, slice(2, None))),
        ([("upto", None, 2), ("closed", 1, 2), ("int", 4)], (slice(None, 2), slice(1, 3), 4)),
        ([("ellipsis",), ("range", 1, 4)], (Ellipsis, slice(1, 4))),
        ([("int", 2), ("ellipsis",), ("int", -2)], (2, Ellipsis, -2)),
        ([("through", None, 0), ("newaxis",), ("from", -2, None)], (slice(None, 1), None, slice(-2, None))),
    ]
    for items, index in mixed:
        cases["mixed"].append({"base": encode(a), "items": [list(i) for i in items], "result": encode(a[index])})
    for dtype in ["int8", "float64", "uint16"]:
        for shape in [(6,), (4, 5), (3, 4, 2), (0, 3)]:
            a = ml_sample(rng, dtype, shape)
            for view in [None, "T", "flip0"]:
                v = make_view(a, view)
                for axis in [None] + list(range(-v.ndim, v.ndim)):
                    size = v.size if axis is None else v.shape[axis]
                    if size == 0:
                        idx = []
                    else:
                        idx = [int(x) for x in rng.integers(-size, size, size=5)] + [0, size - 1]
                    cases["take"].append({**base_case(a, view), "indices": idx, "axis": axis,
                                          "result": encode(np.take(v, idx, axis=axis))})
    pairs = [((5,), (5,)), ((2, 3), (3,)), ((4, 1), (1, 5)), ((), (2, 2)), ((0, 3), (3,)), ((2, 3, 4), (2, 1, 4))]
    for dtype in ["int8", "uint8", "int64", "float32", "float64", "bool"]:
        for sa, sb in pairs:
            a = ml_sample(rng, dtype, sa, nan=True, ties=True)
            b = ml_sample(rng, dtype, sb, nan=True, ties=True)
            entry = {"a": encode(a), "b": encode(b),
                     "eq": encode(a == b), "ne": encode(a != b)}
            if dtype != "bool":
                entry.update({"lt": encode(a < b), "le": encode(a <= b), "gt": encode(a > b), "ge": encode(a >= b)})
                s = b.reshape(-1)[0] if b.size else a.dtype.type(1)
                entry["scalar"] = encode(np.asarray(s, dtype=a.dtype))
                entry.update({"lt_s": encode(a < s), "ge_s": encode(a >= s), "eq_s": encode(a == s),
                              "s_gt": encode(s > a)})
            cases["compare"].append(entry)
    for dtype in ["float32", "int16"]:
        for shape in [(6,), (3, 4), (2, 3, 2), (0, 2)]:
            a = ml_sample(rng, dtype, shape)
            for view in [None, "T", "flip0"]:
                v = make_view(a, view)
                full = rng.integers(0, 2, size=v.shape).astype(bool)
                cases["mask"].append({**base_case(a, view), "mask": encode(full), "result": encode(v[full])})
                if v.ndim >= 2:
                    rows = rng.integers(0, 2, size=v.shape[:1]).astype(bool)
                    cases["mask"].append({**base_case(a, view), "mask": encode(rows), "result": encode(v[rows])})
                # Assignment through the mask (a copy: NumPy writes into the view's base).
                written = v.copy()
                written[full] = a.dtype.type(-9)
                cases["mask"].append({**base_case(a, view), "mask": encode(full), "assign": text(a.dtype.type(-9)),
                                      "result": encode(written)})
                # The idiom: select by a comparison.
                cases["mask"].append({**base_case(a, view), "greater_than": text(a.dtype.type(3)),
                                      "result": encode(v[v > a.dtype.type(3)])})
    for dtype in ["float64", "int32", "uint8"]:
        for sc, sx, sy in [((4,), (4,), (4,)), ((3, 1), (1, 4), (4,)), ((2, 3), (), (2, 3)), ((0, 2), (2,), ())]:
            c = rng.integers(0, 2, size=sc).astype(bool)
            x = ml_sample(rng, dtype, sx)
            y = ml_sample(rng, dtype, sy)
            cases["where"].append({"condition": encode(c), "x": encode(x), "y": encode(y),
                                   "result": encode(np.where(c, x, y))})
    for dtype in ["bool", "int32", "float32"]:
        for shape in [(7,), (3, 4), (2, 2, 3), (0, 4)]:
            a = ml_sample(rng, dtype, shape, ties=True)
            if np.dtype(dtype).kind == "f":
                a[a < 3] = 0
            for view in [None, "T"]:
                v = make_view(a, view)
                cases["nonzero"].append({**base_case(a, view), "result": [encode(i) for i in np.nonzero(v)]})
                for axes in [None, [0], [-1], [0, -1]]:
                    if axes is not None and v.ndim == 1 and len(axes) == 2:
                        continue
                    for keep in [False, True]:
                        ax = None if axes is None else tuple(axes)
                        cases["anyall"].append({**base_case(a, view), "axes": axes, "keepdims": keep,
                                                "any": encode(np.any(v, axis=ax, keepdims=keep)),
                                                "all": encode(np.all(v, axis=ax, keepdims=keep))})
    return cases


def axes_of(v, with_none=True):
    return ([None] if with_none else []) + list(range(-v.ndim, v.ndim))


def ml_function_cases(rng):
    cases = {"sort": [], "cumulative": [], "unique": [], "quantile": [], "histogram": [], "bincount": [],
             "division": [], "pad": [], "rearrange": [], "clip": [], "argextremum": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dtype in REAL_DTYPES:
            for shape in [(), (0,), (9,), (3, 5), (2, 3, 4)]:
                a = ml_sample(rng, dtype, shape, nan=True, ties=True)
                for view in VIEWS if dtype in ("int8", "uint16", "float32", "float64") else [None, "T"]:
                    if view is not None and a.ndim == 0:
                        continue
                    v = make_view(a, view)
                    for axis in axes_of(v):
                        entry = {**base_case(a, view), "axis": axis,
                                 "sort": encode(np.sort(v, axis=axis, kind="stable")),
                                 "argsort": encode(np.argsort(v, axis=axis, kind="stable"))}
                        cases["sort"].append(entry)
                        c = {**base_case(a, view), "axis": axis,
                             "cumsum": encode(np.cumsum(v, axis=axis)), "cumprod": encode(np.cumprod(v, axis=axis))}
                        cases["cumulative"].append(c)
                    if view is None:
                        u, inv, cnt = np.unique(v, return_inverse=True, return_counts=True)
                        cases["unique"].append({**base_case(a, view), "values": encode(u), "inverse": encode(inv),
                                                "counts": encode(cnt)})
            # Products that overflow: wrap as NumPy's.
            big = ml_sample(rng, dtype, (12,))
            if np.dtype(dtype).kind in "iu":
                big = (big % 50 + 3).astype(dtype)
            cases["cumulative"].append({**base_case(big, None), "axis": None,
                                        "cumsum": encode(np.cumsum(big)), "cumprod": encode(np.cumprod(big))})
        qs = [0.0, 0.1, 0.25, 0.5, 0.9, 1.0, 0.333]
        for dtype in ["int8", "int32", "uint16", "int64", "float16", "float32", "float64"]:
            for shape in [(1,), (8,), (4, 5), (3, 2, 4)]:
                a = ml_sample(rng, dtype, shape)
                for view in [None, "T", "flip0"] if dtype in ("int8", "float64") else [None]:
                    v = make_view(a, view)
                    for axis in axes_of(v):
                        for keep in [False, True]:
                            cases["quantile"].append({**base_case(a, view), "axis": axis, "keepdims": keep, "q": qs,
                                                      "quantile": encode(np.quantile(v, qs, axis=axis, keepdims=keep)),
                                                      "percentile": encode(np.percentile(v, [100 * q for q in qs], axis=axis, keepdims=keep))})
        for special in [np.array([-100, 100, 5], dtype=np.int8), np.array([1.0, np.nan, 3.0]),
                        np.array([1.0, np.inf, 2.0]), np.array([-128, 127], dtype=np.int8)]:
            cases["quantile"].append({**base_case(special, None), "axis": None, "keepdims": False, "q": qs,
                                      "quantile": encode(np.quantile(special, qs)),
                                      "percentile": encode(np.percentile(special, [100 * q for q in qs]))})
        for dtype in ["int16", "uint8", "int64", "float16", "float32", "float64"]:
            for shape in [(0,), (1,), (50,), (6, 7)]:
                a = ml_sample(rng, dtype, shape)
                for bins in [1, 3, 10]:
                    for rng_ in [None, (-5.0, 20.0), (0.0, 0.0)]:
                        counts, edges = np.histogram(a, bins=bins, range=rng_)
                        cases["histogram"].append({**base_case(a, None), "bins": bins, "range": rng_,
                                                   "counts": encode(counts.astype(np.int64)), "edges": encode(edges)})
        edge_values = np.array([0.0, 0.1, 0.2, 0.30000000000000004, 0.7, 1.0, 0.9999999999999999, 0.5, 0.6])
        for values in [edge_values, edge_values.astype(np.float32), edge_values.astype(np.float16),
                       np.linspace(-1, 1, 41).astype(np.float32)]:
            for bins in [3, 7, 10]:
                for rng_ in [None, (0.1, 0.7)]:
                    counts, edges = np.histogram(values, bins=bins, range=rng_)
                    cases["histogram"].append({**base_case(values, None), "bins": bins, "range": rng_,
                                               "counts": encode(counts.astype(np.int64)), "edges": encode(edges)})
        for dtype in ["uint8", "int32", "int64"]:
            for n in [0, 1, 20]:
                a = rng.integers(0, 9, size=n).astype(dtype)
                w = rng.normal(size=n)
                for minlength in [0, 5, 12]:
                    cases["bincount"].append({"array": encode(a), "weights": encode(w), "minlength": minlength,
                                              "counts": encode(np.bincount(a, minlength=minlength)),
                                              # NumPy returns int64 zeros for an empty weighted input; ours
                                              # is always float64 (the values agree).
                                              "weighted": encode(np.bincount(a, weights=w, minlength=minlength).astype(np.float64))})
        for dtype in ["int8", "int16", "int32", "int64", "uint8", "uint32", "uint64"]:
            info = np.iinfo(dtype)
            if info.min < 0:
                a = np.array([7, -7, 0, 5, -5, 13, -13, 1, int(info.min), int(info.max), int(info.min), 6], dtype=dtype)
                b = np.array([2, 2, 3, -3, -3, 0, 0, -1, -1, -1, 0, 4], dtype=dtype)
            else:
                a = np.array([7, 8, 0, 5, 6, 13, 14, 1, 0, int(info.max), int(info.max), 6], dtype=dtype)
                b = np.array([2, 2, 3, 3, 4, 0, 0, 1, 5, 7, int(info.max), 4], dtype=dtype)
            cases["division"].append({"a": encode(a), "b": encode(b), "floor_divide": encode(a // b),
                                      "remainder": encode(a % b)})
            a2 = ml_sample(rng, dtype, (3, 4))
            b2 = ml_sample(rng, dtype, (4,))
            cases["division"].append({"a": encode(a2), "b": encode(b2), "floor_divide": encode(a2 // b2),
                                      "remainder": encode(a2 % b2)})
        for dtype in ["int32", "float32", "uint8"]:
            for shape in [(4,), (3, 2), (1, 3), (2, 3, 2)]:
                a = ml_sample(rng, dtype, shape)
                for view in [None, "T", "flip0"]:
                    v = make_view(a, view)
                    widths_list = [[[1, 2]], [[0, 3]] * v.ndim, [[2, 1]] + [[0, 0]] * (v.ndim - 1)]
                    widths_list += [[[5, 6]]] if v.ndim == 1 else [[[4, 5]] + [[0, 0]] * (v.ndim - 1)]
                    for widths in widths_list:
                        pw = [tuple(w) for w in widths]
                        cases["pad"].append({**base_case(a, view), "widths": widths, "mode": "constant", "value": text(a.dtype.type(7)),
                                             "result": encode(np.pad(v, pw, mode="constant", constant_values=a.dtype.type(7)))})
                        cases["pad"].append({**base_case(a, view), "widths": widths, "mode": "edge",
                                             "result": encode(np.pad(v, pw, mode="edge"))})
                        cases["pad"].append({**base_case(a, view), "widths": widths, "mode": "reflect",
                                             "result": encode(np.pad(v, pw, mode="reflect"))})
        for dtype in ["int64", "float64", "bool"]:
            for shape in [(), (5,), (3, 4), (2, 3, 2), (0, 2)]:
                a = ml_sample(rng, dtype, shape)
                for view in [None, "T", "flip0"]:
                    if view is not None and a.ndim == 0:
                        continue
                    v = make_view(a, view)
                    entry = {**base_case(a, view), "flip": [], "roll": [], "tile": [], "repeat": []}
                    for axes in [None] + [[x] for x in range(-v.ndim, v.ndim)] + ([[0, -1]] if v.ndim >= 2 else []):
                        entry["flip"].append({"axes": axes, "result": encode(np.flip(v, axis=None if axes is None else tuple(axes)))})
                    for axis in axes_of(v) if v.ndim else [None]:
                        for shift in [1, -2, 7]:
                            entry["roll"].append({"shift": shift, "axis": axis, "result": encode(np.roll(v, shift, axis=axis))})
                        for count in [0, 1, 3]:
                            entry["repeat"].append({"count": count, "axis": axis, "result": encode(np.repeat(v, count, axis=axis))})
                    for reps in [[2], [1, 3], [2, 1, 2], [0, 2]]:
                        entry["tile"].append({"reps": reps, "result": encode(np.tile(v, reps))})
                    cases["rearrange"].append(entry)
        for dtype in ["float32", "int16", "uint8"]:
            for sa, sl, sh in [((3, 4), (4,), (4,)), ((2, 3), (2, 1), ()), ((5,), (), (5,)), ((4,), (2, 4), (1, 4))]:
                a = ml_sample(rng, dtype, sa, nan=True)
                lo = ml_sample(rng, dtype, sl)
                hi = (lo.astype(np.float64) + 5).astype(dtype) if np.dtype(dtype).kind != "u" else lo
                hi = np.broadcast_to(hi, np.broadcast_shapes(sl, sh)).copy() if sh != sl else hi
                cases["clip"].append({"a": encode(a), "low": encode(lo), "high": encode(hi),
                                      "result": encode(np.clip(a, lo, hi))})
        for dtype in ["int8", "float32", "float64", "uint32"]:
            for shape in [(6,), (3, 4), (2, 3, 4)]:
                a = ml_sample(rng, dtype, shape, nan=True, ties=True)
                for view in [None, "T"]:
                    v = make_view(a, view)
                    for axis in axes_of(v):
                        for keep in [False, True]:
                            cases["argextremum"].append({**base_case(a, view), "axis": axis, "keepdims": keep,
                                                         "argmin": encode(np.argmin(v, axis=axis, keepdims=keep)),
                                                         "argmax": encode(np.argmax(v, axis=axis, keepdims=keep))})
    return cases


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261121)
    files = {
        "reductions.json": reduction_cases(rng),
        "nan_reductions.json": nan_cases(rng),
        "argminmax.json": arg_cases(rng),
        "casts.json": cast_cases(rng),
        "binary.json": binary_cases(rng),
        "unary.json": unary_cases(rng),
        "indexing.json": index_cases(),
        "shapes.json": shape_cases(),
        "creation.json": creation_cases(),
        "description.json": description_cases(rng),
        "large.json": large_cases(),
        "can_cast.json": can_cast_cases(),
    }
    ml_rng = np.random.default_rng(20261129)
    files["ml_indexing.json"] = ml_indexing_cases(ml_rng)
    files["ml_functions.json"] = ml_function_cases(ml_rng)
    for name, content in files.items():
        path = OUT / name
        path.write_text(json.dumps({"numpy": np.__version__, "cases": content}, separators=(",", ":")) + "\n")
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    oracle_versions.require_pinned("numpy")  # golden data only from the pinned oracles
    main()
