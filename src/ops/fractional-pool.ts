/**
 * Fractional max pooling, PyTorch 1.13's CPU `fractional_max_pool2d` / `fractional_max_pool3d` (Graham, 2014): each
 * plane's windows (kernel-sized) start at pseudo-random offsets, one sample u ∈ [0, 1) per plane and dimension giving
 * the starts ⌊(i + u)·α⌋ − ⌊u·α⌋ with α = (in − k)/(out − 1) in float32, the last window flush with the end. The
 * maximum is taken as PyTorch's loop takes it (the first largest in row-major order; a NaN wins). The gradient goes to
 * the picked element (node FractionalMaxPool2DBackward0 / 3D). The samples are given (F.fractionalMaxPool* draws them
 * with `rand`, as PyTorch's Python does).
 */
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { pick } from './gather.js';
import { empty } from './util.js';

const f = Math.fround;

/** The window starts along one dimension, PyTorch's `generate_intervals` in float32. */
function intervals(sample: number, inputSize: number, outputSize: number, poolSize: number): Int32Array {
  const seq = new Int32Array(outputSize);
  if (outputSize > 1) {
    const alpha = f(f(inputSize - poolSize) / f(outputSize - 1));
    const u = f(sample);
    for (let i = 0; i < outputSize - 1; i++) seq[i] = Math.trunc(f(f(i + u) * alpha)) - Math.trunc(f(u * alpha));
  }
  if (outputSize > 0) seq[outputSize - 1] = inputSize - poolSize;
  return seq;
}

/**
 * Fractional max pooling of x ([N, C, *spatial] or [C, *spatial], `dims` spatial dimensions) with windows `kernel`
 * to `outputSize`, from `samples` [N (1 unbatched), C, dims]. Returns the output and the indices (flat within each
 * plane, as whole numbers).
 */
export function fractionalMaxPool(x: Tensor, dims: 2 | 3, kernel: readonly number[], outputSize: readonly number[], samples: Tensor): [Tensor, Tensor] {
  const batched = x.ndim === dims + 2;
  const name = `fractional_max_pool${dims}d`;
  if (!batched && x.ndim !== dims + 1) throw new KindlingError(`${name}(): Expected ${dims + 1}D or ${dims + 2}D tensor, but got: ${formatShape(x.shape)}`);
  const spatial = x.shape.slice(-dims);
  const planes = x.shape[x.ndim - dims - 1]!;
  const batch = batched ? x.shape[0]! : 1;
  const labels = dims === 2 ? ['height', 'width'] : ['time', 'height', 'width'];
  spatial.forEach((size, d) => {
    if (outputSize[d]! + kernel[d]! - 1 > size) {
      throw new KindlingError(`${name}(): pool ${labels[d]} ${kernel[d]} too large relative to input ${labels[d]} ${size}`);
    }
  });
  if (samples.ndim !== 3 || samples.shape[0] !== batch || samples.shape[1] !== planes || samples.shape[2] !== dims) {
    throw new KindlingError(`${name}(): the random samples must have shape ${formatShape([batch, planes, dims])}, got ${formatShape(samples.shape)}`);
  }
  const xv = x.values();
  const sv = samples.values();
  const inPlane = spatial.reduce((a, b) => a * b, 1);
  const outPlane = outputSize.reduce((a, b) => a * b, 1);
  const outShape = [...x.shape.slice(0, x.ndim - dims), ...outputSize];
  const out = empty(outShape);
  const idx = empty(outShape);
  const o = out.data;
  const id = idx.data;
  const picked = new Int32Array(batch * planes * outPlane);
  for (let p = 0; p < batch * planes; p++) {
    // Samples per plane: [0] for the width (2-D) or time (3-D), then the others, as PyTorch's kernels read them.
    const s = sv.subarray(p * dims, (p + 1) * dims);
    const seq = dims === 2
      ? [intervals(s[1]!, spatial[0]!, outputSize[0]!, kernel[0]!), intervals(s[0]!, spatial[1]!, outputSize[1]!, kernel[1]!)]
      : [0, 1, 2].map((d) => intervals(s[d]!, spatial[d]!, outputSize[d]!, kernel[d]!));
    const base = p * inPlane;
    const [oT, oH, oW] = dims === 2 ? [1, outputSize[0]!, outputSize[1]!] : [outputSize[0]!, outputSize[1]!, outputSize[2]!];
    const [kT, kH, kW] = dims === 2 ? [1, kernel[0]!, kernel[1]!] : [kernel[0]!, kernel[1]!, kernel[2]!];
    const [, iH, iW] = dims === 2 ? [1, spatial[0]!, spatial[1]!] : [spatial[0]!, spatial[1]!, spatial[2]!];
    const [sT, sH, sW] = dims === 2 ? [new Int32Array(1), seq[0]!, seq[1]!] : [seq[0]!, seq[1]!, seq[2]!];
    let at = p * outPlane;
    for (let t = 0; t < oT; t++) {
      for (let h = 0; h < oH; h++) {
        for (let w = 0; w < oW; w++) {
          const [t0, h0, w0] = [sT[t]!, sH[h]!, sW[w]!];
          let best = -Infinity;
          let bestIndex = (t0 * iH + h0) * iW + w0;
          for (let t2 = t0; t2 < t0 + kT; t2++) {
            for (let h2 = h0; h2 < h0 + kH; h2++) {
              for (let w2 = w0; w2 < w0 + kW; w2++) {
                const i = (t2 * iH + h2) * iW + w2;
                const v = xv[base + i]!;
                if (v > best || Number.isNaN(v)) {
                  best = v;
                  bestIndex = i;
                }
              }
            }
          }
          o[at] = best;
          id[at] = bestIndex;
          picked[at] = base + bestIndex;
          at++;
        }
      }
    }
  }
  const result = record(out, name, [x], (g) => {
    const gx = empty(x.shape);
    gx.data.fill(0);
    const gv = g.data;
    for (let i = 0; i < picked.length; i++) gx.data[picked[i]!]! += gv[i]!;
    return [gx];
  }, undefined, `FractionalMaxPool${dims}DBackward0`);
  // Linear in g: the gradient's graph picks the gradient's gradient back at each maximum.
  linearTwice(result, (h) => pick(h, out.shape, picked, `${name}Backward`, new Tensor(Float32Array.from(picked), out.shape)));
  return [result, idx];
}
