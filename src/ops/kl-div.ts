/**
 * Kullback–Leibler divergence, as PyTorch 1.13's `kl_div`: the input holds log-probabilities, the target
 * probabilities (or, with `logTarget`, log-probabilities), and each element's loss is y·(log y − x), computed as
 * PyTorch computes it: xlogy(y, y) − y·x (0 where y = 0), or exp(y)·(y − x) with `logTarget`.
 */
import { twice } from '../autograd/twice.js';
import { maskOf } from './mask.js';
import { record } from '../autograd/record.js';
import { isGradRecording } from '../autograd/grad-mode.js';
import { transientFloat32 } from '../kernels/transient.js';
import { checkOptions, describeValue } from '../options.js';
import { broadcastShapes, formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { div } from './binary.js';
import { mean, sum } from './reduce.js';
import { checkTensor } from './util.js';
import { warnOnce } from '../warn.js';

/** `klDiv`'s reductions: a loss's, and 'batchmean', the sum divided by the input's first dimension. */
export type KlDivReduction = 'mean' | 'batchmean' | 'sum' | 'none';

/** The options of `klDiv` / `KLDivLoss`. */
export interface KlDivLossOptions {
  /** 'mean' (the default, as PyTorch's: the mean over every element, with a warning), 'batchmean', 'sum' or 'none'. */
  reduction?: KlDivReduction;
  /** Whether the target holds log-probabilities (default false: probabilities), PyTorch's `log_target`. */
  logTarget?: boolean;
}

export const KL_DIV_OPTIONS = ['reduction', 'logTarget'] as const;

/** `r` as a reduction of `klDiv`; throws, naming the op, for anything else. */
export function checkKlDivReduction(r: unknown, op: string): KlDivReduction {
  if (r !== 'mean' && r !== 'batchmean' && r !== 'sum' && r !== 'none') {
    throw new RangeError(`${op}: reduction must be 'mean', 'batchmean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  }
  return r;
}

/** `klDiv` options checked: no other key; defaults filled in. */
export function klDivOptions(options: KlDivLossOptions | undefined, op: string): { reduction: KlDivReduction; logTarget: boolean } {
  const o = checkOptions<KlDivLossOptions>(op, options, KL_DIV_OPTIONS);
  const reduction = checkKlDivReduction(o.reduction ?? 'mean', op);
  const logTarget = o.logTarget === undefined ? false : o.logTarget;
  if (logTarget !== true && logTarget !== false) throw new TypeError(`${op}: logTarget must be true or false, got ${describeValue(logTarget)}`);
  return { reduction, logTarget };
}

/** PyTorch's warning for kl_div's default reduction 'mean': once per process, as Python shows it (one line in F.kl_div). */
function warnMean(): void {
  warnOnce(
    "klDiv: reduction 'mean' divides the total loss by both the batch size and the support size (as PyTorch's default " +
      "does, with this warning); 'batchmean' divides only by the batch size, which is the KL divergence: pass " +
      "{ reduction: 'batchmean' }",
  );
}

/** xlogy(y, y) = y·log y, 0 where y = 0 and NaN for a NaN y, in float32, as PyTorch's kernel. */
function xlogy(y: number): number {
  if (y !== y) return NaN;
  if (y === 0) return 0;
  return Math.fround(y * Math.fround(Math.log(y)));
}

/**
 * The elementwise losses of `input` and `target` (same shape), one node named as PyTorch's last one: SubBackward0
 * (xlogy(y, y) − y·x), MulBackward0 with `logTarget` (exp(y)·(y − x)). The gradients are PyTorch's: −y (−exp(y)) for
 * the input; log y + y/y − x for the target (log y taken as 0 at y = 0, where y/y makes it NaN, as in PyTorch), or
 * exp(y)·(y − x) + exp(y) with `logTarget`.
 */
function pointwise(input: Tensor, target: Tensor, logTarget: boolean): Tensor {
  const x = input.values();
  const y = target.values();
  const n = x.length;
  const l = transientFloat32(n);
  for (let i = 0; i < n; i++) {
    const t = y[i]!;
    l[i] = logTarget
      ? Math.fround(Math.fround(Math.exp(t)) * Math.fround(t - x[i]!))
      : Math.fround(xlogy(t) - Math.fround(t * x[i]!));
  }
  const out = new Tensor(l, input.shape);
  if (!isGradRecording() || !(input.requiresGrad || target.requiresGrad)) return out;
  // What PyTorch's nodes save: exp(y)·(y − x) only its own intermediates; xlogy(y, y) − y·x the target, and the input
  // for the target's gradient.
  const saved = logTarget ? [] : target.requiresGrad ? [input, target] : [target];
  return twice(record(out, 'klDiv', [input, target], (g) => {
    const G = g.data;
    const gi = input.requiresGrad ? new Tensor(transientFloat32(n), input.shape) : null;
    const gt = target.requiresGrad ? new Tensor(transientFloat32(n), target.shape) : null;
    for (let i = 0; i < n; i++) {
      const t = y[i]!;
      const gv = G[i]!;
      if (logTarget) {
        const e = Math.fround(Math.exp(t));
        if (gi !== null) gi.data[i] = -(gv * e);
        if (gt !== null) gt.data[i] = gv * Math.fround(t - x[i]!) * e + gv * e;
      } else {
        if (gi !== null) gi.data[i] = -(gv * t);
        if (gt !== null) gt.data[i] = gv * ((t !== 0 ? Math.fround(Math.log(t)) : 0) + t / t) - gv * x[i]!;
      }
    }
    return [gi, gt];
  }, saved, logTarget ? 'MulBackward0' : 'SubBackward0'), (g) => {
    // The same formulas with recorded ops (the gradient's graph, createGraph); log y taken of 1 where y is 0.
    if (logTarget) {
      const ge = g.mul(target.exp());
      return [input.requiresGrad ? ge.neg() : null, target.requiresGrad ? ge.mul(target.sub(input)).add(ge) : null];
    }
    const logY = (): Tensor => target.where(maskOf(y, target.shape, (t) => t !== 0), 1).log();
    return [input.requiresGrad ? g.mul(target).neg() : null, target.requiresGrad ? g.mul(logY().add(target.div(target))).sub(g.mul(input)) : null];
  });
}

/**
 * KL divergence of the target distribution from the input's, like `torch.nn.functional.kl_div`: `input` holds
 * log-probabilities, `target` probabilities (0·log 0 counts as 0) or, with `logTarget`, log-probabilities. As in
 * PyTorch 1.13: input and target broadcast together (without a warning); 'mean' (the default) is the mean over every
 * element, with a warning (once) that 'batchmean', the sum divided by the input's first dimension (the sum for a 0-d
 * input), is the KL divergence; 'sum' and 'none' as for the other losses.
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivLossOptions = {}): Tensor {
  const { reduction, logTarget } = klDivOptions(options, 'klDiv');
  checkTensor(input, 'klDiv');
  checkTensor(target, 'klDiv', 'target');
  let x = input;
  let y = target;
  if (!sameShape(input.shape, target.shape)) {
    let shape: number[];
    try {
      shape = broadcastShapes(input.shape, target.shape, 'klDiv');
    } catch {
      throw new RangeError(`klDiv: target shape ${formatShape(target.shape)} does not broadcast with input shape ${formatShape(input.shape)}`);
    }
    x = input.expand(...shape);
    y = target.expand(...shape);
  }
  const l = pointwise(x, y, logTarget);
  if (reduction === 'none') return l;
  if (reduction === 'sum') return sum(l);
  if (reduction === 'mean') {
    warnMean();
    return mean(l);
  }
  // 'batchmean': PyTorch divides by input.size(0), the input's own first dimension, whatever the target broadcast it to.
  return input.ndim === 0 ? sum(l) : div(sum(l), input.shape[0]!, 'DivBackward0');
}
