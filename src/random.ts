/**
 * Seeded random numbers. The generator is a Mersenne Twister (mt19937) seeded exactly as PyTorch's CPU generator,
 * and `uniform` reproduces PyTorch's float32 `uniform_` bit for bit, so `manualSeed(s)` followed by `new
 * nn.Linear(784, 200)` gives the same initial weights as `torch.manual_seed(s); nn.Linear(784, 200)`.
 * Never `Math.random`.
 */
const N = 624;
const M = 397;

/** PyTorch's default seed when none is set (`torch.initial_seed()` of a fresh process). */
export const DEFAULT_SEED = 67280421310721;

export interface GeneratorState {
  readonly seed: number;
  readonly mt: number[];
  readonly index: number;
  readonly nextNormal: number | null;
}

export class Generator {
  private readonly mt = new Uint32Array(N);
  private index = N;
  private seedValue = 0;
  private nextNormal: number | null = null;

  constructor(seed: number = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator (only the low 32 bits feed mt19937, as in PyTorch). */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`manualSeed: seed must be a non-negative integer, got ${seed}`);
    this.seedValue = seed;
    const mt = this.mt;
    mt[0] = seed % 0x100000000;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
    this.nextNormal = null;
    return this;
  }

  initialSeed(): number {
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

  /** A standard normal value (Box–Muller on two uniforms). Seeded and repeatable; not bit-identical to torch.randn. */
  normal(mean = 0, std = 1): number {
    if (this.nextNormal !== null) {
      const z = this.nextNormal;
      this.nextNormal = null;
      return z * std + mean;
    }
    const u1 = 1 - (this.nextUint32() * 2 ** -32 + this.nextUint32() * 2 ** -64);
    const u2 = this.nextUint32() * 2 ** -32;
    const r = Math.sqrt(-2 * Math.log(u1));
    this.nextNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2) * std + mean;
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

let defaultGenerator = new Generator();

/** The generator used when none is passed explicitly. */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/** Seeds the default generator, like `torch.manual_seed`. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
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
