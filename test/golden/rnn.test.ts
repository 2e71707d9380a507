// nn.RNN, nn.LSTM and nn.GRU against PyTorch 1.13 (fixtures/torch/rnn.json, make_rnn.py): parameters after
// manualSeed bit for bit (uniform_ over weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, the _reverse ones, then
// the next layer's) and where the stream stands after them; outputs, grad_fn names and the gradients of the input,
// h0 (and c0) and every parameter within 2e-6 of each value and of the tensor's largest (PyTorch's addmm sums x·Wᵀ
// in another order than Kindling's linear, and the difference grows a little through the steps and layers: up to
// 1e-6 seen), over tanh and relu RNNs, LSTMs and GRUs with 1-2
// layers, bidirectional, batchFirst, no bias, unbatched 2-D inputs, sequences of 1 to 5 steps, a state given or
// not, and dropout between 3 layers while training (masks drawn as PyTorch's after the same seed); LSTMs with
// projSize (PyTorch's proj_size: weight_hr, h of projSize features) over the same variety; layers of input size 0;
// reprs and state-dict keys; PyTorch's refusals with its messages, in forward and in the constructors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KindlingError, manualSeed, zeros } from '../../src/index.js';
import { build, checkCase, checkInit, fx, run } from './rnn-fixture.js';

const LAYERS = ['RNN', 'LSTM', 'GRU'];

test('the fixture covers what this test says it does', () => {
  assert.equal(fx.layers.length, 56);
  for (const k of LAYERS) assert.ok(fx.layerInit.some((c) => c.kind === k) && fx.layers.some((c) => c.kind === k), k);
  const has = (f: (c: (typeof fx.layers)[number]) => boolean): boolean => fx.layers.some(f);
  assert.ok(has((c) => c.args.bidirectional === true && c.args.numLayers === 2));
  assert.ok(has((c) => c.args.batchFirst === true) && has((c) => c.args.bias === false) && has((c) => c.args.nonlinearity === 'relu'));
  assert.ok(has((c) => c.input.shape.length === 2) && has((c) => c.hx === null) && has((c) => c.input.shape[0] === 1));
  assert.ok(has((c) => c.dropSeed !== undefined));
  const proj = (f: (c: (typeof fx.layers)[number]) => boolean): boolean => fx.projLayers.some((c) => c.args.projSize! > 0 && f(c));
  assert.equal(fx.projLayers.length, 12);
  assert.ok(proj((c) => c.args.bidirectional === true && c.args.numLayers === 2 && c.hx !== null) && proj((c) => c.args.bias === false));
  assert.ok(proj((c) => c.input.shape.length === 2) && proj((c) => c.args.batchFirst === true) && proj((c) => c.dropSeed !== undefined));
  assert.ok(fx.layerInit.some((c) => c.args.projSize !== undefined) && fx.modules.some((c) => c.args.projSize !== undefined));
  assert.ok(fx.emptySizes.some((c) => LAYERS.includes(c.kind) && c.size[0] === 0 && c.args.projSize !== undefined));
});

test('a new layer after manualSeed has PyTorch\'s parameters bit for bit and leaves the stream where PyTorch does', () => {
  checkInit(fx.layerInit);
});

test('layers: outputs, grad_fn names and gradients of input, h0/c0 and parameters as PyTorch\'s (rtol 2e-6)', () => {
  for (const c of fx.layers) checkCase(c, 2e-6);
});

test('LSTM with projSize: outputs, h_n of projSize features, c_n, grad_fn names and every gradient (weight_hr too) as PyTorch\'s (rtol 2e-6)', () => {
  for (const c of fx.projLayers) checkCase(c, 2e-6);
});

test('layers of input size 0 (weight_ih [G·hidden, 0]), which PyTorch takes: outputs and gradients as PyTorch\'s', () => {
  const cases = fx.emptySizes.filter((c) => LAYERS.includes(c.kind));
  assert.equal(cases.length, 4);
  for (const c of cases) checkCase(c, 2e-6);
});

test('layers: the constructors refuse what PyTorch\'s refuse (projSize out of range or not on an LSTM, hidden size 0)', () => {
  assert.equal(fx.ctorErrors.length, 8);
  for (const e of fx.ctorErrors) {
    const what = `${e.kind} ${JSON.stringify(e.size)} ${JSON.stringify(e.args)}`;
    // PyTorch refuses a hidden size of 0 only in its check of proj_size ("proj_size has to be smaller than
    // hidden_size", even without one); Kindling says what is wrong.
    const message = e.size[1] === 0 ? 'hiddenSize must be a positive integer, got the number 0' : e.message;
    assert.throws(() => build(e.kind, e.size, e.args), (err: Error) => err instanceof KindlingError && err.message.includes(message), `${what}: ${message}`);
  }
});

test('layers: dropout between layers draws PyTorch\'s masks, and nothing in evaluation mode', () => {
  const c = fx.layers.find((l) => l.dropSeed !== undefined && l.kind === 'LSTM')!;
  manualSeed(c.seed);
  const m = build(c.kind, c.size, c.args);
  const x = zeros(c.input.shape).add(0.5);
  m.eval();
  const a = run(m, c.kind, x, null)[0]!;
  const b = run(m, c.kind, x, null)[0]!;
  assert.deepEqual(Array.from(a.toArray()), Array.from(b.toArray()));
  m.train();
  manualSeed(1);
  const d1 = run(m, c.kind, x, null)[0]!;
  assert.notDeepEqual(Array.from(d1.toArray()), Array.from(a.toArray()));
});

test('layers: reprs and state-dict keys as PyTorch\'s', () => {
  for (const c of fx.modules.filter((m) => LAYERS.includes(m.kind))) {
    const m = build(c.kind, c.size, c.args);
    assert.equal(String(m), c.repr);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), c.keys, c.repr);
    assert.deepEqual(Object.values(sd).map((t) => t.shape), c.shapes, c.repr);
  }
});

test('layers: PyTorch\'s refusals, with its message', () => {
  const cases = fx.errors.filter((e) => LAYERS.includes(e.kind));
  assert.ok(cases.length >= 12);
  for (const e of cases) {
    const m = build(e.kind, e.size, e.args);
    const hx = e.hx === null ? null : e.hx.map((s) => zeros(s));
    assert.throws(() => run(m, e.kind, zeros(e.input), hx), (err: Error) => err instanceof KindlingError && err.message.includes(e.message), `${e.kind} ${JSON.stringify(e.input)} ${JSON.stringify(e.hx)}: ${e.message}`);
  }
});
