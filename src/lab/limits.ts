/**
 * How large a lab model may be. The chapter's classifier is 784 → hidden → 10; its memory grows with `hidden`, and
 * past a point a run fails deep inside a worker ("Invalid typed array length", "offset is out of bounds") instead
 * of being refused up front.
 */
import { formatBytes } from '../format-bytes.js';

/** Pixels in, digits out: the classifier's fixed widths. */
const INPUTS = 784;
const CLASSES = 10;

/**
 * The most hidden units a lab run takes: 32,768 trains with Adam, LayerNorm and batches of 1,000 within the
 * kernels' memory (65,536 with Adam runs out of WebAssembly scratch memory). The web lab caps its jobs lower still
 * (see `LIMITS` in src/web/job-spec.ts).
 */
export const MAX_HIDDEN = 32768;

/** Bytes a run keeps per copy of its float32 parameters: 784 → hidden → 10 with LayerNorm's two vectors. */
export function parameterBytes(hidden: number): number {
  return 4 * (INPUTS * hidden + hidden + 2 * hidden + hidden * CLASSES + CLASSES);
}

/**
 * Why `hidden` is too large for a lab run, or null when it is not: "must be at most 32768: …". Training keeps four
 * copies of the parameters (the weights, their gradients and Adam's two moments), so that is the memory named.
 */
export function hiddenProblem(hidden: number): string | null {
  if (hidden <= MAX_HIDDEN) return null;
  const need = (h: number): string => formatBytes(4 * parameterBytes(h));
  return (
    `must be at most ${MAX_HIDDEN}, the largest that trains within the kernels' 1 GiB of memory (with Adam, LayerNorm and ` +
    `batches of 1,000); 784 → ${hidden.toLocaleString('en-US')} → 10 would need ${need(hidden)} for its weights, gradients and Adam's state alone, ` +
    `before a batch's activations, their gradients and the kernels' working copies, which take the rest`
  );
}

/** The kernels' WebAssembly memory: 16,384 pages of 64 KiB (see MAX_PAGES in src/kernels/wasm/heap.ts). */
const KERNEL_MEMORY = 2 ** 30;
/**
 * The share of it a run may plan for with the estimate below; the rest is for what the estimate leaves out (the
 * allocator's gaps, LayerNorm's buffers). Measured with Adam and LayerNorm on 2026-11-30: at 32,768 hidden units,
 * batches of 1,124 and 1,200 trained (this allows 1,121) and 1,260 ran out of memory; at 1,150 hidden units,
 * batches of 60,000 (allowed) trained.
 */
const PLANNED_SHARE = 0.8;

/**
 * Kernel memory one training step of `batch` images takes beyond the parameters: its largest kernel call holds
 * about three batch × hidden activations at once (measured: batches of 3,000 through 32,768 units asked for
 * 1.18 GB in one call, and 1,500 for 591 MB), or the input batch and one.
 */
export function stepBytes(batch: number, hidden: number): number {
  return 4 * batch * Math.max(3 * hidden, INPUTS + hidden);
}

/**
 * Why training with `batch` images per step through `hidden` units would run out of kernel memory (a run would
 * fail at its first step), or null when it fits: the parameters four times over plus one step's activations.
 */
export function batchProblem(batch: number, hidden: number): string | null {
  const params = 4 * parameterBytes(hidden);
  const need = params + stepBytes(batch, hidden);
  const budget = PLANNED_SHARE * KERNEL_MEMORY;
  if (need <= budget) return null;
  const fits = Math.floor((budget - params) / stepBytes(1, hidden));
  return (
    `batches of ${batch.toLocaleString('en-US')} images through ${hidden.toLocaleString('en-US')} hidden units would need about ` +
    `${formatBytes(need)} (four copies of the parameters, as weights, gradients and an optimizer's state, and a step's activations), ` +
    `${formatBytes(need - budget)} more than the ${formatBytes(budget)} a run may plan on of the kernels' 1 GiB (the rest is the allocator's slack): ${fits >= 1 ? `with ${hidden.toLocaleString('en-US')} hidden units, give --batch-size ${fits.toLocaleString('en-US')} or less, or fewer hidden units` : 'give fewer hidden units'}`
  );
}
