"""What linalg_bench.py and ml_bench.py share: NumPy's side timed in this process, ours as a
child process of a Swift benchmark program, taking turns over rounds (who goes first
alternates), with the median ratio (NumPy time / ours) reported."""
import json
import subprocess
import time


def median_time(fn, repeats):
    """Median seconds of `repeats` calls of `fn`, after one untimed warm-up call."""
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def compare(command, numpy_call, rounds, repeats, env=None):
    """(ratio, numpy seconds, our seconds, every round's ratio) for one benchmark: `command`
    prints {"seconds": median} as JSON; the round with the median ratio is reported."""
    results = []
    for round_index in range(rounds):
        def ours():
            run = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
            return json.loads(run.stdout)["seconds"]
        if round_index % 2 == 0:  # who goes first alternates
            theirs = median_time(numpy_call, repeats)
            mine = ours()
        else:
            mine = ours()
            theirs = median_time(numpy_call, repeats)
        results.append((theirs / mine, theirs, mine))
    ratio, theirs, mine = sorted(results)[len(results) // 2]
    return ratio, theirs, mine, [r[0] for r in results]


def report(label, width, comparison):
    """One printed line: NumPy's and our milliseconds, the ratio and every round's ratio."""
    ratio, theirs, mine, spread = comparison
    rounds = ", ".join(f"{r:.2f}" for r in spread)
    print(f"{label:<{width}} numpy {theirs * 1e3:9.2f} ms   ours {mine * 1e3:9.2f} ms   "
          f"ratio {ratio:5.2f}x  (rounds: {rounds})", flush=True)
