// In-place ops that autograd follows, as PyTorch's: `y = x.mul(2); y.add_(1)` gives y a new node (AddBackward0)
// whose input is y as it was, so that the gradient of what is computed from y afterwards goes through the change,
// while the ops that used y before it still send theirs to y's old node. PyTorch moves the edges of its graph; here
// the graph's edges are tensors, so y keeps, in `graphHistory`, a tensor standing for each version of it that has a
// node, and the nodes made before the change (which note their inputs' `graphGen`) find it through `inputAt`.
// A change made through a view goes to rebase-view.ts.
import { GraphNode, refreshStale } from '../autograd/record.js';
import { Tensor } from '../tensor/tensor.js';
import { advance, keepSaved, standIn } from './graph-identity.js';
import { rebaseView } from './rebase-view.js';

/**
 * Applies `compute` to `t` in place with autograd following. `compute(self)` is the out-of-place op (recorded, as
 * any op is) on `self`, the tensor standing for t as it was; its values are written into t's storage, and its node
 * becomes t's. `readsSelf`: whether that node keeps `self`'s values for its backward pass (mul_ by a tensor that
 * requires grad, clamp_, log_): then `self` gets a copy of them, since t's storage is about to change. Otherwise it
 * shares t's storage; if the node saved it after all, the op is computed again on a copy, so the gradient never
 * reads overwritten values. `selfIsResult`: PyTorch computes the backward pass from the result (leaky_relu_, elu_),
 * so a later change of t must make backward() refuse.
 */
export function rebase(
  t: Tensor, op: string, compute: (self: Tensor) => Tensor, readsSelf: boolean, write: (t: Tensor, result: Tensor) => void, selfIsResult = false,
): Tensor {
  if (t.viewBase !== null) return rebaseView(t, op, compute, readsSelf, write, selfIsResult);
  if (t.seenGraphEdits !== t.versionCounter.graphEdits) refreshStale(t, op);
  if (!t.requiresGrad && t.versionCounter.views > 0) {
    throw new Error(
      `${op}: this tensor requires no grad but has views, which the in-place change would have to make require grad (PyTorch ` +
        'rewrites their nodes; Kindling does not). Use the out-of-place form, or make a copy first (x = x.clone())',
    );
  }
  let self = standIn(t, readsSelf);
  let result = compute(self);
  // An op that gives back its input (dropout outside training, or with p = 0) changes nothing.
  if (result === self) return t;
  const node = result.gradFn;
  if (!readsSelf && node instanceof GraphNode && node.savedShares(t.unsettledData)) {
    self = standIn(t, true);
    result = compute(self);
  }
  write(t, result);
  t.versionCounter.graphEdits++;
  advance(t, self, result.gradFn);
  // result, which the node's closures may read as a tensor of the graph, carries the node too.
  if (result.gradFn instanceof GraphNode) result.gradFn.shared = true;
  keepSaved(result, self, t, selfIsResult);
  return t;
}
