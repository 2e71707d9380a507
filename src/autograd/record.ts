import { forwardStack, isAnomalyEnabled } from './anomaly.js';
import { sharesElements } from '../kernels/storage.js';
import { formatShape } from '../tensor/shape.js';
import { InferenceVersion } from '../tensor/version.js';
import type { GradFn, Tensor } from '../tensor/tensor.js';
import { isGradRecording } from './grad-mode.js';
import { defaultTorchName } from './torch-name.js';
import type { SliceGradient } from './slice-grad.js';
import { nextFunctionsOf, type NextFunction } from './next-functions.js';

const NO_INPUTS: readonly Tensor[] = Object.freeze([]);
const NO_VERSIONS: number[] = [];

/** What a released node's backward does; the walk refuses released nodes before it could be called. */
function releasedBackward(): never {
  throw new Error('backward: this node\'s saved values were released by an earlier backward()');
}

/**
 * A node of the graph, as `record` makes it. A backward pass releases every node it walks — the closure and the
 * inputs, so the values saved for the gradient can be garbage-collected — unless called with `retainGraph`, as
 * PyTorch frees a graph's saved tensors. A released node keeps its name for the error a second walk gets.
 *
 * `saved` are the tensors the backward closure reads (those PyTorch saves for the op), with their versions
 * (tensor/version.ts) as they were when the op ran: a walk checks them before it adds any gradient.
 *
 * `torch` is PyTorch's class name for the node where the op gave one (`record`'s last argument); `torchName` falls
 * back to the name capitalized + 'Backward0', built only when read.
 */
export class GraphNode implements GradFn {
  released = false;
  /**
   * The `graphGen` of each input when the op ran, where some input had had an in-place change autograd followed
   * (null when all were 0): `inputAt` then finds the tensor each input was at that time. @internal
   */
  gens: readonly number[] | null = null;
  /**
   * The backward written with recorded ops, so that its result has a graph of its own (autograd/twice.ts): what a
   * walk with `createGraph` runs, with grad mode on. Null where the op has none: such a walk refuses the node. @internal
   */
  graphBackward: GradFn['backward'] | null = null;
  /**
   * Whether the backward runs a backward walk of its own (a checkpointed segment's, utils/checkpoint.ts), adding
   * first-order gradients into leaves' buffers: a walk with `createGraph` or toward chosen tensors refuses it. @internal
   */
  ownWalk = false;
  /**
   * The inputs that did not require grad when the op ran, as bits (input i is bit i, for i < 31): they get no gradient
   * even if they require grad by the time of the walk, as PyTorch decides an op's edges when it records it. @internal
   */
  idle = 0;
  /** `idle` for a node with more than 31 inputs some of which did not require grad (a long cat), else null. @internal */
  idleMany: readonly boolean[] | null = null;
  /**
   * Whether two tensors carry this node: the result of an op applied in place and the tensor it changed (ops/rebase.ts),
   * both of which a graph built by `createGraph` may reach (the node's differentiable backward reads the result, as
   * PyTorch's reads the changed tensor itself). A walk then runs the node for each and releases it after the last.
   * @internal
   */
  shared = false;
  /** The runs left of a shared node in the walk numbered `walkId` (autograd/backward.ts). @internal */
  runsLeft = 0;
  /** @internal */
  walkId = 0;
  /**
   * For a slice of its one input (select, narrow: PyTorch's SelectBackward0, SliceBackward0 and the nodes of unbind and
   * split), where its gradient goes in the input's: a walk without `createGraph` adds it there in place rather than
   * run `backward` (autograd/slice-grad.ts), with the same values. @internal
   */
  sliceOf: SliceGradient | null = null;
  /** The stack of the call that recorded the op, kept while anomaly detection is on (autograd/anomaly.ts). @internal */
  forwardStack: string | null = null;
  private versions: number[];

  constructor(
    readonly name: string,
    public inputs: readonly Tensor[],
    public backward: GradFn['backward'],
    private saved: readonly Tensor[],
    private torch: string | undefined = undefined,
  ) {
    this.versions = saved.length === 0 ? NO_VERSIONS : saved.map((t) => t.versionCounter.value);
    // Read again by the backward closure: a gradient buffer among them is never added into in place (accumulate.ts).
    for (const t of saved) t.savedByOp = true;
  }

