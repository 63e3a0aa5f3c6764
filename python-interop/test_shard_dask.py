"""A sharded plan run by a real Dask cluster (issue 13, item 5): `distributed.LocalCluster` with 2
worker processes runs `normtool shard run` for every shard, the result is byte-identical to
`normtool convert`, and reads back with `dask.array.from_npy_stack` and with the documented
NumPy memmap reader (Examples/npy_stack_dataset.py)."""
import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from shard_support import ROOT, assert_same_dataset, copy_samples, normtool_run

dask_array = pytest.importorskip("dask.array", reason="dask is not installed: pip install -r python-interop/requirements.txt")
distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed: pip install -r python-interop/requirements.txt")


def load_reader():
    spec = importlib.util.spec_from_file_location("npy_stack_dataset", ROOT / "Examples" / "npy_stack_dataset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.NpyStackDataset


def shard_task(normtool, run, shard_pass, index):
    """What a Dask task runs: one shard's pass, as docs/scale-out.md shows."""
    result = subprocess.run([normtool, "shard", "run", run, "--pass", shard_pass, "--index", str(index), "--jobs", "1",
                             "--quiet"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return index


def test_a_plan_runs_on_a_dask_local_cluster_and_reads_back(normtool, tmp_path):
    folder = copy_samples(tmp_path / "images", copies=2)
    run, out = tmp_path / "run", tmp_path / "out"
    reference = tmp_path / "reference"
    normtool_run(normtool, "convert", folder, "-o", reference, "--size", 32, "--quiet", check=True)
    normtool_run(normtool, "shard", "plan", folder, run, "--shards", 5, "--size", 32, check=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        for shard_pass in ("stats", "write"):
            futures = client.map(shard_task, [normtool] * 5, [str(run)] * 5, [shard_pass] * 5, range(5), pure=False)
            assert client.gather(futures) == list(range(5))
            if shard_pass == "stats":
                normtool_run(normtool, "shard", "merge", run, check=True)
        workers = {w["id"] for w in client.scheduler_info()["workers"].values()}
        assert len(workers) == 2
    normtool_run(normtool, "shard", "finalize", run, out, check=True)
    assert_same_dataset(out, reference, single=False)

    x_reference = np.load(reference / "x.npy")
    x = dask_array.from_npy_stack(str(out / "x"))
    assert x.chunks == ((15, 15, 14, 14, 14), (32,), (32,), (3,)) and x.dtype == np.float32
    assert np.array_equal(x.compute(), x_reference)
    assert x.mean(axis=(0, 1, 2)).compute().shape == (3,)

    dataset = load_reader()(str(out))
    y = np.load(reference / "y.npy")
    assert len(dataset) == len(y) == 72
    for i in (0, 14, 15, 29, 30, 71):
        image, label = dataset[i]
        assert image.tobytes() == x_reference[i].tobytes() and label == y[i]
    assert sum(1 for _ in range(len(dataset))) == 72
