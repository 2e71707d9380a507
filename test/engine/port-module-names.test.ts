// A PyTorch user's calls on a module, ported line by line: the snake_case names a module has in PyTorch throw with
// Kindling's name for each, as the other names of python-names.test.ts do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, tensor, type Tensor } from '../../src/index.js';

class Net extends nn.Module {
  fc = new nn.Linear(2, 3);
  forward(x: Tensor): Tensor {
    return this.fc.forward(x);
  }
  addScale(): void {
    (this as unknown as { register_parameter(n: string, p: Tensor): void }).register_parameter('scale', new nn.Parameter(tensor([1])));
  }
  addHead(): void {
    (this as unknown as { register_module(n: string, m: nn.Module): void }).register_module('head', new nn.Linear(3, 1));
  }
}

test("model.requires_grad_(false), register_parameter and register_module name Kindling's methods", () => {
  const model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
  const m = model as unknown as Record<string, (...a: unknown[]) => unknown>;
  assert.throws(() => m['requires_grad_']!(false), {
    name: 'TypeError',
    message: "model.requires_grad_() is PyTorch's name; Kindling's is model.requiresGrad_()",
  });
  // Nothing was frozen, and Kindling's name does it.
  assert.deepEqual(model.parameters().map((p) => p.requiresGrad), [true, true]);
  model.requiresGrad_(false);
  assert.deepEqual(model.parameters().map((p) => p.requiresGrad), [false, false]);

  const net = new Net();
  assert.throws(() => net.addScale(), { name: 'TypeError', message: "model.register_parameter() is PyTorch's name; Kindling's is model.registerParameter()" });
  assert.throws(() => net.addHead(), { name: 'TypeError', message: "model.register_module() is PyTorch's name; Kindling's is model.registerModule()" });
  assert.deepEqual(Object.keys(net.stateDict()), ['fc.weight', 'fc.bias']);
  assert.ok(!Object.keys(net).includes('requires_grad_'));
});
