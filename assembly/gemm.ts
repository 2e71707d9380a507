// Matrix products for Kindling's linear layers, in f32x4 SIMD.
//
// The arithmetic contract (shared with src/kernels/ref/gemm.ts, which the tests compare bit for bit): every output
// element is a float32 sum that starts at +0 and adds the float32-rounded products a_k·b_k in increasing k, each
// addition rounded to float32; the sum is then added to C (when accumulating) or to the bias. Zero values of A are
// skipped, which changes nothing for finite B (adding a ±0 product to a sum that started at +0 leaves it unchanged).
// Pointers are byte offsets into linear memory; strides and sizes count float32 elements.
import { allFinite, denseEnough, interleave4, packPanels, put4, rows4, transpose4x4 } from './gemm-block';
import { loadPart, storePart } from './part';
import { columnLists, nonzeros } from './sparse';
import { OFFSETS_CAP, offsetsBase } from './scratch';

/**
 * One output row from a sparse row of A: c[0..N) = Σ_t val[t]·B[idx[t], 0..N) (+ bias, or added to c when
 * accumulating). B rows are `bRs` elements apart and contiguous. The rows' byte offsets in B are worked out once,
 * for every block of columns (an offset read from memory in place of a row index times the row's length, which
 * V8 had to reload from the stack: 12% off a multiply-add). Columns go in blocks of 24 kept in registers (six
 * accumulators, the loaded vectors and the scale fit V8's 15 vector registers; with eight, one accumulator lived
 * on the stack), then 8, then 4, then the last 1–3 columns as a partial vector; a row of 9–12 columns in one pass
 * (rowAxpy12).
 */
export function rowAxpy(idx: usize, val: usize, nnz: i32, b: usize, bRs: i32, n: i32, c: usize, bias: usize, accumulate: bool): void {
  const rowBytes = <usize>bRs << 2;
  if (nnz > OFFSETS_CAP) {
    rowAxpyLong(idx, val, nnz, b, rowBytes, n, c, bias, accumulate);
    return;
  }
  const offs = offsetsBase();
  byteOffsets(offs, idx, nnz, <i32>rowBytes);
  if (n > 8 && n <= 12) {
    rowAxpy12(offs, val, nnz, b, n - 8, c, bias, accumulate);
    return;
  }
  let col = 0;
  for (; col + 24 <= n; col += 24) {
    const off = <usize>col << 2;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0), a4 = f32x4.splat(0), a5 = f32x4.splat(0);
    for (let t = 0; t < nnz; t++) {
      const s = v128.load32_splat(val + (<usize>t << 2));
      const r = b + <usize>load<u32>(offs + (<usize>t << 2)) + off;
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(r)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(r, 16)));
      a2 = f32x4.add(a2, f32x4.mul(s, v128.load(r, 32)));
      a3 = f32x4.add(a3, f32x4.mul(s, v128.load(r, 48)));
      a4 = f32x4.add(a4, f32x4.mul(s, v128.load(r, 64)));
      a5 = f32x4.add(a5, f32x4.mul(s, v128.load(r, 80)));
    }
    const bo: usize = bias == 0 ? <usize>0 : bias + off;
    put4(c + off, a0, bo, accumulate);
    put4(c + off + 16, a1, bo == 0 ? 0 : bo + 16, accumulate);
    put4(c + off + 32, a2, bo == 0 ? 0 : bo + 32, accumulate);
    put4(c + off + 48, a3, bo == 0 ? 0 : bo + 48, accumulate);
    put4(c + off + 64, a4, bo == 0 ? 0 : bo + 64, accumulate);
    put4(c + off + 80, a5, bo == 0 ? 0 : bo + 80, accumulate);
  }
  for (; col + 8 <= n; col += 8) {
    const off = <usize>col << 2;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
    for (let t = 0; t < nnz; t++) {
      const s = v128.load32_splat(val + (<usize>t << 2));
      const r = b + <usize>load<u32>(offs + (<usize>t << 2)) + off;
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(r)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(r, 16)));
    }
    const bo: usize = bias == 0 ? <usize>0 : bias + off;
    put4(c + off, a0, bo, accumulate);
    put4(c + off + 16, a1, bo == 0 ? 0 : bo + 16, accumulate);
  }
  for (; col + 4 <= n; col += 4) {
    const off = <usize>col << 2;
    let a0 = f32x4.splat(0);
    for (let t = 0; t < nnz; t++) {
      const s = v128.load32_splat(val + (<usize>t << 2));
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(b + <usize>load<u32>(offs + (<usize>t << 2)) + off)));
    }
    put4(c + off, a0, bias == 0 ? 0 : bias + off, accumulate);
  }
  const rest = n - col;
  if (rest > 0) {
    const off = <usize>col << 2;
    let a0 = f32x4.splat(0);
    for (let t = 0; t < nnz; t++) {
      const s = v128.load32_splat(val + (<usize>t << 2));
      a0 = f32x4.add(a0, f32x4.mul(s, loadPart(b + <usize>load<u32>(offs + (<usize>t << 2)) + off, rest)));
    }
    if (accumulate) storePart(c + off, f32x4.add(loadPart(c + off, rest), a0), rest);
    else storePart(c + off, bias == 0 ? a0 : f32x4.add(a0, loadPart(bias + off, rest)), rest);
  }
}

