#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Push to chart: how long a pushed sample takes to appear on the running app's dashboard chart.

Starts the desktop app (offscreen) on a fresh data folder with one project, then pushes COUNT single
samples, each with its own timestamp, at uneven intervals (0.2 to 0.8 s, as a scraper or an exporter
would). For each, the time from sending the request to the app's `cachewise.ui` debug line saying its KV
chart now draws that sample. The peer, in the same run: the push's own reply, which comes after the
durable commit (what storage alone takes). Prints numbers; never fails on them.

  tests/bench/bench_live.py [--build build/ci] [--count 200]
"""
import argparse
import datetime
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

LINE = re.compile(r"cachewise\.ui: dashboard shows \d+ projects, KV cache samples up to (\d+)")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/ci")
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    app = os.path.join(args.build, "app", "cachewise")
    cli = os.path.join(args.build, "app", "cachewise-cli")

    with tempfile.TemporaryDirectory(prefix="cachewise-live-") as work:
        data = os.path.join(work, "data")
        subprocess.run([cli, "--data-dir", data, "config", "set", "ingest.rateLimitPerSecond", "0"], check=True,
                       capture_output=True)
        created = json.loads(subprocess.run([cli, "--data-dir", data, "--json", "project", "create", "--name",
                                             "live"], check=True, capture_output=True, text=True).stdout)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES="cachewise.ui.debug=true")
        proc = subprocess.Popen([app, "--data-dir", data, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        newest = {"ts": 0}
        waiting = {}  # sample timestamp -> send time
        shown = {}  # sample timestamp -> seconds from send to the chart drawing it
        lock = threading.Lock()

        def read_log():
            for line in proc.stderr:
                m = LINE.search(line)
                if not m:
                    continue
                now = time.monotonic()
                ts = int(m.group(1))
                with lock:
                    newest["ts"] = max(newest["ts"], ts)
                    for sample_ts in [t for t in waiting if t <= ts]:
                        shown[sample_ts] = now - waiting.pop(sample_ts)

        threading.Thread(target=read_log, daemon=True).start()
        url = None
        for _ in range(100):
            line = proc.stdout.readline()
            m = re.match(r"listening on http://([0-9.]+):(\d+)", line)
            if m:
                url = (m.group(1), int(m.group(2)))
                break
        if not url:
            proc.kill()
            sys.exit("bench_live: the app did not start")
        time.sleep(2)  # the window's first reads

        conn = http.client.HTTPConnection(*url, timeout=30)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {created['apiKey']}"}
        replies = []
        last_ts = 0
        for _ in range(args.count):
            time.sleep(random.uniform(0.2, 0.8))
            ts = max(int(time.time() * 1000), last_ts + 1)
            last_ts = ts
            stamp = datetime.datetime.fromtimestamp(ts / 1000, datetime.timezone.utc)
            body = json.dumps({"projectId": created["id"], "timestamp": stamp.strftime("%Y-%m-%dT%H:%M:%S.")
                               + f"{ts % 1000:03d}Z", "tokensProcessed": 1250, "kvCacheSizeKB": 400000 + ts % 1000,
                               "memoryUsageGB": 2.7, "inferenceTimeMs": 550})
            sent = time.monotonic()
            with lock:
                waiting[ts] = sent
            conn.request("POST", "/api/metrics", body, headers)
            reply = conn.getresponse()
            reply.read()
            if reply.status != 200:
                sys.exit(f"bench_live: push answered {reply.status}")
            replies.append(time.monotonic() - sent)
        time.sleep(2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    with lock:
        latencies = [shown[t] * 1000 for t in sorted(shown)]
        missing = len(waiting)
    replies_ms = [r * 1000 for r in replies]
    print(f"{args.count} single-sample pushes at 0.2-0.8 s intervals to the desktop app (offscreen, dashboard, "
          f"range Last hour), {os.cpu_count()} cores")
    print(f"{'':46} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    print(f"{'push to the dashboard chart drawing it':46} {statistics.median(latencies):>8.1f} "
          f"{percentile(latencies, 0.95):>8.1f} {max(latencies):>8.1f}")
    print(f"{'peer: the push reply (after the durable commit)':46} {statistics.median(replies_ms):>8.1f} "
          f"{percentile(replies_ms, 0.95):>8.1f} {max(replies_ms):>8.1f}")
    print(f"samples never drawn: {missing}")


if __name__ == "__main__":
    main()
