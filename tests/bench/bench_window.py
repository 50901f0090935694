#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop window on a big database: first window, first data, resident memory.

Fills a data folder with SAMPLES samples of PROJECTS projects over the last 29 days (bench_fill, the real
writer), then starts the app on it RUNS times (offscreen, range *Last hour*) and times, from the start of
the process, the window being shown and the dashboard first showing the newest samples, read from the app's
own `cachewise.ui` debug lines; resident memory once the data shows and three seconds later. The peer, in
the same run: the same app on a database with the same projects and no samples (what starting Qt and the
window costs by itself). Prints numbers; never fails on them.

  tests/bench/bench_window.py [--build build/ci] [--samples 5000000] [--projects 4] [--runs 5]
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

LINE = re.compile(r"cachewise\.ui: (window shown|dashboard shows (\d+) projects, KV cache samples up to (\d+))")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start_once(app, data, want_samples):
    """(seconds to window, seconds to data, RSS MiB at data, RSS MiB 3 s later)"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES="cachewise.ui.debug=true")
    started = time.monotonic()
    proc = subprocess.Popen([app, "--data-dir", data, "--listen", "127.0.0.1:0"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env)
    seen = {}
    done = threading.Event()

    def read():
        for line in proc.stderr:
            m = LINE.search(line)
            if not m:
                continue
            now = time.monotonic() - started
            if m.group(1) == "window shown":
                seen.setdefault("window", now)
            elif not want_samples or int(m.group(3)) > 0:
                seen.setdefault("data", now)
                done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not done.wait(30):
        proc.kill()
        sys.exit("bench_window: the dashboard showed no data within 30 s")
    at_data = rss_mib(proc.pid)
    time.sleep(3)
    settled = rss_mib(proc.pid)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    return seen.get("window", float("nan")), seen["data"], at_data, settled


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/ci")
    parser.add_argument("--samples", type=int, default=5_000_000)
    parser.add_argument("--projects", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = os.path.join(args.build, "app", "cachewise")
    fill = os.path.join(args.build, "tests", "bench", "bench_fill")

    with tempfile.TemporaryDirectory(prefix="cachewise-window-") as work:
        big, empty = os.path.join(work, "big"), os.path.join(work, "empty")
        print(subprocess.run([fill, big, str(args.samples), str(args.projects)], check=True, text=True,
                             capture_output=True).stdout.strip())
        subprocess.run([fill, empty, "0", str(args.projects), "1"], check=True, capture_output=True)
        size = sum(os.path.getsize(os.path.join(big, f)) for f in os.listdir(big) if f.startswith("cachewise.sqlite"))
        print(f"database {size / 2**20:.0f} MiB; {args.runs} starts each, offscreen, {os.cpu_count()} cores")
        rows = {}
        for label, data, want in (("5 M", big, True), ("peer", empty, False)):
            rows[label] = [start_once(app, data, want) for _ in range(args.runs)]

    def column(label, i, fn):
        return fn([r[i] for r in rows[label]])

    print(f"{'':44} {'window s':>9} {'data s':>9} {'RSS at data':>12} {'RSS +3 s':>9}")
    for label, name in (("5 M", f"{args.samples:,} samples, {args.projects} projects (median)"),
                        ("peer", f"peer: {args.projects} projects, no samples (median)")):
        print(f"{name:44} {column(label, 0, statistics.median):>9.3f} {column(label, 1, statistics.median):>9.3f} "
              f"{column(label, 2, statistics.median):>10.1f} M {column(label, 3, statistics.median):>7.1f} M")
    print(f"{'5 M, slowest of the runs':44} {column('5 M', 0, max):>9.3f} {column('5 M', 1, max):>9.3f} "
          f"{column('5 M', 2, max):>10.1f} M {column('5 M', 3, max):>7.1f} M")


if __name__ == "__main__":
    main()
