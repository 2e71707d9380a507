// In-place changes after a forward pass, against PyTorch (fixtures/torch/inplace-versions.json): backward() refuses
// exactly where PyTorch's does (a tensor the op saved was changed: its version moved), and where it does not, the
// gradients are PyTorch's, computed without the changed values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cat, F, nn, noGrad, optim, where, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface ChangeCase {
  name: string;
  op: string;
  inputs: EncodedMap;
  requiresGrad: string[];
  change: string | null;
  view: 'reshape' | 'transpose' | null;
  changeTo?: EncodedTensor;
  upstream: EncodedTensor;
  raises: boolean;
  grads?: EncodedMap;
}

interface StepsCase {
  between: 'nothing' | 'zeroGrad' | 'step' | '0.weight' | '2.weight' | '2.bias';
  params: EncodedMap;
  x: EncodedTensor;
  y: EncodedTensor;
  raises: boolean;
  grads?: EncodedMap;
}

type T = Record<string, Tensor>;

/** Each fixture op as Kindling writes it. */
const OPS: Record<string, (t: T) => Tensor> = {
  neg: ({ x }) => x!.neg(),
  exp: ({ x }) => x!.exp(),
  log: ({ x }) => x!.log(),
  sqrt: ({ x }) => x!.sqrt(),
  abs: ({ x }) => x!.abs(),
  sigmoid: ({ x }) => x!.sigmoid(),
  tanh: ({ x }) => x!.tanh(),
  relu: ({ x }) => x!.relu(),
  leakyRelu: ({ x }) => x!.leakyRelu(0.02),
  clamp: ({ x }) => x!.clamp(-0.5, 0.5),
  softmax: ({ x }) => x!.softmax(1),
  logSoftmax: ({ x }) => x!.logSoftmax(1),
  sum: ({ x }) => x!.sum(),
  mean: ({ x }) => x!.mean(),
  max: ({ x }) => x!.max(),
  maxDim: ({ x }) => x!.max(1).values,
  reshape: ({ x }) => x!.reshape(6),
  transpose: ({ x }) => x!.T,
  clone: ({ x }) => x!.clone(),
  std: ({ x }) => x!.std(),
  var: ({ x }) => x!.var(),
  stdDim: ({ x }) => x!.std(1),
  varDim: ({ x }) => x!.var(1),
  gelu: ({ x }) => F.gelu(x!),
  geluTanh: ({ x }) => F.gelu(x!, 'tanh'),
  silu: ({ x }) => F.silu(x!),
  elu: ({ x }) => F.elu(x!),
  softplus: ({ x }) => F.softplus(x!),
  powScalar: ({ x }) => x!.pow(2),
  powHalf: ({ x }) => x!.abs().pow(0.5),
  add: ({ a, b }) => a!.add(b!),
  sub: ({ a, b }) => a!.sub(b!),
  mul: ({ a, b }) => a!.mul(b!),
  div: ({ a, b }) => a!.div(b!),
  pow: ({ a, b }) => a!.pow(b!),
  maximum: ({ a, b }) => a!.maximum(b!),
  minimum: ({ a, b }) => a!.minimum(b!),
  matmul: ({ a, b }) => a!.matmul(b!),
  linear: ({ input, weight, bias }) => F.linear(input!, weight!, bias!),
  layerNorm: ({ input, weight, bias }) => F.layerNorm(input!, [4], weight!, bias!),
  where: ({ condition, a, b }) => where(condition!.gt(0), a!, b!),
  cat: ({ a, b }) => cat([a!, b!], 0),
  mseLoss: ({ input, target }) => F.mseLoss(input!, target!),
  bceLoss: ({ input, target }) => F.bceLoss(input!, target!),
  bceWithLogitsLoss: ({ input, target }) => F.bceWithLogitsLoss(input!, target!),
  crossEntropyLoss: ({ input, target }) => F.crossEntropyLoss(input!, target!),
  nllLoss: ({ input, target }) => F.nllLoss(input!, target!),
  reshapeSigmoid: ({ x }) => x!.reshape(6).sigmoid(),
  reshapeMul: ({ x, w }) => x!.reshape(6).mul(w!),
  meanDim: ({ x }) => x!.mean(1),
  sumDim: ({ x }) => x!.sum(1),
  maxPool2d: ({ x }) => F.maxPool2d(x!, 2),
  avgPool2d: ({ x }) => F.avgPool2d(x!, 2),
  conv2d: ({ input, weight, bias }) => F.conv2d(input!, weight!, bias!),
  convTranspose2d: ({ input, weight, bias }) => F.convTranspose2d(input!, weight!, bias!),
  nllLossWeighted: ({ input, target, weight }) => F.nllLoss(input!, target!, { weight: weight! }),
  crossEntropyLossWeighted: ({ input, target, weight }) => F.crossEntropyLoss(input!, target!, { weight: weight! }),
  batchNormTrain: ({ input, runningMean, runningVar, weight, bias }) => F.batchNorm(input!, runningMean!, runningVar!, { weight: weight!, bias: bias!, training: true }),
  batchNormEval: ({ input, runningMean, runningVar, weight, bias }) => F.batchNorm(input!, runningMean!, runningVar!, { weight: weight!, bias: bias!, training: false }),
};

