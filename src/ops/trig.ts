// sin and cos, as PyTorch 1.13's: float64 Math.sin/Math.cos rounded once to float32 (within a few float32 ulps of
// PyTorch's SLEEF/libm results; the max observed is recorded in fixtures/torch/trig.json). Gradients as PyTorch's
// formulas: d sin = cos(x)·g (SinBackward0), d cos = −sin(x)·g (CosBackward0).
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

function map(x: Tensor, f: (v: number) => number): Tensor {
  const xv = x.values();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = f(xv[i]!);
  return new Tensor(out, x.shape);
}

export function sin(x: Tensor): Tensor {
  checkTensor(x, 'sin');
  return twice(record(map(x, Math.sin), 'sin', [x], (g) => {
    const c = map(x, Math.cos).data, gd = g.values();
    const gx = new Float32Array(c.length);
    for (let i = 0; i < c.length; i++) gx[i] = gd[i]! * c[i]!;
    return [new Tensor(gx, x.shape)];
  }, [x]), (g) => [g.mul(cos(x))]);
}

export function cos(x: Tensor): Tensor {
  checkTensor(x, 'cos');
  return twice(record(map(x, Math.cos), 'cos', [x], (g) => {
    const s = map(x, Math.sin).data, gd = g.values();
    const gx = new Float32Array(s.length);
    for (let i = 0; i < s.length; i++) gx[i] = gd[i]! * -s[i]!;
    return [new Tensor(gx, x.shape)];
  }, [x]), (g) => [g.mul(sin(x).neg())]);
}
