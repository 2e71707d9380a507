// optim.swa_utils against PyTorch 1.13 (fixtures/torch/swa.json, from make_swa.py): AveragedModel's running mean,
// with useBuffers and with an exponential avgFn, updateBn's recomputed statistics and the averaged model's output,
// and SWALR's learning rates — cosine and linear anneals, annealEpochs 0, one rate per group.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { data, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{
  x: EncodedTensor;
  mean: Record<string, EncodedTensor>;
  buffers: Record<string, EncodedTensor>;
  ema: Record<string, EncodedTensor>;
  updateBn: { state: Record<string, EncodedTensor>; out: EncodedTensor };
  swalr: Record<'cos' | 'linear' | 'zero' | 'groups', number[][]>;
}>('swa.json');
const { AveragedModel, SWALR, updateBn } = optim.swa_utils;

const model = (): nn.Sequential => {
  manualSeed(0);
  return new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.ReLU(), new nn.Linear(3, 2));
};

/** Every parameter and float buffer p becomes p·0.9 + 0.01·k (PyTorch's num_batches_tracked is an integer: left alone). */
function change(m: nn.Module, k: number): void {
  noGrad(() => {
    for (const t of [...m.parameters(), ...m.namedBuffers().filter(([n]) => !n.endsWith('num_batches_tracked')).map(([, b]) => b)]) t.mul_(0.9).add_(0.01 * k);
  });
}

function assertState(got: Record<string, Tensor>, want: Record<string, EncodedTensor>, label: string): void {
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${label}: PyTorch's state-dict keys`);
  for (const [k, e] of Object.entries(want)) assertTensorClose(got[k]!, e, `${label}: ${k}`, { rtol: 1e-6, atol: 1e-7 });
}

for (const [name, options] of [['mean', {}], ['buffers', { useBuffers: true }], ['ema', { avgFn: (a: Tensor, p: Tensor) => a.mul(0.9).add(p.mul(0.1)) }]] as const) {
  test(`AveragedModel (${name}): three updates give PyTorch's averaged state dict`, () => {
    const m = model();
    const swa = new AveragedModel(m, options);
    for (let k = 1; k <= 3; k++) {
      change(m, k);
      swa.updateParameters(m);
    }
    assert.equal(swa.nAveraged, 3);
    assertState(swa.stateDict(), fx[name], name);
  });
}

test('AveragedModel with useBuffers keeps num_batches_tracked a whole count, as PyTorch\'s int64 buffer', () => {
  // PyTorch 1.13: torch.manual_seed(0); bn = nn.BatchNorm1d(2); swa = AveragedModel(bn, use_buffers=True[, avg_fn=
  // lambda a, p, n: 0.5 * a + 0.5 * p]); three times bn(tensor([[1., 2.], [3., 5.]]) * k) for k = 1, 2, 3, then
  // swa.update_parameters(bn): num_batches_tracked 1, 1, 1 (mean) and 1, 1, 2 (avg_fn), each average cut to an
  // integer as copy_ writes it into the int64 buffer; running_mean after the third [0.634, 1.1095] and
  // [0.756, 1.323] (a float buffer, averaged as it is).
  for (const [avgFn, counts, mean] of [
    [undefined, [1, 1, 1], [0.6340000033378601, 1.1095000505447388]],
    [(a: Tensor, p: Tensor) => a.mul(0.5).add(p.mul(0.5)), [1, 1, 2], [0.7559999823570251, 1.3229999542236328]],
  ] as const) {
    manualSeed(0);
    const bn = new nn.BatchNorm1d(2);
    const swa = new AveragedModel(bn, avgFn === undefined ? { useBuffers: true } : { useBuffers: true, avgFn });
    const got: number[] = [];
    for (let k = 1; k <= 3; k++) {
      bn.forward(tensor([[1, 2], [3, 5]]).mul(k));
      swa.updateParameters(bn);
      got.push(swa.module.getBuffer('num_batches_tracked')!.item());
    }
    assert.deepEqual(got, counts);
    assertTensorClose(swa.module.getBuffer('running_mean')!, { shape: [2], data: [...mean] }, 'running_mean', { rtol: 1e-6, atol: 0 });
  }
});

test("AveragedModel's PyTorch name update_parameters is refused with Kindling's", () => {
  const swa = new AveragedModel(new nn.Linear(2, 1));
  assert.throws(() => (swa as unknown as { update_parameters: (m: nn.Module) => void }).update_parameters(swa.module),
    { name: 'TypeError', message: "swaModel.update_parameters() is PyTorch's name; Kindling's is swaModel.updateParameters()" });
});

