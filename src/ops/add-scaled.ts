// add and sub with an alpha other than 1, as PyTorch 1.13's CPU kernel computes them: input + alpha·other with one
// rounding (its vectorized kernel is vec::fmadd(other, alpha, input), and its scalar tail is contracted to the same FMA),
// alpha rounded to float32 first; sub is the same with −alpha, rsub the same with the operands swapped. Rounding
// alpha·other to float32 first, as Kindling did, differs in the last bit for about a quarter of the values. The
// gradients are PyTorch's: the output gradient for input, its product with alpha (rounded) for other.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expanded, operand } from './binary-math.js';
import { sumToShape } from './broadcast.js';
import { empty } from './util.js';

const f = Math.fround;

/** input + alpha·other (other − alpha·input for `rsub`), rounded once; `torchName` is PyTorch's node's name. */
export function addScaled(name: string, x: unknown, y: unknown, alpha: number, torchName: string, numberFirst = false): Tensor {
  const a = operand(name, 'input', x, numberFirst);
  const b = operand(name, 'other', y, true);
  const shape = broadcastShapes(a.shape, b.shape, name);
  const av = expanded(a, shape);
  const bv = expanded(b, shape);
  const s = f(alpha);
  const out = empty(shape);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = fmaf(bv[i]!, s, av[i]!);
  const node = record(out, name, [a, b], (g) => {
    const G = g.values();
    let gb: Tensor | null = null;
    if (b.requiresGrad) {
      const r = empty(shape);
      for (let i = 0; i < G.length; i++) r.data[i] = f(G[i]! * s);
      gb = sumToShape(r, b.shape);
    }
    return [a.requiresGrad ? sumToShape(new Tensor(Float32Array.from(G), shape), a.shape) : null, gb];
  }, [], torchName);
  // Linear in both: the same gradients with ops (createGraph).
  return twice(node, (g) => [a.requiresGrad ? sumToShape(g, a.shape) : null, b.requiresGrad ? sumToShape(g.mul(s), b.shape) : null]);
}

/** dest[i] = dest[i] + alpha·x[i] rounded once (x of one value: that value for every i), in place. */
export function addScaledInto(dest: Float32Array, x: Float32Array, alpha: number): void {
  const s = f(alpha);
  if (x.length === 1) {
    const v = x[0]!;
    for (let i = 0; i < dest.length; i++) dest[i] = fmaf(v, s, dest[i]!);
  } else {
    for (let i = 0; i < dest.length; i++) dest[i] = fmaf(x[i]!, s, dest[i]!);
  }
}
