// In-place arithmetic straight into a tensor's storage, and out-of-place ops that gather a transposed operand in the
// kernels' memory: the same bits as the plain computation (a scaled copy of the operand, the op, the result copied
// back), worked out here value by value with Math.fround, on both backends, for contiguous tensors, a Linear weight
// stored transposed, one value, an operand aliasing the target and one overlapping it in part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm } from '../../src/kernels/backend.js';
import { binaryScaledFlat } from '../../src/kernels/elementwise.js';
import { fmaf } from '../../src/kernels/ref/fmaf.js';
import { gatheredBinary, opIntoStrided } from '../../src/kernels/strided.js';
import * as ref from '../../src/kernels/ref/strided.js';
import { opTransposed, transposeThen } from '../../src/kernels/wasm/transpose.js';
import { Generator, nn, noGrad, Tensor, tensor, withGenerator } from '../../src/index.js';
import { assertSameBits, awkward, requireWasm, resident, withBackend } from './helpers.js';

type Op = 'add' | 'sub' | 'mul' | 'div';
const OPS: Op[] = ['add', 'sub', 'mul', 'div'];

function apply(op: Op, a: number, b: number): number {
  if (op === 'add') return Math.fround(a + b);
  if (op === 'sub') return Math.fround(a - b);
  if (op === 'mul') return Math.fround(a * b);
  return Math.fround(a / b);
}

/**
 * a op (alpha·b) (alpha 1: a op b): add and sub rounded once, as PyTorch's fused kernel (a ± alpha·b, fmaf); mul and
 * div with the product rounded to float32 first.
 */
function expected(op: Op, a: Float32Array, b: Float32Array, alpha: number): Float32Array {
  const s = Math.fround(alpha);
  const at = (i: number): number => b[b.length === 1 ? 0 : i]!;
  if (alpha !== 1 && (op === 'add' || op === 'sub')) return a.map((v, i) => fmaf(at(i), op === 'add' ? s : -s, v));
  return a.map((v, i) => apply(op, v, alpha === 1 ? at(i) : Math.fround(s * at(i))));
}

test('binaryScaledFlat: a op (alpha·b) (add and sub rounded once, mul and div with the product rounded first), on both backends, in place and from kernel memory', () => {
  requireWasm();
  for (const n of [1, 7, 1023, 1024, 1031, 4099]) {
    for (const op of OPS) {
      for (const alpha of [0.37, -3, 1e-30]) {
        const a = awkward(n, n + 1, 4);
        const b = awkward(n, n + 2, 4);
        const want = expected(op, a, b, alpha);
        for (const backend of ['wasm', 'ref'] as const) {
          withBackend(backend, () => {
            const out = new Float32Array(n);
            binaryScaledFlat(op, a, b, alpha, out);
            assertSameBits(out, want, `${backend} ${op} n=${n} alpha=${alpha}`);
            const inPlace = backend === 'wasm' ? resident(a) : a.slice();
            binaryScaledFlat(op, inPlace, backend === 'wasm' ? resident(b) : b, alpha, inPlace);
            assertSameBits(inPlace, want, `${backend} ${op} in place n=${n}`);
          });
        }
      }
    }
  }
});

const SHAPES: [number, number][] = [[5, 3], [33, 31], [64, 65], [200, 784], [10, 410], [3, 4099]];

test('opTransposed and transposeThen: the op with a transposed operand gives the plain computation\'s bits', () => {
  requireWasm();
  const w = activeWasm()!;
  for (const [r, c] of SHAPES) {
    const n = r * c;
    // x is r × c row-major; laid out as the c × r storage, it is its transpose.
    const x = awkward(n, n, 3);
    const xT = new Float32Array(n);
    ref.gatherStrided(x, [c, r], [1, c], xT);
    for (const op of OPS) {
      for (const alpha of [1, 0.37]) {
        const dest0 = awkward(n, n + 7, 3);
        const want = expected(op, dest0, xT, alpha);
        for (const [label, dest, src] of [['resident', resident(dest0), resident(x)], ['ordinary', dest0.slice(), x.slice()]] as const) {
          assert.ok(opTransposed(w, op, dest, src, r, c, Math.fround(alpha)));
          assertSameBits(dest, want, `opTransposed ${label} ${op} ${r}×${c} alpha=${alpha}`);
        }
      }
      const b = awkward(n, n + 3, 3);
      for (const [bLabel, bv] of [['flat', b], ['one value', new Float32Array([0.75])]] as const) {
        const out = new Float32Array(n);
        assert.ok(transposeThen(w, op, resident(x), r, c, bv, false, out));
        assertSameBits(out, expected(op, xT, bv, 1), `transposeThen ${op} ${r}×${c} ${bLabel}`);
        const flipped = new Float32Array(n);
        assert.ok(transposeThen(w, op, x, r, c, bv, true, flipped));
        const wantFlipped = xT.map((v, i) => apply(op, bv[bv.length === 1 ? 0 : i]!, v));
        assertSameBits(flipped, wantFlipped, `transposeThen ${op} ${r}×${c} ${bLabel}, operand on the right`);
      }
    }
  }
  const a = resident(new Float32Array(64 * 64));
  assert.equal(opTransposed(w, 'add', a, a, 64, 64, 1), false, 'an operand overlapping the target is refused');
  assert.equal(transposeThen(w, 'add', a, 64, 64, new Float32Array([1]), false, a), false);
});

