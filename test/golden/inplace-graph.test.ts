// In-place ops on tensors of the graph, which autograd follows (ops/rebase.ts), against PyTorch
// (fixtures/torch/inplace-graph.json, written by make_inplace_graph.py): the same programs, the changed tensor's
// grad_fn name and values (and its base's, for a change through a view), the loss, the leaves' gradients, and where
// PyTorch's backward refuses a program (a tensor its backward reads was changed in place afterwards), Kindling's
// refuses it too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, tensor, zeros, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedMap, type EncodedTensor } from './golden-helpers.js';

interface Case {
  name: string;
  gradFn: string | null;
  baseGradFn?: string;
  value: EncodedTensor;
  loss: number;
  raises: boolean;
  grads?: Record<'x' | 'w' | 's', EncodedTensor | null>;
  params?: EncodedMap;
}

const fx = loadFixture<{ x: number[][]; w: number[][]; s: number; weights: EncodedMap; layersRepr: string; cases: Case[] }>('inplace-graph.json');

/** The changed tensor, the loss, and for a change through a view, the view's base. */
type Program = (x: Tensor, w: Tensor, s: Tensor) => [Tensor, Tensor] | [Tensor, Tensor, Tensor];

/** The fixture's layers: the same modules, PyTorch's weights. */
function makeLayers(): nn.Sequential {
  const model = new nn.Sequential(
    new nn.Linear(4, 5), new nn.Dropout(0.3, true), new nn.ReLU(true), new nn.Linear(5, 6),
    new nn.LeakyReLU(0.1, { inplace: true }), new nn.Linear(6, 4), new nn.ELU(0.8, true), new nn.Linear(4, 3), new nn.SiLU({ inplace: true }),
  );
  const state: Record<string, Tensor> = {};
  for (const [k, e] of Object.entries(fx.weights)) state[k] = decode(e);
  model.loadStateDict(state);
  return model;
}

let layers: nn.Sequential | null = null;

const PROGRAMS: Record<string, Program> = {
  add_alpha: (x, w) => { const y = x.mul(2); y.add_(w, 0.5); return [y, y.mul(y).sum()]; },
  sub_kept_before: (x, w) => { const y = x.mul(2); const z = y.add(1); y.sub_(w); return [y, z.mul(y).sum()]; },
  mul_tensor: (x, w) => { const y = x.mul(1.5); y.mul_(w); return [y, y.mul(y).sum()]; },
  div_tensor: (x, w) => { const y = x.mul(1.5); y.div_(w.abs().add(1)); return [y, y.mul(y).sum().add(y.sum())]; },
  relu: (x, w) => { const y = x.mul(2).sub(0.5); y.relu_(); return [y, y.mul(w).sum()]; },
  sigmoid: (x, w) => { const y = x.mul(w); y.sigmoid_(); return [y, y.mul(y).sum()]; },
  tanh_exp: (x, w) => { const y = x.mul(0.5); y.tanh_(); y.exp_(); return [y, y.mul(w).sum()]; },
  clamp: (x, w) => { const y = x.mul(3); y.clamp_(-1, 1); return [y, y.mul(w).sum()]; },
  chain: (x, w) => { const y = x.add(0); y.mul_(2).add_(w).relu_().tanh_(); return [y, y.mul(y).sum()]; },
  used_before_and_after: (x, w) => { const y = x.mul(2); const a = y.sum(); y.mul_(w); const b = y.mul(y).sum(); return [y, a.mul(b)]; },
  accumulate: (x, w, s) => {
    const acc = zeros(3, 4);
    for (let i = 0; i < 3; i++) acc.add_(w.mul(i + 1));
    acc.mul_(s);
    return [acc, acc.mul(x).sum()];
  },
  copy: (x, w) => { const y = x.mul(2); y.copy_(w.mul(3)); return [y, y.mul(y).sum()]; },
  copy_broadcast: (x, w, s) => { const y = x.mul(2); y.copy_(s.expand(4)); return [y, y.mul(w).sum()]; },
  fill_tensor: (x, w, s) => { const y = x.mul(2); y.fill_(s); return [y, y.mul(w).sum()]; },
  zero: (x, w, s) => { const y = x.mul(2); y.zero_(); return [y, y.add(w.mul(s)).sum()]; },
  log_abs: (x, w) => { const y = x.mul(w); y.abs_(); y.add_(0.5).log_(); return [y, y.mul(y).sum()]; },
  exp_saved: (x, w) => { const y = x.exp(); y.mul_(w); return [y, y.mul(3).sum()]; },
  mul_self: (x) => { const y = x.mul(2); y.mul_(y); return [y, y.sum()]; },
  leaky_then_dropout: (x, w) => {
    manualSeed(7);
    const y = x.mul(2);
    new nn.LeakyReLU(0.1, true).forward(y);
    new nn.Dropout(0.5, true).forward(y);
    return [y, y.mul(w).sum()];
  },
  elu_then_add: (x, w) => { const y = x.mul(2); new nn.ELU({ inplace: true }).forward(y); y.add_(1); return [y, y.mul(w).sum()]; },
  silu_then_add: (x, w) => { const y = x.mul(2); new nn.SiLU(true).forward(y); y.add_(1); return [y, y.mul(w).sum()]; },
  dropout_eval: (x, w) => {
    const y = x.mul(2);
    const d = new nn.Dropout(0.5, true);
    d.eval();
    assert.equal(d.forward(y), y);
    return [y, y.mul(w).sum()];
  },
  view_relu: (x, w) => { const y = x.mul(2).sub(1); const v = y.view(12); v.relu_(); return [v, y.mul(w).sum(), y]; },
  select_mul: (x, w, s) => { const y = x.mul(2); const r = y.select(0, 1); r.mul_(w.select(0, 1)); return [r, y.mul(y).sum().add(r.mul(s).sum()), y]; },
  narrow_clamp: (x, w) => { const y = x.mul(3); const n = y.narrow(1, 1, 2); n.clamp_(-1, 1); return [n, y.mul(w).sum(), y]; },
  view_made_before: (x, w) => { const y = x.mul(2); const t = y.t(); y.add_(w); return [t, t.mul(w.t()).sum().add(y.mul(y).sum()), y]; },
  view_of_view: (x, _w, s) => {
    const y = x.mul(2);
    const a = y.view(2, 6);
    const b = a.narrow(1, 2, 3);
    b.sigmoid_();
    return [b, y.mul(y).sum().add(a.mul(a).mul(s).sum()), y];
  },
  view_then_base: (x, w) => { const y = x.mul(2); const v = y.select(0, 0); v.add_(w.select(0, 0)); y.mul_(w); return [v, v.mul(v).sum().add(y.sum()), y]; },
  fill_rows: (x, w, s) => {
    const out = zeros(3, 4);
    for (let i = 0; i < 3; i++) out.select(0, i).copy_(x.select(0, i).mul(w.select(0, i)).add(s));
    return [out.select(0, 2), out.mul(out).sum(), out];
  },
  layers: (x, w, s) => {
    layers = makeLayers();
    manualSeed(7);
    const y = layers.forward(x);
    return [y, y.sub(w.narrow(1, 0, 3)).pow(2).mean().mul(s)];
  },
};

