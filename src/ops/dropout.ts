import { twice } from '../autograd/twice.js';
import { record } from '../autograd/record.js';
import { bernoulliDraws } from './bernoulli-draws.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { checkTensor, empty } from './util.js';

/** PyTorch's keywords of `F.dropout`, as one object. */
export interface DropoutOptions {
  p?: number;
  training?: boolean;
  generator?: Generator;
}

/**
 * Dropout as PyTorch 1.13 computes it on the CPU: each element is kept with probability 1 − p (a double drawn from
 * the generator below 1 − p, one per element in row-major order, as its `bernoulli_`) and scaled by 1 / (1 − p)
 * rounded to float32; the others become 0. So after `manualSeed(s)` the mask is PyTorch's. Outside training, or
 * with p = 0, it returns its input unchanged; with p = 1, zeros.
 */
export function dropout(x: Tensor, p: number | DropoutOptions = 0.5, training = true, generator?: Generator): Tensor {
  checkTensor(x, 'dropout');
  // PyTorch's keywords as one object: F.dropout(x, { p: 0.2, training: model.training }).
  if (isPlainObject(p)) {
    if (arguments.length > 2) throw new TypeError('dropout: after the options object nothing may follow; put training and generator in it: F.dropout(x, { p, training, generator })');
    const o = checkOptions<DropoutOptions>('dropout', p, ['p', 'training', 'generator']);
    return dropout(x, o.p ?? 0.5, o.training ?? true, o.generator);
  }
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${describeValue(p)}`);
  if (typeof training !== 'boolean') throw new TypeError(`dropout: training must be true or false, got ${describeValue(training)}`);
  if (!training || p === 0) return x;
  const xv = x.values();
  const n = xv.length;
  const noise = new Float32Array(n);
  if (p < 1) {
    const keep = 1 - p;
    const scale = Math.fround(1 / Math.fround(keep));
    bernoulliDraws(generator ?? getDefaultGenerator(), keep, scale, noise);
  }
  const out = empty(x.shape);
  const o = out.data;
  for (let i = 0; i < n; i++) o[i] = xv[i]! * noise[i]!;
  // The gradient's graph (createGraph): the gradient times the same scaled mask, a constant.
  return twice(record(out, 'dropout', [x], (g) => {
    const gx = empty(x.shape);
    const G = g.data;
    const GX = gx.data;
    for (let i = 0; i < n; i++) GX[i] = G[i]! * noise[i]!;
    return [gx];
    // PyTorch's dropout is the product of the input and the scaled mask: MulBackward0.
  }, undefined, 'MulBackward0'), (g) => [g.mul(new Tensor(noise, x.shape))]);
}
