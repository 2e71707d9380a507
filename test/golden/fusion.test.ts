// nn.utils.fusion against PyTorch (fixtures/torch/fusion.json, from make_fusion.py): a batch norm folded into the
// convolution or Linear layer before it gives PyTorch's fused weight and bias (bit for bit: the same operations in the
// same order), a layer that computes what the pair computes, its printing and state names; the originals are left
// as they were, no random numbers are drawn, and fusing in training mode is refused in PyTorch's words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getDefaultGenerator, manualSeed, nn, noGrad, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface Case {
  kind: string; size: number[]; options: Record<string, unknown>; bnKind: string; bnOptions: Record<string, unknown>; transpose: boolean | null; seed: number;
  weight: EncodedTensor; bias: EncodedTensor | null; runningMean: EncodedTensor; runningVar: EncodedTensor; bnWeight: EncodedTensor | null; bnBias: EncodedTensor | null;
  fusedWeight: EncodedTensor; fusedBias: EncodedTensor; input: EncodedTensor; fusedOut: EncodedTensor; pairOut: EncodedTensor; repr: string; keys: string[]; fusedTraining: boolean;
}
const fx = loadFixture<{ cases: Case[]; refusals: Record<string, { message: string }> }>('fusion.json');

type Layer = nn.Module & { weight: Tensor; bias: Tensor | null };
const make = <T>(name: string, ...args: unknown[]): T => new ((nn as unknown as Record<string, new (...a: unknown[]) => T>)[name]!)(...args);

for (const c of fx.cases) {
  test(`fusion of ${c.kind}(${c.size.join(', ')}) and ${c.bnKind} ${JSON.stringify(c.bnOptions)}: PyTorch's fused weight and bias bit for bit, the pair's output`, () => {
    manualSeed(c.seed);
    const layer = make<Layer>(c.kind, ...c.size, ...(Object.keys(c.options).length ? [c.options] : []));
    const bn = make<nn.BatchNormBase>(c.bnKind, c.size[1], ...(Object.keys(c.bnOptions).length ? [c.bnOptions] : []));
    noGrad(() => {
      layer.weight.copy_(decode(c.weight));
      if (c.bias !== null) layer.bias!.copy_(decode(c.bias));
      bn.runningMean!.copy_(decode(c.runningMean));
      bn.runningVar!.copy_(decode(c.runningVar));
      if (c.bnWeight !== null) bn.weight!.copy_(decode(c.bnWeight));
      if (c.bnBias !== null) bn.bias!.copy_(decode(c.bnBias));
    });
    layer.eval();
    bn.eval();
    const before = [...layer.weight.toArray()];
    const generator = getDefaultGenerator().getState();
    const fused = c.transpose === null
      ? nn.utils.fuseLinearBnEval(layer as unknown as nn.Linear, bn)
      : nn.utils.fuseConvBnEval(layer, bn, c.transpose);
    assert.deepEqual([...fused.weight.toArray()], values(c.fusedWeight));
    assert.deepEqual([...fused.bias!.toArray()], values(c.fusedBias));
    assert.equal(String(fused), c.repr);
    assert.deepEqual(Object.keys(fused.stateDict()), c.keys);
    assert.equal(fused.training, c.fusedTraining);
    assert.notEqual(fused, layer);
    assert.deepEqual([...layer.weight.toArray()], before, 'the original layer is left as it was');
    assert.deepEqual(getDefaultGenerator().getState(), generator, 'nothing drawn from the global generator');
    const x = decode(c.input);
    assertTensorClose(fused.forward(x), c.fusedOut, 'fused output');
    assertTensorClose(bn.forward(layer.forward(x)), c.pairOut, 'the pair');
    assertTensorClose(fused.forward(x), c.pairOut, 'fused against the pair', { rtol: 1e-5, atol: 1e-5 });
  });
}

test("fusion's refusals: training mode in PyTorch's words, a batch norm without statistics", () => {
  assert.throws(() => nn.utils.fuseConvBnEval(new nn.Conv2d(2, 2, 1), new nn.BatchNorm2d(2)), (e: Error) => e.message === fx.refusals['training']!.message);
  const conv = new nn.Conv2d(2, 2, 1).eval();
  assert.throws(() => nn.utils.fuseConvBnEval(conv, new nn.BatchNorm2d(2, { trackRunningStats: false }).eval()), /no running statistics/);
});
