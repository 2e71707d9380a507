/**
 * RMSprop and Adagrad updates over flat float32 arrays, in the order of PyTorch 1.13's single-tensor
 * implementations (torch/optim/rmsprop.py, adagrad.py), every tensor op rounded to float32 as its CPU kernel rounds
 * it, scalars rounded to float32 where the kernel takes them as float32 (alpha, 1 − alpha, eps, −lr, weight decay).
 *
 * Unlike ref/optim.ts, the adds with a factor are fused here as PyTorch's AVX2 kernels fuse them: `add_(b, alpha=c)`
 * is fma(b, c, a) and `addcmul_(t1, t2, value=v)` is fma(v·t1, t2, a), one rounding each (`fmaf`), while
 * `addcdiv_(t1, t2, value=v)` is a + (v·t1) / t2, three roundings. That gives PyTorch's bits exactly
 * (test/golden/optim-more.test.ts; PyTorch's non-vectorised kernels, ATEN_CPU_CAPABILITY=default, round the
 * products apart and give other last bits). The WebAssembly kernels (assembly/optim-more.ts) give the same bits.
 */
import { fmaf } from './fmaf.js';

const f = Math.fround;

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
    if (decay) d = fmaf(p[i]!, wd, d);
    const v = fmaf(f(rest * d), d, f(squareAvg[i]! * alpha));
    squareAvg[i] = v;
    let avg: number;
    if (ga !== null) {
      const m = fmaf(d, rest, f(ga[i]! * alpha));
      ga[i] = m;
      avg = f(Math.sqrt(fmaf(-m, m, v)));
    } else {
      avg = f(Math.sqrt(v));
    }
    avg = f(avg + eps);
    if (b !== null) {
      const bi = f(f(b[i]! * mom) + f(d / avg));
      b[i] = bi;
      p[i] = fmaf(bi, a, p[i]!);
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
    if (decay) d = fmaf(p[i]!, wd, d);
    const s = fmaf(d, d, sum[i]!);
    sum[i] = s;
    const std = f(f(Math.sqrt(s)) + eps);
    p[i] = f(p[i]! + f(f(a * d) / std));
  }
}
