// A parameter whose elements share memory (an expand, strides 0) cannot be stepped in place: every optimizer refuses
// it at step(), as PyTorch 1.13 does ("unsupported operation: more than one element of the written-to tensor refers
// to a single memory location"), before any parameter or state changes; without a gradient it is not stepped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { KindlingError } from '../../src/errors.js';
import { throwsWith } from './throws.js';

type Make = (params: Tensor[]) => optim.Optimizer;

const OPTIMIZERS: [string, Make][] = [
  ['SGD', (ps) => new optim.SGD(ps, 0.1)],
  ['SGD', (ps) => new optim.SGD(ps, 0.1, { momentum: 0.9 })],
  ['Adam', (ps) => new optim.Adam(ps)],
  ['AdamW', (ps) => new optim.AdamW(ps)],
  ['Adamax', (ps) => new optim.Adamax(ps)],
  ['NAdam', (ps) => new optim.NAdam(ps)],
  ['RAdam', (ps) => new optim.RAdam(ps)],
  ['Adagrad', (ps) => new optim.Adagrad(ps)],
  ['Adadelta', (ps) => new optim.Adadelta(ps)],
  ['RMSprop', (ps) => new optim.RMSprop(ps)],
  ['Rprop', (ps) => new optim.Rprop(ps)],
  ['ASGD', (ps) => new optim.ASGD(ps)],
];

const SHARED = 'has several elements sharing one memory location (an expand)';
const TORCH = 'more than one element of the written-to tensor refers to a single memory location';

for (const [name, make] of OPTIMIZERS) {
  test(`${name} refuses to step an expanded parameter, naming it, and changes nothing (PyTorch 1.13 refuses it too)`, () => {
    const own = tensor([0.5, -1], undefined, { requiresGrad: true });
    const base = tensor([1, 2]);
    const q = base.expand([3, 2]).requiresGrad_(); // the repro: without the check, the last row's update wins
    const opt = make([own, q]);
    own.grad = tensor([1, 1]);
    q.grad = tensor([[1, 1], [2, 2], [3, 3]]);
    const before = JSON.stringify(opt.stateDict());
    throwsWith(() => opt.step(), KindlingError, `${name}.step: parameter 1 (shape [3, 2], strides [0, 1]) ${SHARED}`, TORCH, 'clone()');
    assert.deepEqual(Array.from(base.toArray()), [1, 2]);
    assert.deepEqual(Array.from(own.toArray()), [0.5, -1], 'the other parameter is not stepped either');
    assert.equal(JSON.stringify(opt.stateDict()), before, 'nor its state');
    // Without a gradient the expand is not stepped, as in PyTorch; the other parameter is.
    q.grad = null;
    opt.step();
    assert.notDeepEqual(Array.from(own.toArray()), [0.5, -1]);
    assert.deepEqual(Array.from(base.toArray()), [1, 2]);
  });
}

test('an expand of size 1 along its stride-0 dimension shares nothing and is stepped', () => {
  const one = tensor([1, 2]).expand([1, 2]).requiresGrad_();
  const opt = new optim.SGD([one], 0.5);
  one.grad = tensor([[2, 2]]);
  opt.step();
  assert.deepEqual(Array.from(one.toArray()), [0, 1]);
});

test('LBFGS refuses an expanded parameter before its first update, as PyTorch\'s _add_grad does', () => {
  const base = tensor([1, 2]);
  const q = base.expand([3, 2]).requiresGrad_();
  const opt = new optim.LBFGS([q]);
  const closure = (): number => {
    q.grad = tensor([[1, 1], [2, 2], [3, 3]]);
    return 1;
  };
  throwsWith(() => opt.step(closure), KindlingError, `LBFGS.step: parameter 0 (shape [3, 2], strides [0, 1]) ${SHARED}`, TORCH);
  assert.deepEqual(Array.from(base.toArray()), [1, 2]);
});
