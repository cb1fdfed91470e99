#!/usr/bin/env bash
# After `terraform apply` in infra/terraform: points kubectl at the cluster, installs Knative (with the Kafka Broker
# when Terraform's broker_class is Kafka), applies Karpenter's NodePool, pushes the two images to ECR with Jib (for
# amd64 and arm64), writes the bucket, region, role and registry into this overlay, and applies it (or
# infra/overlays/aws-kafka, the same with the durable Broker).
# Needs: aws CLI (logged in), kubectl, terraform, a JDK 17+.
#
#   infra/overlays/aws/deploy.sh
#   TRAINED_IMAGES=1 infra/overlays/aws/deploy.sh   # the images with their AOT caches (infra/images/multiarch.sh)
#   BROKER_CLASS=Kafka KAFKA_BOOTSTRAP_SERVERS=my-kafka-bootstrap.kafka:9092 infra/overlays/aws/deploy.sh
#       (a Kafka of your own, e.g. Strimzi in the cluster, without authentication, instead of Terraform's MSK)
#
# The public route is guarded (README, "A guarded public route"):
#   GATEWAY_AUTH=on|off         uploads and the job listing need a bearer token, generated here into the Secret
#                               imageflow-gateway-auth on the first deploy and kept after (default on)
#   RATE_LIMIT_PER_MINUTE=60    uploads one client may start a minute; 0 turns the limit off
#   RATE_LIMIT_BURST=20         how many of them may come at once
set -euo pipefail
cd "$(dirname "$0")/../../.."

fail() {
  echo "deploy.sh: $*" >&2
  exit 1
}
for tool in aws kubectl terraform java; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (needs: aws CLI, kubectl, terraform, a JDK 17+)"
done
# An output this script needs and the state lacks means the Terraform here is newer than what was applied.
tf() {
  terraform -chdir=infra/terraform output -raw "$1" 2>/dev/null ||
    fail "Terraform output '$1' is missing: run 'terraform init && terraform apply' in infra/terraform first"
}
REGION=$(tf region)
CLUSTER=$(tf cluster_name)
BUCKET=$(tf bucket)
ROLE=$(tf functions_role_arn)
REGISTRY=$(tf ecr_registry)
KARPENTER_ROLE=$(tf karpenter_node_role)
ARCHITECTURES=$(tf node_architectures)
CAPACITY_TYPES=$(tf node_capacity_types)
CPU_LIMIT=$(tf karpenter_cpu_limit)
BROKER_CLASS=${BROKER_CLASS:-$(tf broker_class)}
OVERLAY=infra/overlays/aws
KAFKA_COMPONENT=infra/components/kafka-broker

case $BROKER_CLASS in
  MTChannelBasedBroker) APPLY=$OVERLAY ;;
  Kafka)
    APPLY=infra/overlays/aws-kafka
    if [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
      KAFKA_SECRET_ARN=""
    else
      KAFKA_BOOTSTRAP_SERVERS=$(tf kafka_bootstrap_servers)
      KAFKA_SECRET_ARN=$(tf kafka_secret_arn)
      [[ -n $KAFKA_BOOTSTRAP_SERVERS && -n $KAFKA_SECRET_ARN ]] ||
        fail "BROKER_CLASS=Kafka but Terraform made no MSK cluster: set broker_class = \"Kafka\" and apply, or set KAFKA_BOOTSTRAP_SERVERS"
      command -v jq >/dev/null 2>&1 || fail "jq is not installed (it reads MSK's login from Secrets Manager)"
    fi
    ;;
  *) fail "BROKER_CLASS must be MTChannelBasedBroker or Kafka, not '$BROKER_CLASS'" ;;
esac

aws eks update-kubeconfig --region "$REGION" --name "$CLUSTER"
# No magic DNS for a load balancer host name: Services answer on <name>.imageflow.<domain> via the Host header.
KNATIVE_DOMAIN=${KNATIVE_DOMAIN:-imageflow.example.com} BROKER_CLASS=$BROKER_CLASS infra/knative/install.sh

