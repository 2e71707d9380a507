// PyTorch's snake_case names, typed from the book's code, are refused with Kindling's name for each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, optim, tensor } from '../../src/index.js';

type Kind = 'method' | 'property';
const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Sigmoid());
const optimizer = new optim.SGD(model.parameters(), 0.1);
const scheduler = new optim.lr_scheduler.StepLR(optimizer, 2);
const plateau = new optim.lr_scheduler.ReduceLROnPlateau(optimizer);
const x = tensor([1, 2], { requiresGrad: true });
const reset: [string, string, Kind][] = [['reset_parameters', 'resetParameters', 'method']];

const CASES: [string, object, [string, string, Kind][]][] = [
  ['model', model, [
    ['zero_grad', 'zeroGrad', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
    ['named_parameters', 'namedParameters', 'method'], ['named_children', 'namedChildren', 'method'], ['named_modules', 'namedModules', 'method'],
    ['register_forward_hook', 'registerForwardHook', 'method'], ['register_forward_pre_hook', 'registerForwardPreHook', 'method'],
    ['register_full_backward_hook', 'registerFullBackwardHook', 'method'], ['register_backward_hook', 'registerFullBackwardHook', 'method'],
    ['get_submodule', 'getSubmodule', 'method'], ['get_parameter', 'getParameter', 'method'], ['add_module', 'addModule', 'method'],
  ]],
  ['optimizer', optimizer, [
    ['zero_grad', 'zeroGrad', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
    ['add_param_group', 'addParamGroup', 'method'], ['param_groups', 'paramGroups', 'property'],
  ]],
  ['scheduler', scheduler, [
    ['get_last_lr', 'getLastLr', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
    ['last_epoch', 'lastEpoch', 'property'], ['base_lrs', 'baseLrs', 'property'],
  ]],
  ['scheduler', plateau, [
    ['get_last_lr', 'getLastLr', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
    ['last_epoch', 'lastEpoch', 'property'], ['num_bad_epochs', 'numBadEpochs', 'property'], ['cooldown_counter', 'cooldownCounter', 'property'],
  ]],
  ['layer', new nn.Linear(2, 3), reset],
  ['layer', new nn.Conv2d(1, 2, 3), reset],
  ['layer', new nn.BatchNorm2d(3), [...reset, ['reset_running_stats', 'resetRunningStats', 'method']]],
  ['x', x, [
    ['requires_grad', 'requiresGrad', 'property'], ['requires_grad_', 'requiresGrad_', 'method'], ['grad_fn', 'gradFn', 'property'],
    ['is_leaf', 'isLeaf', 'property'], ['is_contiguous', 'isContiguous', 'method'], ['log_softmax', 'logSoftmax', 'method'],
    ['masked_fill', 'maskedFill', 'method'], ['index_select', 'indexSelect', 'method'],
  ]],
];

for (const [owner, obj, names] of CASES) {
  test(`${owner} (${obj.constructor.name}): PyTorch's snake_case names throw a TypeError naming Kindling's, which exists`, () => {
    const o = obj as Record<string, unknown>;
    for (const [python, kindling, kind] of names) {
      const call = kind === 'method' ? '()' : '';
      const message = `${owner}.${python}${call} is PyTorch's name; Kindling's is ${owner}.${kindling}${call}`;
      if (kind === 'method') {
        assert.throws(() => (o[python] as () => unknown)(), { name: 'TypeError', message });
        assert.equal(typeof o[kindling], 'function', `${owner}.${kindling} is a method`);
      } else {
        assert.throws(() => o[python], { name: 'TypeError', message });
        assert.throws(() => { o[python] = 1; }, { name: 'TypeError', message });
        assert.notEqual(o[kindling], undefined, `${owner}.${kindling} is a property`);
      }
      assert.ok(!Object.keys(o).includes(python), `${python} is not an own, enumerable key`);
    }
  });
}

test('the refusals change nothing else: members, printing and state dicts are as before', () => {
  assert.deepEqual(Object.keys(model.stateDict()), ['0.weight', '0.bias']);
  assert.equal(model.parameters().length, 2);
  assert.match(String(model), /^Sequential\(\n {2}\(0\): Linear\(in_features=2, out_features=3, bias=True\)/);
  assert.deepEqual(Object.keys(optimizer.stateDict()).sort(), ['hyper', 'params', 'state']);
  assert.equal(String(x), 'tensor([1., 2.], requires_grad=True)');
  const copy = { ...x };
  assert.ok(!('requires_grad' in copy));
});

test('names PyTorch itself does not have are left alone (x.leaky_relu is no tensor method there)', () => {
  assert.equal((x as unknown as Record<string, unknown>)['leaky_relu'], undefined);
});

test("model.registerBackwardHook, PyTorch's deprecated hook, is refused pointing to registerFullBackwardHook, and registers nothing", () => {
  const lin = new nn.Linear(2, 1);
  assert.throws(() => lin.registerBackwardHook(() => undefined), {
    name: 'TypeError',
    message: "registerBackwardHook: PyTorch's deprecated module backward hook (its gradInput are those of the module's last operation) is not offered; use registerFullBackwardHook((m, gradInput, gradOutput) => …), as PyTorch advises",
  });
  // No hook was put on the layer: its forward is still its own.
  assert.ok(!Object.hasOwn(lin, 'forward'));
});
