#!/usr/bin/env python3
"""What kept Gatehouse's event loop from its core: from a `perf sched` recording of the proxy's core.

  perf sched record -k CLOCK_MONOTONIC -C 0 -o perf.data -- sleep 30    (during the run; root)
  perf sched timehist --state -i perf.data > timehist.txt
  sched-attrib.py timehist.txt PID [GAPS_FILE]

GAPS_FILE (bench/lua/gaps.lua's log, same clock): each pause in response completions of 2 ms or more is
also put down to what had the core for most of it (a thread of the JVM by name, other processes, or
nobody: the core idle, i.e. the pause was not on this core).

Prints, for the JVM of PID: how often and how long its event loop waited while runnable (preempted,
or woken and not yet running), which threads ran on the core during those waits (its own by name,
other processes together), and every thread's CPU on the core in slices. Used by bench/tail.sh.
"""
import bisect
import collections
import re
import sys

LINE = re.compile(r'^\s*([\d.]+)\s+\[(\d+)\]\s+(.+?)\[(\d+)(?:/(\d+))?\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\S+)')
NAMED = ('vert.x-eventloo', 'C2 CompilerThre', 'C1 CompilerThre', 'VM Thread', 'gatehouse-decis',
         'gatehouse-nativ', 'VM Periodic Tas')
BUCKETS = ((0.5e-3, '<0.5ms'), (1e-3, '0.5-1ms'), (2e-3, '1-2ms'), (4e-3, '2-4ms'), (8e-3, '4-8ms'), (1e9, '>=8ms'))


def main(path, pid, gaps=None, t0=0.0, t1=1e18):
    runs = []  # (start, end, name, pid, state at switch-out, scheduling delay)
    for line in open(path):
        m = LINE.match(line)
        if not m:
            continue
        end = float(m.group(1))
        run = float(m.group(8)) / 1000
        runs.append((end - run, end, m.group(3).strip(), m.group(5) or m.group(4), m.group(9), float(m.group(7)) / 1000))
    runs.sort()

    def group(name, p):
        if p != pid:
            return 'other processes'
        for k in NAMED:
            if name.startswith(k):
                return k
        return 'other thread: ' + name

    def is_loop(r):
        return r[3] == pid and r[2].startswith('vert.x-eventloo')

    loop = [r for r in runs if is_loop(r)]
    waits = []
    for a, b in zip(loop, loop[1:]):
        if a[4] == 'R':  # preempted: runnable from its switch-out to its next run
            waits.append((a[1], b[0]))
        elif b[5] > 0:  # woken, then waited for the core
            waits.append((b[0] - b[5], b[0]))
    waits = [w for w in waits if w[0] >= t0 and w[1] <= t1]
    starts = [r[0] for r in runs]
    charged, longest, lengths = collections.Counter(), collections.Counter(), collections.Counter()
    for ws, we in waits:
        lengths[next(label for limit, label in BUCKETS if we - ws < limit)] += 1
        i = max(0, bisect.bisect_left(starts, ws - 0.1))
        while i < len(runs) and runs[i][0] < we:
            s, e = max(runs[i][0], ws), min(runs[i][1], we)
            if e > s and not is_loop(runs[i]):
                g = group(runs[i][2], runs[i][3])
                charged[g] += e - s
                longest[g] = max(longest[g], e - s)
            i += 1
    inside = [r for r in runs if t0 <= r[0] and r[1] <= t1]
    span = (inside[-1][1] - inside[0][0]) if inside else 0
    print('window %.1f s; event loop: %d runs, %.0f ms CPU; %d waits while runnable, %.0f ms in all'
          % (span, sum(1 for r in inside if is_loop(r)), 1000 * sum(r[1] - r[0] for r in inside if is_loop(r)),
             len(waits), 1000 * sum(w[1] - w[0] for w in waits)))
    print('waits by length: ' + ', '.join('%s %d' % (label, lengths[label]) for _, label in BUCKETS))
    print('who ran while the event loop waited:')
    for g, v in charged.most_common():
        print('  %-36s %9.1f ms  (longest slice %.2f ms)' % (g, 1000 * v, 1000 * longest[g]))
    cpu, count, top = collections.Counter(), collections.Counter(), collections.Counter()
    for r in inside:
        if r[3] == pid:
            g = group(r[2], r[3])
            cpu[g] += r[1] - r[0]
            count[g] += 1
            top[g] = max(top[g], r[1] - r[0])
    if gaps:
        pauses(runs, starts, group, gaps)
    print("the JVM's threads on the core:")
    for g, v in cpu.most_common():
        print('  %-36s %9.1f ms in %6d slices (longest %.2f ms)' % (g, 1000 * v, count[g], 1000 * top[g]))


def pauses(runs, starts, group, path, least=2.0):
    """Each pause in response completions of `least` ms or more, by what had the core most of it."""
    most, inside, n = collections.Counter(), collections.Counter(), 0
    for line in open(path):
        last, pause, _ = line.split()
        if float(pause) < least:
            continue
        s = float(last) / 1000
        e = s + float(pause) / 1000
        share = collections.Counter()
        i = max(0, bisect.bisect_left(starts, s - 0.1))
        while i < len(runs) and runs[i][0] < e:
            a, b = max(runs[i][0], s), min(runs[i][1], e)
            if b > a:
                share[group(runs[i][2], runs[i][3])] += b - a
            i += 1
        idle = (e - s) - sum(share.values())
        if idle > 0:
            share['core idle'] += idle
        most[share.most_common(1)[0][0]] += 1
        inside.update(share)
        n += 1
    print('pauses in response completions of %.0f ms or more: %d; by what had the core for most of each:' % (least, n))
    for g, v in most.most_common():
        print('  %-36s %6d pauses  (%.0f ms of core time inside all such pauses)' % (g, v, 1000 * inside[g]))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
