// Tensor-level random fills and draws against PyTorch 1.13 bit for bit (fixtures/torch/random-fills.json, written by
// make_random_fills.py): uniform_, normal_, bernoulli_ (a number, a tensor), bernoulli, exponential_, randLike,
// randnLike and normal on sizes 1 to 70001, interleaved, from a Generator object, on views PyTorch holds
// non-contiguous and on a Linear weight; after each sequence, rand(4) shows the generator was left where PyTorch's was.
// Then the errors PyTorch raises and what autograd sees.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  bernoulli, Generator, manualSeed, nn, noGrad, normal, rand, randLike, randn, randnLike, tensor, zeros, type Tensor,
} from '../../src/index.js';
import { assertBits, loadFixture } from './golden-helpers.js';

interface Step {
  op: string;
  shape: number[];
  view: 'none' | 't' | 'col' | 'linear';
  args: number[];
  values?: number[];
  summary?: { sha256: string; sum: number; index: number[]; samples: number[] };
}
interface Sequence { label: string; seed: number; generatorSeed: number | null; steps: Step[]; after: number[] }

const fx = loadFixture<{ sequences: Sequence[] }>('random-fills.json');

function target(shape: number[], view: Step['view']): Tensor {
  if (view === 'none') return zeros(shape);
  if (view === 't') return zeros(shape[1]!, shape[0]!).transpose(0, 1);
  if (view === 'col') return zeros(shape[0]!, 3).select(1, 0);
  return new nn.Linear(shape[1]!, shape[0]!).weight.detach();
}

const probs = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 11) / 10);

function run(s: Step, generator: Generator | undefined): Tensor {
  const g = generator ? { generator } : undefined;
  if (s.op === 'rand') return rand(s.shape, g);
  if (s.op === 'randn') return randn(s.shape, g);
  if (s.op === 'normal') return normal(s.args[0]!, s.args[1]!, s.shape, g);
  const x = target(s.shape, s.view);
  const p = (): Tensor => tensor(probs(x.numel()), x.shape);
  switch (s.op) {
    case 'rand_like': return randLike(x);
    case 'randn_like': return randnLike(x);
    case 'bernoulli': return bernoulli(p(), g);
    case 'bernoulli_t': return x.bernoulli_(p(), g);
    case 'uniform_': return x.uniform_(s.args[0], s.args[1], g);
    case 'normal_': return x.normal_(s.args[0], s.args[1], g);
    case 'bernoulli_': return s.args.length ? x.bernoulli_(s.args[0], g) : x.bernoulli_(g);
    case 'exponential_': return s.args.length ? x.exponential_(s.args[0], g) : x.exponential_(g);
  }
  throw new Error(`unknown op ${s.op}`);
}

for (const c of fx.sequences) {
  test(`manualSeed(${c.seed})${c.generatorSeed === null ? '' : `, new Generator(${c.generatorSeed})`}: ${c.label}`, () => {
    manualSeed(c.seed);
    const gen = c.generatorSeed === null ? undefined : new Generator(c.generatorSeed);
    for (const s of c.steps) {
      const label = `${s.op}(${s.args.join(', ')}) on ${JSON.stringify(s.shape)} (${s.view})`;
      const got = run(s, gen).toArray();
      if (s.values) {
        assertBits(got, s.values, [...got.keys()], label);
      } else {
        const m = s.summary!;
        assertBits(got, m.samples, m.index, label);
        let sum = 0;
        for (const v of got) sum += v;
        assert.equal(sum, m.sum, `${label}: sum`);
        assert.equal(createHash('sha256').update(new Uint8Array(got.buffer, got.byteOffset, got.byteLength)).digest('hex'), m.sha256, `${label}: sha256`);
      }
    }
    const after = rand(4).toArray();
    assertBits(after, c.after, [0, 1, 2, 3], 'rand(4) afterwards');
  });
}

