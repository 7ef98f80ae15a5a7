#!/usr/bin/env bash
# The main job (run by ./setup.sh): score the shipped model on the RAVDESS test split with ONNX Runtime, then let the
# Predict console name the emotion of the ten original 48 kHz recordings (stereo and mono, resampled on the fly).
#   scripts/main-job.sh [data-root]     data-root defaults to ../shared/data
set -euo pipefail
cd "$(dirname "$0")/.."

data=${1:-../shared/data}
model=artifacts/model.onnx
ser=src/SerMlNet.Cli/bin/Release/net10.0/ser
predict=src/Predict/bin/Release/net10.0/Predict
for f in "$model" "$ser" "$predict"; do
  [ -e "$f" ] || { echo "main job: $f is missing (run ./setup.sh)" >&2; exit 1; }
done
[ -d "$data/ravdess-16k" ] || { echo "main job: dataset folder $data/ravdess-16k is missing" >&2; exit 1; }

out=out/main-job
mkdir -p "$out"
echo "== ser evaluate: shipped model, RAVDESS stratified test split (ONNX Runtime, CPU)"
"$ser" evaluate --model "$model" --data "$data/ravdess-16k" --split test -o "$out/metrics.json"
echo
echo "== Predict: the ten original 48 kHz RAVDESS samples"
"$predict" --wav "$data/ravdess-48k-samples" --model "$model" --top 3
