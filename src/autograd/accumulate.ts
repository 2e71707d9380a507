import { setOuterRows, sparseVector } from '../kernels/linalg.js';
import { addInPlace, fillFloat32, zeroRows } from '../kernels/optim.js';
import { fillStrided, scatterAddStrided, scatterStrided } from '../kernels/ref/strided.js';
import { allocStorage } from '../kernels/storage.js';
import { transientFloat32 } from '../kernels/transient.js';
import { formatShape, sameShape, sharesLocations } from '../tensor/shape.js';
import { Tensor, type PendingValues } from '../tensor/tensor.js';
import { coversStorage } from '../ops/util.js';
import { hasHookEntries } from './hooks.js';
import type { GraphNode } from './record.js';

// Gradient buffers of leaves. A leaf's `.grad` is created on first use with the leaf's own storage layout (so a
// weight stored transposed gets a gradient stored transposed and optimizers update both with flat loops) and lives
// in the kernels' memory (`allocStorage`). For a 2-D buffer stored transposed — a Linear weight, [in, out] in
// storage — `rowSupport` lists the storage rows that may hold non-zeros (null: any row may). A linear layer adds
// its weight gradient straight into this buffer, touching only the rows of non-zero inputs, and records them, so
// `zeroGrad` and plain SGD touch only those rows too. Code outside the engine reaches the storage only through
// `data`, which marks the buffer exposed: from then on no row list is kept for it or trusted (its holder may write
// anywhere). A list covering more than half the rows of a narrow buffer is dropped (null): whole-buffer loops are
// then quicker.
//
// One sample's weight gradient, added into a cleared buffer nobody holds, is kept as its factors (OuterRows: the
// non-zero inputs and the output gradient) and written into the storage only when something reads it. Plain SGD and
// Adam apply it from the factors, and `zeroGrad` drops it: in the chapter's training loop the rows are never
// written or cleared, which was most of an SGD step's memory traffic.

const EMPTY_ROWS = new Int32Array(0);
/** Rows narrower than this (floats) are not worth a row list when most of them are touched. */
const NARROW_ROW = 16;

/** True when `t` covers its storage densely (a permutation of a contiguous layout), so a grad can share its layout. */
const isDense = coversStorage;

function sameLayout(a: Tensor, b: Tensor): boolean {
  for (let i = 0; i < a.shape.length; i++) if (a.shape[i] !== 1 && a.strides[i] !== b.strides[i]) return false;
  return a.unsettledData.length === b.unsettledData.length;
}

/** A 2-D buffer stored transposed ([cols, rows] row-major): the layout whose storage rows `rowSupport` lists. */
export function isRowLayout(t: Tensor): boolean {
  return t.ndim === 2 && t.strides[0] === 1 && t.strides[1] === t.shape[0] && t.unsettledData.length === t.numel();
}

/** Length of one storage row of a buffer with `isRowLayout`. */
export function rowWidth(t: Tensor): number {
  return t.shape[0]!;
}

/**
 * The weight gradient of one sample, grad[rows[t], :] = 0 + vals[t]·G, owed to a buffer that held +0 everywhere:
 * exactly the values the linear layer's kernel would have stored.
 */
export class OuterRows implements PendingValues {
  constructor(
    readonly rows: Int32Array,
    readonly vals: Float32Array,
    readonly g: Float32Array,
    /** Elements of a storage row (the layer's outputs). */
    readonly width: number,
    /** Elements of the whole storage. */
    readonly size: number,
  ) {}

  settle(into: Float32Array): void {
    setOuterRows(into, this.width, this.rows, this.vals, this.g);
  }

  /**
   * True when `p`'s storage has the layout of `grad`, the buffer this is owed to (stored [in, out], as checked when
   * it was made), so that rows index both alike. Reads nothing of grad's storage.
   */
  fits(p: Tensor, grad: Tensor): boolean {
    return isRowLayout(p) && p.unsettledData.length === this.size && p.shape[0] === grad.shape[0] && p.shape[1] === grad.shape[1];
  }
}

