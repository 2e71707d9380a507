// In-place ops that autograd follows, as PyTorch's: `y = x.mul(2); y.add_(1)` gives y a new node (AddBackward0)
// whose input is y as it was, so that the gradient of what is computed from y afterwards goes through the change,
// while the ops that used y before it still send theirs to y's old node. PyTorch moves the edges of its graph; here
// the graph's edges are tensors, so y keeps, in `graphHistory`, a tensor standing for each version of it that has a
// node, and the nodes made before the change (which note their inputs' `graphGen`) find it through `inputAt`.
import { GraphNode, staleAliasError } from '../autograd/record.js';
import { Tensor } from '../tensor/tensor.js';

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
  refuseAliases(t, op);
  let self = before(t, readsSelf);
  let result = compute(self);
  // An op that gives back its input (dropout outside training, or with p = 0) changes nothing.
  if (result === self) return t;
  const node = result.gradFn;
  if (!readsSelf && node instanceof GraphNode && node.savedShares(t.unsettledData)) {
    self = before(t, true);
    result = compute(self);
  }
  write(t, result);
  // What PyTorch saves as the changed tensor itself (a result: relu_, sigmoid_, exp_; the input, for leaky_relu_ and
  // elu_, whose backward PyTorch computes from the result) is checked against t's version from now on.
  if (node instanceof GraphNode) {
    node.rebindSaved(result, t);
    if (selfIsResult) node.rebindSaved(self, t);
  }
  const history = t.graphHistory ?? (t.graphHistory = []);
  history.push(self);
  t.graphGen++;
  const counter = t.versionCounter;
  counter.graphEdits++;
  t.seenGraphEdits = counter.graphEdits;
  // The result's node becomes t's: t is no longer a leaf, and requires grad from now on.
  t.gradFn = result.gradFn;
  if (t.gradFn !== null) t.requiresGrad = true;
  return t;
}

/**
 * What Kindling cannot follow: a change made through a view (PyTorch then records a CopySlices node on the base), a
 * tensor whose own node is stale, and a tensor that required no grad but has views, which PyTorch would make require
 * grad with it.
 */
function refuseAliases(t: Tensor, op: string): void {
  if (t.seenGraphEdits !== t.versionCounter.graphEdits) throw staleAliasError(op, t);
  if (t.isView) {
    throw new Error(
      `${op}: this tensor is a view of another one (made by view, reshape, transpose, select, narrow, …), and Kindling's autograd ` +
        'does not follow in-place changes made through a view (PyTorch rewrites the base\'s node). Change the tensor the view was ' +
        'made from, make a copy first (x = x.clone()), or use the out-of-place form',
    );
  }
  if (!t.requiresGrad && t.versionCounter.viewed) {
    throw new Error(
      `${op}: this tensor requires no grad but has views, which the in-place change would have to make require grad (PyTorch ` +
        'rewrites their nodes; Kindling does not). Use the out-of-place form, or make a copy first (x = x.clone())',
    );
  }
}

/** A tensor standing for t as it is now, with its node: over t's storage, or over a copy of its values. */
function before(t: Tensor, copy: boolean): Tensor {
  const self = copy
    ? new Tensor(t.toArray(), t.shape)
    : new Tensor(t.unsettledData, t.shape, { strides: t.strides, version: t.versionCounter });
  if (t.gradFn !== null) self.gradFn = t.gradFn;
  if (t.requiresGrad) self.requiresGrad = true;
  return self;
}
