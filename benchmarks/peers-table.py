#!/usr/bin/env python3
"""Turns a PeersBenchmark run into benchmarks/README.md's tables: per target and operation JMH's mean
µs/op ± 99.9% error (from the -rf text results) and the median of the measured iterations (from the
run's log; on a shared machine one stalled iteration moves a mean by 10x but not the median), then
Memring's median time over each peer's (below 1 = Memring faster).

    peers-table.py RESULTS.txt RUN.log
"""
import re
import statistics
import sys

TARGETS = ["memring", "memring-near", "caffeine-jcache", "redisson", "redisson-localcached", "hazelcast", "hazelcast-near"]
OPS = ["get", "put", "getAll"]
RATIOS = [  # (Memring target, peer target)
    ("memring", "redisson"), ("memring", "hazelcast"),
    ("memring-near", "redisson-localcached"), ("memring-near", "hazelcast-near"), ("memring-near", "caffeine-jcache"),
    ("memring-near", "memring"),
]

mean = {}
for line in open(sys.argv[1]):
    # "Cnt" and "Error" are blank when a fork measured one iteration.
    m = re.match(r"PeersBenchmark\.(\w+)\s+(\S+)\s+avgt\s+(?:\d+\s+)?([\d.]+)\s+(?:±\s+([\d.]+))?", line.strip())
    if m:
        mean[(m.group(1), m.group(2))] = (float(m.group(3)), m.group(4))

# Each iteration's score is the first "N us/op" after its label; a fork's setup or teardown output
# may come between the two.
iterations = {}
key, label = None, None
for line in open(sys.argv[2]):
    m = re.match(r"# Benchmark: .*PeersBenchmark\.(\w+)", line)
    if m:
        op = m.group(1)
    m = re.match(r"# Parameters: \(target = (\S+)\)", line)
    if m:
        key = (op, m.group(1))
        iterations[key] = []
    if re.match(r"# Warmup Iteration", line):
        label = "warmup"
    elif re.match(r"Iteration\s+\d+:", line):
        label = "measured"
    m = re.search(r"([\d.]+) us/op", line)
    if m and label:
        if label == "measured" and key:
            iterations[key].append(float(m.group(1)))
        label = None
median = {k: statistics.median(v) for k, v in iterations.items() if v}


def cell(op, t):
    if (op, t) not in mean:
        return "—"
    s, e = mean[(op, t)]
    text = f"{s:.1f} ± {float(e):.1f}" if e else f"{s:.1f}"
    return f"{median[(op, t)]:.1f} ({text})" if (op, t) in median else text


print("µs/op: median of the measured iterations (JMH mean ± 99.9% error)")
print()
print("| op | " + " | ".join(TARGETS) + " |")
print("|---|" + "---|" * len(TARGETS))
for op in OPS:
    label = "getAll (10 keys)" if op == "getAll" else op
    print(f"| {label} | " + " | ".join(cell(op, t) for t in TARGETS) + " |")
print()
print("| Memring / peer (median time) | " + " | ".join(OPS) + " |")
print("|---|" + "---|" * len(OPS))
for a, b in RATIOS:
    row = [f"{median[(op, a)] / median[(op, b)]:.2f}" if (op, a) in median and (op, b) in median else "—" for op in OPS]
    print(f"| {a} / {b} | " + " | ".join(row) + " |")
