import { isAnomalyCheckNanEnabled, nanGradients } from './anomaly.js';
import { reviveDetached, settleDetached } from './detached.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { accumulateGrad, beginWalk, countUse, endWalk, nextWalkId, type WalkFacts } from './accumulate.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { graphBackwardOf, runsTwice } from './twice.js';
import { runHooks } from './hooks.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { graphCallOptions } from './call-arguments.js';
import { coversStorage } from '../ops/util.js';
import { GraphNode, gradInput, refreshStale } from './record.js';
import { addIntoOwned, addSliceGradient } from './slice-grad.js';

/** Options of `backward`, as PyTorch's keyword arguments. */
export interface BackwardOptions {
  /**
   * Keep the graph's saved values so that it can be walked again (PyTorch's `retain_graph`). Without it a backward
   * pass releases them, and a second walk through the same graph is an error.
   */
  retainGraph?: boolean;
  /**
   * The tensors to add gradients into (PyTorch's `inputs`): only these get a `.grad` from this pass — leaves, or
   * tensors computed by ops (on which `retainGrad()` is called, as PyTorch does: they keep their gradient at later
   * passes too) — and the graph is walked only as far as it leads to them. Without it, every leaf that requires grad
   * gets its gradient.
   */
  inputs?: Tensor | readonly Tensor[];
  /**
   * Build the graph of the gradients too (PyTorch's `create_graph`), so that they can be differentiated again: the
   * leaves' `.grad` become tensors computed by ops. Implies `retainGraph` unless it is given. Every op on the way must
   * have a differentiable gradient (see the README's list); a walk through one that has none is refused.
   */
  createGraph?: boolean;
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
 * Orders the graph above `roots` so that every tensor comes after all tensors computed from it (iterative DFS), and
 * notes for the walk how many times each leaf is an input and what storages the nodes saved (see `WalkFacts`). A
 * walk with `countUses` false adds every gradient through the walk (no op adds into a leaf's buffer directly).
 */
function topoOrder(roots: readonly Tensor[], facts: WalkFacts, countUses: boolean, checkSaved: boolean): Tensor[] {
  const order: Tensor[] = [];
  // Tensors reached are marked with the walk's number (cheaper than a Set, which hashes every tensor of the graph).
  const mark = facts.id;
  const tensors: Tensor[] = [];
  const next: number[] = [];
  for (const root of roots) {
    if (root.orderedBy === mark) continue;
    root.orderedBy = mark;
    tensors.push(checkedNotReleased(root, facts, checkSaved));
    next.push(0);
    while (tensors.length > 0) {
      const top = tensors.length - 1;
      const fn = tensors[top]!.gradFn;
      const inputs = fn?.inputs ?? NO_TENSORS;
      const i = next[top]!;
      if (i < inputs.length) {
        next[top] = i + 1;
        const child = gradInput(fn!, i);
        if (child === null) continue;
        if (countUses && child.gradFn === null) countUse(child, facts);
        if (child.orderedBy !== mark) {
          child.orderedBy = mark;
          tensors.push(checkedNotReleased(child, facts, checkSaved));
          next.push(0);
        }
      } else {
        order.push(tensors.pop()!);
        next.pop();
      }
    }
  }
  return order.reverse();
}

/**
 * `t`, once its node is known to be walkable: not released, and (with `checkSaved`) what it saved not changed in place
 * since. A walk toward chosen tensors checks the saved tensors of the nodes it runs only, afterwards (`checkRuns`).
 */
function checkedNotReleased(t: Tensor, facts: WalkFacts, checkSaved: boolean): Tensor {
  const fn = t.gradFn;
  if (fn instanceof GraphNode) {
    if (fn.released) throw secondWalkError(fn);
    if (checkSaved) fn.checkSaved();
    facts.nodes.push(fn);
    if (fn.shared) {
      if (fn.walkId !== facts.id) {
        fn.walkId = facts.id;
        fn.runsLeft = 0;
      }
      fn.runsLeft++;
    }
  }
  return t;
}

/** PyTorch's positional order of Tensor.backward's flags, after the gradient. */
const BACKWARD_FLAGS = ['retainGraph', 'createGraph', 'inputs'];
const BACKWARD_USAGE = 'backward(gradient, retainGraph, createGraph, inputs), or backward(gradient, { retainGraph, createGraph, inputs })';

/**
 * Reads `backward`'s arguments: `(gradient?, options?)`, `(options)`, or PyTorch's positional
 * `(gradient, retainGraph, createGraph, inputs)` (`backward(null, true)` is `loss.backward(None, True)`), the last
 * ones optionally replaced by an object of named options.
 */
function backwardArguments(given: unknown, rest: readonly unknown[]): { gradient: unknown; retainGraph: boolean; createGraph: boolean; inputs: Tensor[] | null } {
  // null is PyTorch's None: no gradient given.
  const first = given === null ? undefined : given;
  if (rest.length === 0 && (first === undefined || first instanceof Tensor)) return { gradient: first, retainGraph: false, createGraph: false, inputs: null };
  const firstIsOptions = isPlainObject(first);
  const after = firstIsOptions ? rest.find((v) => v !== undefined) : undefined;
  if (after !== undefined) {
    throw new TypeError(`backward: the options come last, after the gradient, as in backward(gradient, { retainGraph: true }); got ${describeValue(after)} after the options`);
  }
  const options = firstIsOptions
    ? checkOptions<BackwardOptions>('backward', first as BackwardOptions, BACKWARD_FLAGS as (keyof BackwardOptions)[])
    : graphCallOptions<BackwardOptions>('backward', [first, ...rest], 1, BACKWARD_FLAGS, BACKWARD_USAGE);
  const { createGraph, retainGraph } = graphFlags('backward', options);
  const inputs = options.inputs;
  return { gradient: firstIsOptions ? undefined : first, retainGraph, createGraph, inputs: inputs === undefined ? null : tensorList('backward', 'inputs', inputs) };
}

/** `createGraph` and `retainGraph` checked, retainGraph defaulting to createGraph (PyTorch's rule). */
export function graphFlags(op: string, options: { retainGraph?: unknown; createGraph?: unknown }): { retainGraph: boolean; createGraph: boolean } {
  const { createGraph = false } = options;
  if (typeof createGraph !== 'boolean') throw new TypeError(`${op}: createGraph must be true or false, got ${describeValue(createGraph)}`);
  const { retainGraph = createGraph } = options;
  if (typeof retainGraph !== 'boolean') throw new TypeError(`${op}: retainGraph must be true or false, got ${describeValue(retainGraph)}`);
  return { retainGraph, createGraph };
}

/** `given` as a non-empty list of tensors that require grad (a tensor alone is a list of one), for `op`'s `what`. */
export function tensorList(op: string, what: string, given: unknown): Tensor[] {
  const list = given instanceof Tensor ? [given] : given;
  if (!Array.isArray(list)) throw new TypeError(`${op}: ${what} must be a Tensor or an array of Tensors, got ${describeValue(given)}`);
  if (list.length === 0) throw new RangeError(`${op}: ${what} is empty; give the tensors to differentiate with respect to`);
  list.forEach((t: unknown, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what}[${i}] must be a Tensor, got ${describeValue(t)}`);
    if (!t.requiresGrad) throw new Error(`${op}: ${what}[${i}] (shape ${formatShape(t.shape)}) does not require grad, so it has no gradient to give (set requiresGrad on it before the forward pass)`);
  });
  return list as Tensor[];
}

/**
 * The gradient `root` starts the walk with: `gradient`, checked against root's shape, or a one for a one-element
 * root. `label` names the root in errors ('this tensor', 'outputs[1]').
 */
export function seedFor(op: string, root: Tensor, gradient: unknown, label: string): Tensor {
  if (!root.requiresGrad) {
    throw new Error(`${op}: ${label} does not require grad and has no grad_fn (was it computed inside noGrad, or from tensors without requiresGrad?)`);
  }
  if (root.seenGraphEdits !== root.versionCounter.graphEdits) refreshStale(root, op);
  if (gradient === undefined || gradient === null) {
    if (root.numel() !== 1) {
      throw new RangeError(`${op}: grad can be implicitly created only for scalar outputs (${label} has shape ${formatShape(root.shape)}); pass a gradient`);
    }
    return new Tensor(new Float32Array(1).fill(1), root.shape);
  }
  const what = label === 'this tensor' ? 'gradient' : `the gradient of ${label}`;
  if (!(gradient instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor of shape ${formatShape(root.shape)}, got ${describeValue(gradient)}`);
  if (!sameShape(gradient.shape, root.shape)) {
    throw new RangeError(`${op}: ${what} has shape ${formatShape(gradient.shape)} but ${label === 'this tensor' ? 'the tensor' : label} has shape ${formatShape(root.shape)}`);
  }
  return gradient;
}

/**
 * A walk toward chosen tensors. With `capture` (autograd.grad) their gradients are collected in `got` — as they
 * arrive, before the tensor's hooks — and no `.grad` is touched; without it (backward's `inputs`) they are added into
 * the chosen tensors' `.grad` only. Either way only the nodes that lead to a chosen tensor run.
 */
export interface Targets {
  readonly tensors: ReadonlySet<Tensor>;
  readonly capture: boolean;
  readonly got: Map<Tensor, Tensor>;
}

/**
 * Backpropagates from `root`, accumulating into the `.grad` of every leaf that requires grad (or of the tensors of
 * `inputs` only). The walk releases the graph's saved values (see `GraphNode`) unless `retainGraph` is set; walking a
 * released graph again, or a node whose saved tensors were changed in place since, is an error, raised before any
 * gradient is added.
 */
export function backward(root: Tensor, gradientArg?: unknown, ...rest: unknown[]): void {
  const { gradient, retainGraph, createGraph, inputs } = backwardArguments(gradientArg, rest);
  const seed = seedFor('backward', root, gradient, 'this tensor');
  walkFrom([root], [seed], retainGraph, inputs === null ? null : { tensors: new Set(inputs), capture: false, got: new Map() }, createGraph);
}

/**
 * The walk from `roots`, each starting with its `seeds` gradient (summed where a root repeats). With `targets`, no op
 * adds into a leaf's buffer directly (its uses are not counted) and only nodes leading to a target run.
 */
export function walkFrom(roots: readonly Tensor[], seeds: readonly Tensor[], retainGraph: boolean, targets: Targets | null, createGraph = false): void {
  // Tensors of backward's `inputs` computed by ops retain their gradient from now on, at later passes too, as PyTorch's
  // run_backward calls retain_grad() on each: `.grad` keeps the gradient at retainGrad's place among the hooks.
  if (targets !== null && !targets.capture) for (const t of targets.tensors) t.retainGrad();
  const facts: WalkFacts = { id: nextWalkId(), nodes: [] };
  // A walk that builds a graph adds no gradient into a leaf's buffer in place, so it needs no use counts.
  const order = topoOrder(roots, facts, targets === null && !createGraph, targets === null);
  const runs = targets === null ? null : nodesToRun(order, targets.tensors);
  if (runs !== null) checkRuns(runs);
  if (createGraph) refuseOnce(order, runs);
  if (runs !== null) refuseOwnWalks(order, runs);
  const outer = beginWalk(facts);
  // A backward started during another one's walk (a node's backward calling backward(), as a checkpointed or custom
  // function may): the outer walk's pending gradients live in the same fields, so they are set aside for this walk
  // and put back after it.
  const pending = outer === null ? null : order.map((t) => t.walkGrad);
  if (pending !== null) for (const t of order) t.walkGrad = null;
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    root.walkGrad = root.walkGrad === null ? seeds[i]! : root.walkGrad.add(seeds[i]!);
  }
  const revived = reviveDetached(order);
  try {
    walk(order, retainGraph, targets, runs, createGraph);
  } finally {
    settleDetached(revived);
    // Gradients left behind by a walk that threw (they would keep their arrays alive), or the outer walk's back.
    if (pending === null) for (const t of order) t.walkGrad = null;
    else for (let i = 0; i < order.length; i++) order[i]!.walkGrad = pending[i]!;
    endWalk(outer);
  }
}

/**
 * Refuses a walk toward chosen tensors through a node whose saved tensors were changed in place since, before any
 * gradient is computed: only the nodes it runs, as PyTorch checks a saved tensor when the node that reads it runs.
 */
function checkRuns(runs: ReadonlySet<Tensor>): void {
  for (const t of runs) {
    const fn = t.gradFn;
    if (fn instanceof GraphNode) fn.checkSaved();
  }
}

/** The tensors of `order` computed by an op one of whose inputs is, or leads to, a target: the nodes that must run. */
function nodesToRun(order: readonly Tensor[], targets: ReadonlySet<Tensor>): Set<Tensor> {
  const runs = new Set<Tensor>();
  const reaches = new Set<Tensor>();
  for (let k = order.length - 1; k >= 0; k--) {
    const t = order[k]!;
    const fn = t.gradFn;
    if (fn !== null) {
      for (let i = 0; i < fn.inputs.length; i++) {
        const input = gradInput(fn, i);
        if (input !== null && reaches.has(input)) {
          runs.add(t);
          break;
        }
      }
    }
    if (runs.has(t) || targets.has(t)) reaches.add(t);
  }
  return runs;
}

/**
 * The walk itself: each tensor's gradient (summed over its uses, kept in its `walkGrad` field: no map to hash every
 * tensor into) through its node, leaves' into their `.grad`. Every tensor that gets a gradient is in `order`.
 */
const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

function walk(order: readonly Tensor[], retainGraph: boolean, targets: Targets | null, runs: Set<Tensor> | null, createGraph: boolean): void {
  // Gradient buffers this walk made for slices' gradients (autograd/slice-grad.ts) and still owns: each is one
  // tensor's pending gradient, added into in place until that tensor's turn comes.
  const owned = new Set<Tensor>();
  (createGraph ? enableGrad : noGrad)(() => {
    for (const t of order) {
      let g = t.walkGrad;
      const fn = t.gradFn;
      if (g === null) {
        // A node no gradient reached is done with (PyTorch runs it with undefined gradients and frees it), but a walk
        // toward chosen tensors leaves the nodes it does not need as they are: a later backward may still go through them.
        if (!retainGraph && fn instanceof GraphNode && (runs === null || runs.has(t))) releaseAfterRun(fn);
        continue;
      }
      t.walkGrad = null;
      if (owned.size !== 0) owned.delete(g);
      if (runs !== null) {
        // A walk toward chosen tensors: nodes that lead to none are left as they are (not run, not released), and
        // so are leaves, but the chosen ones of backward's `inputs`.
        const chosen = targets!.tensors.has(t);
        if (targets!.capture) {
          if (chosen) targets!.got.set(t, g);
          if (!runs.has(t)) continue;
        } else if (!chosen && !runs.has(t)) continue;
      }
      // Gradient hooks (and retainGrad at its place among them) see the gradient summed over the tensor's uses.
      const hooks = t.gradHooks;
      if (hooks !== null && hooks.length > 0) g = runHooks(g, hooks, isTensor);
      if (fn === null) {
        if (createGraph) accumulateGraph(t, g);
        else accumulateGrad(t, g);
        continue;
      }
      if (runs !== null && !runs.has(t)) continue;
      // Closures read g's storage as row-major and of g's size: a strided view, or a slice of a longer storage
      // (a gradient given as x.narrow(…)), is copied first.
      const given = g.isContiguous() && g.unsettledData.length === g.numel() ? g : g.clone();
      const slice = createGraph || !(fn instanceof GraphNode) ? null : fn.sliceOf;
      if (slice !== null) {
        // A slice of its input (select, narrow, unbind, split): its gradient added where it lies.
        if (isAnomalyCheckNanEnabled()) {
          const bad = nanGradients(fn.torchName ?? fn.name, [given], (i) => gradInput(fn, i) !== null, (fn as GraphNode).forwardStack);
          if (bad !== null) throw bad;
        }
        const input = gradInput(fn, 0);
        if (input !== null) input.walkGrad = addSliceGradient(input.walkGrad, given, input.shape, slice, owned);
        if (!retainGraph) releaseAfterRun(fn as GraphNode);
        continue;
      }
      const inputGrads = createGraph ? graphBackwardOf(fn)(given) : fn.backward(given);
      if (isAnomalyCheckNanEnabled()) {
        const bad = nanGradients(fn.torchName ?? fn.name, inputGrads, (i) => gradInput(fn, i) !== null, fn instanceof GraphNode ? fn.forwardStack : null);
        if (bad !== null) throw bad;
      }
      for (let i = 0; i < fn.inputs.length; i++) {
        const input = gradInput(fn, i);
        const gi = inputGrads[i];
        if (input === null || gi === null || gi === undefined) continue;
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(`backward of ${fn.name}: gradient for input ${i} has shape ${formatShape(gi.shape)}, expected ${formatShape(input.shape)}`);
        }
        const prev = input.walkGrad;
        input.walkGrad = prev === null ? gi : owned.size !== 0 && owned.has(prev) ? addIntoOwned(prev, gi) : prev.add(gi);
      }
      if (!retainGraph && fn instanceof GraphNode) releaseAfterRun(fn);
    }
  });
}

