// The chapter's variants trained on the first MNIST images with both backends: the parameters must come out with
// the same bits (the wasm kernels perform exactly the reference kernels' float32 operations).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readMnist } from '../../bench/mnist.js';
import { buildVariant, VARIANTS, type Variant } from '../../bench/variants.js';
import { manualSeed, Tensor } from '../../src/index.js';
import { assertSameBits, requireWasm, withBackend } from './helpers.js';

const data = readMnist('train', 300);

/** The first `steps` images, one a step, as the chapter trains; returns the losses. */
function oneImageSteps(
  model: { forward(x: Tensor): Tensor }, lossFn: { forward(out: Tensor, y: Tensor): Tensor }, opt: { zeroGrad(): void; step(): unknown }, steps: number,
): number[] {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const x = new Tensor(data.images.slice(i * 784, (i + 1) * 784), [784]);
    const y = new Tensor(data.targets.slice(i * 10, (i + 1) * 10), [10]);
    const loss = lossFn.forward(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

function train(variant: Variant, steps: number): { params: Float32Array[]; grads: Float32Array[]; losses: number[] } {
  manualSeed(0);
  const { model, lossFn, opt } = buildVariant(variant);
  const losses = oneImageSteps(model, lossFn, opt, steps);
  const params = model.parameters();
  return { params: params.map((p) => p.toArray()), grads: params.map((p) => p.grad!.toArray()), losses };
}

for (const variant of VARIANTS) {
  const steps = variant === 'baseline' || variant === 'adam' ? 300 : 120;
  test(`${variant}: ${steps} one-image steps give bit-identical parameters, gradients and losses on both backends`, () => {
    requireWasm();
    const ref = withBackend('ref', () => train(variant, steps));
    const wasm = withBackend('wasm', () => train(variant, steps));
    assert.deepEqual(wasm.losses, ref.losses, 'losses');
    ref.params.forEach((p, i) => assertSameBits(wasm.params[i]!, p, `parameter ${i}`));
    ref.grads.forEach((g, i) => assertSameBits(wasm.grads[i]!, g, `gradient ${i}`));
    // Training did something: the loss fell.
    const head = ref.losses.slice(0, 20).reduce((a, b) => a + b) / 20;
    const tail = ref.losses.slice(-20).reduce((a, b) => a + b) / 20;
    assert.ok(tail < head, `${variant}: loss ${head} → ${tail}`);
  });
}

test('minibatches of 64: bit-identical on both backends', () => {
  requireWasm();
  const run = (): Float32Array[] => {
    manualSeed(1);
    const { model, lossFn, opt } = buildVariant('combined');
    for (let b = 0; b + 64 <= 256; b += 64) {
      const x = new Tensor(data.images.slice(b * 784, (b + 64) * 784), [64, 784]);
      const y = new Tensor(data.targets.slice(b * 10, (b + 64) * 10), [64, 10]);
      const loss = lossFn.forward(model.forward(x), y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
    return model.parameters().map((p) => p.toArray());
  };
  const ref = withBackend('ref', run);
  const wasm = withBackend('wasm', run);
  ref.forEach((p, i) => assertSameBits(wasm[i]!, p, `parameter ${i}`));
});

test('RMSprop and Adagrad, one image a step: bit-identical parameters and state on both backends (their row kernels)', async () => {
  requireWasm();
  const { nn, optim } = await import('../../src/index.js');
  for (const which of ['rmsprop', 'adagrad', 'rmsprop-centered'] as const) {
    const run = (): Float32Array[] => {
      manualSeed(2);
      const model = new nn.Sequential(new nn.Linear(784, 32), new nn.ReLU(), new nn.Linear(32, 10), new nn.Sigmoid());
      const lossFn = new nn.BCELoss();
      const opt = which === 'adagrad'
        ? new optim.Adagrad(model.parameters(), { lr: 0.05, lrDecay: 1e-3 })
        : new optim.RMSprop(model.parameters(), { lr: 0.001, centered: which === 'rmsprop-centered' });
      oneImageSteps(model, lossFn, opt, 150);
      // stateDict() gives each buffer as { shape, data }, data an array of the float32 values.
      const state = opt.stateDict().state as Record<string, Record<string, unknown>>;
      const isBuffer = (v: unknown): v is { data: number[] } => typeof v === 'object' && v !== null && Array.isArray((v as { data?: unknown }).data);
      const buffers = Object.values(state).flatMap((s) => Object.values(s).filter(isBuffer).map((b) => Float32Array.from(b.data)));
      return [...model.parameters().map((p) => p.toArray()), ...buffers];
    };
    const ref = withBackend('ref', run);
    const wasm = withBackend('wasm', run);
    assert.equal(wasm.length, ref.length);
    assert.ok(ref.length >= 8, `${which}: parameters and their state`);
    ref.forEach((a, i) => assertSameBits(wasm[i]!, a, `${which}, array ${i}`));
  }
});
