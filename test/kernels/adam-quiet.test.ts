// Adam's quiet rows (assembly/adam-quiet.ts): rows whose p provably stays leave the decays of m and v owed and pay
// them when they wake or when the state is settled. Checked against the reference kernel, bit for bit, at every
// settle point and after, through long runs that take rows from lit to young to old to quiet and back, with p written from outside.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adam, settleAdam, type AdamScalars } from '../../src/kernels/optim.js';
import { assertSameBits, requireWasm, resident, rng, values, withBackend } from './helpers.js';

function scalars(t: number, beta2 = 0.999, lr = 0.001): AdamScalars {
  return {
    beta1: 0.9, beta2, eps: 1e-8, weightDecay: 0, stepSize: lr / (1 - 0.9 ** t), bc2Sqrt: Math.sqrt(1 - beta2 ** t),
    amsgrad: false, maximize: false,
  };
}

interface Run {
  /** p, m, v at each checkpoint (settled first on wasm), then at the end. */
  snapshots: Float32Array[][];
  /** Lanes of v that differed from the settled values just before a settle: decays were owed. */
  owedLanes: number;
  /** The same for m: rows went quiet while their m was still decaying. */
  owedMLanes: number;
}

/**
 * Trains `steps` steps of Adam over `rowsCount` rows of `width` with a gradient row list: row j is lit often, every
 * 700 or 1300 steps, or only early, with gradients of ordinary or tiny size. At set steps p is written from
 * outside (a zero, a NaN, a large value, a tiny one; a small one where m still decays) in rows that are quiet by
 * then, and for a few steps the learning rate is much larger.
 */
/** Steps at which `train` writes p from outside, before that step's update. */
const WRITES_P = [1000, 1500, 1950, 2300];

/**
 * `vouch`: each call says p is as the previous call left it (adam's `kept`), except at the steps of WRITES_P, where
 * it was written from outside.
 */
function train(
  name: 'ref' | 'wasm', width: number, steps: number, checkpoints: number[], beta2s: (t: number) => number, vouch = false,
  spike = { lr: 30, at: 1100, steps: 5 },
): Run {
  return withBackend(name, () => {
    const rowsCount = 24;
    const n = width * rowsCount;
    const r = rng(width * 13 + steps);
    const [P, M, V, G] = [resident(values(r, n)), resident(new Float32Array(n)), resident(new Float32Array(n)), resident(new Float32Array(n))];
    const lit = (j: number, t: number): boolean =>
      j % 6 === 0 || (j % 6 === 1 && t % 700 === 0) || (j % 6 === 2 && t < 40) || (j % 6 === 3 && t % 1300 === 5) || (j % 6 === 4 && t < 3)
      || (j % 6 === 5 && t <= 2);
    const snapshots: Float32Array[][] = [];
    let owedLanes = 0;
    let owedMLanes = 0;
    for (let t = 1; t <= steps; t++) {
      G.fill(0);
      const rows: number[] = [];
      for (let j = 0; j < rowsCount; j++) {
        if (!lit(j, t)) continue;
        rows.push(j);
        // v of the last kind starts subnormal (1e-19² · 0.001) and decays through the subnormals to its fixed point.
        const size = j % 6 === 5 ? 1e-19 : j % 4 === 3 ? 1e-22 : 1e-3;
        for (let i = 0; i < width; i++) G[j * width + i] = i % 7 === 5 ? 0 : Math.fround(Math.sin(t * 0.37 + j + i * 0.11) * size);
      }
      if (t === 1000 || t === 1950) {
        // p made small in rows quiet while their m still decays (lit every 700 steps, dark for 300 and 550 steps):
        // the bound on |m| no longer proves p still, so the row wakes and pays before p moves.
        for (const [j, i] of [[1, 0], [7, 1], [13, 2]] as const) P[j * width + (i % width)] = 1e-12;
      }
      if (t === 1500 || t === 2300) {
        // p written from outside in long-dark rows: zero and tiny p fail the quiet check, a NaN too; a large one passes.
        for (const [j, i, x] of [[5, 1, 0], [11, 2, Number.NaN], [17, 0, 3e20], [23, width - 1, 1e-30], [8, 3, -0]] as const) P[j * width + (i % width)] = x;
      }
      // A few steps with a much larger learning rate (3·10^4 times, by default): kStill shrinks, and quiet rows must pass
      // the check again.
      const kept = vouch && !WRITES_P.includes(t);
      adam(P, G, M, V, null, scalars(t, beta2s(t), t >= spike.at && t < spike.at + spike.steps ? spike.lr : 0.001), Int32Array.from(rows), width, true, kept);
      if (checkpoints.includes(t) || t === steps) {
        const before = V.slice();
        const beforeM = M.slice();
        settleAdam(M);
        for (let i = 0; i < n; i++) if (!Object.is(before[i], V[i])) owedLanes++;
        for (let i = 0; i < n; i++) if (!Object.is(beforeM[i], M[i])) owedMLanes++;
        snapshots.push([P.slice(), M.slice(), V.slice()]);
        // Settled, m may be written from outside: −0 (no fixed point: −0·β1 ⊕ +0 is +0), negative tiny and
        // subnormal values, in rows that are dark by then, which then decay while owed.
        for (const [j, i, x] of [[7, 0, -0], [13, 1, -1e-30], [19, 2, -3e-39], [14, 3, 2e-41], [20, 0, -0]] as const) M[j * width + (i % width)] = x;
      }
    }
    return { snapshots, owedLanes, owedMLanes };
  });
}

