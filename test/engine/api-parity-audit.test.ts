// PyTorch API behaviour an audit found missing or different: `step(closure)`, `parameters(recurse)`,
// `requiresGrad_` on a module, `insert`/`extend` on containers, ModuleDict keys that name members, schedulers given
// PyTorch's extra positional arguments, and optimizer states saved after an option was switched off mid-run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manualSeed, nn, noGrad, ones, onesLike, optim, rand, randn, tensor, zerosLike, type Tensor } from '../../src/index.js';

const bits = (ps: readonly Tensor[]): number[][] => ps.map((p) => [...new Uint32Array(Float32Array.from(p.toArray()).buffer)]);

test('step(closure) runs the closure once with gradients enabled, then steps, and returns its loss', () => {
  for (const make of [(ps: Tensor[]) => new optim.SGD(ps, 0.1, { momentum: 0.9 }), (ps: Tensor[]) => new optim.Adam(ps), (ps: Tensor[]) => new optim.RMSprop(ps), (ps: Tensor[]) => new optim.Adagrad(ps)]) {
    manualSeed(3);
    const a = new nn.Linear(2, 2);
    manualSeed(3);
    const b = new nn.Linear(2, 2);
    const oa = make(a.parameters());
    const ob = make(b.parameters());
    const x = tensor([0.5, -1.5]);
    let calls = 0;
    for (let i = 0; i < 3; i++) {
      // Inside noGrad the closure still records its graph, as PyTorch's step wraps it in enable_grad.
      const loss = noGrad(() => oa.step(() => {
        calls++;
        oa.zeroGrad();
        const l = a.forward(x).pow(2).sum();
        l.backward();
        return l;
      }));
      ob.zeroGrad();
      const l = b.forward(x).pow(2).sum();
      l.backward();
      ob.step();
      assert.equal(loss.item(), l.item());
    }
    assert.equal(calls, 3);
    assert.deepEqual(bits(a.parameters()), bits(b.parameters()), oa.constructor.name);
    assert.equal(oa.step(), undefined);
    assert.throws(() => oa.step(5 as unknown as () => number), /step: the closure must be a function/);
  }
});

/** A module with a parameter of its own and a sub-module holding parameters and buffers. */
class OwnAndBn extends nn.Module {
  w = new nn.Parameter(ones([2]));
  bn = new nn.BatchNorm1d(2);
  forward(x: Tensor): Tensor {
    return this.bn.forward(x.mul(this.w));
  }
}

test('parameters, namedParameters, buffers and namedBuffers with recurse false: this module\'s own only', () => {
  const net = new OwnAndBn();
  assert.equal(net.parameters().length, 3);
  assert.deepEqual(net.parameters(false), [net.w]);
  assert.deepEqual(net.parameters({ recurse: false }), [net.w]);
  assert.deepEqual(net.namedParameters('', false).map(([n]) => n), ['w']);
  assert.deepEqual(net.namedParameters('m', { recurse: false }).map(([n]) => n), ['m.w']);
  assert.deepEqual(net.buffers(false), []);
  assert.deepEqual(net.bn.namedBuffers('', false).map(([n]) => n), ['running_mean', 'running_var', 'num_batches_tracked']);
  assert.throws(() => net.parameters({ recurse: false, deep: true } as never), /unknown option "deep"/);
  assert.throws(() => net.parameters('no' as never), /parameters: recurse must be true or false/);
});

test('namedParameters, namedBuffers and namedModules take PyTorch\'s keywords as one object', () => {
  const net = new OwnAndBn();
  // named_parameters(recurse=False), named_parameters(prefix='m'), named_buffers(prefix='q', recurse=False)
  assert.deepEqual(net.namedParameters({ recurse: false }).map(([n]) => n), ['w']);
  assert.deepEqual(net.namedParameters({ prefix: 'm' }).map(([n]) => n), ['m.w', 'm.bn.weight', 'm.bn.bias']);
  assert.deepEqual(net.namedParameters({}).map(([n]) => n), ['w', 'bn.weight', 'bn.bias']);
  assert.deepEqual(net.namedBuffers({ prefix: 'q' }).map(([n]) => n), ['q.bn.running_mean', 'q.bn.running_var', 'q.bn.num_batches_tracked']);
  assert.deepEqual(net.namedBuffers({ prefix: 'q', recurse: false }), []);
  assert.deepEqual(net.namedModules({ prefix: 'enc' }).map(([n]) => n), ['enc', 'enc.bn']);
  // The options object is the whole of the arguments, its keys and values are checked, and a bad prefix is named.
  assert.throws(() => net.namedParameters({ recurse: false }, true as never), {
    name: 'TypeError',
    message: 'namedParameters: give the options as one object, namedParameters({ prefix, recurse }), or by position, namedParameters(prefix, recurse); got true after an object',
  });
  assert.throws(() => net.namedBuffers({ recurs: false } as never), { name: 'TypeError', message: /^namedBuffers: unknown option "recurs" \(did you mean recurse\?\)/ });
  assert.throws(() => net.namedParameters('', 'no' as never), {
    name: 'TypeError',
    message: 'namedParameters: recurse must be true or false (namedParameters(\'\', false) or namedParameters({ recurse: false })), got the string "no"',
  });
  assert.throws(() => net.namedParameters({ prefix: 3 } as never), { name: 'TypeError', message: 'namedParameters: prefix must be a string, got the number 3' });
  assert.throws(() => net.namedParameters(null as never), { name: 'TypeError', message: 'namedParameters: prefix must be a string, got null' });
  assert.throws(() => net.namedModules({ prefix: 'a', recurse: false } as never), { name: 'TypeError', message: /^namedModules: unknown option "recurse"/ });
});

