// Finite-difference checks (float64 reference) of the binary and ternary math ops' gradients, every tensor operand:
// atan2, fmod and remainder (the divisor's gradient too), hypot, logaddexp(2), fmax/fmin, xlogy, copysign,
// clampMin/clampMax by a tensor, trueDivide, lerp (number and tensor weights), addcmul, addcdiv; operands broadcast
// both ways, a transposed one, 0-d. Points are kept away from kinks (integer quotients, ties, zeros).
import { test } from 'node:test';
import { addcdiv, addcmul, atan2, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(56);
type Pair = (x: number, y: number) => number;
const zip = (f: Pair) => ([a, b]: readonly R.Ref[]): R.Ref => R.zip(a!, b!, f);

/** A leaf whose values keep `gap` away from each point in `avoid`, in [lo, hi). */
const L = (shape: number[], lo = -2, hi = 2, avoid: number[] = [], gap = 0.05): Tensor => leaf(rng, shape, { lo, hi, avoid, gap });

/** fmod's and remainder's quotient a / b kept away from whole numbers (where they jump): a leaf re-drawn until so. */
function awayFromWhole(a: Tensor, b: Tensor): boolean {
  const q = R.zip(R.ref(a.toArray(), a.shape), R.ref(b.toArray(), b.shape), (x, y) => x / y).data;
  return q.every((v) => Math.abs(v - Math.round(v)) > 0.02);
}
function divisible(shapeA: number[], shapeB: number[]): [Tensor, Tensor] {
  for (;;) {
    const a = L(shapeA, -3, 3);
    const b = L(shapeB, -1.5, 1.5, [0], 0.3);
    if (awayFromWhole(a, b)) return [a, b];
  }
}

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor, Pair, () => [Tensor, Tensor]][] = [
  ['atan2', (a, b) => atan2(a, b), Math.atan2, () => [L([3, 4]), L([4], -2, 2, [0], 0.2)]],
  ['atan2 broadcast both ways', (a, b) => a.atan2(b), Math.atan2, () => [L([3, 1]), L([1, 4])]],
  ['fmod', (a, b) => a.fmod(b), (x, y) => x % y, () => divisible([3, 4], [4])],
  ['fmod 0-d divisor', (a, b) => a.fmod(b), (x, y) => x % y, () => divisible([2, 3], [])],
  ['remainder', (a, b) => a.remainder(b), (x, y) => x - y * Math.floor(x / y), () => divisible([3, 4], [3, 1])],
  ['hypot', (a, b) => a.hypot(b), Math.hypot, () => [L([3, 4], -2, 2, [0], 0.2), L([4])]],
  ['logaddexp', (a, b) => a.logaddexp(b), (x, y) => Math.log(Math.exp(x) + Math.exp(y)), () => [L([3, 4], -4, 4), L([4], -4, 4)]],
  ['logaddexp2', (a, b) => a.logaddexp2(b), (x, y) => Math.log2(2 ** x + 2 ** y), () => [L([2, 3]), L([2, 1])]],
  ['fmax', (a, b) => a.fmax(b), Math.max, () => [L([3, 4], -2, 2), L([4], -2, 2)]],
  ['fmin', (a, b) => a.fmin(b), Math.min, () => [L([3, 4], -2, 2), L([3, 1], -2, 2)]],
  ['xlogy', (a, b) => a.xlogy(b), (x, y) => x * Math.log(y), () => [L([3, 4]), L([4], 0.2, 3)]],
  ['copysign', (a, b) => a.copysign(b), (x, y) => Math.sign(y) * Math.abs(x), () => [L([3, 4], -2, 2, [0], 0.1), L([4], -2, 2, [0], 0.1)]],
  ['clampMin tensor', (a, b) => a.clampMin(b), Math.max, () => [L([3, 4]), L([4])]],
  ['clampMax tensor', (a, b) => a.clampMax(b), Math.min, () => [L([3, 4]), L([3, 1])]],
  ['trueDivide', (a, b) => a.trueDivide(b), (x, y) => x / y, () => [L([3, 4]), L([4], 0.5, 2)]],
];

