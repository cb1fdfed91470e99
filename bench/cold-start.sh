#!/usr/bin/env bash
# Cold start per function, on the set-up the images use: JDK 25, Spring AOT, the jar extracted (java -Djarmode=tools extract, so
# the class path is jars the AOT cache can hold), an AOT cache (JEP 483/514/515) trained on real work, and the JVM
# flags of a small Knative pod. For each function: from launching the JVM to its first answer, then idle RSS, median
# of RUNS launches, against real stores (embedded redis-server and S3Proxy):
#   gateway    a 2 MP POST /upload with Prefer: respond-async, answered 202
#   each effect   a step event for a 2 MP photo, answered 200 with the next event (the effects app, K_SERVICE=<effect>)
#   reference  the bare Spring Cloud Function app (bench/reference), a string to its one Function<String,String>
# Training sends the same real requests (each function's own step path: decode, effect, encode, S3 put, Redis update,
# CloudEvent reply), then SIGTERM, and waits for the JVM to write the cache and end by itself. The cache is named by
# the content hash of every jar and flag (Temurin 25.0.3 does not reject a stale cache); every measured run uses
# -XX:AOTMode=on, so a missing or unusable cache fails the script instead of silently measuring a cold JVM.
# Ends with one line per function: cold-start <function> first-answer-ms=<N> idle-rss-mb=<M>
#
#   bench/cold-start.sh                       # reference, gateway and every effect (infra/effects.sh), RUNS=5
#   RUNS=3 bench/cold-start.sh bw reference
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/results
RUNS=${RUNS:-5}
JDK25=${JDK25:-$(find /usr/lib/jvm -maxdepth 1 \( -name "temurin-25*" -o -name "*-25-*" \) 2>/dev/null | sort | head -1)}
if [[ -z $JDK25 || ! -x $JDK25/bin/java ]]; then
  echo "cold-start.sh needs a JDK 25 (AOT cache): install Temurin 25 (apt-get install temurin-25-jdk from the" \
    "Adoptium repository) or set JDK25=/path/to/jdk-25" >&2
  exit 2
fi
JAVA=$JDK25/bin/java
if (($#)); then FUNCTIONS=("$@"); else mapfile -t FUNCTIONS < <(echo reference; echo gateway; infra/effects.sh); fi
# The module a function is built from: every effect runs the effects application.
module_of() { case $1 in reference) echo bench/reference ;; gateway) echo functions/gateway ;; *) echo functions/effects ;; esac; }
# The flags of a small pod (see knative/*.yaml): training and production must share GC and heap mode. The images
# also run with the bean definitions Spring AOT generated at build time (-Dspring.aot.enabled=true); the reference
# is built with process-aot too, so both sides are measured the same way.
FLAGS=(-XX:+UseSerialGC -XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError
  -XX:TrimNativeHeapInterval=1000 -XX:-ShrinkHeapInSteps -Dspring.aot.enabled=true --enable-native-access=ALL-UNNAMED)
export MALLOC_ARENA_MAX=2   # as the Knative Services set it
mkdir -p "$OUT"
PHOTO=$OUT/photo-2mp.jpg
[[ -s $PHOTO ]] || "$JAVA" infra/images/TestPhoto.java "$PHOTO" 1800 1125

modules=bench,bench/reference
for f in "${FUNCTIONS[@]}"; do [[ ,$modules, == *,$(module_of "$f"),* ]] || modules+=,$(module_of "$f"); done
./mvnw -q -B -ntp install -DskipTests -pl "$modules" -am
./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt"
PROBE=("$JAVA" -cp "bench/target/classes:$(cat "$OUT/classpath.txt")" dev.imageflow.bench.ColdStartProbe "$JAVA")

results=()
for f in "${FUNCTIONS[@]}"; do
  module=$(module_of "$f")
  jar=$(ls "$module"/target/imageflow-"${module##*/}"-*-exec.jar)
  app=$OUT/$f-app
  rm -rf "$app" && "$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$app" >/dev/null
  extracted=$(ls "$app"/*.jar)
  hash=$( (cd "$app" && find . -name '*.jar' -print0 | sort -z | xargs -0 sha256sum; echo "${FLAGS[*]}"; "$JAVA" -version 2>&1) \
    | sha256sum | cut -c1-16)
  cache=$app/$f-$hash.aot
  echo "== $f: training $cache"
  # K_SERVICE, as Knative sets it: the effect an effects JVM applies.
  K_SERVICE=$f "${PROBE[@]}" train "$f" "$PHOTO" -- "${FLAGS[@]}" -XX:AOTCacheOutput="$cache" -jar "$extracted"
  [[ -s $cache ]] || { echo "no AOT cache written for $f (see $OUT/cold-start-$f-training.log)" >&2; exit 1; }
  echo "== $f: $RUNS cold starts with -XX:AOTMode=on"
  K_SERVICE=$f "${PROBE[@]}" "$RUNS" "$f" "$PHOTO" -- "${FLAGS[@]}" -XX:AOTMode=on -XX:AOTCache="$cache" -jar "$extracted" \
    | tee "$OUT/cold-start-$f.txt"
  results+=("$(grep '^cold-start ' "$OUT/cold-start-$f.txt")")
done
echo
printf '%s\n' "${results[@]}" | tee "$OUT/cold-start.txt"
