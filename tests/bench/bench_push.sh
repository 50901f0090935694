#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Single-sample durable pushes to `cachewise --headless` next to nginx answering `return 204`, both driven
# by the same wrk run (Debian's wrk, POST with the same body, keep-alive connections) on loopback, taking
# turns in this run. Afterwards the stored samples are counted: every 200 is a sample on disk.
# Prints numbers; never fails on them. Needs wrk and nginx-light (setup-debian.sh bench installs them).
#   tests/bench/bench_push.sh [BUILD_DIR=build/ci] [CONNECTIONS=32] [SECONDS=10] [ROUNDS=3]
set -euo pipefail
build="${1:-build/ci}"
connections="${2:-32}"
seconds="${3:-10}"
rounds="${4:-3}"
app="$build/app/cachewise"
cli="$build/app/cachewise-cli"
for tool in wrk nginx; do
    command -v "$tool" >/dev/null || { echo "bench_push: $tool is missing (setup-debian.sh bench installs it)" >&2; exit 2; }
done

work="$(mktemp -d)"
app_pid=""
nginx_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# CacheWise, with its own data folder and no rate limit.
"$cli" --data-dir "$work/data" config set ingest.rateLimitPerSecond 0 >/dev/null 2>&1
created="$("$cli" --data-dir "$work/data" --json project create --name bench 2>/dev/null)"
project="$(printf '%s' "$created" | grep -o '"id": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')"
key="$(printf '%s' "$created" | grep -o '"apiKey": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')"
"$app" --headless --data-dir "$work/data" --listen 127.0.0.1:0 >"$work/app.out" 2>"$work/app.err" &
app_pid=$!
for _ in $(seq 100); do
    grep -q '^listening on' "$work/app.out" && break
    sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/app.out")"
[ -n "$url" ] || { echo "bench_push: the app did not start: $(cat "$work/app.err")" >&2; exit 1; }

cat >"$work/push.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"projectId":"$project","tokensProcessed":1250,"kvCacheSizeKB":480000,"memoryUsageGB":2.7,"inferenceTimeMs":550}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA

# nginx: one worker, a private loopback config, the same request answered 204.
nginx_port=$((20000 + RANDOM % 20000))
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { return 204; }
    }
}
CONF