for (const [name, op, f, make] of BINARY) {
  test(`${name}: gradients of both operands match finite differences`, () => {
    const [a, b] = make();
    gradcheck(name, { leaves: [a, b], forward: () => op(a, b), reference: zip(f) });
  });
}

test('atan2 and hypot with a transposed operand', () => {
  const a = L([4, 3]);
  const b = L([3, 4], -2, 2, [0], 0.2);
  gradcheck('atan2 transposed', { leaves: [a, b], forward: () => a.t().atan2(b), reference: ([x, y]) => R.zip(R.transpose(x!, 0, 1), y!, Math.atan2) });
  gradcheck('hypot transposed', { leaves: [a, b], forward: () => a.t().hypot(b), reference: ([x, y]) => R.zip(R.transpose(x!, 0, 1), y!, Math.hypot) });
});

test('clampMin and clampMax by a number, fmod and xlogy by a number', () => {
  const a = L([3, 4], -2, 2, [0.25], 0.05);
  gradcheck('clampMin 0.25', { leaves: [a], forward: () => a.clampMin(0.25), reference: ([x]) => R.map(x!, (v) => Math.max(v, 0.25)) });
  gradcheck('clampMax 0.25', { leaves: [a], forward: () => a.clampMax(0.25), reference: ([x]) => R.map(x!, (v) => Math.min(v, 0.25)) });
  const [d] = divisible([3, 4], []);
  gradcheck('fmod 0.75', { leaves: [d], forward: () => d.fmod(0.75), reference: ([x]) => R.map(x!, (v) => v % 0.75) });
  gradcheck('xlogy 2.5', { leaves: [a], forward: () => a.xlogy(2.5), reference: ([x]) => R.map(x!, (v) => v * Math.log(2.5)) });
});

const lerpRef = ([a, b, w]: readonly R.Ref[]): R.Ref => R.add(a!, R.mul(w!, R.sub(b!, a!)));
test('lerp: number weights on both sides of 0.5, and a tensor weight (its gradient too), broadcast', () => {
  for (const weight of [0.3, 0.7, -0.5, 1.5]) {
    const a = L([3, 4]);
    const b = L([4]);
    gradcheck(`lerp ${weight}`, { leaves: [a, b], forward: () => a.lerp(b, weight), reference: ([x, y]) => lerpRef([x!, y!, R.scalarRef(weight)]) });
  }
  const a = L([3, 4]);
  const b = L([4]);
  const w = L([3, 1], -0.5, 1.5);
  gradcheck('lerp tensor weight', { leaves: [a, b, w], forward: () => a.lerp(b, w), reference: lerpRef });
});

test('addcmul and addcdiv: every operand broadcast, values 1, 0.5 and −3', () => {
  for (const value of [1, 0.5, -3]) {
    const a = L([3, 4]);
    const t1 = L([4]);
    const t2 = L([3, 1], -2, 2, [0], 0.3);
    gradcheck(`addcmul ${value}`, {
      leaves: [a, t1, t2], forward: () => addcmul(a, t1, t2, { value }),
      reference: ([x, p, q]) => R.add(x!, R.mul(R.mul(p!, q!), R.scalarRef(value))),
    });
    gradcheck(`addcdiv ${value}`, {
      leaves: [a, t1, t2], forward: () => addcdiv(a, t1, t2, value),
      reference: ([x, p, q]) => R.add(x!, R.div(R.mul(p!, R.scalarRef(value)), q!)),
    });
  }
  const s = tensor(0.5, { requiresGrad: true });
  const m = L([2, 3]);
  const n = L([2, 3], 0.5, 2);
  gradcheck('addcdiv 0-d input', { leaves: [s, m, n], forward: () => s.addcdiv(m, n), reference: ([x, p, q]) => R.add(x!, R.div(p!, q!)) });
});
