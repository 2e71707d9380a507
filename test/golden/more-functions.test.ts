// scatterReduce, selectScatter/sliceScatter/diagonalScatter/maskedScatter, vdot, dist, addr, diagflat, sumToSize,
// ldexp, heaviside, isin, fillDiagonal_, the window functions and logspace against PyTorch 1.13
// (fixtures/torch/more-functions.json, from make_more_functions.py): outputs (bit for bit where Kindling computes as
// PyTorch's kernel does; the windows' cosines and logspace's pow within an ulp, PyTorch's vectorized float32 cosine
// and C's pow may miss the correctly rounded value by one), grad_fn names, the inputs' gradients, and PyTorch's
// refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { Tensor, tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type Arg = { tensor: EncodedTensor } | number | number[] | boolean | null;
interface Case {
  fn: string; inputs: EncodedTensor[]; rest: Arg[]; kwargs: Record<string, unknown>; outs: EncodedTensor[];
  gradFns: (string | null)[]; upstreams: EncodedTensor[]; grads: (EncodedTensor | null)[];
}
const fx = loadFixture<{
  cases: Case[];
  heaviside: { x: EncodedTensor; values: EncodedTensor; out: EncodedTensor };
  isin: { e: EncodedTensor; t: EncodedTensor; invert: boolean; out: EncodedTensor }[];
  fillDiagonal: { shape: number[]; value: number; wrap: boolean; out: EncodedTensor }[];
  windows: { fn: string; n: number; periodic: boolean; alpha?: number; beta?: number; out: EncodedTensor }[];
  logspace: { start: number; end: number; steps: number; base: number; out: EncodedTensor }[];
  refusals: Record<string, { message: string }>;
}>('more-functions.json');

const argOf = (a: Arg | string): unknown =>
  typeof a === 'string' ? (['Infinity', '-Infinity', 'NaN'].includes(a) ? Number(a) : a) : a !== null && typeof a === 'object' && !Array.isArray(a) ? decode(a.tensor) : a;

const CALLS: Record<string, (xs: Tensor[], r: unknown[], kw: Record<string, unknown>) => Tensor> = {
  scatter_reduce: ([s, src], r, kw) => {
    // The fixture's two index layouts: along dim 1 for the 3 × 5 input, along dim 0 for the 3 × 3 one.
    const along1 = s!.shape[1] === 5;
    const index = along1 ? tensor([[0, 1, 0, 4, 2, 0], [3, 3, 1, 3, 0, 0], [2, 2, 2, 1, 1, 4]]) : tensor([[0, 2, 1], [0, 0, 2]]);
    return s!.scatterReduce(along1 ? 1 : 0, index, src!, r[0] as torch.ScatterReduction, { includeSelf: kw.include_self as boolean });
  },
  select_scatter: ([x, src], r) => torch.selectScatter(x!, src!, r[0] as number, r[1] as number),
  slice_scatter: ([x, src], r) => x!.sliceScatter(src!, r[0] as number, r[1] as number | null, r[2] as number | null, r[3] as number),
  diagonal_scatter: ([x, src], r) => torch.diagonalScatter(x!, src!, ...(r as number[])),
  masked_scatter: ([x, src]) => x!.maskedScatter(x!.shape[0] === 4 && src!.ndim === 1 ? tensor([[1, 0, 1], [0, 1, 1], [0, 0, 0], [1, 1, 1]]) : tensor([0, 1, 1]), src!),
  vdot: ([a, b]) => torch.vdot(a!, b!),
  dist: ([a, b], r) => torch.dist(a!, b!, r[0] as number | undefined),
  addr: ([x, a, b], _r, kw) => torch.addr(x!, a!, b!, kw as torch.AddrOptions),
  diagflat: ([x], r) => torch.diagflat(x!, r[0] as number | undefined),
  sum_to_size: ([x]) => x!,
  ldexp: ([x, e]) => torch.ldexp(x!, e!),
};

