// torch.triu_indices and torch.tril_indices, as PyTorch 1.13's: the [2, n] coordinates (row, then column) of a
// row × col matrix's upper or lower triangle from the diagonal `offset`, in row-major order, as a float32 tensor.
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';

function indices(row: number, col: number, offset: number, keep: (i: number, j: number) => boolean, op: string): Tensor {
  for (const [name, v] of [['row', row], ['col', col], ['offset', offset]] as const) {
    if (!Number.isInteger(v)) throw new TypeError(`${op}: ${name} must be a whole number, got ${describeValue(v)}`);
  }
  if (row < 0) throw new RangeError(`row must be non-negative, got${row}`);
  if (col < 0) throw new RangeError(`col must be non-negative, got${col}`);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < row; i++) for (let j = 0; j < col; j++) if (keep(i, j)) { rows.push(i); cols.push(j); }
  return new Tensor(Float32Array.from([...rows, ...cols]), [2, rows.length]);
}

/** Coordinates of the upper triangle (j − i ≥ offset), as `torch.triu_indices(row, col, offset)`. */
export function triuIndices(row: number, col: number, offset = 0): Tensor {
  return indices(row, col, offset, (i, j) => j - i >= offset, 'triuIndices');
}

/** Coordinates of the lower triangle (j − i ≤ offset), as `torch.tril_indices(row, col, offset)`. */
export function trilIndices(row: number, col: number, offset = 0): Tensor {
  return indices(row, col, offset, (i, j) => j - i <= offset, 'trilIndices');
}
