#!/usr/bin/env bash
# Removes what infra/cluster/up.sh made: the kind cluster, or with CLUSTER=current only the imageflow namespace.
set -euo pipefail
if [[ ${CLUSTER:-kind} == kind ]]; then
  kind delete cluster --name "${KIND_CLUSTER_NAME:-imageflow}"
else
  kubectl delete namespace imageflow --ignore-not-found
fi
