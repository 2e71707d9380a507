// The one-image fast path, checked for what it must do rather than how fast it is (no timed tests): a linear
// layer stored [in, out] adds its weight gradient straight into the rows of the non-zero inputs, zeroGrad and
// plain SGD then touch only those rows, and every result equals the plain dense computation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, optim, Tensor, tensor } from '../../src/index.js';
import { isWasmResident } from '../../src/kernels/storage.js';
import { getBackend } from '../../src/kernels/backend.js';

function sparseInput(seed: number, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (i * 7 + seed) % 5 === 0 ? ((i % 13) + 1) / 13 : 0;
  return x;
}

/**
 * The values in storage order ([in, out] for a Linear weight), read without handing the storage out (reading `data`
 * would: the engine then keeps no row list for it, since its holder may write anywhere).
 */
function storage(t: Tensor): Float32Array {
  return t.settled().slice();
}

/** dL/dW of sum(linear(x, W, b)·c) computed densely: row j of the [in, out] storage is x_j·c. */
function denseWeightGrad(xs: Float32Array[], c: Float32Array, inF: number, outF: number): Float32Array {
  const g = new Float32Array(inF * outF);
  for (const x of xs) for (let j = 0; j < inF; j++) for (let o = 0; o < outF; o++) g[j * outF + o] = g[j * outF + o]! + x[j]! * c[o]!;
  return g;
}

test('a one-image backward fills only the rows of non-zero inputs and records them', () => {
  manualSeed(0);
  const lin = new nn.Linear(50, 7);
  const x = sparseInput(1, 50);
  const c = tensor(Array.from({ length: 7 }, (_, i) => i - 3));
  lin.forward(tensor(x)).mul(c).sum().backward();
  const g = lin.weight.grad!;
  const nonzero = [...x.keys()].filter((j) => x[j] !== 0);
  assert.deepEqual([...(g.rowSupport ?? [])], nonzero, 'recorded rows');
  const want = denseWeightGrad([x], c.toArray(), 50, 7);
  // Storage is [in, out]; compare through the public view too.
  assert.deepEqual([...g.data], [...want]);
  assert.deepEqual(g.tolist(), lin.weight.grad!.tolist());
  const rowMajor = g.toArray();
  for (let o = 0; o < 7; o++) for (let j = 0; j < 50; j++) assert.equal(rowMajor[o * 50 + j], want[j * 7 + o]);
});

test('zeroGrad clears exactly the recorded rows; the next step records its own rows', () => {
  manualSeed(0);
  const lin = new nn.Linear(40, 5);
  const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
  const c = tensor([1, -2, 3, 0.5, 1]);
  for (let step = 0; step < 4; step++) {
    const x = sparseInput(step, 40);
    opt.zeroGrad();
    assert.ok(lin.weight.grad === null || storage(lin.weight.grad).every((v) => v === 0), 'zeroGrad left non-zeros');
    lin.forward(tensor(x)).mul(c).sum().backward();
    assert.deepEqual([...storage(lin.weight.grad!)], [...denseWeightGrad([x], c.toArray(), 40, 5)], `step ${step}`);
    assert.deepEqual([...(lin.weight.grad!.rowSupport ?? [])], [...x.keys()].filter((j) => x[j] !== 0));
    opt.step();
  }
});

test('plain SGD on a sparse gradient changes only the touched rows, by exactly −lr·g', () => {
  manualSeed(3);
  const lin = new nn.Linear(30, 4);
  const opt = new optim.SGD(lin.parameters(), { lr: 0.05 });
  const before = lin.weight.data.slice();
  const x = sparseInput(2, 30);
  lin.forward(tensor(x)).sum().backward();
  const g = storage(lin.weight.grad!);
  opt.step();
  for (let i = 0; i < before.length; i++) {
    const want = Math.fround(before[i]! + Math.fround(Math.fround(-0.05) * g[i]!));
    assert.ok(Object.is(lin.weight.data[i], want), `element ${i}: ${lin.weight.data[i]} vs ${want}`);
  }
  for (let j = 0; j < 30; j++) {
    if (x[j] !== 0) continue;
    for (let o = 0; o < 4; o++) assert.equal(lin.weight.data[j * 4 + o], before[j * 4 + o], `row ${j} has no input and must not move`);
  }
});

test('a weight used twice, backward twice without zeroGrad, and a dense input all accumulate like the dense sum', () => {
  manualSeed(5);
  const lin = new nn.Linear(20, 3);
  const c = tensor([2, -1, 0.25]);
  const x1 = sparseInput(1, 20);
  const x2 = sparseInput(3, 20);
  // Used twice in one graph.
  lin.forward(tensor(x1)).add(lin.forward(tensor(x2))).mul(c).sum().backward();
  assert.deepEqual([...storage(lin.weight.grad!)], [...denseWeightGrad([x1, x2], c.toArray(), 20, 3)]);
  // A second backward adds on top.
  lin.forward(tensor(x1)).mul(c).sum().backward();
  assert.deepEqual([...storage(lin.weight.grad!)], [...denseWeightGrad([x1, x2, x1], c.toArray(), 20, 3)]);
  // A dense input and another use of the weight that goes through the graph (sum of W) mark it dense.
  const dense = Float32Array.from({ length: 20 }, (_, i) => (i + 1) / 20);
  lin.zeroGrad();
  lin.forward(tensor(dense)).mul(c).sum().add(lin.weight.sum()).backward();
  const want = denseWeightGrad([dense], c.toArray(), 20, 3).map((v) => v + 1);
  const got = storage(lin.weight.grad!);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-6, `element ${i}`);
  assert.equal(lin.weight.grad!.rowSupport, null, 'a dense contribution clears the row list');
  lin.zeroGrad();
  assert.ok(storage(lin.weight.grad!).every((v) => v === 0));
});

