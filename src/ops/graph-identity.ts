// What an in-place change autograd follows does to a tensor's place in the graph (ops/rebase.ts, rebase-view.ts):
// the tensor as it was is kept, with its node, for the nodes made from it before (autograd/record.ts `inputAt`),
// and the tensor takes a new node.
import { noteDetached } from '../autograd/detached.js';
import { Retain } from '../autograd/hooks.js';
import { GraphNode } from '../autograd/record.js';
import type { GradFn } from '../tensor/tensor.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor standing for t as it is now, with its node: over t's storage, or over a copy of its values. */
export function standIn(t: Tensor, copy: boolean): Tensor {
  const self = copy
    ? new Tensor(t.toArray(), t.shape)
    : new Tensor(t.settled(), t.shape, { strides: t.strides, version: t.versionCounter });
  if (t.gradFn !== null) self.gradFn = t.gradFn;
  if (t.requiresGrad) self.requiresGrad = true;
  self.name = t.name;
  return self;
}

/**
 * Gives t the node `gradFn` after a change of its storage that the counter's `graphEdits` already counts: `self`
 * (t as it was, from `standIn`) is kept under t's old `graphGen` for the nodes made from t before.
 */
export function advance(t: Tensor, self: Tensor, gradFn: GradFn | null, retainMoves = true): void {
  moveHooks(t, self, retainMoves);
  (t.graphHistory ?? (t.graphHistory = [])).push(self);
  t.graphGen++;
  t.seenGraphEdits = t.versionCounter.graphEdits;
  t.gradFn = gradFn;
  if (gradFn !== null) t.requiresGrad = true;
}

/**
 * t's gradient hooks stay with t as it was (`self`), as PyTorch 1.13 leaves them on the node t had (and its dict of
 * hooks there, which `t.hookBlock` keeps pointing at); retainGrad moves to t's new node (`retainMoves`), except for
 * detach_, which leaves it too (autograd/hooks.ts).
 */
function moveHooks(t: Tensor, self: Tensor, retainMoves: boolean): void {
  const entries = t.gradHooks;
  if (entries === null) return;
  const retain = retainMoves ? entries.filter((e) => e instanceof Retain) : [];
  const stay = retainMoves ? entries.filter((e) => !(e instanceof Retain)) : entries;
  self.gradHooks = stay.length > 0 ? stay : null;
  t.gradHooks = retain.length > 0 ? retain : null;
}

/**
 * What PyTorch saves as the changed tensor itself (a result: relu_, sigmoid_, exp_; the input, for leaky_relu_ and
 * elu_, whose backward PyTorch computes from the result) is checked against t's version from now on.
 */
export function keepSaved(result: Tensor, self: Tensor, t: Tensor, selfIsResult: boolean): void {
  const node = result.gradFn;
  if (!(node instanceof GraphNode)) return;
  node.rebindSaved(result, t);
  if (selfIsResult) node.rebindSaved(self, t);
}

/**
 * `detach_()`: t becomes a leaf that does not require grad, while the nodes made from it before find t as it was,
 * with its node (`inputAt`), so gradients still flow through them, as through PyTorch's recorded edges.
 */
export function detachInPlace(t: Tensor): void {
  if (t.gradFn !== null) {
    const self = standIn(t, false);
    advance(t, self, null, false);
    noteDetached(self, t);
  }
  t.requiresGrad = false;
}
