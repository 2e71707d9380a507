// The wasm optimizer kernels against the reference ones, bit for bit, on sizes that are not multiples of the
// SIMD width — including Adam's exact path for tiny and subnormal moments and its zero-gradient shortcuts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setOuterRows, sparseVector } from '../../src/kernels/linalg.js';
import { adam, adamFactored, addInPlace, scale, settleAdam, sgd, sgdGeneral, sgdOuter, zeroRows, type AdamScalars, type SgdOptions } from '../../src/kernels/optim.js';
import { getBackend } from '../../src/kernels/backend.js';
import { isWasmResident } from '../../src/kernels/storage.js';
import { fixedSubnormals } from '../../src/kernels/wasm/optim.js';
import { assertSameBits, requireWasm, resident, rng, SIZES, values, withBackend } from './helpers.js';

/** Runs `update` on resident copies of `arrays` under each backend and checks every array ends with the same bits. */
function sameOnBothBackends(label: string, arrays: Float32Array[], update: (a: Float32Array[]) => void): Float32Array[] {
  const run = (name: 'ref' | 'wasm'): Float32Array[] =>
    withBackend(name, () => {
      const copies = arrays.map(resident);
      if (name === 'wasm') for (const c of copies) assert.ok(isWasmResident(c), `${label}: test arrays must live in wasm memory`);
      update(copies);
      return copies.map((c) => c.slice());
    });
  const ref = run('ref');
  const wasm = run('wasm');
  ref.forEach((r, i) => assertSameBits(wasm[i]!, r, `${label}, array ${i}`));
  return ref;
}

test('sgd (dense and over listed rows), scale, addInPlace and zeroRows match bit for bit', () => {
  requireWasm();
  for (const n of SIZES) {
    const r = rng(n);
    const p = values(r, n);
    const g = values(r, n, { zeros: 0.3 });
    sameOnBothBackends(`sgd n=${n}`, [p, g], ([a, b]) => sgd(a!, b!, 0.01, null, 0));
    sameOnBothBackends(`scale n=${n}`, [p], ([a]) => scale(a!, 1 - 0.001 * 0.01));
    sameOnBothBackends(`addInPlace n=${n}`, [p, g], ([a, b]) => addInPlace(a!, b!));
  }
  for (const width of [1, 3, 4, 10, 17, 200]) {
    const r = rng(width + 50);
    const rowsCount = 9;
    const p = values(r, width * rowsCount);
    const g = values(r, width * rowsCount);
    const rows = Int32Array.from([0, 2, 3, 8]);
    const [after] = sameOnBothBackends(`sgd rows width=${width}`, [p, g], ([a, b]) => sgd(a!, b!, 0.05, rows, width));
    for (const j of [1, 4, 5, 6, 7]) {
      for (let i = 0; i < width; i++) assert.equal(after![j * width + i], p[j * width + i], `row ${j} is not listed and must not change`);
    }
    const [zeroed] = sameOnBothBackends(`zeroRows width=${width}`, [p], ([a]) => zeroRows(a!, width, rows));
    for (let j = 0; j < rowsCount; j++) {
      for (let i = 0; i < width; i++) assert.equal(zeroed![j * width + i], rows.includes(j) ? 0 : p[j * width + i]);
    }
  }
});

/** Values with a fraction `special` of ±0, subnormals, huge values, ±∞ and NaN among uniform ones in [−1, 1). */
function withSpecials(r: () => number, n: number, special: number): Float32Array {
  const odd = [0, -0, 2 ** -149, -(2 ** -149), 3e-39, -1e-40, 1e-38, 3e38, -3e38, Infinity, -Infinity, NaN];
  const out = values(r, n);
  for (let i = 0; i < n; i++) if (r() < special) out[i] = odd[Math.floor(r() * odd.length)]!;
  return out;
}

/**
 * `steps` SGD steps from copies of p and buf (buf holds junk before the first step, which must not read it), with
 * a gradient that changes each step; in the kernels' memory when `inHeap`. Returns p and buf after each step.
 */
function sgdSteps(p: Float32Array, g: Float32Array, buf: Float32Array, o: SgdOptions, steps: number, inHeap: boolean): Float32Array[] {
  const copy = (a: Float32Array): Float32Array => (inHeap ? resident(a) : a.slice());
  const P = copy(p), G = copy(g), B = copy(buf);
  if (inHeap) for (const a of [P, G, B]) assert.ok(isWasmResident(a) || getBackend() === 'ref', 'test arrays must live in wasm memory');
  else for (const a of [P, G, B]) assert.ok(!isWasmResident(a), 'test arrays must be ordinary arrays');
  const out: Float32Array[] = [];
  for (let t = 1; t <= steps; t++) {
    if (t > 1) for (let i = 0; i < G.length; i++) G[i] = i % (t + 2) === 0 ? 0 : Math.fround(G[i]! * -0.75 + 0.003 * t);
    sgdGeneral(P, G, o.momentum === 0 && t % 2 === 0 ? null : B, o, t === 1);
    out.push(P.slice(), B.slice());
  }
  return out;
}

/** Every combination of SGD's options, with values whose float32 roundings matter (see the test). */
function sgdCombinations(): SgdOptions[] {
  const all: SgdOptions[] = [];
  for (const momentum of [0, 0.9, 1e-46]) {
    for (const dampening of [0, 0.33]) {
      for (const nesterov of [false, true]) {
        for (const weightDecay of [0, 5e-4, 0.3, 1e-46]) {
          for (const maximize of [false, true]) all.push({ lr: 0.07, momentum, dampening, nesterov, weightDecay, maximize });
        }
      }
    }
  }
  return all;
}

