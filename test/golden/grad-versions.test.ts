// `p.grad.version` (PyTorch's `p.grad._version`) after each backward() against PyTorch 1.13's
// (fixtures/torch/grad-versions.json, written by make_grad_versions.py): a first gradient kept as it is (0) or copied
// (1), every later one added in place (one more), zeroGrad's zero_ counted too; with createGraph a copy, then new sums.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, F, ones, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

const fx = loadFixture<{ versions: Record<string, Record<string, number[]>> }>('grad-versions.json');

/** Values 0.1, 0.2, … in the given shape, a leaf that requires grad (the fixture's `L`). */
const L = (...shape: number[]): Tensor => arange(1, 1 + shape.reduce((a, b) => a * b, 1)).div(10).reshape(shape).requiresGrad_();

type Leaves = Record<string, Tensor>;
/** The fixture's programs: leaves, the loss, createGraph, zeroGrad before the later walks. */
const PROGRAMS: Record<string, [() => Leaves, (l: Leaves) => Tensor, boolean, boolean]> = {
  'mul': [() => ({ x: L(3, 4) }), (l) => l.x!.mul(2).sum(), false, false],
  'transposed gradient': [() => ({ x: L(3, 4) }), (l) => l.x!.t().mul(2).sum(), false, false],
  'used twice': [() => ({ x: L(3, 4) }), (l) => l.x!.mul(l.x!).sum(), false, false],
  'mean': [() => ({ x: L(3, 4) }), (l) => l.x!.mean(), false, false],
  'sigmoid': [() => ({ x: L(5) }), (l) => l.x!.sigmoid().sum(), false, false],
  'matmul weight': [() => ({ a: L(2, 3), w: L(3, 4) }), (l) => l.a!.matmul(l.w!).pow(2).sum(), false, false],
  'linear batch': [() => ({ w: L(4, 3), b: L(4) }), (l) => F.linear(ones(2, 3), l.w!, l.b!).pow(2).sum(), false, false],
  'linear one': [() => ({ w: L(4, 3), b: L(4) }), (l) => F.linear(ones(3), l.w!, l.b!).pow(2).sum(), false, false],
  'linear zero_grad': [() => ({ w: L(4, 3), b: L(4) }), (l) => F.linear(ones(3), l.w!, l.b!).pow(2).sum(), false, true],
  'layer_norm': [() => ({ g: L(3), b: L(3) }), (l) => F.layerNorm(L(2, 3).detach().mul(3), [3], l.g!, l.b!).pow(2).sum(), false, false],
  'create_graph': [() => ({ x: L(3, 4) }), (l) => l.x!.mul(l.x!).sum(), true, false],
  'create_graph transposed': [() => ({ x: L(3, 4) }), (l) => l.x!.t().mul(l.x!.t()).sum(), true, false],
};

test('the programs are the fixture\'s', () => {
  assert.deepEqual(Object.keys(PROGRAMS).sort(), Object.keys(fx.versions).sort());
});

test('.grad\'s version after each backward() is PyTorch\'s', () => {
  const wrong: string[] = [];
  for (const [name, want] of Object.entries(fx.versions)) {
    const [make, loss, createGraph, zero] = PROGRAMS[name]!;
    const leaves = make();
    const got: Record<string, number[]> = Object.fromEntries(Object.keys(leaves).map((k) => [k, []]));
    for (let step = 0; step < 3; step++) {
      if (zero && step > 0) for (const t of Object.values(leaves)) t.grad!.zero_();
      loss(leaves).backward({ createGraph });
      for (const [k, t] of Object.entries(leaves)) got[k]!.push(t.grad!.version);
    }
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${name}: PyTorch ${JSON.stringify(want)}, Kindling ${JSON.stringify(got)}`);
  }
  assert.deepEqual(wrong, []);
});
