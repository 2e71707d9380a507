// sin and cos against PyTorch 1.13 (fixtures/torch/trig.json, written by make_trig.py): values within a few float32
// ulps (PyTorch's float32 kernels are SLEEF/libm, Kindling's are float64 Math.sin/Math.cos rounded once), input
// gradients for a non-uniform output gradient, grad_fn names, a transposed (non-contiguous) input, 0-d and empty.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cos, sin, tensor, zeros, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Side { out: string[]; grad: string[]; gradFn: string; transposed: string[] }
const fx = loadFixture<{ input: string[]; sin: Side; cos: Side }>('trig.json');
const num = (s: string[]): number[] => s.map(Number);

/** The distance between two float32 values in units in the last place (0 when both are NaN). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const i = new Int32Array(new Float32Array([a, b]).buffer);
  const key = (v: number): number => (v < 0 ? -2147483648 - v : v);
  return Math.abs(key(i[0]!) - key(i[1]!));
}

function maxUlps(got: ArrayLike<number>, want: number[]): number {
  assert.equal(got.length, want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, ulps(got[i]!, want[i]!));
  return m;
}

const ops = { sin, cos } as const;
for (const name of ['sin', 'cos'] as const) {
  const side = fx[name];
  test(`${name}: values within 2 float32 ulps of PyTorch's, NaN and ±inf giving NaN`, () => {
    const x = tensor(num(fx.input));
    const y = ops[name](x);
    assert.deepEqual(y.shape, x.shape);
    assert.ok(maxUlps(y.values(), num(side.out)) <= 2, `max ulps ${maxUlps(y.values(), num(side.out))}`);
    // the method form gives the same values
    assert.deepEqual(Array.from(x[name]().values()), Array.from(y.values()));
  });

  test(`${name}: gradient and grad_fn name as PyTorch's`, () => {
    const x = tensor(num(fx.input), undefined, { requiresGrad: true });
    const y = ops[name](x);
    assert.equal(y.gradFn?.torchName, side.gradFn);
    const g = new Float32Array(y.numel());
    for (let i = 0; i < g.length; i++) g[i] = ((i + 1) / 2) * (i % 2 === 0 ? 1 : -1);
    y.backward(tensor(g, y.shape));
    const m = maxUlps(x.grad!.values(), num(side.grad));
    assert.ok(m <= 4, `max ulps ${m}`);
  });

  test(`${name}: a transposed (non-contiguous) input, 0-d and empty tensors`, () => {
    const x2 = tensor(num(fx.input).slice(0, 192), [12, 16]).t() as Tensor;
    const y2 = ops[name](x2);
    assert.deepEqual(y2.shape, [16, 12]);
    assert.ok(maxUlps(y2.values(), num(side.transposed)) <= 2);
    const s = ops[name](tensor(0.5));
    assert.deepEqual(s.shape, []);
    assert.equal(s.item(), Math.fround(name === 'sin' ? Math.sin(0.5) : Math.cos(0.5)));
    const e = ops[name](zeros(0, 3));
    assert.deepEqual(e.shape, [0, 3]);
  });
}
