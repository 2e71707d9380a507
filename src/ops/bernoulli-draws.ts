// PyTorch 1.13's CPU bernoulli_ with a number p (no MKL): one float64 `uniform64` draw per value, in the tensor's
// fill order, the value 1 where the draw is below p. Shared by dropout (its keep mask) and Tensor.bernoulli_.
import { keepMask } from '../kernels/random.js';
import type { Generator } from '../random.js';

/**
 * out[i] = value where the i-th `uniform64` draw from `gen` is below p, else 0: on the wasm kernels when they are
 * active and out is long enough, else one draw at a time (the same draws either way).
 */
export function bernoulliDraws(gen: Generator, p: number, value: number, out: Float32Array): void {
  let drawn = false;
  gen.drawWith((mt, index) => {
    const next = keepMask(mt, index, p, value, out);
    drawn = next >= 0;
    return drawn ? next : index;
  });
  if (!drawn) for (let i = 0; i < out.length; i++) out[i] = gen.uniform64() < p ? value : 0;
}
