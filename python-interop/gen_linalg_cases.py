"""Writes NumPy's answers for the linear-algebra tests into Tests/Fixtures/linalg/cases.json.

Run from anywhere:   python3 python-interop/gen_linalg_cases.py
Check it is current: python3 python-interop/gen_linalg_cases.py --check

Deterministic (fixed seeds); re-running gives the same file. Refuses to run on a NumPy other
than the pinned one (oracle_versions) and records the version it used.

Every number is a string (Python's repr of the float64 value; "nan", "inf", "-inf"), so no
JSON parser can round it. Arrays are {"dtype", "shape", "data": [C-order strings]}; float32
inputs are float32 values written exactly as float64. An operand may carry "view": the Swift
test makes the array from the data and then applies it ("swap": swap the last two axes;
"reverse": reverse the second-to-last axis, a negative stride), as numpy does here.

Sections: matmul, dot, tensordot, outer (values), eigh/eigvalsh, svd/svdvals, solve, inv,
cholesky, slogdet/det, norm (values), and errors (NumPy's LinAlgError text).
"""
import pathlib

import numpy as np

import golden_file
import oracle_versions

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "linalg" / "cases.json"
DTYPES = ["float64", "float32"]


def text(x):
    f = float(x)
    if np.isnan(f):
        return "nan"
    if np.isinf(f):
        return "inf" if f > 0 else "-inf"
    return repr(f)


def encode(a):
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": [text(v) for v in a.ravel().tolist()]}


def operand(rng, shape, dtype, view=None):
    """A random operand: (the encoding the Swift test builds it from, the array numpy uses)."""
    stored_shape = list(shape)
    if view == "swap":
        stored_shape[-1], stored_shape[-2] = stored_shape[-2], stored_shape[-1]
    data = rng.standard_normal(stored_shape).astype(dtype)
    enc = encode(data)
    if view == "swap":
        data = np.swapaxes(data, -1, -2)
    elif view == "reverse":
        data = data[..., ::-1, :]
    if view:
        enc["view"] = view
    return enc, data


def symmetric(rng, batch, n, dtype):
    m = rng.standard_normal(batch + [n, n])
    return ((m + np.swapaxes(m, -1, -2)) / 2).astype(dtype)


def positive_definite(rng, batch, n, dtype):
    m = rng.standard_normal(batch + [n, n])
    return (m @ np.swapaxes(m, -1, -2) + n * np.eye(n)).astype(dtype)


def products(rng):
    matmul, dot, tensordot, outer = [], [], [], []
    shapes = [([3], [3], None, None), ([2, 3], [3], None, None), ([3], [3, 4], None, None),
              ([2, 3], [3, 4], None, None), ([5, 4], [4, 6], "swap", None), ([5, 4], [4, 6], None, "swap"),
              ([4, 3], [3, 5], "swap", "swap"), ([4, 3], [3, 5], "reverse", None),
              ([2, 4, 3], [3, 5], None, None), ([3, 4], [2, 4, 5], None, None),
              ([2, 1, 3, 4], [5, 4, 2], None, None), ([2, 3, 4], [2, 4, 2], None, "swap"),
              ([0, 3], [3, 2], None, None), ([2, 0], [0, 3], None, None), ([1, 7], [7, 1], None, None),
              ([24, 17], [17, 9], None, None)]
    for dtype in DTYPES:
        for a_shape, b_shape, a_view, b_view in shapes:
            a_enc, a = operand(rng, a_shape, dtype, a_view)
            b_enc, b = operand(rng, b_shape, dtype, b_view)
            matmul.append({"a": a_enc, "b": b_enc, "expected": encode(np.matmul(a, b))})
        for a_shape, b_shape in [([4], [4]), ([3, 4], [4]), ([3, 4], [4, 2]), ([2, 3, 4], [4]),
                                 ([2, 3, 4], [5, 4, 2]), ([3], [2, 3, 4]), ([], [3, 2])]:
            a_enc, a = operand(rng, a_shape, dtype)
            b_enc, b = operand(rng, b_shape, dtype)
            dot.append({"a": a_enc, "b": b_enc, "expected": encode(np.dot(a, b))})
        for a_shape, b_shape, axes in [([3, 4, 5], [4, 5, 2], 2), ([3, 4], [4, 5], 1), ([2, 3], [4], 0),
                                       ([3, 4, 5], [5, 3, 2], [[0, 2], [1, 0]]),
                                       ([2, 3, 4], [4, 2], [[-1, 0], [0, 1]])]:
            a_enc, a = operand(rng, a_shape, dtype)
            b_enc, b = operand(rng, b_shape, dtype)
            outcome = np.tensordot(a, b, axes=axes)
            tensordot.append({"a": a_enc, "b": b_enc, "axes": axes, "expected": encode(outcome)})
        for a_shape, b_shape in [([3], [4]), ([2, 2], [3]), ([0], [2])]:
            a_enc, a = operand(rng, a_shape, dtype)
            b_enc, b = operand(rng, b_shape, dtype)
            outer.append({"a": a_enc, "b": b_enc, "expected": encode(np.outer(a, b))})
    return {"matmul": matmul, "dot": dot, "tensordot": tensordot, "outer": outer}


