// The adaptive max poolings, affineGrid and the fractional max poolings called as PyTorch 1.13 takes them, against
// fixtures/torch/pool-keywords.json (from make_pool_keywords.py): F.adaptiveMaxPool2d(x, 2, { returnIndices: true })
// as `return_indices=True`, a null flag as PyTorch's None (values alone), F.affineGrid(theta, size, { alignCorners })
// and F.fractionalMaxPool2d(x, 2, [3, 3], null, true, samples) by position — the same outputs, as many of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case { torch: string; name: string; args: unknown[]; options: Record<string, unknown>; outputs: EncodedTensor[] }
interface Fixture { inputs: Record<string, EncodedTensor>; cases: Case[] }

const fx = loadFixture<Fixture>('pool-keywords.json');

const isInput = (a: unknown): a is { input: string } => a !== null && typeof a === 'object' && 'input' in a;
const value = (a: unknown): unknown => (isInput(a) ? decode(fx.inputs[a.input]!) : a);

/** A call as the fixture writes it, in Python's spelling with Kindling's names. */
function shown(c: Case): string {
  const args = c.args.map((a) => (isInput(a) ? a.input : JSON.stringify(a)));
  const named = Object.entries(c.options).map(([k, v]) => `${k}: ${isInput(v) ? v.input : JSON.stringify(v)}`);
  return `F.${c.name}(${[...args, ...(named.length > 0 ? [`{ ${named.join(', ')} }`] : [])].join(', ')})`;
}

for (const c of fx.cases) {
  test(`${shown(c)} is PyTorch's F.${c.torch} with the same arguments`, () => {
    const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, value(v)]));
    const args = [...c.args.map(value), ...(Object.keys(options).length > 0 ? [options] : [])];
    const fn = (F as unknown as Record<string, (...a: unknown[]) => Tensor | [Tensor, Tensor]>)[c.name]!;
    const out = fn(...args);
    const outs = Array.isArray(out) ? out : [out];
    assert.equal(outs.length, c.outputs.length, `${shown(c)} gives ${c.outputs.length === 1 ? 'one tensor' : 'values and indices'}`);
    // Maxima and indices are copied, the grid a 3-term product per point: PyTorch's values to float32 rounding.
    c.outputs.forEach((e, i) => assertTensorClose(outs[i]!, e, `${shown(c)} output ${i}`, { rtol: 1e-6, atol: 1e-7 }));
  });
}

test('F.adaptiveMaxPool3d refuses a returnIndices that is not true, false or null', () => {
  const x = decode(fx.inputs['x3d']!);
  assert.throws(() => F.adaptiveMaxPool3d(x, 2, 'yes' as unknown as boolean), /adaptiveMaxPool3d: returnIndices must be true or false, got the string "yes"/);
  assert.throws(() => F.adaptiveMaxPool2d(x, 2, { returnIndice: true } as never), /adaptiveMaxPool2d: unknown option "returnIndice"/);
});