/** The fixture's addr calls carry beta/alpha in their lambdas: the same values, in order of the cases. */
const ADDR = [{}, { beta: 0.5, alpha: -1.25 }, { beta: 2 }, { beta: 0, alpha: 3 }];
const SUM_TO = [[1, 3], [3], [4, 1]];

let addrSeen = 0;
let sumSeen = 0;
for (const c of fx.cases) {
  const extra = c.fn === 'addr' ? ADDR[addrSeen++]! : c.fn === 'sum_to_size' ? { size: SUM_TO[sumSeen++]! } : {};
  const label = `${c.fn}(${c.inputs.map((t) => `[${t.shape}]`).join(', ')}${c.rest.map((a) => `, ${a !== null && typeof a === 'object' && !Array.isArray(a) ? 'tensor' : JSON.stringify(a)}`).join('')}${Object.keys({ ...c.kwargs, ...extra }).length ? `, ${JSON.stringify({ ...c.kwargs, ...extra })}` : ''})`;
  test(`${label} matches PyTorch: output, grad_fn and gradients`, () => {
    const grads = c.gradFns.some((g) => g !== null);
    const xs = c.inputs.map((t) => decode(t, grads));
    const kw = c.fn === 'addr' ? extra : c.kwargs;
    let out = CALLS[c.fn]!(xs, c.rest.map(argOf), kw);
    if (c.fn === 'sum_to_size') out = out.sumToSize((extra as { size: number[] }).size);
    // Bit for bit where Kindling computes as PyTorch's kernel; within 1e-6 where sums add in another order (dist's
    // norms, vdot, sumToSize) and for addr (PyTorch's vectorized kernel may fuse its multiply-adds).
    if (['dist', 'addr', 'vdot', 'sum_to_size'].includes(c.fn)) assertTensorClose(out, c.outs[0]!, 'out', { rtol: 1e-6, atol: 1e-6 });
    else assertSame(out, c.outs[0]!, 'out');
    assert.equal(out.gradFn?.torchName ?? null, c.gradFns[0]);
    if (!grads) return;
    out.mul(decode(c.upstreams[0]!)).sum().backward();
    xs.forEach((x, i) => {
      const want = c.grads[i];
      if (want === null || want === undefined) return;
      assertTensorClose(x.grad, want, `grad of input ${i}`, { rtol: 1e-5, atol: 1e-6 });
    });
  });
}

test('heaviside and isin give PyTorch\'s values (NaN: 0, and matching nothing)', () => {
  const h = fx.heaviside;
  assertSame(torch.heaviside(decode(h.x), decode(h.values)), h.out, 'heaviside');
  for (const c of fx.isin) assertSame(torch.isin(decode(c.e), decode(c.t), { invert: c.invert }), c.out, `isin invert ${c.invert}`);
  assertSame(torch.isin(3, tensor([3])), { shape: [], data: [1] }, 'isin of a number');
});

test('fillDiagonal_ fills as PyTorch\'s fill_diagonal_ (wrap, tall, 3-D)', () => {
  for (const c of fx.fillDiagonal) {
    const t = torch.zeros(c.shape);
    assert.equal(t.fillDiagonal_(c.value, c.wrap), t);
    assertSame(t, c.out, `fillDiagonal_ ${c.shape} wrap ${c.wrap}`);
  }
});

test('hannWindow, hammingWindow, blackmanWindow and bartlettWindow match PyTorch\'s, periodic and symmetric, 0 to 64 points', () => {
  const fns: Record<string, (n: number, o: { periodic: boolean }) => Tensor> = {
    hann_window: torch.hannWindow, hamming_window: torch.hammingWindow, blackman_window: torch.blackmanWindow, bartlett_window: torch.bartlettWindow,
  };
  for (const c of fx.windows) {
    const out = c.alpha === undefined ? fns[c.fn]!(c.n, { periodic: c.periodic }) : torch.hammingWindow(c.n, { periodic: c.periodic }, c.alpha, c.beta);
    assertTensorClose(out, c.out, `${c.fn}(${c.n}, periodic ${c.periodic})`, { rtol: 2.5e-7, atol: 1e-7 });
  }
});

