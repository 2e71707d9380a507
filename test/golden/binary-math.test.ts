// Binary and ternary elementwise math against PyTorch 1.13 (fixtures/torch/binary-math.json, written by
// make_binary_math.py): atan2, fmod, remainder, floorDivide, trueDivide, hypot, logaddexp, logaddexp2, fmax, fmin,
// xlogy, copysign, clampMin, clampMax, clamp with tensor bounds, logicalAnd/Or/Xor/Not, lerp, addcmul and addcdiv over all pairs of 14 special
// values (±0, ±∞, NaN, 1e±30, …), broadcasting both ways, 0-d, empty and transposed operands, numbers where PyTorch
// takes a Scalar: the values, the gradient of every tensor operand for the output gradient (i + 1)/2 · (−1)^i, and
// the grad_fn name. Values and gradients are PyTorch's bits (NaN, ±∞ and the sign of zero included; only a −0
// gradient may come back +0, see `check`), except atan2's values (float64 Math.atan2 rounded once, against PyTorch's
// float32 libm: 1 ulp) and logaddexp's gradients (e^x rounded from float64: up to 2 ulps), as ULPS allows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor, type Tensor } from '../../src/index.js';
import * as ops from '../../src/ops/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string;
  operands: (string | number | null)[];
  out: EncodedTensor;
  gradFn: string | null;
  grads?: ((number | string)[] | null)[];
  backwardError?: string;
  weight?: number;
  value?: number;
}
const fx = loadFixture<{ inputs: Record<string, EncodedTensor>; ops: Record<string, Case[]> }>('binary-math.json');

/** Allowed float32 ulps from PyTorch's values and gradients: 0 (bit for bit) unless listed. */
const ULPS: Record<string, { out: number; grad: number }> = {
  atan2: { out: 1, grad: 0 }, hypot: { out: 0, grad: 0 }, logaddexp: { out: 0, grad: 2 }, logaddexp2: { out: 0, grad: 0 }, xlogy: { out: 0, grad: 0 },
};

type Run = (args: (Tensor | number | null)[], c: Case) => Tensor;
const T = (v: Tensor | number | null): Tensor => v as Tensor;
const RUN: Record<string, Run> = {
  atan2: ([a, b]) => T(a).atan2(T(b)),
  fmod: ([a, b]) => T(a).fmod(b!),
  remainder: ([a, b]) => T(a).remainder(b!),
  floorDivide: ([a, b]) => T(a).floorDivide(b!),
  trueDivide: ([a, b]) => T(a).trueDivide(b!),
  hypot: ([a, b]) => T(a).hypot(T(b)),
  logaddexp: ([a, b]) => T(a).logaddexp(T(b)),
  logaddexp2: ([a, b]) => T(a).logaddexp2(T(b)),
  fmax: ([a, b]) => T(a).fmax(T(b)),
  fmin: ([a, b]) => T(a).fmin(T(b)),
  xlogy: ([a, b]) => (typeof a === 'number' ? ops.xlogy(a, b!) : T(a).xlogy(b!)),
  copysign: ([a, b]) => T(a).copysign(b!),
  clampMin: ([a, b]) => T(a).clampMin(b!),
  clampMax: ([a, b]) => T(a).clampMax(b!),
  logicalAnd: ([a, b]) => T(a).logicalAnd(T(b)),
  logicalOr: ([a, b]) => T(a).logicalOr(T(b)),
  logicalXor: ([a, b]) => T(a).logicalXor(T(b)),
  logicalNot: ([a]) => T(a).logicalNot(),
  lerp: ([a, b, w], c) => T(a).lerp(T(b), w ?? c.weight!),
  addcmul: ([a, b, d], c) => T(a).addcmul(T(b), T(d), { value: c.value! }),
  addcdiv: ([a, b, d], c) => T(a).addcdiv(T(b), T(d), { value: c.value! }),
  clampTensors: ([a, lo, hi]) => T(a!).clamp(lo as Tensor | null, hi as Tensor | null),
};

/** The distance between two float32 values in ulps: 0 for two NaNs, Infinity for −0 against +0 (signs must match). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (Object.is(a, b)) return 0;
  if (a === b) return Infinity; // ±0
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const i = new Int32Array(new Float32Array([a, b]).buffer);
  const key = (v: number): number => (v < 0 ? -2147483648 - v : v);
  return Math.abs(key(i[0]!) - key(i[1]!));
}

/**
 * Asserts got within `allowed` ulps of want. `signedZeros` false for gradients: Kindling's gradient accumulation
 * (into a leaf's zeroed buffer) turns a −0 gradient into +0, for every op, where PyTorch keeps −0.
 */
function check(label: string, got: ArrayLike<number>, want: number[], allowed: number, signedZeros = true): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const d = !signedZeros && got[i] === 0 && want[i] === 0 ? 0 : ulps(got[i]!, want[i]!);
    if (d > allowed) assert.fail(`${label}[${i}]: got ${Object.is(got[i], -0) ? '-0' : got[i]}, PyTorch ${Object.is(want[i], -0) ? '-0' : want[i]} (${d} ulps, ${allowed} allowed)`);
  }
}

