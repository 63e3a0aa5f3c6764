"""Writes normalization_golden.json: small uint8 images and what NumPy makes of them.

Run from the repository root:  python3 Tests/Fixtures/ImageDataset/make_normalization_golden.py
The Swift tests (NormalizationGoldenTests) compare the library's statistics (1e-12 relative)
and normalized float32 values (1e-6 absolute) with these, and the sample:K selection exactly.
"""
import json
import pathlib
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "python-interop"))
import oracle_versions  # noqa: E402
import reference  # noqa: E402

oracle_versions.require_pinned("numpy")  # golden data only from the pinned oracles

rng = np.random.default_rng(20261121)
images = rng.integers(0, 256, size=(3, 4, 5, 3), dtype=np.uint8)
images[1, :, :, 2] = 77  # a constant channel in one image: std 0 -> the 1/sqrt(n) floor

cases = []
for scope in ("channel", "global"):
    for source in ("dataset", "image", "batch:2", "imagenet"):
        for mode in ("none", "scale", "center", "standardize", "positive", "minmax"):
            if source == "imagenet" and mode == "minmax":
                continue
            if source == "dataset":
                groups = [(0, 3, reference.statistics(images, scope))]
            elif source == "imagenet":
                groups = [(0, 3, reference.imagenet_statistics(3, scope))]
            else:
                n = 1 if source == "image" else int(source[6:])
                groups = [(s, min(s + n, 3), reference.statistics(images[s:s + n], scope)) for s in range(0, 3, n)]
            x = np.concatenate([reference.normalize(images[s:e], mode, g) for s, e, g in groups])
            cases.append({
                "scope": scope, "source": source, "mode": mode,
                "groups": [{"start": s, "end": e,
                            **{k: (None if g[k] is None else [float(v) for v in g[k]])
                               for k in ("mean", "std", "min", "max", "count")}}
                           for s, e, g in groups],
                "float32": [float(v) for v in x.astype(np.float32).ravel()],
            })

golden = {
    "shape": list(images.shape),
    "pixels": images.ravel().tolist(),
    "cases": cases,
    "samples": [{"count": c, "k": k, "seed": s, "indices": reference.sample_indices(c, k, s)}
                for c, k, s in [(10, 3, 42), (100, 5, 7), (5, 9, 1), (3670, 50, 0), (1000, 10, 2**64 - 1)]],
}
(HERE / "normalization_golden.json").write_text(json.dumps(golden) + "\n")
print("wrote", HERE / "normalization_golden.json")
