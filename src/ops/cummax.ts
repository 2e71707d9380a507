// cummax and cummin, as PyTorch 1.13's: the running largest (smallest) value along `dim` and the index it came from.
// PyTorch's CPU kernel takes an element when it is NaN, or when the running value is not NaN and the element is ≥ it
// (≤ for cummin): of tied values the last index is kept, and a NaN, once met, stays (each later NaN taking its index).
// The gradient adds g into the positions the indices name (CummaxBackward0, CumminBackward0).
import { record } from '../autograd/record.js';
import { linearTwice } from '../autograd/twice.js';
import { Tensor } from '../tensor/tensor.js';
import { valuesIndices, type ValuesIndices } from './reduce.js';
import { layout } from './softmax.js';
import { pick } from './gather.js';
import { checkTensor } from './util.js';
import { checkArgumentCount } from '../options.js';

function cumExtreme(x: Tensor, dim: number, op: 'cummax' | 'cummin'): ValuesIndices {
  checkTensor(x, op);
  if (dim === undefined) throw new TypeError(`${op}: dim is required, as in PyTorch (x.${op}(0))`);
  const [outer, n, inner] = layout(x, dim, op);
  const v = x.values();
  const vals = new Float32Array(v.length);
  const idx = new Int32Array(v.length);
  const max = op === 'cummax';
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      let at = 0;
      for (let k = 0, p = o * n * inner + i; k < n; k++, p += inner) {
        const e = v[p]!;
        if (k === 0 || e !== e || (best === best && (max ? e >= best : e <= best))) {
          best = e;
          at = k;
        }
        vals[p] = best;
        idx[p] = at;
      }
    }
  }
  const values = new Tensor(vals, x.shape);
  record(values, op, [x], (g) => {
    const G = g.values();
    const gx = new Float32Array(v.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        for (let k = 0, p = o * n * inner + i; k < n; k++, p += inner) gx[o * n * inner + idx[p]! * inner + i] += G[p]!;
      }
    }
    return [new Tensor(gx, x.shape)];
  }, [], max ? 'CummaxBackward0' : 'CumminBackward0');
  // Linear in g: the gradient's graph picks the gradient's gradient back at each running extreme.
  linearTwice(values, (h) => {
    const from = Int32Array.from({ length: idx.length }, (_, p) => {
      const i = p % inner;
      const o = Math.floor(p / (n * inner));
      return o * n * inner + idx[p]! * inner + i;
    });
    return pick(h, x.shape, from, `${op}Backward`, new Tensor(Float32Array.from(from), x.shape));
  });
  return valuesIndices(values, new Tensor(Float32Array.from(idx), x.shape));
}

/** The running largest value along `dim` and its index, as PyTorch's `cummax`: `const [values, indices] = x.cummax(0)`. */
export function cummax(x: Tensor, dim: number, ...extra: never[]): ValuesIndices {
  checkArgumentCount('cummax', [dim, ...extra], 1, 'cummax(x, dim)');
  return cumExtreme(x, dim, 'cummax');
}

/** The running smallest value along `dim` and its index, as PyTorch's `cummin`. */
export function cummin(x: Tensor, dim: number, ...extra: never[]): ValuesIndices {
  checkArgumentCount('cummin', [dim, ...extra], 1, 'cummin(x, dim)');
  return cumExtreme(x, dim, 'cummin');
}
