#!/usr/bin/python3
"""Runs the official ONNX checker (Debian python3-onnx) on each model given and prints one JSON line per model.

Usage: /usr/bin/python3 check-onnx.py MODEL.onnx [MODEL.onnx ...]
Exit codes: 0 all models pass; 1 a model fails the checker (message on stderr); 3 python3-onnx is not installed.
"""
import json
import sys

try:
    import onnx
    from onnx import checker, shape_inference
except ImportError as e:  # pragma: no cover - environment problem, reported loudly
    print(f"python3-onnx is not installed ({e}); install it with: apt-get install python3-onnx", file=sys.stderr)
    sys.exit(3)


def dims(value_info):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in value_info.type.tensor_type.shape.dim]


def main(paths):
    for path in paths:
        model = onnx.load(path)
        try:
            # full_check also runs strict shape inference over every node.
            checker.check_model(model, full_check=True)
            inferred = shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        except Exception as e:  # noqa: BLE001 - report whatever the checker raises
            print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
        print(json.dumps({
            "path": path,
            "onnx_version": onnx.__version__,
            "ir_version": model.ir_version,
            "opset": {o.domain or "ai.onnx": o.version for o in model.opset_import},
            "producer": [model.producer_name, model.producer_version],
            "inputs": {i.name: dims(i) for i in model.graph.input},
            "outputs": {o.name: dims(o) for o in inferred.graph.output},
            "initializers": len(model.graph.initializer),
            "metadata": {p.key: p.value for p in model.metadata_props},
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
