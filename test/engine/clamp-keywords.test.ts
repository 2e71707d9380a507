// clamp and clip take PyTorch's keywords min and max as an options object, as torch.clamp(x, min=0),
// torch.clamp(x, 0, max=1), x.clip(max=y) and x.clamp_(min=0) take them. Expected values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { tensor } from '../../src/index.js';

const values = (t: torch.Tensor): number[] => Array.from(t.toArray());
const x = (): torch.Tensor => tensor([[0.3, -0.7, 1.5], [2.2, -0, 0.9]]);

test('clamp(x, { min }), { max } and both, as the function, the method, clip and the in-place forms (PyTorch 1.13\'s values)', () => {
  // torch.clamp(x, min=0.5): [[0.5, 0.5, 1.5], [2.2, 0.5, 0.9]]
  assert.deepEqual(values(torch.clamp(x(), { min: 0.5 })), values(tensor([0.5, 0.5, 1.5, 2.2, 0.5, 0.9])));
  // x.clamp(max=0.2): [[0.2, -0.7, 0.2], [0.2, -0., 0.2]]
  assert.deepEqual(values(x().clamp({ max: 0.2 })), values(tensor([0.2, -0.7, 0.2, 0.2, -0, 0.2])));
  // torch.clip(x, min=-0.5, max=1): [[0.3, -0.5, 1], [1, -0., 0.9]]
  assert.deepEqual(values(torch.clip(x(), { min: -0.5, max: 1 })), values(tensor([0.3, -0.5, 1, 1, -0, 0.9])));
  assert.deepEqual(values(x().clip({ min: -0.5, max: 1 })), values(tensor([0.3, -0.5, 1, 1, -0, 0.9])));
  // torch.clamp(x, 0, max=1): [[0.3, 0, 1], [1, -0., 0.9]] (−0 is within [0, 1] and kept)
  assert.deepEqual(values(torch.clamp(x(), 0, { max: 1 })), values(tensor([0.3, 0, 1, 1, -0, 0.9])));
  // x.clamp_(min=0) and x.clip_(max=0): in place.
  const a = x();
  assert.equal(a.clamp_({ min: 0 }), a);
  assert.deepEqual(values(a), values(tensor([0.3, 0, 1.5, 2.2, -0, 0.9])));
  assert.deepEqual(values(x().clip_({ max: 0 })), values(tensor([0, -0.7, 0, 0, -0, 0])));
  assert.deepEqual(values(torch.clamp_(x(), { max: 1 })), values(tensor([0.3, -0.7, 1, 1, -0, 0.9])));
});

test('clamp(x, { min: tensor, max: tensor }) broadcasts the bounds and gives them their gradients, as PyTorch 1.13\'s ClampBackward0', () => {
  const lo = tensor([0.5, -1, 1], { requiresGrad: true });
  const hi = tensor([[1], [2]], { requiresGrad: true });
  const v = x().requiresGrad_();
  const y = torch.clamp(v, { min: lo, max: hi });
  // torch.clamp(x, min=lo, max=hi): [[0.5, -0.7, 1], [2, -0, 1]]
  assert.deepEqual(values(y), values(tensor([0.5, -0.7, 1, 2, -0, 1])));
  assert.equal(y.gradFn?.torchName, 'ClampBackward0');
  y.sum().backward();
  // PyTorch 1.13: x.grad [[0, 1, 0], [0, 1, 0]], lo.grad [1, 0, 1], hi.grad [[1], [1]]
  assert.deepEqual(values(v.grad!), [0, 1, 0, 0, 1, 0]);
  assert.deepEqual(values(lo.grad!), [1, 0, 1]);
  assert.deepEqual(values(hi.grad!), [1, 1]);
});

test('clamp refuses a keyword it does not have, min given twice and options before a bound, naming them', () => {
  assert.throws(() => torch.clamp(x(), { minimum: 0 } as never), { name: 'TypeError', message: /clamp: unknown option "minimum".*; the options are min, max/ });
  assert.throws(() => torch.clamp(x(), 0, { min: 1 }), { name: 'TypeError', message: /clamp: min given twice: the number 0 by position and the number 1 in the options/ });
  assert.throws(() => torch.clamp(x(), { min: 0 }, 1), { name: 'TypeError', message: /clamp: the options come last, as in clamp\(x, \{ min: 0, max: 1 \}\); got the number 1 after them/ });
  assert.throws(() => torch.clamp(x(), {}), { name: 'TypeError', message: /clamp: at least one of min or max must be given/ });
});

test('clamp with min by position and { min: undefined, max } reads the undefined key as not given (a spread config)', () => {
  const x = tensor([-1, 2, 5]);
  assert.deepEqual(x.clamp(0, { min: undefined, max: 3 } as never).tolist(), [0, 2, 3]);
  assert.throws(() => x.clamp(0, { min: null, max: 3 }), /clamp: min given twice/);
});

test('clamp_ and clip_ with bounds that require grad put a tensor outside the graph into it, as PyTorch 1.13 does', () => {
  // torch 1.13: x = tensor([0, 2, .7]); x.clip_(min=lo, max=hi) with lo = [0.5], hi = [1] requiring grad →
  // x [0.5, 1, 0.7], grad_fn ClampBackward0; x.sum().backward() → lo.grad [1], hi.grad [1] (clamp_ the same).
  for (const form of ['clamp_', 'clip_'] as const) {
    for (const args of [[{ min: 'lo', max: 'hi' }], ['lo', 'hi']] as const) {
      const x = tensor([0, 2, 0.7]);
      const lo = tensor([0.5], { requiresGrad: true });
      const hi = tensor([1], { requiresGrad: true });
      const pick = (b: unknown): unknown => (b === 'lo' ? lo : b === 'hi' ? hi : b);
      const given = args.map((a) => (typeof a === 'object' ? { min: lo, max: hi } : pick(a))) as [never, never?];
      x[form](...given);
      assert.equal(x.requiresGrad, true, `${form} ${args.length}`);
      assert.equal(x.gradFn?.torchName, 'ClampBackward0');
      assert.deepEqual(Array.from(x.toArray()), Array.from(Float32Array.of(0.5, 1, 0.7)));
      x.sum().backward();
      assert.deepEqual([lo.grad!.tolist(), hi.grad!.tolist()], [[1], [1]], `${form} gradients`);
    }
  }
});
