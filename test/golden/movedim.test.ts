// movedim / moveaxis, swapaxes / swapdims and unbind against PyTorch 1.13: shapes, values and input gradients bit for
// bit, grad_fn names, views (as PyTorch's), negative dims, 0-d, empty and transposed inputs, and the calls PyTorch
// refuses with its messages (fixtures/torch/movedim.json, written by make_movedim.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import { tensor, type Tensor } from '../../src/index.js';
import { loadFixture, type EncodedTensor, fixtureUpstream, assertSame } from './golden-helpers.js';

type Op = 'movedim' | 'moveaxis' | 'swapaxes' | 'swapdims' | 'unbind';
interface Case { op: Op; shape: number[]; t: boolean; args: unknown[]; outs: EncodedTensor[]; grad: EncodedTensor; gradFns: string[]; views: boolean[] }
interface Fx { cases: Case[]; refused: { op: Op; shape: number[]; args: unknown[]; error: string }[] }
const fx = loadFixture<Fx>('movedim.json');

/** make_movedim.py's input: x[i] = i − n/3 + 0.25 (in float32) over `shape` (the caller transposes). */
function make(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(Math.fround(i - Math.fround(n / 3)) + 0.25);
  return tensor(data, shape, { requiresGrad: true });
}

/** The method or the top-level form of `op`, as a list of results. */
function call(op: Op, x: Tensor, args: unknown[], form: 'method' | 'function'): Tensor[] {
  const f = form === 'method'
    ? (x[op] as (...a: unknown[]) => Tensor | Tensor[]).bind(x)
    : (K[op] as (t: Tensor, ...a: unknown[]) => Tensor | Tensor[]).bind(null, x);
  const out = f(...args);
  return Array.isArray(out) ? out : [out];
}

test('movedim, moveaxis, swapaxes, swapdims and unbind give PyTorch\'s views, values, gradients and grad_fn names', () => {
  assert.ok(fx.cases.length > 20);
  for (const c of fx.cases) {
    for (const form of ['method', 'function'] as const) {
      const label = `${form} ${c.op}(${JSON.stringify(c.args)}) of ${c.t ? 'the transpose of ' : ''}[${c.shape.join(', ')}]`;
      const leaf = make(c.shape);
      const x = c.t ? leaf.t() : leaf;
      const outs = call(c.op, x, c.args, form);
      assert.equal(outs.length, c.outs.length, `${label}: count`);
      outs.forEach((o, k) => {
        assertSame(o, c.outs[k]!, `${label} #${k}`);
        assert.equal(o.gradFn?.torchName, c.gradFns[k], `${label} #${k}: grad_fn`);
        assert.equal(c.views[k], true, `${label}: PyTorch's is a view`);
        assert.equal(o.viewBase !== null, true, `${label} #${k}: a view`);
      });
      if (outs.length > 0 && outs[0]!.numel() > 0) {
        outs.reduce<Tensor | null>((acc, o, k) => {
          const term = o.mul(fixtureUpstream(o, k + 1)).sum();
          return acc === null ? term : acc.add(term);
        }, null)!.backward();
        assertSame(c.t ? leaf.grad!.t() : leaf.grad!, c.grad, `${label}: gradient`);
      }
    }
  }
});

test('movedim, swapaxes and unbind refuse what PyTorch refuses, with its message', () => {
  for (const c of fx.refused) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    const x = tensor(new Float32Array(n), c.shape);
    assert.throws(() => call(c.op, x, c.args, 'method'), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.ok(e.message.toLowerCase().includes(c.error.toLowerCase()), `${c.op}(${JSON.stringify(c.args)}) of [${c.shape}]: "${e.message}" lacks PyTorch's "${c.error}"`);
      return true;
    });
  }
});
