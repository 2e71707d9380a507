// Named options are checked (an unknown key is an error, never ignored), and PyTorch's call forms work:
// tensor(v, { requiresGrad }), zeros(2, 3), t.permute(2, 0, 1), new nn.Linear(2, 2, false), new nn.LayerNorm(3, 1e-3,
// false). (Optimizers and the DataLoader: their own tests.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, eye, F, full, fullLike, Generator, KindlingError, linspace, logspace, manualSeed, nn, ones, rand, randint, randLike, randn, randnLike, tensor, zeros } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('new nn.Linear(in, out, false) has no bias, as PyTorch\'s Linear(in, out, False)', () => {
  manualSeed(3);
  const positional = new nn.Linear(2, 2, false);
  manualSeed(3);
  const named = new nn.Linear(2, 2, { bias: false });
  assert.equal(positional.bias, null);
  assert.deepEqual(positional.namedParameters().map(([n]) => n), ['weight']);
  assert.equal(String(positional), 'Linear(in_features=2, out_features=2, bias=False)');
  assert.deepEqual([...positional.weight.toArray()], [...named.weight.toArray()], 'the same draws as { bias: false }');
  // x·Wᵀ with nothing added.
  positional.loadStateDict({ weight: tensor([[1, 2], [3, 4]]) });
  assert.deepEqual(positional.forward(tensor([[1, -1]])).tolist(), [[-1, -1]]);
  assert.notEqual(new nn.Linear(2, 2, true).bias, null);
  throwsWith(() => new nn.Linear(2, 2, loose({ bias: 0 })), TypeError, 'Linear: bias must be true or false, got the number 0');
  throwsWith(() => new nn.Linear(2, 2, loose({ bias: false, devise: 'cpu' })), TypeError, 'Linear: unknown option "devise"');
  throwsWith(() => new nn.Linear(2, 2, loose({ Bias: false })), TypeError, 'Linear: unknown option "Bias" (did you mean bias?)');
  // The bias by position, then the other options: the generator is used, not dropped.
  const g1 = new Generator();
  g1.manualSeed(3);
  const g2 = new Generator();
  g2.manualSeed(3);
  const both = new nn.Linear(2, 2, false, { generator: g1 });
  assert.equal(both.bias, null);
  assert.deepEqual(both.weight.tolist(), new nn.Linear(2, 2, { bias: false, generator: g2 }).weight.tolist());
  manualSeed(3);
  assert.notDeepEqual(both.weight.tolist(), new nn.Linear(2, 2, false, { generator: new Generator() }).weight.tolist());
  throwsWith(() => new nn.Linear(2, 2, false, loose({ bias: true })), TypeError, 'Linear: bias given twice: false by position and true in the options');
  class Conf {}
  throwsWith(() => new nn.Linear(2, 2, loose(new (class {})())), TypeError, 'got an instance of an anonymous class');
  throwsWith(() => new nn.Linear(2, 2, loose(new Conf())), TypeError, 'got a Conf');
});

test('new nn.LayerNorm(shape, eps, elementwiseAffine) as in PyTorch; unknown options are refused', () => {
  // eps = 1 is used: x = [1, 3] has mean 2 and variance 1, so x̂ = ±1/√2.
  const ln = new nn.LayerNorm(2, 1);
  assert.equal(ln.eps, 1);
  const y = ln.forward(tensor([[1, 3]])).toArray();
  assert.ok(Math.abs(y[0]! + Math.SQRT1_2) < 1e-6 && Math.abs(y[1]! - Math.SQRT1_2) < 1e-6, `got ${y}`);
  const plain = new nn.LayerNorm(3, 1e-3, false);
  assert.equal(plain.eps, 1e-3);
  assert.equal(plain.weight, null);
  assert.equal(plain.parameters().length, 0);
  assert.equal(new nn.LayerNorm(3, undefined, false).parameters().length, 0);
  assert.equal(new nn.LayerNorm(3, undefined, false).eps, 1e-5);
  assert.equal(new nn.LayerNorm(3, { eps: 1e-3 }).eps, 1e-3);
  throwsWith(() => new nn.LayerNorm(3, loose({ elementwise_affine: false })), TypeError, 'LayerNorm: unknown option "elementwise_affine" (did you mean elementwiseAffine?); the options are eps, elementwiseAffine');
  throwsWith(() => new nn.LayerNorm(3, loose({ eps: 1e-3 }), loose(false)), TypeError, 'LayerNorm: more named options only follow eps given by position');
  throwsWith(() => new nn.LayerNorm(3, 1e-3, loose('no')), TypeError, 'LayerNorm: elementwiseAffine must be true or false, got the string "no"');
  throwsWith(() => new nn.LayerNorm(3, loose('small')), RangeError, 'LayerNorm: eps must be a non-negative number, got small');
});

