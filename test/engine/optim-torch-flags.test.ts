// PyTorch 1.13's implementation switches (foreach, differentiable, capturable, fused): each optimizer takes the ones
// its PyTorch constructor takes, keeps them in its groups, saves and prints them as PyTorch does; foreach changes
// nothing in the results, and what needs CUDA or a differentiable step is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { optim, tensor, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

type Make = (params: Tensor[], options: Record<string, unknown>) => optim.Optimizer;

/** Each optimizer and the switches of its PyTorch 1.13 signature (inspect.signature(torch.optim.X)). */
const OPTIMIZERS: [string, Make, string[]][] = [
  ['SGD', (ps, o) => new optim.SGD(ps, loose({ lr: 0.1, momentum: 0.9, ...o })), ['foreach', 'differentiable']],
  ['Adam', (ps, o) => new optim.Adam(ps, loose(o)), ['foreach', 'capturable', 'differentiable', 'fused']],
  ['AdamW', (ps, o) => new optim.AdamW(ps, loose(o)), ['foreach', 'capturable']],
  ['Adamax', (ps, o) => new optim.Adamax(ps, loose(o)), ['foreach']],
  ['NAdam', (ps, o) => new optim.NAdam(ps, loose(o)), ['foreach']],
  ['RAdam', (ps, o) => new optim.RAdam(ps, loose(o)), ['foreach']],
  ['Adagrad', (ps, o) => new optim.Adagrad(ps, loose(o)), ['foreach']],
  ['Adadelta', (ps, o) => new optim.Adadelta(ps, loose(o)), ['foreach']],
  ['RMSprop', (ps, o) => new optim.RMSprop(ps, loose({ momentum: 0.9, centered: true, ...o })), ['foreach', 'differentiable']],
  ['Rprop', (ps, o) => new optim.Rprop(ps, loose(o)), ['foreach']],
  ['ASGD', (ps, o) => new optim.ASGD(ps, loose({ t0: 1, ...o })), ['foreach']],
];

const SWITCHES = ['foreach', 'differentiable', 'capturable', 'fused'];

/** The parameter after 4 steps on fixed gradients. */
function run(make: Make, options: Record<string, unknown>): number[] {
  const p = tensor([0.5, -1.5, 2, 0.25], undefined, { requiresGrad: true });
  const opt = make([p], options);
  for (let s = 0; s < 4; s++) {
    p.grad = tensor([Math.sin(s), Math.cos(s), 0.5 - s, 0.1 * s]);
    opt.step();
  }
  return Array.from(p.toArray());
}

for (const [name, make, flags] of OPTIMIZERS) {
  test(`${name} takes PyTorch 1.13's ${flags.join(', ')}, keeps and saves them; foreach changes nothing in the results`, () => {
    const plain = run(make, {});
    for (const foreach of [null, true, false]) assert.deepEqual(run(make, { foreach }), plain, `${name} foreach ${String(foreach)}`);
    const p = tensor([1, 2], undefined, { requiresGrad: true });
    const given = Object.fromEntries(flags.map((k) => [k, k === 'foreach' ? true : false]));
    const opt = make([p], given);
    for (const k of flags) assert.equal((opt.options as unknown as Record<string, unknown>)[k], given[k], `${name} group's ${k}`);
    // Saved with the other options (as in PyTorch's param_groups) and loaded back.
    const sd = opt.stateDict();
    for (const k of flags) assert.equal(sd.hyper![k], given[k], `${name} saved ${k}`);
    const other = make([tensor([1, 2], undefined, { requiresGrad: true })], {});
    assert.equal((other.options as unknown as Record<string, unknown>)['foreach'], null, 'foreach defaults to null (None)');
    other.loadStateDict(sd);
    assert.equal((other.options as unknown as Record<string, unknown>)['foreach'], true);
    assert.match(String(other), /\n {4}foreach: True\n/);
    // A group may give its own.
    const grouped = make([{ params: [tensor([1], undefined, { requiresGrad: true })], foreach: false } as unknown as Tensor], {});
    assert.equal((grouped.options as unknown as Record<string, unknown>)['foreach'], false);
    // The switches PyTorch 1.13's signature lacks stay unknown options.
    for (const k of SWITCHES.filter((s) => !flags.includes(s))) throwsWith(() => make([p], { [k]: false }), TypeError, `${name}: unknown option "${k}"`);
    throwsWith(() => make([p], { foreach: 1 }), TypeError, `${name}: foreach must be null (PyTorch's None), true or false, got the number 1`);
  });
}

test('differentiable, capturable and fused true are refused, saying why (PyTorch 1.13 fails on the CPU too)', () => {
  const ps = [tensor([1, 2], undefined, { requiresGrad: true })];
  throwsWith(() => new optim.Adam(ps, { fused: true }), RangeError, 'Adam: fused: true is PyTorch\'s fused CUDA kernel, and Kindling runs on the CPU', 'FusedAdam requires all the params to be CUDA');
  throwsWith(() => new optim.AdamW(ps, { capturable: true }), RangeError, 'AdamW: capturable: true is for CUDA graphs', 'If capturable=True, params and state_steps must be CUDA tensors.');
  throwsWith(() => new optim.SGD(ps, 0.1, { differentiable: true }), RangeError, 'SGD: differentiable: true is not supported', 'a leaf Variable that requires grad');
  throwsWith(() => new optim.RMSprop([{ params: ps, differentiable: true }]), RangeError, 'RMSprop (parameter group 0): differentiable: true is not supported');
  throwsWith(() => new optim.Adam(ps, loose({ capturable: 'no' })), TypeError, 'Adam: capturable must be true or false, got the string "no"');
});

test('print(opt) shows the switches as PyTorch 1.13 prints them', () => {
  const ps = [tensor([1, 2], undefined, { requiresGrad: true })];
  // PyTorch 1.13: print(torch.optim.Adam([p], foreach=True)), print(torch.optim.RMSprop([p], foreach=False, differentiable=False)).
  assert.equal(String(new optim.Adam(ps, { foreach: true })), 'Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n    differentiable: False\n    eps: 1e-08\n    foreach: True\n    fused: False\n    lr: 0.001\n    maximize: False\n    weight_decay: 0\n)');
  assert.equal(String(new optim.RMSprop(ps, { foreach: false, differentiable: false })), 'RMSprop (\nParameter Group 0\n    alpha: 0.99\n    centered: False\n    differentiable: False\n    eps: 1e-08\n    foreach: False\n    lr: 0.01\n    maximize: False\n    momentum: 0\n    weight_decay: 0\n)');
});

test('LBFGS takes none of the switches, as PyTorch 1.13\'s', () => {
  const ps = [tensor([1, 2], undefined, { requiresGrad: true })];
  throwsWith(() => new optim.LBFGS(ps, loose({ foreach: false })), TypeError, 'LBFGS: unknown option "foreach"');
});
