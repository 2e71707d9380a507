// RMSprop's and Adagrad's WebAssembly kernels (assembly/optim-more.ts) against the reference (ref/optim-more.ts), bit
// for bit, for every combination of their options, sizes that are not multiples of four, special values, and sums
// that land exactly halfway between two float32 values in float64, where a fused multiply-add must not round twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adagrad, rmsprop, type AdagradScalars, type RmspropScalars } from '../../src/kernels/optim-more.js';
import { fmaf } from '../../src/kernels/ref/fmaf.js';
import { assertSameBits, requireWasm, resident, rng, SIZES, values, withBackend } from './helpers.js';

const f = Math.fround;
const FLT_MAX = f(3.4028234663852886e38);
/** 1 + 2^-23 (an odd last bit) and 2^-24·(1 − 2^-23): fmaf(ODD, NEAR_HALF_ULP, ODD) is halfway in float64 but not exactly. */
const ODD = f(1 + 2 ** -23);
const NEAR_HALF_ULP = f(2 ** -24 * (1 - 2 ** -23));

test('fmaf rounds once where the float64 sum is halfway, and past the largest float32 as the FMA instruction does', () => {
  // The exact sum is 1 + 2^-23 + 2^-24 − 2^-70: below the midpoint, so 1 + 2^-23; rounding the float64 sum (the
  // midpoint itself) to float32 would give 1 + 2^-22, by ties to even.
  assert.equal(fmaf(ODD, NEAR_HALF_ULP, ODD), ODD);
  assert.equal(f(ODD * NEAR_HALF_ULP + ODD), f(1 + 2 ** -22));
  assert.equal(fmaf(-ODD, NEAR_HALF_ULP, -ODD), -ODD);
  // An exact tie goes to even, as the instruction's.
  assert.equal(fmaf(1, f(2 ** -24), ODD), f(1 + 2 ** -22));
  // Just below halfway from the largest float32 to 2^128: the largest float32 (glibc's fmaf gives 0x1.fffffep+127),
  // where the float64 sum is that halfway point and rounds to ∞; just above it, ∞.
  const below = f(2 ** 103 * (1 - 2 ** -23));
  const above = f(2 ** 103 * (1 + 2 ** -23));
  assert.equal(fmaf(ODD, below, FLT_MAX), FLT_MAX);
  assert.equal(fmaf(-ODD, below, -FLT_MAX), -FLT_MAX);
  assert.equal(fmaf(ODD, above, FLT_MAX), Infinity);
  assert.equal(fmaf(FLT_MAX, 2, 0), Infinity);
  assert.ok(Number.isNaN(fmaf(Infinity, 0, 1)));
});

/** n values with a share of awkward ones: signed zeros, subnormals, huge, infinite, NaN, and the halfway makers. */
function mixed(r: () => number, n: number, special: number): Float32Array {
  const odd = [0, -0, 2 ** -149, -(2 ** -149), 3e-39, -1e-40, 1e-38, 3e38, -3e38, Infinity, -Infinity, NaN, ODD, -ODD, FLT_MAX];
  const out = values(r, n);
  for (let i = 0; i < n; i++) if (r() < special) out[i] = odd[Math.floor(r() * odd.length)]!;
  return out;
}

/** Every combination of RMSprop's options; weight decay NEAR_HALF_ULP makes d = fma(p, wd, g) halfway where p = g = ODD. */
function rmspropCombinations(): RmspropScalars[] {
  const all: RmspropScalars[] = [];
  for (const momentum of [0, 0.9]) {
    for (const centered of [false, true]) {
      for (const weightDecay of [0, 5e-4, NEAR_HALF_ULP, 1e-46]) {
        for (const maximize of [false, true]) all.push({ lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay, momentum, centered, maximize });
      }
    }
  }
  all.push({ lr: 3, alpha: 0.3, eps: 0, weightDecay: 0, momentum: 0, centered: true, maximize: false });
  return all;
}

const SIZES_MORE = [1, 2, 3, 4, 5, 6, 7, 8, 9, ...SIZES.filter((n) => n > 9), 1001];

/** Seeded p and g with awkward values, and the halfway makers p = ODD, g = ±ODD (with wd NEAR_HALF_ULP) every fifth lane. */
function paramsAndGrads(r: () => number, n: number): [Float32Array, Float32Array] {
  const p = mixed(r, n, 0.15);
  const g = mixed(r, n, 0.15);
  for (let i = 0; i < n; i += 5) {
    p[i] = ODD;
    g[i] = i % 10 === 0 ? ODD : -ODD;
  }
  return [p, g];
}

/** Runs `steps` steps of `update` from copies of `arrays` (in the kernels' memory when `inHeap`), returning every array after each step. */
function steps(arrays: Float32Array[], count: number, inHeap: boolean, update: (a: Float32Array[], t: number) => void): Float32Array[] {
  const copies = arrays.map((a) => (inHeap ? resident(a) : a.slice()));
  const out: Float32Array[] = [];
  for (let t = 1; t <= count; t++) {
    update(copies, t);
    for (const c of copies) out.push(c.slice());
  }
  return out;
}

