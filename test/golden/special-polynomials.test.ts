// special's orthogonal polynomials against PyTorch 1.13 (fixtures/torch/special-polynomials.json, from
// make_special_polynomials.py): every value of a grid of x (inside and outside [-1, 1], the ends, 0, NaN) by degree
// (-1 to 16, and 2.5, truncated) bit for bit — within one float32 step where the high degrees take the trigonometric
// form, whose cosf / sinf / acosf C's libm may round differently from a correctly rounded one — broadcast; a number
// degree; no gradient, as in PyTorch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { special, tensor, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

type Num = number | 'NaN' | 'Infinity' | '-Infinity';
const fx = loadFixture<{ x: Num[]; n: number[]; grid: Record<string, { values: Num[]; number: Num[] }>; requiresGrad: boolean }>('special-polynomials.json');
const num = (v: Num): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
const camel = (s: string): string => s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const bitsOf = (v: number): number => {
  F32[0] = v;
  return I32[0]!;
};
/** Same float32, or neighbours (one step apart, same sign); NaN matches NaN. */
const close = (got: number, want: Num): boolean => {
  const w = Math.fround(num(want));
  if (Number.isNaN(w)) return Number.isNaN(got);
  return Object.is(got, w) || (Math.sign(got) === Math.sign(w) && Math.abs(bitsOf(got) - bitsOf(w)) <= 1);
};

const x = tensor(fx.x.map(num));
for (const [name, want] of Object.entries(fx.grid)) {
  const fn = (special as unknown as Record<string, (x: Tensor | number, n: Tensor | number) => Tensor>)[camel(name)]!;
  test(`special.${camel(name)}: PyTorch's values bit for bit over x by degree, and with a number degree`, () => {
    const got = fn(x.unsqueeze(1), tensor(fx.n).unsqueeze(0));
    assert.deepEqual(got.shape, [fx.x.length, fx.n.length]);
    const g = got.toArray();
    const bad: string[] = [];
    let exact = 0;
    want.values.forEach((w, i) => {
      const at = `x=${fx.x[Math.floor(i / fx.n.length)]} n=${fx.n[i % fx.n.length]}: ${g[i]} against ${w}`;
      if (!close(g[i]!, w)) bad.push(at);
      else if (Object.is(g[i], Math.fround(num(w))) || Number.isNaN(g[i]!)) exact++;
      // Off by one step only in the trigonometric form (|x| < 1, degree above 4).
      else if (!(fx.n[i % fx.n.length]! > 4)) bad.push(`${at} (one step off in the recurrence)`);
    });
    assert.deepEqual(bad, []);
    assert.ok(exact >= want.values.length - 4, `${want.values.length - exact} values one step off`);
    const three = fn(x, 3).toArray();
    want.number.forEach((w, i) => assert.ok(Object.is(three[i], Math.fround(num(w))) || (Number.isNaN(three[i]!) && w === 'NaN'), `n = 3, x = ${fx.x[i]}: ${three[i]} against ${w}`));
  });
}

test('the polynomials give no gradient (the result does not require grad), as PyTorch\'s', () => {
  assert.equal(special.chebyshevPolynomialT(tensor([0.5], { requiresGrad: true }), 3).requiresGrad, fx.requiresGrad);
  assert.throws(() => special.legendrePolynomialP(tensor([1, 2]), tensor([1, 2, 3])), /legendrePolynomialP/);
  assert.throws(() => special.hermitePolynomialH('x' as never, 2), /hermitePolynomialH: argument 'input' must be a Tensor or a number/);
});
