// Gradients of slices (select, narrow, and so unbind, split, chunk, tensorSplit: x[t], x[a:b]) added into their
// input's gradient where they lie, in a buffer the walk made and owns, instead of as a zero gradient of the whole
// input's size with the slice copied in, then added to what had come (three passes over the whole input, and a new
// array, per slice: over T slices of x, T² work). PyTorch 1.13's SelectBackward0 and SliceBackward0 make the whole
// zero gradient too (its UnbindBackward0 and SplitBackward0 stack or cat the slices' gradients once); the values here
// are the same, bit for bit, as those of main's zeros-then-add.
import { Tensor } from '../tensor/tensor.js';
import { numel } from '../tensor/shape.js';

/** Where a slice's gradient goes in its input's (contiguous) gradient: non-overlapping places. @internal */
export interface SliceGradient {
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/**
 * `g` (the slice's gradient, contiguous, of `slice.shape`) added into `prev` (the input's gradient so far, or null),
 * as `prev + zeros-with-g-in-place` gives it: into `prev` itself where the walk owns it (`owned`), else into a new
 * buffer the walk then owns. Every buffer in `owned` holds no −0 (made from +0 by additions with a +0 side at each
 * place, as the zeros-then-add did), so adding g in place only where it lies gives the same bits.
 */
export function addSliceGradient(prev: Tensor | null, g: Tensor, shape: readonly number[], slice: SliceGradient, owned: Set<Tensor>): Tensor {
  let out: Tensor;
  let buf: Float32Array;
  if (prev !== null && owned.has(prev)) {
    out = prev;
    buf = prev.unsettledData;
  } else {
    buf = new Float32Array(numel(shape));
    if (prev !== null) {
      // prev + 0 at every place: the same values, with −0 turned to +0, as the add of a zero gradient gave.
      const p = prev.values();
      for (let i = 0; i < buf.length; i++) buf[i] = p[i]! + 0;
    }
    out = new Tensor(buf, shape);
    owned.add(out);
  }
  addRuns(g.values(), buf, slice.offset, slice.shape, slice.strides);
  return out;
}

/** A dense gradient `g` added into `prev`, a buffer the walk owns, in place (prev + g, as `add` gives it). */
export function addIntoOwned(prev: Tensor, g: Tensor): Tensor {
  const buf = prev.unsettledData;
  const v = g.values();
  for (let i = 0; i < v.length; i++) buf[i] = buf[i]! + v[i]!;
  return prev;
}

/**
 * dst[offset + places of `shape` under `strides`] += src (row-major), element by element in the same order as a
 * strided scatter-add, by runs: the trailing dimensions laid out one after the other are one run of plain adds.
 */
function addRuns(src: Float32Array, dst: Float32Array, offset: number, shape: readonly number[], strides: readonly number[]): void {
  const n = src.length;
  if (n === 0) return;
  let run = 1;
  let k = shape.length;
  while (k > 0 && (shape[k - 1] === 1 || strides[k - 1] === run)) {
    run *= shape[k - 1]!;
    k--;
  }
  if (k === 0) {
    for (let i = 0; i < n; i++) dst[offset + i] = dst[offset + i]! + src[i]!;
    return;
  }
  const idx = new Array<number>(k).fill(0);
  let p = offset;
  for (let s = 0; s < n; s += run) {
    for (let i = 0; i < run; i++) dst[p + i] = dst[p + i]! + src[s + i]!;
    // The next run's place: an odometer over the outer dimensions.
    for (let d = k - 1; d >= 0; d--) {
      idx[d]!++;
      p += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      p -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
