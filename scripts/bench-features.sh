#!/usr/bin/env bash
# Throughput of `ser features` with defaults (decode, trim 60 dB, log-Mel, write .npy) over a folder of WAV files,
# by default all 1,200 files of ../shared/data/ravdess-16k. Prints wall time, x real time (audio seconds / wall
# seconds, wall measured outside the process, start-up included) and peak memory (max RSS), for each of RUNS runs
# after one warm-up run (page cache, disk). The machine is shared: the load average is printed with each run.
#
# Usage: scripts/bench-features.sh [input-folder] ; env RUNS=3 (default), SKIP_BUILD=1 to reuse the Release build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
input="${1:-$root/../shared/data/ravdess-16k}"
runs="${RUNS:-3}"
[ -d "$input" ] || { echo "bench-features: input folder '$input' is missing" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-features: GNU time (/usr/bin/time) is missing: run ./setup.sh" >&2; exit 1; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build "$root/src/SerMlNet.Cli" -c Release -v quiet -nologo >/dev/null
fi
ser="$root/src/SerMlNet.Cli/bin/Release/net10.0/ser"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
files=$(find "$input" -iname '*.wav' | wc -l)
echo "input: $input ($files WAV files); $(nproc) cores; $(dotnet --version) SDK"
"$ser" features "$input" -o "$out/warmup" >/dev/null
best=""
for i in $(seq 1 "$runs"); do
  rm -rf "$out/run"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v -o "$out/time.txt" "$ser" features "$input" -o "$out/run" >"$out/stdout.txt"
  audio=$(grep -oE '[0-9.]+ s of audio' "$out/stdout.txt" | cut -d' ' -f1)
  wall=$(grep 'Elapsed (wall clock)' "$out/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(grep 'Maximum resident set size' "$out/time.txt" | awk '{print $NF}')
  user=$(grep 'User time' "$out/time.txt" | awk '{print $NF}')
  sys=$(grep 'System time' "$out/time.txt" | awk '{print $NF}')
  npy=$(find "$out/run" -name '*.npy' | wc -l)
  xrt=$(awk -v a="$audio" -v w="$wall" 'BEGIN { printf "%.0f", a / w }')
  printf 'run %d: %d .npy written, %s s of audio, wall %.2f s, %sx real time, peak memory %.1f MiB, cpu user %s s sys %s s, load before %s\n' \
    "$i" "$npy" "$audio" "$wall" "$xrt" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$user" "$sys" "$load"
  if [ -z "$best" ] || awk -v w="$wall" -v b="$best" 'BEGIN { exit !(w < b) }'; then best="$wall"; best_xrt="$xrt"; fi
done
echo "best: wall $best s, ${best_xrt}x real time (goal >= 1500x)"
