// utils.checkpoint against PyTorch 1.13's torch.utils.checkpoint (fixtures/torch/checkpoint.json, from
// make_checkpoint.py): checkpointSequential over an MLP with dropout gives the outputs and gradients of the plain
// forward pass, and the same random stream afterwards (the masks drawn again from the saved state); without
// preserveRngState, PyTorch's different masks and stream; checkpoint of a two-output function of two tensors and a
// number runs it twice; an input that does not require grad gives an output that does not either, as in 1.13.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autograd, manualSeed, nn, rand, utils, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
interface Run { y: E; gradX: E; grads: Record<string, E>; after: number[]; name?: string }
const fx = loadFixture<{
  x: E; upstream: E; plain: Run; two: Run; three: Run; noPreserve: Run;
  pair: { a: E; b: E; p: E; q: E; gp: E; gq: E; gradA: E; gradB: E; runs: number; name: string };
  frozen: { requiresGrad: boolean };
}>('checkpoint.json');

const TOL = { rtol: 1e-5, atol: 1e-6 };
const { checkpoint, checkpointSequential } = utils.checkpoint;

function net(): nn.Sequential {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(8, 8), new nn.Tanh(), new nn.Dropout(0.2), new nn.Linear(8, 3));
}

function check(run: (m: nn.Sequential, x: Tensor) => Tensor, want: Run, label: string): void {
  const m = net();
  const x = decode(fx.x, true);
  manualSeed(5);
  const y = run(m, x);
  assertTensorClose(y, want.y, `${label}: output`, TOL);
  if (want.name !== undefined) assert.equal(y.gradFn?.torchName, want.name);
  y.mul(decode(fx.upstream)).sum().backward();
  assertTensorClose(x.grad, want.gradX, `${label}: input gradient`, TOL);
  for (const [name, p] of m.namedParameters()) assertTensorClose(p.grad, want.grads[name]!, `${label}: ${name}`, TOL);
  assert.deepEqual([...rand(3).toArray()], want.after.map(Math.fround), `${label}: the random stream after backward`);
}

test('checkpointSequential: the plain pass\'s outputs, gradients and random stream (2 and 3 segments)', () => {
  check((m, x) => m.forward(x), fx.plain, 'plain');
  check((m, x) => checkpointSequential(m, 2, x), fx.two, '2 segments');
  check((m, x) => checkpointSequential(m, 3, x), fx.three, '3 segments');
  assertTensorClose(decode(fx.two.gradX), fx.plain.gradX, 'PyTorch: checkpointed = plain', { rtol: 0, atol: 0 });
});

test('checkpointSequential without preserveRngState: the masks drawn again differ, as PyTorch\'s', () => {
  check((m, x) => checkpointSequential(m, 2, x, { preserveRngState: false }), fx.noPreserve, 'no preserve');
});

test('checkpoint: a two-output function of two tensors and a number, run again during backward', () => {
  const f = fx.pair;
  const a = decode(f.a, true);
  const b = decode(f.b, true);
  let runs = 0;
  const recorded: boolean[] = [];
  const [p, q] = checkpoint((s: Tensor, t: Tensor, k: number) => {
    runs++;
    const st = s.mul(t);
    recorded.push(st.requiresGrad);
    return [st.sin().mul(k), s.exp().add(t)];
  }, a, b, 2);
  assertTensorClose(p!, f.p, 'p', TOL);
  assertTensorClose(q!, f.q, 'q', TOL);
  assert.equal(p!.gradFn?.torchName, f.name);
  autograd.backward([p!, q!], [decode(f.gp), decode(f.gq)]);
  assert.equal(runs, f.runs);
  assert.deepEqual(recorded, [false, true], 'no graph kept inside the segment at the first run; recorded at the second');
  assertTensorClose(a.grad, f.gradA, 'a', TOL);
  assertTensorClose(b.grad, f.gradB, 'b', TOL);
});

test('checkpoint: without an input that requires grad the output does not require grad (1.13\'s reentrant form)', () => {
  const w = new nn.Parameter(rand(3));
  const out = checkpoint((s: Tensor) => s.mul(w), rand(3));
  assert.equal(out.requiresGrad, fx.frozen.requiresGrad);
});

test('checkpoint: options and arguments are checked', () => {
  const x = rand(2).requiresGrad_();
  assert.throws(() => checkpoint((s: Tensor) => s.mul(2), x, { useReentrant: false }), /only useReentrant: true/);
  assert.throws(() => checkpoint((s: Tensor) => s.mul(2), x, { preserve: true } as never), /unknown option "preserve"/);
  assert.throws(() => checkpoint(3 as never), /the first argument must be the function to run, got the number 3/);
  assert.throws(() => checkpointSequential(net(), 0, x), /segments must be a positive integer, got the number 0/);
  const y = checkpoint((s: Tensor) => s.mul(3), x);
  x.detach().add_(1);
  assert.throws(() => y.sum().backward(), /changed in place/);
});
