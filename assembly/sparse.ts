// Finding the non-zeros of sparse inputs (MNIST pixels are 81% zeros), and a transpose, for the matrix kernels.
// Pointers are byte offsets into linear memory; strides and sizes count float32 elements.

/**
 * i8x16.swizzle patterns that move the lanes set in a 4-bit mask to the front, in order (mask m at byte 16·m; 255
 * picks a zero byte).
 */
const COMPACT = memory.data<u8>([
  255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  4, 5, 6, 7, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 255, 255, 255, 255, 255, 255, 255, 255,
  8, 9, 10, 11, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 8, 9, 10, 11, 255, 255, 255, 255, 255, 255, 255, 255,
  4, 5, 6, 7, 8, 9, 10, 11, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255, 255, 255, 255,
  12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255,
  4, 5, 6, 7, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 255, 255, 255, 255,
  8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

/**
 * Gathers the non-zero entries of a strided vector: their positions into `idx` (i32) and values into `val` (f32).
 * Returns how many there are. NaN counts as non-zero. `idx` and `val` must have room for n entries: with unit
 * stride, four lanes are stored at a time (beyond the count, never beyond n).
 */
export function nonzeros(a: usize, n: i32, stride: i32, idx: usize, val: usize): i32 {
  let count = 0;
  if (stride == 1) {
    let k = 0;
    const lanes = i32x4(0, 1, 2, 3);
    for (; k + 4 <= n; k += 4) {
      const v = v128.load(a + (<usize>k << 2));
      const nz = f32x4.ne(v, f32x4.splat(0));
      // Four zeros at once are the common case on MNIST (81% of pixels, in long runs): skipped with one
      // comparison. Any other vector is compacted without a branch per lane (the edges of strokes mix zeros and
      // non-zeros unpredictably).
      if (!v128.any_true(nz)) continue;
      const mask = i32x4.bitmask(nz);
      const pattern = v128.load(COMPACT + (<usize>mask << 4));
      v128.store(idx + (<usize>count << 2), i8x16.swizzle(i32x4.add(i32x4.splat(k), lanes), pattern));
      v128.store(val + (<usize>count << 2), i8x16.swizzle(v, pattern));
      count += <i32>popcnt<u32>(mask);
    }
    for (; k < n; k++) {
      const x = load<f32>(a + (<usize>k << 2));
      if (x != 0) {
        store<i32>(idx + (<usize>count << 2), k);
        store<f32>(val + (<usize>count << 2), x);
        count++;
      }
    }
    return count;
  }
  for (let k = 0; k < n; k++) {
    const x = load<f32>(a + (<usize>k * <usize>stride << 2));
    if (x != 0) {
      store<i32>(idx + (<usize>count << 2), k);
      store<f32>(val + (<usize>count << 2), x);
      count++;
    }
  }
  return count;
}

/**
 * Lists the columns j < cols of a row-major [rows, cols] block (row stride `lda`) that hold a non-zero in some
 * row, into `out` (i32), in increasing order. Returns the count. `mark` is scratch for `cols` i32.
 */
export function nonzeroColumns(a: usize, rows: i32, cols: i32, lda: i32, out: usize, mark: usize): i32 {
  if (rows == 1) return nonzeros(a, cols, 1, out, mark);
  memory.fill(mark, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    const row = a + (<usize>r * <usize>lda << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(mark + o, v128.or(v128.load(mark + o), f32x4.ne(v128.load(row + o), f32x4.splat(0))));
    }
    for (; j < cols; j++) {
      if (load<f32>(row + (<usize>j << 2)) != 0) store<i32>(mark + (<usize>j << 2), -1);
    }
  }
  let count = 0;
  for (let j = 0; j < cols; j++) {
    if (load<i32>(mark + (<usize>j << 2)) != 0) {
      store<i32>(out + (<usize>count << 2), j);
      count++;
    }
  }
  return count;
}

/** dst[cols, rows] = srcᵀ for a row-major src[rows, cols] (4×4 blocks through registers, scalar edges). */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  const srcRow = <usize>cols << 2;
  const dstRow = <usize>rows << 2;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const s0 = src + <usize>r * srcRow;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o = <usize>c << 2;
      const r0 = v128.load(s0 + o), r1 = v128.load(s0 + srcRow + o), r2 = v128.load(s0 + 2 * srcRow + o), r3 = v128.load(s0 + 3 * srcRow + o);
      const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const d = dst + <usize>c * dstRow + (<usize>r << 2);
      v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
      v128.store(d + dstRow, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
      v128.store(d + 2 * dstRow, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
      v128.store(d + 3 * dstRow, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
    }
    for (; c < cols; c++) {
      for (let k = 0; k < 4; k++) store<f32>(dst + <usize>c * dstRow + (<usize>(r + k) << 2), load<f32>(s0 + <usize>k * srcRow + (<usize>c << 2)));
    }
  }
  for (; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(dst + <usize>c * dstRow + (<usize>r << 2), load<f32>(src + <usize>r * srcRow + (<usize>c << 2)));
  }
}
