#!/usr/bin/env python3
"""Turns PeersBenchmark's JMH text results (-rf text) into benchmarks/README.md's two tables:
µs/op ± JMH's 99.9% error per target, and Memring's time over each peer's (below 1 = Memring faster)."""
import re
import sys

TARGETS = ["memring", "memring-near", "caffeine-jcache", "redisson", "redisson-localcached", "hazelcast", "hazelcast-near"]
OPS = ["get", "put", "getAll"]
RATIOS = [  # (Memring target, peer target)
    ("memring", "redisson"), ("memring", "hazelcast"),
    ("memring-near", "redisson-localcached"), ("memring-near", "hazelcast-near"), ("memring-near", "caffeine-jcache"),
    ("memring-near", "redisson"), ("memring-near", "hazelcast"), ("memring-near", "memring"),
]

score = {}
for line in open(sys.argv[1]):
    m = re.match(r"PeersBenchmark\.(\w+)\s+(\S+)\s+avgt\s+(\d+)\s+([\d.]+)\s+(?:±\s+([\d.]+))?", line.strip())
    if m:
        score[(m.group(1), m.group(2))] = (float(m.group(4)), m.group(5))


def cell(op, t):
    if (op, t) not in score:
        return "—"
    s, e = score[(op, t)]
    return f"{s:.2f} ± {float(e):.2f}" if e else f"{s:.2f}"


print("| op | " + " | ".join(TARGETS) + " |")
print("|---|" + "---|" * len(TARGETS))
for op in OPS:
    label = "getAll (10 keys)" if op == "getAll" else op
    print(f"| {label} | " + " | ".join(cell(op, t) for t in TARGETS) + " |")
print()
print("| Memring / peer (time) | " + " | ".join(OPS) + " |")
print("|---|" + "---|" * len(OPS))
for a, b in RATIOS:
    row = []
    for op in OPS:
        if (op, a) in score and (op, b) in score:
            row.append(f"{score[(op, a)][0] / score[(op, b)][0]:.2f}")
        else:
            row.append("—")
    print(f"| {a} / {b} | " + " | ".join(row) + " |")
