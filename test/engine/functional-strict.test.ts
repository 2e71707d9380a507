// autograd.functional's vjp, jvp, hvp and vhp with strict: refused where PyTorch 1.13 refuses, with its messages
// (torch/autograd/functional.py's _check_requires_grad and _fill_in_zeros), and the same values where it does not.
// The messages and values below are PyTorch 1.13's for the same calls.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, ones, tensor, type Tensor } from '../../src/index.js';

const { hvp, jvp, vhp, vjp } = autograd.functional;
const x = tensor([1, 2]);
const y = tensor([3, 4]);
const o = tensor([1, 1]);
const strict = { strict: true };
const strictGraph = { strict: true, createGraph: true };

const NO_GRAD_OUTPUT = (i: number): string => `Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`;
const UNUSED = (i: number): string => `The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`;
const CONSTANT_JACOBIAN = (i: number): string => `The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`;
const CONSTANT_HESSIAN = (i: number): string => `The hessian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`;
const LINEAR = (i: number): string => `While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).`;

/** Asserts that `fn` throws an Error whose message is `op: ` followed by PyTorch's `message`. */
function refused(op: string, fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.ok(e.message.startsWith(`${op}: ${message}`), `${op}: got ${e.message}`);
    return true;
  });
}

const list = (t: Tensor | Tensor[]): unknown => (Array.isArray(t) ? t.map((u) => u.tolist()) : t.tolist());

test('jacobian and hessian with strict refuse an output without a graph first, with PyTorch\'s message', () => {
  const { hessian, jacobian } = autograd.functional;
  refused('jacobian', () => jacobian(() => ones([2]), x, strict), NO_GRAD_OUTPUT(0));
  refused('jacobian', () => jacobian((a: Tensor) => [a.mul(2), ones([2])], x, strict), NO_GRAD_OUTPUT(1));
  refused('jacobian', () => jacobian(() => ones([2]), x, strictGraph), NO_GRAD_OUTPUT(0));
  refused('hessian', () => hessian(() => ones([]), x, strict), NO_GRAD_OUTPUT(0));
});

test('vjp with strict refuses an output without a graph, an unused input, and a constant Jacobian with createGraph', () => {
  refused('vjp', () => vjp(() => ones([2]), x, o, strict), NO_GRAD_OUTPUT(0));
  refused('vjp', () => vjp((a: Tensor, _b: Tensor) => a.mul(2), [x, y], o, strict), UNUSED(1));
  refused('vjp', () => vjp((a: Tensor) => a.mul(2), x, o, strictGraph), CONSTANT_JACOBIAN(0));
  assert.deepEqual(list(vjp((a: Tensor) => a.mul(2), x, o, strict)[1]), [2, 2]);
  const [, g] = vjp((a: Tensor) => a.mul(a), x, o, strictGraph);
  assert.deepEqual(g.tolist(), [2, 4]);
  assert.equal(g.requiresGrad, true);
});

test('jvp with strict refuses an output without a graph, an unused input, and a constant Jacobian with createGraph', () => {
  refused('jvp', () => jvp((a: Tensor) => [a.mul(2), ones([2])], x, o, strict), NO_GRAD_OUTPUT(1));
  refused('jvp', () => jvp((a: Tensor, _b: Tensor) => a.pow(2).sum(), [x, y], [o, o], strict), UNUSED(1));
  refused('jvp', () => jvp((a: Tensor) => a.mul(2), x, o, strictGraph), CONSTANT_JACOBIAN(0));
  assert.deepEqual(list(jvp((a: Tensor) => a.mul(2), x, o, strict)[1]), [2, 2]);
  assert.deepEqual(list(jvp((a: Tensor) => a.mul(a), x, o, strictGraph)[1]), [2, 4]);
  // Not strict: zeros where strict refuses, as before.
  assert.deepEqual(list(jvp((a: Tensor) => [a.mul(2), ones([2])], x, o)[1]), [[2, 2], [0, 0]]);
});

test('hvp and vhp with strict refuse an output without a graph, an unused input, a linear function, and a constant Hessian with createGraph', () => {
  for (const [op, fn] of [['hvp', hvp], ['vhp', vhp]] as const) {
    refused(op, () => fn(() => ones([]), x, o, strict), NO_GRAD_OUTPUT(0));
    refused(op, () => fn((a: Tensor, _b: Tensor) => a.pow(3).sum(), [x, y], [o, o], strict), UNUSED(1));
    refused(op, () => fn((a: Tensor) => a.sum(), x, o, strict), LINEAR(0));
    assert.deepEqual(list(fn((a: Tensor) => a.pow(2).sum(), x, o, strictGraph)[1]), [2, 2], `${op} of Σx²`);
  }
  // f = Σx³ + Σ(x·Σy): the Hessian's y entries are constants.
  const f = (a: Tensor, b: Tensor): Tensor => a.pow(3).sum().add(a.mul(b.sum()).sum());
  refused('hvp', () => hvp(f, [x, y], [o, o], strictGraph), CONSTANT_HESSIAN(1));
  assert.deepEqual(list(hvp(f, [x, y], [o, o], strict)[1]), [[8, 14], [2, 2]]);
  const g = (a: Tensor, b: Tensor): Tensor => a.pow(3).sum().add(a.mul(b).sum());
  refused('vhp', () => vhp(g, [x, y], [o, o], strictGraph), CONSTANT_HESSIAN(1));
  assert.deepEqual(list(vhp(g, [x, y], [o, o], strict)[1]), [[7, 13], [1, 1]]);
  assert.deepEqual(list(hvp((a: Tensor) => a.pow(4).sum(), x, o, strictGraph)[1]), [12, 48]);
});
