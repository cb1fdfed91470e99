#!/usr/bin/env bash
# Cold start per function: from launching the JVM to the answer to its first step event (a 2 MP photo), and idle
# RSS after it, median of RUNS launches, on three set-ups:
#   plain      java -jar on JDK 17
#   cds        JDK 17, the jar extracted (java -Djarmode=tools extract) with a CDS archive from a training run
#   aot        JDK 25, extracted, with an AOT cache (-XX:AOTCacheOutput, JEP 514/515) from a training run
# Every run uses the flags a small Knative pod would: SerialGC and a 768 MB memory budget.
#
#   bench/cold-start.sh [function ...]     # default: blur bw thumbnail gateway is not a step function
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/results
RUNS=${RUNS:-5}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
FUNCTIONS=("${@:-blur bw thumbnail}")
FLAGS=(-XX:+UseSerialGC -XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -Xss512k)
mkdir -p "$OUT"
[[ -s bench/photos/photo-2mp.jpg ]] || { echo "run bench/run.sh first (it makes bench/photos)"; exit 1; }
./mvnw -q -B -ntp install -DskipTests
[[ -s $OUT/classpath.txt ]] || ./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt"
PROBE=(java -cp "bench/target/classes:$(cat "$OUT/classpath.txt")" dev.imageflow.bench.ColdStartProbe)

for f in ${FUNCTIONS[@]}; do
  jar=$(ls functions/$f/target/imageflow-$f-*-exec.jar)
  app=$OUT/$f-app
  rm -rf "$app" && java -Djarmode=tools -jar "$jar" extract --destination "$app" >/dev/null
  extracted=$(ls "$app"/*.jar)
  echo "== $f"
  echo "-- plain (JDK 17, java -jar)"
  "${PROBE[@]}" "$JDK17/bin/java" "$RUNS" "$f" bench/photos/photo-2mp.jpg -- "${FLAGS[@]}" -jar "$jar" | grep -E "^(run|[a-z]+: median)"
  echo "-- cds (JDK 17, extracted, CDS archive)"
  "$JDK17/bin/java" "${FLAGS[@]}" -XX:ArchiveClassesAtExit="$app/app.jsa" -Dspring.context.exit=onRefresh \
    -jar "$extracted" >"$app/training.log" 2>&1 || true
  "${PROBE[@]}" "$JDK17/bin/java" "$RUNS" "$f" bench/photos/photo-2mp.jpg -- "${FLAGS[@]}" \
    -XX:SharedArchiveFile="$app/app.jsa" -jar "$extracted" | grep -E "^(run|[a-z]+: median)"
  if [[ -n $JDK25 ]]; then
    echo "-- aot (JDK 25, extracted, AOT cache)"
    "$JDK25/bin/java" "${FLAGS[@]}" -XX:AOTCacheOutput="$app/app.aot" -Dspring.context.exit=onRefresh \
      -jar "$extracted" >"$app/training-aot.log" 2>&1 || true
    "${PROBE[@]}" "$JDK25/bin/java" "$RUNS" "$f" bench/photos/photo-2mp.jpg -- "${FLAGS[@]}" \
      -XX:AOTCache="$app/app.aot" -jar "$extracted" | grep -E "^(run|[a-z]+: median)"
  fi
done
