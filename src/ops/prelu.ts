/**
 * PReLU, x for x > 0 and w·x elsewhere, with one learnable w or one per channel (dim 1), as PyTorch 1.13's
 * `F.prelu(input, weight)` (prelu_cpu): the forward is one float32 product, so its values are PyTorch's bits. The
 * backward (PreluBackward0, saving the input and the weight) gives the input g or w·g, and the weight the sum of
 * x·g over the elements with x ≤ 0 (and NaN), summed as PyTorch's `sum` over every dim but the channel's. PyTorch's
 * refusals: a weight of more than one dim, a zero-dim input with more than one weight, and a weight count unequal to
 * the channels (dim 1; a 1-D input has one channel).
 */
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { composedTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { transientFloat32 } from '../kernels/transient.js';
import { Tensor } from '../tensor/tensor.js';
import { maskOf } from './mask.js';
import { sum } from './reduce.js';
import { checkTensor } from './util.js';

/** PReLU: `F.prelu(x, weight)` with a weight of one value (0-d or [1]) or one per channel of dim 1. */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkTensor(x, 'prelu');
  checkTensor(weight, 'prelu', 'weight');
  if (weight.ndim > 1) throw new KindlingError(`prelu: Expected \`weight\` to be a scalar or 1D tensor, but got ndim = ${weight.ndim}`);
  const count = weight.numel();
  const xv = x.values();
  const wv = weight.values();
  let inner = xv.length;
  let channels = 1;
  if (count !== 1) {
    if (x.ndim === 0) throw new KindlingError('prelu: Not allow zero-dim input tensor.');
    channels = x.ndim > 1 ? x.shape[1]! : 1;
    if (channels !== count) {
      throw new KindlingError(`prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = ${count} and channel size = ${channels}.`);
    }
    inner = 1;
    for (let d = 2; d < x.ndim; d++) inner *= x.shape[d]!;
  }
  const channelOf = (i: number): number => (count === 1 ? 0 : Math.floor(i / inner) % channels);
  const out = new Tensor(transientFloat32(xv.length), x.shape);
  for (let i = 0; i < xv.length; i++) {
    const v = xv[i]!;
    out.data[i] = v > 0 ? v : wv[channelOf(i)]! * v;
  }
  if (!((x.requiresGrad || weight.requiresGrad) && isGradRecording())) return out;
  const node = record(out, 'prelu', [x, weight], (g) => {
    const gx = new Tensor(transientFloat32(xv.length), x.shape);
    const collector = new Tensor(transientFloat32(xv.length), x.shape);
    for (let i = 0; i < xv.length; i++) {
      const v = xv[i]!;
      const gi = g.data[i]!;
      gx.data[i] = v > 0 ? gi : wv[channelOf(i)]! * gi;
      collector.data[i] = v > 0 ? 0 : v * gi;
    }
    const dims = count === 1 ? undefined : Array.from({ length: x.ndim }, (_, d) => d).filter((d) => d !== 1);
    return [gx, sum(collector, dims).reshape(weight.shape)];
  }, [x, weight]);
  // Its gradient's graph: x where x > 0, else w·x (w along dim 1), written with ops and differentiated.
  return composedTwice(node, (input, w) => {
    const wb = count === 1 || input.ndim < 2 ? w.reshape([]) : w.reshape([channels, ...Array.from({ length: input.ndim - 2 }, () => 1)]);
    return input.where(maskOf(xv, x.shape, (v) => v > 0), input.mul(wb));
  });
}
