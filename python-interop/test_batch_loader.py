"""BatchLoader's golden epoch orders (Tests/Fixtures/training/epoch_orders.json) are what the
pinned NumPy writes: default_rng(seed).permutation(n) once per epoch."""
import json
import subprocess
import sys

import numpy as np

from conftest import ROOT


def test_epoch_orders_are_current():
    run = subprocess.run([sys.executable, str(ROOT / "python-interop/gen_epoch_orders.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_epoch_orders_are_successive_permutations_of_one_generator():
    cases = json.loads((ROOT / "Tests/Fixtures/training/epoch_orders.json").read_text())["cases"]
    assert len(cases) >= 30
    for case in cases:
        rng = np.random.default_rng(int(case["seed"]))
        for order in case["orders"]:
            assert order == rng.permutation(case["n"]).tolist()
            assert sorted(order) == list(range(case["n"]))
