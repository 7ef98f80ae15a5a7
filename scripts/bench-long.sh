#!/usr/bin/env bash
# Long recordings in bounded memory (issue: streaming): builds a one-hour 48 kHz 16-bit stereo WAV from RAVDESS clips
# joined with 0.5-2.5 s pauses (`ser bench long-wav`, 691 MB, under runs/long/, never committed), then measures with
# GNU time the peak RSS and wall time of
#   1. the Native AOT Predict scoring it window by window from the file: Predict --wav <file> --stream
#   2. the same bytes piped to standard input:          cat <file> | Predict --wav - --stream
#   3. ser timeline <file> -o timeline.html --csv --json (the JIT build: one HTML figure, CSV and JSON)
# and prints the real-time factor (processing seconds / audio seconds) of each. Goal: peak RSS <= 150 MB.
# The machine is shared: the load average is printed before each run.
#
# Usage: scripts/bench-long.sh [minutes] ; env SKIP_BUILD=1 to reuse the builds, MODEL=artifacts/model.onnx.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-60}"
model="${MODEL:-$root/artifacts/model.onnx}"
shared="${SERMLNET_SHARED:-$root/../shared}"
[ -x /usr/bin/time ] || { echo "bench-long: GNU time (/usr/bin/time) is missing: run ./setup.sh" >&2; exit 1; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build "$root/src/SerMlNet.Cli" -c Release -v quiet -nologo >/dev/null
  dotnet publish "$root/src/Predict" -c Release -v quiet -nologo >/dev/null
fi
ser="$root/src/SerMlNet.Cli/bin/Release/net10.0/ser"
predict="$root/out/predict-aot/Predict"
out="$root/runs/long"
wav="$out/long-${minutes}min-48k.wav"
mkdir -p "$out"
if [ ! -f "$wav" ]; then
  "$ser" bench long-wav --shared "$shared" -o "$wav" --minutes "$minutes"
fi
echo "input: $wav ($(du -m "$wav" | cut -f1) MB); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(dotnet --version) SDK"
audio=$(awk -v m="$minutes" 'BEGIN { print m * 60 }')
report() { # name, time file
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$2" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(grep 'Maximum resident set size' "$2" | awk '{print $NF}')
  printf '%s: wall %.1f s, real-time factor %.4f (%.0fx real time), peak RSS %.1f MB, cpu user %s s sys %s s\n' "$1" "$wall" \
    "$(awk -v w="$wall" -v a="$audio" 'BEGIN { print w / a }')" "$(awk -v w="$wall" -v a="$audio" 'BEGIN { print a / w }')" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1000 }')" "$(grep 'User time' "$2" | awk '{print $NF}')" "$(grep 'System time' "$2" | awk '{print $NF}')"
}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v -o "$out/predict-file.time" "$predict" --wav "$wav" --stream --model "$model" >"$out/predict-file.jsonl"
report "Predict --wav <file> --stream (AOT)" "$out/predict-file.time"
echo "  $(tail -1 "$out/predict-file.jsonl" | cut -c1-160)..."
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v -o "$out/predict-stdin.time" sh -c "cat '$wav' | '$predict' --wav - --stream --model '$model' >'$out/predict-stdin.jsonl'"
report "cat <file> | Predict --wav - --stream (AOT; RSS of the larger of cat and Predict)" "$out/predict-stdin.time"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -v -o "$out/timeline.time" "$ser" timeline "$wav" -o "$out/timeline.html" --csv "$out/timeline.csv" --json "$out/timeline.json" --model "$model" >"$out/timeline.txt"
report "ser timeline (JIT, HTML + CSV + JSON)" "$out/timeline.time"
echo "  $(grep -m1 windows "$out/timeline.txt")"
