"""A one-node Slurm cluster on localhost for the sharding tests: munged, slurmctld and slurmd
started from a generated slurm.conf in a temporary folder, and stopped by PID afterwards.

Slurm and munge come from Debian (`slurm-wlm`, `munge`); `ensure_installed()` installs them when
missing and this process is root with apt-get, and otherwise says why not (the exact command).
All traffic stays on localhost; the ports are picked free at start.

    with SlurmCluster() as cluster:
        job = cluster.sbatch(["--array=0-2", "--wrap", "hostname"])
        cluster.wait_idle()

Also runnable as a script (`python3 python-interop/slurm_cluster.py`): starts the cluster, runs
a 3-task array, prints sinfo and stops everything.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

PACKAGES = ["slurm-wlm", "munge"]
DAEMONS = ["munged", "slurmctld", "slurmd"]


def missing_tools():
    """The Slurm and munge programs not on PATH (daemons live in /usr/sbin)."""
    path = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    return [tool for tool in DAEMONS + ["sbatch", "squeue", "sinfo", "scontrol"] if not shutil.which(tool, path=path)]


def ensure_installed():
    """None when Slurm and munge are there (installed now if need be), else why they are not."""
    if not missing_tools():
        return None
    command = "apt-get install -y " + " ".join(PACKAGES)
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"Slurm and munge are not installed and this is not root with apt-get; run: sudo {command}"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq"] + PACKAGES):
        result = subprocess.run(step, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            return f"'{' '.join(step)}' failed: {result.stderr.strip()[-300:]}"
    return None if not missing_tools() else f"still missing after {command}: {missing_tools()}"


def cannot_run_daemons():
    """Why this machine cannot run the daemons (None when it can)."""
    why = ensure_installed()
    if why:
        return why
    if os.geteuid() != 0:
        return "slurmd must run as root to start jobs as their users; these tests run the daemons as root only"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sbin(tool):
    return shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


class SlurmCluster:
    """munged + slurmctld + slurmd for NodeName=localhost (CPUs=2) in a temporary folder."""

    def __init__(self, cpus=2, memory_mb=4000, extra_config="", partition_options="OverSubscribe=FORCE:4"):
        """`partition_options`: by default up to 4 jobs share a CPU, so a short array starts
        at once instead of in waves of `cpus` tasks."""
        self.cpus = cpus
        self.partition_options = f" {partition_options}" if partition_options else ""
        self.extra_config = extra_config
        self.memory_mb = memory_mb
        self.pids = {}
        self.folder = None

    # Paths and environment

    def path(self, name):
        return os.path.join(self.folder, name)

    @property
    def env(self):
        """The environment for Slurm's client commands (sbatch, squeue, ...)."""
        return dict(os.environ, SLURM_CONF=self.path("slurm.conf"))

    def _write_config(self):
        folder = self.folder
        os.chmod(folder, 0o755)  # munged wants its socket folder reachable by everyone
        for sub in ("state", "spool"):
            os.mkdir(self.path(sub))
        with open(self.path("munge.key"), "wb") as key:
            key.write(os.urandom(1024))
        os.chmod(self.path("munge.key"), 0o600)
        open(self.path("plugstack.conf"), "w").close()
        config = f"""\
ClusterName=normtooltest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.path('munge.socket')}
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
StateSaveLocation={self.path('state')}
SlurmdSpoolDir={self.path('spool')}
SlurmctldPidFile={self.path('slurmctld.pid')}
SlurmdPidFile={self.path('slurmd.pid')}
SlurmctldLogFile={self.path('slurmctld.log')}
SlurmdLogFile={self.path('slurmd.log')}
PlugStackConfig={self.path('plugstack.conf')}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MailProg=/bin/true
MinJobAge=300
SchedulerParameters=sched_min_interval=0,batch_sched_delay=0
NodeName=localhost CPUs={self.cpus} RealMemory={self.memory_mb} State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP{self.partition_options}
{self.extra_config}
"""
        with open(self.path("slurm.conf"), "w") as f:
            f.write(config)

    def _start(self, name, argv):
        log = open(self.path(f"{name}.out"), "wb")
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        log.close()
        self.pids[name] = process
        return process

    def start(self):
        self.folder = tempfile.mkdtemp(prefix="normtool-slurm-")
        try:
            self._write_config()
            munge_args = [f"--key-file={self.path('munge.key')}", f"--socket={self.path('munge.socket')}",
                          f"--pid-file={self.path('munged.pid')}", f"--seed-file={self.path('munged.seed')}",
                          f"--log-file={self.path('munged.log')}"]
            self._start("munged", [_sbin("munged"), "-F", "--force"] + munge_args)
            self._wait(lambda: os.path.exists(self.path("munge.socket")), "munged to create its socket")
            conf = self.path("slurm.conf")
            self._start("slurmctld", [_sbin("slurmctld"), "-D", "-i", "-f", conf])
            self._start("slurmd", [_sbin("slurmd"), "-D", "-N", "localhost", "-f", conf])
            self._wait(self._node_idle, "the node to be idle in sinfo", timeout=60)
        except BaseException:
            self.stop()
            raise
        return self

    def _node_idle(self):
        for name, process in self.pids.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: {self.log(name)}")
        result = subprocess.run(["sinfo", "-h", "-N", "-o", "%t"], env=self.env, capture_output=True, text=True)
        return result.returncode == 0 and result.stdout.strip() == "idle"

    def _wait(self, ready, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"timed out after {timeout} s waiting for {what}; logs: {self.logs()}")

    def log(self, name):
        try:
            with open(self.path(f"{name}.out"), errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def logs(self):
        return {name: self.log(name) for name in self.pids}

    def stop(self):
        """Stops every daemon this object started, by PID (SIGTERM, then SIGKILL), slurmd first."""
        for name in ["slurmd", "slurmctld", "munged"]:
            process = self.pids.get(name)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.pids = {}
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # Client commands

    def run(self, argv, env=None, **kwargs):
        """A client command with SLURM_CONF set (plus `env`)."""
        return subprocess.run(argv, env=dict(self.env, **(env or {})), capture_output=True, text=True, **kwargs)

    def sbatch(self, args, cwd=None):
        result = self.run(["sbatch", "--parsable"] + args, cwd=cwd)
        if result.returncode != 0:
            raise RuntimeError(f"sbatch {args} failed: {result.stderr}")
        return result.stdout.strip().split(";")[0]

    def wait_idle(self, timeout=300):
        """Waits until no job is pending or running."""
        self._wait(lambda: self.run(["squeue", "-h"]).stdout.strip() == "", "the queue to empty", timeout=timeout)

    def job_states(self, job):
        """{task or job id: state} of a job (and its array tasks), from scontrol."""
        out = self.run(["scontrol", "-o", "show", "job", str(job)]).stdout
        states = {}
        for line in out.splitlines():
            fields = dict(item.split("=", 1) for item in line.split() if "=" in item)
            key = fields.get("ArrayTaskId") or fields.get("JobId")
            states[key] = fields.get("JobState")
        return states


if __name__ == "__main__":
    why = cannot_run_daemons()
    if why:
        raise SystemExit(f"cannot start Slurm here: {why}")
    with SlurmCluster() as cluster:
        job = cluster.sbatch(["--array=0-2", "--output=/dev/null", "--wrap", "echo task $SLURM_ARRAY_TASK_ID"])
        cluster.wait_idle(60)
        print(cluster.run(["sinfo"]).stdout, cluster.job_states(job))
