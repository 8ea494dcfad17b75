#!/usr/bin/env python3
"""Live heap per cached token from two `jcmd PID GC.class_histogram` outputs (bench/token-heap.sh):

    heap-diff.py BEFORE AFTER N   -> total growth / N, then the 30 classes that grew most, per token
"""
import re
import sys


def load(path):
    rows = {}
    for line in open(path):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows


def main():
    before, after, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
    rows = []
    for cls in set(before) | set(after):
        ib, bb = before.get(cls, (0, 0))
        ia, ba = after.get(cls, (0, 0))
        rows.append((ba - bb, ia - ib, cls))
    rows.sort(reverse=True)
    total = sum(r[0] for r in rows)
    print("live heap grew %d bytes: %.0f bytes per token over %d tokens" % (total, total / n, n))
    print("%12s %10s %10s %8s  %s" % ("bytes", "instances", "B/token", "n/token", "class"))
    for db, di, cls in rows[:30]:
        print("%12d %10d %10.1f %8.2f  %s" % (db, di, db / n, di / n, cls))


if __name__ == "__main__":
    main()
