#!/usr/bin/env bash
# memcaslap's default 9:1 get:set mix (-T 2 -c 16 -X 100) on stock memcached and on a Memring node
# started by bin/memring-server, both -t 2 -m 256, in one run: ROUNDS rounds of SECONDS each, the
# order of the servers rotating every round. Prints each run's TPS and the server's operations per
# CPU-second (its utime+stime from /proc), the figure least disturbed by other load on the machine.
#
#   benchmarks/memcaslap-rounds.sh [rounds] [seconds]
#
# BASELINE_LAUNCHER (and BASELINE_JAR) add a third server, e.g. the launcher and jar of another
# commit, measured in the same rounds: `git show main:remote-server/bin/memring-server > /tmp/l`.
# Binds 127.0.0.1 ports PORT_BASE..PORT_BASE+2 (default 23800); stops every server it started.
set -euo pipefail
ROUNDS=${1:-4}
SECONDS_PER_RUN=${2:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE=${PORT_BASE:-23800}
PIDS=() NAMES=() PORTS=() STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

await_port() {
  for _ in $(seq 200); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listening on $1" >&2; exit 1
}
# The launcher execs java, so the server's pid is the launcher's.
start() { # name port command...
  local name=$1 port=$2; shift 2
  "$@" >/dev/null 2>&1 &
  STARTED+=($!); PIDS+=($!); NAMES+=("$name"); PORTS+=("$port")
  await_port "$port"
}
start memcached "$BASE" memcached -u root -U 0 -l 127.0.0.1 -p "$BASE" -t 2 -m 256
start memring "$((BASE + 1))" "$ROOT/remote-server/bin/memring-server" -l 127.0.0.1 -p "$((BASE + 1))" -t 2 -m 256
if [ -n "${BASELINE_LAUNCHER:-}" ]; then
  start baseline "$((BASE + 2))" env MEMRING_JAR="${BASELINE_JAR:-$ROOT/remote-server/target/memring-server.jar}" \
    sh "$BASELINE_LAUNCHER" -l 127.0.0.1 -p "$((BASE + 2))" -t 2 -m 256
fi
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
n=${#PIDS[@]}
echo "memcaslap -T 2 -c 16 -X 100 -t ${SECONDS_PER_RUN}s; servers -t 2 -m 256; $(memcached -V)"
for r in $(seq "$ROUNDS"); do
  for j in $(seq 0 $((n - 1))); do
    k=$(((j + r) % n))
    pid=${PIDS[$k]}
    c0=$(cpu "$pid")
    tps=$(memcaslap -s "127.0.0.1:${PORTS[$k]}" -T 2 -c 16 -X 100 -t "${SECONDS_PER_RUN}s" 2>&1 | awk '/^Run time/ {print $(NF-2)}' | tail -1)
    c1=$(cpu "$pid")
    ticks=$((c1 - c0 > 0 ? c1 - c0 : 1))
    printf "round %d  %-10s TPS %7d  ops/CPU-s %7d\n" "$r" "${NAMES[$k]}" "$tps" $((tps * SECONDS_PER_RUN * $(getconf CLK_TCK) / ticks))
  done
done
