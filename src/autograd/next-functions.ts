// PyTorch's `grad_fn.next_functions`: where a node sends each of its gradients, as (node, inputNumber) pairs, the
// node being the input's grad_fn, an AccumulateGrad for a leaf that requires grad (one per leaf, whose `variable` is
// the leaf), or null for an input that takes no gradient. Built when read, from the node's inputs: nothing is kept
// per op, so recording and walking the graph cost nothing more.
import type { GradFn, Tensor } from '../tensor/tensor.js';
import { gradInput } from './record.js';

/** One entry of `nextFunctions`: the node a gradient goes to (null for none) and which of its outputs it is for. */
export type NextFunction = readonly [GradFn | null, number];

const NONE: readonly NextFunction[] = Object.freeze([]);

/**
 * The node that adds a leaf's gradient into its `.grad`, as PyTorch's AccumulateGrad: `x.mul(2).gradFn.nextFunctions[0][0]`
 * for a leaf x that requires grad, whose `variable` is x. The same object for a leaf each time, as in PyTorch (while a
 * graph holds it there; here for the leaf's life). It is never a tensor's `gradFn` (a leaf's is null) and the backward
 * walk does not run it: it is there for code that walks the graph (printing it, say).
 */
export class AccumulateGrad implements GradFn {
  readonly name = 'accumulateGrad';
  readonly torchName = 'AccumulateGrad';
  readonly inputs: readonly Tensor[] = [];
  readonly nextFunctions: readonly NextFunction[] = NONE;

  /** @internal Made by `accumulatorOf` only. */
  constructor(readonly variable: Tensor) {}

  /** Nothing to send on: the leaf's gradient stops here (a walk adds it into `variable.grad` itself). */
  backward(): readonly (Tensor | null)[] {
    return [];
  }
}

const accumulators = new WeakMap<Tensor, AccumulateGrad>();

/** The AccumulateGrad node of a leaf, made on first use and the same object afterwards. */
function accumulatorOf(leaf: Tensor): AccumulateGrad {
  let node = accumulators.get(leaf);
  if (node === undefined) {
    node = new AccumulateGrad(leaf);
    accumulators.set(leaf, node);
  }
  return node;
}

const outputNumbers = new WeakMap<GradFn, number>();

/**
 * Notes that each piece's node stands for its output (its place in `pieces`) of an op that returns several tensors (unbind, split, chunk),
 * which PyTorch records as one node with several outputs and Kindling as one node per output: `nextFunctions` then
 * gives PyTorch's input number. @internal
 */
export function numberPieces(pieces: Tensor[]): Tensor[] {
  pieces.forEach(numberPiece);
  return pieces;
}

/** `numberPieces` for one piece, output `index` (a tensor's iterator gives them one by one). @internal */
export function numberPiece(piece: Tensor, index: number): Tensor {
  if (piece.gradFn === null) return piece;
  if (index !== 0) outputNumbers.set(piece.gradFn, index);
  if (MULTI_OUTPUT_NODES.has(piece.gradFn.torchName!)) watchPiece(piece);
  return piece;
}

/** The nodes of the views PyTorch returns several at once (split, chunk, unbind), which it never replays. @internal */
export const MULTI_OUTPUT_NODES: ReadonlySet<string> = new Set(['SplitBackward0', 'SplitWithSizesBackward0', 'UnbindBackward0']);

/** The version of each such piece's storage when it was made. */
const pieceVersions = new WeakMap<Tensor, number>();

/**
 * Has every use of `piece` check its storage's version (a `seenGraphEdits` no counter has sends each use to
 * `refreshStale`): PyTorch refuses a piece once its storage was changed in place by any means — inside noGrad, through
 * detach() or an optimizer step too, which autograd does not follow — and a change it follows is already refused.
 */
function watchPiece(piece: Tensor): void {
  pieceVersions.set(piece, piece.versionCounter.value);
  piece.seenGraphEdits = -1;
}

/**
 * A view `out` made of a watched piece `x` (or of a view of one) is watched as the piece, from the piece's version:
 * PyTorch refuses it as it refuses the piece, naming the view's own node. Called only for a watched `x`
 * (`seenGraphEdits` -1), so views of other tensors pay nothing. @internal
 */
export function watchPieceView(x: Tensor, out: Tensor): void {
  const version = pieceVersions.get(x);
  if (version === undefined) return;
  pieceVersions.set(out, version);
  out.seenGraphEdits = -1;
}

/** Whether `t` is a piece split, chunk or unbind returned (with autograd recording), or a view of one. @internal */
export function isWatchedPiece(t: Tensor): boolean {
  return pieceVersions.has(t);
}

/** Whether `t` is a watched piece whose storage has not changed since it was made (nothing to refresh). @internal */
export function pieceUnchanged(t: Tensor): boolean {
  return pieceVersions.get(t) === t.versionCounter.value;
}

/** Which output of its op a node's tensor is, as PyTorch numbers them (0 but for the pieces above). @internal */
export function outputNumberOf(fn: GradFn): number {
  return outputNumbers.get(fn) ?? 0;
}

/**
 * Where PyTorch's edges are not one per Kindling input, in order: for a node (by Kindling's name and PyTorch's) with
 * `n` inputs, PyTorch's edges as Kindling input numbers; null for an edge PyTorch leaves empty (an absent optional
 * tensor: a convolution's bias, a norm's weight, dropout's mask, which needs no grad); `{ t: i }` for PyTorch's
 * `weight.t()` (a TBackward0 node over input i) of `F.linear`; `{ via: i, skip: k }` for input i less the k
 * nodes of Kindling's own that made it (stack's unsqueezes, repeat's expand and reshapes, a 0-d topk's reshape),
 * which PyTorch's op does not record. Inputs not listed are Kindling's constants (a number operand PyTorch keeps as
 * a Scalar; index tensors). Read only by `nextFunctions`: nothing is done per op. Undefined: one edge per input.
 */
