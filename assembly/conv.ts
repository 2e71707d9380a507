// The moves of a 2-D convolution around its matrix products (src/ops/conv.ts): the patch matrix of one sample and
// group (im2col), the way back (col2im), and the per-channel bias and its gradient. The patch
// rows are described by a table the caller makes once per call (src/kernels/ref/conv.ts, patchRows): four i32 per
// row of outputs whose tap lands inside the input — the matrix offset `at` of its first column, the input offset
// `base`, and the columns [x0, x1) that land inside, column x reading base + x·sw. Copies move bits unchanged; the
// additions are float32 additions in the reference's order, so every result has the reference kernels' bits.

/** cols[0..size) ← the patch matrix [K, L]: zeros, then each listed row's columns from x (offsets in floats). */
export function im2col(x: usize, rows: usize, nrows: i32, sw: i32, cols: usize, size: i32): void {
  memory.fill(cols, 0, <usize>size << 2);
  for (let r = 0; r < nrows; r++) {
    const e = rows + (<usize>r << 4);
    const at = cols + (<usize>load<i32>(e) << 2);
    const base = x + (<usize>load<i32>(e, 4) << 2);
    const x0 = load<i32>(e, 8), x1 = load<i32>(e, 12);
    if (sw == 1) {
      // Short runs (a row of outputs): vectors, then the last floats one at a time (memory.copy's call costs more).
      let c = x0;
      for (; c + 4 <= x1; c += 4) v128.store(at + (<usize>c << 2), v128.load(base + (<usize>c << 2)));
      for (; c < x1; c++) store<u32>(at + (<usize>c << 2), load<u32>(base + (<usize>c << 2)));
    } else {
      for (let c = x0; c < x1; c++) store<u32>(at + (<usize>c << 2), load<u32>(base + (<usize>(c * sw) << 2)));
    }
  }
}

/**
 * The reverse of im2col: gx[base + c·sw] += cols[at + c] for every listed row, in the table's order and increasing
 * c (the reference's order of additions).
 */
export function col2imAdd(cols: usize, rows: usize, nrows: i32, sw: i32, gx: usize): void {
  for (let r = 0; r < nrows; r++) {
    const e = rows + (<usize>r << 4);
    const src = cols + (<usize>load<i32>(e) << 2);
    const base = gx + (<usize>load<i32>(e, 4) << 2);
    let c = load<i32>(e, 8);
    const c1 = load<i32>(e, 12);
    if (sw == 1) {
      for (; c + 4 <= c1; c += 4) {
        const p = base + (<usize>c << 2);
        v128.store(p, f32x4.add(v128.load(p), v128.load(src + (<usize>c << 2))));
      }
    }
    for (; c < c1; c++) {
      const p = base + (<usize>(c * sw) << 2);
      store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>c << 2)));
    }
  }
}

/** y[o, 0..n) += bias[o] for `rows` rows (a sample's channels): float32 additions. */
export function addRowBias(y: usize, rows: i32, n: i32, bias: usize): void {
  for (let o = 0; o < rows; o++) {
    const b = f32x4.splat(load<f32>(bias + (<usize>o << 2)));
    const row = y + (<usize>o * <usize>n << 2);
    const end = row + (<usize>n << 2);
    let p = row;
    for (; p + 16 <= end; p += 16) v128.store(p, f32x4.add(v128.load(p), b));
    const s = load<f32>(bias + (<usize>o << 2));
    for (; p < end; p += 4) store<f32>(p, load<f32>(p) + s);
  }
}

/**
 * sums[o] (float64) += g[(s·channels + o)·n + j] over samples s and then positions j, in that order: the bias
 * gradient of a convolution, carried from one group of samples to the next.
 */
export function channelSums(g: usize, samples: i32, channels: i32, n: i32, sums: usize): void {
  for (let o = 0; o < channels; o++) {
    let s = load<f64>(sums + (<usize>o << 3));
    for (let q = 0; q < samples; q++) {
      const row = g + ((<usize>q * <usize>channels + <usize>o) * <usize>n << 2);
      for (let j = 0; j < n; j++) s += <f64>load<f32>(row + (<usize>j << 2));
    }
    store<f64>(sums + (<usize>o << 3), s);
  }
}

/** acc[i] += part[i] for i < n: float32 values added into float64 sums. */
export function addToF64(acc: usize, part: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = acc + (<usize>i << 3);
    store<f64>(p, load<f64>(p) + <f64>load<f32>(part + (<usize>i << 2)));
  }
}