test('the dispatchers gatheredBinary and opIntoStrided match the plain computation for transposed and other layouts', () => {
  const cases: [number[], number[]][] = [[[200, 784], [1, 200]], [[64, 65], [1, 64]], [[3, 5], [1, 3]], [[30, 40], [1, 30]]];
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      for (const [shape, strides] of cases) {
        const n = shape[0]! * shape[1]!;
        const storage = awkward(n, n + 11, 3);
        const rowMajor = new Float32Array(n);
        ref.gatherStrided(storage, shape, strides, rowMajor);
        const b = awkward(n, n + 12, 3);
        for (const op of OPS) {
          const out = new Float32Array(n);
          gatheredBinary(op, storage, shape, strides, b, false, out);
          assertSameBits(out, expected(op, rowMajor, b, 1), `${backend} gathered ${op} ${shape}`);
          gatheredBinary(op, storage, shape, strides, b, true, out);
          assertSameBits(out, rowMajor.map((v, i) => apply(op, b[i]!, v)), `${backend} gathered ${op} ${shape}, on the right`);
          // In place: the storage laid out by strides takes op with b (row-major) scaled by alpha.
          const dest = storage.slice();
          opIntoStrided(op, dest, shape, strides, b, Math.fround(-0.5));
          const back = new Float32Array(n);
          ref.gatherStrided(dest, shape, strides, back);
          assertSameBits(back, expected(op, rowMajor, b, -0.5), `${backend} into strided ${op} ${shape}`);
        }
      }
    });
  }
});

/** A Linear weight with a gradient (both stored transposed), its values, and a row-major tensor of its shape. */
function linearCase(): { lin: nn.Linear; w0: Float32Array; g: Float32Array; u: Tensor } {
  const lin = new nn.Linear(784, 200);
  const x = awkward(784, 5, 1).map((v) => (Number.isFinite(v) ? v : 0.25));
  lin.forward(new Tensor(x, [784])).sum().backward();
  const u = new Tensor(awkward(200 * 784, 6, 0.01).map((v) => (Number.isFinite(v) ? v : 0)), [200, 784]);
  return { lin, w0: lin.weight.toArray(), g: lin.weight.grad!.toArray(), u };
}

