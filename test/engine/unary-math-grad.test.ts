// The unary math ops' gradients against float64 finite differences (gradcheck.ts), each on a contiguous input inside
// its domain and on a transposed one; logit with and without eps, nanToNum on finite values.
import { test } from 'node:test';
import * as K from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { erf } from '../../src/kernels/ref/erf.js';
import { erfc } from '../../src/kernels/ref/erfinv.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

/** erfinv in float64 by bisection on erf (slow and sure, for the reference only). */
function erfinv64(y: number): number {
  let lo = -6, hi = 6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (erf(mid) < y) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const sinc64 = (v: number): number => (v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v));

// op, float64 reference, input range
const CASES: [string, (x: Tensor) => Tensor, (v: number) => number, number, number][] = [
  ['tan', K.tan, Math.tan, -1.2, 1.2], ['asin', K.asin, Math.asin, -0.9, 0.9], ['acos', K.acos, Math.acos, -0.9, 0.9],
  ['atan', K.atan, Math.atan, -3, 3], ['sinh', K.sinh, Math.sinh, -3, 3], ['cosh', K.cosh, Math.cosh, -3, 3],
  ['asinh', K.asinh, Math.asinh, -5, 5], ['acosh', K.acosh, Math.acosh, 1.1, 6], ['atanh', K.atanh, Math.atanh, -0.9, 0.9],
  ['log1p', K.log1p, Math.log1p, -0.9, 5], ['expm1', K.expm1, Math.expm1, -3, 3], ['log2', K.log2, Math.log2, 0.1, 10],
  ['log10', K.log10, Math.log10, 0.1, 10], ['exp2', K.exp2, (v) => 2 ** v, -4, 4], ['reciprocal', K.reciprocal, (v) => 1 / v, 0.2, 3],
  ['rsqrt', K.rsqrt, (v) => 1 / Math.sqrt(v), 0.2, 5], ['erf', K.erf, erf, -2.5, 2.5], ['erfc', K.erfc, erfc, -2.5, 2.5],
  ['erfinv', K.erfinv, erfinv64, -0.9, 0.9], ['frac', K.frac, (v) => v - Math.trunc(v), 0.1, 0.9], ['sinc', K.sinc, sinc64, -2.5, 2.5],
  ['deg2rad', K.deg2rad, (v) => (v * Math.PI) / 180, -360, 360], ['rad2deg', K.rad2deg, (v) => (v * 180) / Math.PI, -3, 3],
  ['logit', (x) => K.logit(x), (v) => Math.log(v / (1 - v)), 0.05, 0.95],
  ['logit eps', (x) => K.logit(x, { eps: 0.2 }), (v) => Math.log(v / (1 - v)), 0.25, 0.75],
  ['nanToNum', (x) => K.nanToNum(x, 1, 2, 3), (v) => v, -3, 3],
];

for (const [name, f, g, lo, hi] of CASES) {
  test(`${name}: gradients by finite differences, contiguous and transposed`, () => {
    const rng = new Rng(56);
    // sinc's gradient near 0 cancels (float32): keep away from it; frac's jumps at integers are outside the range
    const x = leaf(rng, [3, 4], { lo, hi, avoid: name === 'sinc' ? [0] : [], gap: 0.2 });
    gradcheck(`${name}(x)`, { leaves: [x], forward: () => f(x).mul(f(x)).sum(), reference: ([r]) => R.sum(R.map(r!, (v) => g(v) * g(v))) });
    gradcheck(`${name}(x.T)`, { leaves: [x], forward: () => f(x.t()), reference: ([r]) => R.map(R.transpose(r!, 0, 1), g) });
  });
}