def decompositions(rng):
    eigh, svd, solve, inv, cholesky, det, norm = [], [], [], [], [], [], []
    for dtype in DTYPES:
        for batch, n, upper in [([], 1, False), ([], 4, False), ([], 6, True), ([3], 5, False), ([2, 2], 3, True),
                                ([], 0, False), ([], 16, False)]:
            a = symmetric(rng, batch, n, dtype)
            if upper:  # the lower triangle must not be read
                a = a + np.tril(np.full((n, n), 7.0, dtype=dtype), -1)
            w, v = np.linalg.eigh(a, UPLO="U" if upper else "L")
            eigh.append({"a": encode(a), "upper": upper, "eigenvalues": encode(w), "eigenvectors": encode(v),
                         "eigvalsh": encode(np.linalg.eigvalsh(a, UPLO="U" if upper else "L"))})
        for batch, m, n in [([], 4, 4), ([], 5, 3), ([], 3, 6), ([2], 4, 3), ([2, 1], 2, 5), ([], 1, 1),
                            ([], 0, 3), ([], 12, 7)]:
            a = rng.standard_normal(batch + [m, n]).astype(dtype)
            case = {"a": encode(a), "svdvals": encode(np.linalg.svdvals(a))}
            for full in (True, False):
                u, s, vh = np.linalg.svd(a, full_matrices=full)
                case["full" if full else "reduced"] = {"u": encode(u), "s": encode(s), "vh": encode(vh)}
            svd.append(case)
        for a_shape, b_shape in [([3, 3], [3]), ([4, 4], [4, 2]), ([2, 3, 3], [3]), ([2, 3, 3], [2, 3, 1]),
                                 ([2, 1, 3, 3], [4, 3, 2]), ([3, 3], [2, 3, 4]), ([0, 0], [0]), ([12, 12], [12, 3])]:
            a = (rng.standard_normal(a_shape) + 2 * np.eye(a_shape[-1])).astype(dtype)
            b = rng.standard_normal(b_shape).astype(dtype)
            solve.append({"a": encode(a), "b": encode(b), "expected": encode(np.linalg.solve(a, b))})
        for shape in [[1, 1], [3, 3], [2, 4, 4], [0, 0], [10, 10]]:
            a = (rng.standard_normal(shape) + 2 * np.eye(shape[-1])).astype(dtype)
            inv.append({"a": encode(a), "expected": encode(np.linalg.inv(a))})
        for batch, n, upper in [([], 1, False), ([], 4, False), ([], 4, True), ([3], 3, False), ([], 0, False),
                                ([2], 9, True)]:
            a = positive_definite(rng, batch, n, dtype)
            if upper:
                a = a + np.tril(np.full((n, n), 5.0, dtype=dtype), -1)
            else:
                a = a + np.triu(np.full((n, n), 5.0, dtype=dtype), 1)
            cholesky.append({"a": encode(a), "upper": upper, "expected": encode(np.linalg.cholesky(a, upper=upper))})
        for shape in [[1, 1], [2, 2], [5, 5], [3, 4, 4], [0, 0], [16, 16]]:
            a = rng.standard_normal(shape).astype(dtype)
            sign, logabsdet = np.linalg.slogdet(a)
            det.append({"a": encode(a), "sign": encode(sign), "logabsdet": encode(logabsdet),
                        "det": encode(np.linalg.det(a))})
        singular = np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]], dtype=dtype)
        sign, logabsdet = np.linalg.slogdet(singular)
        det.append({"a": encode(singular), "sign": encode(sign), "logabsdet": encode(logabsdet),
                    "det": encode(np.linalg.det(singular))})
        big = (np.eye(12) * 1e30).astype(dtype)  # det overflows float32 and float64: slogdet does not
        sign, logabsdet = np.linalg.slogdet(big)
        with np.errstate(over="ignore"):
            det.append({"a": encode(big), "sign": encode(sign), "logabsdet": encode(logabsdet),
                        "det": encode(np.linalg.det(big))})
        vector_ords = [None, 2, 1, 0, np.inf, -np.inf, 3, 0.5, -1]
        x = rng.standard_normal([7]).astype(dtype)
        x[2] = 0
        for ord in vector_ords:
            with np.errstate(divide="ignore"):  # ord -1 of a vector with a zero: 1/0 inside, 0 out
                expected = np.linalg.norm(x, ord=ord)
            norm.append({"x": encode(x), "ord": ord_text(ord), "axes": None, "keepdims": False,
                         "expected": encode(expected)})
        m = rng.standard_normal([4, 6]).astype(dtype)
        for ord in [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]:
            norm.append({"x": encode(m), "ord": ord_text(ord), "axes": None, "keepdims": False,
                         "expected": encode(np.linalg.norm(m, ord=ord))})
        t = rng.standard_normal([3, 4, 5]).astype(dtype)
        for ord, axes, keepdims in [(None, None, False), (None, None, True), (None, [1], False), (2, [-1], True),
                                    (np.inf, [0], False), (3, [2], False), (0, [1], True),
                                    (None, [0, 2], False), ("fro", [2, 1], True), ("nuc", [0, 1], False),
                                    (1, [2, 0], False), (-1, [0, 1], True), (2, [1, 2], False),
                                    (-2, [2, 1], False), (np.inf, [0, 2], True), (-np.inf, [2, 0], False)]:
            norm.append({"x": encode(t), "ord": ord_text(ord), "axes": axes, "keepdims": keepdims,
                         "expected": encode(np.linalg.norm(t, ord=ord, axis=None if axes is None else tuple(axes)
                                                           if len(axes) == 2 else axes[0], keepdims=keepdims))})
    return {"eigh": eigh, "svd": svd, "solve": solve, "inv": inv, "cholesky": cholesky, "det": det, "norm": norm}


