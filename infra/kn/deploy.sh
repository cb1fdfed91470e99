#!/usr/bin/env bash
# The same deployment as knative/ and eventing/, made with the kn CLI instead of YAML: for those who drive Knative
# with kn. One source: the Services are the ones `kubectl kustomize knative` renders (kn service create --filename),
# so scaling, sizes, probes and visibility are exactly the YAML's, and every effect Service gets its Trigger. Assumes Knative is installed (infra/knative/install.sh), the images exist (infra/cluster/up.sh builds
# them) and Redis, MinIO, the imageflow-config ConfigMap and the imageflow-s3 Secret are in the namespace
# (kubectl apply -k infra/overlays/local applies them along with the YAML Services; here only kn makes Services).
#
#   IMAGE_PREFIX=dev.local/imageflow infra/kn/deploy.sh
set -euo pipefail
NS=${NAMESPACE:-imageflow}
PREFIX=${IMAGE_PREFIX:-dev.local/imageflow}
GATEWAY=http://gateway.$NS.svc.cluster.local
cd "$(dirname "$0")/../.."
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
# One file per Service (serving.knative.dev_v1_service_<name>.yaml), images under this registry prefix.
kubectl kustomize knative -o "$rendered"
sed -i "s|image: imageflow/|image: $PREFIX/|" "$rendered"/*.yaml

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

# Every Service as knative/ declares it (--force replaces one that exists), the gateway last; each effect Service
# (labelled app.kubernetes.io/component: effect) gets the Trigger that feeds it its steps.
for file in "$rendered"/serving.knative.dev_v1_service_*.yaml; do
  name=${file##*_service_}
  name=${name%.yaml}
  [[ $name == gateway ]] && continue
  kn service create "$name" --namespace "$NS" --filename "$file" --force
  if grep -q 'app.kubernetes.io/component: effect' "$file"; then
    trigger "$name" "ksvc:$name" type=dev.imageflow.step effect="$name"
  fi
done
kn service create gateway --namespace "$NS" --filename "$rendered/serving.knative.dev_v1_service_gateway.yaml" --force
trigger job-completed "$GATEWAY/jobFinished" type=dev.imageflow.job.completed
trigger job-failed "$GATEWAY/jobFinished" type=dev.imageflow.job.failed
trigger job-requested "$GATEWAY/jobRequested" type=dev.imageflow.job.requested

kn service list --namespace "$NS"
kn trigger list --namespace "$NS"
