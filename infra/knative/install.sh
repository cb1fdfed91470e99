#!/usr/bin/env bash
# Installs Knative Serving (with Kourier) and Knative Eventing (in-memory channel, multi-tenant channel-based
# Broker) into the current kubectl context: a kind or minikube cluster for trying imageflow out. Versions are
# pinned; change KNATIVE_VERSION deliberately.
#
#   infra/knative/install.sh
set -euo pipefail
KNATIVE_VERSION=${KNATIVE_VERSION:-knative-v1.17.0}
SERVING=https://github.com/knative/serving/releases/download/$KNATIVE_VERSION
KOURIER=https://github.com/knative/net-kourier/releases/download/$KNATIVE_VERSION
EVENTING=https://github.com/knative/eventing/releases/download/$KNATIVE_VERSION

echo "Knative $KNATIVE_VERSION into $(kubectl config current-context)"

kubectl apply -f "$SERVING/serving-crds.yaml"
kubectl wait --for=condition=Established --all crd --timeout=120s
kubectl apply -f "$SERVING/serving-core.yaml"
kubectl apply -f "$KOURIER/kourier.yaml"
# The ConfigMaps are validated by Knative's webhook: patching them before it serves fails intermittently
# (knative/serving#13665), so wait for every Serving deployment first.
kubectl wait --for=condition=Available deployment --all -n knative-serving --timeout=300s
kubectl patch configmap/config-network -n knative-serving --type merge \
  -p '{"data":{"ingress-class":"kourier.ingress.networking.knative.dev"}}'
# Services get <name>.<namespace>.127.0.0.1.sslip.io, which resolves to this machine: with Kourier
# port-forwarded to 8080 (infra/cluster/up.sh), the README's curl works as written. On AWS, deploy.sh passes a
# domain of its own and the Host header picks the Service.
DOMAIN=${KNATIVE_DOMAIN:-127.0.0.1.sslip.io}
kubectl patch configmap/config-domain -n knative-serving --type merge -p "{\"data\":{\"$DOMAIN\":\"\"}}"
# Images loaded straight into the nodes (dev.local/...) have no registry to resolve tags against.
kubectl patch configmap/config-deployment -n knative-serving --type merge \
  -p '{"data":{"registries-skipping-tag-resolving":"kind.local,ko.local,dev.local"}}'

kubectl apply -f "$EVENTING/eventing-crds.yaml"
kubectl wait --for=condition=Established --all crd --timeout=120s
kubectl apply -f "$EVENTING/eventing-core.yaml"
kubectl apply -f "$EVENTING/in-memory-channel.yaml"
kubectl apply -f "$EVENTING/mt-channel-broker.yaml"

for ns in knative-serving kourier-system knative-eventing; do
  kubectl wait --for=condition=Available deployment --all -n "$ns" --timeout=300s
done
echo "Knative is ready."
