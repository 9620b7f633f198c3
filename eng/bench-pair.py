#!/usr/bin/env python3
"""Paired whole-process benchmark of two commands, for eng/bench-check.sh.

Usage: bench-pair.py RUNS -- COMMAND_A... -- COMMAND_B...

Each round runs A then B twice: once started with posix_spawn and reaped with wait4, for wall time (a monotonic
clock around exactly that process) and CPU time (user + system, from wait4); once under GNU time, for peak RSS
(%M). The two are separate because a peak-RSS figure taken from a process this interpreter spawned would start at
the interpreter's own size (the kernel carries the pre-exec memory into ru_maxrss), and GNU time is small. Two
warm-up rounds are discarded. Prints the medians of A and B and the ratios A/B.
"""
import os
import statistics
import sys
import tempfile
import time

DEVNULL = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]


def timed(command):
    start = time.perf_counter_ns()
    pid = os.posix_spawnp(command[0], command, os.environ, file_actions=DEVNULL)
    _, _, usage = os.wait4(pid, 0)
    wall = (time.perf_counter_ns() - start) / 1e6
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def peak_rss_kib(command, report):
    pid = os.posix_spawnp("/usr/bin/time", ["/usr/bin/time", "-o", report, "-f", "%M", *command], os.environ,
                          file_actions=DEVNULL)
    os.waitpid(pid, 0)
    with open(report) as f:
        return int(f.read().split()[-1])


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[2:]
    if rest.count("--") != 2 or rest[0] != "--":
        sys.exit("usage: bench-pair.py RUNS -- COMMAND_A... -- COMMAND_B...")
    split = rest.index("--", 1)
    commands = {"a": rest[1:split], "b": rest[split + 1:]}
    samples = {name: ([], [], []) for name in commands}
    with tempfile.NamedTemporaryFile() as report:
        for round_ in range(runs + 2):
            for name, command in commands.items():
                wall, cpu = timed(command)
                rss = peak_rss_kib(command, report.name)
                if round_ >= 2:
                    for series, value in zip(samples[name], (wall, cpu, rss)):
                        series.append(value)
    medians = {name: [statistics.median(series) for series in samples[name]] for name in commands}
    for name in commands:
        wall, cpu, rss = medians[name]
        print(f"{name}: wall {wall:.1f} ms, cpu {cpu:.1f} ms, peak RSS {rss:.0f} KiB")
    (wa, ca, ra), (wb, cb, rb) = medians["a"], medians["b"]
    print(f"ratio wall {wa / wb:.2f}x, cpu {ca / cb:.2f}x, memory {ra / rb:.2f}x")


if __name__ == "__main__":
    main()
