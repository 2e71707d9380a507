/**
 * `bceWithLogitsLoss` with PyTorch 1.13's `weight` and `posWeight`: a separate path, so the plain loss keeps its
 * own. PyTorch 1.13's CPU formula, each step rounded to float32 in its order (aten/src/ATen/native/Loss.cpp):
 * with m = max(−x, 0) and lw = (posWeight − 1)·y + 1, the loss is (1 − y)·x + lw·(log(exp(−m) + exp(−x − m)) + m)
 * (without posWeight, (1 − y)·x + m + log(exp(−m) + exp(−x − m))), then `· weight`, then the reduction. The input's
 * gradient is ((posWeight·y + 1 − y)·σ(x) − posWeight·y)·g (without posWeight (σ(x) − y)·g), then `· weight`, then
 * `/ n` for 'mean'; the target's is (log σ(−x) − posWeight·log σ(x))·g (without posWeight −x·g), then the same.
 */
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { transientFloat32 } from '../kernels/transient.js';
import { Tensor } from '../tensor/tensor.js';
import { softplus } from './activations-more.js';
import { broadcastWeight } from './bce-options.js';
import { reduceElements } from './bce-weighted.js';
import type { Reduction } from './reduction.js';
import { empty } from './util.js';

const f32 = Math.fround;

/** log σ(z) in float32, as PyTorch's CPU log_sigmoid: −(m + log(exp(−m) + exp(−z − m))) with m = max(−z, 0). */
function logSigmoid(z: number): number {
  // At ±∞ the form below meets ∞ − ∞; PyTorch's gives log σ(∞) = 0 and log σ(−∞) = −∞.
  if (z === Infinity) return -0;
  if (z === -Infinity) return -Infinity;
  const m = Math.max(-z, 0);
  return -f32(m + f32(Math.log(f32(f32(Math.exp(-m)) + f32(Math.exp(f32(-z - m)))))));
}

/** The weighted BCE of scores `input` against `target` (same shape, checked); `weight`, `posWeight` broadcast to it. */
export function weightedBceWithLogitsLoss(input: Tensor, target: Tensor, reduction: Reduction, weight: Tensor | undefined, posWeight: Tensor | undefined, called = 'bceWithLogitsLoss'): Tensor {
  const op = 'bceWithLogitsLoss';
  const w = weight === undefined ? null : broadcastWeight(weight, input.shape, 'weight', called);
  const pw = posWeight === undefined ? null : broadcastWeight(posWeight, input.shape, 'posWeight', called);
  const x = input.values();
  const y = target.values();
  const n = x.length;
  const l = transientFloat32(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    const m = Math.max(-xi, 0);
    const logSum = f32(Math.log(f32(f32(Math.exp(-m)) + f32(Math.exp(f32(-xi - m))))));
    const lin = f32(f32(1 - yi) * xi);
    let li: number;
    if (pw === null) {
      li = f32(f32(lin + m) + logSum);
    } else {
      const lw = f32(f32(f32(pw[i]! - 1) * yi) + 1);
      li = f32(lin + f32(lw * f32(logSum + m)));
    }
    l[i] = w === null ? li : f32(li * w[i]!);
  }
  const out = reduceElements(l, input.shape, reduction);
  const saved = [input, target, ...(weight === undefined ? [] : [weight]), ...(posWeight === undefined ? [] : [posWeight])];
  const node = record(out, op, [input, target], (g) => {
    const G = g.data;
    const gi = input.requiresGrad ? empty(input.shape) : null;
    const gt = target.requiresGrad ? empty(target.shape) : null;
    const finish = (d: number, i: number): number => {
      const dw = w === null ? d : f32(d * w[i]!);
      return reduction === 'mean' ? f32(dw / n) : dw;
    };
    for (let i = 0; i < n; i++) {
      const gv = reduction === 'none' ? G[i]! : G[0]!;
      const xi = x[i]!;
      const yi = y[i]!;
      if (gi !== null) {
        const sig = f32(1 / f32(1 + f32(Math.exp(-xi))));
        let d: number;
        if (pw === null) {
          d = f32(f32(sig - yi) * gv);
        } else {
          const t = f32(pw[i]! * yi);
          d = f32(f32(f32(f32(f32(t + 1) - yi) * sig) - t) * gv);
        }
        gi.data[i] = finish(d, i);
      }
      if (gt !== null) {
        const d = pw === null ? f32(-xi * gv) : f32(f32(logSigmoid(-xi) - f32(logSigmoid(xi) * pw[i]!)) * gv);
        gt.data[i] = finish(d, i);
      }
    }
    return [gi, gt];
  }, saved, 'BinaryCrossEntropyWithLogitsBackward0');
  // The gradient's graph (createGraph): the same formulas with ops; weight and posWeight are constants.
  return twice(node, (g) => {
    let scaled = reduction === 'mean' ? g.div(n) : g;
    if (w !== null) scaled = scaled.mul(new Tensor(Float32Array.from(w), input.shape));
    const p = pw === null ? null : new Tensor(Float32Array.from(pw), input.shape);
    const gi = p === null
      ? input.sigmoid().sub(target)
      : p.mul(target).add(1).sub(target).mul(input.sigmoid()).sub(p.mul(target));
    const gt = p === null ? input.neg() : logSigmoidOf(input.neg()).sub(logSigmoidOf(input).mul(p));
    return [input.requiresGrad ? gi.mul(scaled) : null, target.requiresGrad ? gt.mul(scaled) : null];
  });
}

/**
 * log σ(z) with ops, −softplus(−z): finite for every finite z and ∓∞-safe, where the loss's own stable form
 * −(m + log(exp(−m) + exp(−z − m))) gives ∞ − ∞ = NaN at z = −∞ (PyTorch's log_sigmoid: −∞, with the gradient 1).
 */
function logSigmoidOf(z: Tensor): Tensor {
  return softplus(z.neg()).neg();
}
