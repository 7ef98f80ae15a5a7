#!/usr/bin/env node
// Runs a SerMlNet ONNX model with onnxruntime-node (npm) and prints its outputs as JSON, so tests can compare
// ONNX Runtime for Node.js with the C# path.
//
// Usage: NODE_PATH=npm/node_modules node run-ort-node.js MODEL.onnx INPUT.f32 DIM,DIM,...
//   INPUT.f32: raw little-endian float32, row-major, shaped DIM x DIM x ... (the model's only input).
// Prints: {"input": name, "dims": [...], "logits": [...], "probabilities": [...]}
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [modelPath, inputPath, dimsText] = process.argv.slice(2);
  if (!modelPath || !inputPath || !dimsText) {
    throw new Error('usage: node run-ort-node.js MODEL.onnx INPUT.f32 DIM,DIM,...');
  }
  const dims = dimsText.split(',').map(Number);
  const bytes = fs.readFileSync(inputPath);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new Error(`input holds ${data.length} floats, dims [${dims}] need ${expected}`);
  }
  const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'] });
  const input = session.inputNames[0];
  const out = await session.run({ [input]: new ort.Tensor('float32', data, dims) });
  process.stdout.write(JSON.stringify({
    input,
    dims: out.probabilities.dims,
    logits: Array.from(out.logits.data),
    probabilities: Array.from(out.probabilities.data),
  }));
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
