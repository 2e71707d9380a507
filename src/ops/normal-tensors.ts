// PyTorch 1.13's torch.normal with a tensor of means and/or of standard deviations (normal.Tensor_float,
// normal.float_Tensor, normal.Tensor_Tensor): the shape PyTorch gives the result, its draws (one normal_ fill of
// the new contiguous result, so the vectorised kernel from 16 values on) and its float32 arithmetic after them.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { describeValue } from '../options.js';
import type { Generator } from '../random.js';
import { broadcastShapes, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { empty } from './util.js';
import { expand } from './view.js';
import { noGrad } from '../autograd/grad-mode.js';

/** `t`'s values broadcast to `shape`, row-major. */
function broadcastValues(t: Tensor, shape: readonly number[]): Float32Array {
  return noGrad(() => expand(t, shape)).values();
}

/**
 * torch.normal(mean, std) where mean or std (or both) is a tensor. The result's shape is mean's (with a number
 * std), std's (with a number mean), or both broadcast together. As PyTorch, the result is first filled as
 * normal_(0, std) (number std) or normal_(0, 1), then mean is added (float32), or the values are multiplied by
 * std and mean added (two float32 roundings). A mean or std that requires grad gets a zero gradient, as PyTorch's
 * NormalBackward1, 2 and 3 give. @internal
 */
export function normalTensors(mean: Tensor | number, std: Tensor | number, gen: Generator, requiresGrad: boolean): Tensor {
  if (typeof mean === 'number' && Number.isNaN(mean)) throw new TypeError(`normal: mean must be a number or a tensor, got ${describeValue(mean)}`);
  if (typeof std === 'number' && Number.isNaN(std)) throw new TypeError(`normal: std must be a number or a tensor, got ${describeValue(std)}`);
  if (std instanceof Tensor) {
    const s = std.values();
    for (let i = 0; i < s.length; i++) if (!(s[i]! >= 0)) throw new RangeError('normal expects all elements of std >= 0.0');
  } else if (!(std >= 0)) {
    throw new RangeError(`normal expects std >= 0.0, but found std ${std}`);
  }
  let shape: number[];
  let torchName: string;
  if (mean instanceof Tensor && std instanceof Tensor) {
    shape = broadcastShapes(mean.shape, std.shape, 'normal');
    torchName = 'NormalBackward3';
  } else if (mean instanceof Tensor) {
    shape = [...mean.shape];
    torchName = 'NormalBackward1';
  } else {
    shape = [...(std as Tensor).shape];
    torchName = 'NormalBackward2';
  }
  const n = numel(shape);
  const out = new Float32Array(n);
  if (typeof std === 'number') {
    gen.normalFill(out, 0, std);
    const m = broadcastValues(mean as Tensor, shape);
    for (let i = 0; i < n; i++) out[i] = out[i]! + m[i]!;
  } else {
    gen.normalFill(out, 0, 1);
    const s = broadcastValues(std, shape);
    if (mean instanceof Tensor) {
      const m = broadcastValues(mean, shape);
      for (let i = 0; i < n; i++) out[i] = Math.fround(out[i]! * s[i]!) + m[i]!;
    } else {
      const m = Math.fround(mean);
      for (let i = 0; i < n; i++) out[i] = Math.fround(out[i]! * s[i]!) + m;
    }
  }
  const result = new Tensor(out, shape, { requiresGrad });
  const inputs = [mean, std].filter((x): x is Tensor => x instanceof Tensor);
  if (requiresGrad || !inputs.some((x) => x.requiresGrad)) return result;
  // PyTorch 1.13's gradient is zero (the draws are not reparametrised), and so is its own derivative (createGraph).
  const zeros = (): (Tensor | null)[] => inputs.map((x) => (x.requiresGrad ? empty(x.shape) : null));
  return twice(record(result, 'normal', inputs, zeros, [], torchName), zeros);
}
