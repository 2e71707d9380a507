// Printing's edges against PyTorch 1.13 (fixtures/torch/print-exact.json, from make_print_exact.py): Python's
// repr(float) for many doubles, tensors under sciMode with nothing non-zero to scale by, the exact digits at very high
// precision, and a 784x200 tensor printed in full.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, test } from 'node:test';
import { setPrintoptions, tensor, type PrintOptions } from '../../src/index.js';
import { formatPyFloat } from '../../src/tensor/format.js';
import { loadFixture } from './golden-helpers.js';

interface Printed { options: PrintOptions; values: string[]; shape: number[]; printed: string }
interface Big { length: number; lines: number; head: string[]; tail: string[]; sha256: string }
const fx = loadFixture<{ reprs: string[]; tensors: Printed[]; big: Big }>('print-exact.json');

/** A Python repr read back as the same double. */
const py = (s: string): number => ({ inf: Infinity, '-inf': -Infinity, nan: NaN } as Record<string, number>)[s] ?? Number(s);

afterEach(() => setPrintoptions({ profile: 'default' }));

test('formatPyFloat is Python\'s repr(float) (exponent form below 1e-4 and from 1e16, -0.0, inf, nan)', () => {
  for (const s of fx.reprs) assert.equal(formatPyFloat(py(s)), s);
});

for (const c of fx.tensors) {
  test(`setPrintoptions(${JSON.stringify(c.options)}): ${JSON.stringify(c.values)} prints as PyTorch prints it`, () => {
    setPrintoptions(c.options);
    assert.equal(String(tensor(c.values.map(py), c.shape)), c.printed);
  });
}

test('a 784x200 tensor prints in full, every value, as PyTorch prints it', () => {
  setPrintoptions({ profile: 'full' });
  const text = String(tensor(Array.from({ length: 784 * 200 }, (_, i) => ((i * 7919) % 10007) / 10007 - 0.5), [784, 200]));
  const lines = text.split('\n');
  assert.deepEqual(lines.slice(0, 3), fx.big.head);
  assert.deepEqual(lines.slice(-3), fx.big.tail);
  assert.equal(lines.length, fx.big.lines);
  assert.equal(text.length, fx.big.length);
  assert.equal(createHash('sha256').update(text).digest('hex'), fx.big.sha256);
});
