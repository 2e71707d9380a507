/** A loss's reduction, as PyTorch's `reduction` argument. */
export type Reduction = 'mean' | 'sum' | 'none';

/** `r` as a reduction; throws, naming the op, for anything but 'mean', 'sum' or 'none'. */
export function checkReduction(r: unknown, op: string): Reduction {
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  return r;
}