test('sgdGeneral: every option combination matches bit for bit over several steps, resident or not', () => {
  requireWasm();
  // 1 − dampening must be rounded from float64 (f(1 − 0.33) differs from f(1 − f(0.33))); a momentum or weight decay
  // that rounds to float32 0 still takes part (−0 + 0·p is +0, ∞·0 is NaN).
  assert.notEqual(Math.fround(1 - 0.33), Math.fround(1 - Math.fround(0.33)));
  assert.equal(Math.fround(1e-46), 0);
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, ...SIZES.filter((n) => n > 9), 1001];
  for (const o of sgdCombinations()) {
    for (const n of sizes) {
      const r = rng(n * 7 + 3);
      const p = withSpecials(r, n, 0.15);
      const g = withSpecials(r, n, 0.15);
      const buf = withSpecials(r, n, 0.5);
      const label = `sgdGeneral ${JSON.stringify(o)} n=${n}`;
      const ref = withBackend('ref', () => sgdSteps(p, g, buf, o, 4, true));
      for (const inHeap of [true, false]) {
        const wasm = withBackend('wasm', () => sgdSteps(p, g, buf, o, 4, inHeap));
        ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `${label}${inHeap ? '' : ' (not resident)'}, step ${(i >> 1) + 1} ${i % 2 === 0 ? 'p' : 'buf'}`));
      }
    }
  }
});

test('sgdGeneral: a long parameter (160k) matches bit for bit for the usual settings', () => {
  requireWasm();
  const n = 784 * 200 + 3;
  const r = rng(n);
  const p = withSpecials(r, n, 0.01);
  const g = withSpecials(r, n, 0.01);
  const buf = new Float32Array(n);
  for (const o of [
    { lr: 0.01, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false },
    { lr: 0.01, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 5e-4, maximize: false },
    { lr: 0.01, momentum: 0, dampening: 0, nesterov: false, weightDecay: 5e-4, maximize: true },
  ]) {
    const ref = withBackend('ref', () => sgdSteps(p, g, buf, o, 3, true));
    const wasm = withBackend('wasm', () => sgdSteps(p, g, buf, o, 3, true));
    ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `sgdGeneral n=${n} ${JSON.stringify(o)}, array ${i}`));
  }
});

test('sgdGeneral: a gradient or buffer shorter than the parameter is left to the reference, not overrun', () => {
  requireWasm();
  const o = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.01, maximize: false };
  const r = rng(11);
  const p = values(r, 10);
  const fence = values(r, 4);
  const run = (name: 'ref' | 'wasm', gLength: number, bufLength: number): Float32Array[] =>
    withBackend(name, () => {
      // One block of the kernels' memory: the buffer, then floats an overrun would write.
      const block = resident(new Float32Array(bufLength + fence.length));
      block.set(fence, bufLength);
      const B = block.subarray(0, bufLength);
      const P = resident(p);
      const G = resident(p.subarray(0, gLength));
      sgdGeneral(P, G, B, o, true);
      sgdGeneral(P, G, B, o, false);
      return [P.slice(), block.slice()];
    });
  for (const [gLength, bufLength] of [[10, 6], [7, 10]] as const) {
    const ref = run('ref', gLength, bufLength);
    const wasm = run('wasm', gLength, bufLength);
    ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `g ${gLength}, buffer ${bufLength}, array ${i}`));
    assertSameBits(wasm[1]!.subarray(bufLength), fence, 'the floats after the buffer');
  }
});

function scalars(t: number, options: Partial<AdamScalars> & { lr?: number } = {}): AdamScalars {
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const lr = options.lr ?? 0.001;
  return {
    beta1, beta2, eps: options.eps ?? 1e-8, weightDecay: options.weightDecay ?? 0,
    stepSize: lr / (1 - beta1 ** t), bc2Sqrt: Math.sqrt(1 - beta2 ** t),
    amsgrad: options.amsgrad ?? false, maximize: options.maximize ?? false,
  };
}

test('adam: every flag combination matches bit for bit over several steps', () => {
  requireWasm();
  for (const n of SIZES) {
    for (const [name, opts] of [
      ['defaults', {}], ['maximize', { maximize: true }], ['weight decay', { weightDecay: 0.01 }],
      ['amsgrad', { amsgrad: true }], ['all', { maximize: true, weightDecay: 0.1, amsgrad: true, lr: 0.01 }],
      ['no eps', { eps: 0 }], ['lr 0', { lr: 0 }],
    ] as const) {
      const r = rng(n * 31 + name.length);
      const p = values(r, n);
      const g = values(r, n, { zeros: 0.4 });
      const amsgrad = 'amsgrad' in opts && opts.amsgrad === true;
      sameOnBothBackends(`adam ${name} n=${n}`, [p, g, new Float32Array(n), new Float32Array(n), new Float32Array(n)], ([P, G, M, V, X]) => {
        for (let t = 1; t <= 4; t++) {
          for (let i = 0; i < n; i++) G![i] = t % 2 === 0 && i % 3 === 0 ? 0 : Math.fround(G![i]! * 0.7 + 0.01 * t);
          adam(P!, G!, M!, V!, amsgrad ? X! : null, scalars(t, opts));
        }
      });
    }
  }
});

