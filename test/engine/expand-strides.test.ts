// expand's strides for new leading dimensions of size 1, as PyTorch 1.13's inferExpandGeometry gives them: the size
// times the stride of the dimension after it (they never step, but stride() shows them), 0 for every dimension of an
// expanded 0-d tensor. The expected strides are PyTorch 1.13's (torch.zeros(shape).expand(*sizes).stride()).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { broadcastTo, zeros, type Tensor } from '../../src/index.js';

test('expand and broadcastTo give a new leading size-1 dimension PyTorch\'s stride', () => {
  const cases: [() => Tensor, number[]][] = [
    [() => zeros(3).expand(1, 3), [3, 1]],
    [() => zeros(3).expand(1, 1, 3), [3, 3, 1]],
    [() => zeros(3).expand(2, 1, 3), [0, 3, 1]],
    [() => zeros(2, 1).expand(1, 1, 2, 1), [2, 2, 1, 1]],
    [() => zeros(2, 1).expand(1, 2, 4), [2, 1, 0]],
    [() => zeros(1).expand(1, 3), [0, 0]],
    [() => zeros(1).expand(1, 1), [1, 1]],
    [() => zeros([]).expand(1, 1), [0, 0]],
    [() => zeros([]).expand(2, 1), [0, 0]],
    [() => zeros(3, 1).expand(1, 3, 2), [3, 1, 0]],
    [() => zeros(4, 3).narrow(1, 0, 1).expand(1, 4, 1), [12, 3, 1]],
    [() => zeros(4, 3).t().expand(1, 3, 4), [3, 1, 3]],
    [() => broadcastTo(zeros(3, 1), [1, 3, 1]), [3, 1, 1]],
    [() => broadcastTo(zeros(3), [2, 1, 3]), [0, 3, 1]],
  ];
  for (const [make, want] of cases) {
    const t = make();
    assert.deepEqual(t.stride(), want, `${make.toString()}`);
  }
  // Still a view of the same elements: a write through it shows in the base.
  const base = zeros(3);
  base.expand(1, 1, 3).add_(1);
  assert.deepEqual(base.tolist(), [1, 1, 1]);
});
