// Second derivatives (createGraph) of the smooth activations at their kinks, where PyTorch 1.13's double-backward
// formulas pick a side: ELU, SELU and CELU multiply by (x < 0), so at x = 0 the gradient has no slope; Softplus by
// (βx < threshold), so at βx = threshold neither; Hardswish keeps the slope x/3 + ½ strictly between −3 and 3. And
// LogSigmoid and Mish, whose gradients at x = 0 lost softplus's slope ½ when written with |x|. Expected values are
// PyTorch 1.13's (torch.autograd.grad with create_graph=True, upstream gradients of ones, printed to 9 digits).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, F, nn, ones, tensor, type Tensor } from '../../src/index.js';

/** The gradient (with createGraph) and the gradient of its sum, of `fn` at `xs`. */
function twoGrads(fn: (x: Tensor) => Tensor, xs: number[]): [number[], number[]] {
  const x = tensor(xs, { requiresGrad: true });
  const [g] = autograd.grad([fn(x)], [x], [ones(xs.length)], { createGraph: true });
  const [gg] = autograd.grad([g!], [x], [ones(xs.length)]);
  return [Array.from(g!.values()), Array.from(gg!.values())];
}

function close(got: number[], want: number[], what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 2e-7 * Math.max(1, Math.abs(want[i]!)), `${what}[${i}]: ${v}, PyTorch ${want[i]}`));
}

test('ELU, SELU and CELU: at x = 0 the gradient is α·g with no slope (elu_double_backward multiplies by x < 0)', () => {
  const cases: Array<[string, (x: Tensor) => Tensor, number[], number[], number[]]> = [
    ['F.elu', (x) => F.elu(x), [-0.5, -0, 0, 0.5], [0.606530666, 1, 1, 1], [0.606530666, 0, 0, 0]],
    ['F.elu(0.5)', (x) => F.elu(x, 0.5), [-0.5, 0, 0.5], [0.303265333, 0.5, 1], [0.303265333, 0, 0]],
    ['nn.ELU', (x) => new nn.ELU().forward(x), [-0.5, -0, 0, 0.5], [0.606530666, 1, 1, 1], [0.606530666, 0, 0, 0]],
    ['F.selu', (x) => F.selu(x), [-0.5, 0, 0.5], [1.06634116, 1.75809932, 1.05070102], [1.06634116, 0, 0]],
    ['F.celu(0.5)', (x) => F.celu(x, 0.5), [-0.5, 0, 0.5], [0.36787945, 1, 1], [0.735758901, 0, 0]],
  ];
  for (const [name, fn, xs, g, gg] of cases) {
    const [gotG, gotGG] = twoGrads(fn, xs);
    close(gotG, g, `${name} gradient`);
    close(gotGG, gg, `${name} second derivative`);
  }
});

test('Softplus: at βx = threshold the gradient σ(βx) has no slope (softplus_double_backward multiplies by βx < threshold)', () => {
  let [g, gg] = twoGrads((x) => F.softplus(x, 1, 1), [0.5, 1, 2]);
  close(g, [0.622459352, 0.731058598, 1], 'softplus(x, 1, 1) gradient');
  close(gg, [0.23500371, 0, 0], 'softplus(x, 1, 1) second derivative');
  [g, gg] = twoGrads((x) => new nn.Softplus(2, 0).forward(x), [-0.25, 0, 0.25]);
  close(g, [0.377540678, 0.5, 1], 'Softplus(2, 0) gradient');
  close(gg, [0.47000742, 0, 0], 'Softplus(2, 0) second derivative');
});

test('Hardswish: the gradient\'s slope 1/3 holds strictly between −3 and 3; at −3 and at NaN its own slope is 0, as PyTorch\'s', () => {
  const [g, gg] = twoGrads((x) => F.hardswish(x), [-4, -3, 0, 1.5]);
  close(g, [0, -0.5, 0.5, 1], 'hardswish gradient');
  close(gg, [0, 0, 0.333333343, 0.333333343], 'hardswish second derivative');
  const [gNaN, ggNaN] = twoGrads((x) => F.hardswish(x), [NaN]);
  // The gradient at NaN is NaN here; PyTorch 1.13's depends on the element's place (its vector loop gives NaN, its
  // scalar tail, as for this one-element tensor, 1): Kindling's is the vector loop's, for every element.
  assert.ok(Number.isNaN(gNaN[0]), 'the gradient at NaN stays NaN');
  assert.deepEqual(ggNaN, [0]);   // PyTorch 1.13: where(-3 < x < 3, …, 0) is 0 at NaN
});

test('LogSigmoid and Mish with createGraph: the gradient and its slope at x = ±0 are PyTorch\'s', () => {
  let [g, gg] = twoGrads((x) => F.logsigmoid(x), [-1, -0, 0, 1]);
  close(g, [0.731058598, 0.5, 0.5, 0.268941432], 'logsigmoid gradient');   // it was 0 at ±0
  close(gg, [-0.196611941, -0.25, -0.25, -0.196611926], 'logsigmoid second derivative');
  [g, gg] = twoGrads((x) => new nn.Mish().forward(x), [-1, -0, 0, 1]);
  close(g, [0.0592167526, 0.600000024, 0.600000024, 1.04903626], 'mish gradient');
  close(gg, [0.349705696, 0.639999986, 0.639999986, 0.184685841], 'mish second derivative');   // it was 0 at ±0
});
