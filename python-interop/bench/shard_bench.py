"""Benchmark (issue 13, item 7): a sharded conversion through a local one-node Slurm against one
`normtool convert`, on the same folder, as a ratio of wall times.

    python3 Benchmarks/make_image_corpus.py /tmp/flowers --count 3670 --jpeg-only --seed 7
    swift build -c release --product normtool
    sudo python3 python-interop/bench/shard_bench.py /tmp/flowers --normtool .build/release/normtool

Both write a directory dataset at --size 224 (float32, standardized with the dataset's
statistics). The sharded run is timed from `shard plan` to the end of the finalize job and
uses the documented chain (Examples/slurm/submit_sharded.sh). The two take turns, --repeat
times; medians are reported. Then, from the shard markers: seconds per image of each pass,
peak RSS of every task, and the statistics compared with convert's, bit for bit.
Needs root (slurmd) and Debian's slurm-wlm and munge (installed when missing).
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from slurm_cluster import SlurmCluster, cannot_run_daemons  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SUBMIT = ROOT / "Examples" / "slurm" / "submit_sharded.sh"


def timed(argv, env=None):
    started = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.monotonic() - started


def sharded_run(cluster, normtool, folder, work, shards, options, plan_options=()):
    run, out = work / "run", work / "sharded"
    shutil.rmtree(run, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([normtool, "shard", "plan", folder, run, "--shards", str(shards), *plan_options, *options], check=True,
                   stdout=subprocess.DEVNULL)
    result = cluster.run(["sh", str(SUBMIT), str(run), str(out)], env={"NORMTOOL": normtool})
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    while cluster.run(["squeue", "-h"]).stdout.strip():
        time.sleep(0.05)
    seconds = time.monotonic() - started
    if not (out / "manifest.json").exists():
        raise SystemExit(f"the chain failed: {list((run / 'logs').iterdir())}")
    return seconds, run, out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--normtool", default=str(ROOT / ".build" / "release" / "normtool"))
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--stats-shard-counts", default="1,3,8,37",
                        help="shard counts whose merged moments are compared (stats pass run locally)")
    parser.add_argument("--work", default=None, help="scratch folder (default: a new one under /tmp)")
    args = parser.parse_args()
    why = cannot_run_daemons()
    if why:
        raise SystemExit(f"cannot start Slurm here: {why}")
    normtool = os.path.abspath(args.normtool)
    folder = os.path.abspath(args.folder)
    options = ["--size", "224"]
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="shard-bench-"))
    single_times, sharded_times, kept_times = [], [], []
    load = [os.getloadavg()[0]]
    with SlurmCluster() as cluster:
        for _ in range(args.repeat):
            reference = work / "single"
            shutil.rmtree(reference, ignore_errors=True)
            single_times.append(timed([normtool, "convert", folder, "-o", reference, "--quiet", *options]))
            seconds, run, out = sharded_run(cluster, normtool, folder, work, args.shards, options, ["--keep-pixels"])
            kept_times.append(seconds)
            kept_markers = {p.name: json.loads(p.read_text()) for p in (run / "parts").glob("*.json")}
            seconds, run, out = sharded_run(cluster, normtool, folder, work, args.shards, options)
            sharded_times.append(seconds)
            load.append(os.getloadavg()[0])
    single, sharded, kept = (statistics.median(t) for t in (single_times, sharded_times, kept_times))
    images = len(json.loads((run / "plan.json").read_text())["dataset"]["entries"])
    print(f"{images} images, --size 224, float32, {args.shards} shards, {os.cpu_count()} cores, "
          f"load average {min(load):.1f}-{max(load):.1f}")
    runs = lambda times: ", ".join(f"{t:.2f}" for t in times)  # noqa: E731
    print(f"single convert:                     {single:7.2f} s  (runs: {runs(single_times)})")
    print(f"sharded via Slurm:                  {sharded:7.2f} s  (runs: {runs(sharded_times)})  "
          f"ratio {sharded / single:.2f}")
    print(f"sharded via Slurm, --keep-pixels:   {kept:7.2f} s  (runs: {runs(kept_times)})  ratio {kept / single:.2f}")
    write_kept = [m for name, m in kept_markers.items() if name.endswith(".write.json")]
    print(f"write pass from kept pixels: {sum(m['seconds'] for m in write_kept) / images * 1000:.2f} ms per image "
          f"(task time)")
    for shard_pass in ("stats", "write", "all"):
        markers = [json.loads(p.read_text()) for p in sorted((run / "parts").glob(f"*.{shard_pass}.json"))]
        if not markers:
            continue
        task_seconds = sum(m["seconds"] for m in markers)
        rss = [m["peakRSSBytes"] / 1e6 for m in markers]
        print(f"pass {shard_pass}: {task_seconds / images * 1000:.2f} ms per image (task time), "
              f"peak RSS per task {min(rss):.0f}-{max(rss):.0f} MB over {len(markers)} tasks")
    same = all((out / m).read_bytes() == (work / "single" / m).read_bytes()
               for m in ("stats.json", "mean.npy", "std.npy", "y.npy", "files.npy"))
    print(f"statistics and members byte-identical to convert (8 shards): {same}")
    # The statistics for other shard counts: the stats pass of each shard run here, merged;
    # equal integer moments give equal statistics (one function of them), and the run above
    # showed the 8-shard statistics equal to convert's.
    moments = {}
    for count in [int(k) for k in args.stats_shard_counts.split(",")]:
        run = work / f"stats-{count}"
        subprocess.run([normtool, "shard", "plan", folder, run, "--shards", str(count), *options], check=True,
                       stdout=subprocess.DEVNULL)
        for index in range(count):
            subprocess.run([normtool, "shard", "run", run, "--index", str(index), "--pass", "stats", "--quiet"],
                           check=True)
        subprocess.run([normtool, "shard", "merge", run], check=True, stdout=subprocess.DEVNULL)
        moments[count] = json.loads((run / "stats.json").read_text())["moments"]
    reference = json.loads((out / "manifest.json").read_text())
    same = all(m == moments[min(moments)] for m in moments.values())
    print(f"merged moments identical for shard counts {sorted(moments)}: {same} "
          f"(plan {reference['plan'][:12]} of the timed run)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