test('adam: tiny and subnormal moments, zero gradients and zero state take the exact paths with the same bits', () => {
  requireWasm();
  const tinyValues = [0, -0, 1e-45, -1e-45, 3e-39, -1.1754942e-38, 1.1754944e-38, 2e-38, -5e-37, 1e-36, 7e-30, 1e-20, 3e-17, 1e-10, 0.25];
  for (const n of [4, 7, 16, 33, 200]) {
    for (let trial = 0; trial < 6; trial++) {
      const r = rng(n * 100 + trial);
      const pick = (): number => tinyValues[Math.floor(r() * tinyValues.length)]!;
      const p = Float32Array.from({ length: n }, () => (trial === 5 ? pick() : 0.01 + r()));
      const g = Float32Array.from({ length: n }, () => (r() < 0.5 ? 0 : pick()));
      const m = Float32Array.from({ length: n }, pick);
      const v = Float32Array.from({ length: n }, () => Math.abs(pick()));
      if (trial === 4) {
        g.fill(0);
        m.fill(0);
        v.fill(0);
      }
      // Early steps, and late ones where √(1−β2ᵗ) is exactly 1 in float32 (the kernels then skip dividing by it).
      for (const opts of [{}, { amsgrad: true }, { weightDecay: 0.5 }, { lr: 0 }]) {
        for (const from of [100, 30000]) {
          sameOnBothBackends(`adam tiny n=${n} trial ${trial} ${JSON.stringify(opts)} from step ${from}`, [p, g, m, v, v], ([P, G, M, V, X]) => {
            for (let t = 1; t <= 3; t++) adam(P!, G!, M!, V!, 'amsgrad' in opts ? X! : null, scalars(from + t, opts));
          });
        }
      }
    }
  }
});

test('adam: a long decay of dark-pixel moments through the subnormal range stays bit-identical', () => {
  requireWasm();
  // One row keeps getting gradient, the others decay from ordinary sizes into subnormals and then to zero.
  const n = 4 * 50;
  const r = rng(99);
  const p = values(r, n);
  const g0 = values(r, n);
  const [P, , M] = sameOnBothBackends('adam decay', [p, new Float32Array(n), new Float32Array(n), new Float32Array(n)], ([P, G, M, V]) => {
    for (let t = 1; t <= 1200; t++) {
      for (let i = 0; i < n; i++) G![i] = t < 5 || i < 4 ? g0[i]! : 0;
      adam(P!, G!, M!, V!, null, scalars(t));
    }
  });
  let subnormal = 0;
  for (const x of M!) if (x !== 0 && Math.abs(x) < 1.1754944e-38) subnormal++;
  let zero = 0;
  for (const x of M!) if (x === 0) zero++;
  assert.ok(subnormal + zero > n / 2, `the test must reach tiny moments (subnormal ${subnormal}, zero ${zero})`);
  assert.ok(P!.every(Number.isFinite));
});

test('adam with a gradient row list: young, old, all-zero and reloaded rows all match the reference bit for bit', () => {
  requireWasm();
  const width = 10;
  const rowsCount = 13;
  const n = width * rowsCount;
  const r = rng(2024);
  const p0 = values(r, n);
  // Row j gets a gradient on steps where it is "lit": some often, some rarely, some never.
  const lit = (j: number, t: number): boolean => j % 4 === 0 || (j % 4 === 1 && t % 97 === 0) || (j % 4 === 2 && t < 3);
  // From step 20,000 on, √(1 − β2ᵗ) is 1 in float32 and the kernel skips that division.
  const run = (name: 'ref' | 'wasm', offset: number): Float32Array[] =>
    withBackend(name, () => {
      const [P, G, M, V] = [resident(p0), resident(new Float32Array(n)), resident(new Float32Array(n)), resident(new Float32Array(n))];
      let m = M!;
      let v = V!;
      for (let t = 1; t <= 900; t++) {
        G!.fill(0);
        const rows: number[] = [];
        for (let j = 0; j < rowsCount; j++) {
          if (!lit(j, t)) continue;
          rows.push(j);
          for (let i = 0; i < width; i++) G![j * width + i] = Math.fround(Math.sin(t * 0.37 + j + i * 0.11) * 1e-3);
        }
        if (t === 600) {
          // Restored state in new buffers (as loadStateDict makes): rows once all-zero now hold values.
          m = resident(m.map((x, i) => (x === 0 ? Math.fround(1e-4 * (1 + (i % 3))) : x)));
          v = resident(v.map((x, i) => (x === 0 ? Math.fround(1e-7 * (1 + (i % 5))) : x)));
        }
        adam(P!, G!, m, v, null, scalars(t + offset), Int32Array.from(rows), width);
        if (t === 860) subnormals += m.filter((x) => x !== 0 && Math.abs(x) < 1.1754944e-38).length;
      }
      return [P!.slice(), m.slice(), v.slice()];
    });
  let subnormals = 0;
  for (const offset of [0, 20000]) {
    const ref = run('ref', offset);
    const wasm = run('wasm', offset);
    ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `offset ${offset}, array ${i}`));
  }
  assert.ok(subnormals > 0, 'the rarely lit rows must decay into subnormal moments');
});