test('in-place ops on a Linear weight (stored transposed) give the plain computation\'s bits, on both backends', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => withGenerator(new Generator(4), () => {
      for (const op of OPS) {
        // The gradient as the operand (laid out alike), with and without alpha.
        let c = linearCase();
        const v0 = c.lin.weight.version;
        noGrad(() => (op === 'add' ? c.lin.weight.add_(c.lin.weight.grad!, -0.01) : op === 'sub' ? c.lin.weight.sub_(c.lin.weight.grad!, 0.01) : op === 'mul' ? c.lin.weight.mul_(c.lin.weight.grad!) : c.lin.weight.div_(c.lin.weight.grad!)));
        const alpha = op === 'add' ? -0.01 : op === 'sub' ? 0.01 : 1;
        assertSameBits(c.lin.weight.toArray(), expected(op, c.w0, c.g, alpha), `${backend} weight.${op}_(grad)`);
        assert.equal(c.lin.weight.version, v0 + 1, 'the version counter moves once');
        // A row-major operand (the hand-written SGD step's p.grad.mul(lr) is one).
        c = linearCase();
        const uv = c.u.toArray();
        noGrad(() => (op === 'add' || op === 'sub' ? c.lin.weight[`${op}_`](c.u, 3) : c.lin.weight[`${op}_`](c.u)));
        assertSameBits(c.lin.weight.toArray(), expected(op, c.w0, uv, op === 'add' || op === 'sub' ? 3 : 1), `${backend} weight.${op}_(row-major)`);
        // One value: a number and a one-element tensor (both float32, as PyTorch's wrapped scalar), alpha·value added
        // with one rounding.
        const scaledOp = op === 'add' || op === 'sub';
        c = linearCase();
        noGrad(() => (scaledOp ? c.lin.weight[`${op}_`](0.1, 3) : c.lin.weight[`${op}_`](0.3)));
        assertSameBits(c.lin.weight.toArray(), expected(op, c.w0, new Float32Array([scaledOp ? 0.1 : 0.3]), scaledOp ? 3 : 1), `${backend} weight.${op}_(number)`);
        c = linearCase();
        noGrad(() => (scaledOp ? c.lin.weight[`${op}_`](tensor([0.1]), 3) : c.lin.weight[`${op}_`](tensor(0.3))));
        assertSameBits(c.lin.weight.toArray(), expected(op, c.w0, new Float32Array([scaledOp ? 0.1 : 0.3]), scaledOp ? 3 : 1), `${backend} weight.${op}_(one-element tensor)`);
        // Out of place, the transposed gradient gathered into the result, on either side of the op.
        c = linearCase();
        const grad = c.lin.weight.grad!;
        assertSameBits(grad[op](0.5).toArray(), expected(op, c.g, new Float32Array([0.5]), 1), `${backend} grad.${op}(0.5)`);
        assertSameBits(c.u[op](grad).toArray(), expected(op, c.u.toArray(), c.g, 1), `${backend} u.${op}(grad)`);
        assertSameBits(grad[op](c.u).toArray(), expected(op, c.g, c.u.toArray(), 1), `${backend} grad.${op}(u)`);
      }
    }));
  }
});

test('in-place ops where the operand is the target, or overlaps it in part, read every old value first', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => {
      for (const n of [10, 5000]) {
        const x0 = awkward(n, n, 2);
        const x = new Tensor(x0.slice(), [n]);
        noGrad(() => x.sub_(x, 0.5));
        assertSameBits(x.toArray(), expected('sub', x0, x0, 0.5), `${backend} x.sub_(x, 0.5), n=${n}`);
        // Two views of one storage shifted by one element, each covering its own storage exactly (the view() ends
        // b's at its last element), so laid out alike: the plain computation reads b before a is written.
        for (const alpha of [1, 2]) {
          const base = new Tensor(x0.slice(), [n]);
          const a = base.narrow(0, 1, n - 1);
          const b = base.narrow(0, 0, n - 1).view([n - 1]);
          noGrad(() => a.add_(b, alpha));
          assertSameBits(a.toArray(), expected('add', x0.subarray(1), x0.subarray(0, n - 1), alpha), `${backend} shifted views, n=${n}, alpha=${alpha}`);
          const c = new Tensor(x0.slice(), [n]);
          const d = c.narrow(0, 0, n - 1).view([n - 1]);
          noGrad(() => d.mul_(c.narrow(0, 1, n - 1)));
          assertSameBits(d.toArray(), expected('mul', x0.subarray(0, n - 1), x0.subarray(1), 1), `${backend} shifted views the other way, n=${n}`);
        }
      }
    });
  }
});

test('in-place ops name what they got when the operand is neither a tensor nor a number', () => {
  for (const bad of [[1, 2, 3], undefined, null, 'x', true]) {
    assert.throws(() => tensor([1, 2, 3]).add_(bad as never), /add: expected a Tensor or a number, got /, String(bad));
    assert.throws(() => tensor([1, 2, 3]).mul_(bad as never), /mul: expected a Tensor or a number, got /, String(bad));
  }
});

test('a contiguous target with a transposed operand (a Linear weight\'s gradient) takes it in row-major order', () => {
  for (const backend of ['wasm', 'ref'] as const) {
    withBackend(backend, () => withGenerator(new Generator(5), () => {
      const c = linearCase();
      const target = new Tensor(awkward(200 * 784, 8, 1).map((v) => (Number.isFinite(v) ? v : 0.5)), [200, 784]);
      const before = target.toArray();
      noGrad(() => target.add_(c.lin.weight.grad!, 0.5));
      assertSameBits(target.toArray(), expected('add', before, c.g, 0.5), `${backend} contiguous.add_(transposed grad, 0.5)`);
    }));
  }
});
