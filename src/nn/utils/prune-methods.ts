/**
 * The pruning methods of PyTorch 1.13's `torch.nn.utils.prune`: each computes a mask (1 keeps an entry, 0 prunes it)
 * for a tensor, given the mask of earlier pruning. `Identity`, `RandomUnstructured`, `L1Unstructured`,
 * `RandomStructured`, `LnStructured`, `CustomFromMask`, and `PruningContainer`, which applies the latest of several
 * methods to what the earlier ones left (the entries still kept, the channels not yet all pruned). A method of your
 * own extends `BasePruningMethod` with a `pruningType` and `computeMask`, as PyTorch's subclasses do. Attaching a
 * method to a layer (the parameter `weight_orig`, the buffer `weight_mask`, the forward pre-hook) is prune.ts.
 *
 * `amount` is a count when it is a whole number (PyTorch's int) and a fraction of the entries or channels otherwise,
 * rounded half to even as Python's `round`; JavaScript has no float 1.0 apart from the integer 1, so `amount: 1`
 * prunes one: to prune them all give their count.
 */
import { KindlingError } from '../../errors.js';
import { layerArguments, describeValue } from '../../options.js';
import { mul } from '../../ops/binary.js';
import { kthvalue } from '../../ops/median.js';
import { norm, type NormOrder } from '../../ops/norm.js';
import { topk } from '../../ops/sort.js';
import { rand } from '../../tensor/creation.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Module } from '../module.js';
import { applyMethod } from './prune.js';
import { inputOf } from './reparametrized.js';

/** How a method prunes: entries anywhere, whole channels along a dimension, or a mask given for the whole tensor. */
export type PruningType = 'unstructured' | 'structured' | 'global';

/** The parameter `name` of `module` as registered (PyTorch's `module._parameters[name]`), or undefined. */
export function parameterOf(module: Module, name: string): Tensor | undefined {
  return module.namedParameters('', false).find(([n]) => n === name)?.[1];
}

/**
 * A pruning method, PyTorch's `prune.BasePruningMethod`: `computeMask(t, defaultMask)` gives the new mask of `t`
 * (its importance scores) on top of `defaultMask`; `pruningType` says how the container hands it the entries left.
 */
export abstract class BasePruningMethod {
  abstract readonly pruningType: PruningType;
  /** The name of the parameter it prunes (PyTorch's `_tensor_name`), set when it is applied. */
  tensorName: string | null = null;

  /** The mask of `t` (same shape), combining the method's choice with `defaultMask`. */
  abstract computeMask(t: Tensor, defaultMask: Tensor): Tensor;

  /** The pruned tensor of `module`: its mask times its original parameter, PyTorch's `apply_mask` (node MulBackward0). */
  applyMask(module: Module): Tensor {
    const name = this.tensorName;
    if (name === null) throw new KindlingError(`applyMask: the pruning method has not been applied to a parameter of ${module.constructor.name}`);
    const mask = module.getBuffer(`${name}_mask`);
    const orig = parameterOf(module, `${name}_orig`);
    if (mask === null || orig === undefined) throw new KindlingError(`applyMask: ${module.constructor.name} has no ${name}_orig and ${name}_mask: prune it first`);
    return mul(mask, inputOf(module, `${name}_orig`, orig));
  }

  /** `t` pruned by this method alone (PyTorch's `prune(t, default_mask=None, importance_scores=None)`): t · mask. */
  prune(t: Tensor, defaultMask: Tensor | null = null, importanceScores: Tensor | null = null): Tensor {
    if (importanceScores !== null && formatShape(importanceScores.shape) !== formatShape(t.shape)) {
      throw new RangeError(`prune: importance scores of shape ${formatShape(importanceScores.shape)} should have the shape of the tensor, ${formatShape(t.shape)}`);
    }
    return mul(t, this.computeMask(importanceScores ?? t, defaultMask ?? onesOf(t)));
  }

  /**
   * PyTorch's classmethod `apply(module, name, *args)`: a method of this class made from `args` (its constructor's),
   * applied to the parameter `name` of `module` on top of any pruning there (prune.ts `applyPruning`). Returns the
   * method in effect: this one, or the `PruningContainer` holding it.
   *
   * @example
   * class EveryOther extends prune.BasePruningMethod {
   *   readonly pruningType = 'unstructured';
   *   computeMask(t: Tensor, defaultMask: Tensor) { … }
   * }
   * EveryOther.apply(layer, 'bias');
   */
  static apply(this: abstract new (...a: never[]) => BasePruningMethod, module: Module, name: string, ...args: unknown[]): BasePruningMethod {
    return applyMethod(this, module, name, args);
  }
}

