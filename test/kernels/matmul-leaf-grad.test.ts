// `x.matmul(W)` with W a 2-D leaf (a weight made by hand) adds Xᵀ·G straight into W's gradient buffer, and a
// product checks B for ∞ and NaN while B is in the kernels' memory (the NaN of a skipped zero is put back only
// then). Both must give the bits of the general path: the product into an array of its own, added to the buffer
// by the backward walk — which `W.mul(1)` (exact, and not a leaf) still takes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, noGrad } from '../../src/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertSameBits, requireWasm, rng, values, withBackend } from './helpers.js';

type Make = () => { x: Tensor; w: Tensor; weights: Tensor; before: Float32Array | null };

/** W's gradient after one backward pass of Σ weights·f(x, W), starting from `before` (or no gradient). */
function gradOf(make: Make, direct: boolean, f: (x: Tensor, w: Tensor) => Tensor): Float32Array {
  const { x, w, weights, before } = make();
  if (before !== null) w.grad = new Tensor(before.slice(), w.shape);
  f(x, direct ? w : w.mul(1)).mul(weights).sum().backward();
  return w.grad!.toArray();
}

function leaf(rows: number, cols: number, seed: number, zeros: number): Tensor {
  return new Tensor(values(rng(seed), rows * cols, { lo: -2, hi: 2, zeros }), [rows, cols], { requiresGrad: true });
}

test('x.matmul(W) adds the gradient into W\'s buffer with the bits of the backward walk, on both backends', () => {
  requireWasm();
  const cases: [string, Make, (x: Tensor, w: Tensor) => Tensor][] = [];
  for (const [m, k, n] of [[1, 784, 200], [64, 33, 10], [5, 7, 3], [9, 200, 37]] as const) {
    const sizes = `${m}x${k}x${n}`;
    const plain: Make = () => ({ x: leaf(m, k, m + k, 0.5), w: leaf(k, n, k + n, 0), weights: leaf(m, n, 7, 0), before: null });
    cases.push([`${sizes}`, plain, (x, w) => x.matmul(w)]);
    // On top of a gradient already there (a second backward pass before zeroGrad).
    const onTop: Make = () => ({ ...plain(), before: values(rng(3), k * n, { zeros: 0.3 }) });
    cases.push([`${sizes} onto a gradient`, onTop, (x, w) => x.matmul(w)]);
    // A read transposed (strides swapped), and an output gradient with ∞ and NaN meeting zeros of A.
    const nonFinite: Make = () => {
      const weights = leaf(m, n, 11, 0);
      const d = weights.data;
      d[0] = Number.NaN;
      d[d.length - 1] = Infinity;
      return { x: leaf(k, m, 2 * m + k, 0.5), w: leaf(k, n, k + 2 * n, 0), weights, before: null };
    };
    cases.push([`${sizes} A transposed, NaN and ∞ in G`, nonFinite, (x, w) => x.T.matmul(w)]);
    // Row-major A (nn.Linear's weight-gradient kernel), with NaN and ∞ in G meeting its zeros.
    const rowMajorNonFinite: Make = () => ({ ...nonFinite(), x: leaf(m, k, 3 * m + k, 0.5) });
    cases.push([`${sizes} NaN and ∞ in G`, rowMajorNonFinite, (x, w) => x.matmul(w)]);
  }
  // One image as a vector, as a from-scratch training loop writes it.
  cases.push(['vector · W', () => ({ x: leaf(1, 784, 1, 0.8).reshape([784]), w: leaf(784, 200, 2, 0), weights: leaf(1, 200, 3, 0).reshape([200]), before: null }), (x, w) => x.matmul(w)]);
  // An expanded output gradient (strides of 0): sum() of the product.
  cases.push(['sum of x·W', () => ({ x: leaf(6, 50, 4, 0.3), w: leaf(50, 9, 5, 0), weights: new Tensor(new Float32Array([1]), []), before: null }), (x, w) => x.matmul(w).sum()]);
  for (const backend of ['wasm', 'ref'] as const) {
    for (const [what, make, f] of cases) {
      const direct = withBackend(backend, () => gradOf(make, true, f));
      const general = withBackend(backend, () => gradOf(make, false, f));
      assertSameBits(direct, general, `${backend}, ${what}`);
    }
  }
});

