// randint, randperm and eye against PyTorch's (the same seed, the same values and the same stream afterwards), and
// Tensor.var / Tensor.std with their gradients (fixtures/torch/integers-var.json, written by make_integers_var.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eye, Generator, manualSeed, rand, randint, randperm, tensor, zeros } from '../../src/index.js';
import { assertClose, assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Seeded =
  | { kind: 'randint'; low: number; high: number; size: number[]; values: unknown[] }
  | { kind: 'randperm'; n: number; values: number[] }
  | { kind: 'rand'; n: number; values: number[] };
interface VarianceCase {
  label: string;
  fn: 'var' | 'std';
  input: EncodedTensor;
  dim: number | number[] | null;
  options: { unbiased?: boolean; correction?: number; keepdim?: boolean };
  out: EncodedTensor;
  gradOut: EncodedTensor;
  grad: EncodedTensor;
}
const fx = loadFixture<{ seeded: Seeded[]; generator: [number[], number[]]; eye: { n: number; m: number; out: EncodedTensor }[]; variance: VarianceCase[] }>('integers-var.json');

test('randint and randperm draw what torch.randint and torch.randperm draw from the same seed, and leave the stream where PyTorch does', () => {
  manualSeed(7);
  for (const c of fx.seeded) {
    if (c.kind === 'randint') {
      const t = c.low === 0 ? randint(c.high, c.size) : randint(c.low, c.high, c.size);
      assert.deepEqual(t.shape, c.size);
      assert.deepEqual(Array.from(t.toArray()), c.values.flat(3), `randint(${c.low}, ${c.high}, [${c.size.join(', ')}])`);
    } else if (c.kind === 'randperm') {
      assert.deepEqual(Array.from(randperm(c.n).toArray()), c.values, `randperm(${c.n})`);
    } else {
      assert.deepEqual(Array.from(rand([c.n]).toArray()), c.values.map(Math.fround), 'torch.rand after the draws');
    }
  }
  const g = new Generator(3);
  assert.deepEqual(Array.from(randint(0, 10, [6], { generator: g }).toArray()), fx.generator[0]);
  assert.deepEqual(Array.from(randperm(8, { generator: g }).toArray()), fx.generator[1]);
});

test('randint, randperm and eye refuse what they cannot make, naming it', () => {
  assert.throws(() => randint(5, 5, [2]), /randint: high \(5\) must be greater than low \(5\)/);
  assert.throws(() => randint(10, 3 as unknown as number[]), /randint: the size must be an array/);
  assert.throws(() => randint(0, 2 ** 25, [1]), /high must be an integer from -16777216 to 16777216/);
  assert.throws(() => randint(1.5, [2]), /high must be an integer/);
  assert.throws(() => randint(10, [2], { requiresGrad: true } as object), /unknown option "requiresGrad": whole numbers have no gradient/);
  assert.throws(() => randperm(-1), /randperm: n must be an integer from 0/);
  assert.throws(() => eye(2.5), /eye: n must be an integer/);
  assert.equal(eye(2, { requiresGrad: true }).requiresGrad, true);
});

test('eye is torch.eye', () => {
  for (const c of fx.eye) assertTensorClose(eye(c.n, c.m), c.out, `eye(${c.n}, ${c.m})`, { rtol: 0, atol: 0 });
  assert.deepEqual(eye(2).toArray(), new Float32Array([1, 0, 0, 1]));
});

test('var and std match PyTorch, values and gradients, in every argument form', () => {
  for (const c of fx.variance) {
    const x = decode(c.input, true);
    const { keepdim, unbiased, correction } = c.options;
    const dim = c.dim === null ? undefined : c.dim;
    // The options object, and PyTorch's positional (dim, unbiased, keepdim) where it can say the same.
    const forms = [x[c.fn](dim ?? null, c.options)];
    if (correction === undefined) forms.push(dim === undefined && keepdim === undefined ? x[c.fn](unbiased ?? true) : x[c.fn](dim ?? null, unbiased ?? true, keepdim ?? false));
    for (const out of forms) {
      assertTensorClose(out, c.out, `${c.label}: value`);
      x.grad = null;
      out.backward(decode(c.gradOut));
      // Near 1000 a float32 mean is known to 6.1e-5 (one ulp), and PyTorch's float32 sum may land an ulp from the
      // correctly rounded one that Kindling takes; the gradient carries x − mean times 2/(n − 1)·g (up to 0.4 here).
      const atol = c.label.endsWith('offset rows') ? 6.1e-5 * 0.4 * 1.01 : 1e-6;
      assertClose(x.grad!.toArray(), values(c.grad), `${c.label}: gradient`, { rtol: 1e-5, atol });
    }
  }
});

test('var keeps digits a one-pass float32 formula would lose, and refuses arguments it cannot read', () => {
  const x = tensor([1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4]);
  assert.equal(x.var().item(), Math.fround(5 / 3));
  assert.equal(x.std(false).item(), Math.fround(Math.sqrt(1.25)));
  assert.throws(() => x.var(0, { unbiased: true, correction: 1 }), /give unbiased or correction, not both/);
  assert.throws(() => x.var(0, { keepDim: true } as object), /var: unknown option "keepDim"/);
  assert.throws(() => x.std('1' as unknown as number), /std: dim must be a number, an array of numbers or null, got the string "1"/);
  assert.throws(() => x.var(0, { correction: 0.5 }), /correction must be an integer \(1 divides by n − 1, 0 by n\), got the number 0.5/);
  assert.equal(x.dim(), 1);
});

test('var and std over no elements are NaN whatever the correction, a negative one too (PyTorch 1.13\'s)', () => {
  for (const correction of [-2, -1, 0, 1, 2]) {
    assert.ok(Number.isNaN(zeros(0).var(0, { correction }).item()), `zeros(0).var(0, correction ${correction})`);
    assert.ok(Number.isNaN(zeros(0).std(0, { correction }).item()), `zeros(0).std(0, correction ${correction})`);
    const cols = zeros(0, 3).var(0, { correction });
    assert.deepEqual(cols.shape, [3]);
    assert.ok(Array.from(cols.toArray()).every(Number.isNaN), `zeros(0, 3).var(0, correction ${correction})`);
  }
});