/**
 * Runs three steps of `update` on the wasm backend (on arrays in the kernels' memory and on ordinary ones) and on the
 * reference, and checks every array after every step has the same bits.
 */
function sameAsReference(label: string, arrays: Float32Array[], update: (a: Float32Array[], t: number) => void): void {
  const run = (inHeap: boolean): Float32Array[] => steps(arrays, 3, inHeap, update);
  const ref = withBackend('ref', () => run(true));
  for (const inHeap of [true, false]) {
    const wasm = withBackend('wasm', () => run(inHeap));
    const k = arrays.length;
    ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `${label}${inHeap ? '' : ' (not resident)'}, step ${Math.floor(i / k) + 1}, array ${i % k}`));
  }
}

test('rmsprop: every option combination matches the reference bit for bit over several steps, resident or not', () => {
  requireWasm();
  for (const o of rmspropCombinations()) {
    for (const n of SIZES_MORE) {
      const r = rng(n * 13 + 5);
      const [p, g] = paramsAndGrads(r, n);
      const v = values(r, n, { lo: 0, hi: 1e-3, zeros: 0.3 });
      const buf = mixed(r, n, 0.1);
      const avg = values(r, n, { lo: -1e-2, hi: 1e-2 });
      sameAsReference(`rmsprop ${JSON.stringify(o)} n=${n}`, [p, g, v, buf, avg], ([P, G, V, B, M], t) => {
        if (t > 1) for (let i = 0; i < G!.length; i++) G![i] = i % (t + 2) === 0 ? 0 : f(G![i]! * -0.75 + 0.003 * t);
        rmsprop(P!, G!, V!, o.momentum > 0 ? B! : null, o.centered ? M! : null, o);
      });
    }
  }
});

test('adagrad: every option combination matches the reference bit for bit over several steps, resident or not', () => {
  requireWasm();
  for (const weightDecay of [0, 1e-4, NEAR_HALF_ULP]) {
    for (const maximize of [false, true]) {
      for (const eps of [1e-10, 0]) {
        const o: AdagradScalars = { eps, weightDecay, maximize };
        for (const n of SIZES_MORE) {
          const r = rng(n * 17 + 1);
          const [p, g] = paramsAndGrads(r, n);
          const sum = values(r, n, { lo: 0, hi: 0.1, zeros: 0.3 });
          sameAsReference(`adagrad ${JSON.stringify(o)} n=${n}`, [p, g, sum], ([P, G, S], t) => {
            if (t > 1) for (let i = 0; i < G!.length; i++) G![i] = i % (t + 2) === 0 ? -0 : f(G![i]! * 0.5 - 0.001 * t);
            adagrad(P!, G!, S!, 0.01 / (1 + (t - 1) * 0.1), o);
          });
        }
      }
    }
  }
});

test('the halfway lanes are reached, in the normal and the subnormal range: d = fma(p, wd, g) is rounded once', () => {
  requireWasm();
  // Centered with alpha 0, grad_avg ← fma(d, 1, 0·grad_avg) = d: the step leaves d itself there.
  const dAfterStep = (p: number, wd: number, g: number): number => {
    const o: RmspropScalars = { lr: 0.01, alpha: 0, eps: 1e-8, weightDecay: wd, momentum: 0, centered: true, maximize: false };
    const n = 7; // one vector and a tail of three
    const P = resident(new Float32Array(n).fill(p));
    const avg = resident(new Float32Array(n));
    rmsprop(P, new Float32Array(n).fill(g), resident(new Float32Array(n)), null, avg, o);
    for (let i = 1; i < n; i++) assert.ok(Object.is(avg[i], avg[0]), `lane ${i} as lane 0`);
    return avg[0]!;
  };
  // Normal range: 1 + 2^-23 + 2^-24 − 2^-70 exactly, halfway in float64.
  // Subnormal range: the largest subnormal (odd) + 2^-150 − 2^-196, halfway to 2^-126 in float64 (its pattern is
  // not the normal range's, so only the subnormal test in mayBeHalfway catches it).
  const tiny = { p: f(2 ** -60 * (1 + 2 ** -23)), wd: f(2 ** -90 * (1 - 2 ** -23)), g: f(2 ** -126 - 2 ** -149) };
  for (const [label, c] of [['normal', { p: ODD, wd: NEAR_HALF_ULP, g: ODD }], ['subnormal', tiny]] as const) {
    const once = fmaf(c.p, c.wd, c.g);
    assert.equal(once, c.g, `${label}: the exact sum is below the midpoint`);
    assert.notEqual(f(c.p * c.wd + c.g), once, `${label}: rounding twice must give the other float32`);
    assert.equal(withBackend('ref', () => dAfterStep(c.p, c.wd, c.g)), once, `${label}: reference`);
    assert.equal(withBackend('wasm', () => dAfterStep(c.p, c.wd, c.g)), once, `${label}: wasm`);
  }
});

