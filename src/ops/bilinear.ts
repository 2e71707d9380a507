import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/**
 * y = x1ᵀ·A·x2 + b, as PyTorch's `F.bilinear(input1, input2, weight, bias=None)`: inputs [*, in1] and [*, in2] with
 * the same leading dimensions (or 1-D: one sample), weight [out, in1, in2], bias [out]; the result [*, out]. Computed
 * as (x1 · A reshaped to [in1, out·in2]) times x2, summed over in2 (float32, so values agree with PyTorch's
 * _trilinear within rounding, not bit for bit); gradients for both inputs, the weight and the bias through those ops.
 * The last node is PyTorch's: AddBackward0 with a bias, ReshapeAliasBackward0 without.
 * @throws RangeError with PyTorch's messages for mismatched ranks, batch dimensions or sizes.
 */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor(input1, 'bilinear', 'input1');
  checkTensor(input2, 'bilinear', 'input2');
  checkTensor(weight, 'bilinear', 'weight');
  if (bias !== null && bias !== undefined) checkTensor(bias, 'bilinear', 'bias');
  if (input1.ndim !== input2.ndim) throw new RangeError(`bilinear(): input dimensions do not match: got ${input1.ndim} and ${input2.ndim}`);
  if (input1.ndim === 0) throw new RangeError('bilinear(): the inputs must have at least 1 dimension (their features), got 0-d tensors');
  for (let i = 0; i < input1.ndim - 1; i++) {
    if (input1.shape[i] !== input2.shape[i]) throw new RangeError(`bilinear(): input batch dimensions do not match at dim ${i}: got ${input1.shape[i]} and ${input2.shape[i]}`);
  }
  if (weight.ndim !== 3) throw new RangeError(`bilinear(): weight must be 3-D [out, in1, in2], got shape [${weight.shape.join(', ')}]`);
  const [out, in1, in2] = weight.shape as [number, number, number];
  const n1 = input1.shape[input1.ndim - 1]!;
  const n2 = input2.shape[input2.ndim - 1]!;
  if (n1 !== in1) throw new RangeError(`bilinear(): input1 size does not match weight size: got ${n1} but expected ${in1}`);
  if (n2 !== in2) throw new RangeError(`bilinear(): input2 size does not match weight size: got ${n2} but expected ${in2}`);
  if (bias !== null && bias !== undefined && (bias.ndim !== 1 || bias.shape[0] !== out)) {
    throw new RangeError(`bilinear(): bias size does not match weight size: got ${bias.ndim === 0 ? '0-d' : bias.shape[0]} but expected ${out}`);
  }
  const lead = input1.shape.slice(0, -1);
  const x1 = input1.reshape(-1, in1);
  const x2 = input2.reshape(-1, in2);
  const rows = x1.shape[0]!;
  const t = x1.matmul(weight.permute(1, 0, 2).reshape(in1, out * in2)).reshape(rows, out, in2);
  const y = t.mul(x2.reshape(rows, 1, in2)).sum(2).reshape([...lead, out]);
  return bias !== null && bias !== undefined ? y.add(bias) : y;
}
