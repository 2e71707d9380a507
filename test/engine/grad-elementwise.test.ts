// Finite-difference checks (float64 reference) of the elementwise ops, with broadcasting in every direction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor, where, type Tensor } from '../../src/index.js';
import { record } from '../../src/autograd/record.js';
import { distinctLeaf, gradcheck, leaf, Rng, type ValueOptions } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(7);

type Bin = 'add' | 'sub' | 'mul' | 'div' | 'pow';
const engineBin: Record<Bin, (a: Tensor, b: Tensor | number) => Tensor> = {
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  pow: (a, b) => a.pow(b),
};
const refBin: Record<Bin, (a: R.Ref, b: R.Ref) => R.Ref> = { add: R.add, sub: R.sub, mul: R.mul, div: R.div, pow: R.pow };

/** Shape pairs covering: same shape, either side broadcast, both sides broadcast, 0-d on either side, 3-D. */
const PAIRS: Array<[number[], number[]]> = [
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [[2, 1], [1, 3]],
  [[2, 3], [2, 1]],
  [[2, 3], []],
  [[], [2, 3]],
  [[4, 1, 3], [2, 1]],
  [[1, 3], [4, 2, 1]],
];

const ranges: Record<Bin, [ValueOptions, ValueOptions]> = {
  add: [{}, {}],
  sub: [{}, {}],
  mul: [{}, {}],
  div: [{}, { lo: 0.5, hi: 2 }],
  pow: [{ lo: 0.5, hi: 2 }, { lo: -2, hi: 2 }],
};

