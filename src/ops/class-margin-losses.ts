// PyTorch 1.13's multi-class margin losses with their own CPU kernels (LossMultiMargin.cpp, LossMultiLabelMargin.cpp),
// reproduced loop for loop in float32 so values are its bits, with their backward nodes MultiMarginLossBackward0 and
// MultilabelMarginLossBackward0.
import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { composedTwice, twice, zeroEdge } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkReduction, type Reduction } from './reduction.js';
import { checkTensor } from './util.js';

const f = Math.fround;

export interface MultiMarginLossOptions {
  /** 1 (default) or 2: the hinge or its square. */
  readonly p?: number;
  /** Default 1. */
  readonly margin?: number;
  /** A weight per class, applied by the target's class, or null. */
  readonly weight?: Tensor | null;
  /** 'mean' (default), 'sum' or 'none'. */
  readonly reduction?: Reduction;
}

/** [frames, dim] of a 0-D, 1-D or [N, C] input, refused otherwise with PyTorch's message. */
function frames(input: Tensor): [number, number] {
  if (input.ndim === 0) return [1, 1];
  if (input.ndim === 1 && input.shape[0]! > 0) return [1, input.shape[0]!];
  if (input.ndim === 2 && input.shape[1]! > 0) return [input.shape[0]!, input.shape[1]!];
  throw new KindlingError(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: [${input.shape.join(', ')}]`);
}

/** The samples' losses, or their sum or mean, added in double (PyTorch's CPU accumulation type) and rounded once. */
function reduced(perFrame: Float32Array, reduction: Reduction, shape: readonly number[]): Tensor {
  if (reduction === 'none') return new Tensor(perFrame, shape);
  let sum = 0;
  for (const v of perFrame) sum += v;
  return new Tensor(Float32Array.of(reduction === 'mean' ? sum / perFrame.length : sum), []);
}

/**
 * PyTorch's `F.multi_margin_loss(input, target, p=1, margin=1, weight=None)`: for each sample,
 * Σ_{i ≠ y} max(0, margin − x[y] + x[i])^p · w[y] / C; input [N, C] (or [C]) and class indices [N] (or 0-D).
 */
export function multiMarginLoss(input: Tensor, target: Tensor, options: MultiMarginLossOptions = {}): Tensor {
  const where = 'multiMarginLoss';
  checkTensor(input, where);
  checkTensor(target, where, 'target');
  const o = checkOptions<MultiMarginLossOptions>(where, options, ['p', 'margin', 'weight', 'reduction']);
  const p = o.p ?? 1;
  if (p !== 1 && p !== 2) throw new KindlingError('only p == 1 and p == 2 supported');
  const margin = o.margin ?? 1;
  if (typeof margin !== 'number' || Number.isNaN(margin)) throw new TypeError(`${where}: margin must be a number, got ${describeValue(margin)}`);
  const weight = o.weight ?? null;
  if (weight !== null) {
    checkTensor(weight, where, 'weight');
    if (weight.ndim !== 1) throw new KindlingError(`weight must be one-dimensional (multiMarginLoss: one weight per class), got shape [${weight.shape.join(', ')}]`);
    if (weight.requiresGrad && isGradEnabled()) {
      throw new KindlingError("The function 'multi_margin_loss' is not differentiable with respect to argument 'weight'. This input cannot have requires_grad True.");
    }
  }
  const reduction = checkReduction(o.reduction ?? 'mean', where);
  const [n, dim] = frames(input);
  if (target.numel() !== n || target.ndim > 1) throw new KindlingError(`inconsistent target size, got: [${target.shape.join(', ')}]`);
  const x = input.values();
  const t = target.values();
  const w = weight === null ? null : weight.values();
  const m = f(margin);
  for (const y of t) {
    if (!Number.isInteger(y) || y < 0 || y >= dim) throw new KindlingError('target out of range');
    if (w !== null && y >= w.length) throw new KindlingError(`${where}: the weight has ${w.length} classes, but a target is class ${y}`);
  }
  const perFrame = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    const y = t[s]!;
    const xy = x[s * dim + y]!;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      if (d === y) continue;
      const z = f(f(m - xy) + x[s * dim + d]!);
      if (z > 0) {
        let h = p === 1 ? z : f(z * z);
        if (w !== null) h = f(h * w[y]!);
        sum = f(sum + h);
      }
    }
    perFrame[s] = f(sum / dim);
  }
  // PyTorch's kernel: one loss per frame unless the target is 0-d (then one, as a scalar).
  const out = reduced(perFrame, reduction, target.ndim > 0 ? [n] : []);
  const node = record(out, where, [input], (g) => {
    const gv = g.values();
    const scale = f(reduction === 'mean' ? 1 / (n * dim) : 1 / dim);
    const grad = new Float32Array(x.length);
    for (let s = 0; s < n; s++) {
      const y = t[s]!;
      const xy = x[s * dim + y]!;
      let gy = 0;
      for (let d = 0; d < dim; d++) {
        if (d === y) continue;
        const z = f(f(m - xy) + x[s * dim + d]!);
        if (z > 0) {
          let h = p === 1 ? scale : f(f(2 * scale) * z);
          if (w !== null) h = f(h * w[y]!);
          gy = f(gy - h);
          grad[s * dim + d] = h;
        }
      }
      grad[s * dim + y] = gy;
      const go = reduction === 'none' ? gv[s]! : gv[0]!;
      for (let d = 0; d < dim; d++) grad[s * dim + d] = f(grad[s * dim + d]! * go);
    }
    return [new Tensor(grad, input.shape)];
  }, [input], 'MultiMarginLossBackward0');
  // Its gradient's graph: the loss written with ops (relu of the margins, squared for p = 2), differentiated.
  return composedTwice(node, (inp) => {
    const rows = inp.reshape([n, dim]);
    const picked = Float32Array.from(t);
    const xy = rows.gather(1, new Tensor(picked, [n, 1]));
    const margins = rows.sub(xy).add(m).relu();
    const others = new Tensor(Float32Array.from({ length: n * dim }, (_, k) => (k % dim === t[Math.floor(k / dim)] ? 0 : 1)), [n, dim]);
    let h = (p === 1 ? margins : margins.mul(margins)).mul(others);
    if (w !== null) h = h.mul(new Tensor(Float32Array.from(t, (y) => w[y]!), [n, 1]));
    const frames = h.sum(1).div(dim);
    if (reduction === 'mean') return frames.mean();
    if (reduction === 'sum') return frames.sum();
    return input.ndim === 2 ? frames : frames.reshape([]);
  });
}

/**
 * PyTorch's `F.multilabel_margin_loss(input, target)`: target [N, C] (or [C]) holds each sample's classes, ended by
 * the first −1; the loss is Σ_{j ∈ targets} Σ_{i ∉ targets} max(0, 1 − x[j] + x[i]) / C.
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, options: { readonly reduction?: Reduction } = {}): Tensor {
  const where = 'multilabelMarginLoss';
  checkTensor(input, where);
  checkTensor(target, where, 'target');
  const o = checkOptions<{ reduction?: Reduction }>(where, options, ['reduction']);
  const reduction = checkReduction(o.reduction ?? 'mean', where);
  const [n, dim] = frames(input);
  const sameShape = target.ndim === input.ndim && target.shape.every((s, i) => s === input.shape[i]);
  if (!sameShape) throw new KindlingError(`inconsistent size [${target.shape.join(', ')}] for argument #2 'target'`);
  const x = input.values();
  const t = target.values();
  for (const y of t) if (!Number.isInteger(y) || y < -1 || y >= dim) throw new KindlingError("argument #2 'target' is out of range");
  const isTarget = new Uint8Array(x.length);
  const classes: number[][] = [];
  for (let s = 0; s < n; s++) {
    const list: number[] = [];
    for (let k = 0; k < dim; k++) {
      const y = t[s * dim + k]!;
      if (y < 0) break;
      list.push(y);
      isTarget[s * dim + y] = 1;
    }
    classes.push(list);
  }
  const perFrame = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    let sum = 0;
    for (const y of classes[s]!) {
      const xy = x[s * dim + y]!;
      for (let d = 0; d < dim; d++) {
        if (isTarget[s * dim + d]) continue;
        const z = f(f(1 - xy) + x[s * dim + d]!);
        if (z > 0) sum = f(sum + z);
      }
    }
    perFrame[s] = f(sum / dim);
  }
  // PyTorch's kernel: one loss per frame for a batch [N, C]; an unbatched [C] (or 0-d) sample's loss is 0-d, as
  // PyTorch 1.13 resizes the output to {} whenever the target has at most one dimension.
  const out = reduced(perFrame, reduction, target.ndim > 1 ? [n] : []);
  const back = (g: Tensor): Tensor[] => {
    const gv = g.values();
    const scale = f(reduction === 'mean' ? 1 / (n * dim) : 1 / dim);
    const grad = new Float32Array(x.length);
    for (let s = 0; s < n; s++) {
      for (const y of classes[s]!) {
        const xy = x[s * dim + y]!;
        for (let d = 0; d < dim; d++) {
          if (isTarget[s * dim + d]) continue;
          const z = f(f(1 - xy) + x[s * dim + d]!);
          if (z > 0) {
            grad[s * dim + y] = f(grad[s * dim + y]! - scale);
            grad[s * dim + d] = f(grad[s * dim + d]! + scale);
          }
        }
      }
      const go = reduction === 'none' ? gv[s]! : gv[0]!;
      for (let d = 0; d < dim; d++) grad[s * dim + d] = f(grad[s * dim + d]! * go);
    }
    return [new Tensor(grad, input.shape)];
  };
  // Piecewise linear: its gradient is g times a pattern fixed by which margins are active (zero second derivative).
  return twice(record(out, where, [input], back, [input], 'MultilabelMarginLossBackward0'), (g) => {
    const pattern = back(new Tensor(new Float32Array(g.numel()).fill(1), g.shape))[0]!;
    return [zeroEdge(pattern.mul(g.ndim === 1 ? g.unsqueeze(1) : g), input)];
  });
}
