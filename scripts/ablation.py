#!/usr/bin/env python3
"""Issue 12's ablation table from pipelines/experiments/fold-scores.csv (one row per fold model and scoring).

    scripts/ablation.py [fold-scores.csv]

For every job and scoring: the seeds, mean ± sd of macro-F1 over the fold models (each seed's 5 actor-held-out folds),
the per-seed means, and the paired gain (mean difference on the same seed and fold, and how many fold models gained)
against the plain scores of the previous default, of speed perturbation (E-speed, on which the adversary and attentive
pooling are built) and of the default job (L-speed-last5). Fewer than 3 seeds is flagged: the protocol asks for at
least 3. The figures are the README's three-decimal ones, so a mean can differ by 0.001 from one computed on
unrounded scores. Standard library only.
"""
import csv
import statistics
import sys
from collections import defaultdict

BASELINES = [("previous-default", "plain"), ("E-speed", "plain"), ("L-speed-last5", "plain")]


def load(path):
    scores = defaultdict(dict)  # (job, scoring) -> {(seed, fold): macro_f1}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["seed"], int(row["fold"]))
            if key in scores[(row["job"], row["scoring"])]:
                sys.exit(f"ablation: {path} has {row['job']} {row['scoring']} seed {row['seed']} fold {row['fold']} twice")
            scores[(row["job"], row["scoring"])][key] = float(row["macro_f1"])
    return scores


def baseline(b, seed, fold):
    """The baseline's score for a fold model: its own seed's, or for a seed ensemble ("42+7") the mean of its members'
    seeds on that fold (the ensemble against the single models it is made of); None when the baseline lacks one."""
    if (seed, fold) in b:
        return b[(seed, fold)]
    members = seed.split("+")
    if len(members) > 1 and all((m, fold) in b for m in members):
        return statistics.mean(b[(m, fold)] for m in members)
    return None


def paired(a, b):
    diffs = [v - base for (seed, fold), v in a.items() if (base := baseline(b, seed, fold)) is not None]
    if not diffs:
        return "–"
    return f"{statistics.mean(diffs):+.3f} ({sum(d > 0 for d in diffs)}/{len(diffs)} up)"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "pipelines/experiments/fold-scores.csv"
    scores = load(path)
    header = ["Job", "Scoring", "Seeds", "Fold models", "Macro-F1", "Per seed"] + [f"Gain vs {j} {s}" for j, s in BASELINES]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    short = []
    for (job, scoring), values in scores.items():
        seeds = list(dict.fromkeys(s for s, _ in values))  # in the file's order
        per_seed = []
        for seed in seeds:
            folds = [v for (s, _), v in values.items() if s == seed]
            if len(folds) != 5:
                sys.exit(f"ablation: {job} {scoring} seed {seed} has {len(folds)} folds, not 5")
            per_seed.append(f"{statistics.mean(folds):.3f}")
        all_values = list(values.values())
        sd = statistics.stdev(all_values) if len(all_values) > 1 else 0.0
        gains = [paired(values, scores.get(b, {})) if (job, scoring) != b else "–" for b in BASELINES]
        print(f"| {job} | {scoring} | {', '.join(seeds)} | {len(all_values)} | {statistics.mean(all_values):.3f} ± {sd:.3f} | "
              f"{' / '.join(per_seed)} | " + " | ".join(gains) + " |")
        if len(seeds) < 3:
            short.append(f"{job} {scoring}: seeds {', '.join(seeds)}")
    if short:
        print("\nFewer than 3 seeds: " + "; ".join(short))


if __name__ == "__main__":
    main()
