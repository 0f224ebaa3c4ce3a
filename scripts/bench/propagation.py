#!/usr/bin/env python3
"""How long a change written and closed on one mount takes to be readable on another.

Writes N small files on mount A (each: open, write a unique line, close) and, for each, polls the same path on
mount B until it reads the new content. Prints p50, p90, p99 and max in milliseconds.
"""
import os
import statistics
import sys
import time


def main():
    a, b, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(os.path.join(a, "propagation"), exist_ok=True)
    latencies = []
    for i in range(count):
        name = os.path.join("propagation", f"change-{i % 20}.txt")
        content = f"change {i} at {time.time_ns()}\n"
        with open(os.path.join(a, name), "w") as f:
            f.write(content)
        written = time.monotonic()
        while True:
            try:
                with open(os.path.join(b, name)) as f:
                    if f.read() == content:
                        break
            except OSError:
                pass
            if time.monotonic() - written > 30:
                sys.exit(f"change {i} did not reach the other mount within 30 s")
            time.sleep(0.002)
        latencies.append((time.monotonic() - written) * 1000)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    print(f"changes {count}: p50 {q[49]:.0f} ms, p90 {q[89]:.0f} ms, p99 {q[98]:.0f} ms, max {latencies[-1]:.0f} ms")


if __name__ == "__main__":
    main()
