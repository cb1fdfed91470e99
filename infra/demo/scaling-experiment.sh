#!/usr/bin/env bash
# Seed 000's experiment, for real: 20 concurrent uploads of a 2 MP photo with blur, against exactly 1 and then
# exactly 4 blur replicas, every job followed to its end; prints each run's wall time, the 1-vs-4 comparison and
# which pod processed what. Exits non-zero unless every job of every run ended done.
#
#   infra/demo/scaling-experiment.sh local                 # the one-machine runner: --concurrency=1, then 4
#   infra/demo/scaling-experiment.sh knative [GATEWAY_URL] # the blur Knative Service pinned to 1, then 4 pods,
#                                                          # then autoscaled from zero, pods sampled every second
#
# Settings (environment): N (uploads, default 20); PORT (local gateway port, default 18280); DEMO_DELAY (added to
# every step: local default 1s, knative default none, e.g. 2s as seed 000 slept); NAMESPACE (default imageflow);
# CPU_REQUEST (blur pods' CPU request while pinned, default 700m); READY_TIMEOUT (seconds, default 600).
set -euo pipefail
cd "$(dirname "$0")/../.."
USAGE="usage: scaling-experiment.sh local | knative [GATEWAY_URL]"
MODE=${1:?$USAGE}
[[ $MODE == local || $MODE == knative ]] || { echo "$USAGE"; exit 2; }
N=${N:-20}
WORK=$(mktemp -d)
PHOTO=$WORK/photo-2mp.jpg
cleanup_steps=()
RUNNER=
SAMPLER=
cleanup() {
  local status=$? i
  # Last in, first out: stop the pod sampler before restoring blur, restore blur before deleting its saved state.
  for ((i = ${#cleanup_steps[@]} - 1; i >= 0; i--)); do
    "${cleanup_steps[i]}" || true
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
# Ctrl-C or a kill still goes through cleanup (EXIT), so the Knative Service gets its settings back.
trap 'exit 130' INT
trap 'exit 143' TERM

# The size bench/run.sh's 2 MP photo has (1792 x 1120), made by the same generator the other checks use.
java infra/images/TestPhoto.java "$PHOTO" 1792 1120

# One run: a warm-up of WARM uploads (not counted), then N uploads through load-test.sh, summary into $WORK/$LABEL.json.
run() {
  local url=$1 label=$2 warm=$3
  if ((warm > 0)); then
    # Pods (or the runner's JVM) that just started have not compiled the step's code yet; seed 000 waited 15 s
    # for its pods. One upload per replica, all at once: with one upload per pod at a time, each pod takes one.
    PHOTO=$PHOTO EFFECTS=blur infra/demo/load-test.sh "$url" "$warm" >"$WORK/$label.warm-up" \
      || { cat "$WORK/$label.warm-up"; echo "warm-up failed"; return 1; }
  fi
  echo
  echo "== $label: $N uploads at once"
  PHOTO=$PHOTO EFFECTS=blur RESULT=$WORK/$label.json infra/demo/load-test.sh "$url" "$N"
}

# The 1-vs-4 table from the runs' summaries: wall times side by side and their ratio, as seed 000's README gave them.
compare() {
  python3 - "$WORK" "$@" <<'PY'
import json, os, sys
work, labels = sys.argv[1], sys.argv[2:]
runs = [(label, json.load(open(os.path.join(work, label + ".json")))) for label in labels]
print(f"\n{'run':28} {'wall':>7} {'p50':>7} {'p95':>7} {'done':>6} {'pods':>5} {'in flight':>10}")
for label, r in runs:
    busy = sum(p["busy"] for p in r["pods"].values())
    print(f"{label:28} {r['wall']:6.1f}s {r['p50']:6.1f}s {r['p95']:6.1f}s {r['done']:3}/{r['n']:<2} "
          f"{len(r['pods']):5} {busy / r['wall']:10.1f}")
if len(runs) >= 2:
    (a, first), (b, second) = runs[0], runs[1]
    print(f"\n{b} took {second['wall'] / first['wall']:.2f} of the time of {a} "
          f"({first['wall'] / second['wall']:.1f}x faster)")
PY
}

local_mode() {
  local jar=functions/local/target/imageflow-local.jar port=${PORT:-18280} delay=${DEMO_DELAY:-1s}
  [[ -s $jar ]] || ./mvnw -q -B -ntp -pl functions/local -am package -DskipTests
  local url=http://127.0.0.1:$port concurrency
  cleanup_steps+=(stop_runner)
  echo "one machine: $(nproc) cores, every step made ${delay} longer (imageflow.step.demo-delay)"
  for concurrency in 1 4; do
    mkdir -p "$WORK/data-$concurrency"
    # demo-delay: on this project's 2-core machine the gateway, Redis, S3 and blur share the cores, so 4 blurs
    # of real work at once cannot finish 4 times sooner (at best 2, less what the rest takes); a step that also
    # waits, as seed 000's blur slept 2 s, holds its delivery slot without a core, which is what a slot of
    # containerConcurrency, or a pod on a node of its own, is. wait-timeout 10s: uploads still queued then answer
    # 202, so every run also follows jobs by polling /jobs/<id>, as a slow cluster makes the script do.
    # --s3-port=0: any free port, not 9000, which another runner on the same machine may hold.
    java -jar "$jar" --port="$port" --s3-port=0 --concurrency="$concurrency" --data="$WORK/data-$concurrency" \
      --imageflow.step.demo-delay="$delay" --imageflow.gateway.wait-timeout=10s \
      >"$WORK/runner-$concurrency.log" 2>&1 &
    RUNNER=$!
    local waited=0
    until curl -fs "$url/actuator/health" >/dev/null 2>&1; do
      if ! kill -0 "$RUNNER" 2>/dev/null || ((waited >= 240)); then
        tail -20 "$WORK/runner-$concurrency.log"
        echo "the runner did not become ready on port $port"
        return 1
      fi
      sleep 0.5
      waited=$((waited + 1))
    done
    run "$url" "--concurrency=$concurrency" "$concurrency"
    stop_runner
  done
  compare --concurrency=1 --concurrency=4
}

stop_runner() {
  if [[ -n $RUNNER ]]; then
    kill "$RUNNER" 2>/dev/null || true
    wait "$RUNNER" 2>/dev/null || true
    RUNNER=
  fi
}

# --- Knative -----------------------------------------------------------------------------------------------------

knative_mode() {
  local url=${1:-http://gateway.imageflow.127.0.0.1.sslip.io:8080}
  NS=${NAMESPACE:-imageflow}
  READY_TIMEOUT=${READY_TIMEOUT:-600}
  kubectl get ksvc blur -n "$NS" -o json >"$WORK/blur.json" \
    || { echo "no Knative Service blur in namespace $NS (infra/cluster/up.sh makes it)"; return 1; }
  curl -fsS -o /dev/null --max-time 10 "$url/jobs?limit=1" \
    || { echo "the gateway does not answer at $url (is up.sh's port-forward to Kourier running?)"; return 1; }
  cleanup_steps+=(restore_blur)

  for replicas in 1 4; do
    echo
    echo "== blur pinned to $replicas pod(s): min-scale = max-scale = $replicas, containerConcurrency 1"
    set_blur pinned "$replicas"
    wait_for_pods "$(latest_ready_revision)" "$replicas"
    run "$url" "$replicas pod(s)" "$replicas"
  done
  compare "1 pod(s)" "4 pod(s)"

  echo
  echo "== blur autoscaled from zero: min-scale 0, target 1, containerConcurrency 1"
  set_blur autoscaled
  local rev
  rev=$(latest_ready_revision)
  echo "waiting for blur to scale to zero (Knative's stable window, 60 s, plus blur's scale-down-delay, 30 s)"
  wait_for_pods "" 0
  : >"$WORK/pods.samples"
  sample_pods "$WORK/pods.samples" &
  SAMPLER=$!
  cleanup_steps+=(stop_sampler)
  local status=0
  run "$url" "autoscaled ($rev)" 0 || status=$?
  stop_sampler
  print_pods_over_time "$WORK/pods.samples"
  return "$status"
}

stop_sampler() {
  if [[ -n $SAMPLER ]]; then
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
    SAMPLER=
  fi
}

# The JSON patch that makes blur's template what a run needs, built from the template saved at the start (so
# "restore" puts back exactly what was there, whoever deployed it: up.sh's YAML or infra/kn/deploy.sh).
blur_patch() {
  python3 - "$WORK/blur.json" "$@" <<'PY'
import json, os, sys
saved, how = json.load(open(sys.argv[1]))["spec"]["template"], sys.argv[2]
template = json.loads(json.dumps(saved))
# A template naming its revision (kn --revision-name) cannot be changed under the same name, nor reuse it later:
# let Knative name every revision this script makes, the restored one included.
template.get("metadata", {}).pop("name", None)
if how != "restore":
    annotations = template.setdefault("metadata", {}).setdefault("annotations", {})
    containers = template["spec"]["containers"]
    container = next((c for c in containers if c.get("name") == "blur"), containers[0])
    if how == "pinned":
        replicas = sys.argv[3]
        annotations.update({"autoscaling.knative.dev/min-scale": replicas,
                            "autoscaling.knative.dev/max-scale": replicas,
                            "autoscaling.knative.dev/initial-scale": replicas})
    else:
        annotations.update({"autoscaling.knative.dev/min-scale": "0", "autoscaling.knative.dev/target": "1"})
        annotations.setdefault("autoscaling.knative.dev/max-scale", "10")
    # One upload per pod at a time, as seed 000's one-request-per-worker replicas: replicas then mean parallelism.
    template["spec"]["containerConcurrency"] = 1
    # Four blur pods on one node of the documented size (c6i.xlarge, 4 vCPU, 3920m allocatable on EKS) need less
    # than the usual 1 CPU each: 4 x (700m + 25m of queue-proxy) leaves room for the node's daemons.
    container.setdefault("resources", {}).setdefault("requests", {})["cpu"] = os.environ["CPU_REQUEST"]
    if os.environ.get("DEMO_DELAY"):
        env = [e for e in container.get("env", []) if e["name"] != "IMAGEFLOW_STEP_DEMO_DELAY"]
        container["env"] = env + [{"name": "IMAGEFLOW_STEP_DEMO_DELAY", "value": os.environ["DEMO_DELAY"]}]
print(json.dumps([{"op": "replace", "path": "/spec/template", "value": template}]))
PY
}

# Patches blur and waits until Knative has rolled the new revision out and routes to it.
set_blur() {
  local patch generation
  patch=$(CPU_REQUEST=${CPU_REQUEST:-700m} blur_patch "$@")
  kubectl patch ksvc blur -n "$NS" --type json -p "$patch" >/dev/null
  BLUR_PATCHED=1
  generation=$(kubectl get ksvc blur -n "$NS" -o jsonpath='{.metadata.generation}')
  # Ready alone may still be the previous generation's: first wait for the controller to have seen this one.
  kubectl wait ksvc/blur -n "$NS" --for="jsonpath={.status.observedGeneration}=$generation" --timeout=120s >/dev/null
  kubectl wait ksvc/blur -n "$NS" --for=condition=Ready --timeout="${READY_TIMEOUT}s" >/dev/null
}

latest_ready_revision() {
  kubectl get ksvc blur -n "$NS" -o jsonpath='{.status.latestReadyRevisionName}'
}

restore_blur() {
  [[ -n ${BLUR_PATCHED:-} ]] || return 0
  echo
  echo "== restoring blur's original settings"
  # Not interrupted halfway by a second Ctrl-C: the patch is one quick call.
  trap '' INT
  kubectl patch ksvc blur -n "$NS" --type json -p "$(blur_patch restore)" >/dev/null \
    || echo "could not restore blur; kubectl apply -k infra/overlays/local (or your overlay) puts it back"
  trap 'exit 130' INT
  BLUR_PATCHED=
  kubectl wait ksvc/blur -n "$NS" --for=condition=Ready --timeout=300s >/dev/null || true
  kubectl get ksvc blur -n "$NS"
}

# "name|phase|deletionTimestamp|ready ready" for every blur pod, or only those of revision $1.
blur_pods() {
  local selector=serving.knative.dev/service=blur
  [[ -z ${1:-} ]] || selector=serving.knative.dev/revision=$1
  kubectl get pods -n "$NS" -l "$selector" \
    -o jsonpath='{range .items[*]}{.metadata.name}|{.status.phase}|{.metadata.deletionTimestamp}|{.status.containerStatuses[*].ready}{"\n"}{end}'
}

# Waits for exactly $2 pods (of revision $1, or of blur at all), all Running with every container ready.
wait_for_pods() {
  local revision=$1 want=$2 waited=0 pods ready total
  while :; do
    pods=$(blur_pods "$revision")
    total=$(printf '%s\n' "$pods" | awk -F'|' 'NF == 4' | wc -l)
    ready=$(printf '%s\n' "$pods" | awk -F'|' 'NF == 4 && $2 == "Running" && $3 == "" && $4 != "" && $4 !~ /false/' | wc -l)
    if ((total == want && ready == want)); then
      if ((want == 0)); then echo "blur: scaled to zero"; else echo "$revision: $ready pod(s) running and ready"; fi
      return 0
    fi
    if ((waited >= READY_TIMEOUT)); then
      echo "${revision:-blur}: still $ready of $total pod(s) ready after ${READY_TIMEOUT}s, not $want"
      kubectl get pods -n "$NS" -l serving.knative.dev/service=blur -o wide
      return 1
    fi
    if ((waited % 10 == 0)); then echo "  ${revision:-blur}: $ready ready, $total in all (want $want)"; fi
    sleep 2
    waited=$((waited + 2))
  done
}

# Every second or so, until killed: "epoch seconds<TAB>pod;pod;..." (blur_pods' lines).
sample_pods() {
  while :; do
    printf '%s\t%s\n' "$(date +%s.%N)" "$(blur_pods "" 2>/dev/null | tr '\n' ';')" >>"$1"
    sleep 1
  done
}

print_pods_over_time() {
  python3 - "$1" <<'PY'
import sys
print(f"\nblur pods over time\n  {'t':>6} {'ready':>5} {'starting':>8} {'stopping':>8}")
start = None
for line in open(sys.argv[1]):
    t, _, pods = line.rstrip("\n").partition("\t")
    start = float(t) if start is None else start
    ready = starting = stopping = 0
    for pod in filter(None, pods.split(";")):
        name, phase, deleting, containers = (pod.split("|") + ["", "", ""])[:4]
        if deleting:
            stopping += 1
        elif phase == "Running" and containers and "false" not in containers:
            ready += 1
        else:
            starting += 1
    print(f"  {float(t) - start:5.1f}s {ready:5} {starting:8} {stopping:8}  {'#' * ready}{'.' * starting}")
PY
}

case $MODE in
  local) local_mode ;;
  knative) knative_mode "${2:-}" ;;
esac
