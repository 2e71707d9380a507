/**
 * RReLU, the randomized leaky ReLU, as PyTorch 1.13's CPU `rrelu_with_noise` computes it on float32
 * (aten/src/ATen/native/Activation.cpp). In training, each element ≤ 0 (in row-major order; NaN is not ≤ 0) draws
 * its own slope: a float64 uniform in [lower, upper) from the generator's 53-bit draw (its
 * `uniform_real_distribution<double>`, with the bounds first rounded to float32), rounded to float32; the element
 * is multiplied by it and the slope kept as its "noise" (1 for the others). So after `manualSeed(s)` the slopes are
 * PyTorch's. Outside training the slope is the bounds' mean, a plain leaky ReLU. The backward pass multiplies by the
 * noise in training (even with bounds closer than 1e-6, where PyTorch's older kernels took the mean slope: 1.13
 * does not), and by the mean slope for x ≤ 0 otherwise. Its node is PyTorch's
 * RreluWithNoiseBackward0. test/golden/rrelu.test.ts compares it with PyTorch.
 */
import { record } from '../autograd/record.js';
import { twice, zeroEdge } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { leakyRelu as leakyReluKernel, leakyReluBackward } from '../kernels/elementwise.js';
import { describeValue } from '../options.js';
import { getDefaultGenerator, type Generator } from '../random.js';
import { float32Scalar } from '../tensor/float32-scalar.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

const f = Math.fround;

/** PyTorch's defaults, 1/8 and 1/3. */
export const RRELU_LOWER = 1 / 8;
export const RRELU_UPPER = 1 / 3;

/** Checks the bounds (finite numbers, lower ≤ upper in PyTorch's words) and returns them. */
export function rreluBounds(where: string, lower: unknown, upper: unknown): [number, number] {
  for (const [name, v] of [['lower', lower], ['upper', upper]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${where}: ${name} must be a finite number, got ${describeValue(v)}`);
    float32Scalar(where, name, v);
  }
  if (!((lower as number) <= (upper as number))) {
    throw new KindlingError(`Lower bound should be less than or equal to the upper bound (${where}: lower = ${String(lower)}, upper = ${String(upper)})`);
  }
  return [lower as number, upper as number];
}

/** RReLU of x (see the file's comment); `generator` defaults to the global one. */
export function rrelu(x: Tensor, lower = RRELU_LOWER, upper = RRELU_UPPER, training = false, generator?: Generator): Tensor {
  checkTensor(x, 'rrelu');
  rreluBounds('rrelu', lower, upper);
  if (typeof training !== 'boolean') throw new TypeError(`rrelu: training must be true or false, got ${describeValue(training)}`);
  const xv = x.values();
  const n = xv.length;
  const out = empty(x.shape);
  const o = out.data;
  // PyTorch's mean slope is computed in float64, as its scalar tensors, and rounded to float32 by the kernel.
  const mean = (lower + upper) / 2;
  if (!training) {
    leakyReluKernel(xv, mean, o);
    const node = record(out, 'rrelu', [x], (g) => {
      const gx = empty(x.shape);
      leakyReluBackward(xv, mean, g.data, gx.data);
      return [gx];
    }, [x], 'RreluWithNoiseBackward0');
    // g times the slope (1, or the mean slope), fixed: a zero second derivative.
    return twice(node, (g) => [zeroEdge(g.mul(new Tensor(Float32Array.from(xv, (v) => (v > 0 ? 1 : mean)), x.shape)), x)]);
  }
  const gen = generator ?? getDefaultGenerator();
  const from = f(lower);
  const span = f(upper) - from;
  const noise = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = xv[i]!;
    if (v <= 0) {
      const r = f(gen.uniform64() * span + from);
      o[i] = v * r;
      noise[i] = r;
    } else {
      o[i] = v;
      noise[i] = 1;
    }
  }
  const node = record(out, 'rrelu', [x], (g) => {
    const gx = empty(x.shape);
    const G = g.data;
    const GX = gx.data;
    for (let i = 0; i < n; i++) GX[i] = G[i]! * noise[i]!;
    return [gx];
  }, [x], 'RreluWithNoiseBackward0');
  // g times the drawn slopes, fixed: a zero second derivative.
  return twice(node, (g) => [zeroEdge(g.mul(new Tensor(noise, x.shape)), x)]);
}