test('losses and their functional forms refuse options they do not take', () => {
  const x = tensor([1, 2]);
  const t = tensor([0, 0]);
  assert.equal(F.mseLoss(x, t, { reduction: 'sum' }).item(), 5);
  assert.equal(new nn.MSELoss({ reduction: 'sum' }).forward(x, t).item(), 5);
  // The modules' options are PyTorch's __init__ parameters (the legacy size_average and reduce too), in its order.
  throwsWith(() => new nn.MSELoss(loose({ reduction: 'sum', size_average: false })), TypeError,
    'MSELoss: unknown option "size_average" (did you mean sizeAverage?); the options are sizeAverage, reduce, reduction');
  throwsWith(() => new nn.CrossEntropyLoss(loose({ label_smoothing: 0.1 })), TypeError,
    'CrossEntropyLoss: unknown option "label_smoothing" (did you mean labelSmoothing?); the options are weight, sizeAverage, ignoreIndex, reduce, reduction, labelSmoothing');
  throwsWith(() => new nn.BCELoss(loose({ Reduction: 'sum' })), TypeError, 'BCELoss: unknown option "Reduction" (did you mean reduction?)');
  // A value first is PyTorch's first parameter, NLLLoss's weight.
  throwsWith(() => new nn.NLLLoss(loose('sum')), TypeError, 'NLLLoss: weight must be a 1-D tensor of one weight per class, got the string "sum"');
  throwsWith(() => new nn.NLLLoss(loose({ labelSmoothing: 0.1 })), TypeError, 'NLLLoss: unknown option "labelSmoothing"; the options are weight, sizeAverage, ignoreIndex, reduce, reduction');
  throwsWith(() => new nn.MSELoss(loose({ weight: x })), TypeError, 'MSELoss: unknown option "weight"; the options are sizeAverage, reduce, reduction');
  throwsWith(() => F.mseLoss(x, t, loose({ reductio: 'sum' })), TypeError, 'mseLoss: unknown option "reductio" (did you mean reduction?)');
  throwsWith(() => F.bceLoss(tensor([0.5]), tensor([1]), loose({ pos_weight: x })), TypeError, 'bceLoss: unknown option "pos_weight"; the options are weight, sizeAverage, reduce, reduction');
  throwsWith(() => F.nllLoss(zeros([1, 2]), tensor([0]), loose({ ignore_index: -100 })), TypeError, 'nllLoss: unknown option "ignore_index" (did you mean ignoreIndex?)');
  throwsWith(() => F.nllLoss(zeros([1, 2]), tensor([0]), loose({ labelSmoothing: 0.1 })), TypeError, 'nllLoss: unknown option "labelSmoothing"; the options are weight, sizeAverage, ignoreIndex, reduce, reduction');
  throwsWith(() => F.bceWithLogitsLoss(x, t, loose({ pos_weight: x })), TypeError, 'bceWithLogitsLoss: unknown option "pos_weight" (did you mean posWeight?)');
  throwsWith(() => F.crossEntropyLoss(zeros([1, 2]), tensor([0]), loose({ label_smoothing: 0.1 })), TypeError, 'crossEntropyLoss: unknown option "label_smoothing" (did you mean labelSmoothing?)');
  throwsWith(() => F.crossEntropyLoss(zeros([1, 2]), tensor([0]), loose({ ignore_index: 1 })), TypeError, 'crossEntropyLoss: unknown option "ignore_index" (did you mean ignoreIndex?)');
});

test('loadWeights refuses an unknown option before reading the file', () => {
  throwsWith(() => nn.loadWeights(new nn.Linear(2, 2), '/nonexistent/w.safetensors', loose({ strick: false })), TypeError, 'loadWeights: unknown option "strick" (did you mean strict?); the options are strict');
});

