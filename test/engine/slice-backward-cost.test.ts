// Backward through the slices of a tensor stays linear in their number: select, narrow, and unbind, split, chunk and
// tensorSplit built on them add each slice's gradient where it lies into one gradient of the input, rather than each
// making a zero gradient of the whole input's size and adding it in (T slices, T such gradients: T² work, seconds for
// an [800, 1000] tensor's rows, where PyTorch 1.13's UnbindBackward0 / SplitBackward0 take one pass). Measured by the
// Float32Array elements the backward pass allocates (no timing): about the input's size once, not T times over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, randn, tensorSplit, zeros, type Tensor } from '../../src/index.js';

/** The Float32Array elements allocated while `fn` runs (arrays made by length; views of a buffer are not counted). */
function allocatedBy(fn: () => void): number {
  const Original = globalThis.Float32Array;
  let count = 0;
  class Counting extends Original {
    constructor(...args: unknown[]) {
      super(...(args as []));
      if (typeof args[0] === 'number') count += args[0];
    }
  }
  globalThis.Float32Array = Counting as unknown as Float32ArrayConstructor;
  try {
    fn();
  } finally {
    globalThis.Float32Array = Original;
  }
  return count;
}

const T = 64;
const width = 128;

const cases: [string, (x: Tensor) => Tensor[], string][] = [
  ['unbind(0)', (x) => x.unbind(0), 'UnbindBackward0'],
  ['unbind(-1)', (x) => x.unbind(-1), 'UnbindBackward0'],
  ['split(1, 0)', (x) => x.split(1, 0), 'SplitBackward0'],
  ['split(sizes, 0)', (x) => x.split(new Array<number>(T).fill(1), 0), 'SplitWithSizesBackward0'],
  ['chunk(T, 0)', (x) => x.chunk(T, 0), 'SplitBackward0'],
  ['tensorSplit(T, 0)', (x) => tensorSplit(x, T, 0), 'SliceBackward0'],
  ['x.select(0, t) for each t', (x) => Array.from({ length: T }, (_, t) => x.select(0, t)), 'SelectBackward0'],
  ['x.narrow(1, t, 2) for each t', (x) => Array.from({ length: width / 2 }, (_, t) => x.narrow(1, 2 * t, 2)), 'SliceBackward0'],
];

for (const [what, slices, node] of cases) {
  test(`backward through ${what} allocates about the input's size once, not once per slice (${node})`, () => {
    manualSeed(0);
    // Through a non-contiguous view of the leaf, and with every other slice getting no gradient.
    const leaf = randn([width, T], { requiresGrad: true });
    const x = leaf.t();
    const parts = slices(x);
    assert.equal(parts[0]!.gradFn?.torchName, node);
    let loss: Tensor | null = null;
    parts.forEach((p, i) => {
      if (i % 2 === 1) return;
      const s = p.mul(i + 1).sum();
      loss = loss === null ? s : loss.add(s);
    });
    const allocated = allocatedBy(() => loss!.backward());
    // x's gradient, the leaf's, and the slices' own (small) ones: a few times x's size. Per slice, it was T times more.
    assert.ok(allocated < 4 * T * width, `${allocated} elements allocated for a [${T}, ${width}] input`);
    // The values: slice i's elements got i + 1 (even i), the others 0.
    const expected = zeros([T, width]);
    parts.forEach((_, i) => {
      if (i % 2 === 1) return;
      slices(expected)[i]!.add_(i + 1);
    });
    assert.deepEqual(Array.from(leaf.grad!.t().toArray()), Array.from(expected.toArray()));
  });
}