/**
 * rowAxpy for rows of 9–12 columns (a 10-class output layer) in one pass over the non-zeros: two vectors and a
 * third holding the last `k` (1–4) columns. `offs`: the rows' byte offsets in B.
 */
function rowAxpy12(offs: usize, val: usize, nnz: i32, b: usize, k: i32, c: usize, bias: usize, accumulate: bool): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0);
  for (let t = 0; t < nnz; t++) {
    const s = v128.load32_splat(val + (<usize>t << 2));
    const r = b + <usize>load<u32>(offs + (<usize>t << 2));
    a0 = f32x4.add(a0, f32x4.mul(s, v128.load(r)));
    a1 = f32x4.add(a1, f32x4.mul(s, v128.load(r, 16)));
    a2 = f32x4.add(a2, f32x4.mul(s, k == 4 ? v128.load(r, 32) : loadPart(r + 32, k)));
  }
  put4(c, a0, bias, accumulate);
  put4(c + 16, a1, bias == 0 ? 0 : bias + 16, accumulate);
  if (k == 4) put4(c + 32, a2, bias == 0 ? 0 : bias + 32, accumulate);
  else if (accumulate) storePart(c + 32, f32x4.add(loadPart(c + 32, k), a2), k);
  else storePart(c + 32, bias == 0 ? a2 : f32x4.add(a2, loadPart(bias + 32, k)), k);
}

/** offs[t] = idx[t]·rowBytes for t < nnz (nnz ≤ OFFSETS_CAP). */
// @ts-ignore: decorator
@inline function byteOffsets(offs: usize, idx: usize, nnz: i32, rowBytes: i32): void {
  const scale = i32x4.splat(rowBytes);
  let t = 0;
  for (; t + 4 <= nnz; t += 4) {
    const o = <usize>t << 2;
    v128.store(offs + o, i32x4.mul(v128.load(idx + o), scale));
  }
  for (; t < nnz; t++) store<i32>(offs + (<usize>t << 2), load<i32>(idx + (<usize>t << 2)) * rowBytes);
}

/** The `k` (1–4) floats at p. */
// @ts-ignore: decorator
@inline function loadSome(p: usize, k: i32): v128 {
  return k == 4 ? v128.load(p) : loadPart(p, k);
}

/**
 * rowAxpy for lists longer than the kernels' room for row offsets (a layer of over 65,536 inputs, or a weight
 * gradient over a batch of more rows than that): the same sums, four columns at a time.
 */