test('tensor(values, { requiresGrad: true }): options may come second, as in PyTorch', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  assert.equal(x.requiresGrad, true);
  assert.deepEqual(x.shape, [3]);
  x.mul(x).sum().backward();
  assert.deepEqual(x.grad?.tolist(), [2, 4, 6]);
  // The other forms still work.
  const shaped = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
  assert.deepEqual([shaped.shape, shaped.requiresGrad], [[2, 2], true]);
  assert.equal(tensor([1, 2], undefined, { requiresGrad: true }).requiresGrad, true);
  assert.equal(tensor([1, 2]).requiresGrad, false);
  const copy = tensor(tensor([[5, 6]]), { requiresGrad: true });
  assert.deepEqual([copy.tolist(), copy.requiresGrad], [[[5, 6]], true]);
  throwsWith(() => tensor([1], loose({ requires_grad: true })), TypeError, 'tensor: unknown option "requires_grad" (did you mean requiresGrad?); the options are requiresGrad');
  throwsWith(() => tensor([1], loose({ dtype: 'float64' })), KindlingError, "tensor: only float32 is supported, got 'float64' (Kindling's tensors are float32 only)");
  throwsWith(() => tensor([1], loose({ requiresGrad: true }), { requiresGrad: true }), TypeError, 'tensor: options given twice');
});

test('zeros(2, 3), ones, rand, randn: sizes one by one or as an array, options last', () => {
  const z = zeros(2, 3);
  assert.deepEqual([z.shape, [...z.toArray()]], [[2, 3], [0, 0, 0, 0, 0, 0]]);
  assert.deepEqual(zeros([2, 3]).shape, [2, 3]);
  assert.equal(zeros(2, 3, { requiresGrad: true }).requiresGrad, true);
  assert.equal(zeros([2], { requiresGrad: true }).requiresGrad, true);
  assert.deepEqual(ones(2, 2).tolist(), [[1, 1], [1, 1]]);
  assert.deepEqual(ones([]).tolist(), 1, 'an empty shape array is a 0-d tensor');
  assert.deepEqual([...rand(2, 3, { generator: new Generator(0) }).toArray()], [...rand([2, 3], { generator: new Generator(0) }).toArray()]);
  manualSeed(4);
  const a = rand(4);
  manualSeed(4);
  assert.deepEqual([...a.toArray()], [...rand([4]).toArray()]);
  const n = randn(3, 2, { generator: new Generator(1), requiresGrad: true });
  assert.deepEqual([n.shape, n.requiresGrad], [[3, 2], true]);
  assert.deepEqual([...n.toArray()], [...randn([3, 2], { generator: new Generator(1) }).toArray()]);
  throwsWith(() => loose<() => unknown>(zeros)(), TypeError, 'zeros: give a shape, as in zeros(2, 3) or zeros([2, 3])');
  throwsWith(() => zeros(loose<number>({ requiresGrad: true })), TypeError, 'zeros: give a shape');
  throwsWith(() => zeros(loose<number>([2]), loose<number>({}), 3), TypeError, 'zeros: a shape array can only be followed by options');
  throwsWith(() => ones(2, 2.5), RangeError, 'ones: invalid shape [2, 2.5]');
  throwsWith(() => zeros(2, loose<number>({ requires_grad: true })), TypeError, 'zeros: unknown option "requires_grad" (did you mean requiresGrad?)');
  throwsWith(() => rand(2, loose<number>({ seed: 1 })), TypeError, 'rand: unknown option "seed": draw from a seeded generator', 'the options are requiresGrad, generator');
  throwsWith(() => full([2], 1, loose({ requires_grad: true })), TypeError, 'full: unknown option "requires_grad" (did you mean requiresGrad?)');
  assert.deepEqual(full([2], 1.5, { requiresGrad: true }).tolist(), [1.5, 1.5]);
});

test('permute, expand, view and reshape take sizes one by one or as one array', () => {
  const t = arange(24).reshape(2, 3, 4);
  const p = t.permute(2, 0, 1);
  assert.deepEqual(p.shape, [4, 2, 3]);
  assert.deepEqual(t.permute([2, 0, 1]).tolist(), p.tolist());
  assert.equal((p.tolist() as number[][][])[1]![0]![2], 9, 'p[1][0][2] = t[0][2][1]');
  assert.deepEqual(t.permute([-1, 0, 1]).shape, [4, 2, 3]);
  const col = tensor([[1], [2]]);
  assert.deepEqual(col.expand([2, 3]).tolist(), [[1, 1, 1], [2, 2, 2]]);
  assert.deepEqual(col.expand(2, 3).tolist(), col.expand([-1, 3]).tolist());
  assert.deepEqual(t.view([6, -1]).shape, [6, 4]);
  assert.deepEqual(t.view(6, -1).tolist(), t.view([6, -1]).tolist());
  assert.deepEqual(t.reshape([-1]).shape, [24]);
  throwsWith(() => t.view(loose<number>([2, 3]), 4), TypeError, 'view: give the sizes one by one or as one array, not both');
  throwsWith(() => t.permute(loose<number>([2, 0]), 1), TypeError, 'permute: give the sizes one by one or as one array');
  throwsWith(() => t.permute([0, 1]), RangeError, 'permute: got 2 dimensions for a tensor of shape [2, 3, 4]');
});