const fixture = loadFixture<{ cases: ChangeCase[]; steps: StepsCase[] }>('inplace-versions.json');

test('inplace-versions.json covers every op mapped here, and both outcomes', () => {
  const ops = new Set(fixture.cases.map((c) => c.op));
  assert.deepEqual([...ops].sort(), Object.keys(OPS).sort());
  assert.ok(fixture.cases.some((c) => c.raises) && fixture.cases.some((c) => !c.raises));
  assert.ok(fixture.steps.some((c) => c.raises) && fixture.steps.some((c) => !c.raises));
});

/** Writes `to` into `t` in place the way the fixture did: through detach(), and through a view of it when asked. */
function changeInPlace(t: Tensor, to: Tensor, view: ChangeCase['view']): void {
  noGrad(() => {
    const d = t.detach();
    if (view === 'reshape') d.reshape(-1).copy_(to.reshape(-1));
    else if (view === 'transpose') d.T.copy_(to.T);
    else d.copy_(to);
  });
}

for (const c of fixture.cases) {
  test(`in place after forward: ${c.name} (PyTorch ${c.raises ? 'refuses' : 'allows'} it)`, () => {
    const leaves: T = {};
    for (const [k, e] of Object.entries(c.inputs)) leaves[k] = decode(e, c.requiresGrad.includes(k));
    const out = OPS[c.op]!(leaves);
    if (c.change !== null) {
      const target = c.change === 'out' ? out : leaves[c.change]!;
      const before = target.version;
      changeInPlace(target, decode(c.changeTo!), c.view);
      assert.equal(target.version, before + 1, 'copy_ through detach() (and a view) moves the version');
    }
    const run = (): void => out.mul(decode(c.upstream)).sum().backward();
    if (c.raises) {
      assert.throws(run, (e: Error) => /changed in place after the forward pass/.test(e.message) && e.message.includes('modified by an inplace operation'));
      for (const k of c.requiresGrad) assert.equal(leaves[k]!.grad, null, `${k}: no gradient added before the refusal`);
      return;
    }
    run();
    for (const [k, e] of Object.entries(c.grads!)) assertTensorClose(leaves[k]!.grad, e, `${c.name}: grad of ${k}`);
  });
}

for (const c of fixture.steps) {
  test(`backward twice on one graph with ${c.between} between (PyTorch ${c.raises ? 'refuses' : 'allows'} it)`, () => {
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Sigmoid(), new nn.Linear(4, 2));
    const state: T = {};
    for (const [k, e] of Object.entries(c.params)) state[k] = decode(e);
    model.loadStateDict(state);
    const params = Object.fromEntries(model.namedParameters());
    const opt = new optim.SGD(model.parameters(), 0.5);
    const loss = F.mseLoss(model.forward(decode(c.x)), decode(c.y));
    loss.backward({ retainGraph: true });
    noGrad(() => {
      if (c.between === 'step') opt.step();
      else if (c.between === 'zeroGrad') opt.zeroGrad();
      else if (c.between !== 'nothing') params[c.between]!.mul_(2);
    });
    if (c.raises) {
      assert.throws(() => loss.backward(), /modified by an inplace operation/);
      return;
    }
    loss.backward();
    for (const [k, e] of Object.entries(c.grads!)) assertTensorClose(params[k]!.grad, e, `grad of ${k}`);
  });
}
