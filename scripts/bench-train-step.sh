#!/usr/bin/env bash
# Side-by-side training-step benchmark (issue 9): the shipped SerCnn architecture (2-D blocks 16,32, then the time
# stage 128 x 2), batch 32 of 1x128x300 random spectrograms, AdamW + cross-entropy with label smoothing, 2 threads, 50
# timed steps after 5 warm-up steps, first with Python PyTorch (Debian python3-torch 1.13) and then with TorchSharp
# 0.107 (libtorch 2.10) from C#. Each C# run prints both figures and the ratio (goal: C# median <= 1.00x PyTorch's).
# With several rounds (alternating PyTorch / C#, for a machine shared with other work) the per-step times of all rounds
# are pooled at the end, against PyTorch with its default allocator and with the heap-kept allocator setting that
# SerMlNet's TorchEngine applies at start-up.
#
#   scripts/bench-train-step.sh            one round
#   scripts/bench-train-step.sh 3          three alternating rounds
#   THREADS=2 STEPS=50 WARMUP=5 scripts/bench-train-step.sh
#   NO_BUILD=1 scripts/bench-train-step.sh 3    reuse the built ser (when another layer's build is broken)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-1}
threads=${THREADS:-2}
steps=${STEPS:-50}
warmup=${WARMUP:-5}
common=(--threads "$threads" --steps "$steps" --warmup "$warmup")

ser=src/SerMlNet.Cli/bin/Release/net10.0/ser
if [ "${NO_BUILD:-0}" != 1 ]; then
  if ! build_log=$(dotnet build src/SerMlNet.Cli -c Release -nologo -v quiet 2>&1); then
    echo "$build_log" >&2
    echo "bench-train-step: the CLI did not build (NO_BUILD=1 reuses $ser as it is)" >&2
    exit 1
  fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds"
  /usr/bin/python3 tests/benchmarks/torch_step.py "${common[@]}" --json "$work/pytorch-$round.json"
  # PyTorch again with the allocator setting TorchEngine applies (freed tensor memory kept in the heap), so the
  # comparison is also shown like for like.
  MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=1073741824 \
    /usr/bin/python3 tests/benchmarks/torch_step.py "${common[@]}" --json "$work/pytorch-heap-$round.json" | sed 's/^pytorch:/pytorch (heap-kept allocator):/'
  "$ser" bench train-step "${common[@]}" --compare "$work/pytorch-$round.json" --json "$work/csharp-$round.json"
done

/usr/bin/python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def pooled(engine):
    runs = [json.load(open(f"{work}/{engine}-{r}.json")) for r in range(1, rounds + 1)]
    times = [t for run in runs for t in run["times_ms"]]
    return statistics.median(times), statistics.fmean(run["cpu_ms"] for run in runs), len(times)
py, heap, cs = pooled("pytorch"), pooled("pytorch-heap"), pooled("csharp")
for name, ref in (("pytorch (default allocator)", py), ("pytorch (heap-kept allocator, like ours)", heap)):
    ratio = cs[0] / ref[0]
    print(f"== {rounds} round(s), {ref[2]} steps each side: median ms/step {name} {ref[0]:.1f}, c# {cs[0]:.1f} "
          f"-> ratio {ratio:.3f} ({'meets' if ratio <= 1.00 else 'MISSES'} the 1.00x goal); "
          f"process CPU ms/step {ref[1]:.1f} vs {cs[1]:.1f} -> ratio {cs[1] / ref[1]:.3f}")
PY