function rowAxpyLong(idx: usize, val: usize, nnz: i32, b: usize, rowBytes: usize, n: i32, c: usize, bias: usize, accumulate: bool): void {
  for (let col = 0; col < n; col += 4) {
    const k = min(n - col, 4);
    const off = <usize>col << 2;
    let a0 = f32x4.splat(0);
    for (let t = 0; t < nnz; t++) {
      const s = v128.load32_splat(val + (<usize>t << 2));
      a0 = f32x4.add(a0, f32x4.mul(s, loadSome(b + <usize>load<i32>(idx + (<usize>t << 2)) * rowBytes + off, k)));
    }
    const sum = accumulate ? f32x4.add(loadSome(c + off, k), a0) : bias == 0 ? a0 : f32x4.add(a0, loadSome(bias + off, k));
    if (k == 4) v128.store(c + off, sum);
    else storePart(c + off, sum, k);
  }
}

/**
 * C[M,N] = A·B (+ bias per column), or C += A·B, with B's rows contiguous (column stride 1). A is read through
 * (aRs, aCs); rows go four at a time, each compacted to its non-zeros first: four dense rows make one rows4 block
 * (normalised images, hidden activations), their floats side by side in `idx` first, others one rowAxpy each over
 * their non-zeros, so sparse inputs (raw MNIST) cost only their non-zeros. `idx`/`val` are scratch for 4·K entries
 * each; `panels`, when non-zero, is room for K·⌊N/8⌋·8 floats where B's columns are packed (packPanels) the first
 * time a block needs them.
 */
export function gemmRowB(
  m: i32, n: i32, k: i32,
  a: usize, aRs: i32, aCs: i32,
  b: usize, bRs: i32,
  c: usize, ldc: i32, bias: usize, accumulate: bool,
  idx: usize, val: usize, panels: usize,
): void {
  const rowBytes = <usize>aRs << 2;
  const cBytes = <usize>ldc << 2;
  const list = <usize>k << 2;
  // Whether B is finite, found out the first time a block with zeros needs to know: 0 not yet, 1 yes, 2 no.
  let finite = 0;
  // Whether B's panels are made yet (at the first block, and only if `panels` gives them room).
  let packed = false;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const ai = a + <usize>i * rowBytes;
    const ci = c + <usize>i * cBytes;
    const n0 = nonzeros(ai, k, aCs, idx, val);
    const n1 = nonzeros(ai + rowBytes, k, aCs, idx + list, val + list);
    const n2 = nonzeros(ai + 2 * rowBytes, k, aCs, idx + 2 * list, val + 2 * list);
    const n3 = nonzeros(ai + 3 * rowBytes, k, aCs, idx + 3 * list, val + 3 * list);
    const total = n0 + n1 + n2 + n3;
    if (denseEnough(total, k)) {
      // Zeros of A are multiplied too in a block: the same sums only where B is finite.
      if (total < 4 * k && finite == 0) finite = allFinite(b, k, n, bRs) ? 1 : 2;
      if (total == 4 * k || finite == 1) {
        if (panels != 0 && !packed) {
          packPanels(b, <usize>bRs << 2, k, n, panels);
          packed = true;
        }
        interleave4(ai, rowBytes, <usize>aCs << 2, k, idx);
        rows4(idx, 16, k, b, <usize>bRs << 2, n, ci, cBytes, bias, accumulate, panels);
        continue;
      }
    }
    rowAxpy(idx, val, n0, b, bRs, n, ci, bias, accumulate);
    rowAxpy(idx + list, val + list, n1, b, bRs, n, ci + cBytes, bias, accumulate);
    rowAxpy(idx + 2 * list, val + 2 * list, n2, b, bRs, n, ci + 2 * cBytes, bias, accumulate);
    rowAxpy(idx + 3 * list, val + 3 * list, n3, b, bRs, n, ci + 3 * cBytes, bias, accumulate);
  }
  for (; i < m; i++) {
    const nnz = nonzeros(a + <usize>i * rowBytes, k, aCs, idx, val);
    rowAxpy(idx, val, nnz, b, bRs, n, c + <usize>i * cBytes, bias, accumulate);
  }
}

