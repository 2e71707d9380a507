// Grids of coordinates and combinations of elements, as PyTorch 1.13's meshgrid, cartesian_prod and combinations:
// meshgrid's outputs are expanded views of the inputs (ExpandBackward0), cartesianProd stacks their flattened grids
// and combinations stacks the selected elements (StackBackward0), so gradients flow back to the inputs' elements.
import { KindlingError } from '../errors.js';
import { describeValue, isPlainObject } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { indexSelect } from './gather.js';
import { stack } from './join.js';
import { checkTensor } from './util.js';
import { expand, flatten, view } from './view.js';

export interface MeshgridOptions {
  /** 'ij' (default; PyTorch 1.13 warns when it is not given): output i varies along dimension i. 'xy': the first two swapped, as NumPy's. */
  indexing?: 'ij' | 'xy';
}

function tensorArgs(args: readonly unknown[], op: string): Tensor[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : [...args];
  list.forEach((t, i) => checkTensor(t, op, `tensor ${i}`));
  return list as Tensor[];
}

/**
 * Coordinate grids of 0-D or 1-D tensors, as `torch.meshgrid`: for inputs of sizes s0…sk each output has shape
 * [s0, …, sk] (with `indexing: 'xy'`, [s1, s0, s2, …]) and holds its input's values along its own dimension; the
 * outputs are expanded views, not copies. `meshgrid(x, y)`, `meshgrid([x, y], { indexing: 'xy' })`.
 */
export function meshgrid(...args: (Tensor | readonly Tensor[] | MeshgridOptions)[]): Tensor[] {
  const last = args[args.length - 1];
  const options = last !== undefined && !(last instanceof Tensor) && !Array.isArray(last) ? (args.pop() as MeshgridOptions) : {};
  const indexing = options.indexing ?? 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') throw new RangeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`);
  const tensors = tensorArgs(args, 'meshgrid');
  if (tensors.length === 0) throw new RangeError('meshgrid expects a non-empty TensorList');
  for (const t of tensors) {
    if (t.ndim > 1) throw new RangeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a tensor of shape ${formatShape(t.shape)}`);
  }
  const swap = indexing === 'xy' && tensors.length >= 2;
  const order = tensors.map((_, i) => (swap && i < 2 ? 1 - i : i));
  const shape = order.map((i) => tensors[i]!.numel());
  return tensors.map((t, i) => {
    const at = order.indexOf(i);
    return expand(view(t, shape.map((s, d) => (d === at ? s : 1))), shape);
  });
}

/** Every combination of one element of each 1-D tensor, in order, as rows: `torch.cartesian_prod`; one tensor is returned as it is. */
export function cartesianProd(...args: (Tensor | readonly Tensor[])[]): Tensor {
  const tensors = tensorArgs(args, 'cartesianProd');
  for (const t of tensors) if (t.ndim !== 1) throw new RangeError(`Expect a 1D vector, but got shape ${formatShape(t.shape)}`);
  if (tensors.length === 0) throw new RangeError('meshgrid expects a non-empty TensorList');
  if (tensors.length === 1) return tensors[0]!;
  return stack(meshgrid(tensors, { indexing: 'ij' }).map((g) => flatten(g)), 1);
}

export interface CombinationsOptions {
  /** The length of each combination (default 2). */
  r?: number;
  /** Elements may repeat within a combination (default false). */
  withReplacement?: boolean;
}

/**
 * The length-r combinations of a 1-D tensor's elements, as rows in lexicographic order of their positions, as
 * `torch.combinations(x, r, with_replacement)`: `combinations(x)` is every pair i < j; r = 0 gives an empty [0] tensor.
 */
export function combinations(x: Tensor, r: number | CombinationsOptions = 2, withReplacement = false): Tensor {
  checkTensor(x, 'combinations');
  if (typeof r !== 'number' && !isPlainObject(r)) throw new TypeError(`combinations: r must be a whole number or options ({ r, withReplacement }), got ${describeValue(r)}`);
  const o = typeof r === 'number' ? { r, withReplacement } : (r as CombinationsOptions);
  const len = o.r ?? 2;
  const repl = o.withReplacement ?? false;
  if (x.ndim !== 1) throw new RangeError(`Expect a 1D vector, but got shape ${formatShape(x.shape)}`);
  if (!Number.isInteger(len)) throw new TypeError(`combinations: r must be a whole number, got ${describeValue(len)}`);
  if (len < 0) throw new RangeError(`Expect a non-negative number, but got ${len}`);
  if (typeof repl !== 'boolean') throw new TypeError(`combinations: withReplacement must be true or false, got ${describeValue(repl)}`);
  if (len === 0) return new Tensor(new Float32Array(0), [0]);
  const n = x.shape[0]!;
  const columns: number[][] = Array.from({ length: len }, () => []);
  const pick = new Array<number>(len);
  const visit = (k: number, from: number): void => {
    if (k === len) {
      pick.forEach((p, c) => columns[c]!.push(p));
      return;
    }
    for (let i = from; i < n; i++) {
      pick[k] = i;
      visit(k + 1, repl ? i : i + 1);
    }
  };
  visit(0, 0);
  if (columns[0]!.length > 2 ** 24) throw new KindlingError(`combinations: ${columns[0]!.length} combinations are more than this library makes at once`);
  return stack(columns.map((c) => indexSelect(x, 0, new Tensor(Float32Array.from(c), [c.length]))), 1);
}
