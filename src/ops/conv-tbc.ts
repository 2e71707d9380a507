// PyTorch's conv_tbc: a 1-D convolution over time-first input [T, B, C_in] with a weight [K, C_in, C_out], as
// conv1d after moving the dimensions (its node ConvTbcBackward0).
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { conv1d } from './conv1d.js';
import { checkTensor } from './util.js';

/**
 * conv1d over input [T, B, C_in] (time first) with weight [K, C_in, C_out] and bias [C_out], `pad` zeros each side of
 * time: [T + 2·pad − K + 1, B, C_out], as `torch.conv_tbc(input, weight, bias, pad=0)`.
 */
export function convTbc(input: Tensor, weight: Tensor, bias: Tensor, pad = 0): Tensor {
  checkTensor(input, 'convTbc', 'input');
  checkTensor(weight, 'convTbc', 'weight');
  checkTensor(bias, 'convTbc', 'bias');
  if (input.ndim !== 3) throw new KindlingError(`conv_tbc: Input must have 3 dims: time, batch, in_channel (got shape [${input.shape.join(', ')}])`);
  if (weight.ndim !== 3) throw new KindlingError(`conv_tbc: Weight tensor must have 3 dims: kernel_width, in_channels, out_channels (got shape [${weight.shape.join(', ')}])`);
  if (bias.ndim !== 1) throw new KindlingError(`conv_tbc: Bias must be 1-D (got shape [${bias.shape.join(', ')}])`);
  if (input.shape[2] !== weight.shape[1]) throw new KindlingError(`conv_tbc: Input dim 2 (input channels) is not == dim 1 in the weight tensor (${input.shape[2]} and ${weight.shape[1]})`);
  if (weight.shape[2] !== bias.shape[0]) throw new KindlingError(`conv_tbc: Bias size must equal dim 2 in the weight tensor (output channels) (${bias.shape[0]} and ${weight.shape[2]})`);
  if (!Number.isInteger(pad) || pad < 0) throw new KindlingError(`conv_tbc: pad must be a whole number ≥ 0, got ${pad}`);
  const out = conv1d(input.permute([1, 2, 0]), weight.permute([2, 1, 0]), bias, { padding: pad }).permute([2, 0, 1]);
  return twice(record(new Tensor(out.toArray(), out.shape), 'convTbc', [out], (g) => [g], [], 'ConvTbcBackward0'), (g) => [g]);
}
