// Modules printed as PyTorch 1.13 prints them: nn.Module.__repr__'s layout of a multi-line extra repr, floats in
// layers' reprs as Python's repr(float), the defaults as PyTorch's signatures write them, layers given their
// keyword arguments as an options object, and lazy layers' placeholders. Every expected string is PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, nn, ones, type Tensor } from '../../src/index.js';

class Extra extends nn.Module {
  constructor(private readonly extra: string, kids: nn.Module[] = []) {
    super();
    kids.forEach((k, i) => this.registerModule(`m${i}`, k));
  }

  forward(x: Tensor): Tensor {
    return x;
  }

  protected override extraRepr(): string {
    return this.extra;
  }
}

test('a multi-line extraRepr prints a line each, indented, as torch.nn.Module.__repr__ (with _addindent for children)', () => {
  assert.equal(String(new Extra('a=1\nb=2')), 'Extra(\n  a=1\n  b=2\n)');
  assert.equal(String(new Extra('a=1\nb=2', [new nn.Linear(1, 1)])), 'Extra(\n  a=1\n  b=2\n  (m0): Linear(in_features=1, out_features=1, bias=True)\n)');
  assert.equal(String(new Extra('a=1', [new Extra('x=1\ny=2')])), 'Extra(\n  a=1\n  (m0): Extra(\n    x=1\n    y=2\n  )\n)');
  assert.equal(String(new Extra('a=1\n')), 'Extra(\n  a=1\n  \n)');
  assert.equal(String(new Extra('', [new Extra('p\nq', [new nn.ReLU()])])), 'Extra(\n  (m0): Extra(\n    p\n    q\n    (m0): ReLU()\n  )\n)');
  assert.equal(String(new nn.Sequential(new Extra('a=1\nb=2'), new nn.ReLU())), 'Sequential(\n  (0): Extra(\n    a=1\n    b=2\n  )\n  (1): ReLU()\n)');
  assert.equal(String(new Extra('a=1')), 'Extra(a=1)');
  assert.equal(String(new Extra('')), 'Extra()');
});