test('adam with a row list: long-dark rows (moments through the subnormals to zero, −0, NaN, tiny v, zero p) match bit for bit', () => {
  requireWasm();
  const width = 38; // 9 vectors and a tail of 2
  const rowsCount = 18;
  const n = width * rowsCount;
  const r = rng(4242);
  const fill = (row: number, f: (i: number) => number, a: Float32Array): void => {
    for (let i = 0; i < width; i++) a[row * width + i] = f(i);
  };
  const p0 = values(r, n);
  const m0 = new Float32Array(n);
  const v0 = new Float32Array(n);
  const sign = (i: number): number => (i % 3 === 0 ? -1 : 1);
  fill(3, (i) => (i % 7 === 0 ? (i % 2 ? -0 : 0) : sign(i) * (1 + i) * 1e-42), m0); // subnormal m, ±0 lanes
  fill(3, () => 1e-6, v0);
  p0[3 * width + 2] = 1e-40; // weights too small for an m at its fixed point not to move them
  p0[3 * width + 9] = -3e-41;
  fill(4, () => -0, m0); // m = −0 everywhere: becomes +0
  fill(4, (i) => (1 + i) * 1e-7, v0);
  fill(5, (i) => sign(i) * 1e-30, m0); // a NaN weight
  fill(5, () => 1e-6, v0);
  p0[5 * width + 6] = NaN;
  fill(6, (i) => sign(i) * 1.2e-38 * (1 + i / 8), m0); // m in the smallest normals, and a NaN v
  fill(6, () => 1e-6, v0);
  v0[6 * width + 3] = NaN;
  fill(7, (i) => sign(i) * 1e-30, m0); // tiny and subnormal v
  fill(7, (i) => (i % 2 ? 1e-37 : 3e-41), v0);
  fill(8, (i) => sign(i) * 1e-40, m0); // zero weights
  fill(8, () => 1e-6, v0);
  fill(8, (i) => (i % 2 ? 0 : -0), p0);
  fill(9, (i) => (i % 2 ? sign(i) * 1e-39 : sign(i) * 1e-20), m0); // normal and subnormal lanes mixed
  fill(9, () => 1e-8, v0);
  // m at its fixed point from the start, v through the subnormals: down to its own fixed point (K ≤ 500 for
  // β2 = 0.999), at it already (a −0 is written in later), and mixed with tiny normal lanes.
  const unit = 2 ** -149;
  fill(10, (i) => sign(i) * 3 * unit, m0);
  // Odd lanes in the lowest binade of normals, [2^-126, 2^-125), whose ulp is 2^-149 like the subnormals'.
  fill(10, (i) => (i % 2 === 0 ? 600 + 7 * i : 2 ** 23 + 1000 * i) * unit, v0);
  fill(11, (i) => sign(i) * 4 * unit, m0);
  fill(11, () => 500 * unit, v0);
  fill(12, (i) => sign(i) * 2 * unit, m0);
  fill(12, (i) => (i % 3 === 0 ? 1e-30 : i % 3 === 1 ? 3e-38 : 2 ** 22 * unit), v0);
  // Row 13, lit every 100th step with tiny gradients (a faint pixel late in training): squares absorbed by v,
  // one subnormal g, one v too small to absorb a subnormal square (2^-118 against (1−β2)·2^-130), and a zero
  // weight, which a tiny m moves; then m decays through the tiny range while the row is young. (The kernel looks
  // for tiny gradients at its 1st, 17th, 33rd… step and after one that found some: t = 1, 401, 801, 1201 here.)
  fill(13, (i) => (i === 3 ? 2 ** -118 : 1e-6), v0);
  p0[13 * width + 7] = 0;
  // Row 14, lit at every step, with a lane in five whose gradient is +0 (a saturated hidden unit passes none) and
  // whose m is tiny: dark lanes in a lit row. Beside them, tiny m with a plain gradient, and a zero weight.
  fill(14, (i) => (i % 5 <= 1 ? sign(i) * 1e-37 * (1 + i) : 1e-4), m0);
  fill(14, () => 1e-6, v0);
  p0[14 * width + 10] = 0;
  // Rows 15 (lit every third step, young between) and 16 (lit at every step): dark lanes, one in five, whose m
  // and v are both tiny (v through the subnormals too), beside lanes that move; a zero weight under a dark lane.
  for (const row of [15, 16]) {
    fill(row, (i) => (i % 5 === 0 ? sign(i) * 1e-38 * (1 + i) : 1e-4), m0);
    fill(row, (i) => (i % 5 === 0 ? (i % 10 === 0 ? 1e-39 : 1e-37) : 1e-6), v0);
  }
  p0[16 * width + 15] = 0;
  // Row 17, never lit, m = +0 until step 1250, when small negative and positive m and a plain v are written in: a
  // still row whose m decays through the subnormals, to ±0 where β1 ≤ 1/2 (RNE(−1·2^-149·β1) is −0, and the update's
  // ⊕ +0 makes it +0), while its v stays plain to the end (with β2 = 0.6, 1e-6 takes 140 steps to become tiny).
  fill(17, () => 1e-6, v0);
  const darkLane = (j: number, i: number): boolean => (j === 14 || j === 15 || j === 16) && i % 5 === 0;
  const tinyGrad = (i: number, t: number): number =>
    i === 5 ? 1e-40 : i === 3 ? 2 ** -65 * (1 + (t % 7)) : sign(i) * 1e-30 * (1 + i) * (1 + (t % 7));
  // Row 0 has a gradient every step, as have 14 and 16; row 15 every third, row 1 every 50th, row 13 every 100th, row 2
  // only at first; the others never.
  const lit = (j: number, t: number): boolean =>
    j === 0 || j === 14 || j === 16 || (j === 15 && t % 3 === 0) || (j === 1 && t % 50 === 0) || (j === 13 && t % 100 === 1)
    || (j === 2 && t < 3);
  // Adam's defaults at two points of training, then other hyper-parameters (their own fixed points, constants
  // outside the masked-square shortcut's conditions, eps = 0, lr = 0), where only the agreement is checked.
  const settings: { offset: number; hyper: Partial<AdamScalars> & { lr?: number } }[] = [
    { offset: 0, hyper: {} },
    { offset: 20000, hyper: {} },
    { offset: 0, hyper: { beta1: 0.5, beta2: 0.6 } },
    { offset: 0, hyper: { beta1: 0.99, beta2: 0.9999, eps: 0 } },
    { offset: 0, hyper: { beta1: 0, beta2: 0.3, lr: 0.1 } },
    { offset: 0, hyper: { lr: 0 } },
  ];
  for (const { offset, hyper } of settings) {
    const run = (name: 'ref' | 'wasm'): Float32Array[] =>
      withBackend(name, () => {
        const [P, G, M, V] = [resident(p0), resident(new Float32Array(n)), resident(m0), resident(v0)];
        for (let t = 1; t <= 1300; t++) {
          G!.fill(0);
          const rows: number[] = [];
          for (let j = 0; j < rowsCount; j++) {
            if (!lit(j, t)) continue;
            rows.push(j);
            for (let i = 0; i < width; i++) {
              const plain = Math.cos(t * 0.21 + j + i * 0.3) * 1e-3;
              G![j * width + i] = Math.fround(j === 13 ? tinyGrad(i, t) : darkLane(j, i) ? 0 : plain);
            }
          }
          if (t === 900) {
            // Written from outside (as a user may write an optimizer's state): a −0 among moments at their fixed
            // point (it decays to +0), and one just above it (5·2^-149 decays to 4·2^-149).
            M![3 * width + 1] = -0;
            M![9 * width + 4] = 5 * 2 ** -149;
            V![11 * width + 5] = -0;
            V![11 * width + 7] = NaN; // in a row long at its fixed points: its weight becomes NaN
          }
          if (t === 1250) {
            for (let i = 0; i < width; i++) {
              M![17 * width + i] = [-3 * 2 ** -149, 3 * 2 ** -149, -1e-39, 0][i % 4]!;
              V![17 * width + i] = 1e-6;
            }
          }
          adam(P!, G!, M!, V!, null, scalars(t + offset, hyper), Int32Array.from(rows), width);
        }
        return [P!.slice(), M!.slice(), V!.slice()];
      });
    const ref = run('ref');
    const wasm = run('wasm');
    ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `offset ${offset}, ${JSON.stringify(hyper)}, array ${i}`));
    if (hyper.beta1 === 0.5) {
      const row17 = ref[1]!.subarray(17 * width, 18 * width);
      assert.ok(row17.every((x) => Object.is(x, 0)), `row 17's m ends at +0 with β1 = 0.5: ${row17.join(' ')}`);
    }
    if (Object.keys(hyper).length > 0) continue;
    // The test reaches what it is about. A subnormal m decays to ±4·2^-149 and stays (RNE(4·0.9) = 4); −0 becomes +0.
    const [P, M] = ref;
    const tiniest = 4 * 2 ** -149;
    assert.ok(M!.subarray(3 * width, 4 * width).every((x) => Math.abs(x) <= tiniest), `row 3 ends at the fixed point: ${M!.subarray(3 * width, 4 * width).join(' ')}`);
    assert.ok(M!.subarray(3 * width, 4 * width).some((x) => x !== 0), 'row 3 keeps non-zero m');
    assert.ok(M!.subarray(4 * width, 5 * width).every((x) => Object.is(x, 0)), 'row 4 ends with m = +0');
    assert.ok(Number.isNaN(P![5 * width + 6]!));
    assert.ok(Object.is(M![3 * width + 1], 0), 'the −0 written into row 3 became +0');
    assert.equal(M![9 * width + 4], 4 * 2 ** -149);
    const V = ref[2]!;
    const row10 = V.subarray(10 * width, 11 * width).filter((_, i) => i % 2 === 0);
    assert.ok(row10.every((x) => x <= 500 * unit) && row10.some((x) => x === 500 * unit), `row 10's v ends at its fixed point: ${row10.join(' ')}`);
    assert.ok(Object.is(V[11 * width + 5], 0) && V[11 * width + 6] === 500 * unit, 'row 11: −0 became +0, 500·2^-149 stayed');
    assert.ok(Number.isNaN(P![11 * width + 7]!) && !Number.isNaN(P![11 * width + 8]!), 'row 11: the NaN written into v made its weight NaN');
  }
});

