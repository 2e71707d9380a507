// nn.RNNCell, nn.LSTMCell and nn.GRUCell against PyTorch 1.13 (fixtures/torch/rnn.json, make_rnn.py): parameters
// after manualSeed bit for bit (uniform_ over weight_ih, weight_hh, bias_ih, bias_hh in that order) and where the
// stream stands after them; outputs, grad_fn names and the gradients of the input, the state and every parameter
// (batched and 1-D inputs, with and without a state, tanh and relu, without bias) within 1e-6 of each value and of
// the tensor's largest: PyTorch's addmm (MKL) sums the products of x·Wᵀ in another order than Kindling's linear, so
// values differ by a few float32 steps (3e-7 is the most seen); cells of input or hidden size 0, which PyTorch
// takes; reprs and state-dict keys; PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KindlingError, zeros } from '../../src/index.js';
import { build, checkCase, checkInit, fx, run } from './rnn-fixture.js';

const CELLS = ['RNNCell', 'LSTMCell', 'GRUCell'];

test('the fixture covers what this test says it does', () => {
  assert.equal(fx.cells.length, 28);
  for (const k of CELLS) assert.ok(fx.cellInit.some((c) => c.kind === k) && fx.cells.some((c) => c.kind === k), k);
  assert.ok(fx.cells.some((c) => c.args.bias === false) && fx.cells.some((c) => c.args.nonlinearity === 'relu'));
  assert.ok(fx.cells.some((c) => c.input.shape.length === 1 && c.hx !== null) && fx.cells.some((c) => c.hx === null));
});

test('a new cell after manualSeed has PyTorch\'s parameters bit for bit and leaves the stream where PyTorch does', () => {
  checkInit(fx.cellInit);
});

test('cells: outputs, grad_fn names and gradients of input, state and parameters as PyTorch\'s (rtol 1e-6)', () => {
  for (const c of fx.cells) checkCase(c, 1e-6);
});

test('cells of input size 0 or hidden size 0, which PyTorch takes: outputs, grad_fn names and gradients as PyTorch\'s', () => {
  const cases = fx.emptySizes.filter((c) => CELLS.includes(c.kind));
  assert.equal(cases.length, 7);
  assert.ok(cases.some((c) => c.size[0] === 0) && cases.some((c) => c.size[1] === 0 && c.hx !== null));
  assert.ok(fx.cellInit.some((c) => c.size[0] === 0) && fx.cellInit.some((c) => c.size[1] === 0));
  for (const c of cases) checkCase(c, 1e-6);
});

test('cells: reprs and state-dict keys as PyTorch\'s', () => {
  for (const c of fx.modules.filter((m) => CELLS.includes(m.kind))) {
    const m = build(c.kind, c.size, c.args);
    assert.equal(String(m), c.repr);
    const sd = m.stateDict();
    assert.deepEqual(Object.keys(sd), c.keys, c.repr);
    assert.deepEqual(Object.values(sd).map((t) => t.shape), c.shapes, c.repr);
  }
});

test('cells: PyTorch\'s refusals, with its message', () => {
  const cases = fx.errors.filter((e) => CELLS.includes(e.kind));
  assert.ok(cases.length >= 8);
  for (const e of cases) {
    const m = build(e.kind, e.size, e.args);
    const x = zeros(e.input);
    const hx = e.hx === null ? null : e.hx.map((s) => zeros(s));
    assert.throws(() => run(m, e.kind, x, hx), (err: Error) => err instanceof KindlingError && err.message.includes(e.message), `${e.kind} ${JSON.stringify(e.input)} ${JSON.stringify(e.hx)}: ${e.message}`);
  }
});
