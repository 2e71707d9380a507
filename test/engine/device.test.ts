// PyTorch's devices and dtypes, as code ported from the book uses them: the CPU and float32 are Kindling's own, so
// moving there gives the object itself; a GPU or another dtype is refused with a message that says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, optim, tensor } from '../../src/index.js';

test('a tensor is float32 on the CPU; to() there gives it back (a copy with copy: true), as PyTorch when nothing changes', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  assert.equal(x.dtype, 'float32');
  assert.equal(x.device, 'cpu');
  for (const args of [['cpu'], ['cpu:0'], ['float32'], ['float'], ['torch.float32'], ['cpu', 'float32'], [tensor([0])], [{ device: 'cpu', dtype: 'float32', nonBlocking: true }]] as unknown[][]) {
    assert.equal(x.to(...args), x, JSON.stringify(args));
  }
  assert.equal(x.cpu(), x);
  assert.equal(x.float(), x);
  const copy = x.to({ copy: true });
  assert.notEqual(copy, x);
  assert.deepEqual([...copy.toArray()], [1, 2, 3]);
  // The copy is part of the graph, as PyTorch's to(copy=True) is.
  copy.mul(2).sum().backward();
  assert.deepEqual([...x.grad!.toArray()], [2, 2, 2]);
});

test('a GPU device, another dtype or an unknown name is refused, naming the call and what Kindling has', () => {
  const x = tensor([1, 2]);
  const gpu = /^Error: x\.to: Kindling computes on the CPU only \(WebAssembly SIMD kernels, no GPU\), so there is no 'cuda' device; drop the call, or use 'cpu'$/;
  assert.throws(() => x.to('cuda'), (e: unknown) => gpu.test(String(e)));
  assert.throws(() => x.to({ device: 'cuda:1' }), /no 'cuda:1' device/);
  assert.throws(() => x.to('mps'), /no 'mps' device/);
  assert.throws(() => x.cuda(), /^Error: x\.cuda: Kindling computes on the CPU only/);
  assert.throws(() => x.to('float64'), { name: 'TypeError', message: "x.to: Kindling's tensors are float32 only, so there is no float64; drop the call" });
  assert.throws(() => x.double(), { name: 'TypeError', message: "x.double: Kindling's tensors are float32 only, so there is no float64; drop the call" });
  assert.throws(() => x.half(), /there is no float16/);
  assert.throws(() => x.long(), { name: 'TypeError', message: /^x\.long: .*no int64; drop the call \(class indices and labels are float32 whole numbers, as the losses take them\)$/ });
  for (const [call, dtype] of [['int', 'int32'], ['short', 'int16'], ['char', 'int8'], ['byte', 'uint8']] as const) {
    assert.throws(() => x[call](), { name: 'TypeError', message: new RegExp(`^x\\.${call}: .*no ${dtype}; drop the call \\(class indices and labels are float32 whole numbers`) });
  }
  assert.deepEqual(tensor([0, 2, NaN, -0]).bool().tolist(), [0, 1, 1, 0], "bool() is PyTorch's: a mask of the non-zero elements, NaN counting");
  assert.throws(() => x.detach().numpy(), { name: 'TypeError', message: /^x\.numpy: there is no NumPy in JavaScript; use x\.tolist\(\)/ });
  assert.throws(() => x.to({ dtype: 'cpu' }), { name: 'TypeError', message: `x.to: "cpu" is not a dtype Kindling knows; it has 'float32'` });
  assert.throws(() => x.to({ device: 'float32' }), { name: 'TypeError', message: `x.to: "float32" is not a device Kindling knows; it has 'cpu'` });
  assert.throws(() => x.to('gpu'), { name: 'TypeError', message: `x.to: "gpu" is not a device or dtype Kindling knows; it has 'cpu' or 'float32'` });
  assert.throws(() => x.to(), { name: 'TypeError', message: "x.to(): give a device or a dtype ('cpu', 'float32'), as PyTorch's to()" });
  assert.throws(() => x.to(3), { name: 'TypeError', message: /^x\.to: expected a device or a dtype .*got the number 3/ });
  assert.throws(() => x.to({ device: 'cpu', blocking: false }), { name: 'TypeError', message: "x.to: unknown option 'blocking' (known: device, dtype, nonBlocking, copy)" });
  assert.throws(() => x.to({ copy: 'yes' }), { name: 'TypeError', message: /^x\.to: copy must be true or false/ });
});

