// First and second derivatives of F.cosineSimilarity, F.pairwiseDistance and Tensor.norm against PyTorch 1.13
// (fixtures/torch/distance-twice.json, from make_distance_twice.py): the first-order gradients taken with createGraph
// are the plain backward's — finite where a norm is 0 or below cosine's eps, as PyTorch's norm_backward masks them —
// and the second-order ones are PyTorch's, for every p its norm_backward has a formula for (∞, 0.5, −1 among them).
// Tolerances: values and first-order gradients within rtol 1e-6 and atol 1e-7 (cosine's sums of a few products that
// cancel, added in another order than PyTorch's kernel, are a rounding of their terms apart); second-order ones within
// rtol 1e-6 and atol 1e-6.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type Special = number | 'Infinity' | '-Infinity' | 'NaN';
interface Case {
  op: 'cosineSimilarity' | 'pairwiseDistance' | 'norm';
  options: Record<string, Special>;
  inputs: EncodedTensor[];
  out: EncodedTensor;
  upstream: EncodedTensor;
  weights: EncodedTensor[];
  grads: (EncodedTensor | null)[];
  second: (EncodedTensor | null)[];
}
const { cases } = loadFixture<{ cases: Case[] }>('distance-twice.json');
const num = (v: Special | undefined): number | undefined => (v === undefined ? undefined : Number(v));

function apply(c: Case, xs: Tensor[]): Tensor {
  const o = c.options;
  if (c.op === 'cosineSimilarity') {
    return F.cosineSimilarity(xs[0]!, xs[1]!, { ...(o.dim === undefined ? {} : { dim: num(o.dim)! }), ...(o.eps === undefined ? {} : { eps: num(o.eps)! }) });
  }
  if (c.op === 'pairwiseDistance') {
    return F.pairwiseDistance(xs[0]!, xs[1]!, { ...(o.p === undefined ? {} : { p: num(o.p)! }), ...(o.eps === undefined ? {} : { eps: num(o.eps)! }) });
  }
  return xs[0]!.norm(num(o.p)!, num(o.dim)!);
}

const first = { rtol: 1e-6, atol: 1e-7 };
const second = { rtol: 1e-6, atol: 1e-6 };

for (const [i, c] of cases.entries()) {
  test(`${c.op} #${i} ${JSON.stringify(c.options)}: first derivatives with createGraph as PyTorch's, and second ones`, () => {
    const xs = c.inputs.map((x) => decode(x, true));
    const out = apply(c, xs);
    assertTensorClose(out, c.out, 'out', first);
    const grads = autograd.grad([out.mul(decode(c.upstream)).sum()], xs, { createGraph: true, allowUnused: true });
    grads.forEach((g, k) => {
      if (c.grads[k] === null) assert.equal(g, null, `input ${k}: PyTorch gives no gradient`);
      else assertTensorClose(g, c.grads[k]!, `first-order gradient of input ${k}`, first);
    });
    const terms = grads.flatMap((g, k) => (g === null || !g.requiresGrad ? [] : [g.mul(decode(c.weights[k]!)).sum()]));
    if (terms.length === 0) {
      assert.ok(c.second.every((h) => h === null), 'PyTorch has second derivatives');
      return;
    }
    const total = terms.reduce((s, t) => s.add(t));
    const hs = autograd.grad([total], xs, { allowUnused: true });
    hs.forEach((h, k) => {
      if (c.second[k] === null) assert.equal(h, null, `input ${k}: PyTorch gives no second derivative`);
      else assertTensorClose(h, c.second[k]!, `second-order gradient of input ${k}`, second);
    });
  });
}
