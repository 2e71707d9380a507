// Adam's quiet rows seen from the optimizer: what they owe is paid whenever anybody reads or writes the moments
// (stateDict, user code through `.data`), and training goes on with the reference's bits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, optim, tensor, type Tensor } from '../../src/index.js';
import { assertSameBits, withBackend } from '../kernels/helpers.js';

/** Features 0–9 lit often, 10–19 only in the first 50 steps, 20–29 every 800 steps, 30–36 never. */
function sample(t: number): Float32Array {
  const x = new Float32Array(37);
  for (let j = 0; j < 37; j++) {
    const on = j < 10 ? (t + j) % 3 !== 0 : j < 20 ? t < 50 : j < 30 ? t % 800 === j : false;
    if (on) x[j] = ((j * 7 + t) % 10) / 10 + 0.05;
  }
  return x;
}

function run(steps: number, poke: (opt: optim.Adam, t: number) => void): { params: Float32Array[]; moments: Float32Array[] } {
  manualSeed(21);
  const model = new nn.Sequential(new nn.Linear(37, 16), new nn.Sigmoid(), new nn.Linear(16, 4), new nn.Sigmoid());
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  const loss = new nn.MSELoss();
  for (let t = 0; t < steps; t++) {
    const y = new Float32Array(4);
    y[t % 4] = 1;
    opt.zeroGrad();
    loss.forward(model.forward(tensor(sample(t))), tensor(y)).backward();
    opt.step();
    poke(opt, t);
  }
  const sd = opt.stateDict();
  const moments = Object.values(sd.state).flatMap((e) => [Float32Array.from((e['exp_avg'] as { data: number[] }).data), Float32Array.from((e['exp_avg_sq'] as { data: number[] }).data)]);
  return { params: model.parameters().map((p) => p.data.slice()), moments };
}

/** The first weight's Adam state tensors (the optimizer's own, as user code could reach them). */
function firstState(opt: optim.Adam): { m: Tensor; v: Tensor } {
  const s = (opt as unknown as { state: Map<Tensor, Record<string, Tensor>> }).state.get(opt.params[0]!)!;
  return { m: s['exp_avg']!, v: s['exp_avg_sq']! };
}

test('Adam with quiet rows gives the reference\'s parameters and moments, read at the end or along the way', () => {
  const quietOnly = (): void => {};
  const readAlong = (opt: optim.Adam, t: number): void => {
    if (t % 450 === 449) opt.stateDict();
  };
  const ref = withBackend('ref', () => run(2400, quietOnly));
  for (const [label, poke] of [['read at the end', quietOnly], ['read every 450 steps', readAlong]] as const) {
    const wasm = withBackend('wasm', () => run(2400, poke));
    wasm.params.forEach((p, i) => assertSameBits(p, ref.params[i]!, `${label}: parameter ${i}`));
    wasm.moments.forEach((m, i) => assertSameBits(m, ref.moments[i]!, `${label}: moment ${i}`));
  }
});

test('moments written through .data (user code reaching the optimizer state) are taken as written', () => {
  const poke = (opt: optim.Adam, t: number): void => {
    if (t !== 1700) return;
    const { m, v } = firstState(opt);
    // Long-dark rows 30–36 are quiet by now: give one a first moment again, and scale a second moment.
    m.data[33 * 16 + 5] = 0.25;
    const vd = v.data;
    for (let i = 25 * 16; i < 26 * 16; i++) vd[i] = vd[i]! * 4;
  };
  const ref = withBackend('ref', () => run(2200, poke));
  const wasm = withBackend('wasm', () => run(2200, poke));
  wasm.params.forEach((p, i) => assertSameBits(p, ref.params[i]!, `parameter ${i}`));
  wasm.moments.forEach((m, i) => assertSameBits(m, ref.moments[i]!, `moment ${i}`));
  // The write mattered: without it the first weight ends elsewhere.
  const untouched = withBackend('wasm', () => run(2200, () => {}));
  assert.notDeepEqual([...untouched.params[0]!], [...wasm.params[0]!]);
});

test('a quiet row\'s v is owed between steps and paid on reading', () => {
  let owedSeen = false;
  withBackend('wasm', () =>
    run(1800, (opt, t) => {
      if (t !== 1799) return;
      const { v } = firstState(opt);
      const raw = v.unsettledData.slice();
      const read = v.data.slice();
      for (let i = 0; i < raw.length; i++) if (!Object.is(raw[i], read[i])) owedSeen = true;
    }));
  assert.ok(owedSeen, 'reading v paid decays that quiet rows owed');
});
