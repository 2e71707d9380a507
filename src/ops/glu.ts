// The gated linear unit, as PyTorch 1.13's F.glu (its own kernel and node, GluBackward0): the input halved along
// `dim` into a and b, then a·σ(b), with σ(b) = 1 / (1 + exp(−b)) in float32 as PyTorch's CPU kernel computes it.
import { record } from '../autograd/record.js';
import { composedTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { normalizeDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

const f = Math.fround;
/** σ(b) = 1 / (1 + e^(−b)) in float32 steps, as PyTorch's vectorised CPU kernels compute it. @internal */
export const float32Sigmoid = (b: number): number => f(1 / f(1 + f(Math.exp(-b))));
const sigmoid = float32Sigmoid;

/** a·σ(b) for the first and second halves a, b of x along `dim` (default −1), as `F.glu(input, dim=-1)`. */
export function glu(x: Tensor, dim = -1): Tensor {
  checkTensor(x, 'glu');
  if (x.ndim === 0) throw new KindlingError('glu does not support scalars because halving size must be even');
  const d = normalizeDim(dim, x.ndim, 'glu');
  const size = x.shape[d]!;
  if (size % 2 !== 0) throw new KindlingError(`Halving dimension must be even, but dimension ${d} is size ${size}`);
  const half = size / 2;
  const inner = x.shape.slice(d + 1).reduce((p, s) => p * s, 1);
  const outer = x.shape.slice(0, d).reduce((p, s) => p * s, 1);
  const v = x.values();
  const shape = x.shape.map((s, i) => (i === d ? half : s));
  const out = new Float32Array(outer * half * inner);
  const at = (o: number, k: number, i: number): number => (o * size + k) * inner + i;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < half; k++) {
      for (let i = 0; i < inner; i++) out[(o * half + k) * inner + i] = f(v[at(o, k, i)]! * sigmoid(v[at(o, k + half, i)]!));
    }
  }
  const node = record(new Tensor(out, shape), 'glu', [x], (g) => {
    const gv = g.values();
    const grad = new Float32Array(v.length);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < half; k++) {
        for (let i = 0; i < inner; i++) {
          const a = v[at(o, k, i)]!;
          const s = sigmoid(v[at(o, k + half, i)]!);
          const go = gv[(o * half + k) * inner + i]!;
          grad[at(o, k, i)] = f(s * go);
          grad[at(o, k + half, i)] = f(f(f(f(1 - s) * s) * a) * go);
        }
      }
    }
    return [new Tensor(grad, x.shape)];
  }, [x], 'GluBackward0');
  // Its gradient's graph: a·σ(b) written with ops, differentiated (autograd/twice.ts).
  return composedTwice(node, (input) => {
    const [a, b] = input.chunk(2, d) as [Tensor, Tensor];
    return a.mul(b.sigmoid());
  });
}
