// The MNIST data of the ops bench's training patterns: the embedded IDX files (bench/mnist.ts), read once per process
// into tensors, as bench/ops_reference.py does; each step's inputs and targets are views of them (`narrow`, `select`:
// PyTorch's `x[a:b]`, `x[i]`), not copies.
import { tensor, type Tensor } from '../../src/index.js';
import { readMnist } from '../mnist.js';

/** Images the training patterns cycle through: 200 minibatches of 64. */
export const TRAIN_IMAGES = 64 * 200;
export const BATCH = 64;

export interface Split {
  /** [count, 784]: pixels ÷ 255, float32. */
  images: Tensor;
  /** [count, 10]: one-hot rows. */
  targets: Tensor;
  /** [count]: class indices, as float32 (Kindling's losses take them so). */
  labels: Tensor;
  count: number;
}

const cache = new Map<string, Split>();

function load(split: 'train' | 't10k', limit: number, normalise = false): Split {
  const key = `${split} ${limit}${normalise ? ' normalised' : ''}`;
  let s = cache.get(key);
  if (s === undefined) {
    const m = readMnist(split, limit);
    // Normalised as torchvision's MNIST examples do, (x − 0.1307) ÷ 0.3081, in float32 arithmetic as numpy does.
    const [mean, std] = [Math.fround(0.1307), Math.fround(0.3081)];
    const pixels = normalise ? m.images.map((x) => Math.fround(x - mean) / std) : m.images;
    s = {
      images: tensor(pixels, [m.count, 784]),
      targets: tensor(m.targets, [m.count, 10]),
      labels: tensor(Float32Array.from(m.labels), [m.count]),
      count: m.count,
    };
    cache.set(key, s);
  }
  return s;
}

/** The first 12,800 training images. */
export const train = (): Split => load('train', TRAIN_IMAGES);
/** The same images normalised, (x − 0.1307) ÷ 0.3081 (ops_reference.py's data("normalised")). */
export const trainNormalised = (): Split => load('train', TRAIN_IMAGES, true);
/** The 10,000 test images. */
export const test = (): Split => load('t10k', Infinity);

// Inputs and targets of step i, cycling through the data: views of the tensors loaded once, as PyTorch's slices are.
const batchStart = (s: Split, i: number): number => (i % Math.floor(s.count / BATCH)) * BATCH;
/** Minibatch i: [64, 784] images (`images[start:start + 64]`). */
export const xBatch = (s: Split, i: number): Tensor => s.images.narrow(0, batchStart(s, i), BATCH);
/** Minibatch i: [64] class indices. */
export const yBatch = (s: Split, i: number): Tensor => s.labels.narrow(0, batchStart(s, i), BATCH);
/** Minibatch i: [64, 10] one-hot targets. */
export const oneHotBatch = (s: Split, i: number): Tensor => s.targets.narrow(0, batchStart(s, i), BATCH);
/** Image i: [784] (`images[i]`). */
export const xOne = (s: Split, i: number): Tensor => s.images.select(0, i % s.count);
/** Image i's class index, a 0-d tensor (`labels[i]`). */
export const yOne = (s: Split, i: number): Tensor => s.labels.select(0, i % s.count);
