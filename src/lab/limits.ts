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
    `batches of 1,000); 784 → ${hidden.toLocaleString('en-US')} → 10 would need ${need(hidden)} for its weights, gradients and Adam's state alone`
  );
}
