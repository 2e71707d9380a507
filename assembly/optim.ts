// Optimizer updates in f32x4 SIMD. Every operation rounds to float32 in the order of src/kernels/ref/optim.ts
// (f32x4.sqrt and f32x4.div are correctly rounded), so both backends give bit-identical parameters.
import { loadPart, storePart } from './part';

/** p ← p + a·g over n elements (a = −lr, rounded to float32 by the caller). */
export function sgd(p: usize, g: usize, n: i32, a: f32): void {
  const va = f32x4.splat(a);
  const end = p + (<usize>n << 2);
  const step = g - p;
  let q = p;
  // A cache line (four vectors) per iteration.
  for (; q + 64 <= end; q += 64) {
    const r = q + step;
    v128.store(q, f32x4.add(v128.load(q), f32x4.mul(va, v128.load(r))));
    v128.store(q, f32x4.add(v128.load(q, 16), f32x4.mul(va, v128.load(r, 16))), 16);
    v128.store(q, f32x4.add(v128.load(q, 32), f32x4.mul(va, v128.load(r, 32))), 32);
    v128.store(q, f32x4.add(v128.load(q, 48), f32x4.mul(va, v128.load(r, 48))), 48);
  }
  for (; q + 16 <= end; q += 16) v128.store(q, f32x4.add(v128.load(q), f32x4.mul(va, v128.load(q + step))));
  for (; q < end; q += 4) store<f32>(q, load<f32>(q) + a * load<f32>(q + step));
}

/** The same update over listed rows of `width` elements only (the other rows of g are zero). */
export function sgdRows(p: usize, g: usize, width: i32, rows: usize, nrows: i32, a: f32): void {
  const rowBytes = <usize>width << 2;
  for (let t = 0; t < nrows; t++) {
    const o = <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes;
    sgd(p + o, g + o, width, a);
  }
}

/**
 * A one-sample weight gradient applied without being written out: p[row] ← p[row] + a·(0 + x·G) for each listed
 * row with its input value x (the gradient row outerRows would store, then the update sgd would make).
 */
export function sgdOuter(p: usize, width: i32, rows: usize, vals: usize, nrows: i32, G: usize, a: f32): void {
  const va = f32x4.splat(a), zero = f32x4.splat(0);
  const rowBytes = <usize>width << 2;
  const vecEnd = <usize>(width & ~3) << 2;
  for (let t = 0; t < nrows; t++) {
    const pr = p + <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes;
    const x = load<f32>(vals + (<usize>t << 2));
    const s = f32x4.splat(x);
    let o: usize = 0;
    for (; o + 64 <= vecEnd; o += 64) {
      const q = pr + o, h = G + o;
      v128.store(q, f32x4.add(v128.load(q), f32x4.mul(va, f32x4.add(zero, f32x4.mul(s, v128.load(h))))));
      v128.store(q, f32x4.add(v128.load(q, 16), f32x4.mul(va, f32x4.add(zero, f32x4.mul(s, v128.load(h, 16))))), 16);
      v128.store(q, f32x4.add(v128.load(q, 32), f32x4.mul(va, f32x4.add(zero, f32x4.mul(s, v128.load(h, 32))))), 32);
      v128.store(q, f32x4.add(v128.load(q, 48), f32x4.mul(va, f32x4.add(zero, f32x4.mul(s, v128.load(h, 48))))), 48);
    }
    for (; o < vecEnd; o += 16) {
      v128.store(pr + o, f32x4.add(v128.load(pr + o), f32x4.mul(va, f32x4.add(zero, f32x4.mul(s, v128.load(G + o))))));
    }
    if (o < rowBytes) {
      const k = <i32>((rowBytes - o) >> 2);
      storePart(pr + o, f32x4.add(loadPart(pr + o, k), f32x4.mul(va, f32x4.add(zero, f32x4.mul(s, loadPart(G + o, k))))), k);
    }
  }
}

/** p[0..n) ← v, four lanes at a time (TypedArray.fill on the shared memory takes about ten times as long). */
export function fillFloats(p: usize, n: i32, v: f32): void {
  const s = f32x4.splat(v);
  const end = p + (<usize>n << 2);
  let q = p;
  for (; q + 64 <= end; q += 64) {
    v128.store(q, s);
    v128.store(q, s, 16);
    v128.store(q, s, 32);
    v128.store(q, s, 48);
  }
  for (; q + 16 <= end; q += 16) v128.store(q, s);
  for (; q < end; q += 4) store<f32>(q, v);
}

/** Adds +0 to the listed rows of `width` elements (what adding a zero gradient does: −0 becomes +0, all else stays). */
export function addZeroRows(p: usize, width: i32, rows: usize, nrows: i32): void {
  const rowBytes = <usize>width << 2;
  const zero = f32x4.splat(0);
  for (let t = 0; t < nrows; t++) {
    const start = p + <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes;
    const end = start + rowBytes;
    let q = start;
    for (; q + 16 <= end; q += 16) v128.store(q, f32x4.add(v128.load(q), zero));
    for (; q < end; q += 4) store<f32>(q, load<f32>(q) + <f32>0);
  }
}

/** Zeroes the listed rows of `width` elements (SIMD stores: memory.fill is a runtime call per row in V8). */
export function zeroRows(p: usize, width: i32, rows: usize, nrows: i32): void {
  const rowBytes = <usize>width << 2;
  for (let t = 0; t < nrows; t++) fillFloats(p + <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes, width, 0);
}

