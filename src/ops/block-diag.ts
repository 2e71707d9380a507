// torch.block_diag, as PyTorch 1.13's: the inputs (0-D as 1×1, 1-D as one row, 2-D as they are) placed along the
// diagonal of a zero matrix; its node is BlockDiagBackward0, each input's gradient the block of the output's.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** A block-diagonal matrix of the tensors: `blockDiag(a, b)` is [[a, 0], [0, b]]; no tensor gives a [1, 0] one. */
export function blockDiag(...args: (Tensor | readonly Tensor[])[]): Tensor {
  const list = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Tensor[];
  list.forEach((t, i) => {
    checkTensor(t, 'blockDiag', `tensor ${i}`);
    if (t.ndim > 2) throw new RangeError(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.ndim} dimensions`);
  });
  if (list.length === 0) return new Tensor(new Float32Array(0), [1, 0]);
  const blocks = list.map((t) => (t.ndim === 2 ? [t.shape[0]!, t.shape[1]!] : [1, t.numel()]) as [number, number]);
  const rows = blocks.reduce((s, b) => s + b[0], 0);
  const cols = blocks.reduce((s, b) => s + b[1], 0);
  const out = new Float32Array(rows * cols);
  let r0 = 0;
  let c0 = 0;
  list.forEach((t, k) => {
    const [h, w] = blocks[k]!;
    const v = t.values();
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out[(r0 + i) * cols + c0 + j] = v[i * w + j]!;
    r0 += h;
    c0 += w;
  });
  const node = record(new Tensor(out, [rows, cols]), 'blockDiag', list, (g) => {
    const gv = g.values();
    let gr = 0;
    let gc = 0;
    return list.map((t, k) => {
      const [h, w] = blocks[k]!;
      const part = new Float32Array(h * w);
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) part[i * w + j] = gv[(gr + i) * cols + gc + j]!;
      gr += h;
      gc += w;
      return new Tensor(part, t.shape);
    });
  }, [], 'BlockDiagBackward0');
  // Each input's block of the gradient, with views (createGraph).
  return twice(node, (g) => {
    let r = 0;
    let c = 0;
    return list.map((t, k) => {
      const [h, w] = blocks[k]!;
      const part = g.narrow(0, r, h).narrow(1, c, w).reshape(t.shape);
      r += h;
      c += w;
      return part;
    });
  });
}
