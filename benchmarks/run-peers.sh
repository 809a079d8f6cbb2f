#!/usr/bin/env bash
# Reproduces benchmarks/README.md's "Distributed JCache peers" table: builds the node's jar and the
# benchmarks' class path (no install, no tests), then runs PeersBenchmark in one JMH run. Each
# (target, operation) pair runs in its own forked JVM, which starts the server it needs on a loopback
# port (a Memring node, redis-server, a Hazelcast member) and stops it afterwards.
#
#   benchmarks/run-peers.sh                       # the README's run (JMH settings in PeersBenchmark)
#   benchmarks/run-peers.sh -wi 1 -w 1 -i 1 -r 1  # a quick check that every target works
#   benchmarks/run-peers.sh -p target=memring,caffeine-jcache 'PeersBenchmark.get$'
#
# Needs Debian's redis-server (apt-get install -y redis-server); nothing in the test suite does.
# Extra arguments go to JMH; a pattern argument replaces the default "PeersBenchmark".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is missing: apt-get install -y redis-server (Debian's package)" >&2
  exit 1
fi

mvn -B -q -pl benchmarks -am package -DskipTests

pattern=PeersBenchmark
args=()
for a in "$@"; do
  case "$a" in
    PeersBenchmark*) pattern="$a" ;;
    *) args+=("$a") ;;
  esac
done

out="benchmarks/target/peers-$(date -u +%Y%m%dT%H%M%SZ)"
# The machine's load average every 30 s during the run (benchmarks/README.md quotes its range).
echo "$(date -u +%H:%M:%S) load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out.load"
(while sleep 30; do echo "$(date -u +%H:%M:%S) load average $(cut -d' ' -f1-3 /proc/loadavg)"; done >>"$out.load") &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT
java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" org.openjdk.jmh.Main "$pattern" \
  -rf text -rff "$out.txt" ${args[@]+"${args[@]}"} 2>&1 | tee "$out.log" \
  | grep --line-buffered -E '^# (Benchmark|Parameters):|^Iteration|near cache:|load average at|^Result|Exception|^Benchmark|PeersBenchmark\.'
echo "$(date -u +%H:%M:%S) load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out.load"
echo "results: $out.txt (full log $out.log)"
python3 benchmarks/peers-table.py "$out.txt" "$out.log" | tee "$out.md"
