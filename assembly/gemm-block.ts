// Four rows of a product at once, for dense inputs: each vector of B loaded is used for four rows of A, so a
// product of many dense rows reads B a quarter as often as one row at a time (rowAxpy reads all of B per row, which
// for a 784×200 weight comes from L2 or beyond each time: 8–13 G multiply-adds/s, against 13–20 in blocks).
// The sums are those of gemm.ts's contract: each output starts at +0 and adds a_k·b_k in increasing k. Every k is
// added, zeros of A included; that is the contract's sum as long as B is finite where A is zero (a ±0 product
// leaves a sum that started at +0 unchanged, and such a sum is never −0), which the callers check.
// Pointers are byte offsets into linear memory; strides and sizes count float32 elements unless named in bytes.
import { loadPart, storePart } from './part';

/** Stores one accumulator: c = acc (+ bias) or c = c + acc. */
// @ts-ignore: decorator
@inline export function put4(c: usize, acc: v128, bias: usize, accumulate: bool): void {
  if (accumulate) v128.store(c, f32x4.add(v128.load(c), acc));
  else if (bias != 0) v128.store(c, f32x4.add(acc, v128.load(bias)));
  else v128.store(c, acc);
}

/** put4 for the last k (1–3) floats of a row. */
// @ts-ignore: decorator
@inline function putPart(c: usize, acc: v128, bias: usize, accumulate: bool, k: i32): void {
  if (accumulate) storePart(c, f32x4.add(loadPart(c, k), acc), k);
  else storePart(c, bias == 0 ? acc : f32x4.add(acc, loadPart(bias, k)), k);
}

/** The bias of the columns `off` bytes in, or 0 for none. */
// @ts-ignore: decorator
@inline function at(bias: usize, off: usize): usize {
  return bias == 0 ? 0 : bias + off;
}

/**
 * Four output rows: c_q[0..N) = Σ_k a_q[k]·B[k, 0..N) (+ bias, or added to c_q when accumulating) for q = 0..3.
 * The four rows' floats lie side by side: a_q[k] is the float at a + 4q + k·aStep (bytes), so one pointer and
 * constant offsets reach all four (four row pointers cost V8 an address addition each per k: 17 against 20 G
 * multiply-adds/s). B's row k starts at b + k·bStep (bytes), contiguous; c_q at c + q·cStep (bytes). With
 * `panels` (non-zero), B's columns 8j..8j+7 are also packed at panels + j·k·32, k rows of eight floats one after
 * another (packPanels), and the blocks of eight read them there: whole cache lines in order instead of half a line
 * every bStep bytes. Columns go in blocks of 8 (eight accumulators, two vectors of B, a scale and a product: 12
 * of V8's 15 vector registers; six rows spilled), then 4, then the last 1–3 as a partial vector.
 */
export function rows4(
  a: usize, aStep: usize, k: i32,
  b: usize, bStep: usize, n: i32,
  c: usize, cStep: usize, bias: usize, accumulate: bool, panels: usize,
): void {
  let col = 0;
  const panelBytes = <usize>k << 5;
  for (; col + 8 <= n; col += 8) {
    const off = <usize>col << 2;
    if (panels != 0) rows4x8(a, aStep, k, panels + <usize>(col >> 3) * panelBytes, 32, c + off, cStep, at(bias, off), accumulate);
    else rows4x8(a, aStep, k, b + off, bStep, c + off, cStep, at(bias, off), accumulate);
  }
  if (col + 4 <= n) {
    const off = <usize>col << 2;
    rows4Narrow(a, aStep, k, b + off, bStep, c + off, cStep, at(bias, off), accumulate, 4);
    col += 4;
  }
  if (col < n) {
    const off = <usize>col << 2;
    rows4Narrow(a, aStep, k, b + off, bStep, c + off, cStep, at(bias, off), accumulate, n - col);
  }
}

/**
 * B's columns in panels for rows4: for each whole block of eight columns j (n / 8 of them, rounded down), its k
 * rows of eight floats one after another at dst + j·k·32. Columns past the last whole block are not copied.
 */
export function packPanels(b: usize, bStep: usize, k: i32, n: i32, dst: usize): void {
  const panelBytes = <usize>k << 5;
  for (let col = 0; col + 8 <= n; col += 8) {
    let src = b + (<usize>col << 2);
    let out = dst + <usize>(col >> 3) * panelBytes;
    const end = out + panelBytes;
    for (; out < end; out += 32) {
      v128.store(out, v128.load(src));
      v128.store(out, v128.load(src, 16), 16);
      src += bStep;
    }
  }
}

/**
 * Four rows of `k` floats (row q at a + q·aQ, floats aCs bytes apart) side by side at dst: dst[4t + q] = a_q[t].
 * Contiguous rows go as 4×4 blocks transposed in registers.
 */