type Edge = number | null | { readonly t: number } | { readonly via: number; readonly skip: number };
type Layout = (n: number) => readonly Edge[] | undefined;
const only = (count: number, edges: readonly Edge[]): Layout => (n) => (n === count ? edges : undefined);
const FIRST = only(2, [0]);
const NO_WEIGHTS = only(1, [0, null, null]);
const through = (skip: number): Layout => (n) => Array.from({ length: n }, (_, via) => ({ via, skip }));
const CONVOLUTIONS = ['conv1d', 'conv2d', 'conv3d', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d'];
const LAYOUTS = new Map<string, Layout>([
  ['pow PowBackward2', only(2, [1])], ['mul PowBackward0', FIRST],
  ['where MaskedFillBackward0', only(2, [1])], ['where MaskedFillBackward1', only(2, [1, 0])],
  ['fmod FmodBackward0', FIRST], ['remainder RemainderBackward0', FIRST], ['floorDivide NotImplemented', FIRST],
  ['xlogy XlogyBackward2', FIRST], ['xlogy XlogyBackward1', only(2, [1])], ['copysign CopysignBackward1', FIRST],
  ['clampMin ClampMinBackward0', FIRST], ['clampMax ClampMaxBackward0', FIRST], ['lerp LerpBackward0', only(3, [0, 1])],
  ['layerNorm NativeLayerNormBackward0', NO_WEIGHTS], ['batchNorm NativeBatchNormBackward0', NO_WEIGHTS],
  ['groupNorm NativeGroupNormBackward0', NO_WEIGHTS], ['dropout MulBackward0', only(1, [0, null])],
  ['linear AddmmBackward0', only(3, [2, 0, { t: 1 }])], ['linear MmBackward0', only(2, [0, { t: 1 }])],
  ['index IndexBackward0', (n) => (n > 1 ? [0] : undefined)], ['indexPut IndexPutBackward0', (n) => (n > 2 ? [0, 1] : undefined)],
  ['rsub RsubBackward0', only(2, [1, 0])], ['rsub RsubBackward1', only(2, [1])], ['cat StackBackward0', through(1)], ['reshape RepeatBackward0', through(3)],
  ['reshape TopkBackward0', through(2)], ['reshape SortBackward0', through(2)],
  ...CONVOLUTIONS.map((op): [string, Layout] => [`${op} ConvolutionBackward0`, only(2, [0, 1, null])]),
]);

/** PyTorch's TBackward0 of `F.linear`'s `weight.t()`, which Kindling's fused linear has no node for: made when read. */
const transposes = new WeakMap<GradFn, GradFn>();

function transposeNode(fn: GradFn, weight: Tensor): GradFn {
  let node = transposes.get(fn);
  if (node === undefined) {
    const inputs = [weight];
    node = {
      name: 't', torchName: 'TBackward0', inputs,
      get nextFunctions() { return nextFunctionsOf(this); },
      backward: (g) => [g.t()],
    };
    transposes.set(fn, node);
  }
  return node;
}

/** The edge to input `i` of `fn`: its node, the leaf's AccumulateGrad, or none. */
function edge(fn: GradFn, i: number): NextFunction {
  const t = gradInput(fn, i);
  if (t === null) return [null, 0];
  const node = t.gradFn;
  return node === null ? [accumulatorOf(t), 0] : [node, outputNumberOf(node)];
}

/**
 * PyTorch's CopySlices (an in-place change through a view) sends the gradient to the base as it was, then to the
 * change's own node's edges but its first (the view's values, which the base's edge covers): Kindling's node has the
 * base and the change's result as inputs, so those edges are the result's node's.
 */
function copySlicesEdges(fn: GradFn): NextFunction[] {
  const op = gradInput(fn, 1)?.gradFn;
  const rest = op === null || op === undefined ? [] : nextFunctionsOf(op).slice(1);
  return [edge(fn, 0), ...rest];
}

/** The edge to input `i` of `fn` less the `skip` nodes (each of one input) that Kindling recorded for it. */
function edgeThrough(fn: GradFn, i: number, skip: number): NextFunction {
  let node = fn;
  for (let k = 0; k < skip; k++) {
    const inner = gradInput(node, i)?.gradFn;
    if (inner === null || inner === undefined) break;
    node = inner;
    i = 0;
  }
  return edge(node, i);
}

/**
 * PyTorch's `next_functions` of `fn`: for each input, in PyTorch's order, `[node, inputNumber]` — the input's grad_fn
 * as it was when the op ran, the AccumulateGrad of a leaf that requires grad, or `[null, 0]` for an input that takes
 * no gradient (or an optional one not given). Empty once a backward pass released the node (PyTorch keeps the edges;
 * Kindling drops the inputs to free memory).
 */
export function nextFunctionsOf(fn: GradFn): NextFunction[] {
  if (fn.name === 'copySlices') return copySlicesEdges(fn);
  const layout = LAYOUTS.get(`${fn.name} ${fn.torchName}`)?.(fn.inputs.length);
  if (layout === undefined) return fn.inputs.map((_, i) => edge(fn, i));
  return layout.map((e): NextFunction => {
    if (e === null) return [null, 0];
    if (typeof e === 'number') return edge(fn, e);
    if ('via' in e) return edgeThrough(fn, e.via, e.skip);
    const weight = gradInput(fn, e.t);
    return weight === null ? [null, 0] : [transposeNode(fn, weight), 0];
  });
}