test('requiresGrad_ on a module freezes and unfreezes every parameter under it', () => {
  const model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
  assert.equal(model.at<nn.Linear>(0).requiresGrad_(false), model.at(0));
  assert.deepEqual(model.parameters().map((p) => p.requiresGrad), [false, false, true, true]);
  model.requiresGrad_();
  assert.ok(model.parameters().every((p) => p.requiresGrad));
  assert.throws(() => model.requiresGrad_('no' as never), /requiresGrad_: expected true or false/);
});

test('insert and extend, as PyTorch\'s containers: the modules after move up, with their names', () => {
  const [a, b, c, d] = [new nn.ReLU(), new nn.Tanh(), new nn.Sigmoid(), new nn.Identity()];
  const seq = new nn.Sequential(a, b);
  seq.insert(1, c).insert(-1, d).insert(4, new nn.ReLU());
  assert.deepEqual([...seq].map((m) => m.constructor.name), ['ReLU', 'Sigmoid', 'Identity', 'Tanh', 'ReLU']);
  assert.equal(seq[2], d);
  assert.deepEqual(seq.namedModules().map(([n]) => n), ['', '0', '1', '2', '3', '4']);
  assert.deepEqual(seq.forward(tensor([-1, 2])).toArray(), new nn.Sequential(a, c, d, b, new nn.ReLU()).forward(tensor([-1, 2])).toArray());
  seq.extend([new nn.Tanh()]);
  assert.equal(seq.length, 6);
  assert.throws(() => seq.insert(8, new nn.ReLU()), /insert: index 8 is out of range for length 6/);
  assert.throws(() => seq.insert(0, {} as never), /Sequential: item 0 is not a Module/);
  assert.equal(seq.length, 6, 'a refused insert changes nothing');
  const list = new nn.ModuleList([a]);
  list.insert(0, b);
  assert.deepEqual([...list], [b, a]);
});

test('ModuleDict refuses a key that names one of its members, as PyTorch does', () => {
  const d = new nn.ModuleDict({ a: new nn.ReLU() });
  for (const key of ['training', 'parameters', 'forward', 'set']) {
    assert.throws(() => d.set(key, new nn.ReLU()), new RegExp(`the key '${key}' is the name of a member`));
  }
  assert.equal(d.parameters().length, 0);
  d.set('a', new nn.Tanh());
  assert.equal(d.get('a').constructor.name, 'Tanh');
});

test('schedulers refuse PyTorch\'s last_epoch and verbose given by position, rather than drop them', () => {
  const opt = new optim.SGD([tensor([1], { requiresGrad: true })], 0.1);
  const more = (f: () => unknown, name: string): void => assert.throws(f, new RegExp(`^TypeError: ${name}: takes .*; got 1 more argument \\(5\\)`));
  more(() => new (optim.lr_scheduler.StepLR as unknown as new (...a: unknown[]) => unknown)(opt, 3, 0.5, 5), 'StepLR');
  more(() => new (optim.lr_scheduler.ExponentialLR as unknown as new (...a: unknown[]) => unknown)(opt, 0.5, 5), 'ExponentialLR');
  more(() => new (optim.lr_scheduler.MultiStepLR as unknown as new (...a: unknown[]) => unknown)(opt, [2], 0.5, 5), 'MultiStepLR');
  more(() => new (optim.lr_scheduler.LambdaLR as unknown as new (...a: unknown[]) => unknown)(opt, () => 1, 5), 'LambdaLR');
  more(() => new (optim.lr_scheduler.CosineAnnealingLR as unknown as new (...a: unknown[]) => unknown)(opt, 10, 0, 5), 'CosineAnnealingLR');
  assert.equal(opt.paramGroups[0]!.lr, 0.1);
});