/**
 * The weight gradient of a linear layer stored [in, out] from a batch: for each input column j of X [rows, in]
 * holding a non-zero, C[j, 0..N) += Σ_r X[r,j]·G[r, 0..N) over those rows r, in increasing r (with `overwrite`
 * the rows of C are known to hold +0, so the sum is stored without reading them: +0 + s = s for a sum s that
 * started at +0). Only those rows of C are touched; they go to `out` (i32, increasing) and their number is
 * returned. `scratch` holds in·(1 + 2·cap) 4-byte words, cap = (rows + 3) rounded up to a multiple of 4.
 */
export function weightGradColumns(
  x: usize, rows: i32, inF: i32, g: usize, n: i32, c: usize, overwrite: bool, out: usize, scratch: usize,
): i32 {
  const cap = (rows + 6) & ~3;
  const counts = scratch;
  const idx = counts + (<usize>inF << 2);
  const val = idx + (<usize>inF * <usize>cap << 2);
  columnLists(x, rows, inF, inF, counts, idx, val, cap);
  const rowBytes = <usize>n << 2;
  const capBytes = <usize>cap << 2;
  // Whether G is finite, found out the first time a block with zeros needs to know: 0 not yet, 1 yes, 2 no.
  let finite = 0;
  let count = 0;
  for (let j0 = 0; j0 < inF; j0 += 4) {
    if (j0 + 4 <= inF) {
      const total = denseColumns(counts + (<usize>j0 << 2), rows);
      if (total > 0 && total < 4 * rows && finite == 0) finite = allFinite(g, rows, n, n) ? 1 : 2;
      if (total > 0 && (total == 4 * rows || finite == 1)) {
        // Four columns of X next to each other are one row of four floats: the block reads them in place.
        rows4(x + (<usize>j0 << 2), <usize>inF << 2, rows, g, rowBytes, n, c + <usize>j0 * rowBytes, rowBytes, 0, !overwrite, 0);
        for (let j = j0; j < j0 + 4; j++) {
          store<i32>(out + (<usize>count << 2), j);
          count++;
        }
        continue;
      }
    }
    for (let j = j0; j < min(j0 + 4, inF); j++) {
      const nnz = load<i32>(counts + (<usize>j << 2));
      if (nnz == 0) continue;
      store<i32>(out + (<usize>count << 2), j);
      count++;
      const o = <usize>j * capBytes;
      rowAxpy(idx + o, val + o, nnz, g, n, n, c + <usize>j * rowBytes, 0, !overwrite);
    }
  }
  return count;
}

/**
 * The number of non-zeros of four columns, when they are dense enough for one rows4 block and none of them is
 * all zeros (such a column's row of the gradient must stay untouched); else 0.
 */
function denseColumns(counts: usize, rows: i32): i32 {
  const c0 = load<i32>(counts), c1 = load<i32>(counts, 4), c2 = load<i32>(counts, 8), c3 = load<i32>(counts, 12);
  if (c0 == 0 || c1 == 0 || c2 == 0 || c3 == 0) return 0;
  const total = c0 + c1 + c2 + c3;
  return denseEnough(total, rows) ? total : 0;
}

/**
 * The one-sample case of `weightGradColumns`: C[rows[t], 0..N) += (+0 + val[t]·g[0..N)) for each t — an outer
 * product written only into the rows of non-zero inputs (or stored without reading them, with `overwrite`).
 */
