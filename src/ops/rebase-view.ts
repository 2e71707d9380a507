// In-place changes made through a view, which autograd follows as PyTorch's does: `y[1].mul_(w)` or
// `y.view(12).relu_()` gives the base y the node CopySlices (its gradient, but in the view's place, goes back to y as
// it was; there, to the op's inputs) and the view the node AsStridedBackward0 over the changed base. A view of the
// base made before the change gets that node too, when it is next used (`refreshView`), as PyTorch replays it.
// Only views of a contiguous base that covers its storage are followed (others are refused with a reason).
import { isWatchedPiece, outputNumberOf, pieceUnchanged } from '../autograd/next-functions.js';
import { GraphNode, onStaleView, record, staleAliasError } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { gatherStrided, scatterStrided } from '../kernels/strided.js';
import { formatShape, numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { advance, keepSaved, standIn } from './graph-identity.js';
import { stridedView } from './view.js';
import { splitGradient, viewPlaces } from './scatter-views.js';
import { coversStorage } from './util.js';

/** The view `v`'s first element's place in its base's storage. */
function offsetIn(v: Tensor, base: Tensor): number {
  const vs = v.unsettledData;
  const bs = base.unsettledData;
  if (vs.buffer !== bs.buffer || vs.byteOffset < bs.byteOffset) throw new Error('internal: a view outside its base\'s storage');
  return (vs.byteOffset - bs.byteOffset) / 4;
}

/** Refuses a change through a view (or a replay of one) that autograd cannot follow: says why, and what to do. */
function checkBase(v: Tensor, base: Tensor, op: string): void {
  if (base.seenGraphEdits !== base.versionCounter.graphEdits) throw staleAliasError(op, base);
  if (base.requiresGrad && base.gradFn === null) {
    throw new Error(`${op}: this tensor is a view of a leaf that requires grad, which cannot be changed in place (PyTorch refuses it too: "a view of a leaf Variable that requires grad is being used in an in-place operation"); do it inside noGrad(() => …)`);
  }
  // A base that requires no grad takes the change's gradient, as PyTorch's; its other views would have to as well,
  // which Kindling does not do: refused where the base has any.
  if (!base.requiresGrad && base.versionCounter.views > 1) {
    throw new Error(
      `${op}: this tensor is a view of a tensor that requires no grad and has other views, which the change would make require grad ` +
        '(PyTorch rewrites their nodes; Kindling does not). Make the view to change last, or build the rows with stack() or cat()',
    );
  }
  if (!base.isContiguous() || !coversStorage(base)) {
    throw new Error(
      `${op}: this tensor is a view of a tensor of shape ${formatShape(base.shape)} laid out with strides ${formatShape(base.strides)}, and ` +
        'Kindling follows in-place changes through views only of contiguous tensors: make the base contiguous first (x = x.contiguous()), ' +
        `or use the out-of-place form (view shape ${formatShape(v.shape)})`,
    );
  }
}

/**
 * The node of the base after its view (shape, strides, offset) took `r`'s values: PyTorch's CopySlices. The gradient
 * goes to the base as it was, but in the view's place, and there to `r`.
 */
function copySlices(self: Tensor, r: Tensor, shape: readonly number[], strides: readonly number[], offset: number): GraphNode {
  // Only the node is wanted: the values are written into the base's storage by the change itself.
  const carrier = new Tensor(new Float32Array(0), self.shape, { strides: self.shape.map(() => 0) });
  const n = numel(shape);
  record(carrier, 'copySlices', [self, r], (g) => {
    const G = g.values();
    let gSelf: Tensor | null = null;
    if (self.requiresGrad) {
      const data = G.slice();
      scatterStrided(new Float32Array(n), data.subarray(offset), shape, strides);
      gSelf = new Tensor(data, self.shape);
    }
    let gr: Tensor | null = null;
    if (r.requiresGrad) {
      const out = new Float32Array(n);
      gatherStrided(G.subarray(offset), shape, strides, out);
      gr = new Tensor(out, r.shape);
    }
    return [gSelf, gr];
  }, [], 'CopySlices');
  // Linear: the same split of the gradient with ops (createGraph).
  twice(carrier, (g) => {
    const [gSelf, gr] = splitGradient(g, self.shape, r.shape, viewPlaces(shape, strides, offset), 'copySlices');
    return [self.requiresGrad ? gSelf : null, r.requiresGrad ? gr : null];
  });
  return carrier.gradFn as GraphNode;
}

/**
 * Refuses a change of `v` (`direct`) or a use of it after a change of its base or of another view of it, when `v` is
 * one of the views that split, chunk or unbind returned together: PyTorch cannot replay such a view, and refuses both
 * with these words.
 */
function refuseMultiOutputView(v: Tensor, op: string, direct: boolean): void {
  const node = v.gradFn;
  if (node === null || node.torchName === undefined || !isWatchedPiece(v)) return;
  const what = direct ? 'is being modified inplace' : 'its base or another view of its base has been modified inplace';
  throw new Error(
    `${op}: Output ${outputNumberOf(node)} of ${node.torchName} is a view and ${what}. This view is the output of a function that ` +
      'returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the ' +
      'inplace operation by an out-of-place one. (PyTorch\'s words: this tensor is a piece that split, chunk or unbind — or a ' +
      'for…of over a tensor — returned, or a view of one; clone() the piece, or take the pieces after the change)',
  );
}

/** rebase (ops/rebase.ts) for a view `v`: the base takes CopySlices, the view AsStridedBackward0 over the changed base. */
export function rebaseView(
  v: Tensor, op: string, compute: (self: Tensor) => Tensor, readsSelf: boolean, write: (t: Tensor, result: Tensor) => void, selfIsResult: boolean,
): Tensor {
  const base = v.viewBase!;
  refuseMultiOutputView(v, op, true);
  checkBase(v, base, op);
  const offset = offsetIn(v, base);
  const baseSelf = standIn(base, false);
  // The view's values before the change, in the graph; a copy where the op's backward reads them.
  const before = stridedView(baseSelf, v.shape, v.strides, offset);
  let input = readsSelf ? before.clone() : before;
  let result = compute(input);
  if (result === input) return v;
  const node = result.gradFn;
  if (!readsSelf && node instanceof GraphNode && node.savedShares(base.unsettledData)) {
    input = before.clone();
    result = compute(input);
  }
  const slices = copySlices(baseSelf, result, v.shape, v.strides, offset);
  write(v, result);
  base.versionCounter.graphEdits++;
  advance(base, baseSelf, slices);
  advance(v, standIn(v, false), stridedView(base, v.shape, v.strides, offset).gradFn);
  keepSaved(result, input, v, selfIsResult);
  return v;
}

/**
 * A view made before an in-place change of its storage (through its base or another view), used afterwards: its node
 * is made anew over the base as it is now (AsStridedBackward0), as PyTorch regenerates a view's grad_fn. The nodes
 * made from the view before keep its old one. Throws where that cannot be done.
 */
export function refreshView(v: Tensor, op: string): void {
  const base = v.viewBase;
  if (base === null) throw staleAliasError(op, v);
  if (pieceUnchanged(v)) return;
  refuseMultiOutputView(v, op, false);
  checkBase(v, base, op);
  const offset = offsetIn(v, base);
  const self = standIn(v, false);
  advance(v, self, stridedView(base, v.shape, v.strides, offset).gradFn);
}

onStaleView(refreshView);
