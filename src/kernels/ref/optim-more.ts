/**
 * RMSprop and Adagrad updates over flat float32 arrays, in the order of PyTorch 1.13's single-tensor
 * implementations (torch/optim/rmsprop.py, adagrad.py), every tensor op rounded to float32 as its CPU kernel rounds
 * it, scalars rounded to float32 where the kernel takes them as float32 (alpha, 1 − alpha, eps, −lr, weight decay).
 *
 * Unlike ref/optim.ts, the adds with a factor are fused here as PyTorch's AVX2 kernels fuse them: `add_(b, alpha=c)`
 * is fma(b, c, a) and `addcmul_(t1, t2, value=v)` is fma(v·t1, t2, a), one rounding each (`fma32`), while
 * `addcdiv_(t1, t2, value=v)` is a + (v·t1) / t2, three roundings. That gives PyTorch's bits exactly
 * (test/golden/optim-more.test.ts; PyTorch's non-vectorised kernels, ATEN_CPU_CAPABILITY=default, round the
 * products apart and give other last bits). Plain TypeScript: no WebAssembly kernel.
 */
const f = Math.fround;

// The float32 neighbour of a value, through its bits.
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * a·b + c rounded once to float32 (C's fmaf), for float32 a, b, c. The product of two float32 values is exact in a
 * double and the sum's rounding error is exact too (Knuth's two-sum), so the double sum s is off from the exact
 * a·b + c by e: rounding s to float32 gives fmaf's result unless s lies exactly halfway between two float32 values
 * (where the exact value, just off it, rounds to the side e points to).
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f(s);
  if (r === s || !Number.isFinite(r) || !Number.isFinite(s)) return r;
  const z = s - p;
  const e = (p - (s - z)) + (c - z);
  if (e === 0) return r;
  // r's float32 neighbour on s's side (r has s's sign; from ±0, one step up is the least subnormal of that sign).
  F32[0] = r;
  U32[0] = Math.abs(s) > Math.abs(r) ? U32[0]! + 1 : U32[0]! - 1;
  const n = F32[0];
  if (s - r !== n - s) return r; // not halfway (both differences are exact: Sterbenz)
  return (e > 0) === (n > r) ? n : r;
}

/** RMSprop's options, as one group holds them. */
export interface RmspropScalars {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * One RMSprop step of PyTorch's `_single_tensor_rmsprop`:
 * g ← −g when maximizing; g ← g + wd·p (fused); v ← v·α, then v ← v + ((1 − α)·g)·g (fused);
 * centered: ḡ ← ḡ·α, then ḡ ← ḡ + (1 − α)·g (fused), avg ← √(v + (−ḡ)·ḡ (fused)); else avg ← √v; avg ← avg + eps;
 * momentum: b ← b·μ, then b ← b + g / avg, p ← p + (−lr)·b (fused); else p ← p + ((−lr)·g) / avg.
 * `buf` (the momentum buffer) is read only when momentum > 0, `gradAvg` only when centered.
 */
export function rmsprop(
  p: Float32Array, g: Float32Array, squareAvg: Float32Array, buf: Float32Array | null, gradAvg: Float32Array | null, o: RmspropScalars,
): void {
  // Read once, not per element (option objects come in several shapes; see ref/optim.ts sgdGeneral).
  const maximize = o.maximize;
  const decay = o.weightDecay !== 0;
  const wd = f(o.weightDecay);
  const alpha = f(o.alpha);
  const rest = f(1 - o.alpha);
  const eps = f(o.eps);
  const mom = f(o.momentum);
  const b = o.momentum > 0 ? buf : null;
  const ga = o.centered ? gradAvg : null;
  const a = f(-o.lr);
  if (b === null && o.momentum > 0) throw new Error('rmsprop: momentum > 0 needs a momentum buffer');
  if (ga === null && o.centered) throw new Error('rmsprop: centered needs a gradient average');
  for (let i = 0; i < p.length; i++) {
    let d = maximize ? -g[i]! : g[i]!;
    if (decay) d = fma32(p[i]!, wd, d);
    const v = fma32(f(rest * d), d, f(squareAvg[i]! * alpha));
    squareAvg[i] = v;
    let avg: number;
    if (ga !== null) {
      const m = fma32(d, rest, f(ga[i]! * alpha));
      ga[i] = m;
      avg = f(Math.sqrt(fma32(-m, m, v)));
    } else {
      avg = f(Math.sqrt(v));
    }
    avg = f(avg + eps);
    if (b !== null) {
      const bi = f(f(b[i]! * mom) + f(d / avg));
      b[i] = bi;
      p[i] = fma32(bi, a, p[i]!);
    } else {
      p[i] = f(p[i]! + f(f(a * d) / avg));
    }
  }
}

/** Adagrad's options, as one group holds them, but for the rate: `adagrad` takes the step's decayed one. */
export interface AdagradScalars {
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * One Adagrad step of PyTorch's `_single_tensor_adagrad` (dense gradient), with `clr` the step's rate,
 * lr / (1 + (step − 1)·lrDecay): g ← −g when maximizing; g ← g + wd·p (fused); sum ← sum + g·g (fused);
 * std ← √sum + eps; p ← p + ((−clr)·g) / std.
 */
export function adagrad(p: Float32Array, g: Float32Array, sum: Float32Array, clr: number, o: AdagradScalars): void {
  const maximize = o.maximize;
  const decay = o.weightDecay !== 0;
  const wd = f(o.weightDecay);
  const eps = f(o.eps);
  const a = f(-clr);
  for (let i = 0; i < p.length; i++) {
    let d = maximize ? -g[i]! : g[i]!;
    if (decay) d = fma32(p[i]!, wd, d);
    const s = fma32(d, d, sum[i]!);
    sum[i] = s;
    const std = f(f(Math.sqrt(s)) + eps);
    p[i] = f(p[i]! + f(f(a * d) / std));
  }
}
