#!/usr/bin/env bash
# Start a single-node Slurm cluster from Debian's packages as plain background processes: no
# systemd, no cgroups, no accounting (slurmdbd). Run as root. The recipe and its pitfalls are in
# README.md ("Slurm clusters"). State, logs and pid files go to $SLURM_CI_DIR;
# stop-slurm.sh stops exactly the processes started here, by PID.
set -euo pipefail
: "${SLURM_CI_DIR:?set SLURM_CI_DIR to a private folder}"
BASE=$SLURM_CI_DIR
NODE=$(hostname -s)
NCPU=$(nproc)
MEM_MB=$(($(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 - 512))
mkdir -p "$BASE"/{state,spool,log}
export SLURM_CONF="$BASE/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=goldrush-ci
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$BASE/slurmctld.pid
SlurmdPidFile=$BASE/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
SlurmctldPort=${SLURM_CI_PORT:-6817}
SlurmdPort=$((${SLURM_CI_PORT:-6817} + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/log/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
Waittime=0
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$NCPU RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF

# munge: reuse a running munged (a machine with systemd starts one); else start our own.
[ -s /etc/munge/munge.key ] || mungekey --create --force 2>/dev/null ||
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$BASE/munged.pid"
fi
for _ in $(seq 50); do munge -n </dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done

/usr/sbin/slurmctld -f "$SLURM_CONF" # daemonises, writes SlurmctldPidFile
/usr/sbin/slurmd -f "$SLURM_CONF"    # daemonises, writes SlurmdPidFile
for _ in $(seq 300); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
  case "$state" in idle* | mixed* | allocated*) exit 0 ;; esac
  sleep 0.2
done
echo "error: the Slurm node did not become idle within 60 s; logs in $BASE/log" >&2
sinfo -N >&2 || true
exit 1
