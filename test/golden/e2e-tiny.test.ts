// Each variant's structure at sizes 6→4→3, two training steps, every value compared with PyTorch: when the
// 200-step MNIST test fails, this one says which tensor of which step went wrong first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed } from '../../src/index.js';
import { assertClose, assertTensorClose, decode, loadFixture, type EncodedMap, type EncodedTensor } from './golden-helpers.js';
import { buildVariant, trainStep } from './variants.js';

interface TinyStep {
  input: EncodedTensor;
  target: EncodedTensor;
  output: EncodedTensor;
  loss: number;
  grads: EncodedMap;
  params: EncodedMap;
}
interface TinyVariant {
  variant: string;
  seed: number;
  sizes: [number, number, number];
  initial: EncodedMap;
  steps: TinyStep[];
}

const { variants } = loadFixture<{ variants: TinyVariant[] }>('e2e-tiny.json');

for (const v of variants) {
  test(`tiny ${v.variant}: initialisation from manualSeed(${v.seed}) and two steps match PyTorch`, () => {
    manualSeed(v.seed);
    const b = buildVariant(v.variant, v.sizes);
    const sd = b.model.stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(v.initial), 'state dict keys as in PyTorch');
    for (const [k, e] of Object.entries(v.initial)) assertTensorClose(sd[k] ?? null, e, `init ${k}`, { rtol: 0, atol: 0 });
    v.steps.forEach((s, i) => {
      const { output, loss } = trainStep(b, decode(s.input), decode(s.target));
      assertTensorClose(output, s.output, `step ${i + 1} output`);
      assertClose([loss.item()], [s.loss], `step ${i + 1} loss`);
      const named = new Map(b.model.namedParameters());
      for (const [k, e] of Object.entries(s.grads)) assertTensorClose(named.get(k)?.grad ?? null, e, `step ${i + 1} grad ${k}`);
      for (const [k, e] of Object.entries(s.params)) assertTensorClose(named.get(k) ?? null, e, `step ${i + 1} param ${k}`);
    });
  });
}
