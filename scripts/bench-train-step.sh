#!/usr/bin/env bash
# Side-by-side training-step benchmark of issue 4: the SerCnn architecture (channels 16-32-64-128), batch 32 of
# 1x128x300 random spectrograms, AdamW + cross-entropy, 2 threads, 50 timed steps after 5 warm-up steps, first with
# Python PyTorch (Debian python3-torch) and then with our C# bindings over the same libtorch. The C# run prints both
# figures and the ratio (goal: C# median <= 1.10x PyTorch's).
#
#   scripts/bench-train-step.sh            one round
#   scripts/bench-train-step.sh 3          three alternating rounds (for a busy machine)
#   THREADS=2 STEPS=50 WARMUP=5 scripts/bench-train-step.sh
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-1}
threads=${THREADS:-2}
steps=${STEPS:-50}
warmup=${WARMUP:-5}
common=(--threads "$threads" --steps "$steps" --warmup "$warmup")

dotnet build src/SerMlNet.Cli -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
ser=src/SerMlNet.Cli/bin/Release/net10.0/ser
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds"
  /usr/bin/python3 tests/benchmarks/torch_step.py "${common[@]}" --json "$work/pytorch.json"
  "$ser" bench train-step "${common[@]}" --compare "$work/pytorch.json"
done
