#!/usr/bin/env node
// Times end-to-end ONNX graphs alone (no file reading, no C# front end) with onnxruntime-node on one 3-s clip, the
// models interleaved call by call so that load on a shared machine hits them alike.
//
// Usage: NODE_PATH=npm/node_modules node scripts/bench-e2e-graph.js CLIP.wav MODEL.onnx [MODEL.onnx ...]
//   [--seconds 3] [--iterations 300] [--warmup 30] [--threads 2]
// CLIP.wav: 16-bit PCM mono at the models' rate (e.g. a ../shared/data/ravdess-16k file); its first --seconds are fed
// untrimmed. Models with a 'lengths' input get the clip's length. Prints one line per model: p50, p99, mean in ms.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function option(args, name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  args.splice(i, 2);
  return value;
}

function readWav16(path) {
  const b = fs.readFileSync(path);
  let rate = 0;
  for (let at = 12; at + 8 <= b.length;) {
    const id = b.toString('ascii', at, at + 4), size = b.readUInt32LE(at + 4), body = at + 8;
    if (id === 'fmt ') {
      if (b.readUInt16LE(body) !== 1 || b.readUInt16LE(body + 2) !== 1 || b.readUInt16LE(body + 14) !== 16) {
        throw new Error(`${path}: not 16-bit PCM mono`);
      }
      rate = b.readUInt32LE(body + 4);
    } else if (id === 'data') {
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = b.readInt16LE(body + 2 * i) / 32768;
      return { rate, samples };
    }
    at = body + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main() {
  const args = process.argv.slice(2);
  const seconds = option(args, '--seconds', 3), iterations = option(args, '--iterations', 300);
  const warmup = option(args, '--warmup', 30), threads = option(args, '--threads', 2);
  const [clip, ...models] = args;
  if (!clip || models.length === 0) throw new Error('usage: node bench-e2e-graph.js CLIP.wav MODEL.onnx [MODEL.onnx ...]');
  const wav = readWav16(clip);
  const pcm = wav.samples.slice(0, Math.round(seconds * wav.rate));
  const runs = [];
  for (const path of models) {
    const session = await ort.InferenceSession.create(path, {
      executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
    });
    const feeds = { pcm: new ort.Tensor('float32', pcm, [1, pcm.length]) };
    if (session.inputNames.includes('lengths')) feeds.lengths = new ort.Tensor('int64', BigInt64Array.from([BigInt(pcm.length)]), [1]);
    runs.push({ path, session, feeds, times: [] });
  }
  for (let i = 0; i < warmup + iterations; i++) {
    for (const r of runs) {
      const start = process.hrtime.bigint();
      await r.session.run(r.feeds);
      if (i >= warmup) r.times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`${pcm.length} samples (${(pcm.length / wav.rate).toFixed(2)} s) of ${clip}, ${iterations} calls per model after ${warmup}, interleaved, ${threads} intra-op threads, onnxruntime-node ${require('onnxruntime-node/package.json').version}, load average ${load}`);
  for (const r of runs) {
    const t = [...r.times].sort((a, b) => a - b);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    console.log(`${r.path}: p50 ${percentile(t, 0.5).toFixed(2)} ms, p99 ${percentile(t, 0.99).toFixed(2)} ms, mean ${mean.toFixed(2)} ms`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
