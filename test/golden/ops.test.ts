// Every tensor op against PyTorch: forward values, then backward with the fixture's upstream gradient.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, where, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedMap } from './golden-helpers.js';

interface OpCase {
  name: string;
  op: string;
  args: Record<string, unknown>;
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream?: EncodedMap;
  grads?: EncodedMap;
}

type Inputs = Record<string, Tensor>;
type Args = Record<string, unknown>;
type Result = Tensor | { values: Tensor; indices: Tensor };

const num = (a: Args, key: string): number => {
  const v = a[key];
  if (typeof v !== 'number') throw new TypeError(`fixture arg ${key} is ${String(v)}, expected a number`);
  return v;
};
const optNum = (a: Args, key: string): number | null => (a[key] === undefined ? null : num(a, key));
const keep = (a: Args): boolean => a.keepdim === true;
const binary = (i: Inputs, a: Args): Tensor | number => (a.other === undefined ? i.b : num(a, 'other'));

/** How each fixture `op` maps onto Kindling's API. */
const OPS: Record<string, (i: Inputs, a: Args) => Result> = {
  add: (i, a) => i.a.add(binary(i, a)),
  sub: (i, a) => i.a.sub(binary(i, a)),
  mul: (i, a) => i.a.mul(binary(i, a)),
  div: (i, a) => i.a.div(binary(i, a)),
  neg: (i) => i.x.neg(),
  exp: (i) => i.x.exp(),
  log: (i) => i.x.log(),
  sqrt: (i) => i.x.sqrt(),
  abs: (i) => i.x.abs(),
  sigmoid: (i) => i.x.sigmoid(),
  tanh: (i) => i.x.tanh(),
  relu: (i) => i.x.relu(),
  leakyRelu: (i, a) => i.x.leakyRelu(num(a, 'slope')),
  pow: (i, a) => i.x.pow(a.exponent === undefined ? i.exponent : num(a, 'exponent')),
  clamp: (i, a) => i.x.clamp(optNum(a, 'min'), optNum(a, 'max')),
  maximum: (i) => i.a.maximum(i.b),
  minimum: (i) => i.a.minimum(i.b),
  where: (i) => where(i.cond.bool(), i.a, i.b),
  matmul: (i) => i.a.matmul(i.b),
  sum: (i, a) => (a.dim === undefined ? i.x.sum() : i.x.sum(num(a, 'dim'), keep(a))),
  mean: (i, a) => (a.dim === undefined ? i.x.mean() : i.x.mean(num(a, 'dim'), keep(a))),
  max: (i, a) => (a.dim === undefined ? i.x.max() : i.x.max(num(a, 'dim'), keep(a))),
  argmax: (i, a) => (a.dim === undefined ? i.x.argmax() : i.x.argmax(num(a, 'dim'), keep(a))),
  reshape: (i, a) => i.x.reshape(a.shape as number[]),
  transpose: (i, a) => i.x.transpose(num(a, 'dim0'), num(a, 'dim1')),
  transposeMatmul: (i) => i.a.transpose(0, 1).matmul(i.b),
  unsqueeze: (i, a) => i.x.unsqueeze(num(a, 'dim')),
  squeeze: (i, a) => (a.dim === undefined ? i.x.squeeze() : i.x.squeeze(num(a, 'dim'))),
  softmax: (i, a) => i.x.softmax(num(a, 'dim')),
  logSoftmax: (i, a) => i.x.logSoftmax(num(a, 'dim')),
  layerNorm: (i, a) => F.layerNorm(i.x, a.normalizedShape as number[], i.weight ?? null, i.bias ?? null, num(a, 'eps')),
  linear: (i) => F.linear(i.x, i.weight, i.bias ?? null),
};

const { cases } = loadFixture<{ cases: OpCase[] }>('ops.json');

test('ops.json covers every op the test knows, and nothing unknown', () => {
  assert.ok(cases.length > 90, `only ${cases.length} cases`);
  for (const c of cases) assert.ok(c.op in OPS, `fixture op ${c.op} (${c.name}) has no mapping`);
});

for (const c of cases) {
  test(`op ${c.name}`, () => {
    const inputs: Inputs = {};
    for (const [k, e] of Object.entries(c.inputs)) inputs[k] = decode(e, c.grads?.[k] !== undefined);
    const res = OPS[c.op]!(inputs, c.args);
    const outs: Inputs = 'values' in res && 'indices' in res ? { values: res.values, indices: res.indices } : { out: res as Tensor };
    for (const [k, e] of Object.entries(c.outputs)) {
      // integer outputs (indices) must match exactly
      assertTensorClose(outs[k] ?? null, e, `${c.name} output ${k}`, e.dtype === 'int64' ? { rtol: 0, atol: 0 } : undefined);
    }
    if (!c.upstream || !c.grads) return;
    const ups = Object.entries(c.upstream);
    assert.equal(ups.length, 1, 'one upstream per case');
    const [outName, g] = ups[0]!;
    outs[outName]!.backward(decode(g));
    for (const [k, e] of Object.entries(c.grads)) assertTensorClose(inputs[k]!.grad, e, `${c.name} grad ${k}`);
  });
}

test('ops.json upstream gradients are not all ones (backward(g) really weighs the outputs)', () => {
  const withUp = cases.filter((c) => c.upstream);
  assert.ok(withUp.every((c) => Object.values(c.upstream!).some((g) => values(g).some((v) => v !== 1))));
});
