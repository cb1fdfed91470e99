#!/usr/bin/env bash
# Images for amd64 and arm64 (x86 and Graviton nodes on EKS), each with its own AOT cache, and one manifest list per
# image naming both. Not run by CI: the arm64 half runs under emulation (qemu-user-static), about 20 minutes.
#
#   infra/images/multiarch.sh                                  # build, train and check both; lists kept locally
#   REGISTRY=<registry>/imageflow infra/images/multiarch.sh    # and push them there as <image>:<tag>
#   SKIP_VERIFY=1 infra/images/multiarch.sh                    # reuse the images an earlier run left in podman
#
# Steps: infra/images/verify.sh once per CPU (ARCH=amd64, then ARCH=arm64: base image, Jib, training, the cache
# baked in and checked with -XX:AOTMode=on, timed with and without it); then Jib's own multi-platform build, the
# way infra/overlays/aws/deploy.sh pushes (jib:build, both platforms from the base's manifest list), against a registry
# on 127.0.0.1 (Debian's docker-registry), whose result must list both CPUs and give an arm64 image for arm64;
# last, the baked images of both CPUs put into one manifest list per image and pushed (to REGISTRY, or to that local
# registry to prove the push), then pulled back for arm64 to check the cache is in it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${IMAGEFLOW_IMAGES_WORK:-$ROOT/infra/images/work}
TAG=$(sed -n "s:.*<image.tag>\(.*\)</image.tag>.*:\1:p" pom.xml)
HOST_ARCH=$(dpkg --print-architecture)
ARCHES=(amd64 arm64)
IMAGES=(gateway effects)
LOCAL=127.0.0.1:15000

