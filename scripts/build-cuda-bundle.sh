#!/usr/bin/env bash
# Builds the folder scripts/cuda-check.sh checks on a GPU machine that has neither the .NET SDK nor a network, and
# packs it for upload in pieces of at most 55 MiB (the GPU machine takes 64 MiB per upload, the repository's tracked
# files included, so the default piece is 48 MiB: ~190 MiB in 4 pieces either way, with room for the tree):
#
#   <outdir>/sermlnet-cuda/            Predict (Native AOT, built with -p:SerMlNetOrtCuda=true), libonnxruntime.so of
#                                      Microsoft.ML.OnnxRuntime.Gpu.Linux with libonnxruntime_providers_cuda.so and
#                                      libonnxruntime_providers_shared.so, model.onnx, wav/ (5 WAV files),
#                                      cuda-check.sh, README.txt
#   <outdir>/sermlnet-cuda.tar.xz.part-00, -01, ...   the folder as tar | xz, split into pieces
#
# On the GPU machine: cat sermlnet-cuda.tar.xz.part-* | xz -d | tar x && sermlnet-cuda/cuda-check.sh
#
# Usage: scripts/build-cuda-bundle.sh <outdir> [--model model.onnx] [--wavs folder] [--piece-mib 48]
#   Model: default artifacts/model.onnx. WAVs: the first 5 (by name) of ../shared/data/ravdess-48k-samples.
#   The CUDA build has its own obj/bin folders (<outdir>/build, dotnet --artifacts-path), so the usual CPU builds in
#   src/*/bin and out/predict-aot are left alone; a second run rebuilds only what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] && [ "${1:0:2}" != "--" ] || { echo "usage: $0 <outdir> [--model model.onnx] [--wavs folder] [--piece-mib 48]" >&2; exit 2; }
out="$(mkdir -p "$1" && cd "$1" && pwd)"
shift
model="$root/artifacts/model.onnx"
wavs="$root/../shared/data/ravdess-48k-samples"
piece_mib=48
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --wavs) wavs="$2"; shift 2 ;;
    --piece-mib) piece_mib="$2"; shift 2 ;;
    *) echo "build-cuda-bundle: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ "$piece_mib" =~ ^[1-9][0-9]*$ ]] && [ "$piece_mib" -le 55 ] || { echo "build-cuda-bundle: --piece-mib must be 1 to 55" >&2; exit 2; }
[ -f "$model" ] || { echo "build-cuda-bundle: model '$model' is missing (train and export one, or pass --model)" >&2; exit 1; }
mapfile -t wav_files < <(find "$wavs" -maxdepth 1 -name '*.wav' | sort | head -n 5)
[ ${#wav_files[@]} -gt 0 ] || { echo "build-cuda-bundle: no .wav files in '$wavs'" >&2; exit 1; }
for tool in dotnet xz tar split; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build-cuda-bundle: '$tool' is not on PATH" >&2; exit 1; }
done

echo "== dotnet publish src/Predict (Native AOT, -p:SerMlNetOrtCuda=true)"
publish="$out/publish"
rm -rf "$publish"
dotnet publish "$root/src/Predict" -c Release -p:SerMlNetOrtCuda=true --artifacts-path "$out/build" -o "$publish" \
  -nologo -v quiet -clp:ErrorsOnly
for f in Predict libonnxruntime.so libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so; do
  [ -f "$publish/$f" ] || { echo "build-cuda-bundle: the publish folder lacks $f" >&2; exit 1; }
done

stage="$out/sermlnet-cuda"
rm -rf "$stage"
mkdir -p "$stage/wav"
# Not copied: Predict.dbg (symbols) and libonnxruntime_providers_tensorrt.so (TensorRT is not set up).
for f in Predict libonnxruntime.so libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so; do
  cp "$publish/$f" "$stage/"
done
cp "$model" "$stage/model.onnx"
cp "${wav_files[@]}" "$stage/wav/"
cp "$root/scripts/cuda-check.sh" "$stage/"
rm -rf "$publish"
cat >"$stage/README.txt" <<EOF
SerMlNet CUDA check bundle, built $(date -u +%Y-%m-%dT%H:%MZ) from commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
Predict: Native AOT (no .NET runtime needed), ONNX Runtime from NuGet Microsoft.ML.OnnxRuntime.Gpu.Linux (CUDA 13, cuDNN 9).
Run: ./cuda-check.sh            (GPU, CUDA/cuDNN libraries found on disk, --ep cuda vs --ep cpu, latency)
Or:  ./Predict --wav wav --model model.onnx --ep cuda [--json] [--bench 300]
EOF

echo "== tar | xz | split ($piece_mib MiB pieces)"
rm -f "$out"/sermlnet-cuda.tar.xz "$out"/sermlnet-cuda.tar.xz.part-*
tar -C "$out" -cf - sermlnet-cuda | xz -T0 -6 >"$out/sermlnet-cuda.tar.xz"
split -b "${piece_mib}M" -d -a 2 "$out/sermlnet-cuda.tar.xz" "$out/sermlnet-cuda.tar.xz.part-"
whole_sha="$(sha256sum "$out/sermlnet-cuda.tar.xz" | cut -d' ' -f1)"
rm "$out/sermlnet-cuda.tar.xz"

echo "folder: $stage ($(du -sh "$stage" | cut -f1))"
ls -l "$out"/sermlnet-cuda.tar.xz.part-* | awk '{ printf "  %s  %d bytes (%.1f MiB)\n", $NF, $5, $5 / 1048576 }'
echo "pieces: $(ls "$out"/sermlnet-cuda.tar.xz.part-* | wc -l); sha256 of the joined .tar.xz: $whole_sha"
echo "on the GPU machine: cat sermlnet-cuda.tar.xz.part-* | xz -d | tar x && sermlnet-cuda/cuda-check.sh"
echo "  (check first: cat sermlnet-cuda.tar.xz.part-* | sha256sum  ->  $whole_sha)"