/**
 * Adds one sample's weight gradient, x (the layer's input, one row) ⊗ G (the gradient of its output), into a
 * cleared gradient buffer stored [in, out] (`isRowLayout`, rowSupport empty), as factors written out on first read.
 * x may be given by its non-zeros already (`sparseVector`'s result, which is then kept).
 */
export function deferOuterRows(grad: Tensor, x: Float32Array | SparseRow, G: Float32Array): void {
  if (!isRowLayout(grad) || grad.pending !== null || grad.exposed) throw new Error('deferOuterRows: expects a cleared gradient buffer stored [in, out] that nobody holds');
  const { rows, vals } = x instanceof Float32Array ? sparseVector(x) : x;
  const g = transientFloat32(G.length);
  g.set(G);
  noteRowsAdded(grad, rows);
  grad.pending = new OuterRows(rows, vals, g, rowWidth(grad), grad.numel());
}

/** One row of values given by its non-zeros: their positions (increasing) and values, as `sparseVector` gives them. */
export interface SparseRow {
  readonly rows: Int32Array;
  readonly vals: Float32Array;
}

/** Gradient buffers this module made, with the leaf each was made for (their layout is known to match). */
const madeFor = new WeakMap<Tensor, Tensor>();

/** True when `t` is a gradient buffer the engine made for a leaf (which `clearGrad` clears best). */
export function isEngineGrad(t: Tensor): boolean {
  return madeFor.has(t);
}

function newGrad(leaf: Tensor): Tensor {
  const dense = isDense(leaf);
  const n = dense ? leaf.unsettledData.length : leaf.numel();
  const grad = new Tensor(reclaim(leaf, n) ?? allocStorage(n), leaf.shape, dense ? { strides: leaf.strides } : {});
  grad.exposed = false;
  if (isRowLayout(grad)) grad.rowSupport = EMPTY_ROWS;
  madeFor.set(grad, leaf);
  return grad;
}

/**
 * Gradient buffers the engine made, dropped by `zeroGrad(setToNone)` before anybody was handed their storage, by
 * their leaf: the leaf's next gradient takes the storage back. Left to the garbage collector, a dropped buffer's
 * block of kernel memory returns only once the finalizers run, which a synchronous training loop never lets happen:
 * the memory grew by a buffer per step (to its 1 GiB, 1.1 GB resident after 2,000 one-image steps of 784→200→10).
 */
const dropped = new WeakMap<Tensor, Tensor>();

/** `leaf.grad = null`, as `zeroGrad(setToNone)` does (the setter keeps the engine's buffer, see gradDropped). */
export function dropGrad(leaf: Tensor): void {
  leaf.grad = null;
}

/**
 * Called by the `.grad` setter when a gradient is dropped (`p.grad = null` in a user's loop, or `zeroGrad(setToNone)`):
 * a buffer the engine made for this leaf, never handed out, is kept for the leaf's next gradient.
 */
export function gradDropped(leaf: Tensor, grad: Tensor): void {
  if (madeFor.get(grad) === leaf && !grad.exposed) dropped.set(leaf, grad);
}

/**
 * The storage of `leaf`'s dropped buffer, zeroed, for its new gradient. The dropped tensor keeps its values, in an
 * array made only if it is ever read again: one sample's factors still owed need nothing more (its storage holds
 * +0), otherwise its non-zero rows (or all of it, without a row list) are copied aside now. Null when there is no
 * dropped buffer, or its storage was handed out or read by an op since it was made.
 */
