import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { saveFile } from '../../src/io/safetensors-file.js';
import type { SafetensorsInput } from '../../src/io/safetensors.js';
import { FIXTURES, prng, tempFolder } from './helpers.js';

const PYTHON = '/usr/bin/python3';

/** Why the interop test cannot run here, or undefined when PyTorch and numpy are available. */
function pythonMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (r.error !== undefined) return `${PYTHON} not found (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} has no torch/numpy (${r.stderr.trim().split('\n').pop() ?? ''})`;
  return undefined;
}

interface Summary {
  header_aligned: boolean;
  layout_ok: boolean;
  order: string[];
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; sum: number; values: number[]; torch_sum?: number }>;
}

test('a file Kindling writes is read back by numpy and PyTorch with the same numbers', (t) => {
  const missing = pythonMissing();
  if (missing !== undefined) {
    t.skip(`skipped: the interop check needs PyTorch: ${missing} (apt-get install python3-torch)`);
    return;
  }
  const rand = prng(7);
  const tensors: Record<string, SafetensorsInput> = {
    '2.weight': { shape: [10, 20], data: Float32Array.from({ length: 200 }, () => rand() * 0.2 - 0.1) },
    '2.bias': { shape: [10], data: Float32Array.from({ length: 10 }, () => rand() - 0.5) },
    '0.weight': { shape: [20, 7], data: Float32Array.from({ length: 140 }, () => (rand() - 0.5) * 1e-3) },
    'scalar': { shape: [], data: new Float32Array([-0.125]) },
    'empty': { shape: [3, 0], data: new Float32Array(0) },
    'tiny': { shape: [1, 1, 2], data: new Float32Array([1e-40, -3.4e38]) },
  };
  const metadata = { format: 'pt', architecture: '{"layers":[784,200,10]}', note: 'ünïcode ✓' };
  const path = join(tempFolder(), 'kindling.safetensors');
  saveFile(path, tensors, metadata);

  const r = spawnSync(PYTHON, [join(FIXTURES, 'read_check.py'), path], { encoding: 'utf8' });
  assert.equal(r.status, 0, `read_check.py failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as Summary;

  assert.equal(summary.header_aligned, true);
  assert.equal(summary.layout_ok, true);
  assert.deepEqual(summary.order, ['__metadata__', '0.weight', '2.bias', '2.weight', 'empty', 'scalar', 'tiny']);
  assert.deepEqual(summary.metadata, metadata);
  for (const [name, mine] of Object.entries(tensors)) {
    const theirs = summary.tensors[name]!;
    assert.equal(theirs.dtype, 'F32');
    assert.deepEqual(theirs.shape, [...mine.shape], name);
    // float32 -> float64 is exact, so numpy must see exactly our values.
    assert.deepEqual(theirs.values, [...mine.data], name);
    const sum = [...mine.data].reduce((a, v) => a + v, 0);
    assert.ok(Math.abs(theirs.sum - sum) <= 1e-12 * Math.max(1, Math.abs(sum)), `${name}: numpy sum ${theirs.sum} vs ${sum}`);
    assert.ok(theirs.torch_sum !== undefined && Math.abs(theirs.torch_sum - sum) <= 1e-12 * Math.max(1, Math.abs(sum)));
  }
});