log() { printf '\n== %s\n' "$*"; }
pm() { podman --root "$WORK/storage" --runroot "$WORK/run" --runtime runc "$@"; }
# (manifest add is given image IDs: by name it would look for docker.io/... in the storage)
# The tag verify.sh gives an image of ARCH: the plain tag for the machine's own CPU.
tag_of() { if [[ $1 == "$HOST_ARCH" ]]; then echo "$TAG"; else echo "$TAG-$1"; fi; }
# platforms REF: the os/architecture pairs a manifest list in the local registry names
platforms() {
  curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$LOCAL/v2/${1%:*}/manifests/${1##*:}" | grep -o '"architecture": *"[a-z0-9]*"' | sed 's/.*"\(.*\)"/\1/' \
    | sort | paste -sd' '
}

if [[ ${SKIP_VERIFY:-} != 1 ]]; then
  for arch in "${ARCHES[@]}"; do
    log "verify.sh for $arch"
    SECONDS=0
    skip=0
    [[ $arch == "${ARCHES[0]}" ]] || skip=1
    ARCH=$arch IMAGEFLOW_IMAGES_SKIP_BUILD=$skip infra/images/verify.sh
    echo "verify.sh for $arch took ${SECONDS}s"
  done
fi

command -v docker-registry >/dev/null || { apt-get update -q && apt-get install -y -q docker-registry; }
log "a registry on $LOCAL (Debian's docker-registry), storage in $WORK/registry"
cat >"$WORK/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: $LOCAL
YML
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
trap 'kill "$REGISTRY_PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://$LOCAL/v2/" >/dev/null && break; sleep 0.2; done

log "the base images of both CPUs as one manifest list, as eclipse-temurin:25-jre is on its registry"
base=imageflow/java25-base:multiarch
pm manifest rm "$base" >/dev/null 2>&1 || true
pm manifest create "$base" >/dev/null
for arch in "${ARCHES[@]}"; do
  tar=$(find "$WORK" -maxdepth 1 -name "java25-base-$arch-*.tar" | head -1)
  [[ -n $tar ]] || { echo "no base image for $arch in $WORK: run without SKIP_VERIFY=1" >&2; exit 1; }
  pm load -q -i "$tar" >/dev/null
  pm manifest add "$base" "containers-storage:$(pm image inspect --format '{{.Id}}' "imageflow/java25-base:$arch")" >/dev/null
done
pm manifest push -q --all --tls-verify=false "$base" "docker://$LOCAL/imageflow/java25-base:25"
echo "$LOCAL/imageflow/java25-base:25 lists: $(platforms imageflow/java25-base:25)"

log "Jib's multi-platform build (jib:build, platforms from the pom) onto that list"
./mvnw -q -B -ntp -pl "$(printf 'functions/%s,' "${IMAGES[@]}" | sed 's/,$//')" jib:build \
  -Djib.from.image="$LOCAL/imageflow/java25-base:25" -Dimage.registry="$LOCAL/imageflow" -Dimage.tag="$TAG-jib" \
  -Djib.allowInsecureRegistries=true -Djib.baseImageCache="$WORK/jib-cache" \
  -Djib.applicationCache="$WORK/jib-app-cache"
for f in "${IMAGES[@]}"; do
  listed=$(platforms "imageflow/$f:$TAG-jib")
  [[ $listed == "${ARCHES[*]}" ]] || { echo "FAIL: Jib's imageflow/$f:$TAG-jib lists '$listed'" >&2; exit 1; }
  pm pull -q --arch arm64 --tls-verify=false "$LOCAL/imageflow/$f:$TAG-jib" >/dev/null
  echo "Jib: imageflow/$f:$TAG-jib lists $listed; pulled for arm64:" \
    "$(pm image inspect --format '{{.Os}}/{{.Architecture}}, {{.Size}} bytes' "$LOCAL/imageflow/$f:$TAG-jib")"
  pm rmi -f "$LOCAL/imageflow/$f:$TAG-jib" >/dev/null
done

log "the trained images of both CPUs as one manifest list per image"
for f in "${IMAGES[@]}"; do
  list=imageflow/$f:$TAG-multiarch
  pm manifest rm "$list" >/dev/null 2>&1 || true
  pm manifest create "$list" >/dev/null
  for arch in "${ARCHES[@]}"; do
    ref=imageflow/$f:$(tag_of "$arch")
    got=$(pm image inspect --format '{{.Architecture}}' "$ref")
    [[ $got == "$arch" ]] || { echo "FAIL: $ref is for $got, not $arch" >&2; exit 1; }
    pm manifest add "$list" "containers-storage:$(pm image inspect --format '{{.Id}}' "$ref")" >/dev/null
    echo "$ref ($arch, $(pm image inspect --format '{{.Size}}' "$ref") bytes," \
      "$(pm image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$ref" | grep JDK_JAVA_OPTIONS))"
  done
  target=${REGISTRY:-$LOCAL/imageflow}/$f:$TAG
  tls=()
  [[ -z ${REGISTRY:-} ]] && tls=(--tls-verify=false)
  pm manifest push -q --all "${tls[@]}" "$list" "docker://$target"
  echo "pushed $list to $target"
done
if [[ -z ${REGISTRY:-} ]]; then
  for f in "${IMAGES[@]}"; do
    listed=$(platforms "imageflow/$f:$TAG")
    [[ $listed == "${ARCHES[*]}" ]] || { echo "FAIL: imageflow/$f:$TAG lists '$listed'" >&2; exit 1; }
    pm pull -q --arch arm64 --tls-verify=false "$LOCAL/imageflow/$f:$TAG" >/dev/null
    pm run --rm --arch arm64 --entrypoint /bin/sh "$LOCAL/imageflow/$f:$TAG" -c "uname -m; ls -l /app/$f.aot" \
      | paste -sd' ' | sed "s:^:imageflow/$f\:$TAG for arm64 runs as :"
    pm rmi -f "$LOCAL/imageflow/$f:$TAG" >/dev/null
  done
fi
echo "PASS: amd64 and arm64 images, each trained with its own AOT cache, in one manifest list per image"
