// The check the convolution kernels' backend tests share: one call run on the reference backend, on the wasm kernels
// whole, and on the wasm kernels with the batch split into parts, for a finite input and one with a NaN and an ∞.
import assert from 'node:assert/strict';
import * as wasmConv from '../../src/kernels/wasm/conv.js';
import { assertSameBits, withBackend } from './helpers.js';

/**
 * Asserts that `run(input)` gives the same bits for each of its outputs (named by `names`) under the three ways, for
 * `x` and for x with a NaN and an ∞ in it (which send the wasm path to the reference), and a real output for x.
 */
export function assertConvBackendsAgree(label: string, names: readonly string[], x: Float32Array, run: (input: Float32Array) => Float32Array[]): void {
  const special = x.slice();
  special[1] = Number.NaN;
  special[special.length - 1] = Infinity;
  for (const [what, input] of [['finite', x], ['NaN and ∞ in the input', special]] as const) {
    const want = withBackend('ref', () => run(input));
    const whole = withBackend('wasm', () => run(input));
    const before = wasmConv.setCallBytesLimit(600);
    let parts: Float32Array[];
    try {
      parts = withBackend('wasm', () => run(input));
    } finally {
      wasmConv.setCallBytesLimit(before);
    }
    names.forEach((n, i) => {
      assertSameBits(whole[i]!, want[i]!, `${label}, ${what}: ${n}`);
      assertSameBits(parts[i]!, want[i]!, `${label}, ${what}, in parts: ${n}`);
    });
    if (what === 'finite') assert.ok(want[0]!.every(Number.isFinite) && want[0]!.some((v) => v !== 0), `${label}: a real output`);
  }
}
