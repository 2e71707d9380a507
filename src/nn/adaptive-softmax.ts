/**
 * PyTorch's `nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value=4.0, head_bias=False)`: an
 * efficient softmax over many classes (Grave et al.): the `cutoffs` split the classes into a shortlist, scored by the
 * `head` together with one entry per cluster, and clusters scored by their own smaller `tail` projections (each
 * `in / divValue^(i+1)` wide). `forward(input, target)` returns the target's log-probability per row and the mean
 * loss; `logProb(input)` every class's; `predict(input)` the most likely class. Layers drawn in PyTorch's order.
 */
import { KindlingError } from '../errors.js';
import { describeValue, checkOptions } from '../options.js';
import { withoutFactoryKwargs, type FactoryKwargs } from '../device.js';
import { cat } from '../ops/join.js';
import { tensor, zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { ModuleList } from './module-list.js';
import { Sequential } from './sequential.js';

/** What `forward` returns, PyTorch's `_ASMoutput(output, loss)`: also `const [output, loss] = …`. */
export class ASMOutput {
  constructor(readonly output: Tensor, readonly loss: Tensor) {}
  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.output;
    yield this.loss;
  }
}

export interface AdaptiveLogSoftmaxOptions extends FactoryKwargs {
  /** How much narrower each cluster's projection is than the one before (default 4). */
  readonly divValue?: number;
  /** Give the head a bias (default false). */
  readonly headBias?: boolean;
}

/** Whole numbers from a target tensor, or an error naming the value that is not. */
function targetValues(t: Tensor): number[] {
  const v = [...t.values()];
  const bad = v.find((x) => !Number.isInteger(x));
  if (bad !== undefined) throw new TypeError(`AdaptiveLogSoftmaxWithLoss: the target holds class indices (whole numbers), got ${bad}`);
  return v;
}

export class AdaptiveLogSoftmaxWithLoss extends Module {
  readonly inFeatures: number;
  readonly nClasses: number;
  /** The cutoffs given, then nClasses. */
  readonly cutoffs: readonly number[];
  readonly divValue: number;
  readonly headBias: boolean;
  readonly shortlistSize: number;
  readonly nClusters: number;
  readonly headSize: number;
  readonly head: Linear;
  readonly tail: ModuleList;

