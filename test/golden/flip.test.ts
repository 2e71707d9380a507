// flip, fliplr, flipud, roll, tril and triu against PyTorch 1.13: values and input gradients bit for bit (they only
// move or zero elements), grad_fn names, copies (not views, as PyTorch's), negative dims, 0-d, empty and transposed
// inputs, NaN/±∞, and the calls PyTorch refuses with its messages (fixtures/torch/flip.json, written by make_flip.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { loadFixture, type EncodedTensor, fixtureUpstream, assertSame } from './golden-helpers.js';

type Op = 'flip' | 'fliplr' | 'flipud' | 'roll' | 'tril' | 'triu';
interface Case { op: Op; shape: number[]; t: boolean; special: boolean; args: unknown[]; out: EncodedTensor; grad: EncodedTensor; gradFn: string; view: boolean }
interface Fx { cases: Case[]; refused: { op: Op; shape: number[]; args: unknown[]; error: string }[] }
const fx = loadFixture<Fx>('flip.json');

/** make_flip.py's input: x[i] = i − n/3 + 0.25 (in float32) over `shape`, NaN/+∞/−∞ first where asked (the caller transposes). */
function make(shape: number[], spec: boolean): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(Math.fround(i - Math.fround(n / 3)) + 0.25);
  if (spec) data.set([NaN, Infinity, -Infinity]);
  return tensor(data, shape, { requiresGrad: true });
}

/** The method form and the top-level form of `op` on `x` with PyTorch's positional arguments. */
function call(op: Op, x: Tensor, args: unknown[], form: 'method' | 'function'): Tensor {
  const f = form === 'method'
    ? (x[op] as (...a: unknown[]) => Tensor).bind(x)
    : (K[op] as (t: Tensor, ...a: unknown[]) => Tensor).bind(null, x);
  return f(...args);
}

test('flip, fliplr, flipud, roll, tril and triu give PyTorch\'s values, gradients and grad_fn names, as copies', () => {
  assert.ok(fx.cases.length > 50);
  for (const c of fx.cases) {
    for (const form of ['method', 'function'] as const) {
      const label = `${form} ${c.op}(${JSON.stringify(c.args)}) of ${c.t ? 'the transpose of ' : ''}[${c.shape.join(', ')}]${c.special ? ' with NaN/±∞' : ''}`;
      const leaf = make(c.shape, c.special);
      const x = c.t ? leaf.t() : leaf;
      if (c.t) assert.equal(x.isContiguous(), c.shape[0] === 1 || c.shape[1] === 1, `${label}: input layout`);
      const out = call(c.op, x, c.args, form);
      assertSame(out, c.out, label);
      assert.equal(out.gradFn?.torchName, c.gradFn, `${label}: grad_fn`);
      assert.equal(c.view, false, `${label}: PyTorch's is a copy`);
      assert.ok(out.isContiguous(), `${label}: a new contiguous tensor`);
      out.backward(fixtureUpstream(out));
      assertSame(c.t ? leaf.grad!.t() : leaf.grad!, c.grad, `${label}: gradient`);
    }
  }
});

test('flip, roll, tril and triu refuse what PyTorch refuses, with its message', () => {
  for (const c of fx.refused) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const x = tensor(new Float32Array(n), c.shape);
    assert.throws(() => call(c.op, x, c.args, 'method'), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.ok(e.message.startsWith(`${c.op}: `), e.message);
      assert.ok(e.message.toLowerCase().includes(c.error.toLowerCase()), `${c.op}(${JSON.stringify(c.args)}) of [${c.shape}]: "${e.message}" lacks PyTorch's "${c.error}"`);
      return true;
    });
  }
});

test('flip takes dims one by one or as an array; roll without dims rolls the flattened tensor', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(x.flip(0, 1).toArray(), x.flip([0, 1]).toArray());
  assert.deepEqual(Array.from(x.flip(-1).values()), [3, 2, 1, 6, 5, 4]);
  assert.deepEqual(Array.from(x.roll(1).values()), [6, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(x.roll(-1, 0).values()), [4, 5, 6, 1, 2, 3]);
});

test('roll refuses a missing or unreadable shifts or dims, naming the argument; dims null rolls the flattened tensor, as PyTorch\'s None', () => {
  const x = tensor([1, 2]);
  assert.throws(() => (x.roll as (...a: unknown[]) => Tensor)(), /^TypeError: roll: shifts must be an integer or an array of integers, got undefined$/);
  assert.throws(() => x.roll(1, {} as unknown as number), /^TypeError: roll: dims must be an integer or an array of integers \(or left out\), got/);
  // PyTorch 1.13: torch.roll(torch.tensor([1, 2]), 1, None) is [2, 1].
  assert.deepEqual(Array.from(x.roll(1, null).values()), [2, 1]);
});
