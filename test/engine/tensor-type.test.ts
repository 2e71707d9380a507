// x.type(), PyTorch's Tensor.type: the legacy type name of Kindling's float32 CPU tensors ('torch.FloatTensor', as
// PyTorch 1.13 gives for torch.ones(2).type()), and x itself for a float32 type, other types refused as `to` refuses them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

test('x.type() is torch.FloatTensor, and x.type(t) gives x for float32, refusing other types', () => {
  const x = tensor([1, 2]);
  assert.equal(x.type(), 'torch.FloatTensor');
  assert.equal(x.type('torch.FloatTensor'), x);
  assert.equal(x.type('float32'), x);
  assert.equal(x.type({ dtype: 'torch.float32' }), x);
  // x.type(None), x.type(non_blocking=True) and x.type(dtype=None) ask for the name (PyTorch 1.13: 'torch.FloatTensor').
  assert.equal(x.type(null), 'torch.FloatTensor');
  assert.equal(x.type({ nonBlocking: true }), 'torch.FloatTensor');
  assert.equal(x.type('torch.FloatTensor', true), x);
  throwsWith(() => x.type('float32', loose(1) as never), TypeError, 'x.type: nonBlocking must be true or false, got the number 1');
  throwsWith(() => x.type('torch.LongTensor'), TypeError, 'x.type: Kindling\'s tensors are float32 only, so there is no int64');
  throwsWith(() => x.type('torch.cuda.FloatTensor'), Error, "no 'cuda' device");
  throwsWith(() => x.type(loose(5)), TypeError, "x.type: expected a type name such as 'torch.FloatTensor'");
});
