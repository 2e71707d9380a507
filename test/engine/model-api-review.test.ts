// What a review of saved models and the module API found (session 25): loadWeights without strict said nothing of
// what it skipped, train() took any value, and the message for p.data = t suggested a write that transposes a
// Linear weight.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manualSeed, nn, noGrad, ones, saveFile, tensor, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('loadWeights with strict: false returns the missing and unexpected keys, as load_state_dict does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-weights-'));
  try {
    manualSeed(1);
    const source = new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid(), new nn.Linear(2, 2));
    const file = join(dir, 'prefixed.safetensors');
    // Keys as a wrapper module writes them ("model.0.weight"), plus the first layer under the model's own name.
    const state = source.stateDict();
    saveFile(file, { '0.weight': state['0.weight']!, ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`model.${k}`, v])) });
    const into = new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid(), new nn.Linear(2, 2));
    const before = into.stateDict()['0.bias']!.tolist();
    const report = nn.loadWeights(into, file, { strict: false });
    assert.deepEqual(report.missingKeys, ['0.bias', '2.weight', '2.bias']);
    assert.deepEqual(report.unexpectedKeys, ['model.0.bias', 'model.0.weight', 'model.2.bias', 'model.2.weight'], 'in the file\'s (sorted) order');
    assert.deepEqual(into.stateDict()['0.weight']!.tolist(), state['0.weight']!.tolist(), 'what matches is loaded');
    assert.deepEqual(into.stateDict()['0.bias']!.tolist(), before, 'what is missing is left');
    // Strict loading of a file that matches reports nothing missing.
    const exact = join(dir, 'exact.safetensors');
    saveFile(exact, state);
    assert.deepEqual(nn.loadWeights(into, exact), { missingKeys: [], unexpectedKeys: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train() takes true or false only, as PyTorch\'s does (its words), and changes nothing otherwise', () => {
  const d = new nn.Sequential(new nn.Dropout(0.5));
  d.eval();
  // PyTorch 1.13's words: ValueError: training mode is expected to be boolean (for 0, 1, 1.0, None, 'x' alike).
  throwsWith(() => d.train(loose(0)), TypeError, 'train: training mode is expected to be boolean, got the number 0');
  throwsWith(() => d.train(loose('false')), TypeError, 'got the string "false"');
  assert.equal(d.training, false);
  assert.equal((d.at(0) as nn.Module).training, false);
  assert.equal(d.train().training, true);
});

test('the message for p.data = t points to a copy that keeps a Linear weight\'s layout', () => {
  const l = new nn.Linear(3, 2);
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  let message = '';
  try {
    (l.weight as unknown as { data: Tensor }).data = t;
  } catch (err) {
    message = (err as Error).message;
  }
  assert.match(message, /noGrad\(\(\) => p\.copy_\(t\)\)/);
  assert.doesNotMatch(message, /data\.set/);
  noGrad(() => l.weight.copy_(t));
  assert.deepEqual(l.weight.tolist(), [[1, 2, 3], [4, 5, 6]], 'the suggested copy gives the weight the rows it was given');
  assert.ok(ones([1]).data instanceof Float32Array);
});
