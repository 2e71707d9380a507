// A layer's forward takes one input and refuses more, as Python refuses `nn.Linear(3, 2)(x, y)`
// ("forward() takes 2 positional arguments but 3 were given"): JavaScript would drop the second argument, so passing
// the target to the model instead of the loss gave an answer without a word.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, randn, manualSeed } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('every built-in layer refuses a second argument to forward, and takes one', () => {
  manualSeed(0);
  const flat = randn(2, 4);
  const image = randn(2, 1, 4, 4);
  const layers: Array<[nn.Module, ReturnType<typeof randn>]> = [
    [new nn.Linear(4, 3), flat], [new nn.Sigmoid(), flat], [new nn.Tanh(), flat], [new nn.ReLU(), flat],
    [new nn.LeakyReLU(0.02), flat], [new nn.GELU(), flat], [new nn.SiLU(), flat], [new nn.ELU(), flat],
    [new nn.Softplus(), flat], [new nn.Softmax(1), flat], [new nn.LogSoftmax(1), flat], [new nn.Identity(), flat],
    [new nn.LayerNorm(4), flat], [new nn.BatchNorm1d(4), flat], [new nn.Dropout(0.5), flat], [new nn.Flatten(), image],
    [new nn.Unflatten(1, [2, 2]), flat], [new nn.Conv2d(1, 2, 3), image], [new nn.MaxPool2d(2), image],
    [new nn.AvgPool2d(2), image], [new nn.BatchNorm2d(1), image], [new nn.Sequential(new nn.Linear(4, 2)), flat],
    [new nn.Conv1d(2, 3, 2), flat.reshape(2, 2, 2)], [new nn.MaxPool1d(2), flat.reshape(2, 1, 4)], [new nn.AvgPool1d(2), flat.reshape(2, 1, 4)],
    [new nn.AdaptiveAvgPool1d(2), flat.reshape(2, 1, 4)], [new nn.AdaptiveMaxPool1d(2), flat.reshape(2, 1, 4)],
  ];
  for (const [layer, input] of layers) {
    const name = layer.constructor.name;
    const forward = loose<(...a: unknown[]) => unknown>(layer.forward.bind(layer));
    throwsWith(() => forward(input, input), TypeError, `${name}.forward: takes at most 1 argument`, 'argument 2', 'a target goes to the loss');
    throwsWith(() => forward(input, 5), TypeError, 'the number 5');
    assert.ok(forward(input) !== undefined, name);
    // A trailing undefined is no argument, as elsewhere.
    assert.ok(forward(input, undefined) !== undefined, name);
  }
});

test('Flatten and Unflatten name themselves for an input that is not a tensor, as the other layers do', () => {
  throwsWith(() => new nn.Flatten().forward(loose(null)), TypeError, 'Flatten: input must be a Tensor, got null');
  throwsWith(() => new nn.Unflatten(1, [2, 2]).forward(loose(undefined)), TypeError, 'Unflatten: input must be a Tensor, got undefined');
});
