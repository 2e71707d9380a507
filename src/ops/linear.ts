import { record } from '../autograd/record.js';
import { gemm } from '../kernels/ref/gemm.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

/** True when a [out, in] weight is stored transposed: an [in, out] row-major block. */
export function isTransposedStorage(w: Tensor): boolean {
  return w.ndim === 2 && w.strides[0] === 1 && w.strides[1] === w.shape[0] && w.data.length === w.numel();
}

/**
 * y = x · Wᵀ + b over the last dimension of x (like `torch.nn.functional.linear`). A fused primitive: one node in
 * the graph, with kernels that read the weight in whatever layout it is stored.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor(x, 'linear');
  checkTensor(weight, 'linear', 'weight');
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [out, in], got shape ${formatShape(weight.shape)}`);
  const [outF, inF] = weight.shape as [number, number];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new RangeError(`linear: input has ${x.ndim === 0 ? 0 : x.shape[x.ndim - 1]} features but the layer expects ${inF} (input shape ${formatShape(x.shape)})`);
  }
  if (bias !== null) {
    checkTensor(bias, 'linear', 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== outF) throw new RangeError(`linear: bias must have shape [${outF}], got ${formatShape(bias.shape)}`);
  }
  const rows = x.numel() / inF;
  const X = x.values();
  const W = weight.data;
  const [ws0, ws1] = weight.strides as [number, number];
  const outShape = [...x.shape.slice(0, -1), outF];
  const out = empty(outShape);
  gemm(rows, outF, inF, X, 0, inF, 1, W, 0, ws1, ws0, out.data, 0, false);
  if (bias !== null) {
    const b = bias.values();
    for (let r = 0; r < rows; r++) for (let j = 0; j < outF; j++) out.data[r * outF + j] = out.data[r * outF + j]! + b[j]!;
  }
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return record(out, 'linear', inputs, (g) => {
    const G = g.data;
    let gx: Tensor | null = null;
    if (x.requiresGrad) {
      gx = empty(x.shape);
      gemm(rows, inF, outF, G, 0, outF, 1, W, 0, ws0, ws1, gx.data, 0, false);
    }
    let gw: Tensor | null = null;
    if (weight.requiresGrad) {
      if (isTransposedStorage(weight)) {
        // dWᵀ = Xᵀ · G, produced directly in the weight's [in, out] storage layout.
        const d = new Float32Array(inF * outF);
        gemm(inF, outF, rows, X, 0, 1, inF, G, 0, outF, 1, d, 0, false);
        gw = new Tensor(d, [outF, inF], { strides: [1, outF] });
      } else {
        gw = empty([outF, inF]);
        gemm(outF, inF, rows, G, 0, 1, outF, X, 0, inF, 1, gw.data, 0, false);
      }
    }
    let gb: Tensor | null = null;
    if (bias !== null && bias.requiresGrad) {
      gb = empty([outF]);
      for (let j = 0; j < outF; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += G[r * outF + j]!;
        gb.data[j] = s;
      }
    }
    return bias === null ? [gx, gw] : [gx, gw, gb];
  });
}
