// Window functions and logspace, as PyTorch 1.13's factories compute them in float32 (TensorFactories.cpp,
// RangeFactoriesKernel.cpp): hann (hamming with α = β = 0.5), hamming (α − β·cos(2πi / (N − 1))), blackman
// (0.42 − 0.5·cos(2w) + 0.08·cos(4w), w = πi / (N − 1)), bartlett (a triangle); periodic windows are the symmetric
// window of N + 1 points without its last. Every step rounds to float32 as PyTorch's in-place ops round; the cosine
// is the correctly rounded one, which PyTorch's vectorized float32 cosine may miss by an ulp.
import { checkOptions, describeValue } from '../options.js';
import { besselI0 } from '../kernels/ref/bessel.js';
import { Tensor } from '../tensor/tensor.js';
import type { TensorOptions } from '../tensor/creation-options.js';
import { rangeArguments } from '../tensor/number-arguments.js';
import { checkResultSize } from './util.js';

const f = Math.fround;

export interface WindowOptions {
  /** A window for spectral analysis (true, the default: N + 1 points, the last dropped) or a symmetric one (false). */
  periodic?: boolean;
  requiresGrad?: boolean;
}

function windowOf(op: string, n: number, given: boolean | WindowOptions | undefined, values: (m: number) => Float32Array): Tensor {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new RangeError(`${op} requires non-negative window_length, got window_length=${describeValue(n)}`);
  const o = typeof given === 'boolean' ? { periodic: given } : checkOptions(op, given, ['periodic', 'requiresGrad']);
  const periodic = o.periodic ?? true;
  if (typeof periodic !== 'boolean') throw new TypeError(`${op}: periodic must be true or false, got ${describeValue(periodic)}`);
  const requiresGrad = o.requiresGrad ?? false;
  if (n <= 1) return new Tensor(new Float32Array(n).fill(1), [n], { requiresGrad });
  const all = values(periodic ? n + 1 : n);
  return new Tensor(all.slice(0, n), [n], { requiresGrad });
}

/** PyTorch's hamming_window: α − β·cos(2πi / (N − 1)), in float32 step by step. */
function hammingValues(m: number, alpha: number, beta: number): Float32Array {
  const scale = f((Math.PI * 2) / (m - 1));
  const out = new Float32Array(m);
  for (let i = 0; i < m; i++) out[i] = f(f(f(Math.cos(f(i * scale))) * f(-beta)) + f(alpha));
  return out;
}

/** The Hann window of `n` points (periodic unless `{ periodic: false }`), as `torch.hann_window`. */
export function hannWindow(n: number, options?: boolean | WindowOptions): Tensor {
  return windowOf('hann_window', n, options, (m) => hammingValues(m, 0.5, 0.5));
}

/** The Hamming window, α − β·cos(2πi / (N − 1)) (α 0.54, β 0.46), as `torch.hamming_window(n, periodic, alpha, beta)`. */
export function hammingWindow(n: number, options?: boolean | WindowOptions, alpha = 0.54, beta = 0.46): Tensor {
  return windowOf('hamming_window', n, options, (m) => hammingValues(m, alpha, beta));
}

/** The Blackman window, as `torch.blackman_window`. */
export function blackmanWindow(n: number, options?: boolean | WindowOptions): Tensor {
  return windowOf('blackman_window', n, options, (m) => {
    const scale = f(Math.PI / (m - 1));
    const out = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      const w = f(i * scale);
      out[i] = f(f(f(f(Math.cos(f(w * 4))) * f(0.08)) - f(f(Math.cos(f(w * 2))) * 0.5)) + f(0.42));
    }
    return out;
  });
}

/** The Bartlett (triangular) window, as `torch.bartlett_window`. */
export function bartlettWindow(n: number, options?: boolean | WindowOptions): Tensor {
  return windowOf('bartlett_window', n, options, (m) => {
    const scale = f(2 / (m - 1));
    const firstHalf = ((m - 1) >> 1) + 1;
    const out = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      const w = f(i * scale);
      out[i] = i < firstHalf ? w : f(f(-w) + 2);
    }
    return out;
  });
}

/** logspace's options: start, end, steps and base by name too, as PyTorch's keywords (`logspace(0, 2, 3, { base: 2 })`). */
export interface LogspaceOptions extends TensorOptions {
  start?: number | Tensor;
  end?: number | Tensor;
  steps?: number | Tensor;
  base?: number | Tensor;
}

/**
 * `steps` values base^e for e evenly spaced from start to end, as `torch.logspace(start, end, steps, base = 10)`
 * computes them on the CPU (PyTorch 1.13's RangeFactories.cpp): the step (float32(end) − float32(start)) / (steps − 1)
 * in float64, the exponent in float64 (the first half float32(start) + step·i, the second float32(end) −
 * step·(steps − 1 − i)), then pow(base, e) in float64 rounded once to float32; one step is pow(base, start) with start
 * as given (not rounded to float32).
 */
export function logspace(...args: [start: number | Tensor | LogspaceOptions, end?: number | Tensor | LogspaceOptions, steps?: number | Tensor | LogspaceOptions, base?: number | Tensor | LogspaceOptions, options?: LogspaceOptions]): Tensor {
  const { values, requiresGrad } = rangeArguments('logspace', args, ['start', 'end', 'steps', 'base'], 'logspace(start, end, steps, base?, { requiresGrad })');
  const { start, end, steps, base = 10 } = values as { start: number; end: number; steps: number; base?: number };
  for (const [what, v] of [['start', start], ['end', end], ['base', base]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`logspace: ${what} must be a finite number, got ${describeValue(v)}`);
  }
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) throw new RangeError(`logspace: steps must be a whole number 0 or more (PyTorch has no default), got ${describeValue(steps)}`);
  checkResultSize('logspace', [steps]);
  const out = new Float32Array(steps);
  const [a, b] = [f(start), f(end)];
  if (steps === 1) out[0] = f(Math.pow(base, start));
  else if (steps > 1) {
    // float32 − float32 is a float32 in C++: rounded before the float64 division.
    const step = f(b - a) / (steps - 1);
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) out[i] = f(Math.pow(base, i < half ? a + step * i : b - step * (steps - i - 1)));
  }
  return new Tensor(out, [steps], { requiresGrad });
}

/** The Kaiser window (β 12 by default), as `torch.kaiser_window(n, periodic, beta)`: I0(β·√(1 − t²)) / I0(β) in float32. */
export function kaiserWindow(n: number, options?: boolean | WindowOptions, beta = 12): Tensor {
  if (typeof beta !== 'number' || !Number.isFinite(beta)) throw new TypeError(`kaiser_window: beta must be a finite number, got ${describeValue(beta)}`);
  return windowOf('kaiser_window', n, options, (m) => {
    const alpha = f((m - 1) / 2);
    const b = f(beta);
    const denominator = besselI0(b, false);
    const out = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      const t = f(f(i - alpha) / alpha);
      out[i] = f(besselI0(f(b * f(Math.sqrt(f(1 - f(t * t))))), false) / denominator);
    }
    return out;
  });
}