export function interleave4(a: usize, aQ: usize, aCs: usize, k: i32, dst: usize): void {
  let p = a;
  let d = dst;
  if (aCs == 4) {
    const blocks = dst + (<usize>(k & ~3) << 4);
    for (; d < blocks; d += 64) {
      transpose4x4(v128.load(p), v128.load(p + aQ), v128.load(p + 2 * aQ), v128.load(p + 3 * aQ), d, 16);
      p += 16;
    }
  }
  const end = dst + (<usize>k << 4);
  for (; d < end; d += 16) {
    store<f32>(d, load<f32>(p));
    store<f32>(d, load<f32>(p + aQ), 4);
    store<f32>(d, load<f32>(p + 2 * aQ), 8);
    store<f32>(d, load<f32>(p + 3 * aQ), 12);
    p += aCs;
  }
}

/** Stores the 4×4 block whose rows are r0..r3 transposed: its column q at dst + q·rowBytes. */
// @ts-ignore: decorator
@inline export function transpose4x4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, rowBytes: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + rowBytes, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * rowBytes, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * rowBytes, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** rows4 for eight columns. */
function rows4x8(a: usize, aStep: usize, k: i32, b: usize, bStep: usize, c: usize, cStep: usize, bias: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let ap = a, bp = b;
  const end = a + <usize>k * aStep;
  while (ap < end) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let s = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(s, b0));
    c01 = f32x4.add(c01, f32x4.mul(s, b1));
    s = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(s, b0));
    c11 = f32x4.add(c11, f32x4.mul(s, b1));
    s = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(s, b0));
    c21 = f32x4.add(c21, f32x4.mul(s, b1));
    s = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(s, b0));
    c31 = f32x4.add(c31, f32x4.mul(s, b1));
    ap += aStep;
    bp += bStep;
  }
  const b16 = at(bias, 16);
  put4(c, c00, bias, accumulate);
  put4(c + 16, c01, b16, accumulate);
  put4(c + cStep, c10, bias, accumulate);
  put4(c + cStep + 16, c11, b16, accumulate);
  put4(c + 2 * cStep, c20, bias, accumulate);
  put4(c + 2 * cStep + 16, c21, b16, accumulate);
  put4(c + 3 * cStep, c30, bias, accumulate);
  put4(c + 3 * cStep + 16, c31, b16, accumulate);
}

/**
 * rows4 for the last columns: four (w = 4), or 1–3, whose B's and C's floats after them are neither read nor written.
 * Inlined, so that w = 4 leaves no test behind.
 */
@inline
function rows4Narrow(
  a: usize, aStep: usize, k: i32, b: usize, bStep: usize, c: usize, cStep: usize, bias: usize, accumulate: bool, w: i32,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let ap = a, bp = b;
  const end = a + <usize>k * aStep;
  while (ap < end) {
    const b0 = w === 4 ? v128.load(bp) : loadPart(bp, w);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ap), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(ap, 4), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(ap, 8), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(ap, 12), b0));
    ap += aStep;
    bp += bStep;
  }
  if (w === 4) {
    put4(c, c0, bias, accumulate);
    put4(c + cStep, c1, bias, accumulate);
    put4(c + 2 * cStep, c2, bias, accumulate);
    put4(c + 3 * cStep, c3, bias, accumulate);
  } else {
    putPart(c, c0, bias, accumulate, w);
    putPart(c + cStep, c1, bias, accumulate, w);
    putPart(c + 2 * cStep, c2, bias, accumulate, w);
    putPart(c + 3 * cStep, c3, bias, accumulate, w);
  }
}

/** Whether every float of a [rows, n] block (rows `stride` floats apart) is finite. */
export function allFinite(p: usize, rows: i32, n: i32, stride: i32): bool {
  const rowBytes = <usize>stride << 2;
  let bad = v128.splat<i32>(0);
  for (let r = 0; r < rows; r++) {
    const row = p + <usize>r * rowBytes;
    let j = 0;
    // x − x is +0 for finite x and NaN for ±∞ and NaN.
    for (; j + 4 <= n; j += 4) {
      const v = v128.load(row + (<usize>j << 2));
      bad = v128.or(bad, f32x4.ne(f32x4.sub(v, v), f32x4.splat(0)));
    }
    if (j < n) {
      const v = loadPart(row + (<usize>j << 2), n - j);
      bad = v128.or(bad, f32x4.ne(f32x4.sub(v, v), f32x4.splat(0)));
    }
  }
  return !v128.any_true(bad);
}

/**
 * Whether four rows (or columns) of `k` floats with these numbers of non-zeros are better done as one rows4 block
 * than one at a time over their non-zeros: a block adds every k for four rows at about 1.45 times the speed, so it
 * pays from about 69% non-zeros on average; 3/4 leaves a margin for the lists the one-row path has already made.
 */
// @ts-ignore: decorator
@inline export function denseEnough(total: i32, k: i32): bool {
  return total >= 3 * k;
}
