// One sample's weight gradient is kept as its factors (the non-zero inputs and the output gradient) until its
// buffer is read: plain SGD applies it from them and zeroGrad drops it. Checked for what users can see: the same
// parameters bit for bit as SGD over the written-out gradient, on both backends, and a `.grad` that always reads
// as the gradient — whenever, and however often, it is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { OuterRows } from '../../src/autograd/accumulate.js';
import { assertSameBits, withBackend } from '../kernels/helpers.js';

/** A sparse input with varied values, negative ones and −0 among them (seeded). */
function sample(step: number, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = (i * 31 + step * 17) % 11;
    x[i] = k < 7 ? 0 : k === 7 ? -0 : ((k - 8.5) * (1 + i / n)) / 3;
  }
  return x;
}

/** The chapter's network shape, small: Linear, Sigmoid, Linear, Sigmoid, with MSE to a one-hot target. */
function net(): nn.Sequential {
  manualSeed(11);
  return new nn.Sequential(new nn.Linear(37, 13), new nn.Sigmoid(), new nn.Linear(13, 6), new nn.Sigmoid());
}

/**
 * Trains `steps` one-sample steps of plain SGD; with `readGrads`, every parameter's gradient is read (written
 * out) before the step, so the step takes the ordinary path over the stored gradient.
 */
function train(steps: number, readGrads: boolean): { params: Float32Array[]; owed: boolean[] } {
  const model = net();
  const opt = new optim.SGD(model.parameters(), { lr: 0.3 });
  const loss = new nn.MSELoss();
  let owed: boolean[] = [];
  for (let s = 0; s < steps; s++) {
    const y = new Float32Array(6);
    y[s % 6] = 1;
    opt.zeroGrad();
    loss.forward(model.forward(tensor(sample(s, 37))), tensor(y)).backward();
    if (readGrads) for (const p of model.parameters()) void p.grad!.data;
    owed = model.parameters().map((p) => p.grad!.pending instanceof OuterRows);
    opt.step();
  }
  return { params: model.parameters().map((p) => p.data.slice()), owed };
}

test('plain SGD from the factors of one-sample weight gradients gives the same bits as over the written-out gradients, on both backends', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      const fused = train(40, false);
      const written = train(40, true);
      // Both weights went the factored way (the biases have no factors), and reading wrote them out.
      assert.deepEqual(fused.owed, [true, false, true, false], `${backend}: weights owed their gradients`);
      assert.deepEqual(written.owed, [false, false, false, false], `${backend}: read gradients are written out`);
      fused.params.forEach((p, i) => assertSameBits(p, written.params[i]!, `${backend}: parameter ${i}`));
    });
  }
  const a = withBackend('wasm', () => train(25, false));
  const b = withBackend('ref', () => train(25, false));
  a.params.forEach((p, i) => assertSameBits(p, b.params[i]!, `wasm against ref: parameter ${i}`));
});

test('a .grad read at any time holds the gradient: after backward, after step, through a tensor kept across steps; zeroGrad clears it', () => {
  manualSeed(2);
  const lin = new nn.Linear(21, 5);
  const opt = new optim.SGD(lin.parameters(), { lr: 0.1 });
  const c = tensor([1, -2, 0.5, 3, -0.25]);
  const cv = c.toArray();
  let kept: Tensor | null = null;
  for (let s = 0; s < 6; s++) {
    opt.zeroGrad();
    if (kept !== null) assert.ok(kept.toArray().every((v) => v === 0), `step ${s}: zeroGrad left non-zeros`);
    const x = sample(s, 21);
    lin.forward(tensor(x)).mul(c).sum().backward();
    // The gradient of sum(c·(W·x + b)) with respect to W[o][j] is c[o]·x[j] (each rounded once, as the kernel does).
    const want = new Float32Array(5 * 21);
    for (let o = 0; o < 5; o++) for (let j = 0; j < 21; j++) want[o * 21 + j] = x[j] === 0 ? 0 : Math.fround(0 + Math.fround(x[j]! * cv[o]!));
    kept ??= lin.weight.grad!;
    assert.equal(lin.weight.grad, kept, 'the same gradient tensor across steps');
    if (s % 2 === 0) {
      opt.step(); // from the factors, before anything reads them
      assertSameBits(kept.toArray(), want, `step ${s}: read after the step`);
    } else {
      assertSameBits(kept.toArray(), want, `step ${s}: read before the step`);
      opt.step();
    }
  }
});

test('a second backward before zeroGrad adds onto the owed gradient; setToNone drops it', () => {
  manualSeed(4);
  const lin = new nn.Linear(15, 3);
  const c = tensor([2, -1, 0.5]);
  const cv = c.toArray();
  const x1 = sample(1, 15);
  const x2 = sample(2, 15);
  lin.forward(tensor(x1)).mul(c).sum().backward();
  assert.ok(lin.weight.grad!.pending instanceof OuterRows, 'the first one-sample gradient is owed');
  lin.forward(tensor(x2)).mul(c).sum().backward();
  assert.equal(lin.weight.grad!.pending, null, 'adding to it writes it out first');
  const got = lin.weight.grad!.toArray();
  for (let o = 0; o < 3; o++) {
    for (let j = 0; j < 15; j++) {
      const g1 = x1[j] === 0 ? 0 : Math.fround(x1[j]! * cv[o]!);
      const g2 = x2[j] === 0 ? 0 : Math.fround(x2[j]! * cv[o]!);
      assert.ok(Object.is(got[o * 15 + j], Math.fround(g1 + g2)) || (g1 + g2 === 0 && got[o * 15 + j] === 0), `W[${o}][${j}]`);
    }
  }
  lin.zeroGrad(true);
  assert.equal(lin.weight.grad, null);
  lin.forward(tensor(x1)).mul(c).sum().backward();
  assert.ok((lin.weight.grad as Tensor | null)?.pending instanceof OuterRows, 'a fresh buffer owes the next one');
});

test('Adam takes a one-sample gradient from its factors: the same bits as from the written-out gradient, on both backends', () => {
  let owedAfterStep = 0;
  const run = (read: boolean): Float32Array[] => {
    const model = net();
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const loss = new nn.BCELoss();
    for (let s = 0; s < 30; s++) {
      const y = new Float32Array(6);
      y[(s * 5) % 6] = 1;
      opt.zeroGrad();
      loss.forward(model.forward(tensor(sample(s, 37))), tensor(y)).backward();
      if (read) for (const p of model.parameters()) void p.grad!.data;
      opt.step();
      // The first weight's row list is kept (a third of its 37 inputs are lit): Adam leaves the gradient owed.
      if (model.parameters()[0]!.grad!.pending instanceof OuterRows) owedAfterStep++;
    }
    return model.parameters().map((p) => p.data.slice());
  };
  const a = withBackend('wasm', () => run(false));
  assert.equal(owedAfterStep, 30, 'every wasm step took the first weight\'s gradient from its factors');
  const b = withBackend('wasm', () => run(true));
  const c = withBackend('ref', () => run(false));
  a.forEach((p, i) => assertSameBits(p, b[i]!, `parameter ${i}: factors against the written-out gradient`));
  a.forEach((p, i) => assertSameBits(p, c[i]!, `parameter ${i}: wasm against ref`));
});
