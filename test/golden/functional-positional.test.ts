// torch.nn.functional called with PyTorch 1.13's positional arguments, against fixtures/torch/functional-positional.json
// (from make_functional_positional.py): F.conv2d(x, w, b, 1, 1), F.maxPool2d(x, 3, 2, 1), F.avgPool3d(x, 3, 2, 1,
// true, false, 3), F.embedding(i, w, null, 1.0), F.batchNorm(x, rm, rv, w, b, true, 0.1, 1e-5),
// F.interpolate(x, null, 2, 'bilinear'), F.pad(x, p, 'constant', 2.5), F.crossEntropy(out, y, null, null, -100, null,
// 'sum'), the losses' legacy sizeAverage and reduce, …: the same values as PyTorch's, each argument in its place.
import { test } from 'node:test';
import { F, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

interface Case { torch: string; name: string; args: unknown[]; outputs: EncodedTensor[] }
interface Fixture { inputs: Record<string, EncodedTensor>; cases: Case[] }

const fx = loadFixture<Fixture>('functional-positional.json');

/** A call as the fixture writes it, in Python's spelling with Kindling's name. */
function shown(c: Case): string {
  return `F.${c.name}(${c.args.map((a) => (a !== null && typeof a === 'object' && 'input' in a ? (a as { input: string }).input : JSON.stringify(a) ?? 'undefined')).join(', ')})`;
}

for (const c of fx.cases) {
  test(`${shown(c)} is PyTorch's F.${c.torch} with the same arguments`, () => {
    // Fresh inputs for every case: F.embedding with a maxNorm renormalises rows of its weight in place, as PyTorch's.
    const args = c.args.map((a) => (a !== null && typeof a === 'object' && 'input' in a ? decode(fx.inputs[(a as { input: string }).input]!) : a));
    const fn = (F as unknown as Record<string, (...a: unknown[]) => Tensor | [Tensor, Tensor]>)[c.name]!;
    const out = fn(...args);
    const outs = Array.isArray(out) ? out : [out];
    c.outputs.forEach((e, i) => assertTensorClose(outs[i]!, e, `${shown(c)} output ${i}`, { rtol: 1e-5, atol: 2e-6 }));
  });
}