/** A tensor of ones shaped as t (float32, no grad). */
export function onesOf(t: Tensor): Tensor {
  return new Tensor(new Float32Array(t.numel()).fill(1), t.shape);
}

/** Checks `amount` as PyTorch's `_validate_pruning_amount_init`: a non-negative count or a fraction in [0, 1]. */
function checkAmount(amount: unknown): number {
  if (typeof amount !== 'number') throw new TypeError(`Invalid type for amount: ${describeValue(amount)}. Must be int or float.`);
  if (Number.isInteger(amount) ? amount < 0 : !(amount >= 0 && amount <= 1)) {
    throw new RangeError(`amount=${amount} should either be a float in the range [0, 1] or a non-negative integer`);
  }
  return amount;
}

/** Python's round(x) of a float: to the nearest integer, halves to the even one. */
function roundHalfEven(x: number): number {
  const low = Math.floor(x);
  const rest = x - low;
  return rest > 0.5 || (rest === 0.5 && low % 2 !== 0) ? low + 1 : low;
}

/** How many of `size` to prune, then checked against it (PyTorch's `_compute_nparams_toprune` and `_validate_pruning_amount`). */
function countToPrune(amount: number, size: number): number {
  const k = Number.isInteger(amount) ? amount : roundHalfEven(amount * size);
  if (k > size) throw new RangeError(`amount=${k} should be smaller than the number of parameters to prune=${size}`);
  return k;
}

/** Refuses structured pruning of a tensor without channels, and a dimension it lacks; returns the dimension, counted from 0. */
function channelDim(t: Tensor, dim: number): number {
  if (t.ndim <= 1) {
    throw new RangeError(`Structured pruning can only be applied to multidimensional tensors. Found tensor of shape ${formatShape(t.shape)} with ${t.ndim} dims`);
  }
  if (dim >= t.ndim || dim < -t.ndim) throw new RangeError(`Invalid index ${dim} for tensor of size ${formatShape(t.shape)}`);
  return dim < 0 ? dim + t.ndim : dim;
}

/** The sizes around dimension `dim`: elements before it (outer), along it, and after it (inner). */
function around(shape: readonly number[], dim: number): [number, number, number] {
  const outer = shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  return [outer, shape[dim]!, inner];
}

/** A mask of zeros shaped as `t` with ones on `channels` along `dim`, times `defaultMask` (the structured methods' make_mask). */
function channelMask(t: Tensor, dim: number, channels: Iterable<number>, defaultMask: Tensor): Tensor {
  const [outer, size, inner] = around(t.shape, dim);
  const out = new Float32Array(t.numel());
  for (const c of channels) {
    for (let o = 0; o < outer; o++) out.fill(1, (o * size + c) * inner, (o * size + c + 1) * inner);
  }
  const d = defaultMask.values();
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * d[i]!;
  return new Tensor(out, t.shape);
}

/** The named arguments of a method's constructor, by position or as one object. */
function methodArguments(where: string, args: ArrayLike<unknown>, names: readonly string[], usage: string, required: readonly string[]): Record<string, unknown> {
  const a = layerArguments(where, args, names, usage);
  for (const n of required) if (a[n] === undefined) throw new TypeError(`${where}: missing the required argument ${n}: ${usage}`);
  return a;
}

function intDim(where: string, v: unknown): number {
  if (!Number.isInteger(v)) throw new TypeError(`${where}: dim must be an integer, got ${describeValue(v)}`);
  return v as number;
}

/**
 * The unstructured methods' mask: `defaultMask` with 0 at the `amount` entries of `t` whose scores are the largest
 * (or smallest), as PyTorch's `topk` picks them; the scores are made only when something is pruned.
 */
function withoutChosen(t: Tensor, defaultMask: Tensor, amount: number, scores: () => Tensor, largest: boolean): Tensor {
  const k = countToPrune(amount, t.numel());
  const mask = Float32Array.from(defaultMask.values());
  if (k !== 0) for (const i of topk(scores().reshape([-1]), k, -1, largest).indices.values()) mask[i] = 0;
  return new Tensor(mask, t.shape);
}

/** Prunes nothing: the mask stays as it is (all ones on a fresh parameter), PyTorch's `prune.Identity`. */
export class Identity extends BasePruningMethod {
  readonly pruningType = 'unstructured';
  computeMask(_t: Tensor, defaultMask: Tensor): Tensor {
    return defaultMask;
  }
}

