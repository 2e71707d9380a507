// pow with a number for its exponent, as PyTorch 1.13's pow(Tensor, Scalar) computes it on float32: the exponents
// it special-cases get its own arithmetic (0.5 is sqrt, −1 a division, 3 two products …), so their bits are PyTorch's.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { cPow } from '../kernels/ref/elementwise.js';
import { Tensor } from '../tensor/tensor.js';
import { powTensor } from './binary.js';
import { checkTensor, empty } from './util.js';

/**
 * x^y, broadcasting tensors as the other binary ops do. With a number for y and a tensor for x, PyTorch's scalar
 * exponent: 0 gives ones, 1 a copy, 0.5 the square root, −0.5 1 / √x, −1 1 / x, 2 x·x, 3 (x·x)·x, −2 1 / (x·x),
 * each rounded to float32 where PyTorch rounds; any other exponent C's pow of x and y rounded to float32 (y itself
 * rounded to float32 over blocks of 16 values, as PyTorch's vector loop takes it: powGeneral).
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
  powInto(xv, e, out.data);
  // PyTorch's pow_backward: zeros for e = 0, else grad·(e·x^(e−1)), with e − 1 in float64 (then as the forward takes
  // an exponent, so rounded to float32 over blocks of 16) and e rounded to float32.
  // Written with recorded ops: the same closure is the gradient's graph (createGraph).
  const back = (g: Tensor): Tensor[] => [e === 0 ? empty(x.shape) : g.mul(powScalar(x, e - 1).mul(e))];
  return twice(record(out, 'pow', [x], back, [x]), back);
}

function powInto(x: Float32Array, e: number, out: Float32Array): void {
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
  else powGeneral(x, e, out);
}

/**
 * Any other exponent: C's pow, with the exponent PyTorch 1.13's loop hands it. Its vector loop runs over whole blocks
 * of 16 values (two AVX2 vectors) and takes the exponent rounded to float32 (`Vectorized<float>(exp)`); its scalar
 * loop, over the last n mod 16 values, takes it in float64 (`std::pow(float, double)`). The two differ by up to tens
 * of ulps for a tiny or huge x (x^(1/3) at x = 1e-30 is 1e-10 in float64, 9.999993e-11 with 1/3 rounded), so a
 * tensor of 16 or more values gets the rounded exponent on its blocks, as PyTorch's does. Blocks are counted in
 * x's row-major order, PyTorch's for a contiguous x.
 */
function powGeneral(x: Float32Array, e: number, out: Float32Array): void {
  const n = out.length;
  const blocks = n - (n % 16);
  const e32 = Math.fround(e);
  for (let i = 0; i < blocks; i++) out[i] = cPow(x[i]!, e32);
  for (let i = blocks; i < n; i++) out[i] = cPow(x[i]!, e);
}
