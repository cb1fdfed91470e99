#!/usr/bin/env bash
# Starts a job by CloudEvent through the Broker: puts nothing, so the object must already be under uploads/ in the
# bucket. The Broker's ingress is reached with a port-forward; kn's event plugin works as well:
#   kn event send -n imageflow --to broker:default --type dev.imageflow.job.requested \
#     --field key=uploads/photo.jpg --field effects=bw,thumbnail
# (--field sends typed scalars, never a JSON list, so effects go as "bw,thumbnail", which the gateway accepts.)
#
#   infra/kn/send-job-request.sh uploads/photo.jpg bw,thumbnail
set -euo pipefail
KEY=${1:?object key under uploads/}
EFFECTS=${2:-thumbnail}
NS=${NAMESPACE:-imageflow}
kubectl port-forward -n knative-eventing svc/broker-ingress 8081:80 >/dev/null &
trap 'kill $!' EXIT
sleep 2
curl -sS -i -X POST "http://localhost:8081/$NS/default" \
  -H "ce-specversion: 1.0" -H "ce-id: $(date +%s%N)" -H "ce-source: /imageflow/kn-script" \
  -H "ce-type: dev.imageflow.job.requested" -H "Content-Type: application/json" \
  -d "{\"key\": \"$KEY\", \"effects\": \"$EFFECTS\"}"
echo
echo "The job's id is the name-based UUID of source and id; list jobs with: curl http://gateway.$NS.127.0.0.1.sslip.io:8080/jobs"