test('a lazy layer\'s placeholders print as PyTorch\'s <UninitializedParameter> / <UninitializedBuffer> until it runs', () => {
  const lin = new nn.LazyLinear(4);
  assert.equal(String(lin.weight), '<UninitializedParameter>');
  assert.equal(String(lin.bias), '<UninitializedParameter>');
  assert.equal(String(lin), 'LazyLinear(in_features=0, out_features=4, bias=True)');
  const bn = new nn.LazyBatchNorm1d();
  assert.equal(String(bn.weight), '<UninitializedParameter>');
  assert.equal(String(bn.runningMean), '<UninitializedBuffer>');
  lin.forward(ones(2, 3));
  assert.match(String(lin.weight), /^Parameter containing:\ntensor\(\[\[/);
  assert.equal(String(lin), 'Linear(in_features=3, out_features=4, bias=True)');
});

test('floats in layers\' reprs print as Python\'s repr(float), whole numbers given as the ints PyTorch\'s docs pass', () => {
  const cases: [nn.Module, string][] = [
    [new nn.ConstantPad1d(1, 1e-5), 'ConstantPad1d(padding=(1, 1), value=1e-05)'],
    [new nn.ConstantPad1d(1, 1e20), 'ConstantPad1d(padding=(1, 1), value=1e+20)'],
    [new nn.ConstantPad1d(1, 3.5), 'ConstantPad1d(padding=(1, 1), value=3.5)'],
    [new nn.Upsample({ scaleFactor: 1e-5 }), 'Upsample(scale_factor=1e-05, mode=nearest)'],
    [new nn.Upsample({ scaleFactor: 1e21 }), 'Upsample(scale_factor=1e+21, mode=nearest)'],
    [new nn.Upsample({ scaleFactor: 2 }), 'Upsample(scale_factor=2.0, mode=nearest)'],
    [new nn.Upsample({ scaleFactor: [2, 3] }), 'Upsample(scale_factor=(2.0, 3.0), mode=nearest)'],
    [new nn.LPPool2d(1e-5, 2), 'LPPool2d(norm_type=1e-05, kernel_size=2, stride=None, ceil_mode=False)'],
    [new nn.CrossMapLRN2d(3), 'CrossMapLRN2d(3, alpha=0.0001, beta=0.75, k=1)'],
    [new nn.CrossMapLRN2d(5, 1e-4, 0.75, 1), 'CrossMapLRN2d(5, alpha=0.0001, beta=0.75, k=1.0)'],
    [new nn.LocalResponseNorm(2), 'LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)'],
    [new nn.Dropout(0.5), 'Dropout(p=0.5, inplace=False)'],
    [new nn.LeakyReLU(), 'LeakyReLU(negative_slope=0.01)'],
    [new nn.ELU(), 'ELU(alpha=1.0)'],
    [new nn.CELU(), 'CELU(alpha=1.0)'],
    [new nn.Hardtanh(), 'Hardtanh(min_val=-1.0, max_val=1.0)'],
    [new nn.Hardtanh(-2, 2), 'Hardtanh(min_val=-2, max_val=2)'],
    [new nn.Threshold(0.1, 20), 'Threshold(threshold=0.1, value=20)'],
    [new nn.Softplus(), 'Softplus(beta=1, threshold=20)'],
    [new nn.Hardshrink(), 'Hardshrink(0.5)'],
  ];
  for (const [m, want] of cases) assert.equal(String(m), want);
});

test('LPPool1d/2d, Unfold and Fold take PyTorch\'s keyword arguments as an options object, and work as PyTorch\'s', () => {
  const cases: [nn.Module, string][] = [
    [new nn.LPPool2d(2, 3, { stride: 2 }), 'LPPool2d(norm_type=2, kernel_size=3, stride=2, ceil_mode=False)'],
    [new nn.LPPool1d(2, 3, { stride: 2 }), 'LPPool1d(norm_type=2, kernel_size=3, stride=2, ceil_mode=False)'],
    [new nn.LPPool2d(1.5, [3, 2], { ceilMode: true }), 'LPPool2d(norm_type=1.5, kernel_size=(3, 2), stride=None, ceil_mode=True)'],
    [new nn.LPPool2d({ normType: 2, kernelSize: 3 }), 'LPPool2d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)'],
    [new nn.Unfold({ kernelSize: 3 }), 'Unfold(kernel_size=3, dilation=1, padding=0, stride=1)'],
    [new nn.Unfold(3, 1, 1, 2), 'Unfold(kernel_size=3, dilation=1, padding=1, stride=2)'],
    [new nn.Fold({ outputSize: 4, kernelSize: 2 }), 'Fold(output_size=4, kernel_size=2, dilation=1, padding=0, stride=1)'],
  ];
  for (const [m, want] of cases) assert.equal(String(m), want);
  const x = arange(36).reshape(1, 1, 6, 6);
  assert.deepEqual([...new nn.LPPool2d(2, 3, { stride: 2 }).forward(x).values()], [...new nn.LPPool2d(2, 3, 2).forward(x).values()]);
  assert.deepEqual(new nn.LPPool2d(2, 3, { stride: 2 }).forward(x).shape, [1, 1, 2, 2]);
  assert.deepEqual(new nn.Unfold({ kernelSize: 3 }).forward(x).shape, [1, 9, 16]);
  assert.deepEqual(new nn.Fold({ outputSize: 4, kernelSize: 2 }).forward(ones(1, 4, 9)).shape, [1, 1, 4, 4]);
  assert.throws(() => new nn.Unfold({ padding: 1 } as never), /Unfold: kernelSize is required, as in new Unfold\(3, \{ padding: 1 \}\)/);
  assert.throws(() => new nn.Fold({ kernelSize: 2 } as never), /Fold: outputSize is required/);
  assert.throws(() => new nn.LPPool2d(2, 3, { stride: 'two' } as never), /LPPool2d: stride must be an integer or a pair of integers/);
  assert.throws(() => new nn.LPPool2d(2, 3, 2, { stride: 2 } as never), /LPPool2d: stride given twice/);
  assert.throws(() => new nn.Unfold(3, { kernel_size: 3 } as never), /Unfold: unknown option/);
});
