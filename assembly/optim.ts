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

/** Zeroes the listed rows of `width` elements (SIMD stores: memory.fill is a runtime call per row in V8). */
export function zeroRows(p: usize, width: i32, rows: usize, nrows: i32): void {
  const rowBytes = <usize>width << 2;
  const zero = f32x4.splat(0);
  for (let t = 0; t < nrows; t++) {
    const start = p + <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes;
    const end = start + rowBytes;
    let q = start;
    for (; q + 64 <= end; q += 64) {
      v128.store(q, zero);
      v128.store(q, zero, 16);
      v128.store(q, zero, 32);
      v128.store(q, zero, 48);
    }
    for (; q + 16 <= end; q += 16) v128.store(q, zero);
    for (; q < end; q += 4) store<f32>(q, 0);
  }
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
