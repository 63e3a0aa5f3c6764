"""Corrupted .npy/.npz files never crash normtool: it exits 0 or 1 with a one-line error.

Seeded random mutations (byte flips, truncations, header edits) of NumPy-written files are
fed to `inspect`, `stats` and `recode`; a crash (a signal, exit status < 0) or a hang fails.
"""
import random
import subprocess

import numpy as np
import pytest


def mutants(data, seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        b = bytearray(data)
        kind = rng.randrange(5)
        if kind == 0:  # flip bytes anywhere
            for _ in range(rng.randint(1, 8)):
                b[rng.randrange(len(b))] = rng.randrange(256)
        elif kind == 1:  # truncate
            del b[rng.randrange(len(b)):]
        elif kind == 2:  # flip bytes in the first 160 bytes (headers)
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(min(160, len(b)))] = rng.randrange(256)
        elif kind == 3:  # flip bytes in the last 120 bytes (zip end records)
            for _ in range(rng.randint(1, 4)):
                b[len(b) - 1 - rng.randrange(min(120, len(b)))] = rng.randrange(256)
        else:  # set a 32-bit field to an extreme value
            at = rng.randrange(max(1, len(b) - 4))
            b[at:at + 4] = rng.choice([b"\xff\xff\xff\xff", b"\x00\x00\x00\x80", b"\x00\x00\x00\x00"])
        yield bytes(b)


def sources(tmp_path):
    x = np.arange(60, dtype=np.float32).reshape(3, 4, 5)
    np.save(tmp_path / "a.npy", x)
    np.savez(tmp_path / "s.npz", x=x, c=np.array(["a", "bc"]))
    np.savez_compressed(tmp_path / "c.npz", x=x, y=np.arange(7))
    return [tmp_path / "a.npy", tmp_path / "s.npz", tmp_path / "c.npz"]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_mutated_files_never_crash(normtool, tmp_path, index):
    source = sources(tmp_path)[index]
    target = tmp_path / ("m" + source.suffix)
    out = tmp_path / ("o" + source.suffix)
    for n, data in enumerate(mutants(source.read_bytes(), seed=index, count=60)):
        target.write_bytes(data)
        for args in (["inspect", target, "--json"], ["stats", target, "--member", "x"] if source.suffix == ".npz"
                     else ["stats", target], ["recode", target, out]):
            result = subprocess.run([normtool, *map(str, args)], capture_output=True, text=True, timeout=30)
            assert result.returncode in (0, 1), (n, args, result.returncode, result.stderr)
            if result.returncode == 1:
                assert result.stderr.startswith(f"normtool {args[0]}: "), result.stderr  # one line per failure