/** Releases `fn` once the walk has run it for every tensor of its order that carries it (`GraphNode.shared`). */
function releaseAfterRun(fn: GraphNode): void {
  if (fn.shared && --fn.runsLeft > 0) return;
  fn.release();
}

/**
 * A leaf's gradient in a walk that builds a graph: `.grad` becomes a copy of the gradient (a tensor of the graph) or
 * the sum of the one kept and it — never an in-place add, which would change a tensor the graph may read. PyTorch's
 * AccumulateGrad under create_graph does the same.
 */
function accumulateGraph(leaf: Tensor, g: Tensor): void {
  if (!sameShape(leaf.shape, g.shape)) {
    throw new RangeError(`backward: gradient of shape ${formatShape(g.shape)} does not match tensor of shape ${formatShape(leaf.shape)}`);
  }
  const kept = leaf.gradOrNull;
  if (kept !== null) {
    leaf.grad = kept.add(g);
    return;
  }
  // A copy (recorded, so it keeps the graph): the same gradient may reach several leaves. PyTorch 1.13 copies it into
  // a buffer laid out as the leaf (CopyBackwards; copy_ is an in-place change: version 1) when the leaf is dense, and
  // clones it (CloneBackward0, version 0) otherwise.
  const copy = g.clone();
  if (leaf.isContiguous() || coversStorage(leaf)) {
    if (copy.gradFn instanceof GraphNode) copy.gradFn.rename('CopyBackwards');
    copy.versionCounter.value = 1;
  }
  leaf.grad = copy;
}