test('model.to(device) as the book writes it gives the model, which trains as before; cuda() and double() are refused', () => {
  const model = new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid());
  const device = 'cpu';
  assert.equal(model.to(device), model);
  assert.equal(model.cpu(), model);
  assert.equal(model.float(), model);
  assert.equal(model.to({ dtype: 'float32' }), model);
  const opt = new optim.SGD(model.to(device).parameters(), 0.5);
  const before = [...model.at<nn.Linear>(0).weight.toArray()];
  model.forward(tensor([1, 2, 3]).to(device)).sum().backward();
  opt.step();
  assert.notDeepEqual([...model.at<nn.Linear>(0).weight.toArray()], before);
  assert.throws(() => model.to('cuda'), /^Error: model\.to: Kindling computes on the CPU only .*no 'cuda' device/);
  assert.throws(() => model.cuda(), /^Error: model\.cuda: /);
  assert.throws(() => model.double(), { name: 'TypeError', message: "model.double: Kindling's tensors are float32 only, so there is no float64; drop the call" });
  assert.throws(() => model.half(), /model\.half: .*no float16/);
  assert.throws(() => model.to({ copy: true }), { name: 'TypeError', message: "model.to: copy is an option of a tensor's to(), not a module's (PyTorch's Module.to has none)" });
  // Not members: printing and the state dict are as before.
  assert.equal(String(model), 'Sequential(\n  (0): Linear(in_features=3, out_features=2, bias=True)\n  (1): Sigmoid()\n)');
  assert.deepEqual(Object.keys(model.stateDict()), ['0.weight', '0.bias']);
});

test("to('bool') and type('torch.BoolTensor') give bool(), and a mask to float32 gives float(), as PyTorch's bool tensors", () => {
  const x = tensor([0, 2, -1]).requiresGrad_();
  const picked = (m: ReturnType<typeof tensor>): number[] => tensor([5, 6, 7]).index([m]).tolist() as number[];
  // PyTorch 1.13: x.to(torch.bool) of [0., 2., -1.] is tensor([False, True, True]) (no grad), x[...] selects [6., 7.].
  for (const m of [x.to('bool'), x.to('torch.bool'), x.to({ dtype: 'bool' }), x.to('cpu', 'bool'), x.to({ dtype: 'bool', copy: true }), x.type('torch.BoolTensor'), x.type('bool'), x.to(x.gt(0))]) {
    assert.deepEqual(m.tolist(), [0, 1, 1]);
    assert.equal(m.requiresGrad, false);
    assert.deepEqual(picked(m), [6, 7]);
  }
  const m = x.ne(0);
  assert.equal(m.to('bool'), m, 'a mask to bool is itself, as PyTorch when nothing changes');
  assert.equal(m.to('cpu'), m);
  // PyTorch 1.13: m.to(torch.float32) is tensor([0., 1., 1.]), whose 1s and 0s are positions: y[m.float().long()] = [5., 6., 6.].
  for (const f of [m.to('float32'), m.to({ dtype: 'float32' }), m.to('torch.float'), m.type('torch.FloatTensor'), m.type('float32'), m.to(tensor([1]))]) {
    assert.notEqual(f, m);
    assert.deepEqual(f.tolist(), [0, 1, 1]);
    assert.deepEqual(picked(f), [5, 6, 6]);
  }
  assert.throws(() => new nn.Linear(2, 2).to('bool'), { name: 'TypeError', message: /^model\.to: a module's parameters are float32, not bool \(PyTorch's Module\.to only accepts floating point/ });
  assert.throws(() => x.type('torch.LongTensor'), /there is no int64/);
});