test('inplace-graph.json covers every program here, and both outcomes', () => {
  assert.deepEqual(Object.keys(PROGRAMS).sort(), fx.cases.map((c) => c.name).sort());
  assert.ok(fx.cases.some((c) => c.raises) && fx.cases.some((c) => !c.raises));
});

for (const c of fx.cases) {
  test(`in place in the graph: ${c.name} (${c.gradFn}; PyTorch's backward ${c.raises ? 'refuses it' : 'runs'})`, () => {
    const x = tensor(fx.x, { requiresGrad: true });
    const w = tensor(fx.w, { requiresGrad: true });
    const s = tensor(fx.s, { requiresGrad: true });
    const [y, loss, base] = PROGRAMS[c.name]!(x, w, s);
    assert.equal(y.gradFn?.torchName ?? null, c.gradFn, 'the changed tensor\'s grad_fn');
    assert.equal(base?.gradFn?.torchName, c.baseGradFn, 'the base\'s grad_fn');
    assertTensorClose(y, c.value, `${c.name}: values`);
    assert.ok(Math.abs(loss.item() - c.loss) <= 1e-5 * Math.max(1, Math.abs(c.loss)), `${c.name}: loss ${loss.item()} against ${c.loss}`);
    if (c.raises) {
      assert.throws(() => loss.backward(), /changed in place after the forward pass.*modified by an inplace operation/s);
      return;
    }
    loss.backward();
    for (const [k, leaf] of [['x', x], ['w', w], ['s', s]] as const) {
      const expected = c.grads![k];
      if (expected === null) assert.equal(leaf.grad, null, `${c.name}: ${k} gets no gradient`);
      else assertTensorClose(leaf.grad, expected, `${c.name}: gradient of ${k}`);
    }
    if (c.params !== undefined) {
      const got = Object.fromEntries(layers!.namedParameters());
      for (const [k, e] of Object.entries(c.params)) assertTensorClose(got[k]!.grad, e, `${c.name}: gradient of ${k}`);
    }
  });
}

test('the layers print as PyTorch\'s, inplace=True included', () => {
  assert.equal(String(makeLayers()), fx.layersRepr);
});