test('x.matmul(W) where x is W\'s own gradient buffer: the product is made first, then added', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      const w = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2], { requiresGrad: true });
      w.matmul(w).sum().backward(undefined, { retainGraph: false });
      // grad = Gᵀ-products of ones: d/dW Σ (W·W) = 1·Wᵀ + Wᵀ·1 = [[1+2+1+3, 3+4+1+3], …]; read it before reusing.
      const g = w.grad!;
      const x = g.detach();
      // x shares the buffer the gradient is added into: W.grad += xᵀ·1 must read x as it was.
      const expected = (() => {
        const xs = x.toArray();
        const gs = g.toArray();
        // Σ_i x[i][r] for each column r, added to every column of row r (G is all ones, 2×2).
        return Float32Array.from([0, 1, 2, 3], (e) => {
          const r = Math.floor(e / 2);
          return gs[e]! + (xs[r]! + xs[2 + r]!);
        });
      })();
      x.matmul(w).sum().backward();
      assertSameBits(w.grad!.toArray(), expected, `${backend}: x.matmul(W) with x = W.grad`);
    });
  }
});

test('matmul finds an ∞ or a NaN anywhere in the part of B it reads (a view), and nowhere else', () => {
  const K = 37;
  const N = 13;
  // A has a zero in every column, so a non-finite value of B shows as NaN only if the check saw it.
  const a = new Float32Array(2 * K).fill(1);
  for (let k = 0; k < K; k++) a[(k % 2) * K + k] = 0;
  const A = new Tensor(a, [2, K]);
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      for (const at of ['first', 'last', 'before', 'after'] as const) {
        const inside = at === 'first' || at === 'last';
        // Row form: B is rows 1..K of a [K + 2, N] block. Column form: B is the transpose of columns 1..K of an
        // [N, K + 2] block (B's rows are 1 apart, its columns K + 2). The ∞ sits at the view's first or last
        // element, or just before or after it in memory.
        const rows = new Float32Array((K + 2) * N).fill(0.5);
        rows[at === 'first' ? N : at === 'last' ? (K + 1) * N - 1 : at === 'before' ? N - 1 : (K + 1) * N] = Infinity;
        const cols = new Float32Array(N * (K + 2)).fill(0.5);
        cols[at === 'first' ? 1 : at === 'last' ? (N - 1) * (K + 2) + K : at === 'before' ? 0 : (N - 1) * (K + 2) + K + 1] = Infinity;
        const forms = [
          ['row form', new Tensor(rows, [K + 2, N]).narrow(0, 1, K)],
          ['column form', new Tensor(cols, [N, K + 2]).narrow(1, 1, K).T],
        ] as const;
        for (const [form, B] of forms) {
          assert.deepEqual(B.shape, [K, N]);
          const out = A.matmul(B).toArray();
          const nans = out.filter((v) => Number.isNaN(v)).length;
          // Inside the view, the ∞ in row k of B meets the zero of A's row k % 2 (NaN) and the 1 of the other (∞).
          assert.equal(nans, inside ? 1 : 0, `${backend}, ${form}, ∞ ${at} the view: ${nans} NaN in ${Array.from(out).join(' ')}`);
          if (!inside) assert.ok(out.every((v) => Number.isFinite(v)), `${backend}, ${form}: an ∞ outside the view leaked in`);
        }
      }
    });
  }
});