test('the fills refuse what PyTorch refuses', () => {
  const x = zeros(3);
  assert.throws(() => x.bernoulli_(1.5), /bernoulli_ expects p to be in \[0, 1\], but got p=1\.5/);
  assert.throws(() => x.bernoulli_(-0.1), /bernoulli_ expects p to be in \[0, 1\]/);
  assert.throws(() => x.bernoulli_(tensor([0.5, 1.5, 0.2])), /probabilities in \[0, 1\].*1\.5 at flat index 1/);
  assert.throws(() => bernoulli(tensor([0.5, NaN])), /probabilities in \[0, 1\].*NaN at flat index 1/);
  assert.throws(() => bernoulli(tensor([-0.5])), /probabilities in \[0, 1\]/);
  assert.throws(() => x.bernoulli_(zeros(2)), /expand|broadcast|shape/i);
  assert.throws(() => x.uniform_(1, 0), /uniform_ expects to return a \[from, to\) range, but found from=1 > to=0/);
  assert.throws(() => x.uniform_(0, 1e39), /out of the float32 range/);
  assert.throws(() => x.normal_(0, -1), /normal expects std >= 0\.0, but found std -1/);
  assert.throws(() => normal(0, -1, [2]), /normal expects std >= 0\.0/);
  assert.throws(() => x.exponential_(-1), /exponential_ expects lambda >= 0\.0, but found lambda=-1/);
  assert.throws(() => x.uniform_(0, 1, { generator: 3 as unknown as Generator }), /generator must be a Generator/);
  assert.throws(() => x.normal_(0, 1, { seed: 1 } as never), /seed/);
  assert.deepEqual(Array.from(x.toArray()), [0, 0, 0], 'nothing refused was written');
  assert.equal(x.version, 0);
  // λ = 0: PyTorch gives infinity.
  assert.deepEqual(Array.from(zeros(3).exponential_(0).toArray()), [Infinity, Infinity, Infinity]);
});

test('a leaf that requires grad is refused outside noGrad, filled inside it and stays a leaf', () => {
  for (const fill of [(t: Tensor) => t.uniform_(), (t: Tensor) => t.normal_(), (t: Tensor) => t.bernoulli_(0.5), (t: Tensor) => t.bernoulli_(tensor([0.5, 0.5, 0.5])), (t: Tensor) => t.exponential_()]) {
    const w = zeros(3, { requiresGrad: true });
    assert.throws(() => fill(w), /a leaf tensor that requires grad cannot be changed in place/);
    assert.equal(w.version, 0);
    manualSeed(1);
    noGrad(() => fill(w));
    assert.equal(w.version, 1);
    assert.equal(w.gradFn, null);
    assert.equal(w.requiresGrad, true);
    assert.ok(w.toArray().some((v) => v !== 0), 'filled');
  }
});

test('a fill of a tensor of the graph takes PyTorch\'s node, whose gradient is zero; bernoulli of a p that requires grad too', () => {
  const a = tensor([1, 2, 3], { requiresGrad: true });
  for (const [fill, name] of [[(t: Tensor) => t.uniform_(), 'UniformBackward0'], [(t: Tensor) => t.normal_(), 'NormalBackward0'],
    [(t: Tensor) => t.exponential_(), 'ExponentialBackward0'], [(t: Tensor) => t.bernoulli_(0.5), 'BernoulliBackward2'],
    [(t: Tensor) => t.bernoulli_(tensor([0.5, 0.5, 0.5])), 'BernoulliBackward1']] as const) {
    const c = a.mul(2);
    fill(c);
    assert.equal(c.gradFn?.torchName, name);
    a.grad = null;
    c.mul(tensor([1, 2, 3])).sum().backward();
    assert.deepEqual(Array.from(a.grad!.toArray()), [0, 0, 0]);
  }
  const p = tensor([0.2, 0.9], { requiresGrad: true });
  const b = bernoulli(p);
  assert.equal(b.requiresGrad, true);
  assert.equal(b.gradFn?.torchName, 'BernoulliBackward0');
  assert.equal(bernoulli(tensor([0.2, 0.9])).requiresGrad, false);
  assert.equal(noGrad(() => bernoulli(p)).requiresGrad, false);
});

test('a fill counts as one in-place change and returns its tensor', () => {
  const x = zeros(2, 3);
  assert.equal(x.uniform_(), x);
  x.normal_().bernoulli_().exponential_();
  assert.equal(x.version, 4);
});
