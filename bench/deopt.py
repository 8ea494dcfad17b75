#!/usr/bin/env python3
"""Summarises bench/deopt.sh's compilation log: per 15 s window since the JVM started, C2 compilations,
C2 code made not entrant and uncommon traps, with when the IdP key probe fetched and /q/metrics was
scraped. Standard library only. usage: deopt.py OUT_DIR"""
import collections
import datetime
import os
import re
import sys

out = sys.argv[1]
log = open(os.path.join(out, "compilation.log"), errors="replace").read()
start = int(re.search(r"time_ms='(\d+)'", log).group(1)) / 1000.0
WINDOW = 15


def c2(compiler, level):
    return compiler == "c2" or level == "4"


compiled, dropped, traps = collections.Counter(), collections.Counter(), collections.Counter()
for _, compiler, level, stamp in re.findall(
        r"<nmethod compile_id='(\d+)'(?: compile_kind='\w+')? compiler='(\w+)' (?:level='(\d)' )?.*?stamp='([\d.]+)'", log):
    if c2(compiler, level):
        compiled[int(float(stamp) // WINDOW)] += 1
for _, compiler, level, stamp in re.findall(
        r"<make_not_entrant thread='\d+' compile_id='(\d+)' (?:compile_kind='\w+' )?compiler='(\w+)' (?:level='(\d)' )?.*?stamp='([\d.]+)'", log):
    if c2(compiler, level):
        dropped[int(float(stamp) // WINDOW)] += 1
for stamp in re.findall(r"<uncommon_trap thread='\d+' reason='\w+' action='\w+'[^>]*?stamp='([\d.]+)'", log):
    traps[int(float(stamp) // WINDOW)] += 1


def seconds_since_start(path, pattern, parse):
    found = set()
    if os.path.exists(path):
        for line in open(path):
            m = re.search(pattern, line)
            if m:
                found.add(int(parse(m.group(1)) - start))
    return sorted(found)


probe = seconds_since_start(os.path.join(out, "logs", "idp-access.log"), r"\[([^\]]+)\].*gatehouse-idp-probe",
                            lambda s: datetime.datetime.strptime(s.split()[0], "%d/%b/%Y:%H:%M:%S")
                            .replace(tzinfo=datetime.timezone.utc).timestamp())
scrapes = seconds_since_start(os.path.join(out, "scrapes"), r"^(\d+)", float)
polls = seconds_since_start(os.path.join(out, "admin-polls"), r"^(\d+)", float)
print("IdP key probe fetched at (s since JVM start): %s" % probe)
if scrapes:
    print("/q/metrics scraped at (s): %s" % scrapes)
if polls:
    codes = sorted(set(line.split()[2] for line in open(os.path.join(out, "admin-polls"))))
    print("admin API polled from %d s to %d s (%d times; statuses %s)" % (polls[0], polls[-1], len(polls), codes))
print("| window (s) | C2 compilations | C2 code made not entrant | uncommon traps | probe fetch in window | admin polls in window |")
print("| --- | --- | --- | --- | --- | --- |")
for k in sorted(set(compiled) | set(dropped) | set(traps)):
    hit = any(k * WINDOW <= p < (k + 1) * WINDOW for p in probe)
    n = sum(1 for p in polls if k * WINDOW <= p < (k + 1) * WINDOW)
    print("| %d-%d | %d | %d | %d | %s | %s |" % (k * WINDOW, (k + 1) * WINDOW, compiled[k], dropped[k], traps[k],
                                                "yes" if hit else "", n or ""))
late = lambda c: sum(v for k, v in c.items() if k * WINDOW >= 60)
print("After the first minute: %d C2 compilations, %d C2 code made not entrant, %d uncommon traps"
      % (late(compiled), late(dropped), late(traps)))
