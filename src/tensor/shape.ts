/** Shape arithmetic shared by tensors, ops and kernels' callers. */
export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether a layout puts several elements at one memory location: a stride 0 over a size above 1 (an expand). A
 * layout with no elements has none to share (its strides may hold 0s: [3, 0] is laid out [0, 1]).
 */
export function sharesLocations(shape: Shape, strides: readonly number[]): boolean {
  let shared = false;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 0) return false;
    if (d > 1 && strides[i] === 0) shared = true;
  }
  return shared;
}

export function checkShape(shape: Shape, op: string): void {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${op}: shape must be an array of sizes such as [2, 3], got ${typeof shape === 'number' ? `the number ${shape} (write [${shape}])` : typeof shape}`);
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: invalid shape ${formatShape(shape)}: sizes must be non-negative integers`);
  }
}

/** NumPy/PyTorch broadcasting of two shapes; throws naming the op and both shapes when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (dimension ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a contiguous tensor of `shape` as if it had `target` shape (0 along broadcast dimensions). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = contiguousStrides(shape);
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[off + i] = shape[i] === 1 ? 0 : own[i]!;
  return out;
}

/** Resolves a possibly negative dimension index against a rank, with PyTorch's error message. */
export function normalizeDim(dim: number, rank: number, op: string): number {
  const r = Math.max(rank, 1);
  if (dim === undefined) throw new TypeError(`${op}: a dimension is missing (see ${op}'s arguments: transpose(0, 1) takes two, unsqueeze(0) one)`);
  if (typeof dim !== 'number') {
    const what = dim === null ? 'null' : Array.isArray(dim) ? 'an array' : typeof dim === 'object' ? 'an object' : `a ${typeof dim}`;
    throw new TypeError(`${op}: the dimension must be an integer, got ${what} (pass it as a plain argument: ${op}(1), not ${op}({ dim: 1 }))`);
  }
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new RangeError(`${op}: dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + r : dim;
}