test('creation: options passed on as undefined count as none', () => {
  assert.deepEqual(zeros(2, 3, undefined).shape, [2, 3]);
  assert.deepEqual(ones([2], undefined).shape, [2]);
  throwsWith(() => zeros(2, undefined as unknown as number, 3), TypeError, 'argument 2 is undefined');
});

test('loadStateDict refuses unknown options (strict is the one there is)', () => {
  const lin = new nn.Linear(2, 2);
  const sd = lin.stateDict();
  throwsWith(() => lin.loadStateDict(sd, loose({ stric: false })), TypeError, 'loadStateDict: unknown option "stric" (did you mean strict?)');
  throwsWith(() => lin.loadStateDict(sd, loose({ strict: 'no' })), TypeError, 'loadStateDict: strict must be true or false');
  assert.deepEqual(lin.loadStateDict({ weight: sd['weight']! }, { strict: false }), { missingKeys: ['bias'], unexpectedKeys: [] });
});

test('layers refuse arguments they do not take, as Python refuses them; PyTorch\'s inplace flag, true or false', () => {
  // Too many arguments (PyTorch: "takes from 1 to 2 positional arguments but 3 were given").
  throwsWith(() => new (nn.Sigmoid as new (...a: unknown[]) => nn.Sigmoid)(5), TypeError, 'Sigmoid: takes no arguments (new Sigmoid()), got the number 5 as argument 1');
  throwsWith(() => new (nn.Tanh as new (...a: unknown[]) => nn.Tanh)({}), TypeError, 'Tanh: takes no arguments');
  throwsWith(() => new (nn.LayerNorm as new (...a: unknown[]) => nn.LayerNorm)(4, 1e-5, true, 7), TypeError, 'LayerNorm: takes at most 3 arguments', 'the number 7 as argument 4');
  throwsWith(() => new (nn.Softmax as new (...a: unknown[]) => nn.Softmax)(1, 2), TypeError, 'Softmax: takes at most 1 argument');
  throwsWith(() => new (nn.MaxPool2d as new (...a: unknown[]) => nn.MaxPool2d)(2, 2, {}, 1), TypeError, 'MaxPool2d: takes at most 3 arguments');
  throwsWith(() => new (nn.BatchNorm2d as new (...a: unknown[]) => nn.BatchNorm2d)(4, 1e-5, 0.1, true, true, 1), TypeError, 'BatchNorm2d: takes at most 5 arguments');
  throwsWith(() => new (nn.ModuleList as new (...a: unknown[]) => nn.ModuleList)([], 3), TypeError, 'ModuleList: takes at most 1 argument');
  // Unknown named options, and a name given twice.
  throwsWith(() => new nn.ReLU({ foo: 1 } as never), TypeError, 'ReLU: unknown option "foo"; the options are inplace');
  throwsWith(() => new nn.LeakyReLU(0.1, { negativeSlope: 0.2 } as never), TypeError, 'LeakyReLU: negativeSlope given twice');
  throwsWith(() => new nn.ReLU(1 as never), TypeError, 'ReLU: inplace must be true or false, got the number 1');
  throwsWith(() => new nn.Dropout({ p: 0.2, inplace: 'yes' } as never), TypeError, 'Dropout: inplace must be true or false, got the string "yes"');
  // inplace: true, by position or by name, builds PyTorch's layer, which changes its input and returns it.
  for (const [make, printed] of [
    [() => new nn.ReLU(true), 'ReLU(inplace=True)'], [() => new nn.ReLU({ inplace: true }), 'ReLU(inplace=True)'],
    [() => new nn.SiLU(true), 'SiLU(inplace=True)'], [() => new nn.LeakyReLU(0.1, true), 'LeakyReLU(negative_slope=0.1, inplace=True)'],
    [() => new nn.ELU(0.5, true), 'ELU(alpha=0.5, inplace=True)'], [() => new nn.Dropout(0.2, true), 'Dropout(p=0.2, inplace=True)'],
    [() => new nn.Dropout({ p: 0.2, inplace: true }), 'Dropout(p=0.2, inplace=True)'],
  ] as const) {
    const layer = make();
    assert.equal(String(layer), printed);
    assert.equal(layer.inplace, true);
    const x = tensor([-2, 0.5, 3]);
    assert.equal(layer.forward(x), x, `${printed} returns its input`);
  }
  // false, by position or by name, builds the layer PyTorch builds.
  assert.equal(String(new nn.ReLU(false)), 'ReLU()');
  assert.equal(String(new nn.LeakyReLU(0.2, false)), 'LeakyReLU(negative_slope=0.2)');
  assert.equal(String(new nn.LeakyReLU(0.2, { inplace: false })), 'LeakyReLU(negative_slope=0.2)');
  assert.equal(String(new nn.LeakyReLU({ negativeSlope: 0.3, inplace: false })), 'LeakyReLU(negative_slope=0.3)');
  assert.equal(String(new nn.Dropout(0.3, false)), 'Dropout(p=0.3, inplace=False)');
  assert.equal(String(new nn.ELU({ alpha: 0.5, inplace: false })), 'ELU(alpha=0.5)');
  assert.deepEqual(new nn.LeakyReLU(0.5, false).forward(tensor([-2, 3])).tolist(), [-1, 3]);
  // Identity takes anything and ignores it, as PyTorch's does.
  assert.equal(String(new (nn.Identity as new (...a: unknown[]) => nn.Identity)(54, { unused: 1 })), 'Identity()');
});

