// Dropout and Flatten. Dropout: PyTorch 1.13's mask for the same seed (its CPU bernoulli_ draws one double per element), its scaling,
// its gradient, the identity in evaluation mode, printing and saving. Expected values from PyTorch itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { arange, F, manualSeed, nn, ones, rand, tensor, type Tensor } from '../../src/index.js';

test('F.dropout gives PyTorch\'s mask, values and gradient for the same seed, and moves the generator as PyTorch does', () => {
  manualSeed(0);
  const x = arange(1, 13).reshape(3, 4);
  x.requiresGrad = true;
  const y = F.dropout(x, 0.3, true);
  // torch.manual_seed(0); F.dropout(torch.arange(1., 13.).reshape(3, 4), 0.3, True)
  const want = [[0, 0, 4.285714149475098, 0], [7.142857551574707, 0, 10, 11.428571701049805], [12.85714340209961, 14.285715103149414, 15.714285850524902, 17.14285659790039]];
  assert.deepEqual(y.tolist(), want.map((r) => r.map((v) => Math.fround(v))));
  y.mul(arange(12).reshape(3, 4)).sum().backward();
  const grad = [[0, 0, 2.857142925262451, 0], [5.714285850524902, 0, 8.571428298950195, 10], [11.428571701049805, 12.85714340209961, 14.285715103149414, 15.714285850524902]];
  assert.deepEqual(x.grad!.tolist(), grad.map((r) => r.map((v) => Math.fround(v))));
  // The next draws are PyTorch's too: torch.rand(2) after the dropout.
  assert.deepEqual([...rand(2).toArray()], [0.41940832138061523, 0.5529070496559143].map(Math.fround));
  manualSeed(1);
  assert.deepEqual([...F.dropout(ones(6), 0.2, true).toArray()], [1.25, 1.25, 1.25, 1.25, 1.25, 1.25]);
  // 1 / 0.7 as float32, PyTorch's bits: torch.manual_seed(1); F.dropout(torch.ones(6), 0.3, True) keeps all six.
  manualSeed(1);
  const kept = F.dropout(ones(6), 0.3, true).toArray();
  assert.deepEqual([...new Uint32Array(kept.buffer, kept.byteOffset, 6)], Array(6).fill(1068948334));
  assert.deepEqual([...F.dropout(ones(3), 1, true).toArray()], [0, 0, 0]);
  // PyTorch's keywords as one object: the same mask from the same seed; training false is the input itself.
  manualSeed(0);
  assert.deepEqual(F.dropout(arange(1, 13).reshape(3, 4), { p: 0.3 }).tolist(), want.map((r) => r.map((v) => Math.fround(v))));
  const same = ones(2);
  assert.equal(F.dropout(same, { p: 0.5, training: false }), same);
  assert.throws(() => F.dropout(same, { p: 0.5 }, true), /after the options object nothing may follow/);
  assert.throws(() => F.dropout(same, { prob: 0.5 } as object), /dropout: unknown option "prob"/);
  const z = tensor([1, 2]);
  assert.equal(F.dropout(z, 0.5, false), z, 'outside training it is the input itself');
  assert.equal(F.dropout(z, 0, true), z);
  assert.throws(() => F.dropout(z, 1.5, true), /dropout probability has to be between 0 and 1, but got the number 1\.5/);
});

