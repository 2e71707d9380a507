// 3-D convolution and the 1-D and 3-D transposed convolutions run on the 2-D convolution's kernels through their
// patch tables: both backends give the same bits for the value and every gradient, also with a batch split into
// parts and with NaN and ∞ operands (which send the wasm path to the reference).
import { test } from 'node:test';
import { F } from '../../src/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertConvBackendsAgree } from './conv-backends.js';
import { requireWasm, rng, values } from './helpers.js';

type Op = 'conv3d' | 'convTranspose1d' | 'convTranspose3d';
interface Shape { name: string; op: Op; input: number[]; weight: number[]; options: Record<string, unknown> }

const CASES: Shape[] = [
  { name: 'plain', op: 'conv3d', input: [2, 3, 4, 5, 4], weight: [4, 3, 3, 2, 3], options: {} },
  { name: 'strided, padded, dilated', op: 'conv3d', input: [3, 2, 5, 6, 7], weight: [3, 2, 3, 3, 3], options: { stride: [2, 1, 2], padding: [1, 2, 0], dilation: [1, 2, 1] } },
  { name: "groups, 'same'", op: 'conv3d', input: [2, 4, 3, 4, 5], weight: [6, 2, 2, 3, 4], options: { groups: 2, padding: 'same' } },
  { name: 'unbatched', op: 'conv3d', input: [2, 3, 3, 3], weight: [2, 2, 2, 2, 2], options: {} },
  { name: 'plain', op: 'convTranspose1d', input: [3, 4, 9], weight: [4, 3, 5], options: { stride: 2, padding: 1, outputPadding: 1 } },
  { name: 'groups, dilation', op: 'convTranspose1d', input: [2, 6, 5], weight: [6, 2, 3], options: { groups: 3, dilation: 2 } },
  { name: 'plain', op: 'convTranspose3d', input: [2, 3, 2, 3, 4], weight: [3, 2, 3, 3, 3], options: { stride: 2, padding: 1, outputPadding: [1, 0, 1] } },
  { name: 'groups, unbatched', op: 'convTranspose3d', input: [4, 2, 2, 3], weight: [4, 1, 2, 2, 2], options: { groups: 2, stride: [1, 2, 1] } },
];

const size = (s: number[]): number => s.reduce((a, d) => a * d, 1);
const outChannels = (c: Shape): number => (c.op === 'conv3d' ? c.weight[0]! : c.weight[1]! * ((c.options['groups'] as number | undefined) ?? 1));

function run(c: Shape, x: Float32Array, w: Float32Array, b: Float32Array, u: Float32Array | null): Float32Array[] {
  const xt = new Tensor(x.slice(), c.input, { requiresGrad: true });
  const wt = new Tensor(w.slice(), c.weight, { requiresGrad: true });
  const bt = new Tensor(b.slice(), [b.length], { requiresGrad: true });
  const y = (F[c.op] as (x: Tensor, w: Tensor, b: Tensor, o: unknown) => Tensor)(xt, wt, bt, c.options);
  y.backward(new Tensor(u ?? new Float32Array(y.numel()).fill(1), y.shape));
  return [y.values().slice(), xt.grad!.values().slice(), wt.grad!.values().slice(), bt.grad!.values().slice()];
}

test('F.conv3d, F.convTranspose1d and F.convTranspose3d give the same bits on both backends, whole and in parts, with NaN and ∞ too', () => {
  requireWasm();
  const names = ['value', 'input grad', 'weight grad', 'bias grad'];
  for (const c of CASES) {
    const r = rng(17);
    const x = values(r, size(c.input), { zeros: 0.3 });
    const w = values(r, size(c.weight), { lo: -0.5, hi: 0.5 });
    const b = values(r, outChannels(c));
    const u = values(r, run(c, x, w, b, null)[0]!.length, { zeros: 0.4 });
    assertConvBackendsAgree(`${c.op} ${c.name}`, names, x, (input) => run(c, input, w, b, u));
  }
});
