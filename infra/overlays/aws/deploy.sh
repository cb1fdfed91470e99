#!/usr/bin/env bash
# After `terraform apply` in infra/terraform: points kubectl at the cluster, installs Knative, pushes the two
# images to ECR with Jib, writes the bucket, region, role and registry into this overlay, and applies it.
# Needs: aws CLI (logged in), kubectl, terraform, a JDK 17+.
#
#   infra/overlays/aws/deploy.sh
#
# The public route is guarded (README, "A guarded public route"):
#   GATEWAY_AUTH=on|off         uploads and the job listing need a bearer token, generated here into the Secret
#                               imageflow-gateway-auth on the first deploy and kept after (default on)
#   RATE_LIMIT_PER_MINUTE=60    uploads one client may start a minute; 0 turns the limit off
#   RATE_LIMIT_BURST=20         how many of them may come at once
set -euo pipefail
cd "$(dirname "$0")/../../.."
tf() { terraform -chdir=infra/terraform output -raw "$1"; }
REGION=$(tf region)
CLUSTER=$(tf cluster_name)
BUCKET=$(tf bucket)
ROLE=$(tf functions_role_arn)
REGISTRY=$(tf ecr_registry)
OVERLAY=infra/overlays/aws

aws eks update-kubeconfig --region "$REGION" --name "$CLUSTER"
# No magic DNS for a load balancer host name: Services answer on <name>.imageflow.<domain> via the Host header.
KNATIVE_DOMAIN=${KNATIVE_DOMAIN:-imageflow.example.com} infra/knative/install.sh

./mvnw -q -B -ntp install -DskipTests
./mvnw -q -B -ntp -pl functions/gateway,functions/effects jib:build \
  -Dimage.registry="$REGISTRY/imageflow" -Djib.to.auth.username=AWS \
  -Djib.to.auth.password="$(aws ecr get-login-password --region "$REGION")"

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

kubectl apply -k "$OVERLAY"
if [[ $TOKEN_CHANGED == true ]]; then
  # Gateway pods of an earlier deploy still hold the old setting; their Deployment starts new ones that read this.
  kubectl delete pod -n imageflow -l serving.knative.dev/service=gateway --ignore-not-found
fi
kubectl wait --for=condition=Ready ksvc --all -n imageflow --timeout=300s
kubectl wait --for=condition=Ready broker/default -n imageflow --timeout=120s
kubectl wait --for=condition=Ready trigger --all -n imageflow --timeout=120s
LB=$(kubectl get svc kourier -n kourier-system -o jsonpath='{.status.loadBalancer.ingress[0].hostname}')
echo "Ready. Upload with:"
if [[ ${GATEWAY_AUTH:-on} == off ]]; then
  echo "  curl -H 'Host: gateway.imageflow.${KNATIVE_DOMAIN:-imageflow.example.com}' -F file=@photo.jpg -F effects=bw,blur http://$LB/upload"
else
  echo "  TOKEN=\$(kubectl get secret imageflow-gateway-auth -n imageflow -o jsonpath='{.data.token}' | base64 -d)"
  echo "  curl -H 'Host: gateway.imageflow.${KNATIVE_DOMAIN:-imageflow.example.com}' -H \"Authorization: Bearer \$TOKEN\" -F file=@photo.jpg -F effects=bw,blur http://$LB/upload"
  echo "The job listing (GET /jobs) needs the same header."
fi
