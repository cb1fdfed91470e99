#!/usr/bin/env bash
# From nothing to imageflow on a local Kubernetes: creates a kind cluster (or uses the current context with
# CLUSTER=current, e.g. minikube), installs Knative, builds the two images (gateway, effects) with Jib into the local Docker daemon,
# loads them into the cluster, creates the S3 credentials Secret, applies infra/overlays/local, and forwards
# Kourier to localhost:8080.
#
#   infra/cluster/up.sh                 # kind (needs docker, kind, kubectl)
#   CLUSTER=current infra/cluster/up.sh # the current kubectl context (minikube: run `eval $(minikube docker-env)` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
CLUSTER=${CLUSTER:-kind}
NAME=${KIND_CLUSTER_NAME:-imageflow}
TAG=$(sed -n "s:.*<image.tag>\(.*\)</image.tag>.*:\1:p" pom.xml)
# The images: the gateway, and the one image every effect Service runs.
FUNCTIONS=(gateway effects)

if [[ $CLUSTER == kind ]]; then
  kind get clusters | grep -qx "$NAME" || kind create cluster --name "$NAME"
  kubectl config use-context "kind-$NAME"
fi

infra/knative/install.sh

echo "== images (Jib, into the local Docker daemon)"
./mvnw -q -B -ntp install -DskipTests
# A Docker daemon holds one platform per image: its own CPU's (the pom names amd64 and arm64 for registries).
./mvnw -q -B -ntp -pl "$(printf 'functions/%s,' "${FUNCTIONS[@]}" | sed 's/,$//')" jib:dockerBuild \
  -Dimage.registry=dev.local/imageflow -Djib.from.platforms="linux/$(docker version --format '{{.Server.Arch}}')"
if [[ $CLUSTER == kind ]]; then
  for f in "${FUNCTIONS[@]}"; do kind load docker-image --name "$NAME" "dev.local/imageflow/$f:$TAG"; done
fi

echo "== namespace, S3 credentials (generated, kept only in the cluster), Redis, MinIO, functions, eventing"
kubectl create namespace imageflow --dry-run=client -o yaml | kubectl apply -f -
# Knative installs that bind only opted-in namespaces (inclusion mode) need this label, or K_SINK never reaches the gateway.
kubectl label namespace imageflow bindings.knative.dev/include=true --overwrite
if ! kubectl get secret imageflow-s3 -n imageflow >/dev/null 2>&1; then
  kubectl create secret generic imageflow-s3 -n imageflow \
    --from-literal=IMAGEFLOW_S3_ACCESS_KEY=imageflow \
    --from-literal=IMAGEFLOW_S3_SECRET_KEY="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
fi
kubectl apply -k infra/overlays/local
kubectl wait --for=condition=Ready ksvc --all -n imageflow --timeout=300s
# Two calls: kubectl refuses a resource/name mixed with a bare type and --all in one.
kubectl wait --for=condition=Ready broker/default -n imageflow --timeout=120s
kubectl wait --for=condition=Ready trigger --all -n imageflow --timeout=120s
kubectl get ksvc -n imageflow

echo "== Kourier on localhost:8080 (Ctrl-C stops the forward; the cluster stays)"
echo "   curl -F file=@photo.jpg -F effects=bw,blur http://gateway.imageflow.127.0.0.1.sslip.io:8080/upload"
kubectl port-forward -n kourier-system svc/kourier 8080:80
