// linalg.multiDot, linalg.vander and vander, choleskySolve and choleskyInverse, the older svd and qr against PyTorch
// (fixtures/torch/linalg-chain.json, from make_linalg_chain.py): values and the inputs' gradients, multiDot's and
// every node name PyTorch gives, and PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { choleskyInverse, choleskySolve, linalg, qr, svd, vander, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Call { fn: string; inputs: EncodedTensor[]; outs: EncodedTensor[]; gradFns: (string | null)[]; upstreams: EncodedTensor[]; grads: (EncodedTensor | null)[] }
interface Fixture { calls: Call[]; errors: Record<string, { message: string }> }

const fx = loadFixture<Fixture>('linalg-chain.json');

const RUN: Record<string, (t: Tensor[]) => Tensor | Tensor[]> = {
  multi_dot_2: (t) => linalg.multiDot(t),
  multi_dot_3_right: (t) => linalg.multiDot(t),
  multi_dot_3_left: (t) => linalg.multiDot(t),
  multi_dot_4_vectors: (t) => linalg.multiDot(t),
  multi_dot_5: (t) => linalg.multiDot(t),
  linalg_vander: ([x]) => linalg.vander(x!),
  linalg_vander_N_batch: ([x]) => linalg.vander(x!, { N: 5 }),
  vander: ([x]) => vander(x!),
  vander_N_increasing: ([x]) => vander(x!, 3, true),
  cholesky_solve: ([b, l]) => choleskySolve(b!, l!),
  cholesky_solve_upper: ([b, u]) => choleskySolve(b!, u!, true),
  cholesky_solve_batch: ([b, l]) => choleskySolve(b!, l!),
  cholesky_inverse: ([l]) => choleskyInverse(l!),
  cholesky_inverse_upper: ([u]) => choleskyInverse(u!, true),
  svd_some: ([a]) => svd(a!)[1],
  svd_reconstruct: ([a]) => { const [u, s, v] = a!.svd(); return u.matmul(s.diag()).matmul(v.mT); },
  svd_full_shapes: ([a]) => { const [u] = svd(a!, false); assert.deepEqual([...u.shape], [4, 4]); return u.narrow(1, 0, 2).abs(); },
  svd_no_uv: ([a]) => [...svd(a!, true, false)],
  qr_some: ([a]) => { const [q, r] = qr(a!); return q.matmul(r); },
  qr_complete_r: ([a]) => a!.qr(false).R,
};

test('every call of linalg-chain.json has a Kindling form', () => {
  assert.deepEqual(fx.calls.map((c) => c.fn).sort(), Object.keys(RUN).sort());
});

for (const c of fx.calls) {
  test(`${c.fn}: PyTorch's values and gradients`, () => {
    // PyTorch 1.13 cannot differentiate torch.vander (its in-place kernel); Kindling's can, so only values are compared.
    const leaves = c.inputs.map((e) => decode(e, c.grads.some((g) => g !== null)));
    const got = RUN[c.fn]!(leaves);
    const outs = Array.isArray(got) ? got : [got];
    // Calls that return several tensors are compared output by output, and not differentiated here.
    assert.equal(outs.length, c.outs.length, `${c.fn}: ${outs.length} outputs, PyTorch's ${c.outs.length}`);
    outs.forEach((o, k) => assertTensorClose(o, c.outs[k]!, `${c.fn} value${outs.length > 1 ? ` ${k}` : ''}`, { rtol: 1e-5, atol: 2e-6 }));
    if (c.outs.length > 1) return;
    const out = outs[0]!;
    if (c.gradFns[0] !== null) assert.equal(out.gradFn?.torchName, c.gradFns[0]);
    if (c.grads.every((g) => g === null)) return;
    out.backward(decode(c.upstreams[0]!));
    c.grads.forEach((g, i) => assertTensorClose(leaves[i]!.grad, g!, `${c.fn} grad ${i}`, { rtol: 1e-4, atol: 1e-5 }));
  });
}

test("multiDot and vander refuse what PyTorch refuses, with its words", () => {
  const r = (...shape: number[]): Tensor => decode({ shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(0.5) });
  const cases: [string, () => unknown][] = [
    ['one', () => linalg.multiDot([r(2, 2)])],
    ['first3d', () => linalg.multiDot([r(1, 2, 2), r(2, 2)])],
    ['middle1d', () => linalg.multiDot([r(2, 2), r(2), r(2, 2)])],
    ['shapes', () => linalg.multiDot([r(2, 3), r(4, 2)])],
    ['vanderN', () => linalg.vander(r(3), { N: 1 })],
    ['vander2d', () => vander(r(2, 2))],
  ];
  for (const [key, run] of cases) assert.throws(run, (err: Error) => err.message.includes(fx.errors[key]!.message), key);
});