const outputGrad = (shape: readonly number[]): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => ((i + 1) / 2) * (i % 2 === 0 ? 1 : -1)), shape);
};

for (const [op, cases] of Object.entries(fx.ops)) {
  const tol = ULPS[op] ?? { out: 0, grad: 0 };
  test(`${op}: values, gradients and grad_fn as PyTorch's (${cases.map((c) => c.name).join(', ')})`, () => {
    for (const c of cases) {
      const label = `${op} ${c.name}`;
      const leaves = c.operands.map((o) => (typeof o === 'string' && o in fx.inputs ? values(fx.inputs[o]!) : null));
      const tensors = c.operands.map((o, i) => (o === null ? null : typeof o === 'string' && o in fx.inputs
        ? tensor(Float32Array.from(leaves[i]!), fx.inputs[o]!.shape, { requiresGrad: c.gradFn !== null })
        : Number(o)));
      const args = tensors.map((t, i) => (i === 0 && c.name.startsWith('transposed') && t instanceof Object ? (t as Tensor).t() : t));
      const y = RUN[op]!(args, c);
      assert.deepEqual(y.shape, c.out.shape, `${label}: shape`);
      check(`${label} value`, y.values(), values(c.out), tol.out);
      assert.equal(y.gradFn?.torchName ?? null, c.gradFn, `${label}: grad_fn`);
      if (c.backwardError !== undefined) {
        assert.throws(() => y.backward(outputGrad(y.shape)), /derivative for floor_divide is not implemented/);
      } else if (c.grads !== undefined) {
        y.backward(outputGrad(y.shape));
        c.grads.forEach((want, i) => {
          const t = tensors[i];
          if (want === null) {
            assert.ok(!(t instanceof Object) || (t as Tensor).grad === null, `${label}: operand ${i} has no gradient in PyTorch`);
            return;
          }
          const g = (t as Tensor).grad;
          assert.ok(g !== null, `${label}: operand ${i} gets a gradient`);
          const expected = want.map(Number).map(Math.fround);
          if (g.numel() === y.numel()) check(`${label} grad ${i}`, g.values(), expected, tol.grad, false);
          else {
            // Summed over what was broadcast: PyTorch adds in float32 in its order, Kindling in float64 rounded once,
            // so the sums may differ by a few ulps of the largest value summed (a bound on both roundings' error).
            const scale = expected.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0) * (y.numel() / g.numel());
            g.values().forEach((v, k) => {
              const w = expected[k]!;
              if (Number.isNaN(w) || !Number.isFinite(w)) assert.ok(Object.is(v, w) || (Number.isNaN(v) && Number.isNaN(w)), `${label} grad ${i}[${k}]: got ${v}, PyTorch ${w}`);
              else assert.ok(Math.abs(v - w) <= 4 * 2 ** -23 * scale, `${label} grad ${i}[${k}]: got ${v}, PyTorch ${w}`);
            });
          }
        });
      }
    }
  });
}

test('remainder and floorDivide take a number first, as PyTorch\'s Scalar overloads (no derivative there, as PyTorch\'s); one number at most elsewhere', () => {
  // PyTorch 1.13: torch.remainder(5., t) and torch.floor_divide(5., t) for t = [0, 2.5, −2.5, ∞, −0, 3, −3].
  const t = tensor([0, 2.5, -2.5, Infinity, -0, 3, -3], { requiresGrad: true });
  const r = ops.remainder(5, t);
  const same = (a: Tensor, want: number[]): void => assert.deepEqual(Array.from(a.values()).map(String), want.map(String));
  same(r, [NaN, 0, 0, 5, NaN, 2, -1]);
  assert.equal(r.gradFn?.torchName, 'NotImplemented');
  assert.throws(() => r.sum().backward(), /derivative for aten::remainder is not implemented/);
  const q = ops.floorDivide(5, t);
  same(q, [Infinity, 2, -2, 0, -Infinity, 1, -2]);
  assert.equal(q.gradFn?.torchName, 'NotImplemented');
  assert.throws(() => q.sum().backward(), /derivative for aten::floor_divide is not implemented/);
  // torch.floor_divide(5, 3) is tensor(1); torch.remainder(5, 3) and torch.xlogy(2, 3) are refused.
  same(ops.floorDivide(5, 3), [1]);
  assert.throws(() => ops.remainder(5, 3), /^TypeError: remainder: argument 'input' or 'other' must be a Tensor \(PyTorch's takes one number at most\), got the numbers 5 and 3$/);
  assert.throws(() => ops.xlogy(2, 3), /xlogy: argument 'input' or 'other' must be a Tensor/);
  assert.throws(() => ops.fmod(5 as unknown as Tensor, t), /fmod: argument 'input' must be a Tensor \(PyTorch's takes no number here either\)/);
});
