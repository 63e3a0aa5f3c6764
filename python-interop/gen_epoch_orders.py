"""Writes the epoch orders BatchLoader's tests compare against into
Tests/Fixtures/training/epoch_orders.json.

Regenerate (from anywhere):   python3 python-interop/gen_epoch_orders.py
Check the file is current:    python3 python-interop/gen_epoch_orders.py --check

For every (seed, n), one `np.random.default_rng(seed)` is called `rng.permutation(n)` once per
epoch, as a NumPy training loop does; "orders"[k] is epoch k's order. Seeds are decimal
strings (they may not fit a double). The script is pinned to the NumPy in
python-interop/requirements.txt (oracle_versions): Generator streams may change between releases.
"""
import pathlib

import numpy as np

import golden_file
import oracle_versions

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures" / "training" / "epoch_orders.json"
SEEDS = [0, 1, 42, 12345, 2**32, 2**63 + 5, 2**64 - 1]
LENGTHS = [0, 1, 2, 5, 10, 37, 300]
EPOCHS = 4


def build():
    cases = []
    for seed in SEEDS:
        for n in LENGTHS:
            rng = np.random.default_rng(seed)
            orders = [rng.permutation(n).tolist() for _ in range(EPOCHS)]
            cases.append({"seed": str(seed), "n": n, "orders": orders})
    return {"numpy": np.__version__, "cases": cases}


def main():
    oracle_versions.require_pinned("numpy")  # golden data only from the pinned oracles
    golden_file.json_generator_main(OUT, build, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
