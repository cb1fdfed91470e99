#!/usr/bin/env bash
# Builds both container images (the gateway's, and the effects' one that every effect Service runs) without a Docker
# daemon and proves each one works: a base image made
# from Debian packages (debootstrap minbase) carrying a Java 25 runtime jlinked from the machine's JDK 25 with only
# the modules the functions use, imported into podman; the functions' images built on it by Jib (jib:buildTar,
# packaged mode, so the application is jars an AOT cache can hold), loaded into podman and run with ports published
# on 127.0.0.1 only. Each image is then trained: its JVM writes an AOT cache while real uploads go through every
# container (the containerised gateway sends the first step to a Broker on the host, the local runner with
# --remote=..., which delivers every step to the containerised functions, against Redis and S3 on the host), and
# the cache is baked into the image with JDK_JAVA_OPTIONS pointing at it. Last, the baked images are run with
# -XX:AOTMode=on (a missing or unusable cache fails the script), timed from launch to ready, their idle RSS read,
# and driven through an upload again.
#
#   infra/images/verify.sh            # needs root (apt-get, podman) and a JDK 25; about 5 minutes the first time
#   ARCH=arm64 infra/images/verify.sh # the same for the other CPU, under emulation (qemu-user-static, binfmt_misc):
#                                     # tagged <tag>-arm64; about 20 minutes; infra/images/multiarch.sh runs both
#
# Another CPU's runtime is jlinked by this JDK from that CPU's jmods (Debian's openjdk-25-jdk-headless for it, fetched
# with apt-get download into a folder of our own, the machine's apt sources untouched), on a Debian trixie base: that
# JDK needs trixie's C library. Its images are run, trained and checked like the machine's own, the JVM emulated.
#
# Quirks of this kind of machine, handled here: crun fails on its cgroup setup, so runc; the default ulimits are
# too low for the JVM in a container; podman's storage and Jib's base-image cache live in a folder of our own.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${IMAGEFLOW_IMAGES_WORK:-$ROOT/infra/images/work}
HOST_ARCH=$(dpkg --print-architecture)
ARCH=${ARCH:-$HOST_ARCH}
TAG=$(sed -n "s:.*<image.tag>\(.*\)</image.tag>.*:\1:p" pom.xml)
# The machine's own CPU keeps the plain tag (what CI and knative/ use); another CPU's images are tagged apart.
[[ $ARCH == "$HOST_ARCH" ]] || TAG=$TAG-$ARCH
# Launch to ready, an upload's wait, writing the AOT cache at exit: seconds natively; minutes under emulation, where
# every instruction is translated.
READY_SECONDS=24 WAIT_TIMEOUT=60s STOP_SECONDS=180
[[ $ARCH == "$HOST_ARCH" ]] || READY_SECONDS=900 WAIT_TIMEOUT=15m STOP_SECONDS=900
IMAGES=(gateway effects)
# One container per Service: the gateway, and one of the effects image per effect (K_SERVICE names its effect).
mapfile -t EFFECTS < <(infra/effects.sh)
# Under emulation a JVM takes minutes to start: only the effect that trains the effects image's cache runs there (the
# same jars as every other effect; the machine's own run checks each effect's container).
[[ $ARCH == "$HOST_ARCH" ]] || EFFECTS=("${EFFECTS[0]}")
FUNCTIONS=(gateway "${EFFECTS[@]}")
# IMAGEFLOW_IMAGES_PORTS=100 moves every port up by 100, so that two runs (two CPUs, two WORK folders) can go at once.
OFFSET=${IMAGEFLOW_IMAGES_PORTS:-0}
declare -A PORT=([gateway]=$((18080 + OFFSET)))
for i in "${!EFFECTS[@]}"; do PORT[${EFFECTS[$i]}]=$((18081 + OFFSET + i)); done
image_of() { if [[ $1 == gateway ]]; then echo gateway; else echo effects; fi; }
# The effects image carries one AOT cache, trained by the first effect's container: a cache depends on the jars and
# JVM flags, not on the effect, so every effect uses it (what only one effect loads is loaded as usual).
TRAINER=${EFFECTS[0]}
REDIS_PORT=$((16379 + OFFSET)) S3_PORT=$((19000 + OFFSET)) BROKER_PORT=$((18090 + OFFSET))
HOST=10.0.2.2   # the host's loopback as containers see it (slirp4netns allow_host_loopback)
JDK25=${JDK25:-$(find /usr/lib/jvm -maxdepth 1 \( -name "temurin-25*" -o -name "*-25-*" \) 2>/dev/null | sort | head -1)}
if [[ -z $JDK25 || ! -x $JDK25/bin/jlink ]]; then
  echo "verify.sh needs a JDK 25 to jlink the images' runtime: install Temurin 25 (apt-get install temurin-25-jdk" \
    "from the Adoptium repository) or set JDK25=/path/to/jdk-25" >&2
  exit 2
