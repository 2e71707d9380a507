// Tensor-level random fills and draws against PyTorch 1.13 bit for bit (fixtures/torch/random-fills.json, written by
// make_random_fills.py): uniform_, normal_, bernoulli_ (a number, a tensor), bernoulli, exponential_, randLike,
// randnLike and normal (numbers and a size, or tensors of means and stds), random_, logNormal_, cauchy_ and
// geometric_ on sizes 1 to 70001, interleaved, from a Generator object, on views PyTorch holds
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
  args: (number | null)[];
  shape2?: number[];
  values?: number[];
  summary?: { sha256: string; sum: number; index: number[]; samples: number[] };
}
interface Sequence { label: string; seed: number; generatorSeed: number | null; steps: Step[]; after: number[] }

interface GraphCases {
  fills: Record<string, { gradFn: string; grad: number[] }>;
  normal: Record<'mean' | 'std' | 'both', { gradFn: string; meanGrad: number[] | null; stdGrad: number[] | null }>;
}
const fx = loadFixture<{ sequences: Sequence[]; graph: GraphCases }>('random-fills.json');

function target(shape: number[], view: Step['view']): Tensor {
  if (view === 'none') return zeros(shape);
  if (view === 't') return zeros(shape[1]!, shape[0]!).transpose(0, 1);
  if (view === 'col') return zeros(shape[0]!, 3).select(1, 0);
  return new nn.Linear(shape[1]!, shape[0]!).weight.detach();
}

const probs = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => (i % 11) / 10);
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const means = (shape: number[]): Tensor => tensor(Float32Array.from({ length: size(shape) }, (_, i) => ((i % 7) - 3) / 2), shape);
const stds = (shape: number[]): Tensor => tensor(Float32Array.from({ length: size(shape) }, (_, i) => (i % 5) / 4), shape);

