// Modules printed as PyTorch 1.13 prints them: nn.Module.__repr__'s layout of a multi-line extra repr, floats in
// layers' reprs as Python's repr(float), the defaults as PyTorch's signatures write them, layers given their
// keyword arguments as an options object, and lazy layers' placeholders. Every expected string is PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nn, ones, type Tensor } from '../../src/index.js';

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
