// optim.SGD with momentum, Nesterov, weight decay or maximize training small linear layers: the steps follow PyTorch's
// rule with every operation rounded to float32 (replayed here from the gradients, the first step's buffer = d_p
// included), and the parameters come out with the same bits on both backends.
import { test } from 'node:test';
import { manualSeed, nn, optim, randn, rand, type Tensor } from '../../src/index.js';
import type { SgdOptions } from '../../src/kernels/ref/optim.js';
import { assertSameBits, requireWasm, withBackend } from './helpers.js';

const f = Math.fround;

type Options = SgdOptions;

/** PyTorch's SGD step for one parameter, each operation rounded to float32, as written in optim/sgd.ts's doc. */
function expectedStep(p: readonly number[], g: readonly number[], buf: number[] | null, o: Options): number[] {
  return p.map((pi, i) => {
    let d = o.maximize ? -g[i]! : g[i]!;
    if (o.weightDecay !== 0) d = f(d + f(f(o.weightDecay) * pi));
    if (buf !== null) {
      const b = buf.length > i ? f(f(buf[i]! * f(o.momentum)) + f(f(1 - o.dampening) * d)) : d;
      buf[i] = b;
      d = o.nesterov ? f(d + f(f(o.momentum) * b)) : b;
    }
    return f(pi + f(f(-o.lr) * d));
  });
}

/** `steps` steps of a 13→7→3 Sigmoid MSE network on batches of `batch`; checks each step against expectedStep. */
function train(o: Options, batch: number, steps: number): Float32Array[] {
  manualSeed(3);
  const model = new nn.Sequential(new nn.Linear(13, 7), new nn.Sigmoid(), new nn.Linear(7, 3), new nn.Sigmoid());
  const lossFn = new nn.MSELoss();
  const opt = new optim.SGD(model.parameters(), o);
  const params = model.parameters();
  const bufs: (number[] | null)[] = params.map(() => (o.momentum !== 0 ? [] : null));
  for (let t = 0; t < steps; t++) {
    const x = batch === 1 ? randn([13]) : randn([batch, 13]);
    const y = batch === 1 ? rand([3]) : rand([batch, 3]);
    opt.zeroGrad();
    lossFn.forward(model.forward(x), y).backward();
    const want = params.map((p: Tensor, i) => expectedStep([...p.toArray()], [...p.grad!.toArray()], bufs[i]!, o));
    opt.step();
    params.forEach((p, i) => assertSameBits(p.toArray(), Float32Array.from(want[i]!), `${JSON.stringify(o)} step ${t + 1}, parameter ${i}`));
  }
  return params.map((p) => p.toArray().slice());
}

const base: Options = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
const settings: Partial<Options>[] = [
  { momentum: 0.9 },
  { momentum: 0.9, nesterov: true },
  { momentum: 0.9, weightDecay: 5e-4 },
  { weightDecay: 5e-4 },
  { momentum: 0.5, dampening: 0.33, weightDecay: 0.01, maximize: true },
  { momentum: 0.9, nesterov: true, weightDecay: 0.01, maximize: true },
];

for (const s of settings) {
  const o = { ...base, ...s };
  test(`SGD ${JSON.stringify(s)}: PyTorch's rule in float32, step by step, with the same bits on both backends`, () => {
    requireWasm();
    for (const batch of [1, 5]) {
      const ref = withBackend('ref', () => train(o, batch, 6));
      const wasm = withBackend('wasm', () => train(o, batch, 6));
      ref.forEach((p, i) => assertSameBits(wasm[i]!, p, `batch ${batch}, parameter ${i}`));
    }
  });
}
