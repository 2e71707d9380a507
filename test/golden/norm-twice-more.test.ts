// First, second and third derivatives of F.batchNorm (training and evaluation), F.layerNorm and F.groupNorm against
// PyTorch 1.13 (fixtures/torch/norm-twice-more.json, from make_norm_twice_more.py), the upstream gradient a leaf too.
// The first-order gradients taken with createGraph are the plain walk's to the bit (PyTorch's are its plain kernels'
// for batch and layer norm): finite for a constant input with eps 0, the kernel's at an offset of 1000. The second and
// third ones are PyTorch's: batchnorm_double_backward and layer_norm_double_backward over constant statistics, group
// norm's differentiable composition through them.
// Tolerance: |diff| ≤ 1e-5·|expected| + 1e-5·max(1, the largest finite |value| of that order in the case)
// + 4·(PyTorch's own float32 error at that order: the largest distance of its results from the same computation in
// float64). At an offset of 1000 and in groups of one value the float32 formulas lose digits, PyTorch's as Kindling's
// (weights and upstream gradients are of magnitude 1: where the exact derivative is 0 both give rounding noise of the
// terms' size). Where PyTorch's value is not finite (values near 1e-20 with eps 0: rstd³ overflows) Kindling's is not
// finite either; first-order gradients are compared only where PyTorch's are finite (Kindling's plain kernels sum in
// float64 and stay finite there).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Maybe = EncodedTensor | null;
interface Case {
  op: 'batchNorm' | 'layerNorm' | 'groupNorm';
  options: { training?: boolean; eps: number; shape?: number[]; groups?: number };
  skip: number[];
  inputs: { x: EncodedTensor; weight: Maybe; bias: Maybe; runningMean: Maybe; runningVar: Maybe };
  out: EncodedTensor;
  upstream: EncodedTensor;
  weights: EncodedTensor[];
  weights2: EncodedTensor[];
  grads: EncodedTensor[];
  second: Maybe[];
  third: Maybe[];
  deviation: { out: (number | string | null)[]; grads: (number | string | null)[]; second: (number | string | null)[]; third: (number | string | null)[] };
}
const { cases } = loadFixture<{ cases: Case[] }>('norm-twice-more.json');

function apply(c: Case, x: Tensor, weight: Tensor | null, bias: Tensor | null): Tensor {
  const o = c.options;
  if (c.op === 'batchNorm') {
    const rm = c.inputs.runningMean === null ? null : decode(c.inputs.runningMean);
    const rv = c.inputs.runningVar === null ? null : decode(c.inputs.runningVar);
    return F.batchNorm(x, rm, rv, { weight, bias, training: o.training!, eps: o.eps });
  }
  if (c.op === 'layerNorm') return F.layerNorm(x, o.shape!, weight, bias, o.eps);
  return F.groupNorm(x, o.groups!, weight, bias, o.eps);
}

const largest = (es: Maybe[]): number => es.reduce((m, e) => (e === null ? m : values(e).reduce((n, v) => (Number.isFinite(v) ? Math.max(n, Math.abs(v)) : n), m)), 0);

/** PyTorch's largest float32 error among the results of one order (NaN, for a value finite in one of them only, as 0). */
const worstDeviation = (devs: (number | string | null)[]): number => devs.reduce<number>((m, d) => (typeof d === 'number' && Number.isFinite(d) ? Math.max(m, d) : m), 0);

function check(t: Tensor | null, e: Maybe, dev: number, scale: number, label: string, finiteOnly = false): void {
  if (e === null) {
    assert.ok(t === null || t.toArray().every((v) => v === 0), `${label}: PyTorch gives none, got nonzero values`);
    return;
  }
  assert.ok(t !== null, `${label}: PyTorch gives a gradient, Kindling none`);
  assert.deepEqual(t.shape, e.shape, `${label}: shape`);
  const actual = t.contiguous().toArray();
  const expected = values(e);
  const budget = 1e-5 * Math.max(scale, 1) + 4 * dev;
  expected.forEach((v, i) => {
    const a = actual[i]!;
    if (!Number.isFinite(v)) {
      if (!finiteOnly) assert.ok(!Number.isFinite(a), `${label}[${i}]: got ${a}, PyTorch ${v}`);
      return;
    }
    assert.ok(Math.abs(a - v) <= 1e-5 * Math.abs(v) + budget, `${label}[${i}]: got ${a}, PyTorch ${v} (allowed ${budget.toExponential(2)})`);
  });
}

for (const [i, c] of cases.entries()) {
  const o = c.options;
  const what = c.op === 'batchNorm' ? (o.training ? 'training' : 'evaluation') : c.op === 'layerNorm' ? `over [${o.shape!.join(', ')}]` : `${o.groups} groups`;
  const affine = `${c.inputs.weight ? 'weight' : 'no weight'}, ${c.inputs.bias ? 'bias' : 'no bias'}`;
  test(`${c.op} #${i} ${what}, eps ${o.eps}, [${c.inputs.x.shape.join(', ')}], ${affine}: derivatives with createGraph as PyTorch's, the first ones the plain ones`, () => {
    const present = (['x', 'weight', 'bias'] as const).filter((k) => c.inputs[k] !== null);
    const leaves = present.map((k) => decode(c.inputs[k]!, true));
    const get = (k: 'x' | 'weight' | 'bias'): Tensor | null => (present.includes(k) ? leaves[present.indexOf(k)]! : null);
    const run = (): Tensor => apply(c, get('x')!, get('weight'), get('bias'));
    const u = decode(c.upstream, true);
    const out = run();
    check(out, c.out, worstDeviation(c.deviation.out), largest([c.out]), 'out');
    const plain = autograd.grad([run()], leaves, [u.detach()]);
    const grads = autograd.grad([out], leaves, [u], { createGraph: true });
    const firstScale = largest(c.grads);
    grads.forEach((g, k) => {
      assert.deepEqual(Array.from(g.toArray()), Array.from(plain[k]!.toArray()), `${present[k]}: the first-order gradient with createGraph is the plain one`);
      check(g, c.grads[k]!, worstDeviation(c.deviation.grads), firstScale, `first-order gradient of ${present[k]}`, true);
    });
    const wrt = [...leaves, u];
    const names = [...present, 'upstream'];
    const terms = grads.flatMap((g, k) => (c.skip.includes(k) ? [] : [g.mul(decode(c.weights[k]!)).sum()]));
    const second = autograd.grad([terms.reduce((s, t) => s.add(t))], wrt, { createGraph: true, allowUnused: true });
    const secondScale = largest(c.second);
    second.forEach((h, k) => check(h, c.second[k]!, worstDeviation(c.deviation.second), secondScale, `second-order gradient of ${names[k]}`));
    const thirdTerms = second.flatMap((h, k) => (h === null || !h.requiresGrad ? [] : [h.mul(decode(c.weights2[k]!)).sum()]));
    const third = thirdTerms.length === 0 ? wrt.map(() => null) : autograd.grad([thirdTerms.reduce((s, t) => s.add(t))], wrt, { allowUnused: true });
    const thirdScale = largest(c.third);
    third.forEach((h, k) => check(h, c.third[k]!, worstDeviation(c.deviation.third), thirdScale, `third-order gradient of ${names[k]}`));
  });
}