fi

mkdir -p "$WORK"
log() { printf '\n== %s\n' "$*"; }
pm() { podman --root "$WORK/storage" --runroot "$WORK/run" --runtime runc "$@"; }

need=()
for tool in podman runc debootstrap slirp4netns; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [[ $ARCH != "$HOST_ARCH" ]]; then
  tool=qemu-$(sed 's/arm64/aarch64/; s/amd64/x86_64/' <<<"$ARCH")-static
  command -v "$tool" >/dev/null || need+=("$tool")
fi
if ((${#need[@]})); then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  extra=()
  [[ $ARCH == "$HOST_ARCH" ]] || extra=(qemu-user-static)
  apt-get update -q && apt-get install -y -q podman runc debootstrap slirp4netns uidmap fuse-overlayfs "${extra[@]}"
fi

# Another CPU: its programs run through qemu, registered with the kernel (binfmt_misc, the F flag so that it works
# inside containers and chroots too); and a JDK 25 built for it, whose jmods this machine's jlink links from.
SUITE=bookworm
JMODS=()
JLINK_STRIP=(--strip-debug)
if [[ $ARCH != "$HOST_ARCH" ]]; then
  qemu=${ARCH/arm64/aarch64}
  qemu=${qemu/amd64/x86_64}
  if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
      || { echo "ARCH=$ARCH needs binfmt_misc (mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc)" >&2; exit 2; }
  fi
  [[ -e /proc/sys/fs/binfmt_misc/qemu-$qemu ]] || cat "/usr/lib/binfmt.d/qemu-$qemu.conf" >/proc/sys/fs/binfmt_misc/register
  # Debian's openjdk-25 needs trixie's C library (bookworm has no openjdk-25).
  SUITE=trixie
  jdk=$WORK/jdk-$ARCH
  if [[ ! -d $jdk/jmods ]]; then
    log "JDK 25 for $ARCH: Debian $SUITE's openjdk-25-jdk-headless:$ARCH, its jmods"
    apt=$WORK/apt-$ARCH
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
    echo "deb [arch=$ARCH] http://deb.debian.org/debian $SUITE main" >"$apt/sources.list"
    opts=(-o "APT::Architecture=$ARCH" -o "APT::Architectures::=$ARCH" -o "Dir::Etc::SourceList=$apt/sources.list"
      -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
      -o Dir::State::status=/dev/null -o Debug::NoLocking=1)
    apt-get "${opts[@]}" update -q >/dev/null
    (cd "$apt/debs" && apt-get "${opts[@]}" download openjdk-25-jdk-headless openjdk-25-jre-headless 2>&1 | grep -v '^W:')
    rm -rf "$jdk.tmp" && mkdir -p "$jdk.tmp"
    for deb in "$apt"/debs/*.deb; do dpkg-deb -x "$deb" "$jdk.tmp"; done
    rm -rf "$jdk" && mv "$jdk.tmp/usr/lib/jvm/java-25-openjdk-$ARCH" "$jdk" && rm -rf "$jdk.tmp" "$apt/debs"
  fi
  JMODS=(--module-path "$jdk/jmods")
  # jlink strips native debug symbols with this machine's objcopy, which cannot read another CPU's files: Java's debug
  # attributes only, and Debian's separate .debuginfo files are deleted after.
  JLINK_STRIP=(--strip-java-debug-attributes)
fi

log "function jars"
# IMAGEFLOW_IMAGES_SKIP_BUILD=1 takes the jars an earlier run built (multiarch.sh's second CPU does).
[[ ${IMAGEFLOW_IMAGES_SKIP_BUILD:-} == 1 ]] || ./mvnw -q -B -ntp install -DskipTests
# The modules the functions' code and libraries use (jdeps), plus what is only reached by reflection or service
# lookup: DNS for Netty's resolver, the JDK's own diagnostics (jcmd) for operators.
apps=$WORK/apps
rm -rf "$apps" && mkdir -p "$apps"
for f in "${IMAGES[@]}"; do
  "$JDK25/bin/java" -Djarmode=tools -jar functions/"$f"/target/imageflow-"$f"-*-exec.jar extract --destination "$apps/$f" >/dev/null
done
MODULES=$("$JDK25/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 -q \
  --class-path "$(printf '%s/lib/*:' "$apps"/*)" "$apps"/*/*.jar),jdk.naming.dns,jdk.jcmd
# Debian packages the functions call natively: libjpeg-turbo's TurboJPEG (JPEG through FFM).
PACKAGES=ca-certificates,libturbojpeg0
# The runtime's identity: its modules and packages, the CPU and suite, the JDK that links it and the jmods it links.
RUNTIME_ID=$( (echo "$MODULES $PACKAGES $ARCH $SUITE"; "$JDK25/bin/java" -version 2>&1; [[ -z ${jdk:-} ]] || cat "$jdk/release") \
  | sha256sum | cut -c1-12)
BASE_TAR=$WORK/java25-base-$ARCH-$RUNTIME_ID.tar
if [[ ! -s $BASE_TAR ]]; then
  log "base image for $ARCH: debootstrap $SUITE (minbase) with $PACKAGES + Java 25 jlinked to $MODULES"
  rootfs=$WORK/rootfs-$ARCH
  rm -rf "$rootfs" "$WORK"/java25-base-"$ARCH"-*.tar
  debootstrap --arch="$ARCH" --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" http://deb.debian.org/debian \
    >"$WORK/debootstrap-$ARCH.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  "$JDK25/bin/jlink" "${JMODS[@]}" --add-modules "$MODULES" "${JLINK_STRIP[@]}" --no-man-pages --no-header-files \
    --output "$rootfs/opt/java"
  find "$rootfs/opt/java" -name '*.debuginfo' -delete
  tar -C "$rootfs" -c . | pm import --arch "$ARCH" --change 'ENV LANG=C.UTF-8' --change 'ENV JAVA_HOME=/opt/java' \
    --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "imageflow/java25-base:$ARCH" >/dev/null
  pm save --format docker-archive -o "$BASE_TAR" "imageflow/java25-base:$ARCH"
  rm -rf "$rootfs"
fi

log "function images: jib:buildTar on that base, for linux/$ARCH"
# A tar holds one platform only: the base's.
./mvnw -q -B -ntp -pl "$(printf 'functions/%s,' "${IMAGES[@]}" | sed 's/,$//')" jib:buildTar \
  -Djib.from.image="tar://$BASE_TAR" -Djib.from.platforms="linux/$ARCH" -Dimage.tag="$TAG" \
  -Djib.baseImageCache="$WORK/jib-cache" -Djib.applicationCache="$WORK/jib-app-cache"
for f in "${IMAGES[@]}"; do
  pm load -q -i "functions/$f/target/jib-image.tar" >/dev/null
  echo "loaded imageflow/$f:$TAG ($(pm image inspect --format '{{.Size}} bytes, {{.Os}}/{{.Architecture}}, user {{.Config.User}}' "imageflow/$f:$TAG"))"
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
for _ in $(seq 600); do grep -q "stores and broker are up" "$WORK/runner.log" && break; sleep 0.5; done
grep "stores and broker are up" "$WORK/runner.log"

# Each container gets its Service's JVM flags (infra/pod-flags.sh): an AOT cache must be trained with the GC and heap
# mode it is used with.
# run_images OPTIONS [TRAINING]: every Service's container, with JDK_JAVA_OPTIONS=OPTIONS ({f} is the image's name);
# with TRAINING, only the gateway and the effect that trains the effects image's cache get OPTIONS,
# one after the other, each timed from launch to ready on its own (several JVMs starting at once on two cores would
# time the machine, not the image).
declare -A READY_MS
run_images() {
  for f in "${FUNCTIONS[@]}"; do
    pm rm -f "if-$f" >/dev/null 2>&1 || true
    image=$(image_of "$f")
    options=${1//\{f\}/$image}
    [[ -n ${2:-} && $f != gateway && $f != "$TRAINER" ]] && options=
    flags=$(infra/pod-flags.sh "$f")   # a plain assignment, so that set -e stops the check if it fails
    launched=$(date +%s%N)
    pm run -d --name "if-$f" --network slirp4netns:allow_host_loopback=true -p "127.0.0.1:${PORT[$f]}:8080" \
      --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 -v "$WORK/aot:/aot" \
      -e JAVA_TOOL_OPTIONS="$flags" -e JDK_JAVA_OPTIONS="$options" -e MALLOC_ARENA_MAX=2 -e K_SERVICE="$f" \
      -e IMAGEFLOW_GATEWAY_WAITTIMEOUT="$WAIT_TIMEOUT" \
      -e IMAGEFLOW_REDIS_URL="redis://$HOST:$REDIS_PORT" -e IMAGEFLOW_S3_ENDPOINT="http://$HOST:$S3_PORT" \
      -e IMAGEFLOW_S3_PATH_STYLE=true -e IMAGEFLOW_S3_BUCKET=imageflow -e IMAGEFLOW_S3_CREATE_BUCKET=true \
      -e IMAGEFLOW_S3_ACCESS_KEY=imageflow -e IMAGEFLOW_S3_SECRET_KEY=imageflow-local-secret \
      -e K_SINK="http://$HOST:$BROKER_PORT/" -e K_REVISION="$f-00001" \
      "imageflow/$image:$TAG" >/dev/null
    ok=
    for _ in $(seq $((READY_SECONDS * 50))); do
      if curl -fs "http://127.0.0.1:${PORT[$f]}/actuator/health/readiness" >/dev/null; then ok=1; break; fi
      sleep 0.02
    done
    [[ -n $ok ]] || fail "$f did not become ready"
    READY_MS[$f]=$((($(date +%s%N) - launched) / 1000000))
  done
}

# upload EFFECTS: one upload through the containers, checked done and processed by each effect's own container
upload() {
  answer=$(curl -sS -F "file=@$WORK/photo.jpg" -F effects="$1" "http://127.0.0.1:${PORT[gateway]}/upload")
  grep -q '"status":"done"' <<<"$answer" || fail "the job did not end done: $answer"
  for f in ${1//,/ }; do
    pod=$(pm inspect --format '{{.Config.Hostname}}' "if-$f")
    grep -q "\"effect\":\"$f\",\"pod\":\"$pod\",\"revision\":\"$f-00001\"" <<<"$answer" \
      || fail "the $f step was not processed by container if-$f ($pod)"
  done
}

java infra/images/TestPhoto.java "$WORK/photo.jpg"
rm -rf "$WORK/aot" && mkdir -p "$WORK/aot" && chmod 777 "$WORK/aot"

log "training: each image writes an AOT cache while real uploads go through it"
run_images "-XX:AOTCacheOutput=/aot/{f}.aot" training
ALL=$(IFS=,; echo "${EFFECTS[*]}")
for _ in 1 2 3; do upload "$ALL"; done
# SIGTERM, then the JVM writes its cache (seconds): give it time to end by itself.
stops=()
for f in "${FUNCTIONS[@]}"; do pm stop -t "$STOP_SECONDS" "if-$f" >/dev/null & stops+=($!); done
wait "${stops[@]}"
for f in "${IMAGES[@]}"; do
  [[ -s $WORK/aot/$f.aot ]] || fail "no AOT cache written by the $f image"
  pm rm -f "bake-$f" >/dev/null 2>&1 || true
  pm create --name "bake-$f" "imageflow/$f:$TAG" >/dev/null
  pm cp "$WORK/aot/$f.aot" "bake-$f:/app/$f.aot"
  # auto mode in production: a pod started with other GC or heap flags runs without the cache instead of failing.
  pm commit -q --change "ENV JDK_JAVA_OPTIONS=-XX:AOTCache=/app/$f.aot" "bake-$f" "imageflow/$f:$TAG" >/dev/null
  pm rm -f "bake-$f" >/dev/null
  echo "imageflow/$f:$TAG carries /app/$f.aot ($(du -m "$WORK/aot/$f.aot" | cut -f1) MB)"
done
rm -f "$WORK"/aot/*.aot

log "the baked images, with -XX:AOTMode=on: a missing or unusable cache fails here"
run_images "-XX:AOTCache=/app/{f}.aot -XX:AOTMode=on"
sleep 3
for f in "${FUNCTIONS[@]}"; do
  rss=$(pm exec "if-$f" sh -c 'grep VmRSS /proc/1/status' | tr -dc 0-9)
  echo "image $f launch-to-ready-ms=${READY_MS[$f]} idle-rss-mb=$((rss / 1024))"
done
started=$(date +%s%N)
upload "$ALL"
echo "first upload through every effect: $((($(date +%s%N) - started) / 1000000)) ms"
echo "$answer"
id=${answer#*\"id\":\"}
id=${id%%\"*}
curl -fsS -o "$WORK/result.jpg" -w "result: HTTP %{http_code}, %{content_type}, %{size_download} bytes\n" \
  "http://127.0.0.1:${PORT[gateway]}/image/$id"

log "the same images without their caches (-XX:AOTMode=off): what a cache saves"
declare -A CACHED_MS
for f in "${FUNCTIONS[@]}"; do CACHED_MS[$f]=${READY_MS[$f]}; done
run_images "-XX:AOTMode=off"
for f in "${FUNCTIONS[@]}"; do
  echo "image $f launch-to-ready-ms without-cache=${READY_MS[$f]} with-cache=${CACHED_MS[$f]}"
done
started=$(date +%s%N)
upload "$ALL"
echo "first upload through every effect, without caches: $((($(date +%s%N) - started) / 1000000)) ms"
echo "PASS: both images built on Java 25, ran as non-root, trained and used their AOT caches; every effect's container processed its step"
