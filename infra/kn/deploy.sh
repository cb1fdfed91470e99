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
        --env JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
        --port http1:8080 --probe-readiness http::8080:/actuator/health/readiness --probe-liveness http::8080:/actuator/health/liveness
        --scale-metric concurrency --annotation autoscaling.knative.dev/class=kpa.autoscaling.knative.dev
        --scale-window 60s --force)

# Why each number: see the comments in knative/<name>.yaml; the values are the same.
kn service create blur      --image "$PREFIX/blur:$TAG"      --scale-min 0 --scale-max 10 --scale-target 1 \
  --concurrency-limit 2 --request cpu=1,memory=768Mi --limit cpu=2,memory=2Gi --timeout 120 \
  --annotation autoscaling.knative.dev/scale-down-delay=30s "${common[@]}"
kn service create bw        --image "$PREFIX/bw:$TAG"        --scale-min 0 --scale-max 10 --scale-target 4 \
  --concurrency-limit 8 --request cpu=500m,memory=512Mi --limit cpu=1,memory=1Gi --timeout 60 \
  --annotation autoscaling.knative.dev/scale-down-delay=30s "${common[@]}"
kn service create thumbnail --image "$PREFIX/thumbnail:$TAG" --scale-min 0 --scale-max 10 --scale-target 4 \
  --concurrency-limit 8 --request cpu=500m,memory=512Mi --limit cpu=1,memory=1Gi --timeout 60 \
  --annotation autoscaling.knative.dev/scale-down-delay=30s "${common[@]}"
kn service create gateway   --image "$PREFIX/gateway:$TAG"   --scale-min 1 --scale-max 5 --scale-target 20 \
  --concurrency-limit 50 --request cpu=500m,memory=768Mi --limit cpu=1,memory=1536Mi --timeout 120 \
  --annotation autoscaling.knative.dev/scale-down-delay=60s "${common[@]}"

kn broker create default --namespace "$NS" --retry 4 --backoff-policy exponential --backoff-delay PT0.5S \
  --dl-sink "$GATEWAY/jobDeadLettered" 2>/dev/null || echo "broker default exists"

for effect in blur bw thumbnail; do
  kn trigger create "$effect" --namespace "$NS" --broker default \
    --filter type=dev.imageflow.step --filter effect="$effect" --sink "ksvc:$effect" 2>/dev/null \
    || kn trigger update "$effect" --namespace "$NS" --filter type=dev.imageflow.step --filter effect="$effect" --sink "ksvc:$effect"
done
kn trigger create job-completed --namespace "$NS" --broker default --filter type=dev.imageflow.job.completed \
  --sink "$GATEWAY/jobFinished" 2>/dev/null || true
kn trigger create job-failed --namespace "$NS" --broker default --filter type=dev.imageflow.job.failed \
  --sink "$GATEWAY/jobFinished" 2>/dev/null || true
kn trigger create job-requested --namespace "$NS" --broker default --filter type=dev.imageflow.job.requested \
  --sink "$GATEWAY/jobRequested" 2>/dev/null || true

kn source binding create gateway --namespace "$NS" --subject Service:serving.knative.dev/v1:gateway \
  --sink broker:default 2>/dev/null || echo "sinkbinding gateway exists"

kn service list --namespace "$NS"
kn trigger list --namespace "$NS"
