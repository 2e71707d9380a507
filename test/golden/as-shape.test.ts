// expandAs, viewAs, reshapeAs, broadcastTo and ravel against PyTorch 1.13: shapes, values and input gradients bit for
// bit, grad_fn names, views where PyTorch's are (reshapeAs of a transpose is a copy), 0-d, empty and transposed inputs,
// and the calls PyTorch refuses (fixtures/torch/as-shape.json, written by make_as_shape.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { broadcastTo, ravel, tensor, zeros, type Tensor } from '../../src/index.js';
import { loadFixture, type EncodedTensor, fixtureUpstream, assertSame } from './golden-helpers.js';

type Op = 'expand_as' | 'view_as' | 'reshape_as' | 'broadcast_to' | 'ravel';
interface Case { op: Op; shape: number[]; t: boolean; target: number[] | null; out: EncodedTensor; grad: EncodedTensor; gradFn: string; view: boolean }
interface Fx { cases: Case[]; refused: { op: Op; shape: number[]; target: number[]; error: string }[] }
const fx = loadFixture<Fx>('as-shape.json');

/** make_as_shape.py's input: x[i] = i − n/3 + 0.25 (in float32) over `shape` (the caller transposes). */
function make(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(Math.fround(i - Math.fround(n / 3)) + 0.25);
  return tensor(data, shape, { requiresGrad: true });
}

/** The Kindling call for the fixture's op (method forms; the top-level broadcastTo and ravel as well when `top`). */
function call(op: Op, x: Tensor, target: number[] | null, top: boolean): Tensor {
  switch (op) {
    case 'expand_as': return x.expandAs(zeros(target!));
    case 'view_as': return x.viewAs(zeros(target!));
    case 'reshape_as': return x.reshapeAs(zeros(target!));
    case 'broadcast_to': return top ? broadcastTo(x, target!) : x.broadcastTo(target!);
    case 'ravel': return top ? ravel(x) : x.ravel();
  }
}

test('expandAs, viewAs, reshapeAs, broadcastTo and ravel give PyTorch\'s values, gradients, grad_fn names and views', () => {
  assert.ok(fx.cases.length > 20);
  for (const c of fx.cases) {
    for (const top of [false, true]) {
      const label = `${c.op}(${JSON.stringify(c.target)}) of ${c.t ? 'the transpose of ' : ''}[${c.shape.join(', ')}]${top ? ' (function)' : ''}`;
      const leaf = make(c.shape);
      const x = c.t ? leaf.t() : leaf;
      const out = call(c.op, x, c.target, top);
      assertSame(out, c.out, label);
      assert.equal(out.gradFn?.torchName, c.gradFn, `${label}: grad_fn`);
      assert.equal(out.viewBase !== null, c.view, `${label}: a view as PyTorch's is (${c.view})`);
      if (out.numel() > 0) {
        out.backward(fixtureUpstream(out));
        assertSame(c.t ? leaf.grad!.t() : leaf.grad!, c.grad, `${label}: gradient`);
      }
    }
  }
});

test('expandAs, viewAs and broadcastTo refuse the shapes PyTorch refuses', () => {
  for (const c of fx.refused) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const x = tensor(new Float32Array(n), c.shape);
    assert.throws(() => call(c.op, x, c.target, false), Error, `${c.op}(${JSON.stringify(c.target)}) of [${c.shape}]: PyTorch says "${c.error}"`);
  }
  // 'broadcast_to' and the other snake_case names point to the camelCase ones.
  assert.throws(() => (zeros(2) as unknown as Record<string, () => void>).broadcast_to!(), /broadcastTo/);
});
