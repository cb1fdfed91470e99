#!/usr/bin/env bash
# The effects, timed side by side with libvips, ImageMagick and Pillow on real photographs, in one run on this
# machine, and one table: operation x image x tool, median ms and the ratio to libvips. Then cold start and the
# scaling experiment (bench/cold-start.sh, infra/demo/scaling-experiment.sh). Benchmarks, not tests: CI does not run them.
#
#   bench/run.sh              # about 10 minutes on 2 cores; needs root for apt-get the first time
#   RUNS=15 bench/run.sh      # more runs per peer measurement
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PHOTOS=$ROOT/bench/photos
OUT=$ROOT/bench/results
RUNS=${RUNS:-9}
mkdir -p "$PHOTOS" "$OUT"

need=()
command -v vips >/dev/null || need+=(libvips-tools)
command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick || need+=(imagemagick)
/usr/bin/python3 -c 'import PIL' 2>/dev/null || need+=(python3-pil)
[[ -d /usr/share/backgrounds/mate/abstract ]] || need+=(mate-backgrounds)
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

# Real photographs from Debian's mate-backgrounds (not committed): Elephants (5640x3172) shrunk to 12 MP, Garden
# (2560x1600) to 2 MP, both re-encoded at quality 92 as a camera would.
[[ -s $PHOTOS/photo-12mp.jpg ]] || vips resize /usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg \
  "$PHOTOS/photo-12mp.jpg[Q=92]" 0.8171
[[ -s $PHOTOS/photo-2mp.jpg ]] || vips resize /usr/share/backgrounds/mate/nature/Garden.jpg "$PHOTOS/photo-2mp.jpg[Q=92]" 0.7
for p in "$PHOTOS"/photo-*.jpg; do vipsheader "$p"; done

echo "== JMH: imageflow (decode + effect + encode, quality 85), $(nproc) cores, $(java -version 2>&1 | head -1)"
./mvnw -q -B -ntp install -DskipTests
./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt"
java -cp "bench/target/classes:$(cat "$OUT/classpath.txt")" -Dbench.photos="$PHOTOS" org.openjdk.jmh.Main \
  EffectBenchmark -rf json -rff "$OUT/jmh.json" | tail -20

echo "== peers, $RUNS runs each, median"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
median_ms() {  # median wall time of a command, in ms
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}
{
  # What starting each command-line tool costs, from a trivial operation: subtracted in the last column, since a
  # function pays its start-up once, not per image.
  echo "startup - vips $(median_ms vips black "$TMP/x.v" 1 1)"
  echo "startup - imagemagick $(median_ms convert xc:white "$TMP/x.png")"
  for img in 12mp 2mp; do
    in=$PHOTOS/photo-$img.jpg
    echo "thumbnail $img vips $(median_ms vipsthumbnail "$in" -s 256 -o "$TMP/t.jpg[Q=85]")"
    echo "thumbnail $img imagemagick $(median_ms convert "$in" -thumbnail 256x256 -quality 85 "$TMP/t.jpg")"
    echo "blur $img vips $(median_ms vips gaussblur "$in" "$TMP/b.jpg[Q=85]" 8)"
    echo "blur $img imagemagick $(median_ms convert "$in" -blur 0x8 -quality 85 "$TMP/b.jpg")"
    echo "bw $img vips $(median_ms vips colourspace "$in" "$TMP/g.jpg[Q=85]" b-w)"
    echo "bw $img imagemagick $(median_ms convert "$in" -colorspace Gray -quality 85 "$TMP/g.jpg")"
    # Pillow timed inside Python (its start-up is not counted), the fairest reading for it.
    /usr/bin/python3 - "$in" "$img" "$RUNS" "$TMP" <<'PY'
import statistics, sys, time
from PIL import Image, ImageFilter
path, img, runs, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def thumbnail():
    im = Image.open(path); im.thumbnail((256, 256)); im.save(tmp + "/p.jpg", quality=85)
def blur():
    Image.open(path).filter(ImageFilter.GaussianBlur(8)).save(tmp + "/p.jpg", quality=85)
def bw():
    Image.open(path).convert("L").save(tmp + "/p.jpg", quality=85)
for name, fn in (("thumbnail", thumbnail), ("blur", blur), ("bw", bw)):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) * 1000)
    print(f"{name} {img} pillow {statistics.median(times):.0f}")
PY
  done
} | tee "$OUT/peers.txt"

echo "== the table"
/usr/bin/python3 - "$OUT/jmh.json" "$OUT/peers.txt" <<'PY' | tee "$OUT/table.md"
import json, sys
rows = {}
startup = {"imageflow": 0.0, "pillow": 0.0}
for b in json.load(open(sys.argv[1])):
    p = b["params"]
    rows[(p["effect"], p["image"], "imageflow")] = b["primaryMetric"]["scorePercentiles"]["50.0"]
for line in open(sys.argv[2]):
    op, img, tool, ms = line.split()
    if op == "startup":
        startup[tool] = float(ms)
    else:
        rows[(op, img, tool)] = float(ms)
print("| operation | image | tool | median ms | × libvips | × libvips, tool start-up subtracted |")
print("|---|---|---|---:|---:|---:|")
for op in ("thumbnail", "blur", "bw"):
    for img in ("12mp", "2mp"):
        base = rows.get((op, img, "vips"))
        for tool in ("vips", "imageflow", "imagemagick", "pillow"):
            ms = rows.get((op, img, tool))
            if ms is not None:
                work = max(ms - startup[tool], 1)
                print(f"| {op} | {img} | {tool} | {ms:.0f} | {ms / base:.2f} | {work / (base - startup['vips']):.2f} |")
PY
echo "(results in bench/results/)"