export function outerRows(rows: usize, val: usize, nrows: i32, g: usize, n: i32, c: usize, ldc: i32, overwrite: bool): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>ldc << 2;
  for (let t = 0; t < nrows; t++) {
    const crow = c + <usize>load<i32>(rows + (<usize>t << 2)) * rowBytes;
    const x = load<f32>(val + (<usize>t << 2));
    const s = f32x4.splat(x);
    let col = 0;
    if (overwrite) {
      for (; col + 16 <= n; col += 16) {
        const o = <usize>col << 2;
        v128.store(crow + o, f32x4.add(zero, f32x4.mul(s, v128.load(g + o))));
        v128.store(crow + o, f32x4.add(zero, f32x4.mul(s, v128.load(g + o, 16))), 16);
        v128.store(crow + o, f32x4.add(zero, f32x4.mul(s, v128.load(g + o, 32))), 32);
        v128.store(crow + o, f32x4.add(zero, f32x4.mul(s, v128.load(g + o, 48))), 48);
      }
      for (; col + 4 <= n; col += 4) {
        const o = <usize>col << 2;
        v128.store(crow + o, f32x4.add(zero, f32x4.mul(s, v128.load(g + o))));
      }
      if (col < n) {
        const o = <usize>col << 2;
        storePart(crow + o, f32x4.add(zero, f32x4.mul(s, loadPart(g + o, n - col))), n - col);
      }
    } else {
      for (; col + 4 <= n; col += 4) {
        const o = <usize>col << 2;
        v128.store(crow + o, f32x4.add(v128.load(crow + o), f32x4.add(zero, f32x4.mul(s, v128.load(g + o)))));
      }
      if (col < n) {
        const o = <usize>col << 2;
        const k = n - col;
        storePart(crow + o, f32x4.add(loadPart(crow + o, k), f32x4.add(zero, f32x4.mul(s, loadPart(g + o, k)))), k);
      }
    }
  }
}

/**
 * gemmColB by way of B transposed into `scratch` (K·N floats, then K i32 and K floats): each row of C is then one
 * rowAxpy over every k, zeros of A included (the column form skips none), so the same sums in the same order, with
 * B's rows contiguous. Worth it for many rows of A (the input gradient of a minibatch through a narrow layer).
 */
export function gemmColBT(
  m: i32, n: i32, k: i32,
  a: usize, aRs: i32, aCs: i32,
  b: usize, bCs: i32,
  c: usize, ldc: i32, accumulate: bool, scratch: usize,
): void {
  const bt = scratch;
  const idx = bt + (<usize>k * <usize>n << 2);
  const val = idx + (<usize>k << 2);
  transpose(b, bCs, k, n, bt);
  for (let kk = 0; kk < k; kk++) store<i32>(idx + (<usize>kk << 2), kk);
  for (let i = 0; i < m; i++) {
    const arow = a + (<usize>i * <usize>aRs << 2);
    for (let kk = 0; kk < k; kk++) store<f32>(val + (<usize>kk << 2), load<f32>(arow + (<usize>kk * <usize>aCs << 2)));
    rowAxpy(idx, val, k, bt, n, n, c + (<usize>i * <usize>ldc << 2), 0, accumulate);
  }
}

/**
 * bt[kk, j] = B[kk, j] for a B of k rows and n columns stored by column (`bCs` floats apart), bt row-major (n
 * floats a row). In 4×4 tiles transposed in registers: one float at a time, each store went `n` floats further
 * than the last, and at n of 512 or 1024 (a multiple of the 4 KB page) the transpose took longer than the product.
 */