/** Prunes `amount` entries chosen at random (the largest of `rand` draws, one per entry), PyTorch's `prune.RandomUnstructured(amount)`. */
export class RandomUnstructured extends BasePruningMethod {
  readonly pruningType = 'unstructured';
  readonly amount: number;
  constructor(amount: number | { amount: number });
  constructor() {
    super();
    this.amount = checkAmount(methodArguments('RandomUnstructured', arguments, ['amount'], 'new RandomUnstructured(0.3)', ['amount'])['amount']);
  }
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    return withoutChosen(t, defaultMask, this.amount, () => rand([...t.shape]), true);
  }
}

/** Prunes the `amount` entries of smallest magnitude (ties as PyTorch's topk leaves them), PyTorch's `prune.L1Unstructured(amount)`. */
export class L1Unstructured extends BasePruningMethod {
  readonly pruningType = 'unstructured';
  readonly amount: number;
  constructor(amount: number | { amount: number });
  constructor() {
    super();
    this.amount = checkAmount(methodArguments('L1Unstructured', arguments, ['amount'], 'new L1Unstructured(0.3)', ['amount'])['amount']);
  }
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    return withoutChosen(t, defaultMask, this.amount, () => t.detach().abs(), false);
  }
}

/**
 * Prunes `amount` whole channels along `dim` chosen at random (those whose `rand` draw is at most the k-th smallest),
 * PyTorch's `prune.RandomStructured(amount, dim=-1)`.
 */
export class RandomStructured extends BasePruningMethod {
  readonly pruningType = 'structured';
  readonly amount: number;
  readonly dim: number;
  constructor(amount: number, dim?: number);
  constructor(options: { amount: number; dim?: number });
  constructor() {
    super();
    const a = methodArguments('RandomStructured', arguments, ['amount', 'dim'], 'new RandomStructured(0.5, 0)', ['amount']);
    this.amount = checkAmount(a['amount']);
    this.dim = intDim('RandomStructured', a['dim'] ?? -1);
  }
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const dim = channelDim(t, this.dim);
    const size = t.shape[dim]!;
    const k = countToPrune(this.amount, size);
    if (k === 0) return defaultMask;
    const prob = rand([size]);
    const threshold = kthvalue(prob, k).values.item();
    const keep = [...prob.values()].flatMap((p, c) => (p > threshold ? [c] : []));
    return channelMask(t, dim, keep, defaultMask);
  }
}

/**
 * Prunes the `amount` channels along `dim` of smallest L`n` norm (n a number, ±Infinity or 'fro', as `norm`'s p),
 * PyTorch's `prune.LnStructured(amount, n, dim=-1)`.
 */
export class LnStructured extends BasePruningMethod {
  readonly pruningType = 'structured';
  readonly amount: number;
  readonly n: NormOrder;
  readonly dim: number;
  constructor(amount: number, n: NormOrder, dim?: number);
  constructor(options: { amount: number; n: NormOrder; dim?: number });
  constructor() {
    super();
    const a = methodArguments('LnStructured', arguments, ['amount', 'n', 'dim'], 'new LnStructured(0.5, 2, 0)', ['amount', 'n']);
    this.amount = checkAmount(a['amount']);
    const n = a['n'];
    if (typeof n !== 'number' && n !== 'fro' && n !== 'nuc') throw new TypeError(`LnStructured: n must be a number, Infinity, -Infinity, 'fro' or 'nuc', got ${describeValue(n)}`);
    this.n = n;
    this.dim = intDim('LnStructured', a['dim'] ?? -1);
  }
  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const dim = channelDim(t, this.dim);
    const size = t.shape[dim]!;
    const k = countToPrune(this.amount, size);
    const others = t.shape.map((_, i) => i).filter((i) => i !== dim);
    const norms = norm(t.detach(), this.n, others);
    const keep = topk(norms, size - k, -1, true).indices.values();
    return k === 0 ? defaultMask : channelMask(t, dim, keep, defaultMask);
  }
}

