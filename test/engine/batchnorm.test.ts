// Module buffers (registerBuffer, buffers(), namedBuffers(), getBuffer, stateDict and loadStateDict with them) and
// the BatchNorm layers: running statistics, train/eval switching, printing, options and PyTorch's errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, noGrad, ones, optim, tensor, zeros, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

/** A module with a buffer of each kind and a parameter, PyTorch's way. */
class Tracker extends nn.Module {
  scale = new nn.Parameter(ones([2]));
  mask!: Tensor;
  constructor() {
    super();
    this.registerBuffer('mask', tensor([1, 0]));
    this.registerBuffer('scratch', zeros([2]), false);
    this.registerBuffer('later', null);
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.scale).mul(this.mask);
  }
}

test('buffers(), namedBuffers() and stateDict(): own parameters, then persistent buffers, then the children, in PyTorch\'s order', () => {
  const net = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.ReLU(), new nn.Linear(4, 2));
  assert.deepEqual(Object.keys(net.stateDict()), [
    '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '3.weight', '3.bias',
  ]);
  assert.deepEqual(net.namedBuffers().map(([n]) => n), ['1.running_mean', '1.running_var', '1.num_batches_tracked']);
  assert.deepEqual(net.namedBuffers('net').map(([n]) => n)[0], 'net.1.running_mean');
  const bn = net.at<nn.BatchNorm1d>(1);
  assert.deepEqual(net.buffers(), [bn.runningMean, bn.runningVar, bn.numBatchesTracked]);
  assert.deepEqual(net.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias']);
  assert.ok(net.buffers().every((b) => !b.requiresGrad && !net.parameters().includes(b)));
  assert.deepEqual([...bn.numBatchesTracked!.shape], []);
  // the state dict's buffers are detached views of the buffers themselves
  noGrad(() => net.stateDict()['1.running_mean']!.fill_(2));
  assert.deepEqual([...bn.runningMean!.toArray()], [2, 2, 2, 2]);
});

test('registerBuffer: persistent and not, null, reached and replaced under its name; a shared buffer is listed once by namedBuffers', () => {
  const t = new Tracker();
  assert.deepEqual(t.namedBuffers().map(([n]) => n), ['mask', 'scratch']);
  assert.deepEqual(Object.keys(t.stateDict()), ['scale', 'mask']);
  assert.deepEqual(t.forward(tensor([3, 4])).tolist(), [3, 0]);
  assert.equal(t.getBuffer('later'), null);
  assert.ok(!Object.keys(t).includes('mask'), 'the buffer\'s accessor is not enumerable');
  t.mask = tensor([0, 1]);
  assert.deepEqual(t.forward(tensor([3, 4])).tolist(), [0, 4]);
  assert.deepEqual([...t.stateDict()['mask']!.toArray()], [0, 1]);
  (t as unknown as { later: Tensor }).later = tensor([5]);
  assert.deepEqual(Object.keys(t.stateDict()), ['scale', 'mask', 'later']);
  // registering again replaces the tensor and the persistence, keeping the place
  t.registerBuffer('mask', tensor([1, 1]), false);
  assert.deepEqual(Object.keys(t.stateDict()), ['scale', 'later']);
  assert.deepEqual(t.namedBuffers().map(([n]) => n), ['mask', 'scratch', 'later']);
  // a buffer shared by two modules: under each name in the state dict, once in namedBuffers
  const shared = tensor([1, 2]);
  const a = new Tracker();
  const b = new Tracker();
  a.registerBuffer('shared', shared);
  b.registerBuffer('shared', shared);
  const pair = new nn.Sequential(a, b);
  assert.deepEqual(pair.namedBuffers().map(([n]) => n), ['0.mask', '0.scratch', '0.shared', '1.mask', '1.scratch']);
  assert.ok(Object.keys(pair.stateDict()).includes('1.shared'));
  assert.equal(pair.getBuffer('1.shared'), shared);
});

