#!/usr/bin/env bash
# Cold start per function, on the set-up the images use: JDK 25, Spring AOT, the jar extracted (java -Djarmode=tools extract, so
# the class path is jars the AOT cache can hold), an AOT cache (JEP 483/514/515) trained on real work, and the JVM
# flags of a small Knative pod. For each function: from launching the JVM to its first answer, then its RSS once idle
# (at least 10 s after the answer and no CPU used for 2 s: compiling, the idle collection and the JVM's periodic
# return of compiler memory done), against real stores (embedded redis-server and
# S3Proxy); medians of RUNS rounds, each round one launch of every function so that all share the machine's load:
#   gateway    a 2 MP POST /upload with Prefer: respond-async, answered 202
#   each effect   a step event for a 2 MP photo, answered 200 with the next event (the effects app, K_SERVICE=<effect>)
#   reference  the bare Spring Cloud Function app (bench/reference), a string to its one Function<String,String>
#   reference-stack  the same app plus only the libraries every function must carry (bench/reference-stack: Actuator
#              and Prometheus, CloudEvents, Lettuce) and one Redis round trip in its function: a floor under the
#              functions, printed against the reference like them
# Training sends the same real requests (each function's own step path: decode, effect, encode, S3 put, Redis update,
# CloudEvent reply), then SIGTERM, and waits for the JVM to write the cache and end by itself. The cache is named by
# the content hash of every jar and flag (Temurin 25.0.3 does not reject a stale cache); every measured run uses
# -XX:AOTMode=on, so a missing or unusable cache fails the script instead of silently measuring a cold JVM.
# Ends with one line per function: cold-start <function> first-answer-ms=<N> idle-rss-mb=<M> first-answer-cpu-ms=<C>,
# then each function against the reference (the issue's targets: at most 1.25x its first answer, at most +30 MB) and
# against reference-stack.
#
#   bench/cold-start.sh                       # reference, reference-stack, gateway, every effect (infra/effects.sh), RUNS=5
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
# The images carry libjpeg-turbo and the functions reach it through FFM; without it they fall back to ImageIO's much
# slower JPEG code, and this would measure a set-up nobody runs.
# (grep reads to the end: with pipefail, grep -q quitting at the first match can fail the pipe with SIGPIPE)
if ! ldconfig -p | grep 'libturbojpeg\.so\.0 ' >/dev/null; then
  echo "cold-start.sh needs libjpeg-turbo's TurboJPEG library, as the images have it: apt-get install libturbojpeg0" >&2
  exit 2
fi
if (($#)); then FUNCTIONS=("$@"); else mapfile -t FUNCTIONS < <(echo reference; echo reference-stack; echo gateway; infra/effects.sh); fi
# The module a function is built from: every effect runs the effects application.
module_of() {
  case $1 in
    reference) echo bench/reference ;;
    reference-stack) echo bench/reference-stack ;;
    gateway) echo functions/gateway ;;
    *) echo functions/effects ;;
  esac
}
# A function's JVM flags: its pod's (infra/pod-flags.sh, read from its Knative Service; the reference apps get the
# effects'), which training and the measured runs share (an AOT cache needs the same GC and heap mode). Every function
# gets the same MaxRAM, whatever its Service's memory limit, so that all are measured with one heap budget. The images
# also run with the bean definitions Spring AOT generated at build time (-Dspring.aot.enabled=true); the reference
# apps are built with process-aot too, so all are measured the same way.
export MALLOC_ARENA_MAX=2   # as the Knative Services set it
mkdir -p "$OUT"
PHOTO=$OUT/photo-2mp.jpg
[[ -s $PHOTO ]] || "$JAVA" infra/images/TestPhoto.java "$PHOTO" 1800 1125

modules=bench,bench/reference
for f in "${FUNCTIONS[@]}"; do [[ ,$modules, == *,$(module_of "$f"),* ]] || modules+=,$(module_of "$f"); done
./mvnw -q -B -ntp install -DskipTests -pl "$modules" -am
./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/$OUT/classpath.txt"
PROBE=("$JAVA" -cp "bench/target/classes:$(cat "$OUT/classpath.txt")" dev.imageflow.bench.ColdStartProbe "$JAVA")

# Train every function first, then measure in rounds, one launch of each function per round: this machine's load
# changes by the minute, and a function measured in another minute than the reference would be compared with a
# different machine. Each round's launches share its load; the medians are over rounds.
declare -A launch
declare -A flags
for f in "${FUNCTIONS[@]}"; do
  pod=$(infra/pod-flags.sh "$f")   # a plain assignment, so that set -e stops the script if it fails
  read -ra POD <<<"$pod"
  FLAGS=(-XX:MaxRAM=768m "${POD[@]}" -Dspring.aot.enabled=true --enable-native-access=ALL-UNNAMED)
  flags[$f]="${FLAGS[*]}"
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
  launch[$f]="-XX:AOTMode=on -XX:AOTCache=$cache -jar $extracted"
done

for f in "${FUNCTIONS[@]}"; do : >"$OUT/cold-start-$f.txt"; done
for ((round = 1; round <= RUNS; round++)); do
  echo "== round $round of $RUNS: one cold start of each function with -XX:AOTMode=on"
  for f in "${FUNCTIONS[@]}"; do
    # shellcheck disable=SC2086 # the flags and launch options are words
    K_SERVICE=$f "${PROBE[@]}" 1 "$f" "$PHOTO" -- ${flags[$f]} ${launch[$f]} | grep '^run ' \
      | sed "s/^run 1/round $round/" | tee -a "$OUT/cold-start-$f.txt"
  done
done

# Medians over the rounds, and each function against the reference measured in the same rounds.
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
field() { sed -nE "s/.*$1.*/\\1/p" "$OUT/cold-start-$2.txt" | median; }
echo
: >"$OUT/cold-start.txt"
for f in "${FUNCTIONS[@]}"; do
  echo "cold-start $f first-answer-ms=$(field 'answered after ([0-9]+)' "$f") idle-rss-mb=$(field 'idle RSS ([0-9]+)' "$f")" \
    "first-answer-cpu-ms=$(field '\(([0-9]+) ms of CPU' "$f")" | tee -a "$OUT/cold-start.txt"
done
# against BASE: each function's median first answer as a multiple of BASE's, its idle RSS as BASE's plus a number
against() {
  local base=$1 f
  [[ " ${FUNCTIONS[*]} " == *" $base "* ]] || return 0
  for f in "${FUNCTIONS[@]}"; do
    [[ $f == "$base" || $f == reference ]] && continue
    awk -v base="$base" -v f="$f" -v ms="$(field 'answered after ([0-9]+)' "$f")" -v mb="$(field 'idle RSS ([0-9]+)' "$f")" \
      -v rms="$(field 'answered after ([0-9]+)' "$base")" -v rmb="$(field 'idle RSS ([0-9]+)' "$base")" \
      'BEGIN {if (base == "reference") {t1 = " (target 1.25x)"; t2 = " (target +30 MB)"}
        printf "against %s: %-15s first answer %.2fx%s, idle RSS %+d MB%s\n", base, f, ms / rms, t1, mb - rmb, t2}'
  done | tee -a "$OUT/cold-start.txt"
}
# The issue's yardstick, then the floor the carried libraries set (bench/reference-stack).
against reference
against reference-stack
