#!/usr/bin/env python3
"""CPU per thread group of a JVM between two snapshots of /proc/PID/task/*/stat.

  thread-cpu.py snap PID FILE        writes "tid<TAB>name<TAB>ticks" per thread to FILE
  thread-cpu.py diff PID FILE N      prints, per group, the CPU since FILE and us per operation (N ops)

Groups by thread name: event loop (vert.x-eventloop), JIT (C1/C2 CompilerThread), GC (GC, G1,
VM Thread: the Serial collector runs on the VM thread), other. Threads that started after the first
snapshot count from zero; threads that ended are lost (their ticks stay in the process total).
"""
import os
import sys

TCK = os.sysconf("SC_CLK_TCK")


def snapshot(pid):
    out = {}
    base = "/proc/%s/task" % pid
    for tid in os.listdir(base):
        try:
            with open("%s/%s/stat" % (base, tid)) as f:
                s = f.read()
            with open("%s/%s/comm" % (base, tid)) as f:
                name = f.read().strip()
        except OSError:
            continue
        fields = s[s.rindex(")") + 2:].split()
        out[tid] = (name, int(fields[11]) + int(fields[12]))  # utime + stime
    return out


def group(name):
    if name.startswith("vert.x-eventloo"):
        return "event loop"
    if "Compiler" in name or name.startswith("C1 ") or name.startswith("C2 "):
        return "JIT"
    if "GC" in name or name.startswith("G1") or name == "VM Thread":
        return "GC / VM thread"
    return "other"


def main():
    cmd, pid, path = sys.argv[1:4]
    if cmd == "snap":
        with open(path, "w") as f:
            for tid, (name, t) in snapshot(pid).items():
                f.write("%s\t%s\t%d\n" % (tid, name, t))
        return
    ops = max(1, int(sys.argv[4]))
    before = {}
    with open(path) as f:
        for line in f:
            tid, name, t = line.rstrip("\n").split("\t")
            before[tid] = int(t)
    groups, names = {}, {}
    for tid, (name, t) in snapshot(pid).items():
        d = t - before.get(tid, 0)
        groups[group(name)] = groups.get(group(name), 0) + d
        names[name] = names.get(name, 0) + d
    total = sum(groups.values())
    print("| threads | CPU s | us per op | share |")
    print("| --- | --- | --- | --- |")
    for g in ("event loop", "JIT", "GC / VM thread", "other"):
        d = groups.get(g, 0)
        print("| %s | %.2f | %.1f | %.0f%% |" % (g, d / TCK, d / TCK * 1e6 / ops, 100.0 * d / max(1, total)))
    print()
    print("busiest threads: " + ", ".join("%s %.2f s" % (n, d / TCK)
                                          for n, d in sorted(names.items(), key=lambda x: -x[1])[:8] if d > 0))


if __name__ == "__main__":
    main()