  /** PyTorch 1.13's class name for this node, `type(y.grad_fn).__name__` (see GradFn.torchName). */
  get torchName(): string {
    return this.torch ?? defaultTorchName(this.name);
  }

  /**
   * PyTorch's `next_functions`: for each input, `[node, inputNumber]`, the node its gradient goes to (its grad_fn,
   * the AccumulateGrad of a leaf, or null where it takes none). Built when read (autograd/next-functions.ts).
   */
  get nextFunctions(): NextFunction[] {
    return nextFunctionsOf(this);
  }

  /** Names the node for PyTorch as `torch` (an in-place form's node: LeakyReluBackward1 for leaky_relu_). @internal */
  rename(torch: string): void {
    this.torch = torch;
  }

  /**
   * Makes the saved entries that are `from` stand for `to` at its version now: the node of an in-place change saved
   * the out-of-place result (or, for the ops PyTorch computes from their result, the input's copy), which PyTorch
   * keeps as the changed tensor itself, so a later change of that tensor must make backward() refuse, as PyTorch's.
   * The closure keeps reading `from`'s values, which are the same. @internal
   */
  rebindSaved(from: Tensor, to: Tensor): void {
    if (!this.saved.includes(from)) return;
    // Copies: the array given to record may be the caller's.
    this.saved = this.saved.map((t) => (t === from ? to : t));
    this.versions = this.saved.map((t, i) => (t === to ? to.versionCounter.value : this.versions[i]!));
    to.savedByOp = true;
  }

  /** Throws when a saved tensor was changed in place since the op ran (as PyTorch's backward refuses it). */
  checkSaved(): void {
    for (let i = 0; i < this.saved.length; i++) {
      const t = this.saved[i]!;
      const now = t.versionCounter.value;
      if (now !== this.versions[i]) throw changedSavedError(this.name, t, now, this.versions[i]!);
    }
  }

  /** Whether this node saved a tensor whose storage shares elements with `storage` (its closure may read them). */
  savedShares(storage: Float32Array): boolean {
    return this.saved.some((t) => sharesElements(t.unsettledData, storage));
  }

  release(): void {
    this.released = true;
    this.inputs = NO_INPUTS;
    this.gens = null;
    this.saved = NO_INPUTS;
    this.versions = NO_VERSIONS;
    this.backward = releasedBackward;
    if (this.graphBackward !== null) this.graphBackward = releasedBackward;
  }
}

/** The error for a saved tensor changed in place: PyTorch's "modified by an inplace operation". */
function changedSavedError(op: string, t: Tensor, now: number, then: number): Error {
  const what = t.name === undefined ? `a tensor of shape ${formatShape(t.shape)}` : `"${t.name}" (shape ${formatShape(t.shape)})`;
  return new Error(
    `backward: ${what} that ${op} saved for its gradient was changed in place after the forward pass (version ${now}, ` +
      `saved at version ${then}: by an in-place op, an optimizer step or loadStateDict, maybe through a view or detach()), ` +
      'so the gradient would use the new values. PyTorch refuses this too ("modified by an inplace operation"): change ' +
      'it after backward(), change a clone() of it, or run the forward pass again',
  );
}

/**
 * Attaches an op to the graph when grad mode is on and some input requires grad. `backward` receives the
 * gradient of `out` (contiguous, same shape) and returns one gradient per input. `saved` lists the tensors (inputs,
 * `out` itself, or others) whose values `backward` reads, the ones PyTorch saves for the op: backward() refuses to
 * run once one of them has been changed in place.
 *
 * `name` is Kindling's name for the op (errors quote it). `torchName` is the class PyTorch 1.13 gives the grad_fn of
 * the same call (`type(y.grad_fn).__name__`, printed as `grad_fn=<…>`), given where it is not `name` capitalized +
 * 'Backward0': 'ClampBackward1', 'AddmmBackward0', or, where PyTorch decomposes what Kindling computes as one op, the
 * name of the decomposition's last node (a 3-D `linear` with bias ends in 'ViewBackward0'). Pass a string constant
 * (or `undefined` for `saved` before it): nothing is built per call.
 */