test('a leaf\'s gradient is added straight into its buffer only when the walk would add the same: one use, and no node saved the buffer', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      // A node that saved W.grad (w.mul(c), c = W.grad) and is walked after the matmul: it must read the old values.
      const w = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2], { requiresGrad: true });
      w.grad = new Tensor(new Float32Array([10, 20, 30, 40]), [2, 2]);
      const c = w.grad;
      w.mul(c).sum().add(new Tensor(new Float32Array([1, 1, 1, 1]), [2, 2]).matmul(w).sum()).backward();
      // d/dw Σ w·c = c; d/dw Σ ones·w = 2 everywhere; added to the gradient c held: c + (c + 2).
      assert.deepEqual(Array.from(w.grad.toArray()), [22, 42, 62, 82], `${backend}: a node that saved W.grad read it changed`);
      // W used once, but W.grad saved by a node on another branch, walked after the matmul (mul saves c for z's
      // gradient): z's gradient is c as it was, and W's gradient is c + 2 (c is W.grad, added into in place).
      const w2 = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2], { requiresGrad: true });
      w2.grad = new Tensor(new Float32Array([10, 20, 30, 40]), [2, 2]);
      const z = new Tensor(new Float32Array([5, 6, 7, 8]), [2, 2], { requiresGrad: true });
      z.mul(w2.grad).sum().add(new Tensor(new Float32Array([1, 1, 1, 1]), [2, 2]).matmul(w2).sum()).backward();
      assert.deepEqual(Array.from(z.grad!.toArray()), [10, 20, 30, 40], `${backend}: the saved W.grad was read after it changed`);
      assert.deepEqual(Array.from(w2.grad.toArray()), [12, 22, 32, 42]);
      // W used twice onto a gradient already there: the walk sums the two uses first (as PyTorch), then adds once.
      const e = 2 ** -24;
      const x = new Tensor(new Float32Array([e, e, 0, 0]), [2, 2]);
      for (const viaLinear of [false, true]) {
        // A weight made by hand through matmul, or an nn.Linear's (stored transposed, its own kernels) called twice.
        const lin = new nn.Linear(2, 2, false);
        noGrad(() => lin.weight.copy_(new Tensor(new Float32Array([0.5, -1, 2, 3]), [2, 2])));
        const leaf = viaLinear ? lin.weight : new Tensor(new Float32Array([0.5, -1, 2, 3]), [2, 2], { requiresGrad: true });
        const use = (through: Tensor): Tensor => (viaLinear ? F.linear(x, through) : x.matmul(through));
        const run = (through: Tensor): Float32Array => {
          // A gradient already there, in the engine's own buffer (stored as the weight is): ones.
          if (leaf.grad === null) use(leaf).sum().backward();
          noGrad(() => leaf.grad!.fill_(1));
          use(through).sum().add(use(through).sum()).backward();
          return leaf.grad!.toArray();
        };
        const direct = run(leaf);
        assert.deepEqual(leaf.grad!.strides, viaLinear ? [1, 2] : [2, 1], 'the engine\'s buffer, in the weight\'s layout');
        assertSameBits(direct, run(leaf.mul(1)), `${backend}, ${viaLinear ? 'nn.Linear' : 'matmul'}: a weight used twice`);
        assert.ok(direct.includes(1 + 2 * e), `${backend}: the two uses' e + e added to 1 at once (added one at a time, each rounds away): ${direct}`);
      }
      // −0 in the buffer where x's column is all zeros: the walk adds +0 there, which makes it +0.
      const zg = new Tensor(new Float32Array([0.5, 1, 2, 3]), [2, 2], { requiresGrad: true });
      zg.grad = new Tensor(new Float32Array([-0, -0, 5, 5]), [2, 2]);
      new Tensor(new Float32Array([0, 1, 0, 1]), [2, 2]).matmul(zg).sum().backward();
      assert.deepEqual(Array.from(zg.grad.toArray(), (v) => (Object.is(v, -0) ? '-0' : String(v))), ['0', '0', '7', '7'], backend);
    });
  }
});

test('a gradient an op saved keeps its values: the next gradient of its leaf is a new tensor (nn.Linear\'s too), in this graph or a later one', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      manualSeed(3);
      const lin = new nn.Linear(3, 2);
      const x = new Tensor(new Float32Array([1, 2, 3]), [1, 3]);
      lin.forward(x).sum().backward();
      const before = lin.weight.grad!.toArray();
      const saved = lin.weight.grad!;
      // The weight's gradient (stored transposed, as the weight is) saved by mul, then the weight's own gradient
      // added through the same walk: q's gradient is the saved values, which stay as they were.
      const q = new Tensor(new Float32Array([0.5, -1, 2, 0.25, 3, -2]), [2, 3], { requiresGrad: true });
      q.mul(saved).sum().add(lin.weight.mul(2).sum()).backward();
      assertSameBits(q.grad!.toArray(), before, `${backend}: the saved gradient was read after it changed`);
      assertSameBits(saved.toArray(), before, `${backend}: the saved gradient tensor kept its values`);
      assert.notEqual(lin.weight.grad, saved, 'the weight has a new gradient');
      assertSameBits(lin.weight.grad!.toArray(), Float32Array.from(before, (v) => v + 2), `${backend}: the new gradient`);
      // Through nn.Linear's own kernels: the weight's one use, but its gradient saved by mul.
      lin.zeroGrad();
      lin.forward(x).sum().backward();
      const held = lin.weight.grad!;
      const values = held.toArray();
      const r = new Tensor(new Float32Array([1, 1, 1, 1, 1, 1]), [2, 3], { requiresGrad: true });
      lin.forward(r.mul(held)).sum().backward();
      assertSameBits(held.toArray(), values, `${backend}: nn.Linear added into a gradient mul saved`);
      // A graph made before, walked after another backward added into the bias's gradient: it reads what it saved.
      const bias = lin.bias!.grad!;
      const biasBefore = bias.toArray();
      const s = new Tensor(new Float32Array([4, 5]), [2], { requiresGrad: true });
      const later = s.mul(bias).sum();
      lin.forward(x).sum().backward();
      later.backward();
      assertSameBits(s.grad!.toArray(), biasBefore, `${backend}: a graph not yet walked read the bias gradient changed`);
    });
  }
});
