import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { accumulateGrad, beginWalk, countUse, endWalk, nextWalkId, type WalkFacts } from './accumulate.js';
import { noGrad } from './grad-mode.js';
import { runHooks } from './hooks.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { GraphNode, inputAt, refreshStale } from './record.js';

/** Options of `backward`, as PyTorch's keyword arguments. */
export interface BackwardOptions {
  /**
   * Keep the graph's saved values so that it can be walked again (PyTorch's `retain_graph`). Without it a backward
   * pass releases them, and a second walk through the same graph is an error.
   */
  retainGraph?: boolean;
}

/** The error for a walk that reaches a node an earlier backward released. */
function secondWalkError(node: GraphNode): Error {
  return new Error(
    `backward: trying to backward through the graph a second time: the graph (at ${node.name}, and before it) was ` +
      'released by the first backward(), with the values it saved. Pass { retainGraph: true } to the first backward() if you need to walk the ' +
      'graph again (loss.backward({ retainGraph: true })); to get a new gradient, run the forward pass again ' +
      '(leaves\' .grad keeps adding up across passes until zeroGrad(), as in PyTorch)',
  );
}

const NO_TENSORS: readonly Tensor[] = [];

/**
 * Orders the graph above `root` so that every tensor comes after all tensors computed from it (iterative DFS), and
 * notes for the walk how many times each leaf is an input and what storages the nodes saved (see `WalkFacts`).
 */
function topoOrder(root: Tensor, facts: WalkFacts): Tensor[] {
  const order: Tensor[] = [];
  // Tensors reached are marked with the walk's number (cheaper than a Set, which hashes every tensor of the graph).
  const mark = facts.id;
  const tensors: Tensor[] = [checkedNotReleased(root, facts)];
  const next: number[] = [0];
  root.orderedBy = mark;
  while (tensors.length > 0) {
    const top = tensors.length - 1;
    const fn = tensors[top]!.gradFn;
    const inputs = fn?.inputs ?? NO_TENSORS;
    const i = next[top]!;
    if (i < inputs.length) {
      next[top] = i + 1;
      const child = inputAt(fn!, i);
      if (!child.requiresGrad) continue;
      if (child.gradFn === null) countUse(child, facts);
      if (child.orderedBy !== mark) {
        child.orderedBy = mark;
        tensors.push(checkedNotReleased(child, facts));
        next.push(0);
      }
    } else {
      order.push(tensors.pop()!);
      next.pop();
    }
  }
  return order.reverse();
}

/** `t`, once its node is known to be walkable: not released, and what it saved not changed in place since. */
function checkedNotReleased(t: Tensor, facts: WalkFacts): Tensor {
  const fn = t.gradFn;
  if (fn instanceof GraphNode) {
    if (fn.released) throw secondWalkError(fn);
    fn.checkSaved();
    facts.nodes.push(fn);
  }
  return t;
}

const HINTS = {
  createGraph: 'Kindling computes first-order gradients only',
  inputs: 'Kindling computes the gradients of every leaf that requires grad',
};

/** Reads `backward`'s arguments: `(gradient?, options?)` or `(options)`. */
function backwardArguments(given: unknown, second: unknown): { gradient: unknown; retainGraph: boolean } {
  // null is PyTorch's None: no gradient given.
  const first = given === null ? undefined : given;
  if (second === undefined && (first === undefined || first instanceof Tensor)) return { gradient: first, retainGraph: false };
  const firstIsOptions = isPlainObject(first);
  if (firstIsOptions && second !== undefined) {
    throw new TypeError(`backward: the options come last, after the gradient, as in backward(gradient, { retainGraph: true }); got ${describeValue(second)} after the options`);
  }
  const { retainGraph = false } = checkOptions<BackwardOptions>('backward', (firstIsOptions ? first : second) as BackwardOptions | undefined, ['retainGraph'], HINTS);
  if (typeof retainGraph !== 'boolean') throw new TypeError(`backward: retainGraph must be true or false, got ${describeValue(retainGraph)}`);
  return { gradient: firstIsOptions ? undefined : first, retainGraph };
}

