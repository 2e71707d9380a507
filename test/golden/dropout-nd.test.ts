// kindling-test: own process (it checks warnings given once per process)
// Dropout1d/2d/3d, AlphaDropout and FeatureAlphaDropout against PyTorch 1.13 (fixtures/torch/dropout-nd.json,
// make_dropout_nd.py): after the same manualSeed the masks, outputs and input gradients bit for bit (the same float32
// steps as PyTorch's _dropout_impl), the generator left where PyTorch leaves it, grad_fn names, the ranks each
// function takes (unbatched inputs unsqueezed as PyTorch's), its warnings and refusals in its words, and reprs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, nn, ones, rand, type Tensor } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedTensor } from './golden-helpers.js';

type Fn = 'dropout1d' | 'dropout2d' | 'dropout3d' | 'alphaDropout' | 'featureAlphaDropout';
interface Case {
  fn: Fn; shape: number[]; p: number; seed: number; input: EncodedTensor; output: EncodedTensor; upstream: EncodedTensor;
  grad: EncodedTensor | null; next: EncodedTensor; gradFn: string | null;
}
interface Fixture {
  cases: Case[]; warnings: { fn: Fn; ndim: number; warnings: string[] }[]; errors: { name: string; expr: string; error: string | null }[];
  modules: { type: string; p: number; inplace: boolean; repr: string }[];
}
const fx = loadFixture<Fixture>('dropout-nd.json');
const bits = (t: Tensor): number[] => Array.from(t.toArray());

function run(fn: Fn, x: Tensor, p: number, inplace = false): Tensor {
  return F[fn](x, p, true, inplace);
}

test('the fixture covers what this test says it does', () => {
  for (const fn of ['dropout1d', 'dropout2d', 'dropout3d', 'alphaDropout', 'featureAlphaDropout']) assert.ok(fx.cases.filter((c) => c.fn === fn).length >= 3, fn);
  // Some channels dropped and some kept, unbatched inputs, p = 1 and p = 0.
  assert.ok(fx.cases.some((c) => c.gradFn === 'SqueezeBackward1'));
  assert.ok(fx.cases.some((c) => c.p === 1) && fx.cases.some((c) => c.p === 0));
  assert.ok(fx.cases.some((c) => c.fn === 'dropout2d' && values(c.output).some((v) => v === 0) && values(c.output).some((v) => v !== 0)));
});

// First: each warning is given once per process, as Python's default filter shows it.
test('dropout2d and dropout3d warn for the ranks PyTorch warns about, in its words', () => {
  const seen: string[] = [];
  const origWarn = process.emitWarning;
  process.emitWarning = ((m: string | Error) => { seen.push(String(m)); }) as typeof process.emitWarning;
  try {
    for (const w of fx.warnings) {
      seen.length = 0;
      try {
        F[w.fn](ones(Array(w.ndim).fill(2) as number[]), 0.5, false);
      } catch { /* refusals are checked below */ }
      assert.deepEqual(seen, w.warnings, `${w.fn} ${w.ndim}-D`);
    }
  } finally {
    process.emitWarning = origWarn;
  }
});