run_wrk() { # NAME URL
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/push.lua" "$2" >"$work/$1.wrk" 2>&1
}
# CPU time (clock ticks, user + system) of a process's threads, all or those of one name (as in top -H).
cpu_ticks() { # PID [THREAD_NAME]
    local total=0 task ticks
    for task in /proc/"$1"/task/*; do
        [ -z "${2:-}" ] || [ "$(cat "$task/comm" 2>/dev/null)" = "$2" ] || continue
        ticks="$(sed 's/^.*) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}')" || continue
        total=$((total + ${ticks:-0}))
    done
    echo "$total"
}
idle_ticks() { awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
per_request() { # TICKS REQUESTS -> microseconds of CPU a request
    awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "?" }'
}
summary() { # NAME -> "req/s p50 p99 non2xx"
    local f="$work/$1.wrk"
    local rps p50 p99 bad
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$f")"
    p50="$(awk '$1 == "50%" {print $2}' "$f")"
    p99="$(awk '$1 == "99%" {print $2}' "$f")"
    bad="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$f")"
    echo "${rps:-?} ${p50:-?} ${p99:-?} ${bad:-0}"
}

# Both peers run side by side and take turns, ROUNDS times: nginx's figure on two shared cores moves by
# more than half between runs a few seconds apart, so one run of each says little; medians say more.
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null && break
    sleep 0.1
done
worker_pid="$(pgrep -P "$nginx_pid" | head -1 || true)"

median() { sort -g | awk '{v[NR] = $1} END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
app_ticks=0 listener_ticks=0 writer_ticks=0 worker_ticks=0 cw_done=0 ng_done=0 cw_bad=0 ng_bad=0
cw_idle_ticks=0 cw_all_ticks=0 ng_idle_ticks=0 ng_all_ticks=0
: >"$work/cachewise.rounds"
: >"$work/nginx.rounds"
for round in $(seq "$rounds"); do
    a0="$(cpu_ticks "$app_pid")" l0="$(cpu_ticks "$app_pid" cachewise-liste)" w0="$(cpu_ticks "$app_pid" cachewise-write)"
    read -r i0 t0 <<<"$(idle_ticks)"
    run_wrk cachewise "$url/api/metrics"
    read -r i1 t1 <<<"$(idle_ticks)"
    app_ticks=$((app_ticks + $(cpu_ticks "$app_pid") - a0))
    listener_ticks=$((listener_ticks + $(cpu_ticks "$app_pid" cachewise-liste) - l0))
    writer_ticks=$((writer_ticks + $(cpu_ticks "$app_pid" cachewise-write) - w0))
    cw_idle_ticks=$((cw_idle_ticks + i1 - i0)) cw_all_ticks=$((cw_all_ticks + t1 - t0))
    read -r rps p50 p99 bad <<<"$(summary cachewise)"
    echo "$rps $p50 $p99 $bad" >>"$work/cachewise.rounds"
    cw_done=$((cw_done + $(awk '/requests in/ {print $1}' "$work/cachewise.wrk")))
    cw_bad=$((cw_bad + bad))

    n0="$( [ -n "$worker_pid" ] && cpu_ticks "$worker_pid" || echo 0)"
    read -r i0 t0 <<<"$(idle_ticks)"
    run_wrk nginx "http://127.0.0.1:$nginx_port/"
    read -r i1 t1 <<<"$(idle_ticks)"
    worker_ticks=$((worker_ticks + $( [ -n "$worker_pid" ] && cpu_ticks "$worker_pid" || echo 0) - n0))
    ng_idle_ticks=$((ng_idle_ticks + i1 - i0)) ng_all_ticks=$((ng_all_ticks + t1 - t0))
    read -r rps p50 p99 bad <<<"$(summary nginx)"
    echo "$rps $p50 $p99 $bad" >>"$work/nginx.rounds"
    ng_done=$((ng_done + $(awk '/requests in/ {print $1}' "$work/nginx.wrk")))
    ng_bad=$((ng_bad + bad))
done
# The writer's commits over all rounds, from the app's own /metrics: how many requests shared one, how long one took.
metrics="$( {
    exec 3<>"/dev/tcp/127.0.0.1/${url##*:}" &&
        printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 && cat <&3
} 2>/dev/null || true)"
commits="$(awk '/^cachewise_commit_duration_seconds_count/ {print $2}' <<<"$metrics")"
commit_seconds="$(awk '/^cachewise_commit_duration_seconds_sum/ {print $2}' <<<"$metrics")"
kill "$app_pid" && wait "$app_pid" 2>/dev/null || true
app_pid=""
stored="$("$cli" --data-dir "$work/data" --json stats --project "$project" 2>/dev/null | grep -o '"rawSampleCount": *[0-9]*' | grep -o '[0-9]*$')"

echo "single-sample pushes, $connections keep-alive connections, $rounds rounds of ${seconds} s each, taking turns,"
echo "wrk -t2, $(nproc) cores"
printf '%-44s %12s %10s %10s %10s\n' "round" "requests/s" "p50" "p99" "non-2xx"
for round in $(seq "$rounds"); do
    read -r rps p50 p99 bad <<<"$(sed -n "${round}p" "$work/cachewise.rounds")"
    printf '%-44s %12s %10s %10s %10s\n' "$round cachewise (reply after a durable commit)" "$rps" "$p50" "$p99" "$bad"
    read -r nrps p50 p99 bad <<<"$(sed -n "${round}p" "$work/nginx.rounds")"
    printf '%-44s %12s %10s %10s %10s\n' "$round nginx, 1 worker, return 204 (peer)" "$nrps" "$p50" "$p99" "$bad"
    awk -v a="$rps" -v b="$nrps" -v r="$round" 'BEGIN { if (b > 0) printf "%-44s %11.2fx\n", r " ratio", a / b }'
done
cw_median="$(awk '{print $1}' "$work/cachewise.rounds" | median)"
ng_median="$(awk '{print $1}' "$work/nginx.rounds" | median)"
echo "medians: cachewise $cw_median requests/s, nginx $ng_median requests/s, ratio" \
    "$(awk -v a="$cw_median" -v b="$ng_median" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "?" }');" \
    "nginx's rounds ranged $(awk '{print $1}' "$work/nginx.rounds" | sort -g | head -1)" \
    "to $(awk '{print $1}' "$work/nginx.rounds" | sort -g | tail -1)"
echo "CPU a request (user + system, from /proc): cachewise $(per_request "$app_ticks" "$cw_done") µs (listener" \
    "$(per_request "$listener_ticks" "$cw_done"), writer $(per_request "$writer_ticks" "$cw_done")), nginx's worker" \
    "$(per_request "$worker_ticks" "$ng_done") µs"
percent() { awk -v i="$1" -v a="$2" 'BEGIN { printf "%.0f", (a > 0 ? 100 * i / a : 0) }'; }
echo "the two cores idle or waiting on the disk: $(percent "$cw_idle_ticks" "$cw_all_ticks") % of cachewise's runs," \
    "$(percent "$ng_idle_ticks" "$ng_all_ticks") % of nginx's"
awk -v c="${commits:-0}" -v s="${commit_seconds:-0}" -v n="$cw_done" 'BEGIN { if (c > 0)
    printf "the writer'"'"'s commits: %d, %.1f requests each, %.0f µs from a transaction'"'"'s start to its durable commit\n", c, n / c, s / c * 1e6 }'
echo "answered within the runs: $cw_done requests ($cw_bad not 2xx); stored afterwards: $stored samples (requests"
echo "in flight when wrk stopped are stored too, so stored >= answered means no acknowledged sample was lost)"