test('nn.Dropout is the identity in eval mode, prints and saves as PyTorch names it', () => {
  const d = new nn.Dropout(0.25);
  assert.equal(String(d), 'Dropout(p=0.25, inplace=False)');
  assert.equal(new nn.Dropout().p, 0.5);
  assert.equal(new nn.Dropout({ p: 0.1 }).p, 0.1);
  assert.throws(() => new nn.Dropout(-0.1), /Dropout: dropout probability has to be between 0 and 1, but got the number -0\.1/);
  const x = arange(6);
  manualSeed(0);
  assert.ok(d.forward(x).toArray().some((v, i) => v !== x.toArray()[i]), 'training mode drops or scales');
  d.eval();
  assert.equal(d.forward(x), x);
  const dir = mkdtempSync(join(tmpdir(), 'kindling-dropout-'));
  try {
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(3, 2));
    const file = join(dir, 'm.safetensors');
    model.save(file);
    const back = nn.Module.load(file);
    assert.equal(String(back), String(model));
    back.eval();
    model.eval();
    const input = tensor([[1, -2, 3, 0.5]]);
    assert.deepEqual([...back.forward(input).toArray()], [...model.forward(input).toArray()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('flatten and nn.Flatten merge dimensions as PyTorch does; Flatten prints and saves', () => {
  const x = arange(24).reshape(2, 3, 4);
  // PyTorch: [24], [2, 12], [6, 4], [2, 12], and [1] for a 0-d tensor; nn.Flatten() gives [2, 12].
  assert.deepEqual(x.flatten().shape, [24]);
  assert.deepEqual(x.flatten(1).shape, [2, 12]);
  assert.deepEqual(x.flatten(0, 1).shape, [6, 4]);
  assert.deepEqual(x.flatten(-2).shape, [2, 12]);
  assert.deepEqual(tensor(3).flatten().shape, [1]);
  // PyTorch: a 0-d tensor has the dimensions 0 and −1 only, so nn.Flatten() (start_dim=1) refuses it.
  assert.throws(() => tensor(3).flatten(1), /flatten/);
  assert.throws(() => new nn.Flatten().forward(tensor(3)), /flatten/);
  assert.deepEqual(new nn.Flatten({ startDim: 0 }).forward(x).shape, [24]);
  assert.deepEqual(new nn.Flatten({ endDim: 1 }).forward(x).shape, [2, 3, 4]);
  assert.deepEqual(new nn.Flatten(0, 1).forward(x).shape, [6, 4]);
  assert.deepEqual([...x.flatten(1).select(0, 1).toArray()].slice(0, 3), [12, 13, 14]);
  const f = new nn.Flatten();
  assert.deepEqual(f.forward(x).shape, [2, 12]);
  assert.equal(String(f), 'Flatten(start_dim=1, end_dim=-1)');
  assert.throws(() => x.flatten(2, 1), /flatten: start_dim 2 comes after end_dim 1 \(shape \[2, 3, 4\]\)/);
  assert.throws(() => new nn.Flatten(0.5), /Flatten: startDim must be an integer, got the number 0\.5/);
  const dir = mkdtempSync(join(tmpdir(), 'kindling-flatten-'));
  try {
    const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 3));
    const file = join(dir, 'f.safetensors');
    model.save(file);
    const back = nn.Module.load(file);
    assert.equal(String(back), String(model));
    assert.deepEqual([...back.forward(x).toArray()], [...model.forward(x).toArray()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an in-place dropout that changes nothing (evaluation, p = 0, empty) returns a leaf that requires grad, as PyTorch\'s', () => {
  // PyTorch 1.13's _dropout_impl returns its input before the in-place checks: nn.Dropout(0.5, inplace=True).eval()
  // on a leaf that requires grad gives the leaf itself, as do F.dropout(x, 0., True, True) and the alpha and feature forms.
  const leaf = (...shape: number[]): Tensor => ones(...shape).requiresGrad_();
  const cases: Array<[string, (x: Tensor) => Tensor, number[]]> = [
    ['nn.Dropout(0.5, true) in evaluation', (x) => new nn.Dropout(0.5, true).eval().forward(x), [2, 2]],
    ['nn.Dropout(0, true)', (x) => new nn.Dropout(0, true).forward(x), [2, 2]],
    ['F.dropout(x, 0, true, true)', (x) => F.dropout(x, 0, true, true), [2, 2]],
    ['F.dropout(x, 0.5, false, true)', (x) => F.dropout(x, 0.5, false, true), [2, 2]],
    ['F.dropout of an empty tensor', (x) => F.dropout(x, 0.5, true, true), [0, 3]],
    ['F.alphaDropout(x, 0.5, false, true)', (x) => F.alphaDropout(x, 0.5, false, true), [2, 2]],
    ['F.featureAlphaDropout(x, 0.5, false, true)', (x) => F.featureAlphaDropout(x, 0.5, false, true), [2, 2]],
    ['nn.Dropout2d(0.5, true) in evaluation', (x) => new nn.Dropout2d(0.5, true).eval().forward(x), [1, 2, 2, 2]],
  ];
  for (const [name, fn, shape] of cases) {
    const x = leaf(...shape);
    assert.equal(fn(x), x, name);
    assert.equal(x.gradFn, null, `${name}: still a leaf`);
  }
  // Still refused where PyTorch changes the leaf: while training, and unbatched (its unsqueeze_ is in place).
  assert.throws(() => F.dropout(leaf(2, 2), 0.5, true, true), /leaf/);
  assert.throws(() => F.dropout1d(leaf(2, 2), 0.5, false, true), /leaf/);
  assert.throws(() => F.dropout(leaf(2, 2), 1.5, false, true), /dropout probability has to be between 0 and 1, but got the number 1\.5/);
});
