// PyTorch 1.13's CPU samplers that draw a varying number of values per element, ported step by step so that after
// the same seed the samples are PyTorch's: torch.poisson (the product of uniforms below rate 10, Hörmann's
// transformed rejection from 10 on), the standard gamma of torch._standard_gamma (Marsaglia and Tsang's method,
// boosted below concentration 1; float32 concentrations, float64 arithmetic where PyTorch's is) and the Dirichlet
// samples of torch._sample_dirichlet (float64 gammas, normalized). Elements are drawn in row-major order, one after
// another, as PyTorch's serial CPU loops draw them.
import { dirichletGrad } from '../kernels/ref/dirichlet-grad.js';
import { standardGammaGrad } from '../kernels/ref/standard-gamma-grad.js';
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { lgamma } from '../kernels/ref/gamma.js';
import { checkOptions, describeValue } from '../options.js';
import { generatorOf, getDefaultGenerator, type Generator } from '../random.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expand } from './view.js';

const f = Math.fround;
const FLT_MIN = 1.1754943508222875e-38;
const DBL_MIN = 2.2250738585072014e-308;
const FLT_EPSILON = 2 ** -23;
const THIRD_F = f(1 / 3);
const C0331_F = f(0.0331);

/** One Poisson(λ) draw, as PyTorch's `sample_poisson`. */
function samplePoisson(lambda: number, gen: Generator): number {
  if (lambda >= 10) {
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = gen.uniform64() - 0.5;
      const V = gen.uniform64();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - lgamma(k + 1)) return k;
    }
  }
  if (lambda === 0) return 0;
  const enlam = Math.exp(-lambda);
  let x = 0;
  let prod = 1;
  for (;;) {
    prod *= gen.uniform64();
    if (prod > enlam) x += 1;
    else return x;
  }
}

/**
 * One standard gamma draw, as PyTorch's `sample_gamma`. `single`: a float32 concentration (torch._standard_gamma of a
 * float tensor: the concentration's own steps in float32); otherwise float64 throughout (torch._sample_dirichlet).
 */
function sampleGamma(concentration: number, gen: Generator, single: boolean): number {
  let alpha = concentration;
  let scale = 1;
  if (alpha < 1) {
    if (alpha === 0) return 0;
    scale *= Math.pow(1 - gen.uniform64(), single ? f(1 / alpha) : 1 / alpha);
    alpha = single ? f(alpha + 1) : alpha + 1;
  }
  const d = single ? f(alpha - THIRD_F) : alpha - THIRD_F;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let y: number;
    do {
      x = gen.normal();
      y = 1 + c * x;
    } while (y <= 0);
    const v = y * y * y;
    const u = 1 - gen.uniform64();
    const xx = x * x;
    if (u < 1 - C0331_F * xx * xx) return scale * d * v;
    if (Math.log(u) < 0.5 * xx + d * (1 - v + Math.log(v))) return scale * d * v;
  }
}

function generatorFrom(op: string, options: { generator?: Generator | null } | undefined): Generator {
  const o = checkOptions<{ generator?: Generator | null }>(op, options, ['generator']);
  return o.generator === undefined || o.generator === null ? getDefaultGenerator() : generatorOf(op, o.generator);
}

function checkInput(op: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describeValue(t)}`);
}

/**
 * A tensor of Poisson draws with the rates of `rates`, as `torch.poisson` (seeded as PyTorch's: the same values after
 * the same `manualSeed`). Its gradient is zero, as PyTorch's PoissonBackward0.
 * @throws RangeError for a negative rate (PyTorch's check).
 */
export function poisson(rates: Tensor, options?: { generator?: Generator | null }): Tensor {
  checkInput('poisson', rates);
  const gen = generatorFrom('poisson', options);
  const r = rates.values();
  const out = new Float32Array(r.length);
  for (let i = 0; i < r.length; i++) {
    if (!(r[i]! >= 0)) throw new RangeError(`poisson: invalid Poisson rate, expected rate to be non-negative (PyTorch's check); got ${r[i]} at element ${i}`);
    out[i] = samplePoisson(r[i]!, gen);
  }
  const zeros = (): Tensor[] => [new Tensor(new Float32Array(r.length), rates.shape)];
  return twice(record(new Tensor(out, rates.shape), 'poisson', [rates], zeros, [], 'PoissonBackward0'), zeros);
}

/** Standard gamma draws Γ(concentration, 1), one per element, as `torch._standard_gamma` of a float32 tensor (no gradient). */
export function standardGamma(concentration: Tensor, gen: Generator = getDefaultGenerator()): Tensor {
  const a = concentration.values();
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.max(FLT_MIN, f(sampleGamma(a[i]!, gen, true)));
  // The reparameterised gradient (StandardGammaBackward0): g · ∂x/∂α, PyTorch's _standard_gamma_grad of α and the draw.
  return record(new Tensor(out, concentration.shape), 'standardGamma', [concentration], (g) => {
    const gv = g.values();
    const gx = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) gx[i] = gv[i]! * standardGammaGrad(a[i]!, out[i]!);
    return [new Tensor(gx, concentration.shape)];
  }, [concentration], 'StandardGammaBackward0');
}

/**
 * Dirichlet draws along the last dimension of `concentration`, as `torch._sample_dirichlet`: float64 gammas (at least
 * the smallest normal float64), each divided by their row's sum, rounded to float32 and kept inside
 * [smallest normal float32, 1 − ε]; recorded with PyTorch's reparameterised gradient for the concentration.
 */