test('the functions that make tensors take PyTorch\'s dtype and device keywords for float32 on the CPU, as layers do', () => {
  // torch.tensor(x, dtype=torch.float32), torch.zeros(3, device='cpu'): Kindling's one dtype and device change nothing.
  const f32 = { dtype: 'float32', device: 'cpu' };
  assert.deepEqual(Array.from(tensor([1, 2], f32).toArray()), [1, 2]);
  assert.deepEqual(Array.from(tensor([1, 2], [2, 1], { dtype: 'torch.float32' }).toArray()), [1, 2]);
  assert.deepEqual(zeros(2, 3, f32).shape, [2, 3]);
  assert.deepEqual(Array.from(ones([2], { dtype: null, device: null }).toArray()), [1, 1]);
  assert.deepEqual(Array.from(full([2], 7, f32).toArray()), [7, 7]);
  assert.deepEqual(Array.from(fullLike(zeros(2), 3, f32).toArray()), [3, 3]);
  assert.deepEqual(Array.from(arange(0, 3, { dtype: 'float' }).toArray()), [0, 1, 2]);
  assert.deepEqual(Array.from(linspace(0, 1, 3, f32).toArray()), [0, 0.5, 1]);
  assert.deepEqual(Array.from(logspace(0, 1, 2, 10, f32).toArray()), [1, 10]);
  assert.deepEqual(Array.from(eye(2, f32).toArray()), [1, 0, 0, 1]);
  assert.equal(tensor([1], { dtype: 'float32', requiresGrad: true }).requiresGrad, true);
  manualSeed(0);
  const drawn = rand(3, f32).toArray();
  manualSeed(0);
  assert.deepEqual(drawn, rand(3).toArray(), 'the same draws with the keywords as without');
  manualSeed(0);
  assert.deepEqual(randint(0, 10, [4], f32).shape, [4]);
  // torch.rand_like(x, dtype=torch.float32) and randn_like too: the same draws as without.
  manualSeed(1);
  const like = [randLike(zeros(2, 3), f32).toArray(), randnLike(zeros(2), { device: 'cpu' }).toArray()];
  manualSeed(1);
  assert.deepEqual(like, [randLike(zeros(2, 3)).toArray(), randnLike(zeros(2)).toArray()]);
  throwsWith(() => randnLike(zeros(2), { dtype: 'float16' }), KindlingError, "randnLike: only float32 is supported, got 'float16'");
  // Any other dtype or device is refused, naming the function and the value.
  throwsWith(() => zeros(2, { dtype: 'int64' }), KindlingError, "zeros: only float32 is supported, got 'int64'");
  throwsWith(() => arange(3, loose({ device: 'cuda' })), KindlingError, "arange: only the CPU device is supported, got 'cuda'");
  throwsWith(() => randint(0, 10, [2], { dtype: 'long' }), KindlingError, "randint: only float32 is supported, got 'long'");
  throwsWith(() => tensor([1], loose({ dtype: 32 })), TypeError, "tensor: dtype must be a string such as 'float32', got the number 32");
});
