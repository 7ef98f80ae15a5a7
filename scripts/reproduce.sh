#!/usr/bin/env bash
# Reproduces everything in artifacts/ from the RAVDESS data (2-core CPU: the classic run 12 min 27 s; the 5 folds, two networks each, most of the rest).
# The single-network job of 2026-11-27 took 49 min 42 s in all.
#   scripts/reproduce.sh [data-folder]      default ../shared/data/ravdess-16k
# 1. train the default job on the stratified 80/10/10 split (runs/ravdess-cnn)
# 2. 5-fold speaker-held-out cross-validation (runs/ravdess-cnn-cv, sharing the feature cache)
# 3. export model.onnx and model-e2e.onnx, evaluate with ONNX Runtime, write the report, copy pipeline and metrics
set -euo pipefail
cd "$(dirname "$0")/.."

data=${1:-../shared/data/ravdess-16k}
ser=${SER:-src/SerMlNet.Cli/bin/Release/net10.0/ser}   # SER=<copy of the ser folder>/ser keeps a rebuild from replacing it mid-run
[ -x "$ser" ] || { echo "reproduce: $ser is missing (run ./setup.sh first)" >&2; exit 1; }
run=runs/ravdess-cnn
cv=runs/ravdess-cnn-cv
cache=runs/feature-cache

/usr/bin/time -v -o runs/train-default.time "$ser" train --pipeline pipelines/ravdess-cnn.json --data "$data" --out "$run" --cache "$cache"
/usr/bin/time -v -o runs/train-cv.time "$ser" train --pipeline pipelines/ravdess-cnn.json --data "$data" --out "$cv" --cache "$cache" --cross-validate
mkdir -p artifacts
"$ser" export --run "$run" -o artifacts/model.onnx --e2e artifacts/model-e2e.onnx
"$ser" evaluate --model artifacts/model.onnx --data "$data" --split test -o artifacts/metrics.json --pitch-shifts -4,-2,2,4
"$ser" report --run "$run" --metrics artifacts/metrics.json -o artifacts/report.html
cp "$run/pipeline.json" artifacts/pipeline.json
cp "$run/job.json" artifacts/job.json
cp "$run/curves.csv" artifacts/curves.csv
cp "$cv/cv.json" artifacts/cv.json
echo "artifacts/: $(ls artifacts | tr '\n' ' ')"
