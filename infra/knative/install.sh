#!/usr/bin/env bash
# Installs Knative Serving (with Kourier) and Knative Eventing (in-memory channel, multi-tenant channel-based
# Broker) into the current kubectl context: a kind or minikube cluster for trying imageflow out. Versions are
# pinned; change KNATIVE_VERSION deliberately. BROKER_CLASS=Kafka adds Knative's Kafka Broker (its controller and
# its data plane, the same Knative release) for the durable Broker (infra/components/kafka-broker); the Kafka
# itself is MSK from infra/terraform or one of your own.
#
#   infra/knative/install.sh
#   BROKER_CLASS=Kafka infra/knative/install.sh
set -euo pipefail
KNATIVE_VERSION=${KNATIVE_VERSION:-knative-v1.17.0}
SERVING=https://github.com/knative/serving/releases/download/$KNATIVE_VERSION
KOURIER=https://github.com/knative/net-kourier/releases/download/$KNATIVE_VERSION
EVENTING=https://github.com/knative/eventing/releases/download/$KNATIVE_VERSION
# The Kafka Broker is released with every Knative release under the same tag.
KAFKA_BROKER=https://github.com/knative-extensions/eventing-kafka-broker/releases/download/$KNATIVE_VERSION
BROKER_CLASS=${BROKER_CLASS:-MTChannelBasedBroker}
case $BROKER_CLASS in
  MTChannelBasedBroker | Kafka) ;;
  *)
    echo "BROKER_CLASS must be MTChannelBasedBroker or Kafka, not '$BROKER_CLASS'" >&2
    exit 2
    ;;
esac

echo "Knative $KNATIVE_VERSION into $(kubectl config current-context)"

kubectl apply -f "$SERVING/serving-crds.yaml"
kubectl wait --for=condition=Established --all crd --timeout=120s
kubectl apply -f "$SERVING/serving-core.yaml"
kubectl apply -f "$KOURIER/kourier.yaml"
# Knative's webhook validates every change to its ConfigMaps: patching before it serves fails now and then
# (knative/serving#13665). Wait for it, and retry a patch that still meets a webhook not yet reachable.
kubectl wait --for=condition=Available deployment/webhook -n knative-serving --timeout=300s
patch() {
  local try
  for try in 1 2 3 4 5 6 7 8 9 10; do
    kubectl patch "$@" && return
    echo "patch refused (try $try of 10); the webhook may still be starting"
    sleep 3
  done
  return 1
}
patch configmap/config-network -n knative-serving --type merge \
  -p '{"data":{"ingress-class":"kourier.ingress.networking.knative.dev"}}'
# Services get <name>.<namespace>.127.0.0.1.sslip.io, which resolves to this machine: with Kourier
# port-forwarded to 8080 (infra/cluster/up.sh), the README's curl works as written. On AWS, deploy.sh passes a
# domain of its own and the Host header picks the Service.
DOMAIN=${KNATIVE_DOMAIN:-127.0.0.1.sslip.io}
patch configmap/config-domain -n knative-serving --type merge -p "{\"data\":{\"$DOMAIN\":\"\"}}"
# Images loaded straight into the nodes (dev.local/...) have no registry to resolve tags against.
patch configmap/config-deployment -n knative-serving --type merge \
  -p '{"data":{"registries-skipping-tag-resolving":"kind.local,ko.local,dev.local"}}'

kubectl apply -f "$EVENTING/eventing-crds.yaml"
kubectl wait --for=condition=Established --all crd --timeout=120s
kubectl apply -f "$EVENTING/eventing-core.yaml"
kubectl apply -f "$EVENTING/in-memory-channel.yaml"
kubectl apply -f "$EVENTING/mt-channel-broker.yaml"
if [[ $BROKER_CLASS == Kafka ]]; then
  # The controller (with its CRDs and webhook), then the Broker's data plane: receiver and dispatcher.
  kubectl apply -f "$KAFKA_BROKER/eventing-kafka-controller.yaml"
  kubectl wait --for=condition=Established --all crd --timeout=120s
  kubectl apply -f "$KAFKA_BROKER/eventing-kafka-broker.yaml"
fi

for ns in knative-serving kourier-system knative-eventing; do
  kubectl wait --for=condition=Available deployment --all -n "$ns" --timeout=300s
done
echo "Knative is ready."
