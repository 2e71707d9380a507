// PyTorch 1.13's register_forward_pre_hook, register_forward_hook and register_full_backward_hook take the hook alone:
// an option of a later PyTorch (prepend, with_kwargs) is refused rather than ignored, which ran the hook last, or
// without the keyword arguments it expected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ones } from '../../src/index.js';

test('the hook registrations refuse a second argument, naming PyTorch 2.0\'s options, and register nothing', () => {
  const lin = new nn.Linear(2, 1);
  const hook = (): undefined => undefined;
  const pre = lin.registerForwardPreHook.bind(lin) as (...a: unknown[]) => unknown;
  const post = lin.registerForwardHook.bind(lin) as (...a: unknown[]) => unknown;
  const back = lin.registerFullBackwardHook.bind(lin) as (...a: unknown[]) => unknown;
  assert.throws(() => pre(hook, { prepend: true }), {
    name: 'TypeError',
    message: "registerForwardPreHook: takes at most 1 argument (registerForwardPreHook((m, args) => …), as PyTorch 1.13's register_forward_pre_hook(hook); its prepend and with_kwargs came in PyTorch 2.0), got an object as argument 2",
  });
  assert.throws(() => post(hook, { withKwargs: true }), {
    name: 'TypeError',
    message: "registerForwardHook: takes at most 1 argument (registerForwardHook((m, args, out) => …), as PyTorch 1.13's register_forward_hook(hook); its prepend and with_kwargs came in PyTorch 2.0), got an object as argument 2",
  });
  assert.throws(() => back(hook, true), {
    name: 'TypeError',
    message: "registerFullBackwardHook: takes at most 1 argument (registerFullBackwardHook((m, gradInput, gradOutput) => …), as PyTorch 1.13's register_full_backward_hook(hook); its prepend came in PyTorch 2.0), got true as argument 2",
  });
  assert.ok(!Object.hasOwn(lin, 'forward'), 'no hook was put on the layer');
  // The hook alone (an undefined after it, as JavaScript passes a missing argument) registers as before.
  const seen: string[] = [];
  pre(() => { seen.push('pre'); }, undefined);
  post(() => { seen.push('post'); });
  lin.forward(ones(1, 2));
  assert.deepEqual(seen, ['pre', 'post']);
});