/**
 * A gradient that is +0 outside `lit` rows of `width` (the contract of a row list), with the state's dark rows holding
 * what may stop a row from staying: −0, NaN, a negative value, +∞, or +0 (which stays only with eps > 0).
 */
function sparseCase(seed: number, nrows: number, width: number, lit: number[], dark: number): { p: Float32Array; g: Float32Array; state: Float32Array } {
  const r = rng(seed);
  const n = nrows * width;
  const p = mixed(r, n, 0.05);
  const g = new Float32Array(n);
  for (const row of lit) if (row >= 0 && row < nrows) for (let j = 0; j < width; j++) g[row * width + j] = r() < 0.1 ? 0 : f(r() * 2 - 1);
  const state = values(r, n, { lo: 0, hi: 1e-3, zeros: 0.2 });
  const odd = [-0, NaN, -1e-3, Infinity, 0, 2 ** -149];
  for (let i = 0; i < n; i++) if (r() < dark) state[i] = odd[Math.floor(r() * odd.length)]!;
  for (let i = 0; i < n; i += 11) p[i] = -0;
  return { p, g, state };
}

test('rmsprop and adagrad over listed rows: the rows outside the list stay (or take the full update) with the reference bits', () => {
  requireWasm();
  const lists: number[][] = [[], [0], [2, 0, 2], [1, 3, 5], [4, 99, -1], [0, 1, 2, 3, 4, 5]];
  for (const width of [1, 3, 4, 7, 8, 13, 200]) {
    for (const [li, lit] of lists.entries()) {
      for (const dark of [0, 0.01, 0.3]) {
        const nrows = 6;
        const c = sparseCase(width * 131 + li * 7 + Math.round(dark * 100), nrows, width, lit, dark);
        const rows = Int32Array.from(lit);
        for (const eps of [1e-8, 0]) {
          for (const lr of [0.01, 0, 3e38]) {
            const o: RmspropScalars = { lr, alpha: 0.99, eps, weightDecay: 0, momentum: 0, centered: false, maximize: false };
            sameAsReference(`rmsprop rows ${JSON.stringify(lit)} width=${width} dark=${dark} eps=${eps} lr=${lr}`, [c.p, c.g, c.state], ([P, G, V], t) => {
              if (t > 1) for (const row of lit) if (row >= 0 && row < nrows) G![row * width] = f(0.5 / t);
              rmsprop(P!, G!, V!, null, null, o, rows, width);
            });
            const a: AdagradScalars = { eps, weightDecay: 0, maximize: false };
            sameAsReference(`adagrad rows ${JSON.stringify(lit)} width=${width} dark=${dark} eps=${eps} lr=${lr}`, [c.p, c.g, c.state], ([P, G, S], t) => {
              adagrad(P!, G!, S!, lr / (1 + (t - 1) * 0.5), a, rows, width);
            });
          }
        }
        // Options the row kernels leave to the full one (they change dark rows): the same bits either way.
        for (const extra of [{ maximize: true }, { weightDecay: 0.01 }, { momentum: 0.9 }, { centered: true }, { lr: -0 }]) {
          const o: RmspropScalars = { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...extra };
          sameAsReference(`rmsprop rows ${JSON.stringify(extra)} width=${width}`, [c.p, c.g, c.state, c.state, c.state], ([P, G, V, B, M]) => {
            rmsprop(P!, G!, V!, B!, M!, o, rows, width);
          });
        }
      }
    }
  }
});

test('the row kernels skip the rows outside the list: a non-zero gradient there is not applied (so the list matters)', () => {
  requireWasm();
  // Outside the list g must be +0; given a non-zero one there, the row kernel leaves that row alone, where the full
  // kernel updates it: the difference shows that the fast path ran.
  const width = 8;
  const p = new Float32Array(2 * width).fill(0.5);
  const g = new Float32Array(2 * width).fill(0.25);
  const o: AdagradScalars = { eps: 1e-10, weightDecay: 0, maximize: false };
  const rowRun = withBackend('wasm', () => {
    const P = resident(p);
    adagrad(P, resident(g), resident(new Float32Array(2 * width)), 0.1, o, Int32Array.from([0]), width);
    return P.slice();
  });
  const full = withBackend('ref', () => {
    const P = p.slice();
    adagrad(P, g.slice(), new Float32Array(2 * width), 0.1, o);
    return P;
  });
  assertSameBits(rowRun.subarray(0, width), full.subarray(0, width), 'the listed row');
  assert.deepEqual([...rowRun.subarray(width)], new Array(width).fill(0.5), 'the row outside the list is left as it was');
  assert.notEqual(full[width], 0.5);
});