test('adam: the shortcuts stand aside where their proof does not hold (state written from outside, extreme settings)', () => {
  requireWasm();
  const F = (a: number[]): Float32Array => Float32Array.from(a);
  const bits = (b: number): number => new Float32Array(new Int32Array([b]).buffer)[0]!;
  const justBelow = bits(((127 - 123) << 23) | 0x7fffff); // subnormal intermediates round by 2^-150, not relatively
  // Each case: row 1's p, m, v (lane 0 a dark lane with a tiny m, so the vector takes the tiny-value paths), and the
  // step's settings; g is +0 there. Row 0 has a plain gradient and plain state.
  const cases: { label: string; p: number[]; m: number[]; v: number[]; t: number; hyper: Partial<AdamScalars> & { lr?: number } }[] = [
    { label: 'a negative v', p: [1, 1, 1, 1], m: [1e-40, 1e-3, 1e-3, 1e-3], v: [-1, 1e-6, 1e-6, 1e-6], t: 5, hyper: {} },
    { label: 'a negative v, plain m', p: [1, 1, 1, 1], m: [1e-30, 1e-30, 1e-30, 1e-30], v: [-1, 1e-6, 1e-6, 1e-6], t: 5, hyper: {} },
    { label: 'p = ∞ with m/denom overflowing', p: [1, Infinity, 1, 1], m: [1e-40, 1e30, 1e-3, 1e-3], v: [1e-6, 1e-40, 1e-6, 1e-6], t: 1, hyper: { lr: 1 } },
    { label: 'β2 = 1 (bc2 = 0)', p: [1, 1, 1, 1], m: [1e-40, 1e-30, 1e-30, 1e-30], v: [0, 1e-6, 1e-6, 1e-6], t: 5, hyper: { beta2: 1 } },
    { label: 'v = ∞ with β2 = 0', p: [1, 1, 1, 1], m: [1e-40, 1e-3, 1e-3, 1e-3], v: [Infinity, 1e-6, 1e-6, 1e-6], t: 5, hyper: { beta2: 0 } },
    { label: 'v = ∞ with β2 = 0, m at its fixed point', p: [1, 1, 1, 1], m: [4 * 2 ** -149, -(2 ** -149), 0, 3 * 2 ** -149], v: [Infinity, 1e-6, 1e-6, 1e-6], t: 5, hyper: { beta2: 0 } },
    { label: 'subnormal intermediates', p: [justBelow, 1, 1, 1], m: [2 ** -149, 1e-30, 1e-30, 1e-30], v: [0, 1e-6, 1e-6, 1e-6], t: 5, hyper: { eps: 1.9, lr: 5 * (1 - 0.9 ** 5) } },
    { label: 'm/denom overflowing under a tiny step', p: [1, 3e38, 1, 1], m: [1e-40, 5e31, 1e-30, 1e-30], v: [1e-6, 1e-40, 1e-6, 1e-6], t: 20000, hyper: { lr: 1e-9 } },
  ];
  // Outside Adam's own checks (the optimizer refuses β ≥ 1), at the kernel: with 1 − β2 < 0, a tiny gradient's square
  // is not absorbed by v (here v·β2 = 2^-99 minus 2^-120 is a float of its own), and a zero gradient adds −0, which
  // keeps a moment of −0 (row 1, not listed); an infinite β makes NaN of a plain moment.
  for (const hyper of [{ beta2: 2 }, { beta1: 2 }, { beta1: 1e39 }]) {
    const state = [
      F([1, 1, 1, 1, 1, 1, 1, 1]), F([2 ** -60, 1e-3, 1e-3, 1e-3, 0, 0, 0, 0]),
      F([1e-3, 1e-3, 1e-3, 1e-3, -0, -0, 1e-3, 1e-3]), F([2 ** -100, 1e-6, 1e-6, 1e-6, -0, -0, 1e-6, 1e-6]),
    ];
    sameOnBothBackends(`${JSON.stringify(hyper)}, a tiny gradient and −0 moments`, state, (a) => {
      adam(a[0]!, a[1]!, a[2]!, a[3]!, null, { ...scalars(5), ...hyper });
      adam(a[0]!, a[1]!, a[2]!, a[3]!, null, { ...scalars(6), ...hyper, bc2Sqrt: 1 }, Int32Array.from([0]), 4);
      adam(a[0]!, a[1]!, a[2]!, a[3]!, null, { ...scalars(7), ...hyper, bc2Sqrt: 1 }, Int32Array.from([0, 7, -1]), 4);
    });
  }
  const width = 4;
  for (const c of cases) {
    const state = [F([1, 1, 1, 1, 1, 1, 1, 1]), F([1e-3, 1e-3, 1e-3, 1e-3, 0, 0, 0, 0]), F([1e-3, 1e-3, 1e-3, 1e-3, 0, 0, 0, 0]), F([1e-6, 1e-6, 1e-6, 1e-6, 0, 0, 0, 0])];
    const write = ([P, , M, V]: Float32Array[]): void => {
      P!.set(c.p, width);
      M!.set(c.m, width);
      V!.set(c.v, width);
    };
    // Flat arrays; a young row (written before its first step without gradient); an old row (written after 300);
    // and the same values in a row with a gradient of +0 in lane 0.
    sameOnBothBackends(`${c.label}, flat`, state, (a) => {
      write(a);
      adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(c.t, c.hyper));
    });
    sameOnBothBackends(`${c.label}, young row`, state, (a) => {
      write(a);
      adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(c.t, c.hyper), Int32Array.from([0]), width);
    });
    sameOnBothBackends(`${c.label}, old row`, state, (a) => {
      for (let t = 1; t <= 300; t++) adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(t), Int32Array.from([0]), width);
      write(a);
      adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(c.t, c.hyper), Int32Array.from([0]), width);
    });
    sameOnBothBackends(`${c.label}, row with a gradient`, state, (a) => {
      write(a);
      a[1]!.set([0, 1e-3, 1e-3, 1e-3], width);
      adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(c.t, c.hyper), Int32Array.from([0, 1]), width);
    });
  }
});

