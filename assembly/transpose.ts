// A matrix transpose, for the 2-D strided copies (src/kernels/ref/strided.ts's tiles): the gradient and weight of an
// nn.Linear are stored transposed, and an op that reads one in row-major order, or writes one back, copies it
// through a transpose. Pure copies: every value's bits move unchanged.
import { transpose4x4 } from './gemm-block';

/** Side of the square tiles (in elements): a tile's source rows and destination rows stay in the L1 cache. */
const TILE: i32 = 32;

/** dst (cols × rows, row-major) ← the transpose of src (rows × cols, row-major). The two must not overlap. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = min(j0 + TILE, cols);
      tile(src, rows, cols, dst, i0, i1, j0, j1);
    }
  }
}

/** The tile [i0, i1) × [j0, j1): four-by-four blocks by shuffles, then the ragged edges one value at a time. */
// @ts-ignore: decorator
@inline function tile(src: usize, rows: i32, cols: i32, dst: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const srcRow = <usize>cols << 2;
  const dstRow = <usize>rows << 2;
  const i4 = i0 + ((i1 - i0) & ~3);
  const j4 = j0 + ((j1 - j0) & ~3);
  for (let i = i0; i < i4; i += 4) {
    const s = src + ((<usize>i * <usize>cols) << 2);
    for (let j = j0; j < j4; j += 4) {
      const p = s + (<usize>j << 2);
      transpose4x4(v128.load(p), v128.load(p + srcRow), v128.load(p + 2 * srcRow), v128.load(p + 3 * srcRow),
        dst + ((<usize>j * <usize>rows + <usize>i) << 2), dstRow);
    }
    for (let j = j4; j < j1; j++) {
      for (let r = i; r < i + 4; r++) store<u32>(dst + ((<usize>j * <usize>rows + <usize>r) << 2), load<u32>(src + ((<usize>r * <usize>cols + <usize>j) << 2)));
    }
  }
  for (let i = i4; i < i1; i++) {
    for (let j = j0; j < j1; j++) store<u32>(dst + ((<usize>j * <usize>rows + <usize>i) << 2), load<u32>(src + ((<usize>i * <usize>cols + <usize>j) << 2)));
  }
}
