#!/usr/bin/env bash
# Stop the daemons start-slurm.sh started, by the PIDs in their pid files (munged last, and only
# if start-slurm.sh started it). SIGTERM, then SIGKILL after 10 s.
: "${SLURM_CI_DIR:?set SLURM_CI_DIR}"
for d in slurmd slurmctld munged; do
  f="$SLURM_CI_DIR/$d.pid"
  [ -s "$f" ] || continue
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "warning: $d ($pid) ignored SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid"
    fi
  fi
  rm -f "$f"
done
