#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Soak: a steady push load on `cachewise --headless` for a long time, watching what must stay flat.

Pushes RATE samples a second (batches of BATCH over CONNECTIONS keep-alive connections, each request
waiting for its durable reply) for SECONDS. Every MINUTE it prints the process's resident memory, open
file descriptors, the requests and samples acknowledged so far and the replies' p50/p99. At the end it
stops the app with SIGTERM and counts the stored samples: every acknowledged sample must be there.
Prints numbers and exits 1 only when an acknowledged sample is missing or a request failed.

  tests/bench/bench_soak.py [--build build/ci] [--rate 5000] [--seconds 3600] [--batch 50]
"""
import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def open_files(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


class Pusher(threading.Thread):
    """One keep-alive connection sending its share of the rate, paced by the clock, not by replies."""

    def __init__(self, host, port, key, body, samples_per_request, interval, deadline, totals):
        super().__init__(daemon=True)
        self.host, self.port = host, port
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
        self.body = body
        self.samples = samples_per_request
        self.interval = interval
        self.deadline = deadline
        self.totals = totals

    def run(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        next_at = time.monotonic()
        while next_at < self.deadline:
            now = time.monotonic()
            if next_at > now:
                time.sleep(next_at - now)
            started = time.monotonic()
            try:
                conn.request("POST", "/api/metrics", self.body, self.headers)
                reply = conn.getresponse()
                reply.read()
                status = reply.status
            except (OSError, http.client.HTTPException) as error:
                status = f"{type(error).__name__}"
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            elapsed_ms = (time.monotonic() - started) * 1000
            with self.totals["lock"]:
                if status == 200:
                    self.totals["requests"] += 1
                    self.totals["samples"] += self.samples
                    self.totals["latencies"].append(elapsed_ms)
                else:
                    self.totals["failed"][str(status)] = self.totals["failed"].get(str(status), 0) + 1
            next_at += self.interval
            # Behind by more than a second (a stall): keep the pace from now instead of bursting.
            if time.monotonic() - next_at > 1.0:
                next_at = time.monotonic()
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build/ci")
    parser.add_argument("--rate", type=int, default=5000, help="samples a second")
    parser.add_argument("--seconds", type=int, default=3600)
    parser.add_argument("--batch", type=int, default=50, help="samples a request")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--minute", type=int, default=60, help="seconds between reports")
    args = parser.parse_args()

    app = os.path.join(args.build, "app", "cachewise")
    cli = os.path.join(args.build, "app", "cachewise-cli")
    work = tempfile.mkdtemp(prefix="cachewise-soak-")
    data = os.path.join(work, "data")
    subprocess.run([cli, "--data-dir", data, "config", "set", "ingest.rateLimitPerSecond", "0"],
                   check=True, capture_output=True)
    created = json.loads(subprocess.run([cli, "--data-dir", data, "--json", "project", "create", "--name", "soak"],
                                        check=True, capture_output=True, text=True).stdout)
    project, key = created["id"], created["apiKey"]

    out = open(os.path.join(work, "app.out"), "w+")
    err = open(os.path.join(work, "app.err"), "w+")
    proc = subprocess.Popen([app, "--headless", "--data-dir", data, "--listen", "127.0.0.1:0"], stdout=out,
                            stderr=err)
    url = None
    for _ in range(100):
        out.seek(0)
        m = re.search(r"^listening on http://([0-9.]+):(\d+)", out.read(), re.M)
        if m:
            url = (m.group(1), int(m.group(2)))
            break
        time.sleep(0.1)
    if not url:
        proc.kill()
        err.seek(0)
        sys.exit(f"bench_soak: the app did not start: {err.read()}")

    sample = {"projectId": project, "tokensProcessed": 1250, "kvCacheSizeKB": 480000, "memoryUsageGB": 2.7,
              "inferenceTimeMs": 550, "kvCacheUsageRatio": 0.42}
    body = json.dumps([sample] * args.batch)
    requests_per_second = args.rate / args.batch
    interval = args.connections / requests_per_second
    totals = {"lock": threading.Lock(), "requests": 0, "samples": 0, "latencies": [], "failed": {}}
    start = time.monotonic()
    deadline = start + args.seconds
    pushers = [Pusher(url[0], url[1], key, body, args.batch, interval, deadline, totals)
               for _ in range(args.connections)]
    for i, p in enumerate(pushers):
        time.sleep(interval / args.connections if i else 0)
        p.start()

    print(f"soak: {args.rate} samples/s in batches of {args.batch} over {args.connections} connections for "
          f"{args.seconds} s, {os.cpu_count()} cores; app pid {proc.pid}", flush=True)
    print(f"{'min':>6} {'RSS MiB':>8} {'open fds':>8} {'samples acked':>14} {'samples/s':>10} "
          f"{'p50 ms':>7} {'p99 ms':>7} {'failed':>7}", flush=True)
    rows = []
    last_samples, last_time = 0, start
    while any(p.is_alive() for p in pushers):
        time.sleep(min(args.minute, max(0.0, deadline - time.monotonic()) + 0.5))
        now = time.monotonic()
        with totals["lock"]:
            samples = totals["samples"]
            latencies, totals["latencies"] = totals["latencies"], []
            failed = sum(totals["failed"].values())
        row = ((now - start) / 60, rss_kib(proc.pid) / 1024, open_files(proc.pid), samples,
               (samples - last_samples) / (now - last_time), percentile(latencies, 0.5),
               percentile(latencies, 0.99), failed)
        rows.append(row)
        print(f"{row[0]:>6.1f} {row[1]:>8.1f} {row[2]:>8} {row[3]:>14} {row[4]:>10.0f} {row[5]:>7.1f} "
              f"{row[6]:>7.1f} {row[7]:>7}", flush=True)
        last_samples, last_time = samples, now

    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    stats = json.loads(subprocess.run([cli, "--data-dir", data, "--json", "stats", "--project", project],
                                      check=True, capture_output=True, text=True).stdout)
    stored = stats["rawSampleCount"]
    acked = totals["samples"]
    elapsed = time.monotonic() - start
    rss = [r[1] for r in rows]
    fds = [r[2] for r in rows]
    print(f"acknowledged {acked} samples in {totals['requests']} requests ({acked / elapsed:.0f} samples/s); "
          f"stored {stored}; failed requests {totals['failed'] or 0}")
    if rows:
        print(f"RSS MiB first/min/max/last: {rss[0]:.1f}/{min(rss):.1f}/{max(rss):.1f}/{rss[-1]:.1f}; "
              f"open fds first/min/max/last: {fds[0]}/{min(fds)}/{max(fds)}/{fds[-1]}")
    db = os.path.join(data, "cachewise.sqlite")
    if os.path.exists(db) and stored:
        print(f"database {os.path.getsize(db) / 2**20:.0f} MiB, {os.path.getsize(db) / stored:.1f} B a sample")
    subprocess.run(["rm", "-rf", work])
    if stored < acked or totals["failed"]:
        print("soak: FAILED: acknowledged samples missing or requests failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
