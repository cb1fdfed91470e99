#!/usr/bin/env bash
# The JVM flags a function's pod starts with (JAVA_TOOL_OPTIONS of its Knative Service: knative/gateway.yaml for
# the gateway, knative/effect-service.yaml for every effect), so that the image check and the cold-start bench train
# and run each function as its pod does, with no list of flags of their own. Anything else (a reference app) gets
# the effects' flags.
#
#   infra/pod-flags.sh gateway     # -XX:+UseSerialGC -XX:MaxRAMPercentage=75 ...
set -euo pipefail
file=$(dirname "$0")/../knative/effect-service.yaml
[[ ${1:?function} == gateway ]] && file=$(dirname "$0")/../knative/gateway.yaml
flags=$(grep -A1 'name: JAVA_TOOL_OPTIONS' "$file" | sed -n 's/.*value: "\(.*\)"/\1/p')
[[ -n $flags ]] || { echo "no JAVA_TOOL_OPTIONS in $file" >&2; exit 1; }
echo "$flags"