function reclaim(leaf: Tensor, n: number): Float32Array | null {
  const old = dropped.get(leaf);
  if (old === undefined) return null;
  dropped.delete(leaf);
  const storage = old.unsettledData;
  // Handed out (`data`), or read by an op that may keep its storage for a backward pass still to come: not reusable.
  if (old.exposed || old.aliased || old.savedByOp || storage.length !== n || madeFor.get(old) !== leaf) return null;
  madeFor.delete(old);
  const rows = isRowLayout(old) ? old.rowSupport : null;
  if (old.pending instanceof OuterRows) {
    // Deferred into a cleared buffer and never written out: every row is +0, and stays owed to the new array.
    old.moveStorage(() => new Float32Array(n));
    zeroRows(storage, rowWidth(old), old.pending.rows);
  } else if (rows === null) {
    const copy = storage.slice();
    old.moveStorage(() => copy);
    fillFloat32(storage, 0);
  } else {
    const width = rowWidth(old);
    const kept = new Float32Array(rows.length * width);
    for (let i = 0; i < rows.length; i++) kept.set(storage.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
    old.moveStorage(() => {
      const own = new Float32Array(n);
      for (let i = 0; i < rows.length; i++) own.set(kept.subarray(i * width, (i + 1) * width), rows[i]! * width);
      return own;
    });
    zeroRows(storage, width, rows);
  }
  return storage;
}

/**
 * Adds `g` into `leaf.grad`, allocating it on first use (zeros, in the leaf's layout). Called by the backward walk
 * for every leaf that received a gradient through the graph.
 */
export function accumulateGrad(leaf: Tensor, g: Tensor): void {
  if (!sameShape(leaf.shape, g.shape)) {
    throw new RangeError(`backward: gradient of shape ${formatShape(g.shape)} does not match tensor of shape ${formatShape(leaf.shape)}`);
  }
  let grad = leaf.grad;
  if (grad === null) {
    // The first gradient is copied in, not added to zeros: PyTorch's AccumulateGrad takes the gradient itself (or a
    // clone), so a -0 in it stays -0 (0 + -0 would be +0, printed `0.` where PyTorch prints `-0.`).
    grad = newGrad(leaf);
    leaf.grad = grad;
    grad.rowSupport = null;
    if (sameLayout(g, grad) && isDense(g)) grad.settled().set(g.settled());
    else {
      scatterStrided(g.values(), grad.settled(), grad.shape, grad.strides);
      // PyTorch keeps a gradient laid out as the leaf as it is (version 0), and copies any other into a new buffer
      // (copy_: version 1).
      grad.versionCounter.value = 1;
    }
    return;
  } else if (mayBeRead(grad)) {
    // An op saved the gradient (x.mul(w.grad)) and may read it after this, in this graph or another: .grad becomes a
    // new tensor and the saved one keeps its values. (PyTorch 1.13 adds in place here, and the op's backward then
    // refuses the changed tensor — "modified by an inplace operation" — or, in the same walk, may read it changed.)
    leaf.grad = sumBeside(leaf, grad, g);
    return;
  }
  refuseSharedElements(grad);
  grad.rowSupport = null;
  if (sameLayout(g, grad) && isDense(g)) addInPlace(grad.settled(), g.settled());
  else scatterAddStrided(g.values(), grad.settled(), grad.shape, grad.strides);
  gradAdded(grad);
}

/**
 * Counts an add into a leaf's gradient buffer as the in-place change it is: PyTorch's AccumulateGrad adds into
 * `.grad` in place (`grad._version` moves on at every backward after the first). A buffer `leafGradBuffer` made for
 * an op starts one change behind (-1), as that op's add makes its first values: PyTorch takes a leaf's first
 * gradient as it is, at version 0.
 */
export function gradAdded(grad: Tensor): void {
  grad.versionCounter.value++;
}

/**
 * Refuses a `.grad` the user set to a tensor whose elements share memory (an expand): adding into it in place would
 * add each shared element's gradient several times. PyTorch refuses it too ("more than one element of the written-to
 * tensor refers to a single memory location").
 */
function refuseSharedElements(grad: Tensor): void {
  if (sharesLocations(grad.shape, grad.strides)) {
    throw new Error(`backward: the .grad to add into (shape ${formatShape(grad.shape)}, strides ${formatShape(grad.strides)}) has several elements sharing one memory location (an expand), so it cannot be added into in place; PyTorch refuses it too. Set .grad to a copy (contiguous()) instead`);
  }
}

/**
 * What a backward walk knows before it starts, for the ops that add a leaf's gradient straight into its buffer: how
 * many times each leaf is an input of the graph's nodes, and the storages the nodes saved for their backward.
 */
export interface WalkFacts {
  /** This walk's number: a leaf's use count is this walk's when its `walkId` is this. */
  readonly id: number;
  /** The graph's nodes, whose saved tensors are looked at only for a gradient that was handed out (`mayBeRead`). */
  readonly nodes: GraphNode[];
}

let walks = 0;

/** A number for a new walk. */
export function nextWalkId(): number {
  return ++walks;
}

/** Counts one more use of `leaf` as an input of the walk's nodes (kept on the leaf: no map to make per walk). */
export function countUse(leaf: Tensor, facts: WalkFacts): void {
  if (leaf.walkId === facts.id) leaf.walkUses++;
  else {
    leaf.walkId = facts.id;
    leaf.walkUses = 1;
  }
}

/** The facts of the walk under way (null outside one). */
let walking: WalkFacts | null = null;

/** Starts a walk's facts; returns the ones before (restored by `endWalk`). */
export function beginWalk(facts: WalkFacts): WalkFacts | null {
  const outer = walking;
  walking = facts;
  return outer;
}

export function endWalk(outer: WalkFacts | null): void {
  walking = outer;
}

/**
 * Whether an op's backward may add straight into `leaf`'s gradient `grad` (null: a buffer still to be made) what the
 * walk would add at the leaf: only when the op is the leaf's one use in the graph (the walk sums
 * several uses' gradients before adding them, and float32 sums depend on the order), and no node of the graph saved
 * (part of) that storage, which a node walked later would then read changed; and the leaf has no gradient hooks.
 */
function mayAddDirectly(leaf: Tensor, grad: Tensor | null): boolean {
  // A leaf with gradient hooks takes its gradient through them, at the walk's end.
  if (hasHookEntries(leaf.gradHooks)) return false;
  if (walking === null || leaf.walkId !== walking.id || leaf.walkUses !== 1) return false;
  return grad === null || !mayBeRead(grad);
}

/**
 * Whether an op may read the gradient `grad` after it is added into: a node of a graph saved it (`savedByOp`), in
 * this walk or in a graph still to be walked; or its storage was handed out (`data`, which every view is made
 * through) and a node of the walk under way saved (part of) it. A buffer nobody saved and never handed out is
 * answered at once: the common case.
 */
function mayBeRead(grad: Tensor): boolean {
  if (grad.savedByOp) return true;
  if (!grad.exposed || walking === null) return false;
  const storage = grad.unsettledData;
  return walking.nodes.some((n) => n.savedShares(storage));
}

/**
 * grad + g as a new gradient for `leaf`, laid out as grad is when it covers its storage (else row-major), on the
 * JavaScript heap: the same values as adding in place, while grad keeps its own. (Not in the kernels' memory: a loop
 * that saves a gradient at every step would otherwise hold a block per step until finalizers run.)
 */
function sumBeside(leaf: Tensor, grad: Tensor, g: Tensor): Tensor {
  if (!isDense(grad) || grad.unsettledData.length !== grad.numel()) return grad.add(g);
  const out = new Tensor(grad.settled().slice(), leaf.shape, { strides: grad.strides });
  if (sameLayout(g, out) && isDense(g)) addInPlace(out.settled(), g.settled());
  else scatterAddStrided(g.values(), out.settled(), out.shape, out.strides);
  return out;
}

/**
 * The gradient buffer an op may add into directly for `leaf` — a leaf that requires grad — in the leaf's own
 * storage layout (contiguous when the leaf does not cover its storage densely), created (zeros) on first use. Null
 * when `leaf` is not such a leaf, its `.grad` was set by the user with another layout, or the walk could not add the
 * same values the same way (`mayAddDirectly`); the op then returns its gradient to the backward walk instead, which
 * adds it at the leaf. The op (or the walk) counts its add with `gradAdded`.
 */
export function leafGradBuffer(leaf: Tensor): Tensor | null {
  if (!leaf.requiresGrad || leaf.gradFn !== null) return null;
  const grad = leaf.grad;
  if (!mayAddDirectly(leaf, grad)) return null;
  if (grad === null) {
    if (!isDense(leaf)) return null;
    const fresh = newGrad(leaf);
    fresh.versionCounter.value = -1; // see gradAdded
    leaf.grad = fresh;
    return fresh;
  }
  if (madeFor.get(grad) === leaf) return grad;
  return sameLayout(grad, leaf) && isDense(grad) ? grad : null;
}

/** Records that only the storage rows `rows` (sorted, distinct, owned by the caller no more) were added into `grad`. */
export function noteRowsAdded(grad: Tensor, rows: Int32Array): void {
  const cur = grad.rowSupport;
  // A buffer handed out (`data`) may be written anywhere by its holder: no row list can be trusted.
  if (cur === null || !isRowLayout(grad) || grad.exposed) {
    grad.rowSupport = null;
    return;
  }
  const count = grad.shape[1]!;
  if (cur.length === 0) {
    // Most rows of a narrow buffer touched (the second layer's weight: 200 rows of 10, all fed): plain loops over
    // the whole buffer are quicker than row by row. (Wide rows keep their list: Adam uses it to skip rows.)
    grad.rowSupport = rows.length * 2 > count && rowWidth(grad) < NARROW_ROW ? null : rows;
    return;
  }
  // A weight used twice, or backward called twice before zeroGrad: the union of both lists.
  const mark = new Uint8Array(count);
  let n = 0;
  for (const list of [cur, rows]) {
    for (let t = 0; t < list.length; t++) {
      if (mark[list[t]!] === 0) {
        mark[list[t]!] = 1;
        n++;
      }
    }
  }
  if (n * 2 > count) {
    grad.rowSupport = null;
    return;
  }
  const out = new Int32Array(n);
  for (let j = 0, t = 0; j < count; j++) if (mark[j] !== 0) out[t++] = j;
  grad.rowSupport = out;
}

/** Sets a gradient buffer to zero, touching only the rows it may hold non-zeros in (all of it once handed out). */
export function clearGrad(grad: Tensor): void {
  if (grad.pending instanceof OuterRows) {
    // Owed to a buffer of zeros (stored [in, out]) and never written out: dropping it clears the buffer.
    grad.pending = null;
    grad.rowSupport = EMPTY_ROWS;
    return;
  }
  const data = grad.settled();
  const rowLayout = isRowLayout(grad);
  // The engine's own buffers (row-major or stored transposed, each its own storage) are checked without allocating:
  // this runs for every parameter at every step.
  const own = rowLayout || (grad.isContiguous() && data.length === grad.numel());
  if (!own && !isDense(grad)) {
    // A `.grad` the user set to a view (x.narrow(…), x.select(…), an expand): its storage holds other values
    // too, so zero only its own elements, as PyTorch's zero_() does.
    fillStrided(data, grad.shape, grad.strides, 0);
    grad.rowSupport = null;
    return;
  }
  const rows = grad.exposed ? null : grad.rowSupport;
  if (rows !== null && rowLayout) zeroRows(data, rowWidth(grad), rows);
  else fillFloat32(data, 0);
  grad.rowSupport = rowLayout ? EMPTY_ROWS : null;
}
