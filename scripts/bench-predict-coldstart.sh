#!/usr/bin/env bash
# Cold start of the Predict console (issue 9, goal p50 <= 150 ms for the Native AOT build on the 2-core CPU): wall time
# from process start to exit with the answer printed, for one WAV file, RUNS times after WARMUP untimed runs (page
# cache). Each run is a fresh process: start-up, ONNX Runtime load and session creation, the pipeline read from the
# model, one file, exit. Uses hyperfine when installed (Debian package 'hyperfine'; -N: no shell between runs);
# otherwise a bash loop timing with date +%s%N. Prints p50, mean, min and max in ms and the load average (the machine is
# shared: other work slows every run).
#
# Usage: scripts/bench-predict-coldstart.sh [--aot | --jit | --both] [--model model.onnx] [--wav file.wav] [--runs 20]
#                                           [--warmup 3] [-- extra Predict args]
#   --aot (default): the Native AOT executable out/predict-aot/Predict ('dotnet publish src/Predict -c Release').
#   --jit: the JIT build src/Predict/bin/Release/net10.0/Predict ('dotnet build src/Predict -c Release').
#   --both: both, in the same hyperfine call (all AOT runs, then all JIT runs).
#   Model: --model, else artifacts/model.onnx, else a random-weight 4-block CNN made with 'ser bench latency --random'.
#   Default WAV: ../shared/data/ravdess-48k-samples/03-01-02-01-01-02-01.wav (stereo, 48 kHz: decoding, down-mix and
#   resampling included). SKIP_BUILD=1 reuses the existing builds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=""
wav="$root/../shared/data/ravdess-48k-samples/03-01-02-01-01-02-01.wav"
runs=20
warmup=3
builds=(aot)
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --aot) builds=(aot); shift ;;
    --jit) builds=(jit); shift ;;
    --both) builds=(aot jit); shift ;;
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
executable() {
  case "$1" in
    aot) echo "$root/out/predict-aot/Predict" ;;
    jit) echo "$root/src/Predict/bin/Release/net10.0/Predict" ;;
  esac
}
for build in "${builds[@]}"; do
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    case "$build" in
      aot) dotnet publish "$root/src/Predict" -c Release -v quiet -nologo >/dev/null ;;
      jit) dotnet build "$root/src/Predict" -c Release -v quiet -nologo >/dev/null ;;
    esac
  fi
  [ -x "$(executable "$build")" ] || { echo "bench-predict-coldstart: '$(executable "$build")' is not built" >&2; exit 1; }
done
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
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

commands=()
for build in "${builds[@]}"; do
  cmd=("$(executable "$build")" --wav "$wav" --model "$model" "${extra[@]}")
  echo "$build: ${cmd[*]}"
  "${cmd[@]}" >"$tmp/answer.txt"
  echo "$build answer: $(head -n1 "$tmp/answer.txt")"
  commands+=("$(printf '%q ' "${cmd[@]}")")
done

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$tmp/h.json" "${commands[@]}" >/dev/null
  python3 - "$tmp/h.json" "${builds[@]}" <<'EOF'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
for build, result in zip(sys.argv[2:], results):
    t = sorted(x * 1000 for x in result["times"])
    print(f"{build}: hyperfine, {len(t)} runs: p50 {statistics.median(t):.0f} ms, mean {statistics.fmean(t):.0f} ms, min {t[0]:.0f} ms, max {t[-1]:.0f} ms")
EOF
else
  for i in "${!builds[@]}"; do
    build="${builds[$i]}"
    cmd=("$(executable "$build")" --wav "$wav" --model "$model" "${extra[@]}")
    for _ in $(seq 1 "$warmup"); do "${cmd[@]}" >/dev/null; done
    : >"$tmp/ms.txt"
    for _ in $(seq 1 "$runs"); do
      start=$(date +%s%N)
      "${cmd[@]}" >"$tmp/out.txt"
      end=$(date +%s%N)
      [ -s "$tmp/out.txt" ] || { echo "bench-predict-coldstart: no answer printed" >&2; exit 1; }
      echo $(( (end - start) / 1000000 )) >>"$tmp/ms.txt"
    done
    sort -n "$tmp/ms.txt" | awk -v build="$build" '{ t[NR] = $1; s += $1 } END {
      p50 = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%s: bash loop (date +%%s%%N), %d runs: p50 %.0f ms, mean %.0f ms, min %d ms, max %d ms\n", build, NR, p50, s / NR, t[1], t[NR] }'
  done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (goal: AOT p50 <= 150 ms)"
