#!/usr/bin/env bash
# Seed 000's scaling experiment with real work: N uploads at once (default 20; CONCURRENCY=C sends them C at a
# time), each with EFFECTS (default blur),
# against a gateway URL. Prints, for every request, its status, its time and the pod that processed each step;
# then the wall time, p50/p95 and how many steps each pod did. Exits non-zero unless every job ended done.
#
#   infra/demo/load-test.sh http://localhost:8080 20
#   infra/demo/load-test.sh http://gateway.imageflow.127.0.0.1.sslip.io:8080 20
#   PHOTO=my.jpg EFFECTS=bw,blur infra/demo/load-test.sh URL 40
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
start=$(date +%s.%N)
seq "$N" | xargs -P "$CONCURRENCY" -I{} sh -c \
  "curl -s -o '$WORK/{}.json' -w '%{http_code} %{time_total}' --max-time 300 \
     -F 'file=@$PHOTO' -F 'effects=$EFFECTS' '$URL/upload' > '$WORK/{}.status' || echo '000 0' > '$WORK/{}.status'"
end=$(date +%s.%N)

python3 - "$WORK" "$N" "$start" "$end" <<'PY'
import json, os, sys
from collections import Counter
work, n, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
times, pods, done = [], Counter(), 0
for i in range(1, n + 1):
    code, seconds = open(os.path.join(work, f"{i}.status")).read().split()
    times.append(float(seconds))
    try:
        job = json.load(open(os.path.join(work, f"{i}.json")))
    except (OSError, ValueError):
        job = {}
    steps = job.get("steps", [])
    for s in steps:
        pods[s["pod"]] += 1
    done += job.get("status") == "done"
    trail = "  ".join(f"{s['effect']}@{s['pod']} {s['ms']}ms" for s in steps) or job.get("error", "")
    print(f"#{i:<3} HTTP {code} {float(seconds):6.2f}s  {job.get('status', '-'):7} {trail}")
times.sort()
pct = lambda p: times[min(len(times) - 1, int(round(p / 100 * len(times) + 0.5)) - 1)]
print(f"\nwall time {end - start:.2f}s   p50 {pct(50):.2f}s   p95 {pct(95):.2f}s   done {done}/{n}")
print("steps per pod:")
for pod, count in pods.most_common():
    print(f"  {pod:50} {count}")
sys.exit(0 if done == n else 1)
PY
