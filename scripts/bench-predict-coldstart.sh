#!/usr/bin/env bash
# Cold start of the Predict console (issue 5, goal <= 400 ms on the 2-core CPU): wall time from process start to exit
# with the answer printed, for one WAV file, RUNS times after WARMUP untimed runs (page cache). Each run is a fresh
# process: .NET start-up, ONNX Runtime load and session creation, the pipeline read from the model, one file, exit.
# Uses hyperfine when installed (Debian package 'hyperfine'); otherwise a bash loop timing with date +%s%N. Prints
# p50, mean, min and max in ms and the load average (the machine is shared: other work slows every run).
#
# Usage: scripts/bench-predict-coldstart.sh [--model model.onnx] [--wav file.wav] [--runs 20] [--warmup 3] [-- extra Predict args]
#   Model: --model, else artifacts/model.onnx, else a random-weight 4-block CNN made with 'ser bench latency --random'.
#   Default WAV: ../shared/data/ravdess-48k-samples/03-01-02-01-01-02-01.wav (stereo, 48 kHz: decoding, down-mix and
#   resampling included). SKIP_BUILD=1 reuses the Release builds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=""
wav="$root/../shared/data/ravdess-48k-samples/03-01-02-01-01-02-01.wav"
runs=20
warmup=3
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --wav) wav="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "bench-predict-coldstart: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
  esac
done
[ -f "$wav" ] || { echo "bench-predict-coldstart: WAV file '$wav' is missing" >&2; exit 1; }
[[ "$runs" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ ]] || { echo "bench-predict-coldstart: --runs must be >= 1 and --warmup >= 0" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build "$root/src/Predict" -c Release -v quiet -nologo >/dev/null
fi
predict="$root/src/Predict/bin/Release/net10.0/Predict"
[ -x "$predict" ] || { echo "bench-predict-coldstart: '$predict' is not built" >&2; exit 1; }
if [ -z "$model" ]; then
  if [ -f "$root/artifacts/model.onnx" ]; then
    model="$root/artifacts/model.onnx"
  else
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
      dotnet build "$root/src/SerMlNet.Cli" -c Release -v quiet -nologo >/dev/null
    fi
    model="$tmp/model.onnx"
    (cd "$root" && "$root/src/SerMlNet.Cli/bin/Release/net10.0/ser" bench latency --random --save-model "$model" --iterations 0 >/dev/null)
    echo "model: random-weight 4-block CNN (16,32,64,128 channels, 128x300 input; no trained model at artifacts/model.onnx)"
  fi
fi
[ -f "$model" ] || { echo "bench-predict-coldstart: model '$model' is missing" >&2; exit 1; }
cmd=("$predict" --wav "$wav" --model "$model" "${extra[@]}")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: ${cmd[*]}"
"${cmd[@]}" >"$tmp/answer.txt"
echo "answer: $(head -n1 "$tmp/answer.txt")"

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --style basic --warmup "$warmup" --runs "$runs" --export-json "$tmp/h.json" "$(printf '%q ' "${cmd[@]}")" >/dev/null
  python3 - "$tmp/h.json" <<'EOF'
import json, statistics, sys
t = sorted(x * 1000 for x in json.load(open(sys.argv[1]))["results"][0]["times"])
print(f"hyperfine, {len(t)} runs: p50 {statistics.median(t):.0f} ms, mean {statistics.fmean(t):.0f} ms, min {t[0]:.0f} ms, max {t[-1]:.0f} ms")
EOF
else
  for _ in $(seq 1 "$warmup"); do "${cmd[@]}" >/dev/null; done
  : >"$tmp/ms.txt"
  for _ in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    "${cmd[@]}" >"$tmp/out.txt"
    end=$(date +%s%N)
    [ -s "$tmp/out.txt" ] || { echo "bench-predict-coldstart: no answer printed" >&2; exit 1; }
    echo $(( (end - start) / 1000000 )) >>"$tmp/ms.txt"
  done
  sort -n "$tmp/ms.txt" | awk '{ t[NR] = $1; s += $1 } END {
    p50 = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
    printf "bash loop (date +%%s%%N), %d runs: p50 %.0f ms, mean %.0f ms, min %d ms, max %d ms\n", NR, p50, s / NR, t[1], t[NR] }'
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (goal p50 <= 400 ms)"
