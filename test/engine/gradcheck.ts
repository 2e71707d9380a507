/**
 * Finite-difference gradient checking against a float64 reference.
 *
 * The engine computes in float32, so differencing the engine itself would drown the check in rounding noise.
 * Instead each case gives a float64 reference of the same function (test/engine/ref.ts). The checker
 *  1. compares the engine's forward values with the reference (float32 accuracy),
 *  2. backpropagates a random upstream gradient w through the engine, and
 *  3. compares every leaf's gradient with central differences of L(x) = Σ w·ref(x), computed in float64 with a
 *     small step (1e-5·max(1, |x|)), where rounding and truncation errors are both far below float32 precision.
 * Inputs are float32 values, so the engine and the reference see exactly the same point.
 */
import assert from 'node:assert/strict';
import { tensor, type Tensor } from '../../src/index.js';
import { Ref, ref } from './ref.js';

/** A small seeded PRNG (mulberry32), independent of the engine's generator. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A float32-representable value in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return Math.fround(lo + (hi - lo) * this.next());
  }
}

export interface ValueOptions {
  lo?: number;
  hi?: number;
  /** Points the values must keep away from (kinks of abs/relu/clamp…), by at least `gap`. */
  avoid?: readonly number[];
  gap?: number;
}

/** `n` float32 values in [lo, hi), kept `gap` away from every point in `avoid`. */
export function randomValues(rng: Rng, n: number, o: ValueOptions = {}): number[] {
  const { lo = -1, hi = 1, avoid = [], gap = 0.05 } = o;
  const out: number[] = [];
  while (out.length < n) {
    const v = rng.uniform(lo, hi);
    if (avoid.every((p) => Math.abs(v - p) >= gap)) out.push(v);
  }
  return out;
}

/** A leaf tensor that requires grad, with random values. */
export function leaf(rng: Rng, shape: readonly number[], o: ValueOptions = {}): Tensor {
  return tensor(randomValues(rng, shape.reduce((a, b) => a * b, 1), o), shape, { requiresGrad: true });
}

/** Distinct values (a shuffled grid k·step + offset), so maxima and ties are never ambiguous. */
export function distinctLeaf(rng: Rng, shape: readonly number[], step = 0.125, offset = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, (_, k) => (k - n / 2) * step + offset);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [vals[i], vals[j]] = [vals[j]!, vals[i]!];
  }
  return tensor(vals, shape, { requiresGrad: true });
}

export interface GradCase {
  /** The leaves to differentiate with respect to (any storage layout; they must require grad). */
  leaves: readonly Tensor[];
  /** The engine computation, using the leaves. */
  forward: () => Tensor;
  /** The same function in float64, over row-major copies of the leaves (same order). */
  reference: (xs: readonly Ref[]) => Ref;
  /** Relative tolerance on gradients (default 1e-4) and forward values (default 1e-5). */
  rtol?: number;
  fwdRtol?: number;
  /** Absolute tolerance, as a fraction of the largest magnitude involved (default 1e-5). */
  atol?: number;
  seed?: number;
}

function assertClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  let scale = 1;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Math.abs(g - w) <= atol * scale + rtol * Math.abs(w);
    if (!ok) assert.fail(`${what}: element ${i} is ${g}, expected ${w} (diff ${Math.abs(g - w).toExponential(2)})`);
  }
}

/** Checks a case's forward values and every leaf's gradient; throws an AssertionError naming the first mismatch. */
export function gradcheck(name: string, c: GradCase): void {
  const rtol = c.rtol ?? 1e-4;
  const fwdRtol = c.fwdRtol ?? 1e-5;
  const atol = c.atol ?? 1e-5;
  const rng = new Rng(c.seed ?? 1234);
  const base = c.leaves.map((t) => ref(t.toArray(), t.shape));
  for (const t of c.leaves) {
    assert.ok(t.requiresGrad, `${name}: every leaf must require grad`);
    t.grad = null;
  }

  const out = c.forward();
  const want = c.reference(base);
  assert.deepEqual([...out.shape], [...want.shape], `${name}: output shape`);
  assertClose(`${name} forward`, out.toArray(), want.data, fwdRtol, atol);
  assert.ok(out.requiresGrad && out.gradFn !== null, `${name}: output is not part of the graph`);

  const w = Array.from({ length: want.data.length }, () => rng.uniform(-1, 1));
  out.backward(tensor(w, out.shape));
  c.leaves.forEach((t, i) => assertClose(`${name}: leaf ${i} values changed by forward/backward`, t.toArray(), base[i]!.data, 0, 0));

  const loss = (xs: readonly Ref[]): number => {
    const y = c.reference(xs).data;
    let s = 0;
    for (let k = 0; k < y.length; k++) s += w[k]! * y[k]!;
    return s;
  };
  base.forEach((x, i) => {
    const fd = new Float64Array(x.data.length);
    for (let j = 0; j < x.data.length; j++) {
      const v = x.data[j]!;
      const h = 1e-5 * Math.max(1, Math.abs(v));
      const at = (val: number): number => {
        const data = x.data.slice();
        data[j] = val;
        return loss(base.map((b, k) => (k === i ? new Ref(data, x.shape) : b)));
      };
      fd[j] = (at(v + h) - at(v - h)) / (2 * h);
    }
    const g = c.leaves[i]!.grad;
    assert.ok(g !== null, `${name}: leaf ${i} got no gradient`);
    assert.deepEqual([...g.shape], [...x.shape], `${name}: gradient shape of leaf ${i}`);
    assertClose(`${name}: gradient of leaf ${i}`, g.toArray(), fd, rtol, atol);
  });
}