for (const op of Object.keys(engineBin) as Bin[]) {
  test(`gradcheck ${op} with broadcasting in every direction`, () => {
    for (const [sa, sb] of PAIRS) {
      const a = leaf(rng, sa, ranges[op][0]);
      const b = leaf(rng, sb, ranges[op][1]);
      gradcheck(`${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, {
        leaves: [a, b],
        forward: () => engineBin[op](a, b),
        reference: ([x, y]) => refBin[op](x!, y!),
      });
    }
  });

  test(`gradcheck ${op} with a number operand`, () => {
    const a = leaf(rng, [2, 3], ranges[op][0]);
    const k = op === 'pow' ? 1.5 : -1.75;
    gradcheck(`${op} number`, {
      leaves: [a],
      forward: () => engineBin[op](a, k),
      reference: ([x]) => refBin[op](x!, R.scalarRef(k)),
    });
  });
}

test('gradcheck pow of a negative base to integer exponents', () => {
  for (const k of [2, 3, -1]) {
    const a = leaf(rng, [5], { lo: -2, hi: -0.5 });
    gradcheck(`pow(neg, ${k})`, { leaves: [a], forward: () => a.pow(k), reference: ([x]) => R.map(x!, (v) => v ** k) });
  }
});

const UNARY: Array<{ name: string; run: (x: Tensor) => Tensor; ref: (v: number) => number; range?: ValueOptions }> = [
  { name: 'neg', run: (x) => x.neg(), ref: (v) => -v },
  { name: 'exp', run: (x) => x.exp(), ref: Math.exp, range: { lo: -2, hi: 2 } },
  { name: 'log', run: (x) => x.log(), ref: Math.log, range: { lo: 0.2, hi: 3 } },
  { name: 'sqrt', run: (x) => x.sqrt(), ref: Math.sqrt, range: { lo: 0.2, hi: 3 } },
  { name: 'abs', run: (x) => x.abs(), ref: Math.abs, range: { avoid: [0] } },
  { name: 'square', run: (x) => x.square(), ref: (v) => v * v },
  { name: 'clamp(-0.5, 0.5)', run: (x) => x.clamp(-0.5, 0.5), ref: (v) => Math.min(0.5, Math.max(-0.5, v)), range: { avoid: [-0.5, 0.5] } },
  { name: 'clamp(min 0.2)', run: (x) => x.clamp(0.2), ref: (v) => Math.max(0.2, v), range: { avoid: [0.2] } },
  { name: 'clamp(max -0.1)', run: (x) => x.clamp(null, -0.1), ref: (v) => Math.min(-0.1, v), range: { avoid: [-0.1] } },
  { name: 'sigmoid', run: (x) => x.sigmoid(), ref: (v) => 1 / (1 + Math.exp(-v)), range: { lo: -4, hi: 4 } },
  { name: 'tanh', run: (x) => x.tanh(), ref: Math.tanh, range: { lo: -2, hi: 2 } },
  { name: 'relu', run: (x) => x.relu(), ref: (v) => Math.max(0, v), range: { avoid: [0] } },
  { name: 'leakyRelu default', run: (x) => x.leakyRelu(), ref: (v) => (v > 0 ? v : 0.01 * v), range: { avoid: [0] } },
  { name: 'leakyRelu 0.02', run: (x) => x.leakyRelu(0.02), ref: (v) => (v > 0 ? v : Math.fround(0.02) * v), range: { avoid: [0] } },
];

for (const u of UNARY) {
  test(`gradcheck ${u.name} (contiguous and on a transposed view)`, () => {
    const x = leaf(rng, [3, 4], u.range);
    gradcheck(u.name, { leaves: [x], forward: () => u.run(x), reference: ([r]) => R.map(r!, u.ref) });
    gradcheck(`${u.name} of x.T`, { leaves: [x], forward: () => u.run(x.T), reference: ([r]) => R.map(R.transpose(r!, 0, 1), u.ref) });
  });
}

test('gradcheck maximum/minimum away from ties, with broadcasting', () => {
  for (const [sa, sb] of [[[2, 3], [2, 3]], [[2, 3], [3]], [[4, 1], [1, 3]]] as const) {
    // Odd multiples of 1/16 against even multiples: never equal.
    const a = distinctLeaf(rng, sa, 0.125, 0.0625);
    const b = distinctLeaf(rng, sb, 0.125, 0);
    gradcheck(`maximum ${sa} ${sb}`, { leaves: [a, b], forward: () => a.maximum(b), reference: ([x, y]) => R.maximum(x!, y!) });
    gradcheck(`minimum ${sa} ${sb}`, { leaves: [a, b], forward: () => a.minimum(b), reference: ([x, y]) => R.minimum(x!, y!) });
  }
});

test('gradcheck where, broadcasting the condition and both branches', () => {
  const cond = tensor([[1, 0, 1], [0, 0, 1]]).bool();
  const a = leaf(rng, [2, 3]);
  const b = leaf(rng, [3]);
  const c = R.ref(cond.toArray(), cond.shape);
  gradcheck('where', { leaves: [a, b], forward: () => where(cond, a, b), reference: ([x, y]) => R.where(c, x!, y!) });
  const row = tensor([0, 1, 1]).bool();
  const d = leaf(rng, [2, 1]);
  gradcheck('where row cond, number branch', {
    leaves: [d],
    forward: () => where(row, d, 0.5),
    reference: ([x]) => R.where(R.ref(row.toArray(), [3]), x!, R.scalarRef(0.5)),
  });
});

test('gradcheck compositions: a tensor used several times, chains of ops', () => {
  const a = leaf(rng, [2, 3]);
  const b = leaf(rng, [3], { lo: 0.5, hi: 1.5 });
  gradcheck('a*a + a/b - exp(a*b)', {
    leaves: [a, b],
    forward: () => a.mul(a).add(a.div(b)).sub(a.mul(b).exp()),
    reference: ([x, y]) => R.sub(R.add(R.mul(x!, x!), R.div(x!, y!)), R.map(R.mul(x!, y!), Math.exp)),
  });
  gradcheck('sigmoid(tanh(a)).log().neg()', {
    leaves: [a],
    forward: () => a.tanh().sigmoid().log().neg(),
    reference: ([x]) => R.map(x!, (v) => -Math.log(1 / (1 + Math.exp(-Math.tanh(v))))),
  });
});

test('the gradient checker itself rejects a wrong backward rule', () => {
  // y = 3x with a deliberately wrong derivative (2 instead of 3): the checker must fail on it.
  const wrongTriple = (x: Tensor): Tensor => {
    const out = tensor(x.toArray().map((v) => 3 * v), x.shape);
    return record(out, 'wrongTriple', [x], (g) => [g.mul(2)]);
  };
  const x = leaf(rng, [4]);
  assert.throws(
    () => gradcheck('wrong', { leaves: [x], forward: () => wrongTriple(x), reference: ([r]) => R.map(r!, (v) => 3 * v) }),
    /gradient of leaf 0: element 0/,
  );
  // …and a wrong forward value too.
  assert.throws(
    () => gradcheck('wrong forward', { leaves: [x], forward: () => x.mul(3), reference: ([r]) => R.map(r!, (v) => 3.001 * v) }),
    /forward: element/,
  );
});
