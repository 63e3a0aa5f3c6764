"""A real Slurm in CI (issue 13, item 5): one local node (munged, slurmctld, slurmd from Debian's
slurm-wlm and munge, started by slurm_cluster.py and stopped by PID), the documented submit chain
(Examples/slurm/submit_sharded.sh: stats array -> merge -> write array -> finalize, each step
--dependency=afterok with --kill-on-invalid-dep=yes) on Samples/images with 3 shards, and the
failure drill: an unreadable image stops the chain, status names its shard, and only that shard
is resubmitted after the fix. Skips, with the reason, where the daemons cannot run."""
import json
import os
import re

import pytest

from shard_support import plan_files, ROOT, assert_same_dataset, copy_samples, normtool_run
from slurm_cluster import SlurmCluster, cannot_run_daemons

SUBMIT = ROOT / "Examples" / "slurm" / "submit_sharded.sh"


@pytest.fixture(scope="module")
def cluster():
    why = cannot_run_daemons()
    if why:
        pytest.skip(f"no local Slurm: {why}")
    with SlurmCluster() as running:
        yield running


def submit(cluster, normtool, run, out):
    result = cluster.run(["sh", str(SUBMIT), str(run), str(out)], env={"NORMTOOL": normtool})
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(re.findall(r"^(\w+): job (\d+)$", result.stdout, re.M))


def job_state(cluster, job):
    return set(cluster.job_states(job).values())


def test_the_documented_sbatch_chain_gives_convert_bytes(cluster, normtool, tmp_path):
    folder = copy_samples(tmp_path / "images")
    run, out, reference = tmp_path / "run", tmp_path / "out", tmp_path / "reference"
    normtool_run(normtool, "convert", folder, "-o", reference, "--quiet", check=True)
    normtool_run(normtool, "shard", "plan", folder, run, "--shards", 3, check=True)
    jobs = submit(cluster, normtool, run, out)
    assert list(jobs) == ["stats", "merge", "write", "finalize"]
    cluster.wait_idle(timeout=300)
    for step, job in jobs.items():
        assert job_state(cluster, job) == {"COMPLETED"}, (step, cluster.job_states(job))
    assert_same_dataset(out, reference, single=False)
    markers = [json.loads((run / "parts" / f"{i}.write.json").read_text()) for i in range(3)]
    assert [m["images"] for m in markers] == [12, 12, 12]


def test_failure_drill_resubmits_only_the_broken_shard(cluster, normtool, tmp_path):
    folder = copy_samples(tmp_path / "images")
    run, out, reference = tmp_path / "run", tmp_path / "out", tmp_path / "reference"
    normtool_run(normtool, "convert", folder, "-o", reference, "--quiet", check=True)
    normtool_run(normtool, "shard", "plan", folder, run, "--shards", 3, check=True)
    files = plan_files(run)
    broken = folder / files[17]  # shard 1 holds images 12-23
    original = broken.read_bytes()
    broken.write_bytes(b"this is not an image")

    jobs = submit(cluster, normtool, run, out)
    cluster.wait_idle(timeout=300)
    assert cluster.job_states(jobs["stats"]) == {"0": "COMPLETED", "1": "FAILED", "2": "COMPLETED"}
    for step in ("merge", "write", "finalize"):  # the chain stopped
        assert job_state(cluster, jobs[step]) == {"CANCELLED"}, (step, cluster.job_states(jobs[step]))
    assert not out.exists() and not (run / "stats.json").exists()
    assert normtool_run(normtool, "shard", "status", run, "--array").stdout == "1\n"
    status = normtool_run(normtool, "shard", "status", run, check=True).stdout
    assert f"shard 1 failed: {files[17]}" in status and "resubmit: --pass stats --array=1" in status

    done_before = {i: os.stat(run / "parts" / f"{i}.stats.json").st_mtime_ns for i in (0, 2)}
    broken.write_bytes(original)
    jobs = submit(cluster, normtool, run, out)
    assert cluster.job_states(jobs["stats"]).keys() == {"1"}, "only shard 1 was to be resubmitted"
    cluster.wait_idle(timeout=300)
    for step, job in jobs.items():
        assert job_state(cluster, job) == {"COMPLETED"}, (step, cluster.job_states(job))
    assert {i: os.stat(run / "parts" / f"{i}.stats.json").st_mtime_ns for i in (0, 2)} == done_before
    assert_same_dataset(out, reference, single=False)