test('delete removes a buffer, and a module assigned to its name replaces it, as PyTorch\'s del and __setattr__', () => {
  // torch 1.13, M with buffers mask and scratch: `del m.mask` → state_dict and named_buffers without it, and
  // register_buffer('mask', …) works again; `m.mask = nn.Sigmoid()` → named_children ['mask'], named_buffers without it.
  const t = new Tracker();
  delete (t as Partial<Tracker>).mask;
  assert.deepEqual(Object.keys(t.stateDict()), ['scale']);
  assert.deepEqual(t.namedBuffers().map(([n]) => n), ['scratch']);
  throwsWith(() => t.getBuffer('mask'), RangeError, 'Tracker has no attribute `mask`');
  t.registerBuffer('mask', tensor([2, 2]));
  assert.deepEqual([...t.mask.toArray()], [2, 2]);
  assert.deepEqual(t.namedBuffers().map(([n]) => n), ['scratch', 'mask']);
  const u = new Tracker();
  const act = new nn.Sigmoid();
  (u as unknown as { mask: nn.Module }).mask = act;
  assert.deepEqual(u.namedChildren(), [['mask', act]]);
  assert.deepEqual(u.namedBuffers().map(([n]) => n), ['scratch']);
  assert.deepEqual(Object.keys(u.stateDict()), ['scale']);
  assert.equal(String(u), 'Tracker(\n  (mask): Sigmoid()\n)');
});

test('registerBuffer refuses what PyTorch refuses', () => {
  const t = new Tracker();
  throwsWith(() => t.registerBuffer('a.b', null), RangeError, 'buffer name can\'t contain "."');
  throwsWith(() => t.registerBuffer('', null), RangeError, 'can\'t be empty');
  throwsWith(() => t.registerBuffer('scale', null), RangeError, "attribute 'scale' already exists");
  throwsWith(() => t.registerBuffer('forward', null), RangeError, "attribute 'forward' already exists");
  throwsWith(() => new nn.BatchNorm1d(2).registerBuffer('weight', null), RangeError, "attribute 'weight' already exists");
  throwsWith(() => t.registerBuffer(loose(3), null), TypeError, 'buffer name should be a string');
  throwsWith(() => t.registerBuffer('x', loose(3)), TypeError, "cannot assign the number 3 as buffer 'x'");
  throwsWith(() => t.registerBuffer('x', null, loose('yes')), TypeError, 'persistent must be true or false');
  throwsWith(() => { t.mask = loose(3); }, TypeError, "Tracker.mask: cannot assign the number 3 as buffer 'mask'");
  throwsWith(() => t.getBuffer('nothing'), RangeError, 'Tracker has no attribute `nothing`');
  throwsWith(() => new nn.Sequential(t).getBuffer('3.mask'), RangeError, 'Sequential has no attribute `3`');
  throwsWith(() => loose<{ register_buffer: () => void }>(t).register_buffer(), TypeError, "Kindling's is model.registerBuffer()");
  throwsWith(() => loose<{ named_buffers: () => void }>(t).named_buffers(), TypeError, "Kindling's is model.namedBuffers()");
});

test('loadStateDict loads buffers; strict checks include them; a wrong shape is refused before anything changes', () => {
  const bn = new nn.BatchNorm1d(3);
  const state = {
    weight: tensor([1, 2, 3]), bias: tensor([0, 0, 1]), running_mean: tensor([0.5, 0.25, -1]), running_var: tensor([2, 3, 4]),
    num_batches_tracked: tensor(7),
  };
  bn.loadStateDict(state);
  assert.deepEqual([...bn.runningMean!.toArray()], [0.5, 0.25, -1]);
  assert.equal(bn.numBatchesTracked!.item(), 7);
  // Without its counter, as PyTorch's BatchNorm takes a state dict without version metadata: the count is 0.
  const { num_batches_tracked: _n, ...noCount } = state;
  const counted = new nn.BatchNorm1d(3);
  assert.deepEqual(counted.loadStateDict(noCount), { missingKeys: [], unexpectedKeys: [] });
  assert.equal(counted.stateDict()['num_batches_tracked']!.item(), 0);
  const { running_var: _v, ...missing } = state;
  throwsWith(() => new nn.BatchNorm1d(3).loadStateDict(missing), RangeError, 'Missing key(s) in state_dict: "running_var"');
  assert.deepEqual(new nn.BatchNorm1d(3).loadStateDict(missing, false), { missingKeys: ['running_var'], unexpectedKeys: [] });
  throwsWith(() => new nn.BatchNorm1d(3, { trackRunningStats: false }).loadStateDict(state), RangeError, 'Unexpected key(s) in state_dict: "running_mean", "running_var", "num_batches_tracked"');
  const fresh = new nn.BatchNorm1d(3);
  throwsWith(() => fresh.loadStateDict({ ...state, running_var: tensor([1, 2]) }), RangeError, 'size mismatch for running_var:', '[2]', '[3]');
  assert.deepEqual([...fresh.runningMean!.toArray()], [0, 0, 0]);
  // a non-persistent buffer is neither expected nor accepted
  const t = new Tracker();
  throwsWith(() => t.loadStateDict({ scale: ones([2]), mask: ones([2]), scratch: ones([2]) }), RangeError, 'Unexpected key(s) in state_dict: "scratch"');
});

