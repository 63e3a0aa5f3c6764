"""Shared helpers for the hostile-input and fault suites (test_hostile_*.py, test_faults_*.py).

`run_tool` runs the built normtool under a time limit and an address-space limit and
reports its peak memory; `assert_clean_failure` checks the contract every malformed input
must meet: a non-zero exit (not a signal), exactly one line on stderr that names the file
and the reason, no hang, bounded memory.
"""
import contextlib
import os
import pathlib
import shutil
import re
import resource
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass

# Peak resident memory allowed for one run on a malformed input. The inputs are tiny; a run
# that gets near this allocated what the file declared instead of what it holds.
MAX_RSS_MB = 256
# Address space per run: an unbounded allocation fails here (and would show as a crash)
# instead of taking the machine's memory.
ADDRESS_SPACE_LIMIT = 4 << 30
TIMEOUT_SECONDS = 60


@dataclass
class Run:
    args: list
    returncode: int          # exit status, or -signal when killed by a signal
    stdout: str
    stderr: str
    max_rss_mb: float
    timed_out: bool


def _limit_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def run_tool(normtool, *args, timeout=TIMEOUT_SECONDS, cwd=None, preexec=None, on_start=None):
    """Runs normtool with `args`; returns a Run with the exit status and peak RSS of that child.

    `on_start(pid)` is called once the process runs (used by the fault tests to interrupt it).
    """
    def setup():
        _limit_address_space()
        if preexec:
            preexec()

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([normtool, *map(str, args)], stdout=out, stderr=err, cwd=cwd,
                                   preexec_fn=setup)
        if on_start:
            on_start(process.pid)
        deadline = time.monotonic() + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid == process.pid:
                break
            if time.monotonic() > deadline:
                timed_out = True
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        process.returncode = 0  # reaped here; keep Popen from waiting again
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        out.seek(0)
        err.seek(0)
        return Run([normtool, *args], code, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024, timed_out)


def escaped(path):
    """The path as our one-line error messages show it (control characters escaped)."""
    def escape(ch):
        code = ord(ch)
        if ch == "\n":
            return "\\n"
        if ch == "\r":
            return "\\r"
        if ch == "\t":
            return "\\t"
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return "\\x%02x" % code
        if code in (0x2028, 0x2029):
            return "\\u%04x" % code
        return ch
    return "".join(escape(ch) for ch in str(path))


def assert_clean_failure(run, path, reason):
    """The contract for a malformed input: a non-zero exit that is not a signal, one line on
    stderr naming `path` and matching the regular expression `reason`, no hang, bounded RSS."""
    where = f"{' '.join(map(str, run.args))!r}"
    assert not run.timed_out, f"{where} hung (killed after {TIMEOUT_SECONDS}s)"
    assert run.returncode >= 0, f"{where} crashed with signal {signal.Signals(-run.returncode).name}: {run.stderr[-2000:]}"
    assert run.returncode != 0, f"{where} succeeded on a malformed input; stdout {run.stdout[:300]!r}"
    lines = run.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0], f"{where} must print exactly one line on stderr, got {run.stderr!r}"
    assert escaped(path) in lines[0], f"{where}: message does not name the file: {lines[0]!r}"
    assert re.search(reason, lines[0]), f"{where}: message does not say /{reason}/: {lines[0]!r}"
    assert run.max_rss_mb < MAX_RSS_MB, f"{where} peaked at {run.max_rss_mb:.0f} MB RSS"


# Where scratch folders for runs as `nobody` may go: the first of these that every user can
# enter (the system temporary folder can itself sit under a private directory via $TMPDIR).
_SCRATCH_PARENTS = [tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"]
NOBODY = 65534


def enterable_by_anyone(path):
    """True when every folder from `/` down to `path` has the search bit for others, so an
    unprivileged user can reach files inside it."""
    path = pathlib.Path(path).resolve()
    return all(folder.stat().st_mode & 0o001 for folder in [path, *path.parents])


@dataclass
class Unprivileged:
    """A scratch folder every user can enter, a copy of normtool inside it, and a preexec that
    drops the child to `nobody` when we are root (so permission bits apply to it)."""
    folder: pathlib.Path
    normtool: str
    preexec: object

    def run(self, *args, **kwargs):
        """run_tool on the copied normtool as `nobody`, from inside the scratch folder."""
        return run_tool(self.normtool, *args, cwd=self.folder, preexec=self.preexec, **kwargs)


def _drop_to_nobody():
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


@contextlib.contextmanager
def unprivileged_folder(normtool):
    """Yields an Unprivileged: the test's inputs and outputs go in `folder`, and `run` runs
    normtool as `nobody` when we are root. When not root, permission bits already apply and
    the preexec does nothing.

    The clone, its `.build` and pytest's own temporary folders may sit under a directory that
    other users cannot enter (root's home is 0700; so is /tmp/pytest-of-root), so `nobody`
    could not even execute the built binary there. Everything such a run touches therefore
    lives in a fresh world-enterable folder: the inputs, the outputs and a copy of the binary
    (its runtime libraries come from the toolchain's RUNPATH, not from the clone)."""
    parent = next((p for p in _SCRATCH_PARENTS if os.path.isdir(p) and enterable_by_anyone(p)), None)
    assert parent, f"no temporary folder that every user can enter among {_SCRATCH_PARENTS}"
    folder = pathlib.Path(tempfile.mkdtemp(prefix="hostile-perm-", dir=parent))
    folder.chmod(0o777)
    tool_folder = pathlib.Path(tempfile.mkdtemp(prefix="normtool-", dir=parent))
    tool_folder.chmod(0o755)
    tool = tool_folder / "normtool"
    shutil.copy2(normtool, tool)
    tool.chmod(0o755)
    try:
        yield Unprivileged(folder, str(tool), _drop_to_nobody)
    finally:
        for path in [folder, *folder.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(tool_folder, ignore_errors=True)
