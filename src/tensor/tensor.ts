import { gradDropped } from '../autograd/accumulate.js';
import { HookBlock, RemovableHandle, Retain, type GradHook, type HookEntry } from '../autograd/hooks.js';
import { refreshStale } from '../autograd/record.js';
import { backward as runBackward, type BackwardOptions } from '../autograd/backward.js';
import { isGradRecording } from '../autograd/grad-mode.js';
import * as ops from '../ops/index.js';
import { det as linalgDet, slogdet as linalgSlogdet } from '../linalg/det.js';
import { inv as linalgInv } from '../linalg/inverse.js';
import { logdet as linalgLogdet } from '../linalg/logdet.js';
import { choleskyDeprecated } from '../linalg/cholesky.js';
import { qrLegacy, svdLegacy } from '../linalg/legacy.js';
import { choleskyInverse, choleskySolve } from '../linalg/chain.js';
import { luLegacy, luSolveLegacy, type LuFactorOptions } from '../linalg/lu-factor.js';
import { matrixPower as linalgMatrixPower } from '../linalg/matrix-power.js';
import { matrixExp as linalgMatrixExp, pinv as linalgPinv } from '../linalg/pinv.js';
import { checkKeepdim, type ReduceOptions, type ValuesIndices } from '../ops/reduce.js';
import type { SortOptions } from '../ops/sort.js';
import type { ClampBound, ClampOptions } from '../ops/clamp-bounds.js';
import type { VarianceOptions } from '../ops/variance.js';
import type { NormOrder } from '../ops/norm.js';
import type { RepeatInterleaveOptions } from '../ops/tile.js';
import { isPlainObject, type PositionalThenOptions } from '../options.js';
import { float32Scalar } from './float32-scalar.js';
import * as inplace from '../ops/inplace.js';
import { gammainc, gammaincc } from '../ops/special-binary.js';
import * as unaryMath from '../ops/unary-math-inplace.js';
import * as indexInplace from '../ops/index-inplace.js';
import * as fills from '../ops/random-fills.js';
import { multinomial as multinomialOp } from '../ops/multinomial.js';
import * as draws from '../ops/random-draws.js';
import { compare_, logical_, math_, product_ } from '../ops/inplace-math.js';
import * as specialMath from '../ops/special-math.js';
import { alphaOf, type Alpha } from '../ops/alpha.js';
import { addScaled } from '../ops/add-scaled.js';
import { detachInPlace } from '../ops/graph-identity.js';
import { divide, type DivOptions } from '../ops/division.js';
import { roundDecimals } from '../ops/rounding.js';
import { gatherStrided } from '../kernels/strided.js';
import { storageRoot, subStorage } from '../kernels/storage.js';
import { broadcastShapes, contiguousStrides, formatShape, normalizeDim, numel, sameShape, type Shape } from './shape.js';
import { formatTensor } from './format.js';
import { isMarkedParameter } from './parameter-mark.js';
import { booleanAlpha, maskAlpha, ofMasks, refuseMaskNeg, refuseMaskReduction, refuseMaskSub } from './mask-arithmetic.js';
import { isMask, keepMask, markMask } from './mask-mark.js';
import { isUninitializedParameter } from './uninitialized-mark.js';
import { InferenceVersion, makingInferenceTensors, newVersionCounter, VersionCounter } from './version.js';
import { refusePythonNames } from '../python-names.js';
import { keepsMask, type SizesAndOptions, type TensorOptions } from './creation.js';
import { numberPiece, type NextFunction } from '../autograd/next-functions.js';
import { checkTensorType, checkTo, DEVICE, deviceError, DTYPE, dtypeError, type TensorDtype } from '../device.js';

/** A node of the autograd graph: the op that produced a tensor, its inputs, and how to send a gradient back. */
export interface GradFn {
  /** Kindling's name for the op that made the tensor ('sigmoid', 'linear', 'reshape'); errors quote it. */
  readonly name: string;
  /**
   * The class PyTorch 1.13 gives the grad_fn of the same call, `type(y.grad_fn).__name__` (PyTorch's
   * `y.grad_fn.name()`): 'SigmoidBackward0', 'AddmmBackward0' for a `linear` of a batch with a bias, 'ClampBackward1',
   * 'ReshapeAliasBackward0' or 'UnsafeViewBackward0' for a `reshape` (a view, or a copy). Where PyTorch computes the
   * op as several ops and Kindling as one (cross-entropy against probabilities, a 3-D `linear`, a batched `matmul`),
   * it is the name of PyTorch's last one. Printing shows it: `tensor([0.5000], grad_fn=<SigmoidBackward0>)`.
   * Kindling's nodes always have it; a GradFn of your own may leave it out, and printing then shows `name`
   * capitalized + 'Backward0'.
   *
   * @example tensor([[1, 2]], { requiresGrad: true }).sum(0).gradFn?.torchName // 'SumBackward1'
   */
  readonly torchName?: string;
  readonly inputs: readonly Tensor[];
  /**
   * PyTorch's `grad_fn.next_functions`: one `[node, inputNumber]` per input, in PyTorch's order — the input's node,
   * `AccumulateGrad` (`torchName` 'AccumulateGrad', `variable` the leaf) for a leaf that requires grad, or
   * `[null, 0]` where no gradient goes; the number is which output of that node the input is (unbind's and split's
   * pieces count up). Kindling's nodes have it; a GradFn of your own may leave it out.
   *
   * @example tensor([1, 2], { requiresGrad: true }).mul(2).gradFn?.nextFunctions?.[0]?.[0]?.torchName // 'AccumulateGrad'
   */
  readonly nextFunctions?: readonly NextFunction[];
  /** Given the gradient of the output (contiguous), returns one gradient per input (null where not needed). */
  backward(grad: Tensor): readonly (Tensor | null)[];
}

export type NestedArray = number | readonly NestedArray[];

/** The storage of a tensor whose own is still to be made (see `moveStorage`): never read. */
const NO_STORAGE = new Float32Array(0);

let warnedNonLeafGrad = false;

/**
 * PyTorch's UserWarning for reading `.grad` of a tensor computed by an op: it stays null, as backward() fills only
 * leaves' (a common surprise). Once per process.
 */
function warnNonLeafGrad(): void {
  if (warnedNonLeafGrad || typeof process === 'undefined' || typeof process.emitWarning !== 'function') return;
  warnedNonLeafGrad = true;
  process.emitWarning(
    "grad: the .grad of a tensor that is not a leaf (it was computed by an op, so isLeaf is false) is being read: backward() " +
      'does not fill it, so it is null. Call retainGrad() on that tensor before backward() to keep its gradient, or read ' +
      "the .grad of the leaf it was computed from (PyTorch warns the same way)",
  );
}

/**
 * Values owed to a tensor's storage and not written yet (see `Tensor.pending`): written by `settle` on the first
 * read of `data`. @internal
 */
export interface PendingValues {
  settle(into: Float32Array): void;
  /**
   * For a weight stored transposed ([in, out] rows): writes the owed values of the rows a one-row input `x` selects
   * (those where x is not +0), the only rows a forward pass over it reads; the rest stay owed.
   */
  settleFor?(x: Float32Array): void;
}

/** A flag given as `true` or `false`, as PyTorch's `requires_grad` must be a bool. */
function checkFlag(what: string, value: unknown): void {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${what}: takes true or false (as PyTorch's requires_grad takes a bool), got ${value === null ? 'null' : typeof value === 'string' ? `the string "${value}"` : `${typeof value} ${String(value)}`}`);
  }
}