test('adam with a row list: the same buffers with another row width start their row ages afresh; rows out of range are ignored', () => {
  requireWasm();
  const n = 400;
  const m0 = new Float32Array(n).fill(1e-3);
  for (let i = 0; i < n; i += 8) m0[i] = 1e-40;
  const state = [new Float32Array(n).fill(1), new Float32Array(n), m0, new Float32Array(n).fill(1e-6)];
  let guard: Float32Array | null = null;
  sameOnBothBackends('width 4, then 400', state, (a) => {
    for (let t = 1; t <= 2; t++) adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(t), new Int32Array(0), 4);
    guard = resident(new Float32Array(256).fill(12345)); // placed after the first width's bookkeeping
    for (let t = 3; t <= 40; t++) adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(t), new Int32Array(0), 400);
    assert.ok(guard.every((x) => x === 12345), 'nothing written outside the kernel\'s own words');
  });
  // Row indices out of range name no row: the kernel writes nothing for them.
  sameOnBothBackends('row indices out of range', state, (a) => {
    adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(1), Int32Array.from([0]), 4);
    const after = resident(new Float32Array(4096).fill(12345));
    const wild = Int32Array.from({ length: 20000 }, (_, i) => (i === 0 ? 0 : 100 + i));
    adam(a[0]!, a[1]!, a[2]!, a[3]!, null, scalars(2), wild, 4);
    assert.ok(after.every((x) => x === 12345), 'nothing written for rows that do not exist');
  });
});

test('ordinary arrays (outside the WebAssembly memory) are updated with the same bits as resident ones', () => {
  requireWasm();
  const n = 37;
  const r = rng(7);
  const p = values(r, n);
  const g = values(r, n, { zeros: 0.3 });
  const run = (name: 'ref' | 'wasm', place: (a: Float32Array) => Float32Array): Float32Array[] =>
    withBackend(name, () => {
      const [P, G, M, V, X] = [p, g, new Float32Array(n), new Float32Array(n), new Float32Array(n)].map(place);
      for (let t = 1; t <= 3; t++) {
        sgd(P!, G!, 0.01, null, 0);
        adam(P!, G!, M!, V!, X!, scalars(t, { amsgrad: true, weightDecay: 0.1 }));
        adam(P!, G!, M!, V!, null, scalars(t), Int32Array.from([0, 2]), 10);
        scale(P!, 0.999);
      }
      return [P!, M!, V!, X!].map((a) => a.slice());
    });
  const ref = run('ref', (a) => a.slice());
  const plain = run('wasm', (a) => a.slice());
  const inWasm = run('wasm', resident);
  ref.forEach((a, i) => {
    assertSameBits(plain[i]!, a, `ordinary array ${i}`);
    assertSameBits(inWasm[i]!, a, `resident array ${i}`);
  });
});

