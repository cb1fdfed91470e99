#!/usr/bin/env bash
# Seed 000's load test with real work: N uploads at once (default 20; CONCURRENCY=C sends them C at a time), each
# with EFFECTS (default blur), against a gateway URL, following every job to its end: an upload that answers 202
# (the job outlived the gateway's wait-timeout) is polled at GET /jobs/<id> until it is done or failed. Prints,
# for every upload, its status, its time and the pod that processed each step; then the wall time (first upload
# sent to last job ended), p50/p95 and what each pod did. Exits non-zero unless every job ended done.
#
#   infra/demo/load-test.sh http://localhost:8080 20
#   infra/demo/load-test.sh http://gateway.imageflow.127.0.0.1.sslip.io:8080 20
#   PHOTO=my.jpg EFFECTS=bw,blur infra/demo/load-test.sh URL 40
#
# RESULT=file.json also writes the summary as JSON (infra/demo/scaling-experiment.sh compares runs with it);
# JOB_TIMEOUT=seconds (default 600) bounds how long one job is followed. TOKEN=... sends it as the bearer token a
# guarded gateway wants (README, "A guarded public route"); its rate limit still counts every upload from here.
set -euo pipefail
URL=${1:?usage: load-test.sh GATEWAY_URL [N]}
N=${2:-20}
EFFECTS=${EFFECTS:-blur}
CONCURRENCY=${CONCURRENCY:-$N}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PHOTO=${PHOTO:-}
if [[ -z $PHOTO ]]; then
  PHOTO=$WORK/photo.jpg
  java "$HERE/../images/TestPhoto.java" "$PHOTO"
fi

echo "$N uploads of $(basename "$PHOTO") with effects=$EFFECTS to $URL, $CONCURRENCY at a time"
python3 - "$URL" "$N" "$CONCURRENCY" "$PHOTO" "$EFFECTS" "$WORK" "${RESULT:-}" "${JOB_TIMEOUT:-600}" <<'PY'
import json, os, signal, subprocess, sys, time, urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

# Ctrl-C ends this at once, as a signal (not a traceback from a waiting thread), so the calling script's trap runs.
signal.signal(signal.SIGINT, signal.SIG_DFL)

url, n, concurrency, photo, effects, work, result, job_timeout = sys.argv[1:]
# TOKEN from the environment and the header from a file (curl -H @file): neither in a command line for ps to show.
token, auth = os.environ.get("TOKEN", ""), []
if token:
    with open(os.path.join(work, "auth.header"), "w") as header:
        header.write(f"Authorization: Bearer {token}\n")
    auth = ["-H", "@" + header.name]
n, concurrency, job_timeout = int(n), int(concurrency), float(job_timeout)
url = url.rstrip("/")

def get_job(path):
    with urllib.request.urlopen(url + path, timeout=30) as answer:
        return json.load(answer)

def one(i):
    body, headers = os.path.join(work, f"{i}.json"), os.path.join(work, f"{i}.headers")
    started = time.monotonic()
    # curl for the upload, as seed 000 did: it writes the multipart body the way browsers and users' scripts do.
    code = subprocess.run(["curl", "-s", "-o", body, "-D", headers, "-w", "%{http_code}", "--max-time", "300",
                           *auth, "-F", f"file=@{photo}", "-F", f"effects={effects}", f"{url}/upload"],
                          capture_output=True, text=True).stdout.strip() or "000"
    try:
        job = json.load(open(body))
    except (OSError, ValueError):
        job = {}
    polled = code == "202"
    if polled:
        location = job.get("job_url") or next((line.split(":", 1)[1].strip() for line in open(headers)
                                               if line.lower().startswith("location:")), None)
        deadline = started + job_timeout
        while location and job.get("status") not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.25)
            try:
                job = get_job(location)
            except OSError as e:  # a gateway pod restarting or a port-forward hiccup: keep following the job
                job = dict(job, error=f"polling {location}: {e}")
    return {"i": i, "code": code, "polled": polled, "seconds": time.monotonic() - started, "job": job,
            "ended": time.monotonic()}

start = time.monotonic()
with ThreadPoolExecutor(concurrency) as pool:
    runs = list(pool.map(one, range(1, n + 1)))
wall = max(r["ended"] for r in runs) - start

steps, busy, done = defaultdict(int), defaultdict(float), 0
for r in runs:
    job = r["job"]
    for s in job.get("steps", []):
        steps[s["pod"]] += 1
        busy[s["pod"]] += s["ms"] / 1000
    done += job.get("status") == "done"
    trail = "  ".join(f"{s['effect']}@{s['pod']} {s['ms']}ms" for s in job.get("steps", [])) or job.get("error", "")
    how = f"HTTP {r['code']}" + (" then polled" if r["polled"] else "")
    print(f"#{r['i']:<3} {how:20} {r['seconds']:6.2f}s  {job.get('status', '-'):7} {trail}")
times = sorted(r["seconds"] for r in runs)
pct = lambda p: times[min(len(times) - 1, int(round(p / 100 * len(times) + 0.5)) - 1)]
polled = sum(r["polled"] for r in runs)
print(f"\nwall time {wall:.2f}s   p50 {pct(50):.2f}s   p95 {pct(95):.2f}s   done {done}/{n}   polled after 202: {polled}")
# Step time over wall time is how many steps that pod had in flight on average: the one-machine runner is one
# "pod" per function, so this is where its --concurrency shows.
print(f"{'pod':52} {'steps':>5} {'step time':>10} {'in flight':>10}")
for pod in sorted(steps, key=lambda p: (-steps[p], p)):
    print(f"{pod:52} {steps[pod]:5} {busy[pod]:9.1f}s {busy[pod] / wall:10.1f}")
if result:
    with open(result, "w") as out:
        json.dump({"n": n, "done": done, "polled": polled, "wall": wall, "p50": pct(50), "p95": pct(95),
                   "pods": {p: {"steps": steps[p], "busy": busy[p]} for p in steps}}, out)
sys.exit(0 if done == n else 1)
PY
