#!/bin/sh
# Submits a sharded `normtool convert` to Slurm as one chain of jobs (docs/scale-out.md):
#   stats array -> merge -> write array -> finalize   (dataset statistics), or
#   all array -> finalize                               (--stats imagenet | FILE, --normalize none | scale).
# Each step waits for the previous one (--dependency=afterok) and is cancelled if it failed
# (--kill-on-invalid-dep=yes). Run it again after a failure: only the shards not done are
# submitted (`normtool shard status RUN --array`), the rest of the chain after them.
#
# usage: submit_sharded.sh RUN OUT [extra sbatch options, e.g. --partition=cpu --cpus-per-task=4]
# RUN must hold a plan: normtool shard plan FOLDER RUN --images-per-shard 1250 [convert options]
# Environment: NORMTOOL (default: normtool on PATH), THROTTLE (e.g. %64: at most 64 tasks at once).
set -eu
run=$1 out=$2
shift 2
extra="$*" # sbatch options for every step (no spaces inside one option)
normtool=${NORMTOOL:-normtool}
mkdir -p "$run/logs"
submit() { sbatch --parsable --output="$run/logs/%x-%j.out" $extra "$@" | cut -d';' -f1; }
after="" # the dependency on the previous step, empty for the first
step() { # step NAME [sbatch options] -- COMMAND: submits one step after the previous one
  name=$1
  shift
  job=$(submit --job-name="$name" $after "$@")
  [ -n "$job" ] || { echo "sbatch failed for $name" >&2; exit 1; }
  after="--dependency=afterok:$job --kill-on-invalid-dep=yes"
  echo "$name: job $job"
}
array() { # array PASS: the task array of PASS, for the shards not done yet
  todo=$("$normtool" shard status "$run" --array --pass "$1")
  if [ -n "$todo" ]; then
    step "$1" --array="$todo${THROTTLE:-}" --wrap "$normtool shard run $run --pass $1 --quiet"
  fi
}
if "$normtool" shard status "$run" | grep -q '^stats:'; then
  array stats
  step merge --wrap "$normtool shard merge $run"
  array write
else
  array all
fi
step finalize --wrap "$normtool shard finalize $run $out"
