// The Bessel and Airy functions of `special` against PyTorch 1.13 (fixtures/torch/special-bessel.json, from
// make_special_bessel.py) on one grid that reaches every branch of each function. Where a value's float32 steps are
// arithmetic alone (the series, the rational functions below 5) it is PyTorch's bits; where glibc's float sinf, cosf,
// logf or expf enter — they are not always correctly rounded, Kindling's are — a few values are an ulp or two away
// (scaled K0's one value three: an expf ulp through a cancellation), as counted here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { special, tensor, type Tensor } from '../../src/index.js';
import { decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{ x: EncodedTensor; values: Record<string, EncodedTensor>; requiresGrad: boolean }>('special-bessel.json');

/** Kindling's function for PyTorch's name; the most ulps any value may be off, how many may be, and where none may. */
const CASES: Record<string, { fn: (x: Tensor) => Tensor; ulps: number; count: number; exactBelow?: number }> = {
  airy_ai: { fn: special.airyAi, ulps: 2, count: 3, exactBelow: 2.09 },
  bessel_j0: { fn: special.besselJ0, ulps: 2, count: 10, exactBelow: 5 },
  bessel_j1: { fn: special.besselJ1, ulps: 2, count: 6, exactBelow: 5 },
  bessel_y0: { fn: special.besselY0, ulps: 2, count: 5 },
  bessel_y1: { fn: special.besselY1, ulps: 2, count: 4 },
  modified_bessel_i0: { fn: special.modifiedBesselI0, ulps: 1, count: 2 },
  modified_bessel_i1: { fn: special.modifiedBesselI1, ulps: 2, count: 3 },
  modified_bessel_k0: { fn: special.modifiedBesselK0, ulps: 0, count: 0 },
  modified_bessel_k1: { fn: special.modifiedBesselK1, ulps: 1, count: 1 },
  scaled_modified_bessel_k0: { fn: special.scaledModifiedBesselK0, ulps: 3, count: 1 },
  scaled_modified_bessel_k1: { fn: special.scaledModifiedBesselK1, ulps: 1, count: 1 },
  spherical_bessel_j0: { fn: special.sphericalBesselJ0, ulps: 2, count: 12, exactBelow: 0.5 },
};

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const bits = (v: number): number => {
  F32[0] = v;
  return I32[0]!;
};
/** Float32 steps between two values of one sign (0 for equal values and for NaN against NaN). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b) || Math.sign(a) !== Math.sign(b)) return Infinity;
  return Math.abs(bits(a) - bits(b));
}

const x = decode(fx.x);
const xs = x.toArray();
for (const [name, c] of Object.entries(CASES)) {
  const exact = c.exactBelow !== undefined ? `PyTorch's bits for |x| < ${c.exactBelow}, ` : '';
  const rest = c.count === 0 ? 'PyTorch\'s bits everywhere' : `at most ${c.count} values off by at most ${c.ulps} ulps`;
  test(`special.${c.fn.name || name} (${name}) on ${xs.length} values: ${exact}${rest}`, () => {
    const got = c.fn(x);
    assert.deepEqual(got.shape, x.shape);
    assert.equal(got.requiresGrad, false);
    const g = got.toArray();
    const want = decode(fx.values[name]!).toArray();
    const bad: string[] = [];
    let off = 0;
    xs.forEach((v, i) => {
      const u = ulps(g[i]!, want[i]!);
      if (u === 0) return;
      off++;
      const at = `x = ${v}: ${g[i]} against PyTorch's ${want[i]} (${u} ulps)`;
      if (c.exactBelow !== undefined && Math.abs(v) < c.exactBelow) bad.push(`${at}, where the steps are arithmetic alone`);
      else if (u > c.ulps) bad.push(at);
    });
    assert.deepEqual(bad, []);
    assert.ok(off <= c.count, `${name}: ${off} values differ from PyTorch's`);
  });
}

test('the Bessel functions: the edges of their domains (∞ or −∞ at 0, NaN below it, NaN at ±∞ for Ai), no gradient, a tensor only', () => {
  const at = (fn: (x: Tensor) => Tensor, v: number[]): number[] => Array.from(fn(tensor(v)).toArray());
  assert.deepEqual(at(special.besselY0, [0, -1]), [-Infinity, NaN]);
  assert.deepEqual(at(special.besselY1, [0, -1]), [-Infinity, NaN]);
  assert.deepEqual(at(special.modifiedBesselK0, [0, -1, Infinity]), [Infinity, NaN, 0]);
  assert.deepEqual(at(special.scaledModifiedBesselK1, [0, -2]), [Infinity, NaN]);
  assert.deepEqual(at(special.airyAi, [Infinity, -Infinity, 200]), [NaN, NaN, 0]);
  assert.deepEqual(at(special.sphericalBesselJ0, [0, Infinity]), [1, 0]);
  assert.deepEqual(at(special.besselJ0, [0]), [1]);
  const y = special.modifiedBesselI0(tensor([[1, 2], [3, 4]], { requiresGrad: true }));
  assert.deepEqual(y.shape, [2, 2]);
  assert.equal(y.requiresGrad, fx.requiresGrad);
  assert.throws(() => special.besselJ0(2 as never), /special\.besselJ0: input must be a Tensor, got/);
});