test('logspace matches PyTorch\'s (bases 10, 2 and 3) within an ulp', () => {
  for (const c of fx.logspace) assertTensorClose(torch.logspace(c.start, c.end, c.steps, c.base), c.out, `logspace(${c.start}, ${c.end}, ${c.steps}, ${c.base})`, { rtol: 2.5e-7, atol: 0 });
});

test("PyTorch's refusals, with its messages", () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, `${key}: ${r[key]!.message}`);
  const x = torch.zeros([4, 3]);
  same(() => torch.zeros([3, 5]).scatterReduce(1, tensor([[0]]), tensor([[1]]), 'max' as 'amax'), 'scatter_reduce_reduce');
  same(() => torch.selectScatter(x, torch.ones([4]), 0, 0), 'select_scatter_size');
  same(() => torch.sliceScatter(x, torch.ones([3, 3]), 0, 1, 3, 1), 'slice_scatter_size');
  same(() => torch.diagonalScatter(x, torch.ones([4]), 0), 'diagonal_scatter_size');
  same(() => x.maskedScatter(torch.ones([4, 3]), torch.ones([5])), 'masked_scatter_short');
  same(() => torch.vdot(x, x), 'vdot_2d');
  same(() => torch.vdot(torch.ones([4]), torch.ones([3])), 'vdot_length');
  same(() => torch.addr(x, x, torch.ones([3])), 'addr_vec1');
  same(() => x.sumToSize(2), 'sum_to_size');
  same(() => torch.zeros([2, 3, 4]).fillDiagonal_(1), 'fill_diagonal_3d');
  assert.throws(() => torch.heaviside(x, 0.5 as unknown as Tensor), /heaviside\(\): argument 'values' \(position 2\) must be Tensor, not number/);
  same(() => torch.heaviside(torch.zeros([4, 3], { requiresGrad: true }), tensor([0.5])).sum().backward(), 'heaviside_backward');
});

test('scatterReduce prod with two src zeros at one place: first derivatives, and the second through src refused, as PyTorch\'s', () => {
  // PyTorch 1.13: gx [0, 4] (DivBackward0), gs [0, 0, 3] (its node "Error"); gs.sum().backward() raises; gx.sum()
  // .backward() gives x.grad [0, 0] and src.grad [0, 0, 1].
  const x = tensor([2, 3], { requiresGrad: true });
  const s = tensor([0, 0, 4], { requiresGrad: true });
  const y = x.scatterReduce(0, tensor([0, 0, 1]), s, 'prod');
  const [gx, gs] = torch.autograd.grad(y.sum(), [x, s], { createGraph: true });
  assert.deepEqual(Array.from(gx!.toArray()), [0, 4]);
  assert.deepEqual(Array.from(gs!.toArray()), [0, 0, 3]);
  assert.equal(gs!.gradFn?.torchName, 'Error');
  assert.throws(() => gs!.sum().backward(), /scatter_reduce\(\): Double backward is unsupported for src when >1 zeros in src are scattered to the same position in self$/);
  gx!.sum().backward();
  assert.deepEqual(Array.from(x.grad!.toArray()), [0, 0]);
  assert.deepEqual(Array.from(s.grad!.toArray()), [0, 0, 1]);
});

test('scatterReduce\'s gradients written with ops (createGraph) are PyTorch\'s too, ties, zeros and NaN included', () => {
  for (const c of fx.cases.filter((k) => k.fn === 'scatter_reduce')) {
    const xs = c.inputs.map((t) => decode(t, true));
    const out = CALLS.scatter_reduce!(xs, c.rest.map(argOf), c.kwargs);
    const grads = torch.autograd.grad(out, xs, decode(c.upstreams[0]!), { createGraph: true });
    grads.forEach((g, i) => assertTensorClose(g, c.grads[i]!, `${c.rest[0]} ${JSON.stringify(c.kwargs)}: grad of input ${i}`, { rtol: 1e-5, atol: 1e-6 }));
  }
});