test('batches: the weight gradient is the sum over the batch, rows of all-zero columns untouched', () => {
  manualSeed(6);
  const lin = new nn.Linear(25, 6);
  const xs = [sparseInput(0, 25), sparseInput(1, 25), sparseInput(4, 25)];
  const X = new Tensor(Float32Array.from(xs.flatMap((x) => [...x])), [3, 25]);
  const c = tensor([1, 2, 3, -1, -2, 0.5]);
  lin.forward(X).mul(c).sum().backward();
  const want = denseWeightGrad(xs, c.toArray(), 25, 6);
  const got = storage(lin.weight.grad!);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-6, `element ${i}: ${got[i]} vs ${want[i]}`);
  const any = (j: number): boolean => xs.some((x) => x[j] !== 0);
  const rows = [...Array(25).keys()].filter(any);
  assert.ok(rows.length < 25, 'some column is all zero');
  // Rows of 6 are narrow: a row list only while it covers at most half of them (whole-buffer loops are quicker past that).
  assert.deepEqual(lin.weight.grad!.rowSupport === null ? null : [...lin.weight.grad!.rowSupport], rows.length * 2 > 25 ? null : rows);
});

test('an input with most features non-zero gives a narrow weight a gradient without a row list (dense), with the same values', () => {
  manualSeed(8);
  const lin = new nn.Linear(10, 4);
  const x = Float32Array.from([0.5, 0, 1, 2, 0, 3, 1, 1, 0.25, 4]); // 7 of 10 non-zero
  const c = tensor([1, -2, 0.5, 3]);
  lin.forward(new Tensor(x, [10])).mul(c).sum().backward();
  assert.equal(lin.weight.grad!.rowSupport, null);
  const want = denseWeightGrad([x], c.toArray(), 10, 4);
  assert.deepEqual([...storage(lin.weight.grad!)], [...want]);
  const sparse = new nn.Linear(10, 4);
  sparse.forward(new Tensor(Float32Array.from([0, 0, 1, 0, 0, 0, 0, 2, 0, 0]), [10])).sum().backward();
  assert.deepEqual([...(sparse.weight.grad!.rowSupport ?? [])], [2, 7], 'a sparse input keeps its row list');
  const wide = new nn.Linear(10, 20);
  wide.forward(new Tensor(x, [10])).sum().backward();
  assert.deepEqual([...(wide.weight.grad!.rowSupport ?? [])], [0, 2, 3, 5, 6, 7, 8, 9], 'wide rows keep their list');
});

test('a .grad assigned by the user in another layout is used as it reads, by SGD and Adam', () => {
  for (const make of [(ps: Tensor[]) => new optim.SGD(ps, { lr: 0.5 }), (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.5 })]) {
    manualSeed(7);
    const lin = new nn.Linear(3, 2);
    const w = lin.weight.toArray();
    const opt = make(lin.parameters());
    // Row-major [out, in] gradient for a weight stored [in, out]: +1 on weight[0][2] only.
    lin.weight.grad = tensor([[0, 0, 1], [0, 0, 0]]);
    lin.bias!.grad = tensor([0, 0]);
    opt.step();
    const after = lin.weight.toArray();
    for (let i = 0; i < 6; i++) {
      if (i === 2) assert.ok(after[i]! < w[i]!, 'weight[0][2] moved down');
      else assert.equal(after[i], w[i], `weight element ${i} has zero gradient`);
    }
  }
});

test('gradients and optimizer state live in the kernels\' memory', () => {
  manualSeed(8);
  const model = new nn.Sequential(new nn.Linear(10, 4), new nn.Sigmoid(), new nn.Linear(4, 2));
  const opt = new optim.Adam(model.parameters());
  const loss = F.mseLoss(model.forward(tensor(sparseInput(0, 10))), tensor([0, 1]));
  opt.zeroGrad();
  loss.backward();
  opt.step();
  const wasm = getBackend() === 'wasm';
  const state = (opt as unknown as { state: Map<Tensor, Record<string, Tensor | number>> }).state;
  for (const p of model.parameters()) {
    assert.equal(isWasmResident(p.grad!.data), wasm, 'gradient buffer');
    const s = state.get(p)!;
    assert.equal(isWasmResident((s['exp_avg'] as Tensor).data), wasm, 'exp_avg');
    assert.equal(isWasmResident((s['exp_avg_sq'] as Tensor).data), wasm, 'exp_avg_sq');
  }
});
