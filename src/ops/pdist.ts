/**
 * `F.pdist(x, p = 2)`, PyTorch's `torch.nn.functional.pdist`: the p-norm distances between the rows of x [N, M], for
 * each pair i < j in row-major order ([N·(N−1)/2]); p = 0 counts the differing entries, ∞ takes the largest
 * difference. The backward pass is PyTorch's `_pdist_backward` (a zero distance passes no gradient; node
 * PdistBackward0). Differences in float32 as PyTorch's, sums in float64, each result rounded to float32: within
 * float32 rounding of PyTorch's loops.
 */
import { record } from '../autograd/record.js';
import { composedTwice } from '../autograd/twice.js';
import { KindlingError } from '../errors.js';
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, empty } from './util.js';

export function pdist(x: Tensor, p = 2): Tensor {
  checkTensor(x, 'pdist');
  if (x.ndim !== 2) throw new KindlingError(`pdist only supports 2D tensors, got: ${x.ndim}D`);
  if (typeof p !== 'number' || Number.isNaN(p)) throw new TypeError(`pdist: p must be a number, got ${describeValue(p)}`);
  if (p < 0) throw new KindlingError('pdist only supports non-negative p values');
  const [n, m] = x.shape as [number, number];
  const xv = x.values();
  const pairs = (n * (n - 1)) / 2;
  const out = empty([pairs]);
  const d = out.data;
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let acc = 0;
      for (let c = 0; c < m; c++) {
        const diff = Math.abs(Math.fround(xv[i * m + c]! - xv[j * m + c]!));
        if (p === 0) acc += diff !== 0 ? 1 : 0;
        else if (p === Infinity) acc = Math.max(acc, diff);
        else if (p === 1) acc += diff;
        else if (p === 2) acc += diff * diff;
        else acc += diff ** p;
      }
      d[k++] = p === 0 || p === 1 || p === Infinity ? acc : p === 2 ? Math.sqrt(acc) : acc ** (1 / p);
    }
  }
  const node = record(out, 'pdist', [x], (g) => {
    const gx = empty(x.shape);
    gx.data.fill(0);
    const G = g.data;
    let q = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, q++) {
        const dist = d[q]!;
        const up = G[q]!;
        if (p === 0 || dist === 0) continue;
        for (let c = 0; c < m; c++) {
          const diff = Math.fround(xv[i * m + c]! - xv[j * m + c]!);
          let v: number;
          if (p === 1) v = Math.sign(diff) * up;
          else if (p === 2) v = (diff / dist) * up;
          else if (p === Infinity) v = Math.abs(diff) === dist ? Math.sign(diff) * up : 0;
          else if (p < 2) v = p < 1 && diff === 0 ? 0 : (Math.sign(diff) * Math.abs(diff) ** (p - 1) * up) / dist ** (p - 1);
          else v = (diff * Math.abs(diff) ** (p - 2) * up) / dist ** (p - 1);
          gx.data[i * m + c]! += v;
          gx.data[j * m + c]! -= v;
        }
      }
    }
    return [gx];
  }, [x], 'PdistBackward0');
  // Its gradient's graph: the norms of the rows' differences, pair by pair, written with ops and differentiated.
  return composedTwice(node, (t) => {
    const first: number[] = [];
    const second: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) first.push(i), second.push(j);
    return t.indexSelect(0, new Tensor(Float32Array.from(first), [pairs])).sub(t.indexSelect(0, new Tensor(Float32Array.from(second), [pairs]))).norm(p, 1);
  });
}