export function record(
  out: Tensor, name: string, inputs: readonly Tensor[], backward: GradFn['backward'], saved: readonly Tensor[] = NO_INPUTS, torchName?: string,
): Tensor {
  if (!isGradRecording()) return out;
  let needed = false;
  let shifted = false;
  let idle = 0;
  let idleLate = false;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!;
    if (t.requiresGrad) {
      needed = true;
      if (t.seenGraphEdits !== t.versionCounter.graphEdits) refreshStale(t, name);
    } else if (i < 31) idle |= 1 << i;
    else idleLate = true;
    if (t.graphGen !== 0) shifted = true;
  }
  if (!needed) return out;
  if (InferenceVersion.made) refuseInferenceSaved(name, saved);
  out.requiresGrad = true;
  const node = new GraphNode(name, inputs, backward, saved, torchName);
  if (shifted) node.gens = inputs.map((t) => t.graphGen);
  node.idle = idle;
  if (idleLate) node.idleMany = inputs.map((t) => !t.requiresGrad);
  if (isAnomalyEnabled()) node.forwardStack = forwardStack();
  out.gradFn = node;
  return out;
}

/** PyTorch's refusal of an inference tensor saved for backward (outside inferenceMode, where ops record). */
function refuseInferenceSaved(name: string, saved: readonly Tensor[]): void {
  for (const t of saved) {
    if (t.versionCounter instanceof InferenceVersion) {
      throw new Error(`${name}: Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd. (PyTorch's words: a tensor of shape ${formatShape(t.shape)} made inside inferenceMode is one the gradient of ${name} would read)`);
    }
  }
}

let refreshView: ((t: Tensor, op: string) => void) | null = null;

/** Sets how a stale view gets a node over its base as it is now (ops/rebase-view.ts); without it, stale tensors throw. @internal */
export function onStaleView(refresh: (t: Tensor, op: string) => void): void {
  refreshView = refresh;
}

/**
 * A tensor whose storage was changed in place through another tensor, with autograd following, since it was made: a
 * leaf that is no view has no node the change could make wrong (its gradient is that of its values now, as PyTorch's
 * after `x.detach().mul_(w)`); a view gets a node over its base as it is now (as PyTorch replays a view); anything
 * else is refused (`staleAliasError`).
 */
export function refreshStale(t: Tensor, op: string): void {
  if (t.gradFn === null && t.viewBase === null) {
    t.seenGraphEdits = t.versionCounter.graphEdits;
    return;
  }
  if (refreshView === null) throw staleAliasError(op, t);
  refreshView(t, op);
}

/**
 * The tensor that input `i` of `fn` was when `fn`'s op ran: the input itself, or, when an in-place change autograd
 * followed has given it a new node since (ops/rebase.ts), the tensor it was then, which keeps the node it had.
 */
export function inputAt(fn: GradFn, i: number): Tensor {
  const t = fn.inputs[i]!;
  if (t.graphGen === 0 || !(fn instanceof GraphNode)) return t;
  const gen = fn.gens === null ? 0 : fn.gens[i]!;
  return gen === t.graphGen ? t : t.graphHistory![gen]!;
}

/**
 * The tensor that input `i` of `fn` was when `fn`'s op ran (`inputAt`), if it takes a gradient from `fn`: it required
 * grad then, as PyTorch's edges are fixed when the op is recorded, and still does (a leaf may have stopped since, and
 * PyTorch's AccumulateGrad then adds nothing). Else null.
 */
export function gradInput(fn: GradFn, i: number): Tensor | null {
  const t = inputAt(fn, i);
  if (!t.requiresGrad) return null;
  if (fn instanceof GraphNode && (fn.idleMany !== null ? fn.idleMany[i]! : i < 31 && (fn.idle & (1 << i)) !== 0)) return null;
  return t;
}

/**
 * The error for a tensor of the graph whose storage was changed in place through another tensor with autograd
 * following, and which cannot be brought up to date (see `refreshStale`): its node no longer says how its values were
 * made, so Kindling refuses rather than give a gradient that ignores the change.
 */
export function staleAliasError(op: string, t: Tensor): Error {
  const what = t.name === undefined ? `a tensor of shape ${formatShape(t.shape)}` : `"${t.name}" (shape ${formatShape(t.shape)})`;
  return new Error(
    `${op}: ${what} shares its memory with a tensor that an in-place op changed with autograd following, after it was ` +
      'made, and is no view that could be made again over it (a detach() of it, say), so its gradient would miss the ' +
      'change. Use the out-of-place form (y = y.relu() instead of y.relu_()), or change a clone()',
  );
}

/** True when a backward closure should bother computing the gradient of `t`. */
export function needsGrad(t: Tensor): boolean {
  return t.requiresGrad;
}
