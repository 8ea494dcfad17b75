#!/usr/bin/env python3
"""Hot frames of a JFR recording, for bench/run.sh JFR=1 (standard library + the JDK's `jfr` tool).

usage: jfr-top.py FILE.jfr [TOP]
Prints: CPU samples by top frame (self) and by frame anywhere on the stack (inclusive, once per
sample), allocation samples by class and by first application frame, GC pauses, and monitor
contention (locks) on the request path.
"""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+([\w$.<>/]+)\(.*\)\s+line:")



def parse(path, name):
    text = subprocess.run(["jfr", "print", "--events", name, "--stack-depth", "64", path],
                          check=True, capture_output=True, text=True).stdout
    out, cur = [], None
    for line in text.splitlines():
        if line.startswith(name) or line.startswith(name.split(".", 1)[1]) and line.rstrip().endswith("{"):
            cur = {"frames": [], "fields": {}}
            out.append(cur)
            continue
        if cur is None:
            continue
        m = FRAME.match(line)
        if m:
            cur["frames"].append(m.group(1))
            continue
        kv = re.match(r"^\s+(\w+) = (.*)$", line)
        if kv and not cur["frames"]:
            cur["fields"][kv.group(1)] = kv.group(2).strip()
    return out


APP_PREFIXES = ("dev.gatehouse.",)


def table(title, counter, total, top):
    print("\n== %s (%d samples)" % (title, total))
    for k, v in counter.most_common(top):
        print("%6.1f%%  %6d  %s" % (100.0 * v / max(total, 1), v, k))


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    samples = parse(path, "jdk.ExecutionSample")
    self_c, incl, app_incl = collections.Counter(), collections.Counter(), collections.Counter()
    for s in samples:
        if not s["frames"]:
            continue
        self_c[s["frames"][0]] += 1
        seen = set(s["frames"])
        for fr in seen:
            incl[fr] += 1
            if fr.startswith(APP_PREFIXES):
                app_incl[fr] += 1
    table("CPU: top frames (self)", self_c, len(samples), top)
    table("CPU: Gatehouse frames anywhere on the stack (inclusive)", app_incl, len(samples), top)
    table("CPU: all frames anywhere on the stack (inclusive)", incl, len(samples), top)

    allocs = parse(path, "jdk.ObjectAllocationSample")
    by_class, by_site = collections.Counter(), collections.Counter()
    total_w = 0
    for a in allocs:
        wt = a["fields"].get("weight", "0")
        m = re.match(r"([\d.]+)\s*(bytes|kB|MB|GB)", wt)
        b = 0
        if m:
            b = float(m.group(1)) * {"bytes": 1, "kB": 1024, "MB": 1 << 20, "GB": 1 << 30}[m.group(2)]
        total_w += b
        by_class[a["fields"].get("objectClass", "?").split(" ")[0]] += b
        site = next((fr for fr in a["frames"] if fr.startswith(APP_PREFIXES)), None) or (a["frames"][0] if a["frames"] else "?")
        by_site[site] += b
    print("\n== Allocation (sampled weight, %.0f MB total)" % (total_w / (1 << 20)))
    for k, v in by_class.most_common(15):
        print("%6.1f%%  %s" % (100.0 * v / max(total_w, 1), k))
    print("\n== Allocation by first Gatehouse frame (else top frame)")
    for k, v in by_site.most_common(20):
        print("%6.1f%%  %s" % (100.0 * v / max(total_w, 1), k))

    gcs = parse(path, "jdk.GarbageCollection")
    pauses = []
    for g in gcs:
        m = re.match(r"([\d.]+) (ms|s|us)", g["fields"].get("sumOfPauses", ""))
        if m:
            pauses.append(float(m.group(1)) * {"ms": 1, "s": 1000, "us": 0.001}[m.group(2)])
    if pauses:
        pauses.sort()
        print("\n== GC: %d collections, pauses total %.1f ms, median %.2f ms, max %.2f ms" % (
            len(pauses), sum(pauses), pauses[len(pauses) // 2], pauses[-1]))
    locks = parse(path, "jdk.JavaMonitorEnter")
    if locks:
        lc = collections.Counter(next((fr for fr in l["frames"] if fr.startswith(APP_PREFIXES)), l["frames"][0] if l["frames"] else "?") for l in locks)
        table("Monitor contention (jdk.JavaMonitorEnter > threshold)", lc, len(locks), 15)
    parks = parse(path, "jdk.ThreadPark")
    if parks:
        pc = collections.Counter(l["frames"][2] if len(l["frames"]) > 2 else "?" for l in parks)
        table("Thread parks (jdk.ThreadPark > threshold)", pc, len(parks), 10)


if __name__ == "__main__":
    main()
