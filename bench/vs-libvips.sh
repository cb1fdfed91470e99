#!/usr/bin/env bash
# imageflow's steps against libvips, in one run on this machine: for each of thumbnail (256), bw and blur (sigma 8)
# on the 12 MP and 2 MP photos bench/run.sh uses, RUNS rounds (default 9) that each time libvips' whole command
# (vipsthumbnail -s 256, vips colourspace b-w, vips gaussblur 8: a process, JPEG quality 85) and then imageflow's
# step (decode + effect + encode at quality 85, in one warm JDK 25 JVM with libjpeg-turbo through FFM, the pods'
# GC), interleaved; medians, their ratio, and the mean absolute difference of the two results (both decoded by
# ImageIO, per channel, at equal size). Prints a Markdown table; results and both sets of images in
# bench/results/vs-libvips/. Not a test: CI does not run it.
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
ldconfig -p | grep -q 'libturbojpeg\.so\.0' || need+=(libturbojpeg0)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
if [[ ! -x $JAVA25/bin/java ]]; then
  echo "no JDK 25 at $JAVA25 (set JAVA25=...): the steps run where the images run, on 25" >&2
  exit 1
fi

# The same photographs as bench/run.sh (made the same way if missing).
[[ -s $PHOTOS/photo-12mp.jpg ]] || vips resize /usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg \
  "$PHOTOS/photo-12mp.jpg[Q=92]" 0.8171
[[ -s $PHOTOS/photo-2mp.jpg ]] || vips resize /usr/share/backgrounds/mate/nature/Garden.jpg "$PHOTOS/photo-2mp.jpg[Q=92]" 0.7
for p in "$PHOTOS"/photo-*.jpg; do vipsheader "$p"; done

# Built in the reactor (nothing installed into ~/.m2), the class path pointing at the modules' jars.
./mvnw -q -B -ntp -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime
echo "== $(nproc) cores, $(vips --version), $("$JAVA25/bin/java" -version 2>&1 | head -1), $(date -u +%FT%TZ)"
"$JAVA25/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx1g -Dlogging.level.root=WARN \
  -cp "bench/target/classes:$(cat "$OUT/classpath.txt")" dev.imageflow.bench.VsLibvips "$PHOTOS" "$OUT" "$RUNS" \
  2> >(tee "$OUT/rounds.txt" >&2) | tee "$OUT/table.md"
echo "(results in bench/results/vs-libvips/)"
