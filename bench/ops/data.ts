// The MNIST data of the ops bench's training patterns: the embedded IDX files (bench/mnist.ts), read once per process.
import { tensor, type Tensor } from '../../src/index.js';
import { readMnist } from '../mnist.js';

/** Images the training patterns cycle through: 200 minibatches of 64. */
export const TRAIN_IMAGES = 64 * 200;
export const BATCH = 64;

export interface Split {
  /** count × 784 pixels ÷ 255, float32. */
  images: Float32Array;
  /** count × 10 one-hot rows. */
  targets: Float32Array;
  /** Class indices, as float32 (Kindling's losses take them so). */
  labels: Float32Array;
  count: number;
}

const cache = new Map<string, Split>();

function load(split: 'train' | 't10k', limit: number): Split {
  const key = `${split} ${limit}`;
  let s = cache.get(key);
  if (s === undefined) {
    const m = readMnist(split, limit);
    s = { images: m.images, targets: m.targets, labels: Float32Array.from(m.labels), count: m.count };
    cache.set(key, s);
  }
  return s;
}

/** The first 12,800 training images. */
export const train = (): Split => load('train', TRAIN_IMAGES);
/** The 10,000 test images. */
export const test = (): Split => load('t10k', Infinity);

/** The training images normalised as torchvision's MNIST examples do, (x − 0.1307) ÷ 0.3081, in float32 arithmetic as numpy does. */
export function normalised(s: Split): Split {
  const key = 'normalised';
  let n = cache.get(key);
  if (n === undefined) {
    const [mean, std] = [Math.fround(0.1307), Math.fround(0.3081)];
    const images = s.images.map((x) => Math.fround(x - mean) / std);
    n = { ...s, images };
    cache.set(key, n);
  }
  return n;
}

// Inputs and targets of step i, cycling through the data: a copy into a new tensor each step, as `tensor(...)` does.
const batches = (s: Split): number => Math.floor(s.count / BATCH);
const rows = (data: Float32Array, from: number, count: number, width: number): Float32Array => data.subarray(from * width, (from + count) * width);
/** Minibatch i: [64, 784] images. */
export const xBatch = (s: Split, i: number): Tensor => tensor(rows(s.images, (i % batches(s)) * BATCH, BATCH, 784), [BATCH, 784]);
/** Minibatch i: [64] class indices. */
export const yBatch = (s: Split, i: number): Tensor => tensor(rows(s.labels, (i % batches(s)) * BATCH, BATCH, 1), [BATCH]);
/** Minibatch i: [64, 10] one-hot targets. */
export const oneHotBatch = (s: Split, i: number): Tensor => tensor(rows(s.targets, (i % batches(s)) * BATCH, BATCH, 10), [BATCH, 10]);
/** Image i: [784]. */
export const xOne = (s: Split, i: number): Tensor => tensor(rows(s.images, i % s.count, 1, 784), [784]);
/** Image i's class index, a 0-d tensor. */
export const yOne = (s: Split, i: number): Tensor => tensor(rows(s.labels, i % s.count, 1, 1), []);
