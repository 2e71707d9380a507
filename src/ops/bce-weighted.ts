/**
 * `bceLoss` with PyTorch 1.13's `weight`: a separate path, so the plain loss (ops/loss.ts) keeps its loop. Each
 * step is rounded to float32 in PyTorch's order: the element's loss (y − 1)·max(log(1 − x), −100) −
 * y·max(log x, −100), then `· weight`, then the reduction; the input's gradient g·(x − y) / max((1 − x)·x, 1e-12),
 * then `· weight`, then `/ n` for 'mean'; the target's (PyTorch 1.13 differentiates it) −logit(x)·g·weight (/ n).
 */
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { transientFloat32 } from '../kernels/transient.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastWeight } from './bce-options.js';
import type { Reduction } from './reduction.js';
import { empty } from './util.js';

const f32 = Math.fround;
const EPSILON = f32(1e-12);

/** Sum (or mean) of `l` as one value; `l` itself for 'none'. */
export function reduceElements(l: Float32Array, shape: readonly number[], reduction: Reduction): Tensor {
  if (reduction === 'none') return new Tensor(l, shape);
  let s = 0;
  for (let i = 0; i < l.length; i++) s += l[i]!;
  return new Tensor(new Float32Array([reduction === 'mean' ? s / l.length : s]), []);
}

/** PyTorch's refusal of a probability outside [0, 1], from `op` (bceLoss, or binaryCrossEntropy as the user called it). */
export function outOfRange(op: string, i: number, xi: number): RangeError {
  const logits = op === 'bceLoss' ? 'bceWithLogitsLoss' : 'binaryCrossEntropyWithLogits';
  return new RangeError(`${op}: all elements of input should be between 0 and 1 (element ${i} is ${xi}); use ${logits} for raw scores`);
}

/** The weighted BCE of probabilities `input` against `target` (same shape, checked), `weight` broadcast to it. */
export function weightedBceLoss(input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor, op = 'bceLoss'): Tensor {
  const w = broadcastWeight(weight, input.shape, 'weight', op);
  const x = input.values();
  const y = target.values();
  const n = x.length;
  const l = transientFloat32(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (!(xi >= 0 && xi <= 1)) throw outOfRange(op, i, xi);
    const logX = Math.max(f32(Math.log(xi)), -100);
    const log1mX = Math.max(f32(Math.log(f32(1 - xi))), -100);
    const yi = y[i]!;
    l[i] = f32(f32(f32(f32(yi - 1) * log1mX) - f32(yi * logX)) * w[i]!);
  }
  const out = reduceElements(l, input.shape, reduction);
  const node = record(out, 'bceLoss', [input, target], (g) => {
    const G = g.data;
    const gi = input.requiresGrad ? empty(input.shape) : null;
    const gt = target.requiresGrad ? empty(target.shape) : null;
    for (let i = 0; i < n; i++) {
      const gv = reduction === 'none' ? G[i]! : G[0]!;
      const xi = x[i]!;
      if (gi !== null) {
        const d = f32(f32(f32(gv * f32(xi - y[i]!)) / Math.max(f32(f32(1 - xi) * xi), EPSILON)) * w[i]!);
        gi.data[i] = reduction === 'mean' ? f32(d / n) : d;
      }
      if (gt !== null) {
        const d = f32(f32(-f32(Math.log(f32(xi / f32(1 - xi)))) * gv) * w[i]!);
        gt.data[i] = reduction === 'mean' ? f32(d / n) : d;
      }
    }
    return [gi, gt];
  }, [input, target, weight], 'BinaryCrossEntropyBackward0');
  // The gradient's graph (createGraph): the same formulas with ops, the weight a constant (it takes no gradient).
  return twice(node, (g) => {
    const scaled = (reduction === 'mean' ? g.div(n) : g).mul(new Tensor(Float32Array.from(w), input.shape));
    const one = input.neg().add(1);
    return [
      input.requiresGrad ? input.sub(target).mul(scaled).div(one.mul(input).clamp(1e-12, null)) : null,
      target.requiresGrad ? one.log().sub(input.log()).mul(scaled) : null,
    ];
  });
}