/** p ← p·c (AdamW's decoupled weight decay). */
export function scale(p: usize, n: i32, c: f32): void {
  const vc = f32x4.splat(c);
  const end = p + (<usize>n << 2);
  let q = p;
  for (; q + 16 <= end; q += 16) v128.store(q, f32x4.mul(v128.load(q), vc));
  for (; q < end; q += 4) store<f32>(q, load<f32>(q) * c);
}

/** dst ← dst + src elementwise. */
export function addInPlace(dst: usize, src: usize, n: i32): void {
  const end = dst + (<usize>n << 2);
  const step = src - dst;
  let q = dst;
  for (; q + 16 <= end; q += 16) v128.store(q, f32x4.add(v128.load(q), v128.load(q + step)));
  for (; q < end; q += 4) store<f32>(q, load<f32>(q) + load<f32>(q + step));
}

// Which parts of PyTorch's SGD rule sgdGeneral applies. The caller decides from the options as given (float64),
// as the reference does: a weight decay or momentum that rounds to 0 as float32 still takes its place in the sums.
const MAXIMIZE = 1;
const DECAY = 2;
const MOMENTUM = 4;
const NESTEROV = 8;
/** The buffer's first step: it starts as d_p rather than as μ·buf + (1 − dampening)·d_p. */
const FIRST = 16;

/**
 * The general SGD step over the `k` floats (4, or 1–3 at the end) at p, g and b, in the reference's order:
 * d = ±g (+ wd·p); b ← μ·b + (1 − dampening)·d (or d on the first step); d = b, or d + μ·b with Nesterov;
 * p ← p + a·d. Every lane operation rounds to float32 as the reference's Math.fround does.
 */
// @ts-ignore: decorator
@inline function sgdGeneralLanes(p: usize, g: usize, b: usize, k: i32, flags: i32, wd: v128, mom: v128, damp: v128, a: v128): void {
  const pv = k == 4 ? v128.load(p) : loadPart(p, k);
  let d = k == 4 ? v128.load(g) : loadPart(g, k);
  if (flags & MAXIMIZE) d = f32x4.neg(d);
  if (flags & DECAY) d = f32x4.add(d, f32x4.mul(wd, pv));
  if (flags & MOMENTUM) {
    let bv = d;
    if (!(flags & FIRST)) bv = f32x4.add(f32x4.mul(k == 4 ? v128.load(b) : loadPart(b, k), mom), f32x4.mul(damp, d));
    if (k == 4) v128.store(b, bv);
    else storePart(b, bv, k);
    d = flags & NESTEROV ? f32x4.add(d, f32x4.mul(mom, bv)) : bv;
  }
  const r = f32x4.add(pv, f32x4.mul(a, d));
  if (k == 4) v128.store(p, r);
  else storePart(p, r, k);
}

// @ts-ignore: decorator
@inline function sgdGeneralLoop(p: usize, g: usize, b: usize, n: i32, flags: i32, wd: f32, mom: f32, damp: f32, a: f32): void {
  const vwd = f32x4.splat(wd), vmom = f32x4.splat(mom), vdamp = f32x4.splat(damp), va = f32x4.splat(a);
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= bytes; o += 32) {
    sgdGeneralLanes(p + o, g + o, b + o, 4, flags, vwd, vmom, vdamp, va);
    sgdGeneralLanes(p + o + 16, g + o + 16, b + o + 16, 4, flags, vwd, vmom, vdamp, va);
  }
  for (; o + 16 <= bytes; o += 16) sgdGeneralLanes(p + o, g + o, b + o, 4, flags, vwd, vmom, vdamp, va);
  if (o < bytes) sgdGeneralLanes(p + o, g + o, b + o, <i32>((bytes - o) >> 2), flags, vwd, vmom, vdamp, va);
}

/**
 * SGD with weight decay, momentum (with dampening; `damp` = 1 − dampening), Nesterov or maximize, as flags say
 * (b, the momentum buffer, is read only with MOMENTUM and FIRST unset; written with MOMENTUM). wd, mom, damp and
 * a = −lr come rounded to float32 by the call. The usual settings get loops of their own, so that no flag is tested
 * per vector there.
 */
export function sgdGeneral(p: usize, g: usize, b: usize, n: i32, flags: i32, wd: f32, mom: f32, damp: f32, a: f32): void {
  if (flags == MOMENTUM) sgdGeneralLoop(p, g, b, n, MOMENTUM, wd, mom, damp, a);
  else if (flags == (MOMENTUM | NESTEROV)) sgdGeneralLoop(p, g, b, n, MOMENTUM | NESTEROV, wd, mom, damp, a);
  else if (flags == (MOMENTUM | DECAY)) sgdGeneralLoop(p, g, b, n, MOMENTUM | DECAY, wd, mom, damp, a);
  else if (flags == (MOMENTUM | NESTEROV | DECAY)) sgdGeneralLoop(p, g, b, n, MOMENTUM | NESTEROV | DECAY, wd, mom, damp, a);
  else if (flags == DECAY) sgdGeneralLoop(p, g, b, n, DECAY, wd, mom, damp, a);
  else sgdGeneralLoop(p, g, b, n, flags, wd, mom, damp, a);
}
