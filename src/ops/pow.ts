// pow with a number for its exponent, as PyTorch 1.13's pow(Tensor, Scalar) computes it on float32: the exponents
// it special-cases get its own arithmetic (0.5 is sqrt, −1 a division, 3 two products …), so their bits are PyTorch's.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { cPow } from '../kernels/ref/elementwise.js';
import { Tensor } from '../tensor/tensor.js';
import { powTensor } from './binary.js';
import { inVectorLoop } from './vector-blocks.js';
import { checkTensor, empty } from './util.js';

/**
 * x^y, broadcasting tensors as the other binary ops do. With a number for y and a tensor for x, PyTorch's scalar
 * exponent: 0 gives ones, 1 a copy, 0.5 the square root, −0.5 1 / √x, −1 1 / x, 2 x·x, 3 (x·x)·x, −2 1 / (x·x),
 * each rounded to float32 where PyTorch rounds; any other exponent C's pow of x and y rounded to float32 (y itself
 * rounded to float32 where PyTorch's vector loop computes the value: powGeneral).
 */
export function pow(x: Tensor | number, y: Tensor | number): Tensor {
  if (x instanceof Tensor && typeof y === 'number') return powScalar(x, y);
  // PyTorch's pow(Tensor, Tensor) and pow(Scalar, Tensor) (a number for the base) name their nodes apart.
  return powTensor(x, y, typeof x === 'number' ? 'PowBackward2' : 'PowBackward1');
}

function powScalar(x: Tensor, e: number): Tensor {
  checkTensor(x, 'pow');
  const xv = x.values();
  const out = empty(x.shape);
  powInto(xv, e, out.data, x);
  // PyTorch's pow_backward: zeros for e = 0, else grad·(e·x^(e−1)), with e − 1 in float64 (then as the forward takes
  // an exponent, so rounded to float32 in PyTorch's vector loop) and e rounded to float32.
  // Written with recorded ops: the same closure is the gradient's graph (createGraph).
  const back = (g: Tensor): Tensor[] => [e === 0 ? empty(x.shape) : g.mul(powScalar(x, e - 1).mul(e))];
  return twice(record(out, 'pow', [x], back, [x]), back);
}

function powInto(x: Float32Array, e: number, out: Float32Array, layout: Tensor): void {
  const n = out.length;
  // Each product below is exact in float64 (two float32 factors), and a float64 square root or quotient of float32
  // operands rounds to the float32 result directly, so storing into `out` rounds once, as float32 arithmetic does.
  if (e === 0) out.fill(1);
  else if (e === 1) out.set(x);
  else if (e === 0.5) for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
  else if (e === -0.5) for (let i = 0; i < n; i++) out[i] = 1 / Math.fround(Math.sqrt(x[i]!));
  else if (e === -1) for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
  else if (e === 2) for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!;
  else if (e === 3) for (let i = 0; i < n; i++) out[i] = Math.fround(x[i]! * x[i]!) * x[i]!;
  else if (e === -2) for (let i = 0; i < n; i++) out[i] = 1 / Math.fround(x[i]! * x[i]!);
  else powGeneral(x, e, out, layout);
}

/**
 * Any other exponent: C's pow, with the exponent PyTorch 1.13's loop hands it. Its vector loop takes the exponent
 * rounded to float32 (`Vectorized<float>(exp)`), its scalar loop in float64 (`std::pow(float, double)`); the two
 * differ by up to tens of ulps for a tiny or huge x (x^(1/3) at x = 1e-30 is 1e-10 in float64, 9.999993e-11 with 1/3
 * rounded), so each value takes the exponent of the loop PyTorch computes it in (inVectorLoop: for a contiguous x,
 * whole blocks of 16 values, then the n mod 16 after them).
 */
function powGeneral(x: Float32Array, e: number, out: Float32Array, layout: Tensor): void {
  const n = out.length;
  const e32 = Math.fround(e);
  const vector = inVectorLoop(layout);
  for (let i = 0; i < n; i++) out[i] = cPow(x[i]!, vector(i) ? e32 : e);
}