test('an optimizer never sees the buffers; zeroGrad, apply and modules() walk the tree as before', () => {
  const net = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
  const opt = new optim.SGD(net.parameters(), 0.5);
  const x = tensor([[1, 2, 3], [0, -1, 2], [4, 0, 1]]);
  net.forward(x).pow(2).sum().backward();
  const before = net.buffers().map((b) => [...b.toArray()]);
  opt.step();
  assert.deepEqual(net.buffers().map((b) => [...b.toArray()]), before);
  net.zeroGrad();
  assert.ok(net.buffers().every((b) => b.grad === null));
  const seen: string[] = [];
  net.apply((m) => seen.push(m.constructor.name));
  assert.deepEqual(seen, ['Linear', 'BatchNorm1d', 'Sequential']);
  assert.deepEqual(net.modules().map((m) => m.constructor.name), ['Sequential', 'Linear', 'BatchNorm1d']);
});

test('training mode updates the running statistics (unbiased variance) and the count; evaluation mode uses them and changes nothing', () => {
  const bn = new nn.BatchNorm1d(2, { momentum: 0.5 });
  const x = tensor([[1, 10], [3, 20], [5, 60]]);
  const y = noGrad(() => bn.forward(x));
  // batch means 3 and 30, biased variances 8/3 and 1400/3, unbiased 4 and 700
  assert.deepEqual([...bn.runningMean!.toArray()], [Math.fround(1.5), Math.fround(15)]);
  assert.deepEqual([...bn.runningVar!.toArray()], [Math.fround(2.5), Math.fround(350.5)]);
  assert.equal(bn.numBatchesTracked!.item(), 1);
  const s = Math.sqrt(8 / 3 + 1e-5);
  assert.deepEqual([...y.toArray()].filter((_, i) => i % 2 === 0), [Math.fround(-2 / s), 0, Math.fround(2 / s)]);
  bn.eval();
  const z = noGrad(() => bn.forward(x));
  assert.deepEqual([...z.toArray()].slice(0, 2), [Math.fround((1 - 1.5) / Math.sqrt(2.5 + 1e-5)), Math.fround((10 - 15) / Math.sqrt(350.5 + 1e-5))]);
  assert.equal(bn.numBatchesTracked!.item(), 1);
  assert.deepEqual([...bn.runningMean!.toArray()], [1.5, 15]);
  bn.train();
  noGrad(() => bn.forward(x));
  assert.equal(bn.numBatchesTracked!.item(), 2);
  // momentum null: the plain average of every batch's statistics
  const avg = new nn.BatchNorm1d(1, { momentum: null });
  for (const batch of [[1, 3], [5, 9], [0, 0]]) noGrad(() => avg.forward(tensor(batch, [2, 1])));
  assert.deepEqual([...avg.runningMean!.toArray()], [Math.fround((2 + 7 + 0) / 3)]);
  assert.deepEqual([...avg.runningVar!.toArray()], [Math.fround((2 + 8 + 0) / 3)]);
  avg.resetRunningStats();
  assert.deepEqual([avg.runningMean!.item(), avg.runningVar!.item(), avg.numBatchesTracked!.item()], [0, 1, 0]);
});

