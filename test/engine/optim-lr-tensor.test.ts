// A learning rate given as a 0-d tensor, as PyTorch 1.13 takes it (lr=torch.tensor(0.1)): every optimizer takes it,
// by position, in its options or in a group's, as the number the tensor holds, which PyTorch's print shows too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { throwsWith } from './throws.js';

const f = Math.fround;

test('SGD with lr tensor(0.1) steps as PyTorch 1.13\'s, and prints and saves the value the tensor holds', () => {
  const p = tensor([1, 1, 1], undefined, { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: tensor(0.1) });
  p.grad = tensor([1, 1, 1]);
  opt.step();
  // PyTorch 1.13: p = torch.ones(3, requires_grad=True); torch.optim.SGD([p], lr=torch.tensor(0.1)); p.grad = torch.ones(3)
  // → tensor([0.9000, 0.9000, 0.9000]), 0.8999999761581421 each; print(opt) shows lr: 0.10000000149011612.
  assert.deepEqual(Array.from(p.toArray()), [0.8999999761581421, 0.8999999761581421, 0.8999999761581421]);
  assert.equal(opt.options.lr, f(0.1));
  assert.equal(String(opt), 'SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    lr: 0.10000000149011612\n    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)');
  assert.equal(opt.stateDict().hyper!['lr'], f(0.1));
});

type Make = (params: Tensor[], lr: Tensor) => optim.Optimizer;

const OPTIMIZERS: [string, Make][] = [
  ['SGD', (ps, lr) => new optim.SGD(ps, lr)],
  ['Adam', (ps, lr) => new optim.Adam(ps, lr)],
  ['AdamW', (ps, lr) => new optim.AdamW(ps, { lr })],
  ['Adamax', (ps, lr) => new optim.Adamax(ps, lr)],
  ['NAdam', (ps, lr) => new optim.NAdam(ps, { lr })],
  ['RAdam', (ps, lr) => new optim.RAdam(ps, lr)],
  ['Adagrad', (ps, lr) => new optim.Adagrad(ps, { lr })],
  ['Adadelta', (ps, lr) => new optim.Adadelta(ps, lr)],
  ['RMSprop', (ps, lr) => new optim.RMSprop(ps, { lr })],
  ['Rprop', (ps, lr) => new optim.Rprop(ps, lr)],
  ['ASGD', (ps, lr) => new optim.ASGD(ps, { lr })],
  ['LBFGS', (ps, lr) => new optim.LBFGS(ps, lr)],
];

for (const [name, make] of OPTIMIZERS) {
  test(`${name} takes a 0-d tensor as its learning rate, as its number; refuses one with dimensions or out of range`, () => {
    const p = tensor([1, 2], undefined, { requiresGrad: true });
    assert.equal(make([p], tensor(0.25)).options.lr, 0.25);
    throwsWith(() => make([p], tensor([0.1])), TypeError, `${name}: a learning rate given as a tensor must be a 0-d tensor holding one number, such as tensor(0.1); got one of shape [1]`);
    throwsWith(() => make([p], tensor(-0.5)), RangeError, `${name}: Invalid learning rate: -0.5`);
  });
}

test('a group\'s own learning rate may be a 0-d tensor too, in the constructor and in addParamGroup', () => {
  const a = tensor([1], undefined, { requiresGrad: true });
  const b = tensor([1], undefined, { requiresGrad: true });
  const opt = new optim.Adam([{ params: [a], lr: tensor(0.5) }]);
  opt.addParamGroup({ params: [b], lr: tensor(0.125) });
  assert.deepEqual(opt.paramGroups.map((g) => g.lr), [0.5, 0.125]);
  throwsWith(() => opt.addParamGroup({ params: [tensor([1], undefined, { requiresGrad: true })], lr: tensor([1, 2]) }), TypeError, 'Adam.addParamGroup: a learning rate given as a tensor must be a 0-d tensor');
});
