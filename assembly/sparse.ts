// Finding the non-zeros of sparse inputs (MNIST pixels are 81% zeros), and a transpose, for the matrix kernels.
// Pointers are byte offsets into linear memory; strides and sizes count float32 elements.

/**
 * Gathers the non-zero entries of a strided vector: their positions into `idx` (i32) and values into `val` (f32).
 * Returns how many there are. NaN counts as non-zero.
 */
export function nonzeros(a: usize, n: i32, stride: i32, idx: usize, val: usize): i32 {
  let count = 0;
  if (stride == 1) {
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const v = v128.load(a + (<usize>k << 2));
      const nz = f32x4.ne(v, f32x4.splat(0));
      // Four zeros at once are the common case on MNIST (81% of pixels): skip them with one comparison; four
      // non-zeros (a dense input, like a hidden layer's activations) are stored with two vector stores.
      if (!v128.any_true(nz)) continue;
      if (i32x4.all_true(nz)) {
        v128.store(idx + (<usize>count << 2), i32x4.add(i32x4.splat(k), i32x4(0, 1, 2, 3)));
        v128.store(val + (<usize>count << 2), v);
        count += 4;
        continue;
      }
      for (let l = 0; l < 4; l++) {
        const x = load<f32>(a + (<usize>(k + l) << 2));
        if (x != 0) {
          store<i32>(idx + (<usize>count << 2), k + l);
          store<f32>(val + (<usize>count << 2), x);
          count++;
        }
      }
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