export function sampleDirichlet(concentration: Tensor, gen: Generator = getDefaultGenerator()): Tensor {
  const a = concentration.values();
  const k = concentration.shape[concentration.ndim - 1] ?? 1;
  const gamma = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) gamma[i] = Math.max(DBL_MIN, sampleGamma(a[i]!, gen, false));
  const out = new Float32Array(a.length);
  for (let row = 0; row < a.length; row += k) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += gamma[row + j]!;
    for (let j = 0; j < k; j++) out[row + j] = Math.min(Math.max(f(gamma[row + j]! / sum), FLT_MIN), f(1 - FLT_EPSILON));
  }
  // The reparameterised gradient (PyTorch's _Dirichlet backward): _dirichlet_grad(x, α, Σα) · (g − Σ x·g) by rows.
  return record(new Tensor(out, concentration.shape), 'dirichlet', [concentration], (g) => {
    const gv = g.values();
    const gx = new Float32Array(a.length);
    for (let row = 0; row < a.length; row += k) {
      let total = 0;
      let dot = 0;
      for (let j = 0; j < k; j++) {
        total = f(total + a[row + j]!);
        dot = f(dot + f(out[row + j]! * gv[row + j]!));
      }
      for (let j = 0; j < k; j++) gx[row + j] = f(dirichletGrad(out[row + j]!, a[row + j]!, total) * f(gv[row + j]! - dot));
    }
    return [new Tensor(gx, concentration.shape)];
  }, [concentration], 'DirichletBackward');
}

/** Stirling's approximation's tail, log k! − [(k + ½)·log(k + 1) − (k + 1) + ½·log 2π], as PyTorch's table and series. */
const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.0104112652619720, 0.00925546218271273, 0.00833056343336287,
];

function stirlingTail(k: number): number {
  if (k <= 9) return STIRLING_TAIL[k]!;
  const kp1sq = (k + 1) * (k + 1);
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/** Binomial by inversion: geometric waiting times summed until they pass the count. */
function binomialInversion(count: number, prob: number, gen: Generator): number {
  let geomSum = 0;
  let numGeom = 0;
  const logprob = Math.log1p(-prob);
  for (;;) {
    const geom = Math.ceil(Math.log(gen.uniform64()) / logprob);
    geomSum += geom;
    if (geomSum > count) break;
    numGeom = f(numGeom + 1);
  }
  return numGeom;
}

/** Hörmann's BTRS transformed rejection for count·prob ≥ 10, as PyTorch's `btrs`. */
function btrs(count: number, prob: number, gen: Generator): number {
  const stddev = Math.sqrt(count * prob * (1 - prob));
  const b = 1.15 + 2.53 * stddev;
  const a = -0.0873 + 0.0248 * b + 0.01 * prob;
  const c = count * prob + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = prob / (1 - prob);
  const alpha = (2.83 + 5.1 / b) * stddev;
  const m = Math.floor((count + 1) * prob);
  for (;;) {
    const U = gen.uniform64() - 0.5;
    let V = gen.uniform64();
    const us = 0.5 - Math.abs(U);
    const k = f(Math.floor(((2 * a) / us + b) * U + c));
    if (k < 0 || k > count) continue;
    if (us >= 0.07 && V <= vr) return k;
    V = Math.log((V * alpha) / (a / (us * us) + b));
    const upper = (m + 0.5) * Math.log((m + 1) / (r * (count - m + 1))) + (count + 1) * Math.log((count - m + 1) / (count - k + 1)) +
      (k + 0.5) * Math.log((r * (count - k + 1)) / (k + 1)) + stirlingTail(m) + stirlingTail(count - m) - stirlingTail(k) - stirlingTail(count - k);
    if (V <= upper) return k;
  }
}

/** One Binomial(count, prob) draw, as PyTorch's `sample_binomial` (float32 count and probability). */
function sampleBinomial(count: number, prob: number, gen: Generator): number {
  if (count <= 0 || prob <= 0) return 0;
  if (prob >= 1) return count;
  if (prob <= 0.5) return count * prob >= 10 ? btrs(count, prob, gen) : binomialInversion(count, prob, gen);
  if (prob > 0.5) {
    const q = f(1 - prob);
    return f(count - (count * q >= 10 ? btrs(count, q, gen) : binomialInversion(count, q, gen)));
  }
  return NaN;
}

/**
 * Binomial draws with the counts of `count` and probabilities of `prob` (broadcast to one shape first, drawn in
 * row-major order over it), as `torch.binomial` (seeded as PyTorch's: inversion below count·p = 10, BTRS from there).
 * No gradient.
 * @throws RangeError when the shapes do not broadcast.
 */
export function binomial(count: Tensor, prob: Tensor, options?: { generator?: Generator | null }): Tensor {
  checkInput('binomial', count);
  checkInput('binomial', prob);
  const gen = generatorFrom('binomial', options);
  const shape = broadcastShapes(count.shape, prob.shape, 'binomial');
  const [n, p] = noGrad(() => [expand(count, shape).values(), expand(prob, shape).values()]);
  const out = new Float32Array(n.length);
  for (let i = 0; i < n.length; i++) out[i] = sampleBinomial(n[i]!, p[i]!, gen);
  return new Tensor(out, shape);
}
