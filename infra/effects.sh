#!/usr/bin/env bash
# The effect Services, one name a line, as knative/ declares them (each Service labelled
# app.kubernetes.io/component: effect, rendered by kubectl kustomize), so that no script keeps a list of its own.
#
#   infra/effects.sh            # blur, bw, thumbnail, ...
set -euo pipefail
kubectl kustomize "$(dirname "$0")/../knative" | awk '
  /^---/ { if (effect) print name; effect = 0; name = ""; meta = 0; next }
  /^metadata:/ { meta = 1; next }
  /^[a-z]/ { meta = 0 }
  meta && /^  name: / { name = $2 }
  /app.kubernetes.io\/component: effect/ { effect = 1 }
  END { if (effect) print name }'
