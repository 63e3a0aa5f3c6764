"""Faults while `normtool convert` (and `recode`) write: a full disk, a file-size limit, an
output that cannot be written, an input deleted mid-run, SIGINT and SIGTERM mid-run.

In every case: no partial output under the final name, no temporary files left, the inputs
untouched, and an existing output never destroyed by the failed run.
"""
import contextlib
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import time

import numpy as np
import pytest
from PIL import Image

from test_hostile_support import assert_clean_failure, run_tool, unprivileged_folder

SENTINEL = b"an existing output that a failed run must not touch\n"


def make_images(root, count, size=96):
    rng = np.random.default_rng(11)
    for k in range(count):
        cls = root / ("a" if k % 2 == 0 else "b")
        cls.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)).save(cls / f"{k:04d}.png")
    return root


def fingerprint(folder):
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder, keep):
    return sorted(name for name in os.listdir(folder) if name not in keep)


# A slow conversion (Lanczos upscaling) so that faults land mid-run.
SLOW = ["--size", "256", "--filter", "lanczos", "--normalize", "none", "--jobs", "1", "--quiet"]


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults") / "in"
    return make_images(root, 120)


@contextlib.contextmanager
def small_tmpfs(path, size="1m"):
    """A tmpfs of `size` at `path` when we may mount (root), else None."""
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True).returncode == 0
    try:
        yield path if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], check=True)


@pytest.mark.parametrize("output_name", ["out.npz", "out.npy", "outdir"])
def test_disk_full(normtool, images, tmp_path, output_name):
    with small_tmpfs(tmp_path / "disk") as disk:
        if disk is None:
            pytest.skip("cannot mount a tmpfs here (not root); test_file_size_limit covers the case")
        existing = disk / output_name
        if output_name == "outdir":
            existing.mkdir()
            (existing / "x.npy").write_bytes(SENTINEL)
        else:
            existing.write_bytes(SENTINEL)
        before = fingerprint(images)
        run = run_tool(normtool, "convert", images, "-o", existing, *SLOW)
        assert_clean_failure(run, existing, r"No space left on device")
        if output_name == "outdir":
            assert (existing / "x.npy").read_bytes() == SENTINEL and os.listdir(existing) == ["x.npy"]
        else:
            assert existing.read_bytes() == SENTINEL
        assert leftovers(disk, {output_name}) == [], "temporary files left on the full disk"
        assert fingerprint(images) == before


def test_file_size_limit(normtool, images, tmp_path):
    """RLIMIT_FSIZE (ulimit -f): without care the kernel kills the writer with SIGXFSZ and its
    temporary file stays; normtool ignores SIGXFSZ so the write fails with EFBIG instead."""
    existing = tmp_path / "out.npz"
    existing.write_bytes(SENTINEL)

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    run = run_tool(normtool, "convert", images, "-o", existing, *SLOW, preexec=limit_file_size)
    assert_clean_failure(run, existing, r"File too large")
    assert existing.read_bytes() == SENTINEL
    assert leftovers(tmp_path, {"out.npz"}) == []


def test_recode_disk_full(normtool, tmp_path):
    source = tmp_path / "big.npy"
    np.save(source, np.arange(1 << 19, dtype=np.float64))  # 4 MB
    with small_tmpfs(tmp_path / "disk") as disk:
        if disk is None:
            pytest.skip("cannot mount a tmpfs here (not root)")
        for name in ["copy.npy", "copy.npz"]:
            existing = disk / name
            existing.write_bytes(SENTINEL)
            run = run_tool(normtool, "recode", source, existing)
            assert_clean_failure(run, existing, r"No space left on device")
            assert existing.read_bytes() == SENTINEL
            assert leftovers(disk, {"copy.npy", "copy.npz"}) == []


def test_output_folder_missing(normtool, images, tmp_path):
    output = tmp_path / "no" / "such" / "folder" / "out.npz"
    assert_clean_failure(run_tool(normtool, "convert", images, "-o", output, "--quiet"), output, r"does not exist")


def test_output_under_a_regular_file(normtool, images, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    output = tmp_path / "file.txt" / "out.npz"
    assert_clean_failure(run_tool(normtool, "convert", images, "-o", output, "--quiet"), output, r"does not exist|Not a directory")


def test_output_directory_with_other_files_is_not_replaced(normtool, images, tmp_path):
    output = tmp_path / "outdir"
    output.mkdir()
    (output / "notes.txt").write_text("mine")
    run = run_tool(normtool, "convert", images, "-o", output, "--quiet")
    assert_clean_failure(run, output, r"holds other files")
    assert os.listdir(output) == ["notes.txt"]


def test_output_folder_not_writable(normtool, images):
    """As root the run drops to nobody, so the inputs are copied into its scratch folder:
    pytest's own temporary folders (and the clone) may be closed to other users."""
    with unprivileged_folder(normtool) as nobody:
        scratch = nobody.folder
        inputs = shutil.copytree(images, scratch / "in")
        for path in [inputs, *inputs.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (scratch / "ro").mkdir()
        existing = scratch / "ro" / "out.npz"
        existing.write_bytes(SENTINEL)
        (scratch / "ro").chmod(0o555)
        run = nobody.run("convert", inputs, "-o", existing, "--quiet")
        assert_clean_failure(run, existing, r"Permission denied")
        assert existing.read_bytes() == SENTINEL
        assert os.listdir(scratch / "ro") == ["out.npz"]


def wait_for_temporary(folder, keep, pid, timeout=30):
    """Waits until the running convert has created a temporary file in `folder`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if leftovers(folder, keep):
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("output_name", ["out.npz", "out.npy", "outdir"])
def test_interrupt_mid_run(normtool, images, tmp_path, signal_number, output_name):
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    existing = out_folder / output_name
    if output_name == "outdir":
        existing.mkdir()
        (existing / "x.npy").write_bytes(SENTINEL)
    else:
        existing.write_bytes(SENTINEL)
    before = fingerprint(images)
    interrupted = []

    def interrupt(pid):
        if wait_for_temporary(out_folder, {output_name}, pid):
            time.sleep(0.2)
            os.kill(pid, signal_number)
            interrupted.append(True)

    run = run_tool(normtool, "convert", images, "-o", existing, *SLOW, on_start=interrupt)
    assert interrupted, f"the run ended before it could be interrupted: {run.stderr}"
    assert run.returncode == -signal_number, f"expected death by {signal_number.name}, got {run.returncode}: {run.stderr}"
    assert leftovers(out_folder, {output_name}) == [], "temporary files left after the interrupt"
    if output_name == "outdir":
        assert os.listdir(existing) == ["x.npy"] and (existing / "x.npy").read_bytes() == SENTINEL
    else:
        assert existing.read_bytes() == SENTINEL
    assert fingerprint(images) == before


def test_input_deleted_mid_run(normtool, tmp_path):
    images = make_images(tmp_path / "in", 60)
    last = sorted((images / "b").iterdir())[-1]
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    existing = out_folder / "out.npz"
    existing.write_bytes(SENTINEL)
    deleted = []

    def delete_last(pid):
        if wait_for_temporary(out_folder, {"out.npz"}, pid):
            last.unlink()
            deleted.append(True)

    run = run_tool(normtool, "convert", images, "-o", existing, *SLOW, on_start=delete_last)
    assert deleted, f"the run ended before the file could be deleted: {run.stderr}"
    relative = f"b/{last.name}"
    assert_clean_failure(run, relative, r"[Nn]o such file|couldn.t be opened|does not exist|cannot read")
    assert existing.read_bytes() == SENTINEL
    assert leftovers(out_folder, {"out.npz"}) == []
