#!/usr/bin/python3
"""Training-step benchmark, PyTorch side (issue 9): the SerCnn architecture trained on random data with Debian's
python3-torch (1.13). The C# counterpart is `ser bench train-step` (TorchSharp 0.107, libtorch 2.10);
scripts/bench-train-step.sh runs both, alternating, and prints the ratio.

    /usr/bin/python3 tests/benchmarks/torch_step.py --threads 2 --steps 50 --json /tmp/torch_step.json

Each step: zero_grad(set_to_none) -> forward (train mode) -> cross-entropy (label smoothing) -> backward ->
AdamW step -> loss.item(). Warm-up steps are not timed. Besides wall time per step, the process CPU time per step
(all threads) is reported: on a machine shared with other work it is the steadier figure to compare.
"""
import argparse
import json
import os
import platform
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SerCnn(nn.Module):
    """Same modules and names as SerMlNet.Training.Model.SerCnn."""

    def __init__(self, channels, dropout, classes, mels=128, temporal_channels=0, temporal_blocks=0):
        super().__init__()
        layers = []
        c_in = 1
        for c in channels:
            layers += [nn.Conv2d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2)]
            c_in = c
        if temporal_channels > 0:
            # The time stage: a convolution spanning the remaining frequency axis, then 1x3 convolutions over time.
            height = mels >> len(channels)
            layers += [nn.Conv2d(c_in, temporal_channels, (height, 1), bias=False), nn.BatchNorm2d(temporal_channels), nn.ReLU()]
            c_in = temporal_channels
            for _ in range(temporal_blocks):
                layers += [nn.Conv2d(c_in, c_in, (1, 3), bias=False), nn.BatchNorm2d(c_in), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(c_in, classes)

    def forward(self, x):
        x = self.features(x)
        x = x.mean(dim=(2, 3))  # global average pooling ("pool" in the C# model)
        x = self.dropout(x)
        return self.classifier(x)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2, help="intra-op threads (default 2)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--mels", type=int, default=128)
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--channels", default="16,32", help="2-D blocks (default: the shipped job's 16,32)")
    p.add_argument("--temporal-channels", type=int, default=128, help="time-stage channels, 0 for none (default 128)")
    p.add_argument("--temporal-blocks", type=int, default=2, help="1x3 time convolutions (default 2)")
    p.add_argument("--classes", type=int, default=8)
    p.add_argument("--dropout", type=float, default=0.3)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--weight-decay", type=float, default=1e-2)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--steps", type=int, default=50, help="timed steps (default 50)")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps first (default 5)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", help="also write the figures to this JSON file")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    channels = [int(c) for c in a.channels.split(",")]
    model = SerCnn(channels, a.dropout, a.classes, a.mels, a.temporal_channels, a.temporal_blocks).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    x = torch.randn(a.batch, 1, a.mels, a.frames)
    y = torch.randint(0, a.classes, (a.batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y, label_smoothing=a.label_smoothing)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    times = []
    loss = float("nan")
    cpu_start = time.process_time()
    for _ in range(a.steps):
        start = time.perf_counter()
        loss = step()
        times.append((time.perf_counter() - start) * 1000.0)
    cpu_ms = (time.process_time() - cpu_start) * 1000.0 / a.steps

    result = {
        "engine": "pytorch",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch": a.batch,
        "input": [1, a.mels, a.frames],
        "channels": channels,
        "parameters": sum(t.numel() for t in model.parameters()),
        "steps": a.steps,
        "warmup": a.warmup,
        "mean_ms": statistics.fmean(times),
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "cpu_ms": cpu_ms,
        "final_loss": loss,
        "times_ms": times,
    }
    print(f"pytorch {torch.__version__} ({platform.python_implementation()} {platform.python_version()}), "
          f"{result['threads']} threads, {os.cpu_count()} cores: batch {a.batch}x1x{a.mels}x{a.frames}, "
          f"channels {a.channels}, {result['parameters']} parameters")
    print(f"pytorch: {a.steps} steps: mean {result['mean_ms']:.1f} ms/step, median {result['median_ms']:.1f}, "
          f"min {result['min_ms']:.1f}; process CPU {cpu_ms:.1f} ms/step (final loss {loss:.6f})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