/**
 * Backpropagates from `root`, accumulating into the `.grad` of every leaf that requires grad. The walk releases the
 * graph's saved values (see `GraphNode`) unless `retainGraph` is set; walking a released graph again, or a node whose
 * saved tensors were changed in place since, is an error, raised before any gradient is added.
 */
export function backward(root: Tensor, gradientArg?: unknown, optionsArg?: unknown): void {
  const { gradient, retainGraph } = backwardArguments(gradientArg, optionsArg);
  if (!root.requiresGrad) {
    throw new Error('backward: this tensor does not require grad and has no grad_fn (was it computed inside noGrad, or from tensors without requiresGrad?)');
  }
  if (root.seenGraphEdits !== root.versionCounter.graphEdits) refreshStale(root, 'backward');
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.numel() !== 1) {
      throw new RangeError(`backward: grad can be implicitly created only for scalar outputs (shape ${formatShape(root.shape)}); pass a gradient`);
    }
    seed = new Tensor(new Float32Array(1).fill(1), root.shape);
  } else {
    if (!(gradient instanceof Tensor)) throw new TypeError(`backward: gradient must be a Tensor of shape ${formatShape(root.shape)}, got ${describeValue(gradient)}`);
    if (!sameShape(gradient.shape, root.shape)) {
      throw new RangeError(`backward: gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(root.shape)}`);
    }
    seed = gradient;
  }
  const facts: WalkFacts = { id: nextWalkId(), nodes: [] };
  const order = topoOrder(root, facts);
  const outer = beginWalk(facts);
  // A backward started during another one's walk (a node's backward calling backward(), as a checkpointed or custom
  // function may): the outer walk's pending gradients live in the same fields, so they are set aside for this walk
  // and put back after it.
  const pending = outer === null ? null : order.map((t) => t.walkGrad);
  if (pending !== null) for (const t of order) t.walkGrad = null;
  root.walkGrad = seed;
  try {
    walk(order, retainGraph);
  } finally {
    // Gradients left behind by a walk that threw (they would keep their arrays alive), or the outer walk's back.
    if (pending === null) for (const t of order) t.walkGrad = null;
    else for (let i = 0; i < order.length; i++) order[i]!.walkGrad = pending[i]!;
    endWalk(outer);
  }
}

/**
 * The walk itself: each tensor's gradient (summed over its uses, kept in its `walkGrad` field: no map to hash every
 * tensor into) through its node, leaves' into their `.grad`. Every tensor that gets a gradient is in `order`.
 */
const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

function walk(order: readonly Tensor[], retainGraph: boolean): void {
  noGrad(() => {
    for (const t of order) {
      let g = t.walkGrad;
      const fn = t.gradFn;
      if (g === null) {
        if (!retainGraph && fn instanceof GraphNode) fn.release();
        continue;
      }
      t.walkGrad = null;
      // Gradient hooks (and retainGrad at its place among them) see the gradient summed over the tensor's uses.
      const hooks = t.gradHooks;
      if (hooks !== null && hooks.length > 0) g = runHooks(t, g, hooks, isTensor);
      if (fn === null) {
        accumulateGrad(t, g);
        continue;
      }
      // retainGrad(): a copy of the gradient, added to the one kept from earlier passes, as PyTorch's.
      if (t.retainsGradFlag && hooks === null) t.grad = t.grad === null ? g.clone() : t.grad.add(g);
      // Closures read g's storage as row-major and of g's size: a strided view, or a slice of a longer storage
      // (a gradient given as x.narrow(…)), is copied first.
      const inputGrads = fn.backward(g.isContiguous() && g.unsettledData.length === g.numel() ? g : g.clone());
      for (let i = 0; i < fn.inputs.length; i++) {
        const input = inputAt(fn, i);
        const gi = inputGrads[i];
        if (!input.requiresGrad || gi === null || gi === undefined) continue;
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(`backward of ${fn.name}: gradient for input ${i} has shape ${formatShape(gi.shape)}, expected ${formatShape(input.shape)}`);
        }
        const prev = input.walkGrad;
        input.walkGrad = prev === null ? gi : prev.add(gi);
      }
      if (!retainGraph && fn instanceof GraphNode) fn.release();
    }
  });
}
