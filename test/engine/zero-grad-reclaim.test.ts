// zeroGrad(setToNone) in a synchronous training loop: the dropped gradient buffers' kernel memory is taken back by
// the next backward (left to the garbage collector it came back only when finalizers ran, which a loop never lets
// happen: a buffer per step), while a dropped gradient somebody kept still reads the values it had.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm, setBackend, wasmAvailable } from '../../src/kernels/backend.js';
import { manualSeed, nn, noGrad, optim, Tensor } from '../../src/index.js';
import { assertSameBits, rng, values } from '../kernels/helpers.js';

/** A 784→200→10 model, its optimizer, and a one-image (or batch) step on seeded inputs with 80% zeros. */
function setup(batch: number) {
  manualSeed(3);
  const model = new nn.Sequential(new nn.Linear(784, 200), new nn.Sigmoid(), new nn.Linear(200, 10), new nn.LayerNorm(10));
  const opt = new optim.SGD(model.parameters(), 0.01);
  const r = rng(batch);
  const step = (setToNone: boolean): void => {
    const x = new Tensor(values(r, batch * 784, { lo: 0, hi: 1, zeros: 0.8 }), [batch, 784]);
    const y = new Tensor(values(r, batch * 10), [batch, 10]);
    const loss = new nn.MSELoss().forward(model.forward(x), y);
    opt.zeroGrad(setToNone);
    loss.backward();
    opt.step();
  };
  return { model, step };
}

for (const backend of ['wasm', 'ref'] as const) {
  test(`${backend}: zeroGrad(true) trains to the same bits as zeroGrad(false), one image and a batch per step`, () => {
    setBackend(backend);
    try {
      for (const batch of [1, 16]) {
        const a = setup(batch);
        const b = setup(batch);
        for (let i = 0; i < 12; i++) {
          a.step(true);
          b.step(false);
        }
        const pa = a.model.parameters();
        const pb = b.model.parameters();
        pa.forEach((p, i) => assertSameBits(p.toArray(), pb[i]!.toArray(), `batch ${batch}, parameter ${i}`));
        pa.forEach((p, i) => assertSameBits(p.grad!.toArray(), pb[i]!.grad!.toArray(), `batch ${batch}, gradient ${i}`));
      }
    } finally {
      setBackend(wasmAvailable() ? 'wasm' : 'ref');
    }
  });

  test(`${backend}: a gradient kept across zeroGrad(true) still holds its values after the next backward`, () => {
    setBackend(backend);
    try {
      for (const batch of [1, 16]) {
        const { model, step } = setup(batch);
        step(true);
        // Kept without reading them (one image: the first weight's gradient is still owed as its factors).
        const kept = model.parameters().map((p) => p.grad!);
        const expected = setup(batch);
        expected.step(true);
        const want = expected.model.parameters().map((p) => p.grad!.toArray());
        step(true);
        step(true);
        kept.forEach((g, i) => assertSameBits(g.toArray(), want[i]!, `batch ${batch}, kept gradient ${i}`));
        model.parameters().forEach((p, i) => assert.notEqual(p.grad, kept[i], 'a new gradient tensor, as PyTorch makes'));
      }
    } finally {
      setBackend(wasmAvailable() ? 'wasm' : 'ref');
    }
  });
}

test('zeroGrad(true) in a loop: the kernel memory stays put, and a gradient handed out (.data) is never taken back', () => {
  assert.ok(wasmAvailable(), 'dist/kernels.wasm did not load');
  const heap = activeWasm()!.heap;
  const { model, step } = setup(1);
  step(true);
  const before = heap.liveBytes;
  for (let i = 0; i < 200; i++) step(true);
  // Without taking the buffers back, 200 steps made 200 first-layer gradients: 125 MB.
  assert.ok(heap.liveBytes - before < 4 * 784 * 200 * 4, `kernel memory grew by ${heap.liveBytes - before} bytes over 200 steps`);
  const weight = model.parameters()[0]!;
  const handed = weight.grad!.data;
  const copy = handed.slice();
  step(true);
  step(true);
  assert.notEqual(weight.grad!.data, handed, 'a handed-out buffer is not reused');
  assertSameBits(handed, copy, 'the handed-out buffer keeps its values');
});

test('a dropped gradient an op read (its backward still to come) is not taken back: the op\'s gradient stays right', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    setBackend(backend);
    try {
      const p = new Tensor(new Float32Array(6), [2, 3], { requiresGrad: true });
      const lin = new nn.Linear(3, 1, { bias: false });
      const opt = new optim.SGD([p, lin.weight], 0.1);
      p.mul(new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3])).sum().backward();
      const previous = p.grad!;
      opt.zeroGrad(true);
      // The previous gradient feeds this step's loss; the backward that follows makes p's new gradient.
      const loss = lin.forward(previous).sum().add(p.mul(new Tensor(new Float32Array(6).fill(100), [2, 3])).sum());
      loss.backward();
      assert.deepEqual(lin.weight.grad!.tolist(), [[5, 7, 9]], `${backend}: the Linear's weight gradient is the sum of the rows it read`);
      assert.deepEqual(previous.tolist(), [[1, 2, 3], [4, 5, 6]], `${backend}: the kept gradient reads what it held`);
      assert.deepEqual(p.grad!.tolist(), [[100, 100, 100], [100, 100, 100]]);
    } finally {
      setBackend(wasmAvailable() ? 'wasm' : 'ref');
    }
  }
});

test('p.grad = null in a hand-written loop (the update reads the gradient under noGrad) keeps the kernel memory put, with the same bits as zero_()', () => {
  assert.ok(wasmAvailable(), 'dist/kernels.wasm did not load');
  const heap = activeWasm()!.heap;
  /** Weights made by hand in kernel memory (a Linear's), trained with p.sub_(p.grad.mul(lr)) under noGrad. */
  const make = () => {
    manualSeed(5);
    const w = new nn.Linear(784, 200, { bias: false }).weight;
    const r = rng(9);
    const step = (clear: 'null' | 'zero'): void => {
      const x = new Tensor(values(r, 784, { lo: 0, hi: 1, zeros: 0.8 }), [1, 784]);
      x.matmul(w.t()).sigmoid().sum().backward();
      noGrad(() => {
        w.sub_(w.grad!.mul(0.01));
        if (clear === 'null') w.grad = null;
        else w.grad!.zero_();
      });
    };
    return { w, step };
  };
  const a = make();
  const b = make();
  a.step('null');
  b.step('zero');
  const before = heap.liveBytes;
  for (let i = 0; i < 100; i++) {
    a.step('null');
    b.step('zero');
  }
  // Each step's new gradient in a block of its own: 100 × 627 KB.
  assert.ok(heap.liveBytes - before < 4 * 784 * 200 * 4, `kernel memory grew by ${heap.liveBytes - before} bytes over 100 steps`);
  assertSameBits(a.w.toArray(), b.w.toArray(), 'the weights after 101 steps');
  // With gradients enabled, an op may keep what it reads for its backward pass: such a gradient is not taken back.
  const p = new Tensor(new Float32Array(4).fill(1), [4], { requiresGrad: true });
  p.mul(2).sum().backward();
  const read = p.grad!;
  const y = p.mul(read).sum();
  p.grad = null;
  p.mul(3).sum().backward();
  y.backward();
  assert.deepEqual(read.tolist(), [2, 2, 2, 2], 'the gradient the product read keeps its values');
  assert.deepEqual(p.grad!.tolist(), [5, 5, 5, 5], 'p.grad: 3 from the second backward, then 2 from y');
});