test('trackRunningStats false: null buffers, nothing in the state dict, the batch statistics in evaluation mode too', () => {
  const bn = new nn.BatchNorm2d(2, { trackRunningStats: false, affine: false });
  assert.deepEqual(Object.keys(bn.stateDict()), []);
  assert.deepEqual(bn.buffers(), []);
  assert.equal(bn.runningMean, null);
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
  const train = noGrad(() => bn.forward(x)).toArray();
  bn.eval();
  assert.deepEqual([...noGrad(() => bn.forward(x)).toArray()], [...train]);
  // a tensor assigned later is a buffer like any other
  bn.runningMean = zeros([2]);
  assert.deepEqual(Object.keys(bn.stateDict()), ['running_mean']);
});

test('printing, positional arguments and options, as PyTorch', () => {
  assert.equal(String(new nn.BatchNorm1d(200)), 'BatchNorm1d(200, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
  assert.equal(String(new nn.BatchNorm2d(3, { momentum: null, affine: false, trackRunningStats: false })), 'BatchNorm2d(3, eps=1e-05, momentum=None, affine=False, track_running_stats=False)');
  const positional = new nn.BatchNorm1d(4, 1e-3, 0.5, false, true);
  assert.equal(String(positional), 'BatchNorm1d(4, eps=0.001, momentum=0.5, affine=False, track_running_stats=True)');
  assert.equal(positional.weight, null);
  assert.equal(String(new nn.BatchNorm1d(4, 1e-5, null)), 'BatchNorm1d(4, eps=1e-05, momentum=None, affine=True, track_running_stats=True)');
  assert.equal(
    String(new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2))),
    'Sequential(\n  (0): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1))\n  (1): BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n)',
  );
  throwsWith(() => new nn.BatchNorm1d(-1), RangeError, 'numFeatures must be a non-negative integer');
  throwsWith(() => new nn.BatchNorm1d(3, loose({ epsilon: 1 })), TypeError, 'epsilon');
  throwsWith(() => new nn.BatchNorm1d(3, { eps: -1 }), RangeError, 'eps must be a non-negative number');
  throwsWith(() => new nn.BatchNorm1d(3, { momentum: loose('fast') }), TypeError, 'momentum must be a number or null');
  throwsWith(() => new nn.BatchNorm1d(3, { affine: loose(1) }), TypeError, 'affine must be true or false');
  throwsWith(() => new nn.BatchNorm1d(3, loose({}), loose(0.1)), TypeError, 'by position');
});

test('PyTorch\'s errors: input rank, one value per channel when training, channel counts, eval without running statistics', () => {
  throwsWith(() => new nn.BatchNorm1d(3).forward(zeros([2, 3, 4, 5])), RangeError, 'expected 2D or 3D input (got 4D input');
  throwsWith(() => new nn.BatchNorm2d(3).forward(zeros([2, 3, 4])), RangeError, 'expected 4D input (got 3D input');
  throwsWith(() => new nn.BatchNorm1d(3).forward(zeros([1, 3])), RangeError, 'Expected more than 1 value per channel when training, got input size [1, 3]');
  throwsWith(() => new nn.BatchNorm2d(3).forward(zeros([1, 3, 1, 1])), RangeError, 'Expected more than 1 value per channel when training');
  // one sample is fine in evaluation mode
  const bn = new nn.BatchNorm1d(3).eval();
  assert.deepEqual([...noGrad(() => bn.forward(tensor([[1, 2, 3]]))).toArray()].map((v) => Math.round(v * 1e4) / 1e4), [1, 2, 3]);
  throwsWith(() => new nn.BatchNorm1d(3).forward(zeros([2, 4])), RangeError, 'runningMean should contain 4 elements not 3');
  throwsWith(() => F.batchNorm(zeros([4, 3]), null, null), RangeError, 'runningMean must be defined in evaluation mode');
  throwsWith(() => F.batchNorm(zeros([4, 3]), zeros([3]), ones([3]), { weight: ones([4]) }), RangeError, 'weight should contain 3 elements not 4');
  throwsWith(() => F.batchNorm(zeros([3]), zeros([3]), ones([3])), RangeError, 'input must be [N, C]');
  throwsWith(() => F.batchNorm(zeros([4, 3]), zeros([3]), ones([3]), loose({ momentun: 0.1 })), TypeError, 'momentun');
});