function transpose(b: usize, bCs: i32, k: i32, n: i32, bt: usize): void {
  const colBytes = <usize>bCs << 2;
  const rowBytes = <usize>n << 2;
  let kk = 0;
  for (; kk + 4 <= k; kk += 4) {
    const src = b + (<usize>kk << 2);
    const dst = bt + <usize>kk * rowBytes;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const c0 = src + <usize>j * colBytes;
      transpose4x4(v128.load(c0), v128.load(c0 + colBytes), v128.load(c0 + 2 * colBytes), v128.load(c0 + 3 * colBytes), dst + (<usize>j << 2), rowBytes);
    }
    for (; j < n; j++) {
      for (let q = 0; q < 4; q++) store<f32>(dst + <usize>q * rowBytes + (<usize>j << 2), load<f32>(src + <usize>j * colBytes + (<usize>q << 2)));
    }
  }
  for (; kk < k; kk++) {
    for (let j = 0; j < n; j++) store<f32>(bt + <usize>kk * rowBytes + (<usize>j << 2), load<f32>(b + <usize>j * colBytes + (<usize>kk << 2)));
  }
}

/**
 * C[M,N] = A·B or C += A·B with B's columns contiguous (row stride 1, column stride bCs): each output is still a
 * sequential sum over k. Four outputs at a time: a 4×4 block of B is loaded and transposed in registers.
 */
export function gemmColB(
  m: i32, n: i32, k: i32,
  a: usize, aRs: i32, aCs: i32,
  b: usize, bCs: i32,
  c: usize, ldc: i32, accumulate: bool,
): void {
  const colBytes = <usize>bCs << 2;
  for (let i = 0; i < m; i++) {
    const arow = a + (<usize>i * <usize>aRs << 2);
    const aStep = <usize>aCs << 2;
    const crow = c + (<usize>i * <usize>ldc << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b + <usize>j * colBytes;
      const b1 = b0 + colBytes, b2 = b1 + colBytes, b3 = b2 + colBytes;
      let acc = f32x4.splat(0);
      let kk = 0;
      for (; kk + 4 <= k; kk += 4) {
        const o = <usize>kk << 2;
        const r0 = v128.load(b0 + o), r1 = v128.load(b1 + o), r2 = v128.load(b2 + o), r3 = v128.load(b3 + o);
        const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
        const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
        const ap = arow + <usize>kk * aStep;
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ap), v128.shuffle<f32>(t0, t2, 0, 1, 4, 5)));
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ap + aStep), v128.shuffle<f32>(t0, t2, 2, 3, 6, 7)));
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ap + 2 * aStep), v128.shuffle<f32>(t1, t3, 0, 1, 4, 5)));
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(ap + 3 * aStep), v128.shuffle<f32>(t1, t3, 2, 3, 6, 7)));
      }
      for (; kk < k; kk++) {
        const o = <usize>kk << 2;
        let col = f32x4.splat(load<f32>(b0 + o));
        col = f32x4.replace_lane(col, 1, load<f32>(b1 + o));
        col = f32x4.replace_lane(col, 2, load<f32>(b2 + o));
        col = f32x4.replace_lane(col, 3, load<f32>(b3 + o));
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(arow + <usize>kk * aStep), col));
      }
      put4(crow + (<usize>j << 2), acc, 0, accumulate);
    }
    for (; j < n; j++) {
      const bj = b + <usize>j * colBytes;
      let acc: f32 = 0;
      for (let kk = 0; kk < k; kk++) acc += load<f32>(arow + <usize>kk * aStep) * load<f32>(bj + (<usize>kk << 2));
      const o = crow + (<usize>j << 2);
      store<f32>(o, accumulate ? load<f32>(o) + acc : acc);
    }
  }
}

/** dst[j] += Σ_r g[r, j] over rows (the sum starts at +0): a bias gradient accumulated in place. */
export function addColumnSums(dst: usize, g: usize, rows: i32, n: i32): void {
  const rowBytes = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    let acc = f32x4.splat(0);
    for (let r = 0; r < rows; r++) acc = f32x4.add(acc, v128.load(g + <usize>r * rowBytes + o));
    v128.store(dst + o, f32x4.add(v128.load(dst + o), acc));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    let acc: f32 = 0;
    for (let r = 0; r < rows; r++) acc += load<f32>(g + <usize>r * rowBytes + o);
    store<f32>(dst + o, load<f32>(dst + o) + acc);
  }
}
