import { addInPlace, scatterAddStrided } from '../kernels/ref/strided.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** True when `t` covers its storage densely (a permutation of a contiguous layout), so a grad can share its layout. */
function isDense(t: Tensor): boolean {
  const dims = t.shape.map((size, i) => ({ size, stride: t.strides[i]! })).filter((d) => d.size !== 1);
  dims.sort((a, b) => a.stride - b.stride);
  let expect = 1;
  for (const d of dims) {
    if (d.stride !== expect) return false;
    expect *= d.size;
  }
  return t.data.length === expect;
}

function sameLayout(a: Tensor, b: Tensor): boolean {
  for (let i = 0; i < a.shape.length; i++) if (a.shape[i] !== 1 && a.strides[i] !== b.strides[i]) return false;
  return a.data.length === b.data.length;
}

/**
 * Adds `g` into `leaf.grad`, allocating it on first use with the leaf's own layout (so a parameter stored
 * transposed gets a gradient stored transposed, and the optimizer can update both with flat loops).
 */
export function accumulateGrad(leaf: Tensor, g: Tensor): void {
  if (!sameShape(leaf.shape, g.shape)) {
    throw new RangeError(`backward: gradient of shape ${formatShape(g.shape)} does not match tensor of shape ${formatShape(leaf.shape)}`);
  }
  let grad = leaf.grad;
  if (grad === null) {
    const layoutOk = isDense(leaf);
    grad = new Tensor(new Float32Array(layoutOk ? leaf.data.length : leaf.numel()), leaf.shape, layoutOk ? { strides: leaf.strides } : {});
    leaf.grad = grad;
    if (g.rowSupport !== null && sameLayout(g, grad)) {
      copyRows(g, grad);
      return;
    }
  } else if (g.rowSupport !== null && grad.rowSupport !== null && grad.rowSupport.length === 0 && sameLayout(g, grad)) {
    // The buffer is known to be all zeros (after zeroGrad): copy just the rows the new gradient touches.
    copyRows(g, grad);
    return;
  }
  grad.rowSupport = null;
  if (sameLayout(g, grad) && isDense(g)) addInPlace(grad.data, g.data);
  else scatterAddStrided(g.values(), grad.data, grad.shape, grad.strides);
}

function copyRows(g: Tensor, grad: Tensor): void {
  const rows = g.rowSupport!;
  const width = g.data.length / rowCount(g);
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r]! * width;
    grad.data.set(g.data.subarray(o, o + width), o);
  }
  grad.rowSupport = rows;
}

/** Number of storage rows of a 2-D tensor whose storage is transposed ([cols, rows] row-major). */
function rowCount(t: Tensor): number {
  return t.shape[1]!;
}