/**
 * An n-dimensional array of float32 values that can record the operations applied to it for automatic
 * differentiation. Storage is a `Float32Array`; `strides` say how the logical shape maps onto it (views share it).
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad?.tolist(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  private storage: Float32Array;
  /** How to make the storage on first use, after `moveStorage` (null otherwise). */
  private makeStorage: (() => Float32Array) | null = null;
  /**
   * The sizes (PyTorch's `x.shape`). The tensor's own array, not a copy, and not frozen (a frozen array is several
   * times slower to read, and shapes are read in every op): never write to it. `size()` gives a copy.
   */
  readonly shape: Shape;
  /** Elements between neighbours along each dimension; the tensor's own array, like `shape`: never write to it. */
  readonly strides: readonly number[];
  private requiresGradFlag = false;
  private gradTensor: Tensor | null = null;
  /** The op that produced this tensor (null for leaves and for tensors made without grad). */
  gradFn: GradFn | null = null;
  /** Optional name, used in error messages and by modules for parameters. */
  name: string | undefined;
  /**
   * For a 2-D gradient buffer stored with transposed strides: the storage rows known to hold non-zeros
   * (everything else is zero). Lets the optimizers and `zeroGrad` touch only those rows. Null means "dense".
   * @internal
   */
  rowSupport: Int32Array | null = null;
  /**
   * Values the storage does not hold yet, written on the first read of `data` (a one-sample weight gradient, kept
   * as its factors so that plain SGD can apply it without writing it out; see autograd/accumulate.ts).
   * @internal
   */
  pending: PendingValues | null = null;
  /**
   * False only while the storage has never been handed out (`data`, or a view made from it): a buffer the engine
   * allocated and nobody else holds, into which values may be owed (`pending`) or whose unread rows the kernels may
   * skip. A tensor made from a caller's array is exposed from the start.
   * @internal
   */
  exposed = true;
  /**
   * True once `values()` has handed out the storage itself with gradients enabled (an op may keep it for its
   * backward pass): a gradient buffer so read is never taken back by the engine for another gradient (see
   * autograd/accumulate.ts). @internal
   */
  aliased = false;
  /**
   * True once a node of a graph saved this tensor for its backward pass: a gradient buffer so saved is never added
   * into in place (autograd/accumulate.ts), since that node may read it later. @internal
   */
  savedByOp = false;
  /** The backward walk that last counted this leaf's uses, and how many it counted (autograd/accumulate.ts). @internal */
  walkId = 0;
  /** @internal */
  walkUses = 0;
  /** The backward walk whose ordering last reached this tensor (autograd/backward.ts; a field, not a Set). @internal */
  orderedBy = 0;
  /** During a backward walk: the gradient summed so far over this tensor's uses (autograd/backward.ts). @internal */
  walkGrad: Tensor | null = null;
  /** Set by `retainGrad()`: `backward()` keeps this non-leaf's gradient in `.grad`. @internal */
  retainsGradFlag = false;
  /**
   * What this tensor's gradient goes through during a walk: its hooks' block (`registerHook`) and `retainGrad`'s place,
   * in order (autograd/hooks.ts); null while there are none. @internal
   */
  gradHooks: HookEntry[] | null = null;
  /** The block `registerHook` adds to: in `gradHooks`, or in an earlier version's (`graphHistory`). @internal */
  hookBlock: HookBlock | null = null;
  /** Shared with the views of this tensor's storage; see VersionCounter. @internal */
  readonly versionCounter: VersionCounter;
  /**
   * The storage's `graphEdits` this tensor's node accounts for: behind the counter's, the storage was changed in place
   * through another tensor, with autograd following, since this one was made (ops/rebase.ts). @internal
   */
  seenGraphEdits: number;
  /**
   * For a tensor made by a view op (view, reshape, transpose, select, …), the tensor whose storage it shares that is
   * no view itself (of a view of a view, the first tensor); null for others. @internal
   */
  viewBase: Tensor | null = null;
  /**
   * Set on an output of a custom autograd.Function that is a view of a tensor or an input returned as it is (and on
   * the views made of it): its output number, and whether the function had several differentiable outputs. An
   * in-place change of it with autograd following is refused, as PyTorch refuses it (ops/inplace.ts). @internal
   */
  functionView: { readonly output: number; readonly multi: boolean } | null = null;
  /**
   * How many in-place changes autograd followed on this tensor (ops/rebase.ts): each gave it a new node, and the
   * tensor it was before, its `graphHistory` entry, keeps the old one for the nodes made from it before. @internal
   */
  graphGen = 0;
  /** This tensor as it was before each followed in-place change, by `graphGen` (null until the first). @internal */
  graphHistory: Tensor[] | null = null;

  constructor(
    data: Float32Array,
    shape: Shape,
    options: { requiresGrad?: boolean; strides?: readonly number[]; version?: VersionCounter } = {},
  ) {
    this.storage = data;
    this.versionCounter = options.version ?? newVersionCounter();
    this.seenGraphEdits = this.versionCounter.graphEdits;
    // Copied, not frozen: Object.freeze costs more than the arithmetic of a small per-sample op.
    this.shape = shape.slice();
    this.strides = options.strides ? options.strides.slice() : contiguousStrides(shape);
    this.requiresGrad = options.requiresGrad ?? false;
    if (!options.strides && data.length !== numel(shape)) {
      throw new RangeError(`tensor: ${data.length} values cannot have shape ${formatShape(shape)} (${numel(shape)} values)`);
    }
  }

  /**
   * The storage, read through `strides`. Values owed to it are written first, and from then on it may be held and
   * written by its reader, so the engine no longer owes it values or skips any of it.
   */
  get data(): Float32Array {
    this.exposed = true;
    return this.settled();
  }

  /** PyTorch's `p.data = t` rebinds a tensor's storage; here the storage is fixed: copy values in instead. */
  set data(_v: unknown) {
    throw new TypeError('Tensor.data cannot be assigned (PyTorch\'s p.data = t): copy the values in instead, with noGrad(() => p.copy_(t)) (p.copy_ follows p\'s shape and strides; the storage behind p.data may hold them in another order, as a Linear weight\'s does)');
  }

  /** The storage with owed values written, for the engine's own passing use (it does not expose it). @internal */
  settled(): Float32Array {
    const storage = this.unsettledData;
    const owed = this.pending;
    if (owed !== null) {
      this.pending = null;
      owed.settle(storage);
    }
    return storage;
  }

  /**
   * Gives this tensor a storage of its own, made by `make` when first needed (of the old one's length, holding what
   * its values need from it: values owed stay owed, written into it when read), so that the engine can take the old
   * storage back — a gradient buffer dropped by `zeroGrad(setToNone)`, which nobody may read again. @internal
   */
  moveStorage(make: () => Float32Array): void {
    const n = this.storage.length;
    this.storage = NO_STORAGE;
    this.makeStorage = () => {
      const own = make();
      if (own.length !== n) throw new RangeError(`moveStorage: ${own.length} elements for a storage of ${n}`);
      return own;
    };
  }

  /** The storage as it is, without writing owed values out: for the code that owes them. @internal */
  get unsettledData(): Float32Array {
    const make = this.makeStorage;
    if (make !== null) {
      this.makeStorage = null;
      this.storage = make();
    }
    return this.storage;
  }

  /**
   * How many in-place changes this tensor's storage has had (PyTorch's `t._version`), counted together with its
   * views: `backward()` refuses a tensor an op saved for it once this has moved since.
   */
  get version(): number {
    return this.versionCounter.value;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** The number of dimensions, as PyTorch's `dim()` (also the property `ndim`). */
  dim(): number {
    return this.shape.length;
  }

  /** Whether operations on this tensor record the graph for its gradient (PyTorch's `requires_grad`). */
  get requiresGrad(): boolean {
    return this.requiresGradFlag;
  }

  /** As PyTorch: a leaf's flag may change; a tensor of the graph's may not be turned off (detach() it instead). */
  set requiresGrad(value: boolean) {
    checkFlag('requiresGrad', value);
    if (value && isMask(this)) throw new TypeError('requiresGrad: only Tensors of floating point dtype can require gradients (a mask is a bool tensor; m.float() gives its 1s and 0s)');
    if (value && !this.requiresGradFlag && this.viewBase === null && this.versionCounter instanceof InferenceVersion && !makingInferenceTensors()) {
      throw new Error('Setting requires_grad=True on inference tensor outside InferenceMode is not allowed. (PyTorch\'s words: clone() it outside inferenceMode first)');
    }
    if (this.gradFn !== null && !value) {
      throw new Error('requiresGrad: only leaf tensors can change requiresGrad; for a tensor of the graph that should not carry a gradient, use x.detach() (as PyTorch says: var_no_grad = var.detach())');
    }
    this.requiresGradFlag = value;
  }

  /** Number of elements. */
  numel(): number {
    return numel(this.shape);
  }

  /** The size of one dimension, or the whole shape as a new array (changing it leaves the tensor as it is). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    const d = dim < 0 ? dim + this.ndim : dim;
    const s = this.shape[d];
    if (s === undefined) throw new RangeError(`size: dimension ${dim} out of range for shape ${formatShape(this.shape)}`);
    return s;
  }

  /**
   * Keeps this tensor's gradient in `.grad` at the next `backward()` passes (adding up, as a leaf's), as PyTorch's
   * `retain_grad()`: a non-leaf's `.grad` is otherwise null. A no-op on a leaf.
   */
  retainGrad(): void {
    if (!this.requiresGrad) throw new Error("retainGrad: can't retain the gradient of a tensor that does not require grad (as PyTorch says)");
    this.refreshIfStaleView('retainGrad');
    if (this.isLeaf || this.retainsGradFlag) return;
    this.retainsGradFlag = true;
    // It keeps the gradient as the hooks whose block comes before it leave it (PyTorch 1.13's order, autograd/hooks.ts).
    (this.gradHooks ??= []).push(new Retain(this));
  }

  /** A view whose base was changed in place since its node was made gets its node over the base now, as PyTorch's grad_fn. */
  private refreshIfStaleView(op: string): void {
    if (this.viewBase !== null && this.requiresGrad && this.seenGraphEdits !== this.versionCounter.graphEdits) refreshStale(this, op);
  }

  /**
   * Runs `hook` on this tensor's gradient during `backward()` (PyTorch's `register_hook`): it may return a replacement
   * of the same shape, or nothing. Hooks run in the order registered, a leaf's before its gradient is added into
   * `.grad`. Returns a handle whose `remove()` takes the hook out.
   *
   * @example const h = y.registerHook((g) => g.mul(2)); loss.backward(); h.remove();
   */
  registerHook(hook: GradHook): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`registerHook: the hook must be a function, got ${typeof hook}`);
    if (!this.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
    this.refreshIfStaleView('registerHook');
    let block = this.hookBlock;
    if (block === null) {
      // The block takes its place after what is there now (PyTorch 1.13's dict of hooks, autograd/hooks.ts).
      block = this.hookBlock = new HookBlock();
      (this.gradHooks ??= []).push(block);
    }
    const entry = { hook };
    block.hooks.push(entry);
    return new RemovableHandle(block.hooks, entry);
  }

  /** Whether `backward()` keeps this non-leaf's gradient (`retainGrad()` was called), PyTorch's `retains_grad`. */
  get retainsGrad(): boolean {
    return this.retainsGradFlag;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  isContiguous(): boolean {
    let s = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const d = this.shape[i]!;
      // An empty tensor is contiguous whatever its strides, as in PyTorch.
      if (d !== 1 && this.strides[i] !== s) return this.shape.includes(0);
      s *= d;
    }
    return true;
  }

  /** The values in row-major order, as a new Float32Array. */
  toArray(): Float32Array {
    const data = this.settled();
    if (this.isContiguous()) return data.slice(0, this.numel());
    const out = new Float32Array(this.numel());
    gatherStrided(data, this.shape, this.strides, out);
    return out;
  }

  /** The values in row-major order, without a copy when the tensor is contiguous. Do not write to it. @internal */
  values(): Float32Array {
    const data = this.settled();
    if (this.isContiguous()) {
      // Only an op that records a graph keeps its inputs' arrays (for its backward pass); without one, every op
      // reads them during the call and keeps nothing.
      if (isGradRecording()) this.aliased = true;
      return subStorage(data, 0, this.numel());
    }
    const out = new Float32Array(this.numel());
    gatherStrided(data, this.shape, this.strides, out);
    return out;
  }

  /** The values as nested JavaScript arrays (a number for a 0-d tensor), like `tensor.tolist()` in PyTorch. */
  tolist(): NestedArray {
    const flat = this.values();
    if (this.ndim === 0) return flat[0]!;
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim]!;
      const inner = numel(this.shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(dim === this.ndim - 1 ? flat[offset + i]! : build(dim + 1, offset + i * inner));
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.numel() !== 1) throw new RangeError(`item: a tensor with ${this.numel()} elements cannot be converted to a number (shape ${formatShape(this.shape)})`);
    return this.values()[0]!;
  }

  /**
   * Computes gradients of this tensor with respect to every leaf that requires grad, adding them into each leaf's
   * `.grad`. `gradient` (required unless this tensor has one element) is the gradient of some scalar with respect to
   * this tensor. The pass releases the values the graph saved, so a second `backward()` through it is an error unless
   * the first one had `{ retainGraph: true }` (as in PyTorch).
   *
   * @example
   * loss.backward();
   * loss.backward({ retainGraph: true }); // keep the graph for another pass
   * y.backward(tensor([1, 0, 0]), { retainGraph: true });
   * loss.backward(null, true); // PyTorch's positional order: gradient, retainGraph, createGraph, inputs
   */
  backward(options?: BackwardOptions): void;
  backward(gradient: Tensor | null | undefined, options?: BackwardOptions): void;
  backward(gradient: Tensor | null | undefined, ...flags: PositionalThenOptions<[retainGraph: boolean | null, createGraph: boolean, inputs: Tensor | readonly Tensor[] | null], BackwardOptions>): void;
  backward(gradient?: Tensor | null | BackwardOptions, ...rest: unknown[]): void {
    runBackward(this, gradient, ...rest);
  }

  /** A tensor sharing this one's values (and their version counter, as in PyTorch), cut from the graph. */
  detach(): Tensor {
    return keepMask(this, new Tensor(this.data, this.shape, { strides: this.strides, version: this.versionCounter }));
  }

  /**
   * Cuts this tensor from the graph in place (PyTorch's `detach_()`): it becomes a leaf that does not require grad.
   * Graphs recorded through it before are unchanged. A view cannot be detached in place, as in PyTorch.
   */
  detach_(): this {
    if (this.viewBase !== null) throw new Error("detach_: can't detach a view in place (this tensor was made by a view op and shares its base's storage); use detach() instead");
    detachInPlace(this);
    return this;
  }

  /**
   * Accumulated gradient of a leaf tensor after `backward()`; same shape and layout as the tensor. Assigning checks,
   * as PyTorch does: a Tensor of the tensor's shape, or null.
   */
  get grad(): Tensor | null {
    // As PyTorch: only when the gradient is not there (one assigned to a non-leaf is read without a word).
    if (this.gradTensor === null && this.gradFn !== null && !this.retainsGradFlag) warnNonLeafGrad();
    return this.gradTensor;
  }

  /** `.grad` without the warning a non-leaf's gives: for the walk adding into it. @internal */
  get gradOrNull(): Tensor | null {
    return this.gradTensor;
  }

  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) {
        throw new TypeError(`grad: the assigned gradient must be a Tensor or null, got ${g === undefined ? 'undefined' : Array.isArray(g) ? 'an array' : typeof g}`);
      }
      if (!sameShape(g.shape, this.shape)) {
        throw new RangeError(`grad: the assigned gradient has shape ${formatShape(g.shape)}, but the tensor has shape ${formatShape(this.shape)}`);
      }
    }
    const old = this.gradTensor;
    this.gradTensor = g;
    if (g === null && old !== null) gradDropped(this, old);
  }

  /**
   * Whether this is an inference tensor (PyTorch's `x.is_inference()`): made inside `inferenceMode`, or a view of one.
   * Outside inference mode it cannot be changed in place nor saved for a backward pass; `clone()` gives a normal one.
   */
  isInference(): boolean {
    return this.versionCounter instanceof InferenceVersion;
  }

  /** Marks a leaf tensor as requiring gradients (on a tensor of the graph, which requires them already, a no-op). */
  requiresGrad_(value = true): this {
    checkFlag('requiresGrad_', value);
    if (!this.isLeaf) {
      if (value && this.requiresGrad) return this;
      throw new Error('requiresGrad_: only leaf tensors can change requiresGrad; use detach() first');
    }
    this.requiresGrad = value;
    return this;
  }

  /** A contiguous copy, recorded in the graph. */
  clone(): Tensor {
    return ops.clone(this);
  }

  contiguous(): Tensor {
    return this.isContiguous() ? this : ops.clone(this);
  }

  // In place (see ops/inplace.ts), as PyTorch's: on a tensor of the graph autograd follows the change (the tensor
  // gets the op's node); a leaf that requires grad is refused outside noGrad. Each returns this tensor.
  add_(other: Tensor | number, alpha: Alpha = 1): this { inplace.add_(this, other, alpha); return this; }
  sub_(other: Tensor | number, alpha: Alpha = 1): this { inplace.sub_(this, other, alpha); return this; }
  mul_(other: Tensor | number): this { inplace.mul_(this, other); return this; }
  /** this / other, in place; `{ roundingMode: 'trunc' | 'floor' }` as `div`'s. */
  div_(other: Tensor | number, options?: DivOptions): this { inplace.div_(this, other, options); return this; }
  clamp_(min: ClampBound | ClampOptions, max?: ClampBound | ClampOptions): this { inplace.clamp_(this, min, max ?? null); return this; }
  copy_(src: Tensor): this { inplace.copy_(this, src); return this; }
  fill_(value: number | boolean | Tensor): this { inplace.fill_(this, value); return this; }
  zero_(): this { inplace.zero_(this); return this; }
  relu_(): this { inplace.unary_(this, 'relu'); return this; }
  sigmoid_(): this { inplace.unary_(this, 'sigmoid'); return this; }
  tanh_(): this { inplace.unary_(this, 'tanh'); return this; }
  exp_(): this { inplace.unary_(this, 'exp'); return this; }
  log_(): this { inplace.unary_(this, 'log'); return this; }
  sqrt_(): this { inplace.unary_(this, 'sqrt'); return this; }
  abs_(): this { refuseMaskReduction(this, 'abs_'); inplace.unary_(this, 'abs'); return this; }
  neg_(): this { refuseMaskNeg(this, 'neg_'); inplace.unary_(this, 'neg'); return this; }
  // Random fills (ops/random-fills.ts), PyTorch's values bit for bit after the same seed.
  /** Fills with U(from, to): `x.uniform_()`, `x.uniform_(-1, 1)`, `x.uniform_(-1, 1, { generator })`. */
  uniform_(from?: number | fills.FillOptions, to?: number | fills.FillOptions, options?: fills.FillOptions): this { fills.uniform_(this, from, to, options); return this; }
  /** Fills with N(mean, std²): `x.normal_()`, `x.normal_(0, 0.02)`, `x.normal_(0, 0.02, { generator })`. */
  normal_(mean?: number | fills.FillOptions, std?: number | fills.FillOptions, options?: fills.FillOptions): this { fills.normal_(this, mean, std, options); return this; }
  /** Fills with 0/1, 1 with probability p (a number, or a tensor of probabilities broadcast to this shape). */
  bernoulli_(p?: number | Tensor | fills.FillOptions, options?: fills.FillOptions): this { fills.bernoulli_(this, p, options); return this; }
  /** Fills with values of the exponential distribution of rate lambd (default 1). */
  exponential_(lambd?: number | fills.FillOptions, options?: fills.FillOptions): this { fills.exponential_(this, lambd, options); return this; }
  /** `numSamples` category indices drawn from each row's weights (`multinomial`): `probs.multinomial(1)`, `probs.multinomial(5, true)`. */
  multinomial(numSamples: number, replacement?: boolean, options?: fills.FillOptions): Tensor { return multinomialOp(this, numSamples, replacement, options); }
  /** Fills with whole numbers: `x.random_()` in [0, 2^24], `x.random_(to)` in [0, to), `x.random_(from, to)`, `x.random_(from, null)` in [from, 2^24]. */
  random_(from?: number | null | fills.FillOptions, to?: number | null | fills.FillOptions, options?: fills.FillOptions): this { draws.random_(this, from, to, options); return this; }
  /** Fills with exp of N(mean, std²) values (PyTorch's `log_normal_`; mean 1, std 2 by default). */
  logNormal_(mean?: number | fills.FillOptions, std?: number | fills.FillOptions, options?: fills.FillOptions): this { draws.logNormal_(this, mean, std, options); return this; }
  /** Fills with values of the Cauchy distribution (median 0, sigma 1 by default). */
  cauchy_(median?: number | fills.FillOptions, sigma?: number | fills.FillOptions, options?: fills.FillOptions): this { draws.cauchy_(this, median, sigma, options); return this; }
  /** Fills with values of the geometric distribution of success probability p: the trials up to the first success. */
  geometric_(p: number, options?: fills.FillOptions): this { draws.geometric_(this, p, options); return this; }

  /** this + alpha·other (PyTorch's `x.add(y, alpha=2)`: `x.add(y, 2)` or `x.add(y, { alpha: 2 })`). */
  add(other: Tensor | number, alpha: Alpha = 1): Tensor {
    const a = alpha === 1 ? 1 : alphaOf(typeof alpha === 'number' ? alpha : booleanAlpha(this, other, alpha, 'add'), 'add');
    if (a === 1) return ofMasks(this, other, () => ops.logicalOr(this, other as Tensor)) ?? ops.add(this, other);
    // Of two masks, alpha is cast to bool as PyTorch's: their or, or the first alone (broadcast) for 0.
    return ofMasks(this, other, () => ops.logicalOr(this, maskAlpha(a, 'add') === 1 ? (other as Tensor) : ops.mul(other, 0))) ??
      addScaled('add', this, other, a, 'AddBackward0');
  }
  /** this − alpha·other (of two masks refused, as PyTorch's subtraction of bools). */
  sub(other: Tensor | number, alpha: Alpha = 1): Tensor {
    refuseMaskSub(this, other, 'sub');
    const a = alpha === 1 ? 1 : alphaOf(typeof alpha === 'number' ? alpha : booleanAlpha(this, other, alpha, 'sub'), 'sub');
    return a === 1 ? ops.sub(this, other) : addScaled('sub', this, other, -a, 'SubBackward0');
  }
  /** this · other; of two masks a mask (their and), as PyTorch's product of bools. */
  mul(other: Tensor | number): Tensor { return ofMasks(this, other, () => ops.logicalAnd(this, other as Tensor)) ?? ops.mul(this, other); }
  /** this / other; `{ roundingMode: 'trunc' | 'floor' }` rounds the quotient (PyTorch's `rounding_mode`; zero gradients). */
  div(other: Tensor | number, options?: DivOptions): Tensor { return options === undefined ? ops.div(this, other) : divide(this, other, options); }
  pow(exponent: Tensor | number): Tensor { return ops.pow(this, exponent); }
  maximum(other: Tensor | number): Tensor { return ofMasks(this, other, () => ops.maximum(this, other)) ?? ops.maximum(this, other); }
  minimum(other: Tensor | number): Tensor { return ofMasks(this, other, () => ops.minimum(this, other)) ?? ops.minimum(this, other); }
  /** Elementwise comparisons (broadcasting): 1 where true, 0 where false, as float32, a mask for `index`; no gradient. */
  eq(other: Tensor | number): Tensor { return ops.eq(this, other); }
  ne(other: Tensor | number): Tensor { return ops.ne(this, other); }
  gt(other: Tensor | number): Tensor { return ops.gt(this, other); }
  ge(other: Tensor | number): Tensor { return ops.ge(this, other); }
  lt(other: Tensor | number): Tensor { return ops.lt(this, other); }
  le(other: Tensor | number): Tensor { return ops.le(this, other); }
  // s56 binary math (ops/binary-math.ts, ternary-math.ts, logical.ts; in place: ops/inplace-math.ts)
  /** max(x, min) elementwise, NaN propagating; `min` a number or a tensor (PyTorch's `clamp_min`). */
  clampMin(min: Tensor | number): Tensor { return ops.clampMin(this, min); }
  /** min(x, max) elementwise, NaN propagating; `max` a number or a tensor (PyTorch's `clamp_max`). */
  clampMax(max: Tensor | number): Tensor { return ops.clampMax(this, max); }
  /** An alias of `clamp` (PyTorch's `clip`). */
  clip(min: ClampBound | ClampOptions, max?: ClampBound | ClampOptions): Tensor { return ops.clamp(this, min, max ?? null); }
  /** this + value·tensor1·tensor2 (PyTorch's `addcmul`; `{ value }` 1 by default). */
  addcmul(tensor1: Tensor, tensor2: Tensor, value?: ops.ValueOption): Tensor { return ops.addcmul(this, tensor1, tensor2, value); }
  /** this + value·tensor1 / tensor2 (PyTorch's `addcdiv`; `{ value }` 1 by default). */
  addcdiv(tensor1: Tensor, tensor2: Tensor, value?: ops.ValueOption): Tensor { return ops.addcdiv(this, tensor1, tensor2, value); }
  /** this + weight·(end − this), `weight` a number or a tensor (PyTorch's `lerp`). */
  lerp(end: Tensor, weight: Tensor | number): Tensor { return ops.lerp(this, end, weight); }
  /** The angle of the point (other, this) in radians (PyTorch's `atan2`). */
  atan2(other: Tensor): Tensor { return ops.atan2(this, other); }
  /** Python's modulus: the remainder with the sign of the divisor (PyTorch's `remainder`). */
  remainder(other: Tensor | number): Tensor { return ops.remainder(this, other); }
  /** C's fmod: the remainder with the sign of the dividend (PyTorch's `fmod`). */
  fmod(other: Tensor | number): Tensor { return ops.fmod(this, other); }
  /** this / other rounded toward −∞ (PyTorch 1.13's `floor_divide`; no gradient, as PyTorch's). */
  floorDivide(other: Tensor | number): Tensor { return ops.floorDivide(this, other); }
  /** this / other (PyTorch's `true_divide`, an alias of `div`). */
  trueDivide(other: Tensor | number, ...extra: never[]): Tensor { return ops.trueDivide(this, other, ...extra); }
  /** 1 where both are non-zero (NaN counts), else 0, as float32 (PyTorch's `logical_and`). */
  logicalAnd(other: Tensor): Tensor { return ops.logicalAnd(this, other); }
  /** 1 where either is non-zero, else 0 (PyTorch's `logical_or`). */
  logicalOr(other: Tensor): Tensor { return ops.logicalOr(this, other); }
  /** 1 where exactly one is non-zero, else 0 (PyTorch's `logical_xor`). */
  logicalXor(other: Tensor): Tensor { return ops.logicalXor(this, other); }
  /** 1 where the value is 0, else 0 (PyTorch's `logical_not`). */
  logicalNot(): Tensor { return ops.logicalNot(this); }
  /** √(this² + other²) (PyTorch's `hypot`). */
  hypot(other: Tensor): Tensor { return ops.hypot(this, other); }
  /** log(e^this + e^other) (PyTorch's `logaddexp`). */
  logaddexp(other: Tensor): Tensor { return ops.logaddexp(this, other); }
  /** log2(2^this + 2^other) (PyTorch's `logaddexp2`). */
  logaddexp2(other: Tensor): Tensor { return ops.logaddexp2(this, other); }
  /** The larger of each pair, ignoring a NaN (PyTorch's `fmax`). */
  fmax(other: Tensor): Tensor { return ops.fmax(this, other); }
  /** The smaller of each pair, ignoring a NaN (PyTorch's `fmin`). */
  fmin(other: Tensor): Tensor { return ops.fmin(this, other); }
  /** this·log(other), 0 where this is 0 (PyTorch's `xlogy`). */
  xlogy(other: Tensor | number): Tensor { return ops.xlogy(this, other); }
  /** |this| with the sign of other (PyTorch's `copysign`). */
  copysign(other: Tensor | number): Tensor { return ops.copysign(this, other); }
  /** `clampMin`, in place. */
  clampMin_(min: Tensor | number): this { math_(this, 'clampMin_', (x) => ops.clampMin(x, min), [min]); return this; }
  /** `clampMax`, in place. */
  clampMax_(max: Tensor | number): this { math_(this, 'clampMax_', (x) => ops.clampMax(x, max), [max]); return this; }
  /** `clip` (`clamp`), in place. */
  clip_(min: ClampBound | ClampOptions, max?: ClampBound | ClampOptions): this { inplace.clamp_(this, min, max ?? null, 'clip_'); return this; }
  /** `addcmul`, in place (as optimizers use it). */
  addcmul_(tensor1: Tensor, tensor2: Tensor, value?: ops.ValueOption): this { math_(this, 'addcmul_', (x) => ops.addcmul(x, tensor1, tensor2, value), [tensor1, tensor2]); return this; }
  /** `addcdiv`, in place (as optimizers use it). */
  addcdiv_(tensor1: Tensor, tensor2: Tensor, value?: ops.ValueOption): this { math_(this, 'addcdiv_', (x) => ops.addcdiv(x, tensor1, tensor2, value), [tensor1, tensor2]); return this; }
  /** `lerp`, in place (as optimizers' moving averages use it). */
  lerp_(end: Tensor, weight: Tensor | number): this { math_(this, 'lerp_', (x) => ops.lerp(x, end, weight), [end, weight]); return this; }
  /** `atan2`, in place. */
  atan2_(other: Tensor): this { math_(this, 'atan2_', (x) => ops.atan2(x, other), [other]); return this; }
  /** `remainder`, in place. */
  remainder_(other: Tensor | number): this { math_(this, 'remainder_', (x) => ops.remainder(x, other), [other]); return this; }
  /** `fmod`, in place. */
  fmod_(other: Tensor | number): this { math_(this, 'fmod_', (x) => ops.fmod(x, other), [other]); return this; }
  /** `hypot`, in place. */
  hypot_(other: Tensor): this { math_(this, 'hypot_', (x) => ops.hypot(x, other), [other]); return this; }
  /** `xlogy`, in place. */
  xlogy_(other: Tensor | number): this { math_(this, 'xlogy_', (x) => ops.xlogy(x, other), [other]); return this; }
  /** `copysign`, in place. */
  copysign_(other: Tensor | number): this { math_(this, 'copysign_', (x) => ops.copysign(x, other), [other]); return this; }
  /** `floorDivide`, in place. */
  floorDivide_(other: Tensor | number): this { math_(this, 'floorDivide_', (x) => ops.floorDivide(x, other), [other]); return this; }
  /** `trueDivide` (`div_`), in place. */
  trueDivide_(other: Tensor | number, ...extra: never[]): this {
    if (extra.length > 0 && extra[0] !== undefined) ops.trueDivide(this, other, ...extra); // refuses, as trueDivide does
    inplace.div_(this, other);
    return this;
  }
  /** `logicalAnd`, in place: 1/0 written into this tensor (outside the graph). */
  logicalAnd_(other: Tensor): this { logical_(this, 'logicalAnd_', (x) => ops.logicalAnd(x, other), [other]); return this; }
  /** `logicalOr`, in place (outside the graph). */
  logicalOr_(other: Tensor): this { logical_(this, 'logicalOr_', (x) => ops.logicalOr(x, other), [other]); return this; }
  /** `logicalXor`, in place (outside the graph). */
  logicalXor_(other: Tensor): this { logical_(this, 'logicalXor_', (x) => ops.logicalXor(x, other), [other]); return this; }
  /** `logicalNot`, in place (outside the graph). */
  logicalNot_(): this { logical_(this, 'logicalNot_', (x) => ops.logicalNot(x), []); return this; }
  neg(): Tensor {
    refuseMaskNeg(this, 'neg');
    return ops.neg(this);
  }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  // s55 elementwise math
  /** The sine of each element (PyTorch's `sin`). */
  sin(): Tensor { return ops.sin(this); }
  /** The cosine of each element (PyTorch's `cos`). */
  cos(): Tensor { return ops.cos(this); }
  // s56 unary math
  /** The tangent of each element (PyTorch's `tan`). */
  tan(): Tensor { return ops.tan(this); }
  /** `tan` in place. */
  tan_(): this { unaryMath.unaryMath_(this, 'tan'); return this; }
  /** The arcsine of each element (NaN outside [−1, 1]) (PyTorch's `asin`). */
  asin(): Tensor { return ops.asin(this); }
  /** `asin` in place. */
  asin_(): this { unaryMath.unaryMath_(this, 'asin'); return this; }
  /** The arccosine of each element (NaN outside [−1, 1]) (PyTorch's `acos`). */
  acos(): Tensor { return ops.acos(this); }
  /** `acos` in place. */
  acos_(): this { unaryMath.unaryMath_(this, 'acos'); return this; }
  /** The arctangent of each element (PyTorch's `atan`). */
  atan(): Tensor { return ops.atan(this); }
  /** `atan` in place. */
  atan_(): this { unaryMath.unaryMath_(this, 'atan'); return this; }
  /** The hyperbolic sine of each element (PyTorch's `sinh`). */
  sinh(): Tensor { return ops.sinh(this); }
  /** `sinh` in place. */
  sinh_(): this { unaryMath.unaryMath_(this, 'sinh'); return this; }
  /** The hyperbolic cosine of each element (PyTorch's `cosh`). */
  cosh(): Tensor { return ops.cosh(this); }
  /** `cosh` in place. */
  cosh_(): this { unaryMath.unaryMath_(this, 'cosh'); return this; }
  /** The inverse hyperbolic sine of each element (PyTorch's `asinh`). */
  asinh(): Tensor { return ops.asinh(this); }
  /** `asinh` in place. */
  asinh_(): this { unaryMath.unaryMath_(this, 'asinh'); return this; }
  /** The inverse hyperbolic cosine of each element (NaN below 1) (PyTorch's `acosh`). */
  acosh(): Tensor { return ops.acosh(this); }
  /** `acosh` in place. */
  acosh_(): this { unaryMath.unaryMath_(this, 'acosh'); return this; }
  /** The inverse hyperbolic tangent of each element (±∞ at ±1, NaN beyond) (PyTorch's `atanh`). */
  atanh(): Tensor { return ops.atanh(this); }
  /** `atanh` in place. */
  atanh_(): this { unaryMath.unaryMath_(this, 'atanh'); return this; }
  /** log(1 + x), accurate for small x (−∞ at −1) (PyTorch's `log1p`). */
  log1p(): Tensor { return ops.log1p(this); }
  /** `log1p` in place. */
  log1p_(): this { unaryMath.unaryMath_(this, 'log1p'); return this; }
  /** eˣ − 1, accurate for small x (PyTorch's `expm1`). */
  expm1(): Tensor { return ops.expm1(this); }
  /** `expm1` in place. */
  expm1_(): this { unaryMath.unaryMath_(this, 'expm1'); return this; }
  /** The base-2 logarithm of each element (PyTorch's `log2`). */
  log2(): Tensor { return ops.log2(this); }
  /** `log2` in place. */
  log2_(): this { unaryMath.unaryMath_(this, 'log2'); return this; }
  /** The base-10 logarithm of each element (PyTorch's `log10`). */
  log10(): Tensor { return ops.log10(this); }
  /** `log10` in place. */
  log10_(): this { unaryMath.unaryMath_(this, 'log10'); return this; }
  /** 2ˣ for each element (PyTorch's `exp2`). */
  exp2(): Tensor { return ops.exp2(this); }
  /** `exp2` in place. */
  exp2_(): this { unaryMath.unaryMath_(this, 'exp2'); return this; }
  /** 1/x for each element (±∞ at ±0) (PyTorch's `reciprocal`). */
  reciprocal(): Tensor { return ops.reciprocal(this); }
  /** `reciprocal` in place. */
  reciprocal_(): this { unaryMath.unaryMath_(this, 'reciprocal'); return this; }
  /** 1/√x for each element (√x rounded first, as PyTorch) (PyTorch's `rsqrt`). */
  rsqrt(): Tensor { return ops.rsqrt(this); }
  /** `rsqrt` in place. */
  rsqrt_(): this { unaryMath.unaryMath_(this, 'rsqrt'); return this; }
  /** The error function of each element (PyTorch's `erf`). */
  erf(): Tensor { return ops.erf(this); }
  /** `erf` in place. */
  erf_(): this { unaryMath.unaryMath_(this, 'erf'); return this; }
  /** The complementary error function 1 − erf(x), accurate where erf(x) is near 1 (PyTorch's `erfc`). */
  erfc(): Tensor { return ops.erfc(this); }
  /** `erfc` in place. */
  erfc_(): this { unaryMath.unaryMath_(this, 'erfc'); return this; }
  /** The inverse error function of each element (±∞ at ±1, NaN beyond) (PyTorch's `erfinv`). */
  erfinv(): Tensor { return ops.erfinv(this); }
  /** `erfinv` in place. */
  erfinv_(): this { unaryMath.unaryMath_(this, 'erfinv'); return this; }
  /** The fractional part x − trunc(x), with the sign of x (PyTorch's `frac`). */
  frac(): Tensor { return ops.frac(this); }
  /** `frac` in place. */
  frac_(): this { unaryMath.unaryMath_(this, 'frac'); return this; }
  /** The normalized sinc sin(πx)/(πx), 1 at 0 (PyTorch's `sinc`). */
  sinc(): Tensor { return ops.sinc(this); }
  /** `sinc` in place. */
  sinc_(): this { unaryMath.unaryMath_(this, 'sinc'); return this; }
  /** Degrees to radians (PyTorch's `deg2rad`). */
  deg2rad(): Tensor { return ops.deg2rad(this); }
  /** `deg2rad` in place. */
  deg2rad_(): this { unaryMath.unaryMath_(this, 'deg2rad'); return this; }
  /** Radians to degrees (PyTorch's `rad2deg`). */
  rad2deg(): Tensor { return ops.rad2deg(this); }
  /** `rad2deg` in place. */
  rad2deg_(): this { unaryMath.unaryMath_(this, 'rad2deg'); return this; }
  /** log(x/(1 − x)), x clamped into [eps, 1 − eps] when eps is given: `x.logit()`, `x.logit(1e-6)`, `x.logit({ eps: 1e-6 })`. */
  logit(eps?: number | null | ops.LogitOptions): Tensor { return ops.logit(this, eps); }
  /** `logit` in place. */
  logit_(eps?: number | null | ops.LogitOptions): this { unaryMath.logit_(this, eps); return this; }
  /** NaN, +∞, −∞ replaced (PyTorch's `nan_to_num`): by 0 and float32's extremes, or `x.nanToNum(0, 1e4, -1e4)`, `x.nanToNum({ posinf: 1 })`. */
  nanToNum(nan?: number | ops.NanToNumOptions, posinf?: number | null, neginf?: number | null): Tensor { return ops.nanToNum(this, nan, posinf, neginf); }
  /** `nanToNum` in place (PyTorch's `nan_to_num_`). */
  nanToNum_(nan?: number | ops.NanToNumOptions, posinf?: number | null, neginf?: number | null): this { unaryMath.nanToNum_(this, nan, posinf, neginf); return this; }
  /** 1 where the element is NaN, else 0 (float32, no gradient, as comparisons). */
  isnan(): Tensor { return ops.isnan(this); }
  /** 1 where the element is +∞ or −∞, else 0. */
  isinf(): Tensor { return ops.isinf(this); }
  /** 1 where the element is neither NaN nor ±∞, else 0. */
  isfinite(): Tensor { return ops.isfinite(this); }
  /** 1 where the element is +∞, else 0. */
  isposinf(): Tensor { return ops.isposinf(this); }
  /** 1 where the element is −∞, else 0. */
  isneginf(): Tensor { return ops.isneginf(this); }
  /** 1 where the sign bit is set (negative values, −0, −∞, a negative NaN), else 0. */
  signbit(): Tensor { return ops.signbit(this); }
  /** Rounded down, up, half to even (PyTorch's `round`: 2.5 → 2) or toward zero; their gradient is zeros, as PyTorch's. */
  floor(): Tensor { return ops.rounding(this, 'floor'); }
  ceil(): Tensor { return ops.rounding(this, 'ceil'); }
  /** Rounded half to even; to `decimals` decimal places when given (`x.round(2)` or `x.round({ decimals: 2 })`), as PyTorch's. */
  round(decimals?: number | { decimals?: number }): Tensor { return decimals === undefined ? ops.rounding(this, 'round') : roundDecimals(this, decimals); }
  trunc(): Tensor { return ops.rounding(this, 'trunc'); }
  /** `value` where `mask` is non-zero, this tensor elsewhere (PyTorch's `masked_fill`; the mask broadcasts). */
  maskedFill(mask: Tensor, value: number | Tensor): Tensor {
    if (!(mask instanceof Tensor)) throw new TypeError(`maskedFill: the mask must be a Tensor (1 where to fill, 0 elsewhere, as comparisons give), got ${typeof mask}`);
    if (typeof value === 'number') float32Scalar('maskedFill', 'value', value);
    else if (!(value instanceof Tensor)) throw new TypeError(`maskedFill: the value must be a number or a 0-d tensor, got ${typeof value}`);
    else if (value.ndim !== 0) {
      throw new RangeError(`maskedFill: a tensor value must have 0 dimensions (as PyTorch's masked_fill), got shape ${formatShape(value.shape)}`);
    }
    broadcastShapes(mask.shape, this.shape, 'maskedFill');
    // Of a mask, a mask, the value cast to bool (non-zero, NaN too, is true), as PyTorch's masked_fill of a bool tensor.
    if (isMask(this)) return markMask(ops.whereNamed(mask, Number((value instanceof Tensor ? value.item() : value) !== 0), this, undefined));
    return ops.whereNamed(mask, value, this, typeof value === 'number' ? 'MaskedFillBackward0' : 'MaskedFillBackward1');
  }
  /** This tensor where `condition` is non-zero, `other` elsewhere: PyTorch's `x.where(condition, y)`, `where(condition, x, y)`. */
  where(condition: Tensor, other: Tensor | number): Tensor { return ops.where(condition, this, other); }
  /** 1 if any element is non-zero (NaN counts), else 0, over everything or `dim`, as PyTorch's `any` (float32 1/0). */
  any(dim?: number, keepdim = false): Tensor {
    if (dim !== undefined) normalizeDim(dim, this.ndim, 'any');
    checkKeepdim(keepdim, 'any');
    return ops.gt(ops.sum(ops.ne(this, 0), dim, keepdim), 0);
  }
  /** 1 if every element is non-zero (NaN counts), else 0, over everything or `dim`, as PyTorch's `all`. */
  all(dim?: number, keepdim = false): Tensor {
    if (dim !== undefined) normalizeDim(dim, this.ndim, 'all');
    checkKeepdim(keepdim, 'all');
    return ops.eq(ops.sum(ops.eq(this, 0), dim, keepdim), 0);
  }
  /**
   * This tensor: Kindling's tensors are float32 already, as `x.float()` makes PyTorch's; of a mask (a comparison's
   * result, PyTorch's bool tensor) an unmarked copy, whose 1s and 0s `index` reads as positions.
   */
  float(): Tensor { return isMask(this) ? new Tensor(this.toArray(), this.shape) : this; }
  /**
   * PyTorch's `x.type()`: 'torch.FloatTensor', the type of Kindling's float32 CPU tensors; given a type
   * (`x.type('torch.FloatTensor')`, `x.type('float32')`, `x.type('torch.BoolTensor')`), what `to` gives for its
   * dtype; another type (`'torch.LongTensor'`) is refused, as `to` refuses another dtype.
   */
  type(): string;
  type(dtype: null | { nonBlocking?: boolean }): string;
  type(dtype: string | { dtype: string; nonBlocking?: boolean }, nonBlocking?: boolean): Tensor;
  type(dtype?: unknown, nonBlocking?: unknown): string | Tensor {
    const asked = checkTensorType('x.type', dtype, nonBlocking);
    return asked === null ? (isMask(this) ? 'torch.BoolTensor' : 'torch.FloatTensor') : this.asDtype(asked, false);
  }
  /**
   * 'float32', PyTorch's `x.dtype` (`torch.float32`): Kindling computes in float32 only; of a mask (a comparison's
   * result, stored as float32 1/0), 'bool', as PyTorch's `torch.bool`.
   */
  get dtype(): TensorDtype { return isMask(this) ? 'bool' : DTYPE; }
  /** 'cpu', PyTorch's `x.device`: Kindling computes on the CPU only. */
  get device(): typeof DEVICE { return DEVICE; }
  /** Elements between neighbours along each dimension, or along `dim` (PyTorch's `stride()`; also the `strides` array). */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    return dim === undefined ? this.strides.slice() : this.strides[normalizeDim(dim, this.ndim, 'stride')]!;
  }
  /** Where this tensor's first element lies in its storage, in elements (PyTorch's `storage_offset()`: non-zero for views such as `x.select(0, 1)`). */
  storageOffset(): number {
    const own = this.unsettledData;
    const root = this.viewBase === null ? storageRoot(own) : storageRoot(this.viewBase.unsettledData);
    return (own.byteOffset - root.byteOffset) / 4;
  }
  /** Bytes per element as PyTorch's `element_size()`: 4, for float32; 1 for a mask (a bool tensor there; 4 bytes here). */
  elementSize(): number { return isMask(this) ? 1 : 4; }
  /** False: Kindling computes on the CPU (PyTorch's `is_cuda`). */
  get isCuda(): boolean { return false; }
  /** True (PyTorch's `is_cpu`). */
  get isCpu(): boolean { return true; }
  /** −1, a CPU tensor's device index (PyTorch's `get_device()`). */
  getDevice(): number { return -1; }
  /** True: float32 is signed (PyTorch's `is_signed()`); false for a mask, as for PyTorch's bool tensors. */
  isSigned(): boolean { return !isMask(this); }
  /**
   * This tensor, as PyTorch's `x.to('cpu')`, `x.to('float32')` or `x.to(other)` give it when nothing changes (a copy
   * with `{ copy: true }`); to 'bool' (or a mask `other`'s dtype) `x.bool()`, and a mask to 'float32' `m.float()`, as
   * PyTorch's bool tensors; a GPU device or another dtype is refused, saying that Kindling has none.
   */
  to(...args: unknown[]): Tensor {
    const { copy, dtype } = checkTo('x.to', args, (v) => v instanceof Tensor);
    const like = args.filter((a): a is Tensor => a instanceof Tensor).pop();
    return this.asDtype(dtype ?? (like === undefined ? undefined : isMask(like) ? 'bool' : DTYPE), copy);
  }
  /** This tensor as `dtype` (undefined: its own), for `to` and `type`: a mask to float32 or a tensor to bool converted. */
  private asDtype(dtype: TensorDtype | undefined, copy: boolean): Tensor {
    const mask = isMask(this);
    if (dtype === 'bool' && !mask) return this.bool();
    if (dtype === DTYPE && mask) return this.float();
    return copy ? ops.clone(this, 'ToCopyBackward0') : this;
  }
  /** This tensor: it is on the CPU already (PyTorch's `x.cpu()`). */
  cpu(): Tensor { return this; }
  /** Refused: Kindling has no GPU (PyTorch's `x.cuda()`). */
  cuda(_device?: unknown): never { throw deviceError('x.cuda', 'cuda'); }
  /** Refused: Kindling's tensors are float32 only (PyTorch's `x.double()`). */
  double(): never { throw dtypeError('x.double', 'float64'); }
  /** Refused: Kindling's tensors are float32 only (PyTorch's `x.half()`). */
  half(): never { throw dtypeError('x.half', 'float16'); }
  /** Refused: Kindling's tensors are float32 only; class indices are float32 whole numbers (PyTorch's `x.long()`). */
  long(): never { throw dtypeError('x.long', 'int64'); }
  /** Refused: Kindling's tensors are float32 only (PyTorch's `x.int()`). */
  int(): never { throw dtypeError('x.int', 'int32'); }
  /** Refused: Kindling's tensors are float32 only (PyTorch's `x.short()`). */
  short(): never { throw dtypeError('x.short', 'int16'); }
  /** Refused: Kindling's tensors are float32 only (PyTorch's `x.char()`). */
  char(): never { throw dtypeError('x.char', 'int8'); }
  /** Refused: Kindling's tensors are float32 only (PyTorch's `x.byte()`). */
  byte(): never { throw dtypeError('x.byte', 'uint8'); }
  /**
   * A mask of this tensor's non-zero elements (NaN counts), as PyTorch's `x.bool()`: 1/0 in float32, marked as the
   * results of comparisons are, so that `x.index([m.bool()])` selects by it as PyTorch's `x[m.bool()]`.
   */
  bool(): Tensor { return ops.ne(this.detach(), 0); }
  /** Refused: there is no NumPy in JavaScript (PyTorch's `x.numpy()`); says to use `tolist()`. */
  numpy(): never {
    throw new TypeError('x.numpy: there is no NumPy in JavaScript; use x.tolist() for the values as nested arrays of numbers (x.flatten().tolist() for one flat array)');
  }
  /** The values as nested arrays, for `JSON.stringify(t)` (the same as `tolist()`). */
  toJSON(): NestedArray { return this.tolist(); }
  abs(): Tensor { refuseMaskReduction(this, 'abs'); return ops.abs(this); }
  /** 1 where x > 0, −1 where x < 0, 0 elsewhere (zeros and NaN, as PyTorch's sign); its gradient is zeros. */
  sign(): Tensor { return keepMask(this, ops.sign(this)); }
  /** x·x; its node is PyTorch's for `x.square()`, PowBackward0. */
  square(): Tensor { return ops.mul(this, this, 'PowBackward0'); }
  /** Clamped into [min, max]: both bounds numbers, or both tensors broadcast with this one (either may be null), as PyTorch's `clamp`. */
  clamp(min: ClampBound | ClampOptions, max?: ClampBound | ClampOptions): Tensor { return ops.clamp(this, min, max ?? null); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  relu(): Tensor { return ops.relu(this); }
  leakyRelu(negativeSlope: number | { negativeSlope?: number } = 0.01): Tensor { return ops.leakyRelu(this, negativeSlope); }
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  /** The sum over `dim` (all by default), as PyTorch's `sum(dim, keepdim)`; keywords as options: `sum({ dim: 1, keepdim: true })`. */
  sum(dim?: number | readonly number[] | null | ReduceOptions, keepdim?: boolean): Tensor { return ops.sum(this, dim, keepdim); }
  /** The mean over `dim` (all by default), as PyTorch's `mean(dim, keepdim)`, or `mean({ dim, keepdim })`. */
  mean(dim?: number | readonly number[] | null | ReduceOptions, keepdim?: boolean): Tensor {
    refuseMaskReduction(this, 'mean');
    return ops.mean(this, dim, keepdim);
  }
  /** log Σ exp(x) over `dim` (a dimension or a list of them), computed stably, as PyTorch's `logsumexp(dim, keepdim)`. */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor { return ops.logsumexp(this, dim, keepdim); }
  // s55 reductions and products
  /** The product of all elements, or along `dim` (PyTorch's `prod(dim, keepdim)`), with PyTorch's gradient where the input has zeros. */
  prod(dim?: number, keepdim = false): Tensor { return ops.prod(this, dim, keepdim); }
  /** The largest value over `dim` (a dimension or a list; all by default), its gradient shared by ties, as PyTorch's `amax`. */
  amax(dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.amax(this, dim, keepdim); }
  /** The smallest value over `dim` (a dimension or a list; all by default), its gradient shared by ties, as PyTorch's `amin`. */
  amin(dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.amin(this, dim, keepdim); }
  /** `{ min, max }` over everything or along `dim` (also the pair `[min, max]`), as PyTorch's `aminmax(dim=, keepdim=)`; no gradient. */
  aminmax(options: { dim?: number | null; keepdim?: boolean } = {}): ops.MinMax { return ops.aminmax(this, options); }
  /** The sum over `dim` (all by default) with NaN counted as 0, as PyTorch's `nansum`. */
  nansum(dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.nansum(this, dim, keepdim); }
  /** The mean of the values that are not NaN over `dim` (all by default), as PyTorch's `nanmean`. */
  nanmean(dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.nanmean(this, dim, keepdim); }
  /** How many values are not 0 over `dim` (all by default), as PyTorch's `count_nonzero` (float32 whole numbers). */
  countNonzero(dim?: number | readonly number[] | null, ...extra: never[]): Tensor { return ops.countNonzero(this, dim, ...extra); }
  /** The n-th forward difference along `dim` (the last by default), `prepend`/`append` joined on first, as PyTorch's `diff`. */
  diff(n = 1, dim = -1, ...rest: PositionalThenOptions<[Tensor | null, Tensor | null], ops.DiffOptions>): Tensor { return ops.diff(this, n, dim, ...rest); }
  /** 1 where this and `other` are close (|a − b| ≤ atol + rtol·|b|), as PyTorch's `isclose(other, rtol=1e-5, atol=1e-8, equal_nan=False)`. */
  isclose(other: Tensor | number, rtol?: number | ops.CloseOptions, atol?: number, equalNan?: boolean): Tensor { return ops.isclose(this, other, rtol, atol, equalNan); }
  /** Whether every value is close to `other`'s, as PyTorch's `allclose` (a boolean). */
  allclose(other: Tensor | number, rtol?: number | ops.CloseOptions, atol?: number, equalNan?: boolean): boolean { return ops.allclose(this, other, rtol, atol, equalNan); }
  /** Whether `other` has this shape and these values, as PyTorch's `equal` (a boolean; NaN equals nothing). */
  equal(other: Tensor): boolean { return ops.equal(this, other); }
  /** The running largest value along `dim` and its index, as PyTorch's `cummax`: `const [values, indices] = x.cummax(0)`. */
  cummax(dim: number, ...extra: never[]): ValuesIndices { return ops.cummax(this, dim, ...extra); }
  /** The running smallest value along `dim` and its index, as PyTorch's `cummin`. */
  cummin(dim: number, ...extra: never[]): ValuesIndices { return ops.cummin(this, dim, ...extra); }
  median(): Tensor;
  /** The lower median of everything, or `{ values, indices }` along `dim`, as PyTorch's `median` (NaN propagates; ties as PyTorch picks them). */
  median(dim: number, keepdim?: boolean): ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | ValuesIndices { return ops.median(this, dim, keepdim); }
  nanmedian(): Tensor;
  /** As `median`, over the values that are not NaN, as PyTorch's `nanmedian`. */
  nanmedian(dim: number, keepdim?: boolean): ValuesIndices;
  nanmedian(dim?: number, keepdim = false): Tensor | ValuesIndices { return ops.nanmedian(this, dim, keepdim); }
  /** The k-th smallest value (k from 1) along `dim` (the last by default) and its index, as PyTorch's `kthvalue`. */
  kthvalue(k: number, dim = -1, keepdim = false): ValuesIndices { return ops.kthvalue(this, k, dim, keepdim); }
  /** The most frequent value along `dim` (the last by default) and an index of it, as PyTorch's `mode`. */
  mode(dim = -1, keepdim = false): ValuesIndices { return ops.mode(this, dim, keepdim); }
  /** The running log Σ exp along `dim`, as PyTorch's `logcumsumexp`. */
  logcumsumexp(dim: number, ...extra: never[]): Tensor { return ops.logcumsumexp(this, dim, ...extra); }
  unique(options?: ops.UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  unique(options: ops.UniqueOptions & ({ returnInverse: true } | { returnCounts: true })): Tensor[];
  /** The distinct values, sorted (or slices along `dim`); with `returnInverse`/`returnCounts` the array [values, inverse?, counts?], as PyTorch's `unique`. */
  unique(options?: ops.UniqueOptions): Tensor | Tensor[];
  unique(options: ops.UniqueOptions = {}): Tensor | Tensor[] { return ops.unique(this, options); }
  uniqueConsecutive(options?: Omit<ops.UniqueOptions, 'sorted'> & { returnInverse?: false; returnCounts?: false }): Tensor;
  uniqueConsecutive(options: Omit<ops.UniqueOptions, 'sorted'> & ({ returnInverse: true } | { returnCounts: true })): Tensor[];
  /** Each run of equal neighbours kept once, as PyTorch's `unique_consecutive`. */
  uniqueConsecutive(options?: Omit<ops.UniqueOptions, 'sorted'>): Tensor | Tensor[];
  uniqueConsecutive(options: Omit<ops.UniqueOptions, 'sorted'> = {}): Tensor | Tensor[] { return ops.uniqueConsecutive(this, options); }
  /** How many times each whole number 0, 1, … occurs (or the sum of its `weights`), as PyTorch's `bincount(weights, minlength)`. */
  bincount(...args: PositionalThenOptions<[Tensor | null, number], ops.BincountOptions>): Tensor { return ops.bincount(this, ...args); }
  /** A histogram in `bins` equal bins over [min, max], as PyTorch's `histc(bins=100, min=0, max=0)`, by position or named. */
  histc(...args: PositionalThenOptions<[number, number, number], ops.HistcOptions>): Tensor { return ops.histc(this, ...args); }
  /** The product of two matrices, as PyTorch's `mm` (no broadcasting). */
  mm(mat2: Tensor): Tensor { return ops.mm(this, mat2); }
  /** Matrix products batch by batch of two 3-D tensors, as PyTorch's `bmm`. */
  bmm(mat2: Tensor): Tensor { return ops.bmm(this, mat2); }
  /** This matrix times a vector, as PyTorch's `mv`. */
  mv(vec: Tensor): Tensor { return ops.mv(this, vec); }
  /** The dot product of two 1-D tensors, as PyTorch's `dot`. */
  dot(other: Tensor): Tensor { return ops.dot(this, other); }
  /** The outer product of two 1-D tensors, as PyTorch's `outer`. */
  outer(vec2: Tensor): Tensor { return ops.outer(this, vec2); }
  /** PyTorch's older name for `outer`. */
  ger(vec2: Tensor): Tensor { return ops.outer(this, vec2, 'ger'); }
  /** Sums of products over the last dimension of each, as PyTorch's `inner`. */
  inner(other: Tensor): Tensor { return ops.inner(this, other); }
  /** The Kronecker product, as PyTorch's `kron`. */
  kron(other: Tensor): Tensor { return ops.kron(this, other); }
  /** log|Γ(x)|, as PyTorch's `lgamma`. */
  lgamma(): Tensor { return ops.lgamma(this); }
  /** ψ(x), as PyTorch's `digamma`. */
  digamma(): Tensor { return ops.digamma(this); }
  /** ψ⁽ⁿ⁾(x), as PyTorch's `x.polygamma(n)`. */
  polygamma(n: number): Tensor { return ops.polygamma(n, this); }
  /** The multivariate log-gamma of dimension p, as PyTorch's `mvlgamma`. */
  mvlgamma(p: number): Tensor { return ops.mvlgamma(this, p); }
  /** The lower regularized incomplete gamma function P(this, other), as PyTorch's `igamma` (`special.gammainc`). */
  igamma(other: Tensor): Tensor { return gammainc(this, other); }
  /** The upper regularized incomplete gamma function Q(this, other), as PyTorch's `igammac` (`special.gammaincc`). */
  igammac(other: Tensor): Tensor { return gammaincc(this, other); }
  /** The determinant of each square matrix, as PyTorch's `det` (`linalg.det`). */
  det(): Tensor { return linalgDet(this); }
  /** The inverse of each square matrix, as PyTorch's `inverse` (`linalg.inv`). */
  inverse(): Tensor { return linalgInv(this); }
  /** log(det) of each square matrix (NaN for a negative determinant), as PyTorch's `logdet`. */
  logdet(): Tensor { return linalgLogdet(this); }
  /** `[sign, log|det|]` of each square matrix, as PyTorch's `slogdet`. */
  slogdet(): [Tensor, Tensor] { return linalgSlogdet(this); }
  /** The cross product with `other` along `dim` (of length 3), as PyTorch's `cross`. */
  cross(other: Tensor, dim?: number): Tensor { return ops.cross(this, other, dim); }
  /** β·this + α·(mat1 · mat2), as PyTorch's `addmm(mat1, mat2, beta=1, alpha=1)`. */
  addmm(mat1: Tensor, mat2: Tensor, options?: ops.AddProductOptions): Tensor { return ops.addmm(this, mat1, mat2, options); }
  /** β·this + α·(mat · vec), as PyTorch's `addmv`. */
  addmv(mat: Tensor, vec: Tensor, options?: ops.AddProductOptions): Tensor { return ops.addmv(this, mat, vec, options); }
  /** β·this + α·(batch1 @ batch2) batch by batch, as PyTorch's `baddbmm`. */
  baddbmm(batch1: Tensor, batch2: Tensor, options?: ops.AddProductOptions): Tensor { return ops.baddbmm(this, batch1, batch2, options); }
  /** β·this + α·Σ batch1[i] @ batch2[i], as PyTorch's `addbmm`. */
  addbmm(batch1: Tensor, batch2: Tensor, options?: ops.AddProductOptions): Tensor { return ops.addbmm(this, batch1, batch2, options); }
  /** The running sum along `dim`, as PyTorch's `cumsum` (accumulated in float64, each value rounded to float32). */
  cumsum(dim: number, options?: ops.ScanOptions): Tensor { return ops.cumsum(this, dim, options); }
  /** The running product along `dim`, as PyTorch's `cumprod`, with PyTorch's gradient where the input has zeros. */
  cumprod(dim: number, options?: ops.ScanOptions): Tensor { return ops.cumprod(this, dim, options); }
  /**
   * The variance over `dim` (all dimensions when left out or null), as PyTorch's: `x.var()`, `x.var(1)`, `x.var(1,
   * false, true)` (unbiased, keepdim) or `x.var(1, { correction: 0, keepdim: true })`; unbiased (n − 1) by default.
   */
  var(dim?: number | readonly number[] | null | boolean | VarianceOptions, unbiased?: boolean | VarianceOptions, keepdim?: boolean): Tensor {
    return ops.varianceCall(this, false, dim, unbiased, keepdim);
  }
  /** The standard deviation, the square root of `var` with the same arguments (PyTorch's `std`). */
  std(dim?: number | readonly number[] | null | boolean | VarianceOptions, unbiased?: boolean | VarianceOptions, keepdim?: boolean): Tensor {
    return ops.varianceCall(this, true, dim, unbiased, keepdim);
  }
  /**
   * The p-norm over `dim` (all dimensions when left out or null), as PyTorch's `x.norm(p, dim, keepdim)`: 'fro' (the
   * 2-norm, the default), any number, Infinity (the largest |x|), −Infinity, 0 (the count of non-zero values), or
   * 'nuc' (the sum of a matrix's singular values).
   */
  norm(p?: NormOrder, dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.norm(this, p, dim, keepdim); }
  max(): Tensor;
  /** `{ values, indices }` along `dim`, also a pair: `const [values, indices] = x.max(1)`. */
  max(dim: number, keepdim?: boolean): ValuesIndices;
  /** The elementwise maximum with `other` (broadcast), as PyTorch's `x.max(other)`: `maximum(other)`. */
  max(other: Tensor): Tensor;
  max(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ops.maximum(this, dim);
    return dim === undefined ? keepMask(this, ops.maxAll(this)) : ops.maxDim(this, dim, keepdim);
  }
  argmax(dim?: number | null, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  min(): Tensor;
  /** `{ values, indices }` along `dim`, also a pair: `const [values, indices] = x.min(1)`. */
  min(dim: number, keepdim?: boolean): ValuesIndices;
  /** The elementwise minimum with `other` (broadcast), as PyTorch's `x.min(other)`: `minimum(other)`. */
  min(other: Tensor): Tensor;
  min(dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
    if (dim instanceof Tensor) return ops.minimum(this, dim);
    return dim === undefined ? keepMask(this, ops.minAll(this)) : ops.minDim(this, dim, keepdim);
  }
  argmin(dim?: number | null, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  /** The `k` largest values along `dim` (the last by default) and their indices, as PyTorch's `topk`: `const [values, indices] = x.topk(3)`. */
  topk(k: number, dim = -1, largest = true, sorted = true): ValuesIndices { return ops.topk(this, k, dim, largest, sorted); }
  /**
   * The values along `dim` (the last by default) in order, and where each came from, as PyTorch's `sort`: `const
   * [sorted, indices] = x.sort()`, `x.sort(0, true)`, `x.sort({ dim: 0, stable: true })` (equal values in the order of their indices).
   */
  sort(dim?: number | SortOptions, descending?: boolean): ValuesIndices { return ops.sort(this, dim, descending); }
  /** The indices that sort the values along `dim`, as PyTorch's `argsort` (`x.argsort(0, true)`, `x.argsort({ stable: true })`). */
  argsort(dim?: number | SortOptions, descending?: boolean): Tensor { return ops.argsort(this, dim, descending); }
  /** Same values in a new shape, as `reshape(2, -1)` or `reshape([2, -1])` (one size may be −1: inferred). */
  reshape(...shape: number[] | [readonly number[]]): Tensor { return ops.reshape(this, sizesArg('reshape', shape)); }
  /** Like `reshape`, but never copies: a shape that splits or merges dimensions laid out one after the other, as PyTorch's view. */
  view(...shape: number[] | [readonly number[]]): Tensor { return ops.view(this, sizesArg('view', shape)); }
  /**
   * Dimensions `startDim` … `endDim` merged into one (all of them by default), as PyTorch's `flatten`; with nothing
   * to merge (a 1-D tensor, `flatten(1, 1)`), this tensor itself, as there.
   */
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  /** The transpose of a 2-D tensor (dimensions reversed in general), as a view. */
  get T(): Tensor { return ops.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); }
  /** PyTorch's `t()`: a 2-D tensor's transpose, as a view; a 0-D or 1-D tensor as it is. More dimensions are refused. */
  t(): Tensor {
    if (this.ndim > 2) throw new RangeError(`t: expects a tensor of at most 2 dimensions, got shape ${formatShape(this.shape)} (use transpose(dim0, dim1) or permute)`);
    return this.ndim < 2 ? ops.permute(this, this.shape.map((_, i) => i), 'TBackward0') : ops.transpose(this, 0, 1, 'TBackward0');
  }
  /** Reorders the dimensions, as `permute(2, 0, 1)` or `permute([2, 0, 1])`. */
  permute(...dims: number[] | [readonly number[]]): Tensor { return ops.permute(this, sizesArg('permute', dims)); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  squeeze(dim?: number): Tensor { return ops.squeeze(this, dim); }
  /** Broadcasts size-1 dimensions, as `expand(3, -1)` or `expand([3, -1])` (−1 keeps a dimension). */
  expand(...shape: number[] | [readonly number[]]): Tensor { return ops.expand(this, sizesArg('expand', shape)); }
  /** The slice at `index` (a number or a 0-d tensor) along `dim` (PyTorch's `x[i]` is `x.select(0, i)`): a view. */
  select(dim: number, index: number | Tensor): Tensor { return ops.select(this, dim, index); }

  /** The slices along dimension 0, as iterating over a PyTorch tensor gives (`for (const row of x)`, `[...x]`). */
  *[Symbol.iterator](): Iterator<Tensor> {
    if (this.ndim === 0) throw new TypeError('iteration over a 0-d tensor (as PyTorch says); use item() for its value');
    const n = this.shape[0]!;
    // PyTorch iterates over unbind(0): each slice's node is UnbindBackward0.
    for (let i = 0; i < n; i++) yield numberPiece(ops.select(this, 0, i, 'UnbindBackward0'), i);
  }
  /** `length` elements along `dim` from `start` (PyTorch's `x[a:b]` is `x.narrow(0, a, b - a)`): a view. */
  narrow(dim: number, start: number | Tensor, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  // s56 indexing ops
  /** The `offset`-th diagonal of dimensions `dim1` and `dim2` as the last dimension, as PyTorch's `diagonal`: a view. */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return ops.diagonal(this, offset, dim1, dim2); }
  /** A 1-D tensor as a diagonal matrix, or a 2-D tensor's `diagonal`-th diagonal (a copy), as PyTorch's `diag`. */
  diag(diagonal = 0): Tensor { return ops.diag(this, diagonal); }
  /** The last dimension on the `offset`-th diagonal of new dimensions `dim1` and `dim2`, zeros elsewhere, as PyTorch's `diag_embed`. */
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1): Tensor { return ops.diagEmbed(this, offset, dim1, dim2); }
  /** The sum of a matrix's main diagonal (0-d), as PyTorch's `trace`. */
  trace(): Tensor { return ops.trace(this); }
  /** Repeated `dims[i]` times along each dimension (fewer dims repeat the last ones), as PyTorch's `tile`: `x.tile(2, 3)` or `x.tile([2, 3])`. */
  tile(...dims: number[] | [readonly number[]]): Tensor { return ops.tile(this, sizesArg('tile', dims)); }
  /** Each slice along `dim` (each element of the flattened tensor without dim) repeated in place, as PyTorch's `repeat_interleave`. */
  repeatInterleave(repeats: number | Tensor, dim?: number | RepeatInterleaveOptions, options?: RepeatInterleaveOptions): Tensor {
    // PyTorch's method needs repeats: the one-argument form (the indices repeated) is the function's.
    if (repeats === undefined || (typeof repeats === 'object' && !(repeats instanceof Tensor))) throw new TypeError(`repeatInterleave: repeats must be a number or a tensor of whole numbers, got ${repeats === undefined ? 'undefined' : 'an object'}`);
    return ops.repeatInterleave(this, repeats, dim, options);
  }
  /** Dimension `dim` split into `sizes` (one may be −1), as PyTorch's `unflatten`: a view. */
  unflatten(dim: number, sizes: readonly number[]): Tensor { return ops.unflatten(this, dim, sizes); }
  /** Rotated by 90° `k` times in the plane of `dims`, from the first toward the second, as PyTorch's `rot90` (a copy). */
  rot90(k = 1, dims: readonly number[] = [0, 1]): Tensor { return ops.rot90(this, k, dims); }
  /** Zeros of the sizes given, as PyTorch's `new_zeros` (options last: `{ requiresGrad: true }`). */
  newZeros(...args: SizesAndOptions<TensorOptions>): Tensor { return this.newOfMask(ops.newZeros(...args), args.at(-1), 'newZeros'); }
  /** Ones of the sizes given, as PyTorch's `new_ones`. */
  newOnes(...args: SizesAndOptions<TensorOptions>): Tensor { return this.newOfMask(ops.newOnes(...args), args.at(-1), 'newOnes'); }
  /** A tensor of `size` filled with `value` (a number or a 0-d tensor that does not require grad), as PyTorch's `new_full`. */
  newFull(size: readonly number[], value: number | Tensor, options?: TensorOptions): Tensor { return this.newOfMask(ops.newFull(size, value, options), options, 'newFull'); }
  /** A tensor of the sizes given, as PyTorch's `new_empty` (zeros in Kindling). */
  newEmpty(...args: SizesAndOptions<TensorOptions>): Tensor { return ops.newEmpty(...args); }
  /** A new tensor of `data` (copied, outside any graph), as PyTorch's `new_tensor`. */
  newTensor(data: NestedArray | ArrayLike<number> | Tensor, options?: TensorOptions): Tensor { return this.newOfMask(ops.newTensor(data, options), options, 'newTensor'); }
  /** A `new*` result of a mask (no dtype asked) as a mask of its non-zero values, as PyTorch's `new_*` of a bool tensor. */
  private newOfMask(out: Tensor, options: unknown, op: string): Tensor {
    return keepsMask(this, isPlainObject(options) ? (options as TensorOptions) : undefined, op) ? ops.ne(out, 0) : out;
  }
  /** The elements where `mask` (broadcast with this tensor) is non-zero, as a 1-D tensor, as PyTorch's `masked_select`. */
  maskedSelect(mask: Tensor): Tensor { return ops.maskedSelect(this, mask); }
  /** The coordinates of the non-zero elements, [n, ndim] (one 1-D tensor per dimension with `{ asTuple: true }`), as PyTorch's `nonzero`. */
  nonzero(options?: { asTuple?: false }): Tensor;
  nonzero(options: { asTuple: true }): Tensor[];
  nonzero(options?: ops.NonzeroOptions): Tensor | Tensor[] { return ops.nonzero(this, options); }
  /** The coordinates of the non-zero elements as an [n, ndim] tensor, as PyTorch's `argwhere`. */
  argwhere(): Tensor { return ops.argwhere(this); }
  /** `src`'s elements (or `value`) written along `dim` at `index`'s places, as PyTorch's `scatter` (`{ reduce: 'add' | 'multiply' }`). */
  scatter(dim: number, index: Tensor, src: Tensor | number | boolean, options?: ops.ScatterOptions): Tensor { return ops.scatter(this, dim, index, src, options); }
  /** `src`'s elements added along `dim` at `index`'s places (repeated places get each), as PyTorch's `scatter_add`. */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.scatterAdd(this, dim, index, src); }
  /** `source`'s slices (times `alpha`) added into the slices along `dim` at `index`, as PyTorch's `index_add`. */
  indexAdd(dim: number, index: Tensor, source: Tensor, options?: ops.IndexAddOptions): Tensor { return ops.indexAdd(this, dim, index, source, options); }
  /** The slices along `dim` at `index` set to `value` (a number or a 0-d tensor), as PyTorch's `index_fill`. */
  indexFill(dim: number, index: Tensor, value: number | Tensor): Tensor { return ops.indexFill(this, dim, index, value); }
  /** The slices along `dim` at `index` replaced by `source`'s, as PyTorch's `index_copy`. */
  indexCopy(dim: number, index: Tensor, source: Tensor): Tensor { return ops.indexCopy(this, dim, index, source); }
  /** The elements of the flattened tensor at `index`'s places (negative ones from the end), in index's shape, as PyTorch's `take`. */
  take(index: Tensor): Tensor { return ops.take(this, index); }
  /** `source`'s values written at the flattened tensor's places `index` gives (added with `accumulate`), as PyTorch's `put`. */
  put(index: Tensor, source: Tensor, options?: ops.PutOptions | boolean): Tensor { return ops.put(this, index, source, options); }
  /** `put` in place, as PyTorch's `put_`. */
  put_(index: Tensor, source: Tensor, options?: ops.PutOptions | boolean): this { ops.put_(this, index, source, options); return this; }
  /** `scatter` in place (autograd follows it, as PyTorch's `scatter_`). */
  scatter_(dim: number, index: Tensor, src: Tensor | number | boolean, options?: ops.ScatterOptions): this { indexInplace.scatter_(this, dim, index, src, options); return this; }
  /** `scatterAdd` in place, as PyTorch's `scatter_add_`. */
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this { indexInplace.scatterAdd_(this, dim, index, src); return this; }
  /** `indexAdd` in place, as PyTorch's `index_add_`. */
  indexAdd_(dim: number, index: Tensor, source: Tensor, options?: ops.IndexAddOptions): this { indexInplace.indexAdd_(this, dim, index, source, options); return this; }
  /** `indexFill` in place, as PyTorch's `index_fill_`. */
  indexFill_(dim: number, index: Tensor, value: number | Tensor): this { indexInplace.indexFill_(this, dim, index, value); return this; }
  /** `indexCopy` in place, as PyTorch's `index_copy_`. */
  indexCopy_(dim: number, index: Tensor, source: Tensor): this { indexInplace.indexCopy_(this, dim, index, source); return this; }
  // s55 shape and indexing ops
  /** Reversed along each of `dims`, as PyTorch's `flip` (a copy): `x.flip(0, 1)` or `x.flip([0, 1])`. */
  flip(...dims: number[] | [readonly number[]]): Tensor { return ops.flip(this, sizesArg('flip', dims)); }
  /** Reversed along dimension 1, as PyTorch's `fliplr` (at least 2-D). */
  fliplr(): Tensor { return ops.fliplr(this); }
  /** Reversed along dimension 0, as PyTorch's `flipud` (at least 1-D). */
  flipud(): Tensor { return ops.flipud(this); }
  /** Shifted cyclically by `shifts` along `dims` (the flattened tensor without dims), as PyTorch's `roll`. */
  roll(shifts: number | readonly number[], dims?: number | readonly number[] | null): Tensor { return ops.roll(this, shifts, dims); }
  /** The lower triangle of the last two dimensions (column − row ≤ `diagonal`), the rest zeros, as PyTorch's `tril`. */
  tril(diagonal = 0): Tensor { return ops.tril(this, diagonal); }
  /** The upper triangle of the last two dimensions (column − row ≥ `diagonal`), the rest zeros, as PyTorch's `triu`. */
  triu(diagonal = 0): Tensor { return ops.triu(this, diagonal); }
  /** Dimensions `source` moved to positions `destination`, the rest in order, as PyTorch's `movedim`: a view. */
  movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor { return ops.movedim(this, source, destination); }
  /** `movedim` by NumPy's name, as PyTorch's `moveaxis`. */
  moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor { return ops.movedim(this, source, destination); }
  /** Dimensions `dim0` and `dim1` exchanged, as PyTorch's `swapaxes` (`transpose`): a view. */
  swapaxes(dim0: number, dim1: number): Tensor { return ops.swapaxes(this, dim0, dim1); }
  /** `swapaxes` by another name, as PyTorch's `swapdims`. */
  swapdims(dim0: number, dim1: number): Tensor { return ops.swapaxes(this, dim0, dim1); }
  /** The slices along `dim` as views, as PyTorch's `unbind`. */
  unbind(dim = 0): Tensor[] { return ops.unbind(this, dim); }
  /** Expanded to `other`'s shape, as PyTorch's `expand_as`: a view. */
  expandAs(other: Tensor): Tensor { return ops.expand(this, other.shape); }
  /** Viewed with `other`'s shape, as PyTorch's `view_as` (refused where the layout does not allow a view). */
  viewAs(other: Tensor): Tensor { return ops.view(this, other.shape); }
  /** Reshaped to `other`'s shape, as PyTorch's `reshape_as` (a view where it can be, else a copy). */
  reshapeAs(other: Tensor): Tensor { return ops.reshape(this, other.shape); }
  /** Expanded to `shape` by broadcasting, as PyTorch's `broadcast_to`: a view. */
  broadcastTo(...shape: number[] | [readonly number[]]): Tensor { return ops.broadcastTo(this, sizesArg('broadcastTo', shape)); }
  /** Flattened to 1-D, as PyTorch's `ravel` (a view of this tensor or of its contiguous copy). */
  ravel(): Tensor { return ops.ravel(this); }
  /** Tiled `sizes[i]` times along each dimension, as PyTorch's `repeat`: `x.repeat(2, 3)` or `x.repeat([2, 3])`. */
  repeat(...sizes: number[] | [readonly number[]]): Tensor { return ops.repeat(this, sizesArg('repeat', sizes)); }
  /** Views along `dim` of `size` each (the last may be smaller), or of the sizes listed, as PyTorch's `split`. */
  split(sizes: number | readonly number[], dim = 0): Tensor[] { return ops.split(this, sizes, dim); }
  /** `x[…, index[…, j, …], …]` along `dim`, as PyTorch's `gather` (the index holds whole numbers; the output has its shape). */
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  /** The slices along `dim` at the 1-D `index`'s positions, as PyTorch's `index_select`. */
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }
  /**
   * PyTorch's `x[...]`: `x.index([rows, cols])`, one element per (broadcast) pair; null for a whole dimension
   * (`x.index([null, idx])` is `x[:, idx]`), a mask (`x.index([x.gt(0)])` is `x[x > 0]`), `slice(1, null, 2)` for `1::2`,
   * `'...'` for Ellipsis, `newaxis` for None. Views for numbers, slices, '...' and newaxis alone; else IndexBackward0.
   */
  index(indices: ops.Indices): Tensor { return ops.index(this, indices); }
  /** A copy with `values` written at `x[indices]` (added with accumulate, `true` by position as PyTorch's or `{ accumulate: true }`), as `torch.index_put`. */
  indexPut(indices: ops.Indices, values: Tensor | number, options?: ops.IndexPutOptions | boolean): Tensor { return ops.indexPut(this, indices, values, options); }
  /** PyTorch's `x[i, j] = values` (`x.index_put_`): `values` written at `x[indices]`, in place. */
  indexPut_(indices: ops.Indices, values: Tensor | number, options?: ops.IndexPutOptions | boolean): this {
    inplace.inPlaceOf(this, 'indexPut_', (x) => ops.indexPut(x, indices, values, options), false, undefined, values);
    return this;
  }
  /** `chunks` views along `dim`, as PyTorch's `chunk` (⌈n / chunks⌉ each, fewer parts when they run out). */
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  softmax(dim = -1): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim = -1): Tensor { return ops.logSoftmax(this, dim); }

  // PyTorch's other names for the methods above (NumPy's spellings and the like): the same op, node and gradient.
  absolute(): Tensor { return this.abs(); }
  absolute_(): this { return this.abs_(); }
  arccos(): Tensor { return this.acos(); }
  arccos_(): this { return this.acos_(); }
  arccosh(): Tensor { return this.acosh(); }
  arccosh_(): this { return this.acosh_(); }
  arcsin(): Tensor { return this.asin(); }
  arcsin_(): this { return this.asin_(); }
  arcsinh(): Tensor { return this.asinh(); }
  arcsinh_(): this { return this.asinh_(); }
  arctan(): Tensor { return this.atan(); }
  arctan_(): this { return this.atan_(); }
  arctanh(): Tensor { return this.atanh(); }
  arctanh_(): this { return this.atanh_(); }
  arctan2(other: Tensor): Tensor { return this.atan2(other); }
  arctan2_(other: Tensor): this { return this.atan2_(other); }
  negative(): Tensor { return this.neg(); }
  negative_(): this { return this.neg_(); }
  multiply(other: Tensor | number): Tensor { return this.mul(other); }
  multiply_(other: Tensor | number): this { return this.mul_(other); }
  divide(other: Tensor | number, options?: DivOptions): Tensor { return this.div(other, options); }
  divide_(other: Tensor | number, options?: DivOptions): this { return this.div_(other, options); }
  subtract(other: Tensor | number, alpha: Alpha = 1): Tensor { return this.sub(other, alpha); }
  subtract_(other: Tensor | number, alpha: Alpha = 1): this { return this.sub_(other, alpha); }
  greater(other: Tensor | number): Tensor { return this.gt(other); }
  greaterEqual(other: Tensor | number): Tensor { return this.ge(other); }
  less(other: Tensor | number): Tensor { return this.lt(other); }
  lessEqual(other: Tensor | number): Tensor { return this.le(other); }
  notEqual(other: Tensor | number): Tensor { return this.ne(other); }
  /** `trunc` (PyTorch's alias). */
  fix(): Tensor { return this.trunc(); }
  /** The sign: `sign` for a real tensor (PyTorch's `sgn` differs only for complex ones). */
  sgn(): Tensor { return ops.sign(this, 'SgnBackward0'); }
  /** This tensor itself (PyTorch's `positive`, unary plus). */
  positive(): Tensor { return this; }
  /** `dim()` (PyTorch's alias). */
  ndimension(): number { return this.dim(); }
  /** Every slice of `size` elements along `dimension`, `step` apart, as a new last dimension (a view, PyTorch's `unfold`). */
  unfold(dimension: number, size: number, step: number): Tensor { return ops.unfold(this, dimension, size, step); }
  /** The q-th quantiles (a number or a 1-D tensor of them) along `dim` or over everything, as PyTorch's `quantile`. */
  quantile(q: number | Tensor, options?: ops.QuantileOptions | number, keepdim?: boolean): Tensor { return ops.quantile(this, q, options, keepdim); }
  /** `quantile`, ignoring NaN values. */
  nanquantile(q: number | Tensor, options?: ops.QuantileOptions | number, keepdim?: boolean): Tensor { return ops.nanquantile(this, q, options, keepdim); }
  /** Cut into `sections` near-equal parts along `dim`, or at the given indices (views, PyTorch's `tensor_split`). */
  tensorSplit(sectionsOrIndices: number | readonly number[] | Tensor, dim = 0): Tensor[] { return ops.tensorSplit(this, sectionsOrIndices, dim); }
  hsplit(sections: number | readonly number[]): Tensor[] { return ops.hsplit(this, sections); }
  vsplit(sections: number | readonly number[]): Tensor[] { return ops.vsplit(this, sections); }
  dsplit(sections: number | readonly number[]): Tensor[] { return ops.dsplit(this, sections); }
  /** The values at `indices` along `dim` (broadcast in the other dimensions), or of the flattened tensor (`take_along_dim`). */
  takeAlongDim(indices: Tensor, dim?: number | null): Tensor { return ops.takeAlongDim(this, indices, dim); }
  /** Every src element combined in along `dim` at `index` by 'sum' | 'prod' | 'mean' | 'amax' | 'amin' (PyTorch's `scatter_reduce`). */
  scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: ops.ScatterReduction, options?: { includeSelf?: boolean }): Tensor {
    return ops.scatterReduce(this, dim, index, src, reduce, options);
  }
  /** `scatterReduce`, in place. */
  scatterReduce_(dim: number, index: Tensor, src: Tensor, reduce: ops.ScatterReduction, options?: { includeSelf?: boolean }): this {
    inplace.inPlaceOf(this, 'scatterReduce_', (x) => ops.scatterReduce(x, dim, index, src, reduce, options), true, undefined, src);
    return this;
  }
  /** A copy with src as the slice at `index` along `dim` (PyTorch's `select_scatter`). */
  selectScatter(src: Tensor, dim: number, index: number): Tensor { return ops.selectScatter(this, src, dim, index); }
  /** A copy with src as the slice start:end:step along `dim` (PyTorch's `slice_scatter`). */
  sliceScatter(src: Tensor, dim?: number, start?: number | null, end?: number | null, step?: number): Tensor { return ops.sliceScatter(this, src, dim, start, end, step); }
  /** A copy with src as a diagonal (PyTorch's `diagonal_scatter`). */
  diagonalScatter(src: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor { return ops.diagonalScatter(this, src, offset, dim1, dim2); }
  /** A copy with src's values, in order, where `mask` is set (PyTorch's `masked_scatter`). */
  maskedScatter(mask: Tensor, src: Tensor): Tensor { return ops.maskedScatter(this, mask, src); }
  /** `maskedScatter`, in place. */
  maskedScatter_(mask: Tensor, src: Tensor): this { ops.maskedScatter_(this, mask, src); return this; }
  /** `value` on the main diagonal, in place (`wrap`: a tall matrix's diagonal starts again every n + 1 rows). */
  fillDiagonal_(value: number, wrap = false): this { ops.fillDiagonal_(this, value, wrap); return this; }
  /** This tensor summed down to `size` (PyTorch's `sum_to_size`). */
  sumToSize(...size: number[] | [readonly number[]]): Tensor { return ops.sumToSize(this, (Array.isArray(size[0]) ? size[0] : size) as readonly number[]); }
  vdot(other: Tensor): Tensor { return ops.vdot(this, other); }
  dist(other: Tensor, p?: NormOrder): Tensor { return ops.dist(this, other, p); }
  addr(vec1: Tensor, vec2: Tensor, options?: ops.AddrOptions): Tensor { return ops.addr(this, vec1, vec2, options); }
  diagflat(offset = 0): Tensor { return ops.diagflat(this, offset); }
  ldexp(other: Tensor): Tensor { return ops.ldexp(this, other); }
  heaviside(values: Tensor): Tensor { return ops.heaviside(this, values); }
  /** The modified Bessel function I0 of each element (PyTorch's `i0`). */
  i0(): Tensor { return specialMath.i0(this); }
  /** `i0`, in place. */
  i0_(): this { math_(this, 'i0_', (x) => specialMath.i0(x), []); return this; }
  // s61 in place: the out-of-place op's result written into the tensor, autograd following it (ops/inplace-math.ts)
  /** `ceil`, in place (CeilBackward0: zeros). */
  ceil_(): this { math_(this, 'ceil_', (x) => ops.rounding(x, 'ceil'), []); return this; }
  /** `floor`, in place. */
  floor_(): this { math_(this, 'floor_', (x) => ops.rounding(x, 'floor'), []); return this; }
  /** `round`, in place (half to even; to `decimals` places when given). */
  round_(decimals?: number | { decimals?: number }): this { math_(this, 'round_', (x) => x.round(decimals), []); return this; }
  /** `trunc`, in place. */
  trunc_(): this { math_(this, 'trunc_', (x) => ops.rounding(x, 'trunc'), []); return this; }
  /** `trunc_` (PyTorch's alias). */
  fix_(): this { return this.trunc_(); }
  /** `sin`, in place. */
  sin_(): this { math_(this, 'sin_', (x) => ops.sin(x), []); return this; }
  /** `cos`, in place. */
  cos_(): this { math_(this, 'cos_', (x) => ops.cos(x), []); return this; }
  /** `square`, in place (PowBackward0, as PyTorch's). */
  square_(): this { math_(this, 'square_', (x) => x.square(), []); return this; }
  /** `sign`, in place. */
  sign_(): this { math_(this, 'sign_', (x) => ops.sign(x), []); return this; }
  /** `sgn`, in place. */
  sgn_(): this { math_(this, 'sgn_', (x) => x.sgn(), []); return this; }
  /** `pow`, in place: a number, or a tensor that broadcasts to this one's shape. */
  pow_(exponent: Tensor | number): this { math_(this, 'pow_', (x) => ops.pow(x, exponent), [exponent]); return this; }
  /** `lgamma`, in place. */
  lgamma_(): this { math_(this, 'lgamma_', (x) => ops.lgamma(x), []); return this; }
  /** `digamma`, in place. */
  digamma_(): this { math_(this, 'digamma_', (x) => ops.digamma(x), []); return this; }
  /** `polygamma(n)`, in place. */
  polygamma_(n: number): this { math_(this, 'polygamma_', (x) => ops.polygamma(n, x, 'PolygammaBackward1'), []); return this; }
  /** `mvlgamma(p)`, in place. */
  mvlgamma_(p: number): this { math_(this, 'mvlgamma_', (x) => ops.mvlgamma(x, p), []); return this; }
  /** `igamma(other)`, in place. */
  igamma_(other: Tensor): this { math_(this, 'igamma_', (x) => gammainc(x, other), [other]); return this; }
  /** `igammac(other)`, in place. */
  igammac_(other: Tensor): this { math_(this, 'igammac_', (x) => gammaincc(x, other), [other]); return this; }
  /** `heaviside`, in place (no gradient, as PyTorch's). */
  heaviside_(values: Tensor): this { math_(this, 'heaviside_', (x) => ops.heaviside(x, values), [values]); return this; }
  /** `ldexp`, in place (with a gradient, where PyTorch 1.13 refuses `ldexp_` on a tensor that requires grad). */
  ldexp_(other: Tensor): this { math_(this, 'ldexp_', (x) => ops.ldexp(x, other), [other]); return this; }
  /** 1 where this == other, else 0, written into this tensor (PyTorch's `eq_`: EqBackward, zeros for the gradient). */
  eq_(other: Tensor | number): this { compare_(this, 'eq', other); return this; }
  /** `ne`, in place. */
  ne_(other: Tensor | number): this { compare_(this, 'ne', other); return this; }
  /** `lt`, in place. */
  lt_(other: Tensor | number): this { compare_(this, 'lt', other); return this; }
  /** `le`, in place. */
  le_(other: Tensor | number): this { compare_(this, 'le', other); return this; }
  /** `gt`, in place. */
  gt_(other: Tensor | number): this { compare_(this, 'gt', other); return this; }
  /** `ge`, in place. */
  ge_(other: Tensor | number): this { compare_(this, 'ge', other); return this; }
  /** `gt_` (PyTorch's alias). */
  greater_(other: Tensor | number): this { return this.gt_(other); }
  /** `ge_` (PyTorch's alias). */
  greaterEqual_(other: Tensor | number): this { return this.ge_(other); }
  /** `lt_` (PyTorch's alias). */
  less_(other: Tensor | number): this { return this.lt_(other); }
  /** `le_` (PyTorch's alias). */
  lessEqual_(other: Tensor | number): this { return this.le_(other); }
  /** `ne_` (PyTorch's alias). */
  notEqual_(other: Tensor | number): this { return this.ne_(other); }
  /** `maskedFill`, in place: `value` where the mask (broadcast to this shape) is non-zero. */
  maskedFill_(mask: Tensor, value: number | Tensor): this { math_(this, 'maskedFill_', (x) => x.maskedFill(mask, value), [mask, value]); return this; }
  /** `cumsum(dim)`, in place. */
  cumsum_(dim: number, options?: ops.ScanOptions): this { math_(this, 'cumsum_', (x) => ops.cumsum(x, dim, options), []); return this; }
  /** `cumprod(dim)`, in place. */
  cumprod_(dim: number, options?: ops.ScanOptions): this { math_(this, 'cumprod_', (x) => ops.cumprod(x, dim, options), []); return this; }
  /** `tril(diagonal)`, in place. */
  tril_(diagonal = 0): this { math_(this, 'tril_', (x) => ops.tril(x, diagonal), []); return this; }
  /** `triu(diagonal)`, in place. */
  triu_(diagonal = 0): this { math_(this, 'triu_', (x) => ops.triu(x, diagonal), []); return this; }
  /** `addmm`, in place: this must have the product's shape. */
  addmm_(mat1: Tensor, mat2: Tensor, options?: ops.AddProductOptions): this { product_(this, 'addmm_', (x) => ops.addmm(x, mat1, mat2, options), [mat1, mat2]); return this; }
  /** `addmv`, in place. */
  addmv_(mat: Tensor, vec: Tensor, options?: ops.AddProductOptions): this { product_(this, 'addmv_', (x) => ops.addmv(x, mat, vec, options), [mat, vec]); return this; }
  /** `addr`, in place. */
  addr_(vec1: Tensor, vec2: Tensor, options?: ops.AddrOptions): this { product_(this, 'addr_', (x) => ops.addr(x, vec1, vec2, options), [vec1, vec2]); return this; }
  /** `baddbmm`, in place. */
  baddbmm_(batch1: Tensor, batch2: Tensor, options?: ops.AddProductOptions): this { product_(this, 'baddbmm_', (x) => ops.baddbmm(x, batch1, batch2, options), [batch1, batch2]); return this; }
  /** `addbmm`, in place. */
  addbmm_(batch1: Tensor, batch2: Tensor, options?: ops.AddProductOptions): this { product_(this, 'addbmm_', (x) => ops.addbmm(x, batch1, batch2, options), [batch1, batch2]); return this; }
  /** Each slice along `dim` whose p-norm is above `maxnorm` scaled down to it (PyTorch's `renorm`). */
  renorm(p: number, dim: number, maxnorm: number): Tensor { return ops.renorm(this, p, dim, maxnorm); }
  /** `renorm`, in place. */
  renorm_(p: number, dim: number, maxnorm: number): this { math_(this, 'renorm_', (x) => ops.renorm(x, p, dim, maxnorm), []); return this; }
  /** The correlation coefficients of the rows (variables) over the columns (observations), as `torch.corrcoef`. */
  corrcoef(): Tensor { return ops.corrcoef(this); }
  /** The covariance of the rows (variables) over the columns (observations), as `torch.cov`. */
  cov(options?: ops.CovOptions): Tensor { return ops.cov(this, options); }
  /** The inverse of A from its Cholesky factor (this), as `torch.cholesky_inverse`. */
  choleskyInverse(upper = false): Tensor { return choleskyInverse(this, upper); }
  /** The solution X of A·X = this, from A's Cholesky factor, as `torch.cholesky_solve(self, factor, upper)`. */
  choleskySolve(factor: Tensor, upper = false): Tensor { return choleskySolve(this, factor, upper); }
  /** `fn` of each element written in place (PyTorch's `apply_`; outside autograd). */
  apply_(fn: (value: number) => number): this { ops.applyFn(this, 'apply_', [], fn); return this; }
  /** `fn(element, other's element)` written in place, `other` broadcast to this shape (PyTorch's `map_`). */
  map_(other: Tensor, fn: (value: number, other: number) => number): this { ops.applyFn(this, 'map_', [other], fn); return this; }
  /** `fn(element, x's, y's)` written in place (PyTorch's `map2_`). */
  map2_(x: Tensor, y: Tensor, fn: (value: number, x: number, y: number) => number): this { ops.applyFn(this, 'map2_', [x, y], fn); return this; }
  /** `[mantissa, exponent]` with this = mantissa·2^exponent (PyTorch's `frexp`). */
  frexp(): [Tensor, Tensor] & { mantissa: Tensor; exponent: Tensor } { return ops.frexp(this); }
  /** The next float32 toward `other` (PyTorch's `nextafter`). */
  nextafter(other: Tensor | number): Tensor { return ops.nextafter(this, other); }
  /** `nextafter`, in place. */
  nextafter_(other: Tensor | number): this { math_(this, 'nextafter_', (x) => ops.nextafter(x, other), [other]); return this; }
  /** this^exponent computed in float64 (PyTorch's `float_power`; rounded to float32). */
  floatPower(exponent: Tensor | number): Tensor { return ops.floatPower(this, exponent); }
  /** `floatPower`, in place. */
  floatPower_(exponent: Tensor | number): this { math_(this, 'floatPower_', (x) => ops.floatPower(x, exponent), [exponent]); return this; }
  /** `[hist, binEdges]`, as PyTorch's `histogram(bins, range, weight, density)`. */
  histogram(bins: number | Tensor, options?: ops.HistogramOptions): [Tensor, Tensor] & { hist: Tensor; binEdges: Tensor } { return ops.histogram(this, bins, options); }
  /**
   * 1 with probability this tensor's element (0 otherwise), as PyTorch's `x.bernoulli()`; with a number p, every
   * element with probability p (`x.bernoulli(0.3)`). Options (`{ generator }`) last.
   */
  bernoulli(p?: number | fills.FillOptions, options?: fills.FillOptions): Tensor {
    if (typeof p === 'number') return new Tensor(new Float32Array(this.numel()), this.shape).bernoulli_(p, options);
    return fills.bernoulli(this, p);
  }
  /** `[LU, pivots]` (with `{ getInfos: true }` also `info`), as the deprecated `x.lu()` (`linalg.luFactor` in new code). */
  lu(options?: LuFactorOptions & { getInfos?: boolean }): [Tensor, Tensor] | [Tensor, Tensor, Tensor] { return luLegacy(this, options); }
  /** X with A·X = this from A's `[LU, pivots]`, as the deprecated `x.lu_solve(LU, pivots)` (`linalg.luSolve` in new code). */
  luSolve(LU: Tensor, pivots: Tensor): Tensor { return luSolveLegacy(this, LU, pivots); }
  /** e^A of each square matrix, as `torch.matrix_exp`. */
  matrixExp(): Tensor { return linalgMatrixExp(this); }
  /** Aⁿ of each square matrix (n < 0: of the inverse), as `torch.matrix_power`. */
  matrixPower(n: number): Tensor { return linalgMatrixPower(this, n); }
  /** The pseudo-inverse, singular values below rcond·σ₁ dropped, as `torch.pinverse` (linalg.pinv with rtol = rcond). */
  pinverse(rcond = 1e-15): Tensor { return linalgPinv(this, { rtol: rcond, atol: 0 }); }
  /** The Cholesky factor (the deprecated `x.cholesky(upper)`, CholeskyBackward0; see `linalg.cholesky`). */
  cholesky(upper = false): Tensor { return choleskyDeprecated(this, upper); }
  /** `[U, S, V]`, PyTorch's `x.svd(some=True, compute_uv=True)` (V, not Vᴴ; see `linalg.svd`). */
  svd(some = true, computeUv = true): [Tensor, Tensor, Tensor] & { U: Tensor; S: Tensor; V: Tensor } { return svdLegacy(this, some, computeUv); }
  /** `[Q, R]`, PyTorch's `x.qr(some=True)` (see `linalg.qr`). */
  qr(some = true): [Tensor, Tensor] & { Q: Tensor; R: Tensor } { return qrLegacy(this, some); }
  /** `numel()` (PyTorch's alias). */
  nelement(): number { return this.numel(); }
  /** True: Kindling's tensors are float32; false for a mask, as for PyTorch's bool tensors. */
  isFloatingPoint(): boolean { return !isMask(this); }
  /** False: Kindling has no complex tensors. */
  isComplex(): boolean { return false; }
  /** Whether `other` has this tensor's shape. */
  isSameSize(other: Tensor): boolean {
    if (!(other instanceof Tensor)) throw new TypeError(`isSameSize: other must be a Tensor, got ${typeof other}`);
    return sameShape(this.shape, other.shape);
  }
  /** Whether the single value is non-zero (PyTorch's `is_nonzero`; refused for no value or several, as PyTorch's). */
  isNonzero(): boolean {
    const n = this.numel();
    if (n === 0) throw new RangeError('Boolean value of Tensor with no values is ambiguous');
    if (n > 1) throw new RangeError('Boolean value of Tensor with more than one value is ambiguous');
    return this.item() !== 0;
  }
  /** This tensor, as `other`'s type: every Kindling tensor is float32 (PyTorch's `type_as`). */
  typeAs(other: Tensor): Tensor {
    if (!(other instanceof Tensor)) throw new TypeError(`typeAs: other must be a Tensor, got ${typeof other}`);
    return this.asDtype(isMask(other) ? 'bool' : DTYPE, false);
  }
  /** The values sorted along the first dimension (PyTorch's `msort`, `sort(0).values`). */
  msort(): Tensor { return ops.sort(this, 0, false).values; }
  /**
   * The last two dimensions swapped, as a view (PyTorch's `mT`; `mH` and `adjoint()` are the same for real tensors); a
   * 0-d tensor is itself, as PyTorch 1.13 gives it back.
   */
  get mT(): Tensor { return this.matrixTranspose('tensor.mT'); }
  get mH(): Tensor { return this.matrixTranspose('tensor.mH'); }
  adjoint(): Tensor { return this.matrixTranspose('tensor.adjoint()'); }
  /** A matrix's transpose, as a view (PyTorch's `H`, 2-D tensors only; a 0-d tensor is itself, as there). */
  get H(): Tensor {
    // PyTorch 1.13's matrix_H takes a 0-d tensor too and gives it back as it is (not a view: the tensor itself).
    if (this.ndim === 0) return this;
    if (this.ndim !== 2) {
      throw new RangeError(`tensor.H is only supported on matrices (2-D tensors). Got ${this.ndim}-D tensor.${this.ndim > 2 ? ' For batches of matrices, consider using tensor.mH' : ''}`);
    }
    return ops.transpose(this, 0, 1);
  }
  private matrixTranspose(what: string): Tensor {
    // As PyTorch 1.13's _adjoint: only a 1-D tensor is refused; a 0-d one is given back as it is (the tensor itself).
    if (this.ndim === 0) return this;
    if (this.ndim < 2) throw new RangeError(`${what} is only supported on matrices or batches of matrices. Got ${this.ndim}-D tensor.`);
    return ops.transpose(this, -2, -1);
  }

  /**
   * As PyTorch prints it; a parameter (`nn.Parameter`, a module's weight) first says `Parameter containing:`, and a
   * lazy layer's placeholder not yet sized prints as PyTorch's `<UninitializedParameter>` (`<UninitializedBuffer>`).
   */
  toString(): string {
    if (isUninitializedParameter(this)) return isMarkedParameter(this) ? '<UninitializedParameter>' : '<UninitializedBuffer>';
    return isMarkedParameter(this) ? `Parameter containing:\n${formatTensor(this)}` : formatTensor(this);
  }

  /** What `console.log(t)` shows in Node: the same as `String(t)`, as `print(t)` in PyTorch. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Sizes (or dimensions) given one by one or as one array, as PyTorch takes them. */
function sizesArg(op: string, args: number[] | [readonly number[]]): readonly number[] {
  if (!Array.isArray(args[0])) return args as number[];
  if (args.length > 1) throw new TypeError(`${op}: give the sizes one by one or as one array, not both: got ${args.length} arguments, the first an array`);
  return args[0] as readonly number[];
}

refusePythonNames(Tensor.prototype, 'x', [
  ['requires_grad', 'requiresGrad', 'property'], ['requires_grad_', 'requiresGrad_', 'method'], ['grad_fn', 'gradFn', 'property'],
  ['retain_grad', 'retainGrad', 'method'], ['retains_grad', 'retainsGrad', 'property'],
  ['is_leaf', 'isLeaf', 'property'], ['is_contiguous', 'isContiguous', 'method'], ['log_softmax', 'logSoftmax', 'method'],
  ['masked_fill', 'maskedFill', 'method'], ['index_select', 'indexSelect', 'method'], ['log_normal_', 'logNormal_', 'method'],
  ['count_nonzero', 'countNonzero', 'method'], ['unique_consecutive', 'uniqueConsecutive', 'method'],
  ['expand_as', 'expandAs', 'method'], ['view_as', 'viewAs', 'method'], ['reshape_as', 'reshapeAs', 'method'],
  ['broadcast_to', 'broadcastTo', 'method'],
  ['nan_to_num', 'nanToNum', 'method'], ['nan_to_num_', 'nanToNum_', 'method'],
  ['diag_embed', 'diagEmbed', 'method'], ['repeat_interleave', 'repeatInterleave', 'method'], ['new_zeros', 'newZeros', 'method'],
  ['new_ones', 'newOnes', 'method'], ['new_full', 'newFull', 'method'], ['new_empty', 'newEmpty', 'method'],
  ['new_tensor', 'newTensor', 'method'], ['masked_select', 'maskedSelect', 'method'], ['scatter_add', 'scatterAdd', 'method'],
  ['index_add', 'indexAdd', 'method'], ['index_fill', 'indexFill', 'method'], ['index_copy', 'indexCopy', 'method'],
  ['scatter_add_', 'scatterAdd_', 'method'], ['index_add_', 'indexAdd_', 'method'], ['index_fill_', 'indexFill_', 'method'],
  ['index_copy_', 'indexCopy_', 'method'],
  ['clamp_min', 'clampMin', 'method'], ['clamp_max', 'clampMax', 'method'], ['clamp_min_', 'clampMin_', 'method'],
  ['clamp_max_', 'clampMax_', 'method'], ['floor_divide', 'floorDivide', 'method'], ['true_divide', 'trueDivide', 'method'],
  ['logical_and', 'logicalAnd', 'method'], ['logical_or', 'logicalOr', 'method'], ['logical_xor', 'logicalXor', 'method'],
  ['logical_not', 'logicalNot', 'method'], ['floor_divide_', 'floorDivide_', 'method'], ['true_divide_', 'trueDivide_', 'method'],
  ['logical_and_', 'logicalAnd_', 'method'], ['logical_or_', 'logicalOr_', 'method'], ['logical_xor_', 'logicalXor_', 'method'],
  ['logical_not_', 'logicalNot_', 'method'],
]);
