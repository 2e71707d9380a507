// Small differences from PyTorch 1.13 closed after the differential reviews: multinomial's draws on views
// (fixtures/torch/ops_more.json, from make_ops_more.py), x[()] as x.index([]), cat of 1-D empty tensors only,
// newFull with a 0-d tensor, tensorSplit's message for a bad number of sections, indexPut's +0 gradient.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Step = ['t'] | ['narrow', number, number, number] | ['select', number, number] | ['expand', number[]];
interface Draw { name: string; steps: Step[]; numSamples: number; seed: number; strides: number[]; out: EncodedTensor; after: EncodedTensor }
interface Fixture { base: EncodedTensor; multinomial: Draw[] }

const fx = loadFixture<Fixture>('ops_more.json');

/** The fixture's base through the steps, as make_ops_more.py's `view`. */
function view(steps: readonly Step[]): Tensor {
  let x = decode(fx.base);
  for (const s of steps) {
    if (s[0] === 't') x = x.t();
    else if (s[0] === 'narrow') x = x.narrow(s[1], s[2], s[3]);
    else if (s[0] === 'select') x = x.select(s[1], s[2]);
    else x = x.expand(s[1]);
  }
  return x;
}

for (const c of fx.multinomial) {
  test(`multinomial on a view (${c.name}, strides [${c.strides.join(', ')}]), ${c.numSamples} without replacement after manualSeed(${c.seed}): PyTorch's draws`, () => {
    const x = view(c.steps);
    K.manualSeed(c.seed);
    const out = K.multinomial(x, c.numSamples);
    assert.deepEqual([...out.shape], c.out.shape);
    assert.deepEqual([...out.toArray()], values(c.out));
    assert.deepEqual([...K.rand([3]).toArray()], values(c.after));
  });
}

test('x.index([]) is PyTorch\'s x[()]: an alias of x, a view of the whole tensor (AliasBackward0)', () => {
  for (const x of [K.tensor([[1, 2], [3, 4]], { requiresGrad: true }), K.tensor(5, { requiresGrad: true })]) {
    const y = x.index([]);
    assert.deepEqual([...y.shape], [...x.shape]);
    assert.deepEqual(y.tolist(), x.tolist());
    assert.notEqual(y.viewBase, null);
    assert.equal(y.gradFn?.torchName, 'AliasBackward0');
    const [g] = K.autograd.grad([y.mul(3).sum()], [x]);
    assert.deepEqual([...g!.toArray()], new Array(x.numel()).fill(3));
  }
  // A view: a write through it reaches x, as PyTorch's x[()][0] = 5 does.
  const x = K.tensor([1, 2]);
  x.index([]).fill_(7);
  assert.deepEqual(x.tolist(), [7, 7]);
});

test('cat of 1-D empty tensors only takes any dim and gives [0], as PyTorch 1.13\'s legacy cat', () => {
  for (const dim of [1, -3, 5, 0]) {
    const a = K.zeros([0], { requiresGrad: true });
    const y = K.cat([a, K.zeros(5).narrow(0, 0, 0)], dim);
    assert.deepEqual([...y.shape], [0]);
    assert.equal(y.gradFn?.torchName, 'CatBackward0');
    const [g] = K.autograd.grad([y.sum()], [a]);
    assert.deepEqual([...g!.shape], [0]);
  }
  assert.deepEqual([...K.concat([K.zeros(0)], -2).shape], [0]);
  // With another tensor among them, dim is checked against its rank, as PyTorch's.
  assert.throws(() => K.cat([K.zeros(0), K.zeros(2, 3)], 2), /cat: dimension out of range/);
  assert.throws(() => K.cat([K.zeros(0)], 0.5), /cat/);
});

test('newFull takes a 0-d tensor as its value, as PyTorch\'s new_full (a new leaf)', () => {
  const value: Tensor = K.tensor(3);
  const y = K.zeros(2).newFull([2, 2], value);
  assert.deepEqual(y.tolist(), [[3, 3], [3, 3]]);
  assert.equal(y.requiresGrad, false);
  assert.throws(() => K.zeros(2).newFull([2], K.tensor(3, { requiresGrad: true })), /newFull|full: fill value/);
});

test('tensorSplit refuses a bad number of sections naming itself, the argument and the value', () => {
  const x = K.arange(6);
  assert.throws(() => K.tensorSplit(x, Number.NaN), (e: Error) => e instanceof TypeError && /^tensorSplit: sectionsOrIndices .*NaN/.test(e.message));
  assert.throws(() => K.tensorSplit(x, 2.5), (e: Error) => e instanceof TypeError && /^tensorSplit: .*2\.5/.test(e.message));
  for (const k of [0, -1]) {
    assert.throws(() => K.tensorSplit(x, k), (e: Error) => e instanceof RangeError && e.message === `tensorSplit: number of sections must be larger than 0, got ${k}`);
  }
  assert.throws(() => x.tensorSplit(K.tensor(0)), /^RangeError: tensorSplit: number of sections must be larger than 0, got 0$/);
});

test('indexPut\'s gradient holds +0 at the places written, with or without createGraph, as PyTorch 1.13\'s', () => {
  // PyTorch 1.13: torch.index_put(x, (tensor([0]),), tensor(5.)) with the output gradient [-1, -1] gives x [0, -1].
  for (const createGraph of [false, true]) {
    const x = K.tensor([1, 2], { requiresGrad: true });
    const [g] = K.autograd.grad([x.indexPut([K.tensor([0])], K.tensor(5))], [x], [K.tensor([-1, -1])], { createGraph });
    const v = g!.toArray();
    assert.ok(Object.is(v[0], 0) && v[1] === -1, `createGraph ${createGraph}: got [${Array.from(v, (a) => (Object.is(a, -0) ? '-0' : a)).join(', ')}]`);
  }
});
