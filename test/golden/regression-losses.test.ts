// F.l1Loss, F.smoothL1Loss, F.huberLoss and F.klDiv (and their modules) against PyTorch 1.13
// (fixtures/torch/regression-losses.json, written by make_regression_losses.py): values, the gradients of the input
// and of the target, the grad_fn's name, for every reduction; differences exactly 0 and at ±beta / ±delta; beta 0, tiny,
// large and infinite; 0-d, empty and broadcast shapes; kl_div's 0·log 0, NaN and −∞ targets. And the calls PyTorch
// refuses are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap, type Tolerance } from './golden-helpers.js';

interface Args {
  reduction: string;
  beta?: number | string;
  delta?: number | string;
  logTarget?: boolean;
}

interface Case {
  name: string;
  op: 'l1Loss' | 'smoothL1Loss' | 'huberLoss' | 'klDiv';
  args: Args;
  inputs: EncodedMap;
  outputs: EncodedMap;
  upstream: EncodedMap;
  grads: EncodedMap;
  gradFn: string;
  targetGrad: boolean;
}

interface Refusal {
  op: Case['op'];
  args: Record<string, unknown>;
  inputShape: number[];
  targetShape: number[];
  torchMessage: string;
}

const fx = loadFixture<{ torch_version: string; cases: Case[]; errors: Refusal[] }>('regression-losses.json');

/** About 1e-6 relative: PyTorch's float32 sums and products are rounded in other orders than Kindling's. */
const TOL: Tolerance = { rtol: 1e-6, atol: 1e-7 };

/** A number of the fixture (±inf written as a string). */
const num = (v: number | string): number => Number(v);

/** The options of a case, in Kindling's names (as the fixture writes them). */
function options(a: Args): Record<string, unknown> {
  const o: Record<string, unknown> = { reduction: a.reduction };
  if (a.beta !== undefined) o.beta = num(a.beta);
  if (a.delta !== undefined) o.delta = num(a.delta);
  if (a.logTarget !== undefined) o.logTarget = a.logTarget;
  return o;
}

type Call = (input: Tensor, target: Tensor, options: never) => Tensor;
const FUNCTIONS: Record<Case['op'], Call> = { l1Loss: F.l1Loss, smoothL1Loss: F.smoothL1Loss, huberLoss: F.huberLoss, klDiv: F.klDiv };
const MODULES: Record<Case['op'], (o: Record<string, unknown>) => { forward(input: Tensor, target: Tensor): Tensor }> = {
  l1Loss: (o) => new nn.L1Loss(o as never),
  smoothL1Loss: (o) => new nn.SmoothL1Loss(o as never),
  huberLoss: (o) => new nn.HuberLoss(o as never),
  klDiv: (o) => new nn.KLDivLoss(o as never),
};

test('regression-losses.json covers every loss and reduction, and the edges it says it does', () => {
  assert.match(fx.torch_version, /^1\.13/);
  const has = (op: string, reduction: string): boolean => fx.cases.some((c) => c.op === op && c.args.reduction === reduction);
  for (const op of ['l1Loss', 'smoothL1Loss', 'huberLoss', 'klDiv']) for (const r of ['mean', 'sum', 'none']) assert.ok(has(op, r), `${op} ${r}`);
  assert.ok(has('klDiv', 'batchmean'));
  assert.ok(fx.cases.some((c) => c.op === 'smoothL1Loss' && c.args.beta === 0 && c.name.includes('boundary')), 'beta 0 at d = 0');
  assert.ok(fx.cases.some((c) => c.inputs.input!.shape.length === 0), '0-d');
  assert.ok(fx.cases.some((c) => c.inputs.input!.shape.includes(0)), 'empty');
  assert.ok(fx.cases.some((c) => !c.targetGrad) && fx.cases.some((c) => c.targetGrad), 'targets with and without grad');
  assert.ok(fx.cases.length >= 200, `${fx.cases.length} cases`);
});

for (const c of fx.cases) {
  test(`${c.name}: value, input and target gradients, grad_fn as PyTorch 1.13`, () => {
    const input = decode(c.inputs.input!, true);
    const target = decode(c.inputs.target!, c.targetGrad);
    const out = FUNCTIONS[c.op](input, target, options(c.args) as never);
    assertTensorClose(out, c.outputs.out!, `${c.name} value`, TOL);
    assert.equal(out.gradFn?.torchName, c.gradFn, `${c.name} grad_fn`);
    assert.match(String(out), new RegExp(`grad_fn=<${c.gradFn}>`));
    out.backward(decode(c.upstream.out!));
    assertTensorClose(input.grad, c.grads.input!, `${c.name} input grad`, TOL);
    if (c.targetGrad) assertTensorClose(target.grad, c.grads.target!, `${c.name} target grad`, TOL);
    else assert.equal(target.grad, null);
    // The module computes the same value (and the same node).
    const viaModule = MODULES[c.op](options(c.args)).forward(decode(c.inputs.input!, true), decode(c.inputs.target!));
    assertTensorClose(viaModule, c.outputs.out!, `${c.name} module value`, TOL);
    assert.equal(viaModule.gradFn?.torchName, c.gradFn);
  });
}

test('the calls PyTorch 1.13 refuses (bad beta, delta, reduction, logTarget; shapes that do not broadcast) are refused', () => {
  assert.ok(fx.errors.length >= 20);
  for (const e of fx.errors) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e.args)) o[k] = typeof v === 'string' && k !== 'reduction' ? Number(v) : v;
    const input = decode({ shape: e.inputShape, data: new Array<number>(e.inputShape.reduce((a, b) => a * b, 1)).fill(0.5) });
    const target = decode({ shape: e.targetShape, data: new Array<number>(e.targetShape.reduce((a, b) => a * b, 1)).fill(0.25) });
    assert.throws(() => FUNCTIONS[e.op](input, target, o as never), (err: Error) => {
      assert.ok(err instanceof RangeError || err instanceof TypeError, `${e.op} ${JSON.stringify(e.args)}: ${err}`);
      assert.ok(err.message.startsWith(`${e.op}: `), err.message);
      const key = Object.keys(e.args)[0];
      if (key !== undefined) assert.ok(err.message.includes(key), `${err.message} names ${key}`);
      else assert.ok(err.message.includes(`[${e.targetShape.join(', ')}]`) && err.message.includes(`[${e.inputShape.join(', ')}]`), err.message);
      return true;
    }, `${e.op} ${JSON.stringify(e.args)} target ${JSON.stringify(e.targetShape)}: PyTorch says ${e.torchMessage}`);
  }
});
