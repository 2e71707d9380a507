import { describeValue } from '../options.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

/** The most elements oneHot makes (2^28, a gigabyte of float32): a stray huge label is an error, not an allocation. */
const MAX_ELEMENTS = 2 ** 28;

/**
 * PyTorch's `F.one_hot`: class indices (a tensor of integers, any shape) → a tensor with a new last dimension of
 * `numClasses`, 1 at each index and 0 elsewhere; numClasses −1 (the default) means the largest index + 1. Kindling's
 * tensors are float32, so the result is too (PyTorch's is int64), and the indices are float32 values that must be
 * integers (PyTorch's must be an int64 tensor). It has no gradient, as PyTorch's cannot.
 *
 * @throws TypeError when `numClasses` is not an integer; RangeError with PyTorch's checks, in its order: an empty
 *   tensor needs numClasses > 0 ("Can not infer total number of classes from empty tensor"), indices must be
 *   integers, then non-negative ("Class values must be non-negative"), then smaller than numClasses ("Class values
 *   must be smaller than num_classes", also for a numClasses of 0 or below −1).
 * @example
 * F.oneHot(tensor([0, 2, 1]));    // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * F.oneHot(tensor([0, 2, 1]), 4); // shape [3, 4]
 */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  checkTensor(labels, 'oneHot', 'labels');
  if (typeof numClasses !== 'number' || !Number.isSafeInteger(numClasses)) {
    throw new TypeError(`oneHot: numClasses must be an integer (-1 for the largest label + 1), got ${describeValue(numClasses)}`);
  }
  const v = labels.values();
  if (v.length === 0) {
    if (numClasses <= 0) {
      throw new RangeError(`oneHot: cannot infer the number of classes from an empty tensor (shape ${formatShape(labels.shape)}); give numClasses (PyTorch: "Can not infer total number of classes from empty tensor.")`);
    }
    return sized(labels.shape, numClasses);
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (!Number.isInteger(c)) throw new RangeError(`oneHot: labels must be integer class indices, got ${c} at position ${i} (PyTorch: "one_hot is only applicable to index tensor.")`);
    if (c < min) min = c;
    if (c > max) max = c;
  }
  if (min < 0) throw new RangeError(`oneHot: class values must be non-negative, got ${min} at position ${v.indexOf(min)} (PyTorch: "Class values must be non-negative.")`);
  const classes = numClasses === -1 ? max + 1 : numClasses;
  if (max >= classes) {
    throw new RangeError(`oneHot: class values must be smaller than numClasses (${numClasses}), got ${max} at position ${v.indexOf(max)} (PyTorch: "Class values must be smaller than num_classes.")`);
  }
  const out = sized(labels.shape, classes);
  const data = out.data;
  for (let i = 0; i < v.length; i++) data[i * classes + v[i]!] = 1;
  return out;
}

/** A zero tensor of shape [...shape, classes], refused when it would be absurdly large. */
function sized(shape: readonly number[], classes: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1) * classes;
  if (n > MAX_ELEMENTS) {
    throw new RangeError(`oneHot: the result would have shape ${formatShape([...shape, classes])}, ${n} elements (over ${MAX_ELEMENTS}); is a label or numClasses far larger than meant?`);
  }
  return new Tensor(new Float32Array(n), [...shape, classes]);
}