/** Prunes where `mask` is 0 (the mask given, times the one before), PyTorch's `prune.CustomFromMask(mask)`. */
export class CustomFromMask extends BasePruningMethod {
  readonly pruningType = 'global';
  readonly mask: Tensor;
  constructor(mask: Tensor | { mask: Tensor });
  constructor() {
    super();
    const mask = methodArguments('CustomFromMask', arguments, ['mask'], 'new CustomFromMask(mask)', ['mask'])['mask'];
    if (!(mask instanceof Tensor)) throw new TypeError(`CustomFromMask: mask must be a Tensor, got ${describeValue(mask)}`);
    this.mask = mask;
  }
  computeMask(_t: Tensor, defaultMask: Tensor): Tensor {
    if (formatShape(defaultMask.shape) !== formatShape(this.mask.shape)) {
      throw new RangeError(`CustomFromMask: the mask has shape ${formatShape(this.mask.shape)}, the parameter ${formatShape(defaultMask.shape)}`);
    }
    return mul(defaultMask, this.mask.detach());
  }
}

/**
 * Several pruning methods applied in turn to one parameter, PyTorch's `prune.PruningContainer`: its mask is the
 * latest method's, computed on what the others left — the entries still kept ('unstructured', as a flat list), the
 * channels along its `dim` not yet all zero ('structured'), or the whole tensor ('global').
 */
export class PruningContainer extends BasePruningMethod {
  readonly pruningType = 'unstructured';
  readonly #methods: BasePruningMethod[] = [];

  constructor(...methods: BasePruningMethod[]) {
    super();
    if (methods.length === 1) this.tensorName = methods[0]!.tensorName;
    for (const m of methods) this.addPruningMethod(m);
  }

  /** The methods, in the order they were applied. */
  get methods(): readonly BasePruningMethod[] {
    return this.#methods;
  }

  /** Adds `method`, which must prune the container's parameter (PyTorch's `add_pruning_method`). */
  addPruningMethod(method: BasePruningMethod): void {
    if (!(method instanceof BasePruningMethod)) throw new TypeError(`${describeValue(method)} is not a BasePruningMethod subclass`);
    if (this.tensorName !== method.tensorName) {
      throw new KindlingError(`Can only add pruning methods acting on the parameter named '${String(this.tensorName)}' to PruningContainer. Found '${String(method.tensorName)}'`);
    }
    this.#methods.push(method);
  }

  /** Removes the latest method (a pruning that failed). @internal */
  popPruningMethod(): void {
    this.#methods.pop();
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const method = this.#methods.at(-1);
    if (method === undefined) throw new KindlingError('PruningContainer: no pruning method to apply');
    const mask = defaultMask.values();
    const out = Float32Array.from(mask);
    const scores = t.detach().values();
    if (method.pruningType === 'global') return method.computeMask(t, defaultMask);
    if (method.pruningType === 'unstructured') {
      // The entries still kept, as one flat list in row-major order.
      const kept: number[] = [];
      for (let i = 0; i < mask.length; i++) if (mask[i] === 1) kept.push(i);
      const partial = method.computeMask(new Tensor(Float32Array.from(kept, (i) => scores[i]!), [kept.length]), new Tensor(new Float32Array(kept.length).fill(1), [kept.length])).values();
      kept.forEach((i, j) => { out[i] = partial[j]!; });
      return new Tensor(out, t.shape);
    }
    if (method.pruningType !== 'structured') throw new KindlingError(`Unrecognized PRUNING_TYPE ${String(method.pruningType)}`);
    const given = (method as BasePruningMethod & { dim?: unknown }).dim;
    if (!Number.isInteger(given)) throw new KindlingError('Pruning methods of PRUNING_TYPE "structured" need to have the attribute `dim` defined.');
    const dim = (given as number) < 0 ? (given as number) + t.ndim : (given as number);
    if (dim < 0) throw new RangeError(`Index is out of bounds for tensor of dimension ${t.ndim}`);
    // The channels along dim whose mask is not all zero, taken out of the scores and the mask, and put back.
    const [outer, size, inner] = around(t.shape, dim);
    const channels: number[] = [];
    for (let c = 0; c < size; c++) {
      let sum = 0;
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) sum += mask[(o * size + c) * inner + i]!;
      if (sum !== 0) channels.push(c);
    }
    const shape = t.shape.map((s, i) => (i === dim ? channels.length : s));
    const take = (from: ArrayLike<number>): Float32Array => {
      const part = new Float32Array(outer * channels.length * inner);
      channels.forEach((c, j) => {
        for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) part[(o * channels.length + j) * inner + i] = from[(o * size + c) * inner + i]!;
      });
      return part;
    };
    const partial = method.computeMask(new Tensor(take(scores), shape), new Tensor(take(mask), shape)).values();
    channels.forEach((c, j) => {
      for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out[(o * size + c) * inner + i] = partial[(o * channels.length + j) * inner + i]!;
    });
    return new Tensor(out, t.shape);
  }
}
