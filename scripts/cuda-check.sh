#!/usr/bin/env bash
# Checks SerMlNet's CUDA inference on a GPU machine that has no .NET SDK and no network, from the folder
# scripts/build-cuda-bundle.sh makes (Predict built Native AOT against Microsoft.ML.OnnxRuntime.Gpu.Linux, its
# libonnxruntime*.so, model.onnx, wav/):
#   1. the GPU (nvidia-smi);
#   2. CUDA 13 / cuDNN 9 libraries wherever they are on disk (CUDA toolkits, conda, pip's nvidia-* wheels under
#      site-packages), their folders added to LD_LIBRARY_PATH, and what the CUDA provider still misses (ldd);
#   3. Predict --ep cuda and --ep cpu on the same files with --json: same labels, max |probability difference|;
#   4. latency with Predict --bench N on the first file: end to end and network only, p50 per clip, CUDA vs CPU;
#   5. cold start (process start to answer) of one file on each provider.
# Everything is printed and also written to cuda-check.log (and the JSON to cuda.json / cpu.json) in the folder.
#
# Usage: ./cuda-check.sh [bundle folder (default: this script's folder)] [--bench N (default 300)]
set -uo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench=300
while [ $# -gt 0 ]; do
  case "$1" in
    --bench) bench="$2"; shift 2 ;;
    *) [ -d "$1" ] || { echo "cuda-check: '$1' is not a folder" >&2; exit 2; }; dir="$(cd "$1" && pwd)"; shift ;;
  esac
done
predict="$dir/Predict"
model="$dir/model.onnx"
wavs="$dir/wav"
for f in "$predict" "$model" "$dir/libonnxruntime.so" "$dir/libonnxruntime_providers_cuda.so" "$dir/libonnxruntime_providers_shared.so"; do
  [ -e "$f" ] || { echo "cuda-check: $f is missing (build the folder with scripts/build-cuda-bundle.sh)" >&2; exit 1; }
done
first_wav="$(find "$wavs" -maxdepth 1 -name '*.wav' | sort | head -n 1)"
[ -n "$first_wav" ] || { echo "cuda-check: no .wav files in $wavs" >&2; exit 1; }
exec > >(tee "$dir/cuda-check.log") 2>&1
section() { printf '\n== %s\n' "$*"; }

section "machine"
echo "$(uname -srm); $(ldd --version 2>/dev/null | head -n 1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
section "GPU (nvidia-smi)"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
else
  echo "nvidia-smi is not on PATH"
fi

section "CUDA 13 / cuDNN 9 libraries on disk"
# The CUDA provider links libcudart.so.13, libcublas.so.13, libcublasLt.so.13, libcurand.so.10 and libcuda.so.1 (the
# driver's), and opens libcudnn.so.9 (which opens its libcudnn_*.so.9 siblings) when it starts.
patterns=(libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9 libcufft.so.12 libnvrtc.so.13)
find_args=()
for p in "${patterns[@]}"; do
  find_args+=(-o -name "$p*")
done
mapfile -t found < <(timeout 180 find / \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path "$dir" \) -prune \
  -o \( -false "${find_args[@]}" \) \( -type f -o -type l \) -print 2>/dev/null | sort)
printf '  %s\n' "${found[@]}"
declare -A seen=()
lib_dirs=()
for f in "${found[@]}"; do
  d="$(dirname "$f")"
  if [ -z "${seen[$d]:-}" ]; then
    seen[$d]=1
    lib_dirs+=("$d")
  fi
done
if ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 '; then
  # The driver library is normally on the loader's path; containers sometimes keep it elsewhere.
  mapfile -t driver < <(timeout 60 find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o -name 'libcuda.so.1' -print 2>/dev/null)
  for f in "${driver[@]}"; do
    lib_dirs+=("$(dirname "$f")")
  done
fi
if [ ${#lib_dirs[@]} -gt 0 ]; then
  LD_LIBRARY_PATH="$(IFS=:; echo "${lib_dirs[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi
echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
echo "ldd libonnxruntime_providers_cuda.so, libraries not found:"
ldd "$dir/libonnxruntime_providers_cuda.so" | grep 'not found' || echo "  (none)"
for lib in libcudnn.so.9; do
  if ! ldconfig -p 2>/dev/null | grep -q "$lib " && ! printf '%s\n' "${found[@]}" | grep -q "/$lib"; then
    echo "  $lib (opened at run time by the provider) not found"
  fi
done

section "Predict --ep cuda and --ep cpu on $(find "$wavs" -maxdepth 1 -name '*.wav' | wc -l) files (--json)"
"$predict" --wav "$wavs" --model "$model" --ep cuda --json >"$dir/cuda.json" 2>"$dir/cuda.err"
cuda_rc=$?
"$predict" --wav "$wavs" --model "$model" --ep cpu --json >"$dir/cpu.json" 2>"$dir/cpu.err"
cpu_rc=$?
echo "exit codes: cuda $cuda_rc, cpu $cpu_rc"
[ -s "$dir/cuda.err" ] && { echo "cuda stderr:"; cat "$dir/cuda.err"; }
[ -s "$dir/cpu.err" ] && { echo "cpu stderr:"; cat "$dir/cpu.err"; }
if [ $cuda_rc -eq 0 ] && [ $cpu_rc -eq 0 ]; then
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$dir/cuda.json" "$dir/cpu.json" <<'EOF'
import json, sys
cuda, cpu = (json.load(open(p)) for p in sys.argv[1:3])
print(f"providers: {cuda['provider']} (asked {cuda['requestedProvider']}) vs {cpu['provider']}")
def probs(p): return {s["label"]: s["probability"] for s in p["probabilities"]}
worst, labels_differ, rows = 0.0, 0, []
for a, b in zip(cuda["results"], cpu["results"]):
    assert a["source"] == b["source"]
    pairs = [(a, b)] + list(zip(a["windows"], b["windows"]))
    d = max(abs(probs(x)[k] - probs(y)[k]) for x, y in pairs for k in probs(y))
    worst = max(worst, d)
    labels_differ += a["label"] != b["label"]
    rows.append(f"  {a['source'].split('/')[-1]}: cuda {a['label']} {a['confidence']:.4f}, cpu {b['label']} {b['confidence']:.4f}, max |dp| {d:.2e}")
print("\n".join(rows))
print(f"files {len(cuda['results'])}, labels that differ {labels_differ}, max |dp| over files, windows and classes {worst:.2e}")
print("verdict: " + ("OK" if labels_differ == 0 and worst <= 1e-3 else "MISMATCH") + " (threshold 1e-3: cuDNN's convolution algorithms and TF32 may round differently from the CPU)")
EOF
  else
    echo "python3 is missing: compare by eye"
    grep -E '"(provider|label|confidence)"' "$dir/cuda.json" | head -n 20
    grep -E '"(provider|label|confidence)"' "$dir/cpu.json" | head -n 20
  fi
else
  echo "skipping the comparison: a run failed"
fi

section "latency: Predict --bench $bench on $(basename "$first_wav")"
for ep in cuda cpu; do
  "$predict" --wav "$first_wav" --model "$model" --ep "$ep" --bench "$bench" 2>&1 >/dev/null | sed "s/^/  [$ep] /"
done

section "cold start: one file, process start to answer (3 runs each, ms)"
for ep in cuda cpu; do
  times=()
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "$predict" --wav "$first_wav" --model "$model" --ep "$ep" >/dev/null 2>&1
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
  done
  echo "  $ep: ${times[*]}"
done
echo
echo "log: $dir/cuda-check.log"
