#!/usr/bin/env python3
"""The workloads of scripts/bench-peers.sh, and its table.

  workload.py run DIR --backing-dir DIR [--size-mib 512] [--files 2000] [--stat-passes 5] [--stat-wait 1.5]
      Runs every workload in DIR (a mount or a plain directory) and prints one line per workload:
      name, value, unit, tab-separated. Leaves DIR as it found it.
  workload.py report --targets cachefs,rclone,bindfs,local RESULT_FILE...
      Reads the files `run` printed (named TARGET.ROUND.tsv), keeps each target's best round per workload
      and prints the table with the CacheFs/peer ratios.

Every system call is a thin os.* call on a buffer made once, so the program costs the same against every target;
the local column (the same program on the backing disk's own file system) is the ceiling.
"""
import argparse
import ctypes
import os
import sys
import time

MIB = 1 << 20
SMALL = 4096
LIBC = ctypes.CDLL(None, use_errno=True)

# (key, label, unit); the order of the table.
WORKLOADS = [
    ("write", "sequential write, 1 MiB writes", "MB/s"),
    ("read", "sequential read, warm (2nd read)", "MB/s"),
    ("create", "create 4 KiB files", "ops/s"),
    ("stat", "stat, kernel-cached", "ops/s"),
    ("stat-expired", "stat, attributes expired", "ops/s"),
    ("read4k", "open + read 4 KiB + close, 1st read", "ops/s"),
    ("read4k-again", "open + read 4 KiB + close, 2nd read", "ops/s"),
    ("rename", "rename", "ops/s"),
    ("delete", "delete", "ops/s"),
]
PEERS = ["rclone", "bindfs"]
COLUMNS = [("cachefs", "CacheFs"), ("rclone", "rclone"), ("bindfs", "bindfs"), ("local", "local")]


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def settle(backing_dir):
    """Writes back the dirty pages of the file system that stores the target's bytes, so that one workload's writes are
    not paid for on the next one's time. syncfs(2) of that file system only: sync(2) would also wait on every other
    mount of this shared machine, including other people's stalled FUSE mounts."""
    fd = os.open(backing_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if LIBC.syncfs(fd) != 0:
            raise OSError(ctypes.get_errno(), "syncfs", backing_dir)
    finally:
        os.close(fd)


def sequential_write(path, size_mib):
    block = os.urandom(MIB)  # Random, so nothing on the way can compress it.

    def write():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            for _ in range(size_mib):
                os.write(fd, block)
        finally:
            os.close(fd)  # Timed: FUSE file systems do their flush work at close.

    return size_mib * MIB / timed(write) / 1e6


def read_all(path):
    buffer = bytearray(MIB)
    fd = os.open(path, os.O_RDONLY)
    try:
        while os.readv(fd, [buffer]) > 0:
            pass
    finally:
        os.close(fd)


def sequential_read_warm(path, size_mib):
    read_all(path)  # Every target gets the same warm-up; what it keeps (page cache, its own cache) is its own merit.
    return size_mib * MIB / timed(lambda: read_all(path)) / 1e6


def rate(count, seconds):
    return count / seconds


def create_files(names):
    data = os.urandom(SMALL)
    for name in names:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, data)
        os.close(fd)


def stat_files(names):
    for name in names:
        os.stat(name)


def stat_cached(names, passes):
    stat_files(names)  # Untimed: the first stat after a write asks the file system, the later ones hit the kernel.
    return rate(len(names) * passes, sum(timed(lambda: stat_files(names)) for _ in range(passes)))


def stat_expired(names, passes, wait):
    # The pause outlasts the kernel's attribute and entry timeouts (1 s by default in CacheFs, rclone and libfuse, so
    # bindfs), so every stat of the pass asks the file system itself.
    seconds = 0.0
    for _ in range(passes):
        time.sleep(wait)
        seconds += timed(lambda: stat_files(names))
    return rate(len(names) * passes, seconds)


