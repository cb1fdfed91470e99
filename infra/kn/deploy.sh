#!/usr/bin/env bash
# The same deployment as knative/ and eventing/, made with the kn CLI instead of YAML: for those who drive Knative
# with kn. Assumes Knative is installed (infra/knative/install.sh), the images exist (infra/cluster/up.sh builds
# them) and Redis, MinIO, the imageflow-config ConfigMap and the imageflow-s3 Secret are in the namespace
# (kubectl apply -k infra/overlays/local applies them along with the YAML Services; here only kn makes Services).
#
#   IMAGE_PREFIX=dev.local/imageflow infra/kn/deploy.sh
set -euo pipefail
NS=${NAMESPACE:-imageflow}
PREFIX=${IMAGE_PREFIX:-dev.local/imageflow}
TAG=${IMAGE_TAG:-0.1.0}
GATEWAY=http://gateway.$NS.svc.cluster.local
common=(--namespace "$NS" --env-from cm:imageflow-config --env-from secret:imageflow-s3
        --env JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=1000"
        --env MALLOC_ARENA_MAX=2
        --port http1:8080 --probe-readiness http::8080:/actuator/health/readiness --probe-liveness http::8080:/actuator/health/liveness
        --scale-metric concurrency --annotation autoscaling.knative.dev/class=kpa.autoscaling.knative.dev
        --scale-window 60s --annotation autoscaling.knative.dev/initial-scale=1 --force)

# The Broker and the gateway's SinkBinding come first: the binding injects K_SINK into the gateway's pods, and a
# gateway created before it starts without K_SINK, cannot send events and never becomes ready.
# Each resource is created, or updated when it exists; any other error stops the script.
if kn broker describe default --namespace "$NS" >/dev/null 2>&1; then
  echo "broker default exists"
else
  kn broker create default --namespace "$NS" --retry 4 --backoff-policy exponential --backoff-delay PT0.5S \
    --dl-sink "$GATEWAY/jobDeadLettered"
fi
if kn source binding describe gateway --namespace "$NS" >/dev/null 2>&1; then
  kn source binding update gateway --namespace "$NS" --subject Service:serving.knative.dev/v1:gateway --sink broker:default
else
  kn source binding create gateway --namespace "$NS" --subject Service:serving.knative.dev/v1:gateway --sink broker:default
fi

# Why each number: see the comments in knative/<name>.yaml; the values are the same.
kn service create blur      --image "$PREFIX/blur:$TAG"      --scale-min 0 --scale-max 10 --scale-target 1 \
  --concurrency-limit 2 --request cpu=1,memory=768Mi --limit cpu=2,memory=2Gi --timeout 120 \
  --label networking.knative.dev/visibility=cluster-local \
  --annotation autoscaling.knative.dev/scale-down-delay=30s "${common[@]}"
kn service create bw        --image "$PREFIX/bw:$TAG"        --scale-min 0 --scale-max 10 --scale-target 4 \
  --concurrency-limit 8 --request cpu=500m,memory=512Mi --limit cpu=1,memory=1Gi --timeout 60 \
  --label networking.knative.dev/visibility=cluster-local \
  --annotation autoscaling.knative.dev/scale-down-delay=30s "${common[@]}"
kn service create thumbnail --image "$PREFIX/thumbnail:$TAG" --scale-min 0 --scale-max 10 --scale-target 4 \
  --concurrency-limit 8 --request cpu=500m,memory=512Mi --limit cpu=1,memory=1Gi --timeout 60 \
  --label networking.knative.dev/visibility=cluster-local \
  --annotation autoscaling.knative.dev/scale-down-delay=30s "${common[@]}"
kn service create gateway   --image "$PREFIX/gateway:$TAG"   --scale-min 1 --scale-max 5 --scale-target 20 \
  --concurrency-limit 50 --request cpu=500m,memory=768Mi --limit cpu=1,memory=1536Mi --timeout 120 \
  --annotation autoscaling.knative.dev/scale-down-delay=60s "${common[@]}"

# trigger NAME SINK FILTER...: create the Trigger, or point an existing one at the same filters and sink.
trigger() {
  local name=$1 sink=$2
  shift 2
  local filters=()
  for f in "$@"; do filters+=(--filter "$f"); done
  if kn trigger describe "$name" --namespace "$NS" >/dev/null 2>&1; then
    kn trigger update "$name" --namespace "$NS" "${filters[@]}" --sink "$sink"
  else
    kn trigger create "$name" --namespace "$NS" --broker default "${filters[@]}" --sink "$sink"
  fi
}
for effect in blur bw thumbnail; do
  trigger "$effect" "ksvc:$effect" type=dev.imageflow.step effect="$effect"
done
trigger job-completed "$GATEWAY/jobFinished" type=dev.imageflow.job.completed
trigger job-failed "$GATEWAY/jobFinished" type=dev.imageflow.job.failed
trigger job-requested "$GATEWAY/jobRequested" type=dev.imageflow.job.requested

kn service list --namespace "$NS"
kn trigger list --namespace "$NS"