test('quiet rows: owed decays of m and v are paid with the reference\'s bits, at settle points and when rows wake (widths 8 and 200)', () => {
  requireWasm();
  for (const width of [8, 200]) {
    const ref = train('ref', width, 3000, [900, 1003, 1700, 1953, 2500], () => 0.999);
    const wasm = train('wasm', width, 3000, [900, 1003, 1700, 1953, 2500], () => 0.999);
    assert.ok(wasm.owedLanes > 0, `width ${width}: some rows must have gone quiet and owed decays`);
    assert.ok(wasm.owedMLanes > 0, `width ${width}: some rows must have gone quiet with m still decaying`);
    assert.equal(ref.owedLanes + ref.owedMLanes, 0, 'the reference owes nothing');
    ref.snapshots.forEach((arrays, c) => arrays.forEach((a, i) => assertSameBits(wasm.snapshots[c]![i]!, a, `width ${width}, snapshot ${c}, array ${i}`)));
  }
});

test('quiet rows: with p vouched for as kept between calls, the same bits; a changed learning rate, and p written from outside, still wake rows', () => {
  requireWasm();
  // Without the check, quiet rows are taken as still while p and kStill are as at the last call. The steps with a
  // larger learning rate (3·10^4 times for five steps; 10^14 times for one step at 990, which moves the p of the rows
  // lit at step 700, quiet by then), and the steps that write p (not vouched for), must still wake the rows that no
  // longer pass it.
  for (const width of [8, 200]) {
    for (const spike of [{ lr: 30, at: 1100, steps: 5 }, { lr: 1e11, at: 990, steps: 1 }]) {
      const checkpoints = [900, 991, 1003, 1102, 1700, 1953, 2500];
      const ref = train('ref', width, 3000, checkpoints, () => 0.999, false, spike);
      const wasm = train('wasm', width, 3000, checkpoints, () => 0.999, true, spike);
      assert.ok(wasm.owedLanes > 0, `width ${width}: some rows must have gone quiet and owed decays`);
      const what = `width ${width}, learning rate ${spike.lr} at step ${spike.at}`;
      ref.snapshots.forEach((arrays, c) => arrays.forEach((a, i) => assertSameBits(wasm.snapshots[c]![i]!, a, `${what}, snapshot ${c}, array ${i}`)));
    }
  }
});

test('quiet rows: a change of β2 between steps pays the old decays first', () => {
  requireWasm();
  const beta2s = (t: number): number => (t < 1600 ? 0.999 : 0.99);
  const ref = train('ref', 12, 2000, [], beta2s);
  const wasm = train('wasm', 12, 2000, [], beta2s);
  ref.snapshots.forEach((arrays, c) => arrays.forEach((a, i) => assertSameBits(wasm.snapshots[c]![i]!, a, `snapshot ${c}, array ${i}`)));
});

test('quiet rows: a call without quiet, and one on the reference backend, pay what is owed first', () => {
  requireWasm();
  const width = 16;
  const n = width * 10;
  const r = rng(5);
  const p0 = values(r, n);
  const run = (switchTo: 'plain' | 'ref' | null): Float32Array[] => {
    const [P, M, V, G] = withBackend('wasm', () => [resident(p0), resident(new Float32Array(n)), resident(new Float32Array(n)), resident(new Float32Array(n))]);
    for (let t = 1; t <= 1600; t++) {
      G.fill(0);
      const rows = t < 5 ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0];
      for (const j of rows) for (let i = 0; i < width; i++) G[j * width + i] = Math.fround(Math.cos(t + i) * 1e-3);
      const late = t > 1400 && switchTo !== null;
      const backend = late && switchTo === 'ref' ? 'ref' : 'wasm';
      withBackend(backend, () => adam(P!, G!, M!, V!, null, scalars(t), Int32Array.from(rows), width, !(late && switchTo === 'plain')));
    }
    settleAdam(M!);
    return [P!.slice(), M!.slice(), V!.slice()];
  };
  const all = withBackend('ref', () => {
    const [P, M, V, G] = [new Float32Array(p0), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    for (let t = 1; t <= 1600; t++) {
      G.fill(0);
      const rows = t < 5 ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0];
      for (const j of rows) for (let i = 0; i < width; i++) G[j * width + i] = Math.fround(Math.cos(t + i) * 1e-3);
      adam(P, G, M, V, null, scalars(t), Int32Array.from(rows), width);
    }
    return [P, M, V];
  });
  for (const s of [null, 'plain', 'ref'] as const) run(s).forEach((a, i) => assertSameBits(a, all[i]!, `${s ?? 'quiet throughout'}: array ${i}`));
});