def ord_text(ord):
    if ord is None or isinstance(ord, str):
        return ord
    return text(ord)


def errors():
    """NumPy's LinAlgError messages for the inputs it refuses."""
    cases = []
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    not_positive = np.array([[1.0, 2.0], [2.0, 1.0]])
    calls = [("solve", singular, lambda a: np.linalg.solve(a, np.ones(2))),
             ("inv", singular, np.linalg.inv),
             ("inv", np.zeros((3, 2, 2)), np.linalg.inv),
             ("cholesky", not_positive, np.linalg.cholesky),
             ("cholesky", -np.eye(3), np.linalg.cholesky),
             ("inv", np.ones((2, 3)), np.linalg.inv),
             ("eigh", np.ones((3, 2)), np.linalg.eigh),
             ("det", np.ones(3), np.linalg.det),
             ("svd", np.ones(3), np.linalg.svd)]
    for function, a, call in calls:
        try:
            call(a)
        except np.linalg.LinAlgError as error:
            cases.append({"function": function, "a": encode(a), "message": str(error)})
        else:
            raise AssertionError(f"numpy accepted {function} of {a.tolist()}")
    return cases


def build():
    rng = np.random.default_rng(14)
    return {"numpy": np.__version__,
            "cases": {**products(rng), **decompositions(rng), "errors": errors()}}


def main():
    oracle_versions.require_pinned("numpy")  # golden data only from the pinned oracles
    golden_file.json_generator_main(OUT, build, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
