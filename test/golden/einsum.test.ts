// einsum and tensordot against PyTorch 1.13 (fixtures/torch/einsum.json, from make_einsum.py): values, gradients of
// every operand and grad_fn names over contractions, batch labels, outer products, traces and diagonals, ellipses,
// implicit outputs, upper-case labels, size-1 broadcasting and empty operands; and PyTorch's refusals, message for
// message. Tolerance rtol 1e-5 (atol 1e-6): the contractions are matrix products summed in another order than
// PyTorch's BLAS; the ops around them (permute, diagonal, sum, view) are PyTorch's, in its order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { einsum, tensordot, zeros, type Subscript, type Tensor, type TensordotDims } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case {
  inputs: EncodedTensor[];
  out: EncodedTensor;
  upstream: EncodedTensor;
  grads: EncodedTensor[];
  gradFn: string;
}
interface Refusal {
  type: string;
  message: string;
}
const fx = loadFixture<{
  einsum: (Case & { equation: string })[];
  einsumErrors: (Refusal & { equation: string; shapes: number[][] })[];
  tensordot: (Case & { dims: TensordotDims })[];
  tensordotErrors: (Refusal & { a: number[]; b: number[]; dims: TensordotDims })[];
  sublists: (Case & { sublists: Subscript[][]; output: Subscript[] | null })[];
  sublistErrors: (Refusal & { sublists: Subscript[][]; output: Subscript[] | null; shapes: number[][] })[];
}>('einsum.json');

/** einsum's sublist form: each operand followed by its subscripts, then the output's when given. */
const sublistArgs = (xs: Tensor[], lists: Subscript[][], output: Subscript[] | null): (Tensor | Subscript[])[] =>
  [...xs.flatMap((x, i) => [x, lists[i]!]), ...(output === null ? [] : [output])];
const tol = { rtol: 1e-5, atol: 1e-6 };

function check(c: Case, fn: (xs: ReturnType<typeof decode>[]) => ReturnType<typeof decode>): void {
  const xs = c.inputs.map((e) => decode(e, true));
  const out = fn(xs);
  assertTensorClose(out, c.out, 'out', tol);
  assert.equal(out.gradFn?.torchName, c.gradFn);
  out.backward(decode(c.upstream));
  xs.forEach((x, i) => assertTensorClose(x.grad, c.grads[i]!, `grad of operand ${i}`, tol));
}

for (const c of fx.einsum) {
  test(`einsum('${c.equation}') on ${c.inputs.map((e) => `[${e.shape.join(', ')}]`).join(', ')} matches PyTorch (value, grads, grad_fn)`, () => {
    check(c, (xs) => einsum(c.equation, ...xs));
  });
}

test('einsum takes its operands as one array too, as PyTorch', () => {
  const c = fx.einsum[0]!;
  check(c, (xs) => einsum(c.equation, xs));
});

for (const c of fx.einsumErrors) {
  test(`einsum('${c.equation}') refuses with PyTorch's message: ${c.message}`, () => {
    assert.throws(() => einsum(c.equation, ...c.shapes.map((s) => zeros(s))), (e: Error) => e.message === c.message);
  });
}

for (const c of fx.sublists) {
  test(`einsum's sublist form ${JSON.stringify(c.sublists)}${c.output === null ? '' : ` -> ${JSON.stringify(c.output)}`} matches PyTorch (value, grads, grad_fn)`, () => {
    check(c, (xs) => einsum(...sublistArgs(xs, c.sublists, c.output)));
  });
}

test('einsum\'s sublist form refuses a subscript out of range with PyTorch\'s message, and subscripts that are not a list', () => {
  for (const c of fx.sublistErrors) {
    assert.throws(() => einsum(...sublistArgs(c.shapes.map((s) => zeros(s)), c.sublists, c.output)), (e: Error) => e.message === c.message);
  }
  assert.throws(() => einsum(zeros([2]), 'i' as never), /einsum\(\): the subscripts of operand 0 must be an array of numbers \(0–51\) and '\.\.\.', got the string "i"/);
  assert.throws(() => einsum(zeros([2]), [0.5]), /einsum\(\): a subscript of operand 0 must be an integer or '\.\.\.', got the number 0\.5/);
  assert.throws(() => einsum(zeros([2]), [0], [0], [0]), /einsum: operand 1 must be a Tensor/);
});

for (const c of fx.tensordot) {
  test(`tensordot(${c.inputs.map((e) => `[${e.shape.join(', ')}]`).join(', ')}, ${JSON.stringify(c.dims)}) matches PyTorch (value, grads, grad_fn)`, () => {
    check(c, ([a, b]) => tensordot(a!, b!, c.dims));
  });
}

for (const c of fx.tensordotErrors) {
  test(`tensordot([${c.a}], [${c.b}], ${JSON.stringify(c.dims)}) refuses with PyTorch's message`, () => {
    const expected = c.type === 'IndexError' ? c.message.replace('Dimension out of range', 'tensordot: dimension out of range') : c.message;
    assert.throws(() => tensordot(zeros(c.a), zeros(c.b), c.dims), (e: Error) => e.message === expected);
  });
}

test('tensordot refuses a dimension listed twice, as PyTorch', () => {
  assert.throws(() => tensordot(zeros([3, 3]), zeros([3, 3]), [[0, 0], [0, 1]]), /dim 0 appears multiple times in the list of dims/);
});

test('einsum with no operand is refused', () => {
  assert.throws(() => einsum('ij'), /must specify the equation string and at least one operand/);
});