test('F.batchNorm refuses running statistics that are not 1-D or that require grad, in either mode, as PyTorch', () => {
  // PyTorch 1.13: "TensorAccessor expected 1 dims but tensor has 2" for [1, C]; "The function 'native_batch_norm' is
  // not differentiable with respect to argument 'running_mean'" for one that requires grad (allowed under no_grad).
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  for (const training of [false, true]) {
    throwsWith(() => F.batchNorm(x, zeros([1, 3]), ones([3]), { training }), RangeError, 'batchNorm: runningMean must be 1-D, one value per channel (shape [3]), got shape [1, 3]');
    throwsWith(() => F.batchNorm(x, zeros([3]), ones([3, 1]), { training }), RangeError, 'runningVar must be 1-D', 'got shape [3, 1]');
    throwsWith(() => F.batchNorm(x, zeros([3], { requiresGrad: true }), ones([3]), { training }), RangeError,
      'batchNorm: batch norm is not differentiable with respect to runningMean', "'native_batch_norm' with respect to running_mean");
    throwsWith(() => F.batchNorm(x, zeros([3]), ones([3], { requiresGrad: true }), { training }), RangeError, 'with respect to runningVar');
  }
  const y = noGrad(() => F.batchNorm(x, zeros([3], { requiresGrad: true }), ones([3], { requiresGrad: true })));
  assert.deepEqual([...y.shape], [2, 3], 'under noGrad PyTorch takes them');
});

test('F.batchNorm: running statistics updated in place (their version stays, as PyTorch\'s) and saved in either mode', () => {
  const rm = zeros([2]);
  const rv = ones([2]);
  const x = tensor([[1, 2], [3, 6]], { requiresGrad: true });
  const v = rm.version;
  const y = F.batchNorm(x, rm, rv, { training: true, momentum: 1 });
  assert.equal(rm.version, v);
  assert.deepEqual([...rm.toArray()], [2, 4]);
  assert.deepEqual([...rv.toArray()], [2, 8]);
  // A change of the running statistics by the user after the forward pass stops the backward pass, in training
  // mode as in evaluation mode (PyTorch saves them in both).
  noGrad(() => rm.fill_(9));
  throwsWith(() => y.sum().backward(), Error, 'changed in place');
  const z = F.batchNorm(x, rm, rv);
  noGrad(() => rv.fill_(3));
  throwsWith(() => z.sum().backward(), Error, 'changed in place');
  // an empty batch: no statistics to take, the running ones unchanged
  const empty = F.batchNorm(zeros([0, 2]), rm, rv, { training: true });
  assert.deepEqual(empty.shape, [0, 2]);
  assert.deepEqual([...rm.toArray()], [9, 9]);
});

test('a BatchNorm used twice in one forward pass while training: the second use\'s update does not stop the first\'s backward', () => {
  const bn = new nn.BatchNorm1d(2);
  const x = tensor([[1, 2], [3, 6], [0, 1]], { requiresGrad: true });
  const y = bn.forward(x).add(bn.forward(x.mul(2)));
  y.sum().backward();
  assert.ok(x.grad !== null && [...x.grad.toArray()].every(Number.isFinite));
  // Both updates were made: 0.9·(0.9·0 + 0.1·4/3) + 0.1·8/3.
  assert.ok(Math.abs(bn.runningMean!.toArray()[0]! - (0.9 * 0.1 * 4 / 3 + 0.1 * 8 / 3)) < 1e-6);
});

test('F.batchNorm refuses momentum null (PyTorch\'s batch_norm refuses None) rather than taking 0.1, and leaves the statistics alone', () => {
  const rm = zeros([2]);
  const rv = ones([2]);
  throwsWith(() => F.batchNorm(tensor([[1, 2], [3, 5]]), rm, rv, { training: true, momentum: loose(null) }), TypeError, 'batchNorm: momentum must be a number, got null');
  assert.deepEqual([...rm.toArray(), ...rv.toArray()], [0, 0, 1, 1]);
});
