/**
 * Seeded random numbers. The generator is a Mersenne Twister (mt19937) seeded exactly as PyTorch's CPU generator,
 * and `uniform` reproduces PyTorch's float32 `uniform_` bit for bit, so `manualSeed(s)` followed by `new
 * nn.Linear(784, 200)` gives the same initial weights as `torch.manual_seed(s); nn.Linear(784, 200)`.
 * `normalFill` (behind `randn`) reproduces PyTorch 1.13's CPU `normal_` on a float32 tensor bit for bit, as its
 * AVX2 kernels compute it (see `normalFill`). Never `Math.random`.
 */
import { fmaf } from './kernels/ref/fmaf.js';

const N = 624;
const M = 397;

/**
 * The seed of a generator made without one: PyTorch's `torch.Generator()` default. The global generator starts from it
 * too, so a script that never calls `manualSeed` draws the same numbers every run, where PyTorch seeds its default
 * generator differently in each process (same seed, same results: Kindling's runs repeat).
 */
export const DEFAULT_SEED = 67280421310721;

export interface GeneratorState {
  readonly seed: number | bigint;
  readonly mt: number[];
  readonly index: number;
  readonly nextNormal: number | null;
}

export class Generator {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private seedValue: number | bigint = 0;
  private nextNormal: number | null = null;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the generator. As PyTorch's, the seed is a 64-bit integer: any integer from −2^63 to 2^64 − 1 (a number
   * or a bigint), a negative one taken modulo 2^64 (−1 is 2^64 − 1), and only its low 32 bits feed mt19937.
   */
  manualSeed(seed: number | bigint): this {
    const wrapped = seed64(seed);
    this.seedValue = wrapped <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(wrapped) : wrapped;
    const mt = this.mt;
    mt[0] = Number(wrapped & 0xffffffffn);
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
    this.nextNormal = null;
    return this;
  }

  /** The seed, as PyTorch's `initial_seed()`: from 0 to 2^64 − 1, a bigint when above 2^53 − 1. */
  initialSeed(): number | bigint {
    return this.seedValue;
  }

  /** The next raw 32-bit output of mt19937. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A float32 value uniform in [from, to), computed exactly as PyTorch's CPU `uniform_` on a float tensor. */
  uniform(from: number, to: number): number {
    const lo = Math.fround(from);
    const span = Math.fround(Math.fround(to) - lo);
    const x = (this.nextUint32() & 0xffffff) * 5.9604644775390625e-8; // 2^-24
    return Math.fround(x * span + lo);
  }

  /**
   * A float64 value uniform in [0, 1), as PyTorch's CPU generator draws doubles (its `bernoulli_`, and `rand` of a
   * double tensor): 53 bits from two 32-bit outputs, the first one's low 21 bits on top.
   */
  uniform64(): number {
    const hi = this.nextUint32() & 0x1fffff;
    const lo = this.nextUint32();
    return (hi * 0x100000000 + lo) * 1.1102230246251565e-16; // 2^-53
  }

  /**
   * One normal value as PyTorch's scalar `at::normal_distribution<double>` draws it (its `normal_` on fewer than 16
   * values, or on a non-contiguous tensor): Box–Muller in float64 on two `uniform64` draws, u1 for the angle and
   * u2 for the radius; the sine half is kept for the next call, as PyTorch keeps it in its generator. Written into a
   * float32 tensor the value is PyTorch's bit for bit (checked against torch 1.13; float64 `Math.log`/`cos`/`sin`
   * may differ from glibc's in a last float64 bit, which the rounding to float32 hides). z·std + mean is two
   * float64 roundings here and perhaps one FMA in PyTorch's build: the same float32 in every case tried.
   */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.nextNormal !== null) {
      z = this.nextNormal;
      this.nextNormal = null;
    } else {
      const u1 = this.uniform64();
      const u2 = this.uniform64();
      const r = Math.sqrt(-2 * Math.log(1 - u2));
      const theta = 2 * Math.PI * u1;
      this.nextNormal = r * Math.sin(theta);
      z = r * Math.cos(theta);
    }
    return z * std + mean;
  }

  /**
   * Fills `out` with normal values exactly as PyTorch 1.13's CPU `normal_(mean, std)` fills a contiguous float32
   * tensor of the same length (`torch.randn(n)` is `normal_(0, 1)`).
   *
   * Under 16 values PyTorch draws each one with the scalar `normal` above. From 16 on it first fills the tensor with
   * float32 uniforms (the values `torch.rand(n)` would give), then turns each block of 16 into normals in place:
   * value j and j + 8 (j < 8) come from u1 = 1 − data[j] and u2 = data[j + 8] by Box–Muller in float32
   * (`normalBlock`). When n is not a multiple of 16 it then draws 16 fresh uniforms and recomputes the last 16
   * values from them, overwriting the tail of the last full block. The scalar path's cached value is neither used
   * nor changed here.
   *
   * The float32 Box–Muller is the one PyTorch's AVX2 kernel (`normal_fill_AVX2`) computes, which is the one this
   * machine's PyTorch runs: log and sin/cos are the Cephes polynomials of `avx_mathfun.h`, with every
   * multiply-then-add that GCC fused into one FMA instruction fused here too (`fmaf`). PyTorch's own non-AVX2
   * build (`ATEN_CPU_CAPABILITY=default`) uses libm's `logf`/`sinf`/`cosf` instead, and its values differ from
   * these in the last bit for about 4 in 10 values.
   */
  normalFill(out: Float32Array, mean = 0, std = 1): void {
    const n = out.length;
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
      return;
    }
    const m = Math.fround(mean);
    const s = Math.fround(std);
    for (let i = 0; i < n; i++) out[i] = this.uniform(0, 1);
    for (let i = 0; i + 16 <= n; i += 16) normalBlock(out, i, m, s);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = this.uniform(0, 1);
      normalBlock(out, n - 16, m, s);
    }
  }

  /** An integer uniform in [0, n), without modulo bias. */
  randint(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`randint: bound must be an integer in 1..2^32, got ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const v = this.nextUint32();
      if (v < limit) return v % n;
    }
  }

  /**
   * Runs `draw` over this generator's raw mt19937 state (its 624 words, which it may advance in place, and the index
   * of the next word), taking the index it returns: for a kernel that draws many values at once exactly as
   * `nextUint32` would. @internal
   */
  drawWith(draw: (mt: Uint32Array, index: number) => number): void {
    const index = draw(this.mt, this.index);
    if (!Number.isInteger(index) || index < 0 || index > N) throw new RangeError(`Generator.drawWith: the draw left index ${index}, outside 0..${N}`);
    this.index = index;
  }

  getState(): GeneratorState {
    return { seed: this.seedValue, mt: Array.from(this.mt), index: this.index, nextNormal: this.nextNormal };
  }

  setState(state: GeneratorState): void {
    if (!Array.isArray(state.mt) || state.mt.length !== N) throw new RangeError(`Generator.setState: expected ${N} state words, got ${Array.isArray(state.mt) ? state.mt.length : typeof state.mt}`);
    if (!Number.isInteger(state.index) || state.index < 0 || state.index > N) throw new RangeError(`Generator.setState: index must be an integer in 0..${N}, got ${String(state.index)}`);
    if (!state.mt.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) throw new RangeError('Generator.setState: state words must be 32-bit unsigned integers');
    this.mt.set(state.mt);
    this.index = state.index;
    this.seedValue = state.seed;
    this.nextNormal = state.nextNormal;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      let v = mt[(i + M) % N]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }
}

/** `seed` as PyTorch's generators take it: an integer in [−2^63, 2^64), negative ones modulo 2^64. */
function seed64(seed: unknown): bigint {
  const integer = typeof seed === 'bigint' || (typeof seed === 'number' && Number.isInteger(seed));
  const big = integer ? BigInt(seed as number | bigint) : 0n;
  if (!integer || big < -(2n ** 63n) || big >= 2n ** 64n) {
    const shown = typeof seed === 'bigint' ? `${seed}n` : typeof seed === 'number' ? String(seed) : `a ${typeof seed}`;
    throw new RangeError(`manualSeed: seed must be an integer from -2^63 to 2^64 - 1 (a number or a bigint; a negative one counts modulo 2^64, as in PyTorch), got ${shown}`);
  }
  return BigInt.asUintN(64, big);
}

let defaultGenerator = new Generator();

/**
 * The generator an option names (`where` for the error): the default one when none is given, undefined or null
 * (PyTorch's `generator=None`).
 */
export function generatorOf(where: string, g: unknown): Generator {
  if (g === undefined || g === null) return getDefaultGenerator();
  if (!(g instanceof Generator)) {
    const what = typeof g === 'object' ? 'an object' : typeof g === 'string' ? `the string ${JSON.stringify(g)}` : `the ${typeof g} ${String(g)}`;
    throw new TypeError(`${where}: generator must be a Generator (new Generator(seed)), got ${what}`);
  }
  return g;
}

/** The generator used when none is passed explicitly. */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/** Seeds the default generator, like `torch.manual_seed`. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** The default generator's seed, as PyTorch's `torch.initial_seed()`. */
export function initialSeed(): number | bigint {
  return defaultGenerator.initialSeed();
}

/**
 * Seeds the default generator with a non-deterministic 64-bit seed (from the platform's cryptographic random source)
 * and returns it, as PyTorch's `torch.seed()`.
 */
export function seed(): number | bigint {
  const words = globalThis.crypto.getRandomValues(new Uint32Array(2));
  defaultGenerator.manualSeed((BigInt(words[0]!) << 32n) | BigInt(words[1]!));
  return defaultGenerator.initialSeed();
}

/**
 * The default generator's state, as PyTorch's `torch.get_rng_state()`: give it back to `setRngState` to draw the
 * same values again. (PyTorch's is a ByteTensor of mt19937's words; Kindling's the same words as a plain object.)
 */
export function getRngState(): GeneratorState {
  return defaultGenerator.getState();
}

/** Restores the default generator's state from `getRngState()`, as PyTorch's `torch.set_rng_state`. */
export function setRngState(state: GeneratorState): void {
  defaultGenerator.setState(state);
}

/** Runs `fn` with `gen` as the default generator, restoring the previous one afterwards. */
export function withGenerator<T>(gen: Generator, fn: () => T): T {
  const saved = defaultGenerator;
  defaultGenerator = gen;
  try {
    return fn();
  } finally {
    defaultGenerator = saved;
  }
}

// ---- float32 arithmetic of PyTorch's AVX2 normal kernel ----
//
// `normal_fill_16_AVX2` (aten/src/ATen/native/cpu/DistributionTemplates.h) with `log256_ps` and `sincos256_ps`
// (aten/src/ATen/native/cpu/avx_mathfun.h, Cephes polynomials), computed one lane at a time. Every step is a float32
// operation (a float64 + − × or sqrt of float32 values, then `Math.fround`: rounding twice gives the float32 result
// for these) or a float32 FMA where GCC 12 contracted the header's separate multiply and add into one (GCC fuses by
// default, -ffp-contract=fast, and its intrinsics are plain vector * and +). `node scripts/check-randn-kernel.mjs`
// compares logf32 and sincosf32 with a g++ -O2 -mavx2 -mfma build of the header on all 2^24 inputs randn can give
// them (none differs); test/golden/randn.test.ts compares randn with torch 1.13's.

const fr = Math.fround;
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

const SQRT_HALF = fr(0.707106781186547524);
// log(1 + x) ≈ x − x²/2 + x³·P(x), for x in [√½ − 1, √2 − 1).
const LOG_P = [7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(fr);
// ln 2 split in two: LN2_HI has few bits, so e·LN2_HI is exact.
const LN2_LO = fr(-2.1219444e-4);
const LN2_HI = fr(0.693359375);

/** `log256_ps` on one lane, for a float32 x in [2^-24, 1] (so no zero, negative or subnormal input to handle). */
export function logf32(x: number): number {
  F32[0] = x;
  const bits = U32[0]!;
  let e = (bits >>> 23) - 126; // the binary exponent + 1: x = m·2^e with m in [0.5, 1)
  U32[0] = (bits & 0x807fffff) | 0x3f000000;
  const m = F32[0]!;
  let t: number;
  if (m < SQRT_HALF) {
    e -= 1;
    t = fr(m - 1 + m); // m − 1 is exact; the kernel adds m to it
  } else {
    t = m - 1; // exact
  }
  const z = fr(t * t);
  let y = LOG_P[0]!;
  for (let k = 1; k < LOG_P.length; k++) y = fmaf(y, t, LOG_P[k]!);
  y = fr(y * t);
  y = fmaf(y, z, fr(e * LN2_LO)); // GCC fused y·z into the add, not e·LN2_LO
  y = fr(y - z * 0.5); // z·0.5 is exact
  return fr(fr(t + y) + e * LN2_HI); // e·LN2_HI is exact
}

const FOUR_OVER_PI = fr(1.27323954473516);
// π/4 split in three (negated) for the range reduction.
const DP1 = fr(-0.78515625);
const DP2 = fr(-2.4187564849853515625e-4);
const DP3 = fr(-3.77489497744594108e-8);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(fr);
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(fr);
/** `sincos256_ps` on one lane, for a float32 x ≥ 0 (the kernel's angles lie in [0, 2π)): out = [sin x, cos x]. */
export function sincosf32(x: number, out: Float64Array): void {
  const j = (Math.trunc(fr(x * FOUR_OVER_PI)) + 1) & ~1; // the even octant nearest x·4/π
  let r = fmaf(j, DP1, x);
  r = fmaf(j, DP2, r);
  r = fmaf(j, DP3, r); // x − j·π/4, in [−π/4, π/4]
  const z = fr(r * r);
  let c = fmaf(COS_P[0]!, z, COS_P[1]!);
  c = fmaf(c, z, COS_P[2]!);
  c = fr(c * z);
  c = fr(fmaf(c, z, -fr(z * 0.5)) + 1); // GCC fused c·z into the subtraction of z/2
  let s = fmaf(SIN_P[0]!, z, SIN_P[1]!);
  s = fmaf(s, z, SIN_P[2]!);
  s = fr(s * z);
  s = fmaf(s, r, r);
  // Octants 2 and 6 swap the two polynomials. The kernel selects by masking and adding +0, which turns −0 into
  // +0, then flips signs by octant.
  const swap = (j & 2) !== 0;
  const sin = (swap ? c : s) + 0;
  const cos = (swap ? s : c) + 0;
  out[0] = j & 4 ? -sin : sin;
  out[1] = (j - 2) & 4 ? cos : -cos;
}

const TWO_PI = fr(2 * Math.PI);
const SINCOS = new Float64Array(2);

/**
 * `normal_fill_16_AVX2`: turns the 16 uniforms at data[at..at+16) into normals in place, value k and k + 8 from the
 * pair (1 − data[at+k], data[at+k+8]), then n·std + mean as one FMA.
 */
function normalBlock(data: Float32Array, at: number, mean: number, std: number): void {
  for (let k = at; k < at + 8; k++) {
    const u1 = fr(1 - data[k]!);
    const u2 = data[k + 8]!;
    const radius = fr(Math.sqrt(-2 * logf32(u1))); // float64 sqrt of a float32, rounded: the float32 sqrt
    sincosf32(fr(TWO_PI * u2), SINCOS);
    data[k] = fmaf(fr(radius * SINCOS[1]!), std, mean);
    data[k + 8] = fmaf(fr(radius * SINCOS[0]!), std, mean);
  }
}