# Karpenter's NodePool and node class, with this cluster's names and Terraform's choices (architectures, capacity
# types, CPU ceiling) patched onto infra/karpenter/ in a copy, so the repository's files stay as they are.
if [[ -n $KARPENTER_ROLE ]]; then
  nodes=$(mktemp -d)
  trap 'rm -rf "$nodes"' EXIT
  cp infra/karpenter/*.yaml "$nodes/"
  cat >>"$nodes/kustomization.yaml" <<YAML
patches:
  - target: {kind: EC2NodeClass, name: effects}
    patch: |-
      - {op: replace, path: /spec/role, value: "$KARPENTER_ROLE"}
      - {op: replace, path: /spec/subnetSelectorTerms/0/tags/karpenter.sh~1discovery, value: "$CLUSTER"}
      - {op: replace, path: /spec/securityGroupSelectorTerms/0/tags/karpenter.sh~1discovery, value: "$CLUSTER"}
  - target: {kind: NodePool, name: effects}
    patch: |-
      - {op: replace, path: /spec/template/spec/requirements/0/values, value: $ARCHITECTURES}
      - {op: replace, path: /spec/template/spec/requirements/1/values, value: $CAPACITY_TYPES}
      - {op: replace, path: /spec/limits/cpu, value: "$CPU_LIMIT"}
YAML
  kubectl apply -k "$nodes"
else
  echo "Karpenter is off (enable_karpenter = false): pods beyond the system nodes stay Pending."
fi

./mvnw -q -B -ntp install -DskipTests
if [[ ${TRAINED_IMAGES:-} == 1 ]]; then
  # Both CPUs, each image trained with its own AOT cache (the arm64 one under emulation, about 20 minutes): needs root,
  # podman, debootstrap and qemu-user-static from apt; see README "Images for amd64 and arm64".
  aws ecr get-login-password --region "$REGION" | podman login --username AWS --password-stdin "$REGISTRY"
  REGISTRY="$REGISTRY/imageflow" infra/images/multiarch.sh
else
  # Both CPUs (the pom's jib.from.platforms: linux/amd64 and linux/arm64, so x86 and Graviton nodes alike) in one
  # manifest list per image, on eclipse-temurin:25-jre's own list; without an AOT cache.
  ./mvnw -q -B -ntp -pl functions/gateway,functions/effects jib:build \
    -Dimage.registry="$REGISTRY/imageflow" -Djib.to.auth.username=AWS \
    -Djib.to.auth.password="$(aws ecr get-login-password --region "$REGION")"
fi

cat >"$OVERLAY/config.env" <<ENV
IMAGEFLOW_REDIS_URL=redis://redis.imageflow.svc.cluster.local:6379
IMAGEFLOW_S3_BUCKET=$BUCKET
IMAGEFLOW_S3_REGION=$REGION
IMAGEFLOW_GATEWAY_RATELIMIT_REQUESTSPERMINUTE=${RATE_LIMIT_PER_MINUTE:-60}
IMAGEFLOW_GATEWAY_RATELIMIT_BURST=${RATE_LIMIT_BURST:-20}
ENV
sed -i "s#eks.amazonaws.com/role-arn: .*#eks.amazonaws.com/role-arn: $ROLE#" "$OVERLAY/serviceaccount.yaml"
sed -i "s#newName: .*/imageflow/#newName: $REGISTRY/imageflow/#" "$OVERLAY/kustomization.yaml"

# The token's Secret exists before the gateway's pods start: a pod reads it only then, and an optional Secret that
# is missing leaves uploads open. Generated here, kept only in the cluster; a later deploy keeps it.
kubectl apply -f "$OVERLAY/namespace.yaml"
TOKEN_CHANGED=false
if [[ ${GATEWAY_AUTH:-on} == off ]]; then
  if kubectl get secret imageflow-gateway-auth -n imageflow >/dev/null 2>&1; then
    kubectl delete secret imageflow-gateway-auth -n imageflow
    TOKEN_CHANGED=true
  fi
elif ! kubectl get secret imageflow-gateway-auth -n imageflow >/dev/null 2>&1; then
  kubectl create secret generic imageflow-gateway-auth -n imageflow \
    --from-literal=token="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  TOKEN_CHANGED=true
fi

if [[ $BROKER_CLASS == Kafka ]]; then
  # MSK's SCRAM login, copied from Secrets Manager into the Secret kafka-broker-config names (never into a file).
  if [[ -n $KAFKA_SECRET_ARN ]]; then
    login=$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$KAFKA_SECRET_ARN" \
      --query SecretString --output text)
    kubectl create secret generic kafka-broker-auth -n imageflow --dry-run=client -o yaml \
      --from-literal=protocol=SASL_SSL --from-literal=sasl.mechanism=SCRAM-SHA-512 \
      --from-literal=user="$(jq -r .username <<<"$login")" \
      --from-literal=password="$(jq -r .password <<<"$login")" | kubectl apply -f -
    echo "bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" >"$KAFKA_COMPONENT/kafka-broker.env"
    echo "auth.secret.ref.name=kafka-broker-auth" >>"$KAFKA_COMPONENT/kafka-broker.env"
  else
    echo "bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" >"$KAFKA_COMPONENT/kafka-broker.env"
  fi
fi
# A Broker's class cannot change in place: a Broker of the other class is deleted first (its Triggers stay and
# follow the new one). Events it still held are lost, so switch while no job is running.
current=$(kubectl get broker default -n imageflow --ignore-not-found \
  -o jsonpath='{.metadata.annotations.eventing\.knative\.dev/broker\.class}')
if [[ -n $current && $current != "$BROKER_CLASS" ]]; then
  echo "The Broker is $current; replacing it with a $BROKER_CLASS Broker"
  kubectl delete broker default -n imageflow --wait=true
fi

kubectl apply -k "$APPLY"
if [[ $TOKEN_CHANGED == true ]]; then
  # Gateway pods of an earlier deploy still hold the old setting; their Deployment starts new ones that read this.
  kubectl delete pod -n imageflow -l serving.knative.dev/service=gateway --ignore-not-found
fi
kubectl wait --for=condition=Ready ksvc --all -n imageflow --timeout=300s
kubectl wait --for=condition=Ready broker/default -n imageflow --timeout=120s
kubectl wait --for=condition=Ready trigger --all -n imageflow --timeout=120s
LB=$(kubectl get svc kourier -n kourier-system -o jsonpath='{.status.loadBalancer.ingress[0].hostname}')
echo "Ready ($BROKER_CLASS Broker). Upload with:"
if [[ ${GATEWAY_AUTH:-on} == off ]]; then
  echo "  curl -H 'Host: gateway.imageflow.${KNATIVE_DOMAIN:-imageflow.example.com}' -F file=@photo.jpg -F effects=bw,blur http://$LB/upload"
else
  echo "  TOKEN=\$(kubectl get secret imageflow-gateway-auth -n imageflow -o jsonpath='{.data.token}' | base64 -d)"
  echo "  curl -H 'Host: gateway.imageflow.${KNATIVE_DOMAIN:-imageflow.example.com}' -H \"Authorization: Bearer \$TOKEN\" -F file=@photo.jpg -F effects=bw,blur http://$LB/upload"
  echo "The job listing (GET /jobs) needs the same header."
fi
