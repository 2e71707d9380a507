/**
 * Optimizer updates over flat float32 arrays, in the order PyTorch's single-tensor implementations (1.13) apply
 * their ops, every intermediate rounded to float32 — products too: where PyTorch's CPU kernels fuse `a + α·b` into
 * one FMA, this rounds α·b first, a difference of at most one float32 rounding per operation. One order differs:
 * Adam's update is p + (−stepSize)·(m / denom), where PyTorch's `addcdiv_` computes p + ((−stepSize)·m) / denom (the
 * WebAssembly kernels' exact shortcuts, docs/speed.md, are proved for this order). The WebAssembly
 * kernels (assembly/optim.ts, assembly/adam*.ts) perform exactly these operations, so both backends give
 * bit-identical parameters.
 */
const f = Math.fround;

/** p ← p − lr·g, only over `rows` (row-major blocks of `width`) when given: other rows have g = 0. */
export function sgd(p: Float32Array, g: Float32Array, lr: number, rows: Int32Array | null, width: number): void {
  const a = f(-lr);
  if (rows === null) {
    for (let i = 0; i < p.length; i++) p[i] = f(p[i]! + f(a * g[i]!));
    return;
  }
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r]! * width;
    for (let i = o; i < o + width; i++) p[i] = f(p[i]! + f(a * g[i]!));
  }
}

/**
 * A one-sample weight gradient applied without being written out: p[rows[t]] ← p[rows[t]] − lr·g with the
 * gradient row g = 0 + vals[t]·G that the linear layer would store (rows of `width` elements).
 */
export function sgdOuter(p: Float32Array, width: number, rows: Int32Array, vals: Float32Array, G: Float32Array, lr: number): void {
  const a = f(-lr);
  for (let t = 0; t < rows.length; t++) {
    const o = rows[t]! * width;
    const x = vals[t]!;
    for (let j = 0; j < width; j++) p[o + j] = f(p[o + j]! + f(a * f(0 + f(x * G[j]!))));
  }
}

export interface SgdOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

/**
 * The general SGD step; `buf` is the momentum buffer (null without momentum). With `first` the buffer starts as
 * d_p (PyTorch's first step, buf = d_p.clone()): its old contents are not read.
 */
export function sgdGeneral(p: Float32Array, g: Float32Array, buf: Float32Array | null, o: SgdOptions, first = false): void {
  const wd = f(o.weightDecay);
  const mom = f(o.momentum);
  const damp = f(1 - o.dampening);
  const a = f(-o.lr);
  // Read once, not per element: option objects come in several shapes (groups built in different ways), and
  // reading their fields in the loop deoptimises it once it has seen a few ("wrong map").
  const maximize = o.maximize;
  const decay = o.weightDecay !== 0;
  const nesterov = o.nesterov;
  const b = o.momentum !== 0 ? buf : null;
  for (let i = 0; i < p.length; i++) {
    let d = maximize ? -g[i]! : g[i]!;
    if (decay) d = f(d + f(wd * p[i]!));
    if (b !== null) {
      const bi = first ? d : f(f(b[i]! * mom) + f(damp * d));
      b[i] = bi;
      d = nesterov ? f(d + f(mom * bi)) : bi;
    }
    p[i] = f(p[i]! + f(a * d));
  }
}

export interface AdamScalars {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** lr / (1 − β1^t) */
  stepSize: number;
  /** √(1 − β2^t) */
  bc2Sqrt: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** One Adam step (weight decay added to the gradient, as Adam does; AdamW decays p before calling this). */
export function adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, s: AdamScalars): void {
  const b1 = f(s.beta1);
  const a1 = f(1 - s.beta1);
  const b2 = f(s.beta2);
  const a2 = f(1 - s.beta2);
  const wd = f(s.weightDecay);
  const eps = f(s.eps);
  const bc2 = f(s.bc2Sqrt);
  const step = f(-s.stepSize);
  for (let i = 0; i < p.length; i++) {
    let gi = s.maximize ? -g[i]! : g[i]!;
    if (s.weightDecay !== 0) gi = f(gi + f(wd * p[i]!));
    const mi = f(f(m[i]! * b1) + f(a1 * gi));
    const vi = f(f(v[i]! * b2) + f(f(a2 * gi) * gi));
    m[i] = mi;
    v[i] = vi;
    let vv = vi;
    if (vmax !== null) {
      vv = vmax[i]! > vi ? vmax[i]! : vi;
      vmax[i] = vv;
    }
    const denom = f(f(f(Math.sqrt(vv)) / bc2) + eps);
    p[i] = f(p[i]! + f(step * f(mi / denom)));
  }
}

/** p ← p·(1 − lr·wd), AdamW's decoupled weight decay. */
export function scale(p: Float32Array, factor: number): void {
  const c = f(factor);
  for (let i = 0; i < p.length; i++) p[i] = f(p[i]! * c);
}