/**
 * Refuses a walk toward chosen tensors (`autograd.grad`, backward's `inputs`) through a node whose backward runs a walk
 * of its own, before any gradient is computed, as PyTorch 1.13 refuses its reentrant checkpoint there: that walk would
 * add into the buffers of leaves that were not chosen.
 */
function refuseOwnWalks(order: readonly Tensor[], runs: ReadonlySet<Tensor>): void {
  for (const t of order) {
    const fn = t.gradFn;
    if (!(fn instanceof GraphNode) || !fn.ownWalk || !runs.has(t)) continue;
    throw new Error(
      `${fn.name}: checkpointing is not compatible with autograd.grad() or with backward()'s inputs option (the checkpointed segment's backward adds into ` +
        'every leaf it reaches); call loss.backward() without inputs and read .grad (PyTorch: "Checkpointing is not compatible with .grad() or when an `inputs` parameter is passed to .backward()")',
    );
  }
}

/**
 * Refuses a walk with `createGraph` through a node whose gradient Kindling cannot differentiate again (it has no
 * `graphBackward`, autograd/twice.ts), before any gradient is computed: its result would silently lack a graph.
 */
function refuseOnce(order: readonly Tensor[], runs: Set<Tensor> | null): void {
  for (const t of order) {
    const fn = t.gradFn;
    if (fn === null || (runs !== null && !runs.has(t)) || runsTwice(fn)) continue;
    if (fn instanceof GraphNode && fn.ownWalk) {
      throw new Error(
        `createGraph: the gradient of ${fn.name} (output shape ${formatShape(t.shape)}) cannot be differentiated again: a checkpointed segment's backward ` +
          'runs a backward pass of its own, which adds first-order gradients only (PyTorch 1.13\'s reentrant checkpoint returns such a gradient without a graph, silently); ' +
          'run the segment without utils.checkpoint where you need second derivatives',
      );
    }
    throw new Error(
      `createGraph: the gradient of ${fn.name} (${fn.torchName ?? fn.name}, output shape ${formatShape(t.shape)}) cannot be differentiated again in Kindling yet, ` +
        'so no graph of the gradient can be built through it. Second derivatives go through the ops the README lists under "Second derivatives" ' +
        '(arithmetic, exp/log/sqrt/abs, the activations, sums and means, views, matmul and linear, softmax, the common losses); write the function with those, ' +
        'or as an autograd.Function whose backward uses them',
    );
  }
}