  constructor(inFeatures: number, nClasses: number, cutoffs: readonly number[], options: AdaptiveLogSoftmaxOptions = {}) {
    super();
    const o = checkOptions('AdaptiveLogSoftmaxWithLoss', withoutFactoryKwargs('AdaptiveLogSoftmaxWithLoss', options), ['divValue', 'headBias']);
    for (const [v, what] of [[inFeatures, 'inFeatures'], [nClasses, 'nClasses']] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`AdaptiveLogSoftmaxWithLoss: ${what} must be a positive integer, got ${describeValue(v)}`);
    }
    const c = Array.isArray(cutoffs) ? [...cutoffs] : null;
    const sorted = c !== null && c.every((v, i) => i === 0 || v > c[i - 1]!);
    if (c === null || c.length === 0 || !sorted || !c.every((v) => Number.isInteger(v)) || Math.min(...c) <= 0 || Math.max(...c) > nClasses - 1) {
      throw new KindlingError('cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where each value is between 1 and n_classes-1');
    }
    const divValue = o.divValue ?? 4;
    if (typeof divValue !== 'number' || !(divValue > 0)) throw new TypeError(`AdaptiveLogSoftmaxWithLoss: divValue must be a positive number, got ${describeValue(divValue)}`);
    const headBias = o.headBias ?? false;
    if (typeof headBias !== 'boolean') throw new TypeError(`AdaptiveLogSoftmaxWithLoss: headBias must be true or false, got ${describeValue(headBias)}`);
    this.inFeatures = inFeatures;
    this.nClasses = nClasses;
    this.cutoffs = [...c, nClasses];
    this.divValue = divValue;
    this.headBias = headBias;
    this.shortlistSize = this.cutoffs[0]!;
    this.nClusters = this.cutoffs.length - 1;
    this.headSize = this.shortlistSize + this.nClusters;
    this.head = new Linear(inFeatures, this.headSize, headBias);
    const tail: Module[] = [];
    for (let i = 0; i < this.nClusters; i++) {
      const hsz = Math.floor(inFeatures / divValue ** (i + 1));
      const osz = this.cutoffs[i + 1]! - this.cutoffs[i]!;
      tail.push(new Sequential(new Linear(inFeatures, hsz, false), new Linear(hsz, osz, false)));
    }
    this.tail = new ModuleList(tail);
  }

  /** PyTorch's `reset_parameters`: every Linear drawn again, head first. */
  resetParameters(): void {
    this.head.resetParameters();
    for (const s of this.tail) for (const l of s.children()) (l as Linear).resetParameters();
  }

  /** The log-probabilities of `target`'s classes and the mean loss, for a batch [B, in] and [B] or one input [in] and a 0-d target. */
  forward(input: Tensor, target: Tensor): ASMOutput;
  /** nn.Module's signature, for the class to extend Module; calls resolve to the one above. */
  forward(input: Tensor, ...rest: unknown[]): Tensor;
  forward(input: Tensor, target?: unknown): ASMOutput | Tensor {
    if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw new TypeError('AdaptiveLogSoftmaxWithLoss.forward(input, target): both must be tensors (the target holds class indices)');
    if (target.ndim === 1) {
      if (input.shape[0] !== target.shape[0]) throw new KindlingError('Input and target should have the same size in the batch dimension.');
      if (input.ndim !== 2) throw new KindlingError(`1D target tensor expects 2D input tensors, but found inputs with size ${formatShape(input.shape)}`);
    } else if (target.ndim === 0) {
      if (input.ndim !== 1) throw new KindlingError(`0D target tensor expects 1D input tensors, but found inputs with size ${formatShape(input.shape)}`);
    } else {
      throw new KindlingError('0D or 1D target tensor expected, multi-target not supported');
    }
    const batched = target.ndim > 0;
    const x = batched ? input : input.unsqueeze(0);
    const t = targetValues(target);
    let output = zeros([t.length]);
    const gather = new Float32Array(t.length);
    const bounds = [0, ...this.cutoffs];
    let used = 0;
    const clusters = [...this.tail] as Sequential[];
    for (let i = 0; i < bounds.length - 1; i++) {
      const [low, high] = [bounds[i]!, bounds[i + 1]!];
      const rows = t.flatMap((v, r) => (v >= low && v < high ? [r] : []));
      if (rows.length === 0) continue;
      if (i === 0) {
        for (const r of rows) gather[r] = t[r]!;
      } else {
        const index = tensor(rows);
        const logProb = clusters[i - 1]!.forward(x.indexSelect(0, index)).logSoftmax(1);
        const local = logProb.gather(1, tensor(rows.map((r) => t[r]! - low), [rows.length, 1]));
        for (const r of rows) gather[r] = this.shortlistSize + i - 1;
        output = output.indexCopy(0, index, local.squeeze(1));
      }
      used += rows.length;
    }
    if (used !== t.length) {
      throw new KindlingError(`Target values should be in [0, ${this.nClasses - 1}], but values in range [${Math.min(...t)}, ${Math.max(...t)}] were found. `);
    }
    const headLogProb = this.head.forward(x).logSoftmax(1);
    output = output.add(headLogProb.gather(1, tensor(gather, [t.length, 1])).squeeze());
    const loss = output.neg().mean();
    return new ASMOutput(batched ? output : output.squeeze(0), loss);
  }

  /** Every class's log-probability [B, nClasses] from the head's output (PyTorch's `_get_full_log_prob`). */
  #fullLogProb(x: Tensor, headOutput: Tensor): Tensor {
    const headLogProb = headOutput.logSoftmax(1);
    const parts = [headLogProb.narrow(1, 0, this.shortlistSize)];
    [...this.tail].forEach((cluster, i) => {
      parts.push((cluster as Sequential).forward(x).logSoftmax(1).add(headLogProb.narrow(1, this.shortlistSize + i, 1)));
    });
    return cat(parts, 1);
  }

  /** Every class's log-probability, [B, nClasses] (or [nClasses] for one input), PyTorch's `log_prob`. */
  logProb(input: Tensor): Tensor {
    const batched = input.ndim > 1;
    const x = batched ? input : input.unsqueeze(0);
    const out = this.#fullLogProb(x, this.head.forward(x));
    return batched ? out : out.squeeze(0);
  }

  /** The most likely class of each row (whole numbers), PyTorch's `predict`: the head alone when it picks a shortlisted class. */
  predict(input: Tensor): Tensor {
    const batched = input.ndim > 1;
    const x = batched ? input : input.unsqueeze(0);
    const headOutput = this.head.forward(x);
    const picked = [...headOutput.argmax(1).toArray()];
    const outside = picked.flatMap((c, r) => (c >= this.shortlistSize ? [r] : []));
    if (outside.length > 0) {
      const index = tensor(outside);
      const best = [...this.#fullLogProb(x.indexSelect(0, index), headOutput.indexSelect(0, index)).argmax(1).toArray()];
      outside.forEach((r, j) => { picked[r] = best[j]!; });
    }
    const out = tensor(picked);
    return batched ? out : out.squeeze(0);
  }
}