test('fixedSubnormals: the subnormals K·2^-149 that a zero-gradient moment update RNE(x·β) leaves unchanged', () => {
  // Independent of the function's own loop: the product K·β rounded to an integer, ties to even.
  const rne = (x: number): number => {
    const f = Math.floor(x);
    const d = x - f;
    return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  };
  for (const beta of [0.9, 0.999, 0.99, 0.75, 0.5, 0]) {
    const b = Math.fround(beta);
    const k = fixedSubnormals(beta);
    for (let K = 1; K <= k; K++) assert.equal(rne(K * b), K, `β ${beta}: K = ${K} is a fixed point`);
    assert.notEqual(rne((k + 1) * b), k + 1, `β ${beta}: K = ${k + 1} is not`);
  }
  assert.equal(fixedSubnormals(0.9), 4);
  assert.equal(fixedSubnormals(0.999), 500);
});

test('sgdOuter (plain SGD from a one-sample gradient\'s factors) gives the bits of setOuterRows then sgd over the rows, on both backends', () => {
  requireWasm();
  for (const width of [1, 3, 4, 7, 10, 16, 17, 33, 200]) {
    const r = rng(width * 7 + 1);
    const nrows = 11;
    const p = values(r, width * nrows, { lo: -2, hi: 2 });
    const G = values(r, width, { zeros: 0.2 });
    // Signed zeros, a subnormal, a huge value and a NaN among the factors.
    G[0] = -0;
    p[0] = -0; // −0 + lr·(0 + x·(−0)) is −0; without the + 0 it would be +0
    if (width > 2) G[2] = 1e-40;
    const rows = Int32Array.from([0, 2, 3, 5, 10]);
    const vals = Float32Array.from([0.5, -1.25, 3e-39, 1e30, Number.NaN]);
    const fused = sameOnBothBackends(`sgdOuter width ${width}`, [p], ([a]) => sgdOuter(a!, width, rows, vals, G, 0.01));
    const written = sameOnBothBackends(`setOuterRows + sgd width ${width}`, [p, new Float32Array(width * nrows)], ([a, g]) => {
      setOuterRows(g!, width, rows, vals, G);
      sgd(a!, g!, 0.01, rows, width);
    });
    assertSameBits(fused[0]!, written[0]!, `width ${width}: fused against written out`);
    // Rows not listed stay as they were.
    for (let q = 0; q < nrows; q++) {
      if (rows.includes(q)) continue;
      assertSameBits(fused[0]!.subarray(q * width, (q + 1) * width), p.subarray(q * width, (q + 1) * width), `width ${width}: row ${q}`);
    }
  }
});

test('adamFactored (a one-sample gradient given by its factors) matches adam over the written-out gradient on the reference, bit for bit', () => {
  requireWasm();
  for (const width of [13, 16, 200]) {
    const rowsCount = 29;
    const n = width * rowsCount;
    const r = rng(width + 77);
    const p0 = values(r, n);
    // Input j is non-zero on some steps: often, rarely, early only or never; values of both signs, some tiny, −0 too.
    const input = (j: number, t: number): number =>
      j % 5 === 0 || (j % 5 === 1 && t % 89 === 0) || (j % 5 === 2 && t < 4) ? Math.fround(Math.sin(t * 0.7 + j) * (j % 7 === 3 ? 1e-25 : 1)) : j % 5 === 3 ? -0 : 0;
    const G = (t: number): Float32Array => Float32Array.from({ length: width }, (_, i) => (i % 9 === 4 ? 0 : Math.fround(Math.cos(t * 0.13 + i) * 1e-3)));
    const run = (name: 'ref' | 'wasm', offset: number): { arrays: Float32Array[]; factored: number } =>
      withBackend(name, () => {
        const [P, M, V] = [resident(p0), resident(new Float32Array(n)), resident(new Float32Array(n))];
        let factored = 0;
        for (let t = 1; t <= 700; t++) {
          const x = Float32Array.from({ length: rowsCount }, (_, j) => input(j, t));
          const { rows, vals } = sparseVector(x);
          const g = G(t);
          if (name === 'wasm' && adamFactored(P!, M!, V!, scalars(t + offset), rows, width, vals, g)) {
            factored++;
            continue;
          }
          const written = resident(new Float32Array(n));
          setOuterRows(written, width, rows, vals, g);
          adam(P!, written, M!, V!, null, scalars(t + offset), rows, width);
        }
        return { arrays: [P!.slice(), M!.slice(), V!.slice()], factored };
      });
    for (const offset of [0, 20000]) {
      const ref = run('ref', offset);
      const wasm = run('wasm', offset);
      assert.equal(wasm.factored, 700, `width ${width}: every wasm step took the factors`);
      assert.equal(withBackend('ref', () => adamFactored(resident(p0), resident(p0), resident(p0), scalars(1), new Int32Array(0), width, new Float32Array(0), G(1))), false, 'the reference has no factored kernel');
      ref.arrays.forEach((a, i) => assertSameBits(wasm.arrays[i]!, a, `width ${width}, offset ${offset}, array ${i}`));
    }
  }
});

