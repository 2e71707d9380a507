/** Strided copies and accumulations: the only kernels that understand non-contiguous layouts. */

/** Side of the square tiles in which 2-D strided copies walk a transposed layout. */
const TILE = 32;

/**
 * A 2-D strided copy in TILE × TILE tiles, element (i, j) at k = i·c + j of the contiguous side and p = i·s0 + j·s1 of
 * the strided one: `gather` reads p and writes k, else the other way. A row of a tile touches TILE cache lines that
 * its next rows touch again, where a transposed layout walked row by row would touch a new line per element.
 */
function copyTiles(src: Float32Array, dst: Float32Array, r: number, c: number, s0: number, s1: number, gather: boolean): void {
  for (let i0 = 0; i0 < r; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, r);
    for (let j0 = 0; j0 < c; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, c);
      for (let i = i0; i < i1; i++) {
        let p = i * s0 + j0 * s1;
        let k = i * c + j0;
        if (gather) for (let j = j0; j < j1; j++, p += s1) dst[k++] = src[p]!;
        else for (let j = j0; j < j1; j++, p += s1) dst[p] = src[k++]!;
      }
    }
  }
}

/** Rows at least this long are copied with `TypedArray.set` (a subarray per row costs more below). */
const SET_FROM = 64;

/**
 * `shape` and `strides` without dimensions of size 1, and with each dimension merged into the next where the two
 * are laid out one after the other (strides[d] = strides[d + 1]·shape[d + 1], which includes a broadcast pair of
 * stride 0): the same elements in the same row-major order, in as few dimensions as the layout allows.
 */
function collapse(shape: readonly number[], strides: readonly number[]): [number[], number[]] {
  const dims: number[] = [];
  const strs: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strs[last] === strides[d]! * shape[d]!) {
      dims[last] = dims[last]! * shape[d]!;
      strs[last] = strides[d]!;
    } else {
      dims.push(shape[d]!);
      strs.push(strides[d]!);
    }
  }
  return [dims, strs];
}

/** out[k … k + n) = src[p], src[p + s], … : a row read with stride s (a fill for a broadcast row, a copy for a dense one). */
function gatherRow(src: Float32Array, p: number, s: number, n: number, out: Float32Array, k: number): void {
  if (s === 0) out.fill(src[p]!, k, k + n);
  else if (s === 1 && n >= SET_FROM) out.set(src.subarray(p, p + n), k);
  else for (let j = 0; j < n; j++, p += s) out[k++] = src[p]!;
}

/** Copies `src`, read through `strides` over `shape`, into contiguous `out` (row-major). */
export function gatherStrided(src: Float32Array, shape: readonly number[], strides: readonly number[], out: Float32Array): void {
  const [dims, strs] = collapse(shape, strides);
  const rank = dims.length;
  if (rank === 0) {
    out[0] = src[0]!;
    return;
  }
  const n = dims[rank - 1]!;
  const s = strs[rank - 1]!;
  if (rank === 1) {
    gatherRow(src, 0, s, n, out, 0);
    return;
  }
  if (rank === 2 && s !== 0 && s !== 1) {
    copyTiles(src, out, dims[0]!, n, strs[0]!, s, true);
    return;
  }
  // Rows of the last dimension, their starts stepped like an odometer over the others.
  const outerShape = dims.slice(0, -1);
  const outerStrides = strs.slice(0, -1);
  const idx = new Array<number>(rank - 1).fill(0);
  let rows = 1;
  for (const d of outerShape) rows *= d;
  let p = 0;
  for (let r = 0, k = 0; r < rows; r++, k += n) {
    gatherRow(src, p, s, n, out, k);
    p = nextOffset(idx, outerShape, outerStrides, p);
  }
}

/**
 * Steps the row-major index `idx` over `shape` by one element (like an odometer) and returns the storage offset
 * `p` moved accordingly through `strides`.
 */
function nextOffset(idx: number[], shape: readonly number[], strides: readonly number[], p: number): number {
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d]!++;
    p += strides[d]!;
    if (idx[d]! < shape[d]!) return p;
    p -= strides[d]! * shape[d]!;
    idx[d] = 0;
  }
  return p;
}

/** Adds contiguous `src` (row-major over `shape`) into `dst` laid out with `strides`. */
export function scatterAddStrided(src: Float32Array, dst: Float32Array, shape: readonly number[], strides: readonly number[]): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = dst[0]! + src[0]!;
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  const n = src.length;
  let p = 0;
  for (let k = 0; k < n; k++) {
    dst[p] = dst[p]! + src[k]!;
    p = nextOffset(idx, shape, strides, p);
  }
}

/** dst[offsets of `shape` under `strides`] = src[k] in row-major order: the inverse of gatherStrided. */
export function scatterStrided(src: Float32Array, dst: Float32Array, shape: readonly number[], strides: readonly number[]): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0]!;
    return;
  }
  if (rank === 2) {
    // gatherStrided's tiles, the other way (a `Linear` weight's in-place updates land here).
    copyTiles(src, dst, shape[0]!, shape[1]!, strides[0]!, strides[1]!, false);
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  const n = src.length;
  let p = 0;
  for (let k = 0; k < n; k++) {
    dst[p] = src[k]!;
    p = nextOffset(idx, shape, strides, p);
  }
}

/** Sets every element of the view of `dst` over `shape` and `strides` to `value` (nothing else of `dst`). */
export function fillStrided(dst: Float32Array, shape: readonly number[], strides: readonly number[], value: number): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = value;
    return;
  }
  let n = 1;
  for (const d of shape) n *= d;
  const idx = new Array<number>(rank).fill(0);
  let p = 0;
  for (let k = 0; k < n; k++) {
    dst[p] = value;
    p = nextOffset(idx, shape, strides, p);
  }
}

/** dst += src elementwise (same layout). */
export function addInPlace(dst: Float32Array, src: Float32Array): void {
  const n = dst.length;
  for (let i = 0; i < n; i++) dst[i] = dst[i]! + src[i]!;
}
