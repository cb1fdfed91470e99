#!/usr/bin/env bash
# imageflow's steps against libvips, in one run on this machine: for each of thumbnail (256), bw and blur (sigma 8)
# on a 12 MP and a 2.5 MP photo (issue 12's sizes), RUNS rounds (default 9) that each time libvips' whole command
# (vipsthumbnail -s 256, vips colourspace b-w, vips gaussblur 8: a process, JPEG quality 85) and then imageflow's
# whole step (Redis job read and claim, S3 get, decode + effect + encode at quality 85, S3 put, Redis record;
# against a redis-server and S3Proxy started in the same JVM; one warm JDK 25 JVM with libjpeg-turbo through FFM,
# the pods' GC), interleaved; medians, their ratio, and the mean absolute difference of the two results (both
# decoded by ImageIO, per channel, at equal size). Prints two Markdown tables (decode + effect + encode against
# libvips; the whole step and its parts); results and both sets of images in bench/results/vs-libvips/. Not a
# test: CI does not run it.
#
#   bench/vs-libvips.sh            # about 5 minutes on 2 cores, build included; root for apt-get the first time
#   RUNS=15 bench/vs-libvips.sh
#   JAVA25=/path/to/jdk-25 bench/vs-libvips.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PHOTOS=$ROOT/bench/photos
OUT=$ROOT/bench/results/vs-libvips
RUNS=${RUNS:-9}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64}
mkdir -p "$PHOTOS" "$OUT"

need=()
command -v vips >/dev/null || need+=(libvips-tools)
[[ -d /usr/share/backgrounds/mate/abstract ]] || need+=(mate-backgrounds)
ldconfig -p | grep 'libturbojpeg\.so\.0' >/dev/null || need+=(libturbojpeg0)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
if [[ ! -x $JAVA25/bin/java ]]; then
  echo "no JDK 25 at $JAVA25 (set JAVA25=...): the steps run where the images run, on 25" >&2
  exit 1
fi

# bench/run.sh's 12 MP photograph (made the same way if missing), and Garden (2560x1600) at 2000x1250 for the
# issue's 2.5 MP, where run.sh's 2 MP one is 1792x1120.
[[ -s $PHOTOS/photo-12mp.jpg ]] || vips resize /usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg \
  "$PHOTOS/photo-12mp.jpg[Q=92]" 0.8171
[[ -s $PHOTOS/photo-2.5mp.jpg ]] || vips resize /usr/share/backgrounds/mate/nature/Garden.jpg \
  "$PHOTOS/photo-2.5mp.jpg[Q=92]" 0.78125
for p in "$PHOTOS"/photo-12mp.jpg "$PHOTOS"/photo-2.5mp.jpg; do vipsheader "$p"; done

# Built in the reactor (nothing installed into ~/.m2), the class path pointing at the modules' jars.
./mvnw -q -B -ntp -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime
echo "== $(nproc) cores, $(vips --version), $("$JAVA25/bin/java" -version 2>&1 | head -1), $(date -u +%FT%TZ)"
"$JAVA25/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx1g -Dlogging.level.root=WARN \
  -cp "bench/target/classes:$(cat "$OUT/classpath.txt")" dev.imageflow.bench.VsLibvips "$PHOTOS" "$OUT" "$RUNS" 12mp 2.5mp \
  2> >(tee "$OUT/rounds.txt" >&2) | tee "$OUT/table.md"
echo "(results in bench/results/vs-libvips/)"