test('masks, outputs and gradients are PyTorch\'s bit for bit after the same seed, and the generator moves as PyTorch\'s', () => {
  const wrong: string[] = [];
  const origWarn = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    for (const c of fx.cases) {
      const label = `${c.fn} ${JSON.stringify(c.shape)} p=${c.p}`;
      const x = decode(c.input, true);
      manualSeed(c.seed);
      const y = run(c.fn, x, c.p);
      const next = rand(2);
      assert.deepEqual(y.shape, c.output.shape, label);
      if (JSON.stringify(bits(y)) !== JSON.stringify(values(c.output))) wrong.push(`${label}: output ${bits(y).slice(0, 8)} vs ${values(c.output).slice(0, 8)}`);
      if (JSON.stringify(bits(next)) !== JSON.stringify(values(c.next))) wrong.push(`${label}: next draws`);
      const name = y.gradFn?.torchName ?? null;
      if (name !== c.gradFn) wrong.push(`${label}: grad_fn ${name} vs ${c.gradFn}`);
      if (c.grad !== null) {
        y.mul(decode(c.upstream)).sum().backward();
        if (JSON.stringify(bits(x.grad!)) !== JSON.stringify(values(c.grad))) wrong.push(`${label}: grad`);
      }
      // In place on a copy: the same values, written into the input.
      manualSeed(c.seed);
      const copy = decode(c.input);
      const z = run(c.fn, copy, c.p, true);
      assert.equal(z, copy, `${label}: inplace returns its input`);
      if (JSON.stringify(bits(copy)) !== JSON.stringify(values(c.output))) wrong.push(`${label}: inplace values`);
      // The modules give the same while training, their input itself after eval().
      const M = { dropout1d: nn.Dropout1d, dropout2d: nn.Dropout2d, dropout3d: nn.Dropout3d, alphaDropout: nn.AlphaDropout, featureAlphaDropout: nn.FeatureAlphaDropout }[c.fn];
      const m = new M(c.p);
      manualSeed(c.seed);
      if (JSON.stringify(bits(m.forward(decode(c.input)))) !== JSON.stringify(values(c.output))) wrong.push(`${label}: module`);
      // After eval() the input itself, or for an unbatched input (PyTorch unsqueezes it) a view of it, as PyTorch's.
      const same = decode(c.input);
      const evaluated = m.eval().forward(same);
      const unbatched = (c.fn === 'dropout1d' && c.shape.length === 2) || (c.fn === 'dropout3d' && c.shape.length !== 5);
      if (unbatched) assert.deepEqual(bits(evaluated), bits(same), label);
      else assert.equal(evaluated, same, label);
    }
  } finally {
    process.emitWarning = origWarn;
  }
  assert.deepEqual(wrong, []);
});

test('outside training each is its input; alpha dropout\'s training defaults to false as PyTorch\'s', () => {
  const x = ones(2, 3, 4);
  for (const fn of ['dropout1d', 'dropout2d', 'alphaDropout', 'featureAlphaDropout'] as const) assert.equal(F[fn](x, 0.5, false), x, fn);
  const x5 = ones(2, 3, 1, 2, 2);
  assert.equal(F.dropout3d(x5, 0.5, false), x5);
  assert.equal(F.alphaDropout(x), x);
  assert.equal(F.featureAlphaDropout(x, { p: 0.3 }), x);
  assert.notEqual(F.dropout2d(x, { p: 0.3 }), x, 'dropout2d trains by default');
});

test('refusals carry PyTorch\'s messages', () => {
  const origWarn = process.emitWarning;
  process.emitWarning = () => undefined;
  const calls: Record<string, () => unknown> = {
    'dropout1d 4-D': () => F.dropout1d(ones(2, 2, 2, 2), 0.5),
    'dropout1d 1-D': () => F.dropout1d(ones(3), 0.5),
    'dropout2d 1-D training': () => F.dropout2d(ones(3), 0.5),
    'featureAlphaDropout 1-D training': () => F.featureAlphaDropout(ones(3), 0.5, true),
    'alphaDropout p': () => F.alphaDropout(ones(3), 1.5, true),
    'Dropout2d p': () => new nn.Dropout2d(-0.1),
  };
  try {
    for (const e of fx.errors) {
      assert.ok(e.error !== null);
      const want = e.error.replace(/got (-?[\d.]+)$/, 'got the number $1');
      assert.throws(calls[e.name]!, (err: Error) => err.message.includes(want), `${e.name}: ${want}`);
    }
  } finally {
    process.emitWarning = origWarn;
  }
});

test('the modules print as PyTorch\'s and refuse unknown options', () => {
  for (const m of fx.modules) {
    const M = (nn as unknown as Record<string, new (p: number, inplace: boolean) => nn.Module>)[m.type]!;
    assert.equal(String(new M(m.p, m.inplace)), m.repr);
  }
  assert.equal(String(new nn.Dropout2d({ p: 0.3, inplace: true })), 'Dropout2d(p=0.3, inplace=True)');
  assert.equal(String(new nn.AlphaDropout()), 'AlphaDropout(p=0.5, inplace=False)');
  assert.throws(() => new nn.Dropout1d({ prob: 0.3 } as object), /unknown option "prob"/);
  assert.throws(() => new nn.Dropout3d(0.3, 'yes' as unknown as boolean), /inplace must be true or false/);
});
