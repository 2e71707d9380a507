/**
 * The storage of a layer's parameter or buffer, refused in words when it cannot be had: `new nn.Linear(1e10, 3)`
 * asks for 3·10¹⁰ float32 values (120 GB), where JavaScript would only say "Invalid typed array length". PyTorch
 * fails there too ("DefaultCPUAllocator: can't allocate memory"); the message names the layer, the tensor and its
 * shape.
 */
import { KindlingError } from '../errors.js';
import { formatBytes } from '../format-bytes.js';
import { allocStorage } from '../kernels/storage.js';
import { formatShape } from '../tensor/shape.js';

/**
 * Zeroed storage for the tensor `what` of `shape` of the layer `where` (filled with `fill` when given), from the
 * kernels' memory as `allocStorage` gives it, or a plain Float32Array (`plain`: a buffer the kernels never write).
 *
 * @throws KindlingError `Linear: cannot allocate weight of shape [3, 10000000000]: 30000000000 float32 values (120 GB) …`.
 */
export function parameterStorage(where: string, what: string, shape: readonly number[], fill = 0, plain = false): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  let out: Float32Array;
  try {
    out = plain ? new Float32Array(n) : allocStorage(n);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new KindlingError(`${where}: cannot allocate ${what} of shape ${formatShape(shape)}: ${n} float32 values (${formatBytes(n * 4)}) are more than this JavaScript engine can hold in one array; use smaller sizes`, { cause: e });
  }
  return fill === 0 ? out : out.fill(fill);
}
