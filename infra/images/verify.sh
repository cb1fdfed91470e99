#!/usr/bin/env bash
# Builds every function's container image without a Docker daemon and proves each one works: a JRE base image
# made from Debian packages (debootstrap + openjdk-17-jre-headless, imported into podman), the functions' images
# built on it by Jib (jib:buildTar), loaded into podman, run with ports published on 127.0.0.1 only, checked
# healthy, and then driven through a real upload: the containerised gateway sends the first step to a Broker on
# the host (the local runner with --remote=...), which delivers every step to the containerised functions, against
# Redis and S3 on the host.
#
#   infra/images/verify.sh            # needs root (apt-get, podman); about 3 minutes the first time
#
# Quirks of this kind of machine, handled here: crun fails on its cgroup setup, so runc; the default ulimits are
# too low for the JVM in a container; podman's storage and Jib's base-image cache live in a folder of our own.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${IMAGEFLOW_IMAGES_WORK:-$ROOT/infra/images/work}
TAG=$(sed -n "s:.*<image.tag>\(.*\)</image.tag>.*:\1:p" pom.xml)
FUNCTIONS=(gateway blur bw thumbnail)
declare -A PORT=([gateway]=18080 [blur]=18081 [bw]=18082 [thumbnail]=18083)
REDIS_PORT=16379 S3_PORT=19000 BROKER_PORT=18090
HOST=10.0.2.2   # the host's loopback as containers see it (slirp4netns allow_host_loopback)

mkdir -p "$WORK"
log() { printf '\n== %s\n' "$*"; }
pm() { podman --root "$WORK/storage" --runroot "$WORK/run" --runtime runc "$@"; }

need=()
for tool in podman runc debootstrap slirp4netns; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q podman runc debootstrap slirp4netns uidmap fuse-overlayfs
fi

BASE_TAR=$WORK/jre17-base.tar
if [[ ! -s $BASE_TAR ]]; then
  log "base image: debootstrap bookworm (minbase) + openjdk-17-jre-headless"
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log"
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  tar -C "$WORK/rootfs" -c . | pm import --change 'ENV LANG=C.UTF-8' - imageflow/jre17-base:latest >/dev/null
  pm save --format docker-archive -o "$BASE_TAR" imageflow/jre17-base:latest
  rm -rf "$WORK/rootfs"
fi

log "function images: jib:buildTar on that base"
./mvnw -q -B -ntp install -DskipTests
./mvnw -q -B -ntp -pl "$(printf 'functions/%s,' "${FUNCTIONS[@]}" | sed 's/,$//')" jib:buildTar \
  -Djib.from.image="tar://$BASE_TAR" -Djib.baseImageCache="$WORK/jib-cache" -Djib.applicationCache="$WORK/jib-app-cache"
for f in "${FUNCTIONS[@]}"; do
  pm load -q -i "functions/$f/target/jib-image.tar" >/dev/null
  echo "loaded imageflow/$f:$TAG ($(pm image inspect --format '{{.Size}}' "imageflow/$f:$TAG") bytes, user $(pm image inspect --format '{{.Config.User}}' "imageflow/$f:$TAG"))"
done

fail() {
  echo "FAIL: $*"
  for f in "${FUNCTIONS[@]}"; do echo "--- if-$f"; pm logs "if-$f" 2>&1 | grep -vE '^\s+at ' | tail -25; done
  echo "--- runner"; tail -25 "$WORK/runner.log"
  exit 1
}

cleanup() {
  for f in "${FUNCTIONS[@]}"; do pm rm -f "if-$f" >/dev/null 2>&1 || true; done
  if [[ -n ${RUNNER_PID:-} ]]; then kill "$RUNNER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

log "stores and broker on the host"
remote=()
for f in "${FUNCTIONS[@]}"; do remote+=("--remote=$f=http://127.0.0.1:${PORT[$f]}"); done
java -jar functions/local/target/imageflow-local.jar --data="$WORK/data" --redis-port=$REDIS_PORT \
  --s3-port=$S3_PORT --broker-port=$BROKER_PORT "${remote[@]}" >"$WORK/runner.log" 2>&1 &
RUNNER_PID=$!
for _ in $(seq 120); do grep -q "stores and broker are up" "$WORK/runner.log" && break; sleep 0.5; done
grep "stores and broker are up" "$WORK/runner.log"

log "running the images"
for f in "${FUNCTIONS[@]}"; do
  pm rm -f "if-$f" >/dev/null 2>&1 || true
  pm run -d --name "if-$f" --network slirp4netns:allow_host_loopback=true -p "127.0.0.1:${PORT[$f]}:8080" \
    --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 \
    -e IMAGEFLOW_REDIS_URL="redis://$HOST:$REDIS_PORT" -e IMAGEFLOW_S3_ENDPOINT="http://$HOST:$S3_PORT" \
    -e IMAGEFLOW_S3_PATH_STYLE=true -e IMAGEFLOW_S3_BUCKET=imageflow -e IMAGEFLOW_S3_CREATE_BUCKET=true \
    -e IMAGEFLOW_S3_ACCESS_KEY=imageflow -e IMAGEFLOW_S3_SECRET_KEY=imageflow-local-secret \
    -e K_SINK="http://$HOST:$BROKER_PORT/" -e K_REVISION="$f-00001" \
    "imageflow/$f:$TAG" >/dev/null
done
for f in "${FUNCTIONS[@]}"; do
  ok=
  for _ in $(seq 120); do
    if curl -fs "http://127.0.0.1:${PORT[$f]}/actuator/health/readiness" >/dev/null; then ok=1; break; fi
    sleep 0.5
  done
  [[ -n $ok ]] || fail "$f did not become ready"
  echo "$f ready: $(curl -fs "http://127.0.0.1:${PORT[$f]}/actuator/health/readiness")"
done

log "an upload through the containers: bw, blur, thumbnail"
java infra/images/TestPhoto.java "$WORK/photo.jpg"
answer=$(curl -sS -F "file=@$WORK/photo.jpg" -F effects=bw,blur,thumbnail "http://127.0.0.1:${PORT[gateway]}/upload")
echo "$answer"
grep -q '"status":"done"' <<<"$answer" || fail "the job did not end done"
for f in bw blur thumbnail; do
  pod=$(pm inspect --format '{{.Config.Hostname}}' "if-$f")
  grep -q "\"effect\":\"$f\",\"pod\":\"$pod\",\"revision\":\"$f-00001\"" <<<"$answer" \
    || fail "the $f step was not processed by container if-$f ($pod)"
  echo "$f step processed by container $pod"
done
id=${answer#*\"id\":\"}
id=${id%%\"*}
curl -fsS -o "$WORK/result.jpg" -w "result: HTTP %{http_code}, %{content_type}, %{size_download} bytes\n" \
  "http://127.0.0.1:${PORT[gateway]}/image/$id"
echo "PASS: every image built, ran as non-root, became healthy and processed its step"
