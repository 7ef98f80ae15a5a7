#!/usr/bin/python3
"""Regenerates pytorch_reference.json for PyTorchParityTests with Debian's python3-torch (the same libtorch as the
C# bindings):  /usr/bin/python3 tests/SerMlNet.Torch.Tests/Reference/make_reference.py

One training step of a tiny CNN built with a fixed seed: initial weights, logits (training mode, dropout active),
loss (label smoothing + class weights), gradients, AdamW update, batch-norm running statistics, eval-mode logits.
The C# test replays the same calls in the same order, so the random draws are identical.
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2))
        self.dropout = nn.Dropout(0.2)
        self.classifier = nn.Linear(4, 3)

    def forward(self, x):
        return self.classifier(self.dropout(self.features(x).mean(dim=(2, 3))))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = Tiny().train()
    x = torch.randn(5, 1, 6, 8)
    y = torch.randint(0, 3, (5,))
    initial = {k: flat(v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.1)
    logits = model(x)
    loss = F.cross_entropy(logits, y, weight=torch.tensor([0.5, 1.0, 2.0]), label_smoothing=0.1)
    loss.backward()
    grads = {k: flat(p.grad) for k, p in model.named_parameters()}
    optimizer.step()
    after = {k: flat(v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    model.eval()
    with torch.no_grad():
        eval_logits = model(x)
    out = {
        "torch": torch.__version__,
        "x": flat(x),
        "y": [int(v) for v in y.tolist()],
        "initial": initial,
        "logits": flat(logits),
        "loss": float(loss),
        "grads": grads,
        "after": after,
        "eval_logits": flat(eval_logits),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch_reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
