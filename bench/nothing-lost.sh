#!/usr/bin/env bash
# KEEP=1 keeps the work folder (runner logs, answers) for a look afterwards.
# The nothing-lost yardstick, on the runner jar as users start it:
#   1. fresh starts: the seed's upload (bw,blur) sent the moment /actuator/health first says UP, STARTS times;
#   2. crash: JOBS uploads (12 MP, blur,bw, Prefer: respond-async), the runner killed with kill -9 mid-run, restarted
#      on the same --data; every job followed to its end, and no redis-server left over afterwards;
#   3. memory: LOAD uploads of a 12 MP photo with blur,bw, PARALLEL at a time, the runner in a HEAP heap; every
#      202 followed to its end; 5xx, OutOfMemoryError and the runner's peak RSS reported.
# Prints one summary line per part ("nothing-lost <part> ...") and exits non-zero if any part fell short.
#
#   bench/nothing-lost.sh                      # STARTS=5 JOBS=30 LOAD=60 PARALLEL=20 HEAP=384m
set -euo pipefail
cd "$(dirname "$0")/.."
STARTS=${STARTS:-5} JOBS=${JOBS:-30} LOAD=${LOAD:-60} PARALLEL=${PARALLEL:-20} HEAP=${HEAP:-384m}
PORT=${PORT:-18380} S3_PORT=${S3_PORT:-19380}
WORK=$(mktemp -d)
JAR=functions/local/target/imageflow-local.jar
runner=
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  [[ -n $runner ]] && kill -9 "$runner" 2>/dev/null
  if [[ -n ${KEEP:-} ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
ok=0

[[ -s $JAR ]] || ./mvnw -q -B -ntp -pl functions/local -am package -DskipTests
java bench/NoisyPhoto.java "$WORK/12mp.jpg" 4000 3000
java bench/NoisyPhoto.java "$WORK/2mp.jpg" 1800 1200

start_runner() { # data-dir log [java options...]
  local data=$1 log=$2
  shift 2
  java "$@" -jar "$JAR" --port="$PORT" --s3-port="$S3_PORT" --data="$data" >>"$log" 2>&1 &
  runner=$!
}
await_up() {
  until curl -fs "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$runner" 2>/dev/null || { echo "runner died"; return 1; }
    sleep 0.02
  done
}
stop_runner() { kill "$runner" 2>/dev/null; wait "$runner" 2>/dev/null || true; runner=; }
# The watchdog shell names the data folder; redis-server itself retitles its process, so it is found by its pid file.
redis_left() {
  local n
  n=$(pgrep -f "redis-server.*$1" | wc -l || true)
  if [[ -s $1/redis/redis.pid ]] && kill -0 "$(cat "$1/redis/redis.pid")" 2>/dev/null; then n=$((n + 1)); fi
  echo "$n"
}
# Follows a job to its end; prints its final status.
follow() {
  local id=$1 deadline=$((SECONDS + ${2:-300})) status
  while ((SECONDS < deadline)); do
    status=$(curl -s "http://127.0.0.1:$PORT/jobs/$id" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' || true)
    [[ $status == "done" || $status == "failed" ]] && { echo "$status"; return; }
    sleep 0.5
  done
  echo "${status:-unknown}"
}

echo "== 1. $STARTS fresh starts, the seed's upload at the first healthy moment"
done_starts=0
for i in $(seq "$STARTS"); do
  data=$WORK/start-$i
  started=$(date +%s%N)
  start_runner "$data" "$WORK/start-$i.log"
  await_up
  up_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  answer=$(curl -s -w ' %{http_code}' -F "file=@$WORK/2mp.jpg" -F effects=bw,blur "http://127.0.0.1:$PORT/upload")
  code=${answer##* }
  status=$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$answer")
  echo "start $i: healthy after ${up_ms} ms; upload answered $code $status"
  [[ $code == 200 && $status == "done" ]] && done_starts=$((done_starts + 1))
  stop_runner
done
echo "nothing-lost fresh-starts done=$done_starts/$STARTS"
((done_starts == STARTS)) || ok=1

echo "== 2. $JOBS jobs accepted, kill -9, restart on the same --data"
data=$WORK/crash
start_runner "$data" "$WORK/crash.log"
await_up
seq "$JOBS" | xargs -P 10 -I{} sh -c "curl -s -H 'Prefer: respond-async' -F 'file=@$WORK/12mp.jpg' \
  -F effects=blur,bw 'http://127.0.0.1:$PORT/upload' > '$WORK/crash-{}.json'"
mapfile -t ids < <(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$WORK"/crash-*.json)
echo "${#ids[@]} of $JOBS uploads accepted"
before=$(curl -fs "http://127.0.0.1:$PORT/jobs?limit=100" | grep -o '"status":"done"' | wc -l || true)
kill -9 "$runner"; wait "$runner" 2>/dev/null || true; runner=
sleep 1
echo "killed with ${before} of $JOBS done; redis-server processes left on that data right after: $(redis_left "$data")"
restarted=$SECONDS
start_runner "$data" "$WORK/crash.log"
await_up
crash_done=0
for id in "${ids[@]}"; do
  [[ $(follow "$id" 240) == "done" ]] && crash_done=$((crash_done + 1))
done
crash_s=$((SECONDS - restarted))
stop_runner
sleep 1
left=$(redis_left "$data")
echo "nothing-lost crash jobs=$JOBS done=$crash_done seconds-after-restart=$crash_s processes-left=$left"
((${#ids[@]} == JOBS && crash_done == JOBS && crash_s <= 240 && left == 0)) || ok=1

echo "== 3. $LOAD uploads of 12 MP with blur,bw, $PARALLEL at a time, -Xmx$HEAP"
data=$WORK/load
start_runner "$data" "$WORK/load.log" "-Xmx$HEAP" -XX:+ExitOnOutOfMemoryError
await_up
pid=$runner
load_started=$SECONDS
seq "$LOAD" | xargs -P "$PARALLEL" -I{} sh -c "curl -s -o '$WORK/load-{}.json' -w '%{http_code}' --max-time 300 \
  -F 'file=@$WORK/12mp.jpg' -F effects=blur,bw 'http://127.0.0.1:$PORT/upload' > '$WORK/load-{}.code'" || true
load_done=0; fivexx=0
for i in $(seq "$LOAD"); do
  code=$(cat "$WORK/load-$i.code")
  [[ $code == 5* || $code == 000 ]] && fivexx=$((fivexx + 1))
  id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$WORK/load-$i.json")
  [[ -n $id && $(follow "$id" 300) == "done" ]] && load_done=$((load_done + 1))
done
load_s=$((SECONDS - load_started))
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
oom=$(grep -c OutOfMemoryError "$WORK/load.log" || true)
alive=$(kill -0 "$pid" 2>/dev/null && echo yes || echo no)
stop_runner
echo "nothing-lost load uploads=$LOAD done=$load_done http-5xx=$fivexx oom=$oom runner-alive=$alive seconds=$load_s peak-rss-mb=$((peak_kb / 1024)) heap=$HEAP"
((load_done == LOAD && fivexx == 0 && oom == 0)) || ok=1
exit $ok
