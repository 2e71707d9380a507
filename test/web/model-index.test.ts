import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { saveFile } from '../../src/io/safetensors-file.js';
import { writeStartCheckpoint } from '../../src/lab/checkpoint.js';
import { listModels } from '../../src/web/model-index.js';
import { variantSpec } from '../models/helpers.js';
import { tempDir } from './helpers.js';

test('the Draw page\'s model list leaves out the checkpoints of runs that never started or that finished, and gives each file\'s step', () => {
  const root = tempDir();
  const dir = join(root, 'stopped');
  mkdirSync(dir);
  // A stop before the baseline started leaves its starting weights for --resume: step 0, nothing to draw with.
  writeStartCheckpoint(join(dir, 'checkpoint-baseline-s0.safetensors'), variantSpec('baseline'));
  const weights = { w: { shape: [2], data: new Float32Array([1, 2]) } };
  saveFile(join(dir, 'checkpoint-adam-s0.safetensors'), weights, { kind: 'checkpoint', variant: 'adam', seed: '0', step: '3228' });
  saveFile(join(dir, 'model-bce-s1.safetensors'), weights, { kind: 'model', variant: 'bce', seed: '1', step: '180000', accuracy: '0.9039' });
  // A finished run's checkpoint holds its model's weights: only the model is listed.
  saveFile(join(dir, 'checkpoint-bce-s1.safetensors'), weights, { kind: 'checkpoint', variant: 'bce', seed: '1', step: '180000' });
  // An older model file without a recorded step is still listed.
  saveFile(join(dir, 'model-old.safetensors'), weights, { variant: 'baseline', accuracy: '0.87' });
  // A model file cut short (its header whole, its data not) is left out: loading it would fail.
  saveFile(join(dir, 'model-cut-s0.safetensors'), weights, { kind: 'model', variant: 'leakyrelu', seed: '0', step: '9' });
  const cut = readFileSync(join(dir, 'model-cut-s0.safetensors'));
  writeFileSync(join(dir, 'model-cut-s0.safetensors'), cut.subarray(0, cut.length - 1));
  const listed = listModels(root).sort((a, b) => a.file.localeCompare(b.file));
  assert.deepEqual(
    listed.map((m) => [m.file, m.variant, m.seed, m.step, m.accuracy]),
    [
      ['checkpoint-adam-s0.safetensors', 'adam', 0, 3228, null],
      ['model-bce-s1.safetensors', 'bce', 1, 180000, 0.9039],
      ['model-old.safetensors', 'baseline', null, null, 0.87],
    ],
  );
});