def read_files(names):
    for name in names:
        fd = os.open(name, os.O_RDONLY)
        os.read(fd, SMALL)
        os.close(fd)


def rename_files(names, renamed):
    for old, new in zip(names, renamed):
        os.rename(old, new)


def delete_files(names):
    for name in names:
        os.unlink(name)


def run(args):
    big = os.path.join(args.dir, "big.bin")
    small = os.path.join(args.dir, "small")
    os.mkdir(small)
    names = [os.path.join(small, f"f{i:06d}") for i in range(args.files)]
    renamed = [os.path.join(small, f"r{i:06d}") for i in range(args.files)]
    n = args.files

    steps = [
        ("write", lambda: sequential_write(big, args.size_mib)),
        ("read", lambda: sequential_read_warm(big, args.size_mib)),
        ("create", lambda: rate(n, timed(lambda: create_files(names)))),
        ("stat", lambda: stat_cached(names, args.stat_passes)),
        ("stat-expired", lambda: stat_expired(names, args.stat_passes, args.stat_wait)),
        # The first read of a file since it was written, then the same again: which of them the page cache serves
        # differs between file systems, so the table shows both.
        ("read4k", lambda: rate(n, timed(lambda: read_files(names)))),
        ("read4k-again", lambda: rate(n, timed(lambda: read_files(names)))),
        ("rename", lambda: rate(n, timed(lambda: rename_files(names, renamed)))),
        ("delete", lambda: rate(n, timed(lambda: delete_files(renamed)))),
    ]
    units = {key: unit for key, _, unit in WORKLOADS}
    for key, step in steps:
        value = step()
        print(f"{key}\t{value:.1f}\t{units[key]}", flush=True)
        settle(args.backing_dir)

    os.rmdir(small)
    os.unlink(big)


def load_results(paths):
    """{target: {workload: best value}} from files named TARGET.ROUND.tsv."""
    best = {}
    for path in paths:
        target = os.path.basename(path).split(".")[0]
        with open(path) as lines:
            for line in lines:
                key, value, _ = line.rstrip("\n").split("\t")
                values = best.setdefault(target, {})
                values[key] = max(values.get(key, 0.0), float(value))
    return best


def figure(value):
    return "-" if value is None else f"{value:,.0f}"


def ratio(ours, theirs):
    # Higher is better for every workload, so above 1x means CacheFs is faster.
    if ours is None or not theirs:
        return "-"
    return f"{ours / theirs:.2f}x"


def report(args):
    best = load_results(args.results)
    targets = args.targets.split(",")
    columns = [(key, title) for key, title in COLUMNS if key in targets]
    ratios = [peer for peer in PEERS if "cachefs" in targets and peer in targets]
    header = ["workload", "unit"] + [title for _, title in columns] + [f"CacheFs/{peer}" for peer in ratios]
    rows = []
    for key, label, unit in WORKLOADS:
        cell = {target: best.get(target, {}).get(key) for target in targets}
        rows.append([label, unit] + [figure(cell[t]) for t, _ in columns] + [ratio(cell["cachefs"], cell[p]) for p in ratios])

    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 1) + (":" if i >= 2 else "-") for i, w in enumerate(widths)) + "|")
    for row in rows:
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("| " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("run")
    run_command.add_argument("dir")
    run_command.add_argument("--backing-dir", required=True, help="a directory on the file system that holds DIR's bytes")
    run_command.add_argument("--size-mib", type=int, default=512)
    run_command.add_argument("--files", type=int, default=2000)
    run_command.add_argument("--stat-passes", type=int, default=5)
    run_command.add_argument("--stat-wait", type=float, default=1.5, help="seconds before each expired-stat pass")
    report_command = commands.add_parser("report")
    report_command.add_argument("--targets", required=True)
    report_command.add_argument("results", nargs="+")
    args = parser.parse_args()
    if args.command == "run":
        run(args)
    else:
        report(args)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)  # Ctrl-C: bench-peers.sh unmounts and cleans up; a traceback would only hide its message.