test("AveragedModel refuses arguments past its options, such as PyTorch's avg_fn by position", () => {
  const avg = (a: Tensor, p: Tensor): Tensor => a.mul(0.9).add(p.mul(0.1));
  assert.throws(() => new (AveragedModel as unknown as new (...a: unknown[]) => unknown)(new nn.Linear(2, 1), undefined, avg),
    { name: 'TypeError', message: /^AveragedModel: takes at most 2 arguments \(new AveragedModel\(model, \{ avgFn, useBuffers \}\)\), got function as argument 3$/ });
  assert.equal(new AveragedModel(new nn.Linear(2, 1), { avgFn: avg }).avgFn, avg);
});

test('SWALR given its arguments as one options object says they come by position', () => {
  const opt = new optim.SGD([new nn.Parameter(tensor([0]))], 0.1);
  assert.throws(() => new SWALR(opt, { swaLr: 0.05 } as never), { name: 'TypeError', message: "SWALR: swaLr must be a number (the arguments come by position: new SWALR(opt, 0.05, 5, 'cos')), got an object" });
  assert.throws(() => new SWALR(opt, 0.05, { annealEpochs: 3 } as never), { name: 'TypeError', message: /SWALR: annealEpochs must be a number \(the arguments come by position/ });
  assert.equal(opt.options.lr, 0.1, 'nothing changed');
});

test('updateBn recomputes the averaged model\'s batch-norm statistics over a loader, as PyTorch\'s; its output then matches', () => {
  const x = decode(fx.x);
  const m = model();
  const swa = new AveragedModel(m);
  for (let k = 1; k <= 2; k++) {
    change(m, k);
    swa.updateParameters(m);
  }
  const bn = swa.module.getSubmodule('1') as nn.BatchNorm1d;
  updateBn(new data.DataLoader(new data.TensorDataset(x), 4), swa);
  assert.equal(bn.momentum, 0.1, 'the momentum is put back');
  assert.equal(swa.training, true, 'the mode is put back');
  swa.eval();
  assertState(swa.stateDict(), fx.updateBn.state, 'after updateBn');
  assertTensorClose(swa.forward(x), fx.updateBn.out, 'the averaged model\'s output', { rtol: 1e-5, atol: 1e-6 });
});

test('SWALR sets PyTorch\'s learning rates: cosine and linear anneals, annealEpochs 0, one rate per group', () => {
  const run = (groups: number[], swaLr: number | number[], epochs: number, strategy: 'cos' | 'linear', steps: number): number[][] => {
    const opt = new optim.SGD(groups.map((lr) => ({ params: [new nn.Parameter(tensor([0]))], lr })));
    const sched = new SWALR(opt, swaLr, epochs, strategy);
    const out = [opt.paramGroups.map((g) => g.lr)];
    for (let s = 0; s < steps; s++) {
      opt.step();
      sched.step();
      out.push(opt.paramGroups.map((g) => g.lr));
    }
    return out;
  };
  const close = (got: number[][], want: number[][], label: string): void => {
    assert.equal(got.length, want.length);
    got.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want[i]![j]!) <= 1e-15, `${label}: step ${i}, group ${j}: ${v} against ${want[i]![j]}`)));
  };
  close(run([0.5], 0.05, 5, 'cos', 8), fx.swalr.cos, 'cos');
  close(run([0.5], 0.05, 3, 'linear', 5), fx.swalr.linear, 'linear');
  close(run([0.5], 0.05, 0, 'cos', 3), fx.swalr.zero, 'annealEpochs 0');
  close(run([0.5, 0.2], [0.05, 0.1], 4, 'cos', 6), fx.swalr.groups, 'two groups');
});

test('SWALR resumes from its state dict; refusals as PyTorch\'s', () => {
  const opt = new optim.SGD([new nn.Parameter(tensor([0]))], 0.5);
  const a = new SWALR(opt, 0.05, 5);
  a.step();
  a.step();
  const saved = a.stateDict();
  const opt2 = new optim.SGD([new nn.Parameter(tensor([0]))], opt.paramGroups[0]!.lr);
  const b = new SWALR(opt2, 0.05, 5);
  b.loadStateDict(saved);
  opt2.paramGroups[0]!.lr = opt.paramGroups[0]!.lr;
  a.step();
  b.step();
  assert.equal(opt2.paramGroups[0]!.lr, opt.paramGroups[0]!.lr);
  assert.throws(() => new SWALR(opt, 0.05, 5, 'step' as 'cos'), /anneal_strategy must by one of 'cos' or 'linear'/);
  assert.throws(() => new SWALR(opt, 0.05, -1), /anneal_epochs must be equal or greater than 0/);
  assert.throws(() => new SWALR(opt, [0.1, 0.2]), /swa_lr must have the same length as optimizer.param_groups: swa_lr has 2, optimizer.param_groups has 1/);
  class Own extends nn.Module { forward(x: Tensor): Tensor { return x; } }
  assert.throws(() => new AveragedModel(new Own()), /give \{ copy: \(\) => new YourModel/);
  const own = new AveragedModel(new Own(), { copy: () => new Own() });
  assert.equal(own.nAveraged, 0);
});