test('a state saved after amsgrad or momentum was switched off mid-run still loads, its buffer kept', () => {
  const p = tensor([1, 2], { requiresGrad: true });
  const adam = new optim.Adam([p], { amsgrad: true });
  p.grad = ones([2]);
  adam.step();
  adam.paramGroups[0]!.amsgrad = false;
  adam.step();
  const saved = adam.stateDict();
  const q = tensor([1, 2], { requiresGrad: true });
  const again = new optim.Adam([q], { amsgrad: true });
  again.loadStateDict(saved);
  assert.equal(again.paramGroups[0]!.amsgrad, false);
  assert.deepEqual(Object.keys(again.stateDict().state[0]!).sort(), ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step']);
  const sgd = new optim.SGD([p], 0.1, { momentum: 0.9 });
  sgd.step();
  sgd.paramGroups[0]!.momentum = 0;
  new optim.SGD([q], 0.1).loadStateDict(sgd.stateDict());
  // Still refused: a buffer this optimizer never keeps.
  const foreign = { ...adam.stateDict(), hyper: new optim.SGD([q], 0.1).stateDict().hyper! };
  assert.throws(() => new optim.SGD([q], 0.1).loadStateDict(foreign), /parameter 0 has state "step" \(the number 2\), but SGD keeps nothing here/);
});

test('a group\'s initial rate, recorded by its first scheduler, is saved with the optimizer and starts a later one', () => {
  const make = (lr: number): optim.SGD => new optim.SGD([tensor([1], { requiresGrad: true })], lr);
  const o = make(0.1);
  assert.equal(o.stateDict().hyper!['initialLr'], undefined, 'no scheduler, no initial rate');
  const s = new optim.lr_scheduler.StepLR(o, 3, 0.5);
  for (let i = 0; i < 7; i++) s.step();
  assert.equal(o.options.lr, 0.025);
  const sd = o.stateDict();
  assert.equal(sd.hyper!['initialLr'], 0.1);
  // PyTorch 1.13: base_lrs [0.1] and a first rate of 0.1 for a LambdaLR made after the load.
  const o2 = make(0.5);
  o2.loadStateDict(sd);
  const s2 = new optim.lr_scheduler.LambdaLR(o2, (e) => 0.9 ** e);
  assert.deepEqual(s2.baseLrs, [0.1]);
  assert.deepEqual(s2.getLastLr(), [0.1]);
  // A state without one leaves the group without one, as PyTorch's groups become the saved ones.
  o2.loadStateDict(make(0.3).stateDict());
  assert.deepEqual(new optim.lr_scheduler.LambdaLR(o2, () => 1).baseLrs, [0.3]);
  assert.throws(() => make(0.1).loadStateDict({ ...sd, hyper: { ...sd.hyper!, initialLr: Number.NaN } }), /initialLr\): the learning rate must be a finite number, got NaN/);
});

test('random functions take generator null as PyTorch\'s None, refuse other values by name; zerosLike and onesLike take options', () => {
  manualSeed(5);
  const a = randn(3, { generator: null as never }).toArray();
  manualSeed(5);
  assert.deepEqual(a, randn(3).toArray());
  assert.throws(() => rand(2, { generator: 5 as never }), /^TypeError: rand: generator must be a Generator \(new Generator\(seed\)\), got the number 5$/);
  assert.throws(() => nn.init.uniform_(ones([2]), { generator: 'g' as never }), /uniform_: generator must be a Generator .*got the string "g"/);
  const like = onesLike(rand(2), { requiresGrad: true });
  assert.deepEqual([like.requiresGrad, Array.from(like.toArray())], [true, [1, 1]]);
  assert.deepEqual(Array.from(zerosLike(ones([2, 2])).toArray()), [0, 0, 0, 0]);
  // dtype is PyTorch's keyword, taken for float32 only; anything else is refused naming the value, and an unknown
  // option still by its name.
  assert.throws(() => onesLike(rand(2), { requiresGrad: true, dtype: 'f' } as never), /onesLike: only float32 is supported, got 'f'/);
  assert.throws(() => onesLike(rand(2), { requiresGrad: true, dtyp: 'float32' } as never), /onesLike: unknown option "dtyp"/);
  assert.throws(() => zerosLike(5 as never), /zerosLike: expected a Tensor to take the shape of, got the number 5 \(for a shape, zeros\(5\)\)/);
});
