#!/usr/bin/env bash
# Where the CPU goes per request under memcaslap's mix (-T 2 -c 16 -X 100), for stock memcached and a
# Memring node (bin/memring-server), both -t 2 -m 256, measured in the same rounds with a
# whole-system profiler: `perf record -a -g -F 999` for 8 s of each 10 s run, servers rotating.
# Prints, per 1,000 operations, the samples (~1 ms of CPU each) of the server process (kernel and
# user, the user part split by object: JIT-compiled Java or memcached's binary, libc, vDSO, libjvm;
# and the server's threads other than its workers: GC, JIT compilers, timers), of memcaslap, of the
# idle loop and of every other process on the machine, whose share moves TPS on a shared machine.
# Also prints the samples under the wake-up of a sleeping reader (sock_def_readable ->
# try_to_wake_up): the price of replying to a memcaslap thread that had gone to sleep.
#
#   benchmarks/memcaslap-profile.sh OUTDIR [rounds]
#
# BASELINE_LAUNCHER (and BASELINE_JAR) add a third server, as in memcaslap-rounds.sh. The node runs with
# -XX:+PreserveFramePointer, and `jcmd <pid> Compiler.perfmap` writes /tmp/perf-<pid>.map at the end so
# that JIT frames resolve (`perf report -i OUTDIR/<server>-<round>.data --pid <pid>`). Needs perf and
# root (or perf_event_paranoid <= 0). Binds 127.0.0.1 ports PORT_BASE..PORT_BASE+2 (default 23900).
set -euo pipefail
OUT=${1:?usage: memcaslap-profile.sh OUTDIR [rounds]}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${PORT_BASE:-23900}
mkdir -p "$OUT"
if [ -n "${ANALYZE_ONLY:-}" ]; then ROUNDS=0; fi
PIDS=() NAMES=() PORTS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
await_port() {
  for _ in $(seq 200); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listening on $1" >&2; exit 1
}
start() { # name port command...
  local name=$1 port=$2; shift 2
  "$@" >/dev/null 2>&1 &
  PIDS+=($!); NAMES+=("$name"); PORTS+=("$port")
  await_port "$port"
}
ms() { memcaslap -s "127.0.0.1:$1" -T 2 -c 16 -X 100 -t "$2" 2>&1 | awk '/^Run time/ {print $(NF-2)}' | tail -1; }
start memcached "$BASE" memcached -u root -U 0 -l 127.0.0.1 -p "$BASE" -t 2 -m 256
start memring "$((BASE + 1))" env MEMRING_JAVA_OPTS="-XX:+PreserveFramePointer ${MEMRING_JAVA_OPTS:-}" \
  "$ROOT/remote-server/bin/memring-server" -l 127.0.0.1 -p "$((BASE + 1))" -t 2 -m 256
if [ -n "${BASELINE_LAUNCHER:-}" ]; then
  start baseline "$((BASE + 2))" env MEMRING_JAR="${BASELINE_JAR:-$ROOT/remote-server/target/memring-server.jar}" \
    MEMRING_JAVA_OPTS="-XX:+PreserveFramePointer" sh "$BASELINE_LAUNCHER" -l 127.0.0.1 -p "$((BASE + 2))" -t 2 -m 256
fi
n=${#PIDS[@]}
echo "$(date -u +%FT%TZ) $(uptime)" | tee "$OUT/uptime"
for k in $(seq 1 $((n - 1))); do ms "${PORTS[$k]}" 12s >/dev/null; done # JIT warm-up of the nodes
: >"$OUT/runs"
for r in $(seq "$ROUNDS"); do
  for j in $(seq 0 $((n - 1))); do
    k=$(((j + r) % n))
    (sleep 1; perf record -a -g -F 999 -o "$OUT/${NAMES[$k]}-$r.data" -- sleep 8 >/dev/null 2>&1) &
    tps=$(ms "${PORTS[$k]}" 10s)
    wait $!
    echo "${NAMES[$k]} $r $tps ${PIDS[$k]}" >>"$OUT/runs"
  done
done
for k in $(seq 1 $((n - 1))); do jcmd "${PIDS[$k]}" Compiler.perfmap >/dev/null 2>&1 || true; done
echo "$(date -u +%FT%TZ) $(uptime)" | tee -a "$OUT/uptime"
echo "samples (~1 ms CPU) per 1000 ops; server = the server process; wake = its samples under sock_def_readable's wake-up"
while read -r name r tps pid; do
  perf script -i "$OUT/$name-$r.data" -F comm,pid,ip,sym,dso 2>/dev/null | awk -v P="$pid" -v t="$tps" -v n="$name/$r" '
    BEGIN { RS = "" }
    { split($0, L, "\n"); h = L[1]; sub(/^ +/, "", h); nf = split(h, f, " ")
      comm = f[1]; for (i = 2; i < nf; i++) comm = comm " " f[i]
      pid = f[nf]; sub(/\/.*/, "", pid); leaf = L[2] }
    comm ~ /^memcaslap/ { mcs++; next }
    pid == "0" { idle++; next }
    pid != P { oth++; next }
    { srv++
      if (comm !~ /worker/) nonw++
      if (index(leaf, "kernel.kallsyms")) k++
      else if (index(leaf, "/tmp/perf-") || index(leaf, "[JIT]") || index(leaf, "/memcached)")) j++
      else if (index(leaf, "libjvm")) jvm++
      else if (index(leaf, "vdso")) v++
      else if (index(leaf, "libc.so")) lc++
      else o++
      if (index($0, "sock_def_readable") && (index(L[2], "_raw_spin_unlock_irqrestore") || index(L[2], "try_to_wake_up"))) wake++ }
    END { ops = t * 8 / 1000
      printf "%-12s TPS %7d | server %.2f: kernel %.2f (wake %.2f), user %.2f (JIT or binary %.2f, libc %.2f, vdso %.3f, libjvm %.2f, other %.2f), non-worker threads %.2f | memcaslap %.2f | idle %.2f | other processes %.2f\n",
        n, t, srv / ops, k / ops, wake / ops, (srv - k) / ops, j / ops, lc / ops, v / ops, jvm / ops, o / ops, nonw / ops, mcs / ops, idle / ops, oth / ops }'
done <"$OUT/runs" | tee "$OUT/summary"
