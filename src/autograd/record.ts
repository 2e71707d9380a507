import { sharesElements } from '../kernels/storage.js';
import { formatShape } from '../tensor/shape.js';
import type { GradFn, Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { defaultTorchName } from './torch-name.js';

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
  private versions: number[];

  constructor(
    readonly name: string,
    public inputs: readonly Tensor[],
    public backward: GradFn['backward'],
    private saved: readonly Tensor[],
    private readonly torch: string | undefined = undefined,
  ) {
    this.versions = saved.length === 0 ? NO_VERSIONS : saved.map((t) => t.versionCounter.value);
    // Read again by the backward closure: a gradient buffer among them is never added into in place (accumulate.ts).
    for (const t of saved) t.savedByOp = true;
  }

  /** PyTorch 1.13's class name for this node, `type(y.grad_fn).__name__` (see GradFn.torchName). */
  get torchName(): string {
    return this.torch ?? defaultTorchName(this.name);
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
    this.saved = NO_INPUTS;
    this.versions = NO_VERSIONS;
    this.backward = releasedBackward;
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
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  out.gradFn = new GraphNode(name, inputs, backward, saved, torchName);
  return out;
}

/** True when a backward closure should bother computing the gradient of `t`. */
export function needsGrad(t: Tensor): boolean {
  return t.requiresGrad;
}
