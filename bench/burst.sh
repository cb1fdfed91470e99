#!/usr/bin/env bash
# Seed 000's experiment with real work, on one machine: 20 uploads of the 2 MP photo with blur, all at once,
# against the local stack with 1 and then 2 blur deliveries at a time (what containerConcurrency x pods is on
# Knative). Prints each run's wall time, p50/p95 and done count.
#
#   bench/burst.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
[[ -s bench/photos/photo-2mp.jpg ]] || { echo "run bench/run.sh first (it makes bench/photos)"; exit 1; }
[[ -s functions/local/target/imageflow-local.jar ]] || ./mvnw -q -B -ntp install -DskipTests
for concurrency in 1 2; do
  data=$(mktemp -d)
  java -jar functions/local/target/imageflow-local.jar --port=18580 --data="$data" --concurrency=$concurrency \
    >"$data/runner.log" 2>&1 &
  runner=$!
  for _ in $(seq 120); do curl -fs http://127.0.0.1:18580/actuator/health >/dev/null 2>&1 && break; sleep 0.5; done
  # One upload first, so the JIT has seen the code path, as a warm Knative pod would have.
  curl -fs -F file=@bench/photos/photo-2mp.jpg -F effects=blur http://127.0.0.1:18580/upload >/dev/null
  echo "== concurrency $concurrency"
  PHOTO=bench/photos/photo-2mp.jpg EFFECTS=blur infra/demo/load-test.sh http://127.0.0.1:18580 "$N" | tail -4
  kill $runner; wait $runner 2>/dev/null || true
  rm -rf "$data"
done
