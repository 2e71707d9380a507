// pow and relu against PyTorch's bits (fixtures/torch/pow.json, from make_pow.py): pow with a number for its
// exponent, where PyTorch's kernel special-cases 0, 1, ±0.5, ±1, 2, 3 and −2; C's pow for a tensor exponent (1^NaN
// is 1); relu keeping −0 and NaN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getBackend, pow, setBackend, tensor, wasmAvailable, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface ScalarCase { exponent: number; out: number[]; grad: number[] }
interface Fixture {
  x: number[];
  upstream: number[];
  scalar: ScalarCase[];
  tensor: { base: number[]; exponent: number[]; out: number[]; scalarBase1: number[] };
  relu: { out: number[]; grad: number[] };
  short: { x: number[]; cases: { exponent: number; out: number[] }[] };
}

const fx = loadFixture<Fixture>('pow.json');

/** A float32 tensor from bit patterns. */
function fromBits(b: number[], requiresGrad = false): Tensor {
  return tensor(new Float32Array(Uint32Array.from(b).buffer), [b.length], { requiresGrad });
}

function bitsOf(t: Tensor | null): Uint32Array {
  assert.ok(t !== null, 'no tensor');
  return new Uint32Array(Float32Array.from(t.toArray()).buffer);
}

const isNaNBits = (b: number): boolean => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0;
const asFloat = (b: number): number => new Float32Array(Uint32Array.of(b).buffer)[0]!;

/** Every value has PyTorch's bits (any NaN matches any NaN). */
function assertSameBits(actual: Uint32Array, expected: number[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (isNaNBits(e) && isNaNBits(a)) continue;
    assert.equal(a, e, `${label}[${i}] (x = ${asFloat(fx.x[i] ?? 0)}): got ${asFloat(a)} (0x${a.toString(16)}), PyTorch has ${asFloat(e)} (0x${e.toString(16)})`);
  }
}

/**
 * The same bits up to the sign of a zero. A leaf's first gradient differs from PyTorch's there: Kindling adds it into
 * a zeroed buffer (so −0 becomes +0), as PyTorch adds every gradient after `zero_grad()`, where PyTorch's first one is
 * the gradient itself.
 */
function assertGradBits(actual: Uint32Array, expected: number[], label: string): void {
  const noZeroSign = (b: number): number => (b === 0x80000000 ? 0 : b);
  assertSameBits(actual.map(noZeroSign), expected.map(noZeroSign), label);
}

/** Within `rtol` of PyTorch's values where finite and non-zero; the same infinity, NaN or zero elsewhere. */
function assertCloseValues(actual: Uint32Array, expected: number[], rtol: number, label: string): void {
  for (let i = 0; i < expected.length; i++) {
    const a = asFloat(actual[i]!);
    const e = asFloat(expected[i]!);
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) || e === 0) assert.ok(a === e, `${label}[${i}]: got ${a}, PyTorch has ${e}`);
    else assert.ok(Math.abs(a - e) <= rtol * Math.abs(e), `${label}[${i}] (x = ${asFloat(fx.x[i]!)}): got ${a}, PyTorch has ${e}`);
  }
}

test('pow.json holds every exponent PyTorch special-cases, and values that are not a multiple of the vector width', () => {
  for (const e of [0, 1, 0.5, -0.5, -1, 2, 3, -2]) assert.ok(fx.scalar.some((c) => c.exponent === e), `exponent ${e}`);
  assert.ok(fx.x.length % 8 !== 0);
  assert.ok(fx.x.some(isNaNBits) && fx.x.includes(0x80000000) && fx.x.includes(0xff800000), 'NaN, −0 and −∞ among the inputs');
});

// The exponents PyTorch computes with its own arithmetic: the same bits. Their gradients use x^(e−1): the same bits
// where e − 1 is special-cased too (0.5 → −0.5, −1 → −2, 2 → 1, 3 → 2, 1 → 0). Other exponents go to PyTorch's
// vectorised powf (its scalar tail takes the exponent in float64): within the golden tests' usual 1e-5.
const SPECIAL = [0, 1, 0.5, -0.5, -1, 2, 3, -2];
const EXACT_GRAD = new Set([0, 1, 0.5, -1, 2, 3]);
for (const c of fx.scalar) {
  const special = SPECIAL.includes(c.exponent);
  const exactGrad = EXACT_GRAD.has(c.exponent);
  test(`x.pow(${c.exponent}): ${special ? 'PyTorch\'s bits' : 'within 1e-5 of PyTorch'}, and its gradient ${exactGrad ? 'PyTorch\'s bits' : 'within 1e-5'}`, () => {
    const x = fromBits(fx.x, true);
    const y = x.pow(c.exponent);
    if (special) assertSameBits(bitsOf(y), c.out, `pow(${c.exponent})`);
    else assertCloseValues(bitsOf(y), c.out, 1e-5, `pow(${c.exponent})`);
    y.backward(fromBits(fx.upstream));
    if (exactGrad) assertGradBits(bitsOf(x.grad), c.grad, `grad of pow(${c.exponent})`);
    else assertCloseValues(bitsOf(x.grad).map((b) => (b === 0x80000000 ? 0 : b)), c.grad.map((b) => (b === 0x80000000 ? 0 : b)), 1e-5, `grad of pow(${c.exponent})`);
  });
}

test('pow with another exponent takes it in float64, as PyTorch\'s scalar loop does: [1e30].pow(1/3) is 1e10, [-1].pow(16777217) is -1', () => {
  const x = fromBits(fx.short.x);
  for (const c of fx.short.cases) assertSameBits(bitsOf(x.pow(c.exponent)), c.out, `pow(${c.exponent}) of a short tensor`);
  assert.equal(fx.short.cases.length, 4);
});

test('pow with a tensor exponent follows C\'s pow: 1^y = 1 for a NaN or infinite y, (−1)^±∞ = 1', () => {
  const { base, exponent, out, scalarBase1 } = fx.tensor;
  assertSameBits(bitsOf(fromBits(base).pow(fromBits(exponent))), out, 'pow(base, exponent)');
  assertSameBits(bitsOf(pow(1, fromBits(exponent))), scalarBase1, 'pow(1, exponent)');
});

for (const backend of ['wasm', 'ref'] as const) {
  test(`relu keeps −0 and NaN as PyTorch's clamp_min does (${backend} kernels)`, (t) => {
    if (backend === 'wasm' && !wasmAvailable()) return t.skip('the WebAssembly kernels are not built');
    const before = getBackend();
    setBackend(backend);
    try {
      const x = fromBits(fx.x, true);
      const y = x.relu();
      assertSameBits(bitsOf(y), fx.relu.out, 'relu');
      y.backward(fromBits(fx.upstream));
      assertGradBits(bitsOf(x.grad), fx.relu.grad, 'grad of relu');
    } finally {
      setBackend(before);
    }
  });
}