test('adamFactored with tiny gradients: squares that v absorbs, and squares that still count where v is small, match bit for bit', () => {
  requireWasm();
  // Late in training a hidden unit's gradient can be tiny (|g| < 2^-58): its square times 1−β2 is subnormal. Where
  // v ≥ 2^-100 that square cannot change v's rounding; where v is smaller it does. Lanes, by i % 4: a plain gradient
  // throughout; plain until step 50, then tiny (v large by then); tiny from the start (v stays tiny); zero.
  const tiny = 2 ** -65;
  for (const width of [13, 200]) {
    const rowsCount = 7;
    const n = width * rowsCount;
    const p0 = values(rng(width + 5), n);
    const G = (t: number): Float32Array => Float32Array.from({ length: width }, (_, i) =>
      Math.fround([Math.cos(t * 0.13 + i) * 1e-3, t <= 50 ? 1e-3 : -tiny * (1 + (t % 3)), tiny * (1 + (t % 5)), 0][i % 4]!));
    const run = (name: 'ref' | 'wasm'): Float32Array[] =>
      withBackend(name, () => {
        const [P, M, V] = [resident(p0), resident(new Float32Array(n)), resident(new Float32Array(n))];
        for (let t = 1; t <= 300; t++) {
          // Every row lit, with inputs of 1, one half, and a row lit every other step.
          const x = Float32Array.from({ length: rowsCount }, (_, j) => (j === 6 && t % 2 === 0 ? 0 : j % 2 ? 0.5 : 1));
          const { rows, vals } = sparseVector(x);
          const g = G(t);
          if (name === 'wasm' && adamFactored(P!, M!, V!, scalars(t), rows, width, vals, g)) continue;
          const written = resident(new Float32Array(n));
          setOuterRows(written, width, rows, vals, g);
          adam(P!, written, M!, V!, null, scalars(t), rows, width);
        }
        return [P!.slice(), M!.slice(), V!.slice()];
      });
    const ref = run('ref');
    const wasm = run('wasm');
    ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `width ${width}, array ${i}`));
    // The test reaches what it is about: lane 1's v is large, lane 2's is tiny but not zero (the squares counted).
    const V = ref[2]!;
    assert.ok(V[1]! >= 2 ** -100, `lane 1's v: ${V[1]}`);
    assert.ok(V[2]! > 0 && V[2]! < 2 ** -100, `lane 2's v: ${V[2]}`);
  }
});

test('owed rows: weights walking down onto and through a power of two while dark match the reference bit for bit', () => {
  requireWasm();
  // Rows dark for up to 999 steps owe their updates (defer), paid at the end by settleAdam. While a row is dark its
  // update u shrinks by about 0.9 a step, so every lane crosses ulp(p)/2 and ulp(p)/4 at some owed step. With a
  // step size of 2^-22, u starts at 25 ulps of weights near ±1/4, some of which start 200–296 ulps above it and walk
  // down onto it: a weight exactly on a power of two has half the spacing below it, so it still moves toward zero
  // for |u| in (ulp/4, ulp/2), where a weight elsewhere stays (an owed payment that took a shortcut there would
  // differ; one was tried on 2026-11-30, see docs/speed.md).
  const width = 8;
  const rowsCount = 24;
  const n = width * rowsCount;
  const periods = [150, 170, 200, 230, 255, 300, 999, 2];
  const ulp = 2 ** -25;
  // The first lane of each vector walks onto ±1/4; the other three stay within [1/4, 1/2), with the same ulp.
  const p0 = Float32Array.from({ length: n }, (_, k) => Math.fround((k % 2 === 0 ? 1 : -1) * (k % 4 === 0 ? 0.25 + ulp * (200 + ((k * 13) % 97)) : 0.4 + ulp * k)));
  // Gradients of the sign that moves each weight toward zero.
  const G = (t: number): Float32Array => Float32Array.from({ length: width }, (_, i) => Math.fround((i % 2 === 0 ? 1 : -1) * 1e-3 * (1 + 0.25 * Math.sin(t * 0.31 + i))));
  const lit = (j: number, t: number): boolean => t === 1 || t % periods[j % periods.length]! === 1;
  const run = (name: 'ref' | 'wasm', offset: number): { arrays: Float32Array[]; halfMoves: number } =>
    withBackend(name, () => {
      const [P, M, V] = [resident(p0), resident(new Float32Array(n)), resident(new Float32Array(n))];
      let halfMoves = 0;
      for (let t = 1; t <= 1100; t++) {
        const x = Float32Array.from({ length: rowsCount }, (_, j) => (lit(j, t) ? 1 : 0));
        const { rows, vals } = sparseVector(x);
        const g = G(t);
        const s = scalars(t + offset, { lr: 2 ** -22 * (1 - 0.9 ** (t + offset)) });
        if (name === 'wasm') {
          assert.ok(adamFactored(P!, M!, V!, s, rows, width, vals, g, true, true), 'the row kernel takes it');
          continue;
        }
        const before = P!.slice();
        const written = resident(new Float32Array(n));
        setOuterRows(written, width, rows, vals, g);
        adam(P!, written, M!, V!, null, s, rows, width);
        // Moves from a power of two down by the finer spacing on a dark step with |u| < ulp/2: the ones a skip
        // below ulp/2 would lose (u from the step's own moments, in float64).
        for (let k = 0; k < n; k++) {
          const b = Math.abs(before[k]!);
          if (x[Math.floor(k / width)] !== 0 || Math.log2(b) % 1 !== 0 || Math.abs(P![k]! - before[k]!) !== b * 2 ** -24) continue;
          const u = (s.stepSize * M![k]!) / (Math.sqrt(V![k]!) / s.bc2Sqrt + s.eps);
          if (Math.abs(u) < b * 2 ** -24) halfMoves++;
        }
      }
      if (name === 'wasm') settleAdam(M!);
      return { arrays: [P!.slice(), M!.slice(), V!.slice()], halfMoves };
    });
  let halfMoves = 0;
  for (const offset of [0, 20000]) {
    const ref = run('ref', offset);
    const wasm = run('wasm', offset);
    ref.arrays.forEach((a, i) => assertSameBits(wasm.arrays[i]!, a, `offset ${offset}, array ${i}`));
    halfMoves += ref.halfMoves;
  }
  assert.ok(halfMoves > 0, 'some weight on a power of two must move by the finer spacing below it on a dark step, with |u| < ulp/2');
});