function run(s: Step, generator: Generator | undefined): Tensor {
  const g = generator ? { generator } : undefined;
  if (s.op === 'rand') return rand(s.shape, g);
  if (s.op === 'randn') return randn(s.shape, g);
  const a = s.args as number[];
  if (s.op === 'normal') return normal(a[0]!, a[1]!, s.shape, g);
  if (s.op === 'normal_mt') return normal(means(s.shape), a[0]!, g);
  if (s.op === 'normal_st') return normal(a[0]!, stds(s.shape), g);
  if (s.op === 'normal_tt') return normal(means(s.shape), stds(s.shape2!), g);
  const x = target(s.shape, s.view);
  const p = (): Tensor => tensor(probs(x.numel()), x.shape);
  switch (s.op) {
    case 'rand_like': return randLike(x);
    case 'randn_like': return randnLike(x);
    case 'bernoulli': return bernoulli(p(), g);
    case 'bernoulli_t': return x.bernoulli_(p(), g);
    case 'uniform_': return x.uniform_(a[0], a[1], g);
    case 'normal_': return x.normal_(a[0], a[1], g);
    case 'bernoulli_': return s.args.length ? x.bernoulli_(a[0], g) : x.bernoulli_(g);
    case 'exponential_': return s.args.length ? x.exponential_(a[0], g) : x.exponential_(g);
    case 'random_':
      if (s.args.length === 0) return g ? x.random_(g) : x.random_();
      if (s.args.length === 1) return x.random_(a[0], g);
      return x.random_(a[0], s.args[1], g);
    case 'log_normal_': return x.logNormal_(a[0], a[1], g);
    case 'cauchy_': return x.cauchy_(a[0], a[1], g);
    case 'geometric_': return x.geometric_(a[0]!, g);
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
        let size = 0;
        for (const v of got) {
          sum += v;
          size += Math.abs(v);
        }
        // PyTorch sums float64 pairwise, this in order: the same to the bit for the older fills' values, not for
        // Cauchy's and log-normal's long tails (the SHA-256 below compares every bit anyway).
        if (s.op === 'cauchy_' || s.op === 'log_normal_') assert.ok(Math.abs(sum - m.sum) <= 1e-12 * size, `${label}: sum ${sum}, PyTorch ${m.sum}`);
        else assert.equal(sum, m.sum, `${label}: sum`);
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

test('random_, logNormal_, cauchy_, geometric_ and normal with tensors refuse what PyTorch refuses, and nothing else', () => {
  const x = zeros(3);
  assert.throws(() => x.random_(5, 5), /random_ expects 'from' to be less than 'to', but got from=5 >= to=5/);
  assert.throws(() => x.random_(0), /random_ expects 'from' to be less than 'to', but got from=0 >= to=0/);
  assert.throws(() => x.random_(-3), /random_ expects 'from' to be less than 'to', but got from=0 >= to=-3/);
  assert.throws(() => x.random_(2 ** 24 + 1, null), /random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=16777217 > to_inc=16777216/);
  assert.throws(() => x.random_(1.5), (e: Error) => e instanceof TypeError && /to must be an integer/.test(e.message));
  assert.throws(() => x.random_(0, 2 ** 60), /beyond the integers a JavaScript number holds exactly/);
  assert.throws(() => x.logNormal_(0, 0), /log_normal_ expects std > 0\.0, but found std=0/);
  assert.throws(() => x.logNormal_(0, -1), /log_normal_ expects std > 0\.0, but found std=-1/);
  assert.throws(() => x.geometric_(1), /geometric_ expects p to be in \(0, 1\), but got p=1/);
  assert.throws(() => x.geometric_(0), /geometric_ expects p to be in \(0, 1\), but got p=0/);
  assert.throws(() => (x.geometric_ as (p?: number) => Tensor)(), /geometric_: p, the probability of success, is required/);
  assert.throws(() => normal(zeros(3), tensor([1, 1, 1, 1])), /normal: shapes \[3\] and \[4\] cannot be broadcast together/);
  assert.throws(() => normal(zeros(3), -1), /normal expects std >= 0\.0, but found std -1/);
  assert.throws(() => normal(zeros(3), tensor([1, -1, 1])), /normal expects all elements of std >= 0\.0/);
  assert.throws(() => normal(0, tensor([1, -1, 1])), /normal expects all elements of std >= 0\.0/);
  assert.throws(() => normal(zeros(3), 1, [3]), /a size is taken only with a number mean and std/);
  assert.deepEqual(Array.from(x.toArray()), [0, 0, 0], 'nothing refused was written');
  assert.equal(x.version, 0);
  assert.throws(() => (x as unknown as { log_normal_(): void }).log_normal_(), /x\.log_normal_\(\) is PyTorch's name; Kindling's is x\.logNormal_\(\)/);
  // PyTorch 1.13 checks no Cauchy sigma: 0 gives the median.
  assert.deepEqual(Array.from(zeros(3).cauchy_(1.5, 0).toArray()), [1.5, 1.5, 1.5]);
  // A tensor mean alone: std 1, as PyTorch's default.
  manualSeed(4);
  const m = normal(means([5])).toArray();
  manualSeed(4);
  const z = randn(5).toArray();
  assert.deepEqual(Array.from(m), Array.from(z).map((v, i) => Math.fround(v + ((i % 7) - 3) / 2)));
});

test("the new fills on a tensor of the graph take PyTorch's node and a zero gradient; a leaf is refused", () => {
  const fills: Record<string, (t: Tensor) => Tensor> = {
    'random_()': (t) => t.random_(), 'random_(10)': (t) => t.random_(10), 'random_(-5, 5)': (t) => t.random_(-5, 5),
    'random_(3, None)': (t) => t.random_(3, null), 'log_normal_()': (t) => t.logNormal_(), 'cauchy_()': (t) => t.cauchy_(),
    'geometric_(0.5)': (t) => t.geometric_(0.5),
  };
  assert.deepEqual(Object.keys(fills).sort(), Object.keys(fx.graph.fills).sort());
  for (const [name, fill] of Object.entries(fills)) {
    const want = fx.graph.fills[name]!;
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const c = a.mul(2);
    fill(c);
    assert.equal(c.gradFn?.torchName, want.gradFn, name);
    c.mul(tensor([1, 2, 3])).sum().backward();
    assert.deepEqual(Array.from(a.grad!.toArray()), want.grad, name);
    const w = zeros(3, { requiresGrad: true });
    assert.throws(() => fill(w), /a leaf tensor that requires grad cannot be changed in place/, name);
    noGrad(() => fill(w));
    assert.equal(w.version, 1);
    assert.equal(w.gradFn, null);
  }
  for (const kind of ['mean', 'std', 'both'] as const) {
    const want = fx.graph.normal[kind];
    const m = tensor([0.5, -1, 2], { requiresGrad: kind !== 'std' });
    const sd = tensor([1, 0.5, 0.25], { requiresGrad: kind !== 'mean' });
    const r = normal(kind === 'std' ? 0.5 : m, kind === 'mean' ? 1 : sd);
    assert.equal(r.requiresGrad, true);
    assert.equal(r.gradFn?.torchName, want.gradFn, kind);
    r.mul(tensor([1, 2, 3])).sum().backward();
    assert.deepEqual(m.grad === null ? null : Array.from(m.grad.toArray()), want.meanGrad, `${kind}: mean's gradient`);
    assert.deepEqual(sd.grad === null ? null : Array.from(sd.grad.toArray()), want.stdGrad, `${kind}: std's gradient`);
  }
  assert.equal(normal(tensor([0, 1]), 1).requiresGrad, false);
  assert.equal(noGrad(() => normal(tensor([0, 1], { requiresGrad: true }), 1)).requiresGrad, false);
});
