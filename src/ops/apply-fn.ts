// PyTorch's apply_, map_ and map2_: a function of your own called on every element (and the matching elements of
// other tensors, broadcast to this one's shape), its result written in place. Outside autograd, as PyTorch's.
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { expanded } from './binary-math.js';
import { inPlaceOf } from './inplace.js';
import { checkTensor } from './util.js';

/** fn on each element of t (with the matching elements of `others`), written into t (rounded to float32). */
export function applyFn(t: Tensor, op: string, others: readonly Tensor[], fn: (...values: number[]) => number): Tensor {
  checkTensor(t, op);
  if (typeof fn !== 'function') throw new TypeError(`${op}: takes a function of ${others.length + 1} number${others.length === 0 ? '' : 's'}, got ${describeValue(fn)}`);
  for (const o of others) checkTensor(o, op, 'tensor');
  if (t.requiresGrad || others.some((o) => o.requiresGrad)) {
    throw new Error(`${op}: Can't call ${op}() on Variable that requires grad. Use var.detach().${op}() instead. (PyTorch refuses it too: the function has no gradient)`);
  }
  const values = [t.values(), ...others.map((o) => expanded(o, t.shape))];
  return inPlaceOf(t, op, () => {
    const out = new Float32Array(values[0]!.length);
    for (let i = 0; i < out.length; i++) {
      const r = fn(...values.map((v) => v[i]!));
      if (typeof r !== 'number') throw new TypeError(`${op}: the function must return a number, got ${describeValue(r)} for element ${i}`);
      out[i] = r;
    }
    return new Tensor(out, t.shape);
  }, false);
}
