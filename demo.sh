#!/usr/bin/env bash
# The main job: a local 3-node Memring cluster on 127.0.0.1, replicated (--replicas 2, the default of
# remote-server/bin/memring-cluster; free ports) and the plain-Java sample using it through the JCache
# API. Run after `mvn -B -q package -DskipTests`. The nodes are stopped when the demo ends, fails or is
# interrupted; their logs stay in .memring-demo/ (MEMRING_DEMO_DIR) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")"
export MEMRING_CLUSTER_DIR="${MEMRING_DEMO_DIR:-$PWD/.memring-demo}"
CLUSTER=remote-server/bin/memring-cluster
CLASSPATH_FILE=samples/plain-java/target/classpath.txt
if [ ! -f "$CLASSPATH_FILE" ] || [ ! -f remote-server/target/memring-server.jar ]; then
  echo "demo.sh: build first: mvn -B -q package -DskipTests" >&2
  exit 1
fi

stop_cluster() { "$CLUSTER" stop >/dev/null || echo "demo.sh: could not stop the nodes; see $MEMRING_CLUSTER_DIR" >&2; }
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$CLUSTER" stop >/dev/null  # nodes of an earlier demo that was killed outright
# Prints every node and a final ready line, or fails naming the node and port (and stops the others).
"$CLUSTER" start 3
SERVERS=$(cat "$MEMRING_CLUSTER_DIR/servers")
echo "cluster up: $SERVERS"
java -Dmemring.servers="$SERVERS" \
  -cp "samples/plain-java/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.memring.samples.plain.PlainJavaSample
