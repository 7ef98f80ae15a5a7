#!/usr/bin/env node
// Runs a SerMlNet ONNX model with onnxruntime-node (npm) and prints its outputs as JSON, so tests can compare
// ONNX Runtime for Node.js with the C# path.
//
// Usage: NODE_PATH=npm/node_modules node run-ort-node.js MODEL.onnx INPUT.f32 DIM,DIM,... [LENGTH,LENGTH,...]
//   INPUT.f32: raw little-endian float32, row-major, shaped DIM x DIM x ... (the model's first input).
//   LENGTH,...: for end-to-end models with a 'lengths' input, the valid samples of each row (default: every row full).
// Prints: {"input": name, "dims": [...], "logits": [...], "probabilities": [...]}
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [modelPath, inputPath, dimsText, lengthsText] = process.argv.slice(2);
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
  const input = session.inputNames.find((n) => n !== 'lengths');
  const feeds = { [input]: new ort.Tensor('float32', data, dims) };
  if (session.inputNames.includes('lengths')) {
    const lengths = lengthsText ? lengthsText.split(',').map(BigInt) : new Array(dims[0]).fill(BigInt(dims[1]));
    if (lengths.length !== dims[0]) {
      throw new Error(`${lengths.length} lengths for ${dims[0]} rows`);
    }
    feeds.lengths = new ort.Tensor('int64', BigInt64Array.from(lengths), [dims[0]]);
  } else if (lengthsText) {
    throw new Error('the model has no lengths input');
  }
  const out = await session.run(feeds);
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
