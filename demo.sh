#!/usr/bin/env bash
# The main job: a local 3-node Memring cluster on 127.0.0.1 and the plain-Java sample using it
# through the JCache API. Run after `mvn -B -q package -DskipTests`. Stops the nodes on exit.
set -euo pipefail
cd "$(dirname "$0")"
PORTS=(21211 21212 21213)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
for port in "${PORTS[@]}"; do
  remote-server/bin/memring-server -p "$port" -m 64 -t 1 2>"/tmp/memring-demo-$port.log" &
  PIDS+=($!)
done
for port in "${PORTS[@]}"; do
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
done
SERVERS=$(printf '127.0.0.1:%s,' "${PORTS[@]}"); SERVERS=${SERVERS%,}
echo "cluster up: $SERVERS"
java -Dmemring.servers="$SERVERS" \
  -cp "samples/plain-java/target/classes:$(cat samples/plain-java/target/classpath.txt)" \
  io.memring.samples.plain.PlainJavaSample
