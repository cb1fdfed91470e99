#!/usr/bin/env bash
# After `terraform apply` in infra/terraform: points kubectl at the cluster, installs Knative, pushes the two
# images to ECR with Jib (for amd64 and arm64), writes the bucket, region, role and registry into this overlay, and
# applies it.
# Needs: aws CLI (logged in), kubectl, terraform, a JDK 17+.
#
#   infra/overlays/aws/deploy.sh
#   TRAINED_IMAGES=1 infra/overlays/aws/deploy.sh   # the images with their AOT caches (infra/images/multiarch.sh)
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
ENV
sed -i "s#eks.amazonaws.com/role-arn: .*#eks.amazonaws.com/role-arn: $ROLE#" "$OVERLAY/serviceaccount.yaml"
sed -i "s#newName: .*/imageflow/#newName: $REGISTRY/imageflow/#" "$OVERLAY/kustomization.yaml"

kubectl apply -k "$OVERLAY"
kubectl wait --for=condition=Ready ksvc --all -n imageflow --timeout=300s
kubectl wait --for=condition=Ready broker/default -n imageflow --timeout=120s
kubectl wait --for=condition=Ready trigger --all -n imageflow --timeout=120s
LB=$(kubectl get svc kourier -n kourier-system -o jsonpath='{.status.loadBalancer.ingress[0].hostname}')
echo "Ready. Upload with:"
echo "  curl -H 'Host: gateway.imageflow.${KNATIVE_DOMAIN:-imageflow.example.com}' -F file=@photo.jpg -F effects=bw,blur http://$LB/upload"
