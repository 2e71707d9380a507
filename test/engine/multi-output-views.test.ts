// The pieces that split, chunk and unbind (a for…of over a tensor) return together are views PyTorch 1.13 cannot
// replay: after an in-place change of their base (or of another view of it) autograd followed, using a piece is
// refused with PyTorch's words, as is changing a piece in place; a piece used before the change keeps its gradient,
// and tensorSplit's pieces (PyTorch's SliceBackward0, one view each) are replayed as any view. Values and messages
// from PyTorch 1.13 (the probe: y = x * 1, pieces of y, y.mul_(2), then pieces[1] * 1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noGrad, tensor, type Tensor } from '../../src/index.js';

const TAIL = 'This view is the output of a function that returns multiple views. Such functions do not allow the output views to be ' +
  'modified inplace. You should replace the inplace operation by an out-of-place one.';
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PIECES: [string, (y: Tensor) => Tensor[], string][] = [
  ['unbind', (y) => y.unbind(), 'UnbindBackward0'],
  ['unbind(1)', (y) => y.unbind(1), 'UnbindBackward0'],
  ['iteration', (y) => [...y], 'UnbindBackward0'],
  ['split(2)', (y) => y.split(2), 'SplitBackward0'],
  ['split([1, 2])', (y) => y.split([1, 2]), 'SplitWithSizesBackward0'],
  ['chunk(2)', (y) => y.chunk(2), 'SplitBackward0'],
];

function make(pieces: (y: Tensor) => Tensor[]): { x: Tensor; y: Tensor; ps: Tensor[] } {
  const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const y = x.mul(1);
  return { x, y, ps: pieces(y) };
}

test('a piece used after its base changed in place in the graph is refused, with PyTorch\'s words', () => {
  for (const [name, pieces, node] of PIECES) {
    const words = new RegExp(`mul: ${escape(`Output 1 of ${node} is a view and its base or another view of its base has been modified inplace. ${TAIL}`)}`);
    const a = make(pieces);
    a.y.mul_(2);
    assert.throws(() => a.ps[1]!.mul(1), words, name);
    // Through another view of the base, changed in place.
    const b = make(pieces);
    b.y.view(6).add_(1);
    assert.throws(() => b.ps[1]!.mul(1), words, name);
    // A view of the piece, too.
    const c = make(pieces);
    c.y.mul_(2);
    assert.throws(() => c.ps[1]!.view(-1), new RegExp(`Output 1 of ${node} is a view and its base`), name);
  }
});

test('a piece changed in place is refused with PyTorch\'s words for it', () => {
  for (const [name, pieces, node] of PIECES) {
    const { y, ps } = make(pieces);
    assert.throws(() => ps[1]!.mul_(2), new RegExp(`mul_: ${escape(`Output 1 of ${node} is a view and is being modified inplace. ${TAIL}`)}`), name);
    assert.deepEqual(y.tolist(), [[1, 2], [3, 4], [5, 6]], `${name}: nothing changed`);
  }
});

test('what PyTorch allows stays allowed: a piece used before the change, detach(), noGrad, tensorSplit\'s pieces', () => {
  // PyTorch 1.13: z = pieces[1] * 2; y.mul_(2); z.sum().backward() → x.grad.
  const grads: Record<string, number[][]> = {
    unbind: [[0, 0], [2, 2], [0, 0]], 'unbind(1)': [[0, 2], [0, 2], [0, 2]], iteration: [[0, 0], [2, 2], [0, 0]],
    'split(2)': [[0, 0], [0, 0], [2, 2]], 'split([1, 2])': [[0, 0], [2, 2], [2, 2]], 'chunk(2)': [[0, 0], [0, 0], [2, 2]],
  };
  for (const [name, pieces] of PIECES) {
    const { x, y, ps } = make(pieces);
    const z = ps[1]!.mul(2);
    y.mul_(2);
    z.sum().backward();
    assert.deepEqual(x.grad!.tolist(), grads[name], name);
    assert.deepEqual(ps[1]!.detach().mul(1).tolist(), ps[1]!.tolist(), name);
    assert.equal(noGrad(() => ps[1]!.mul(1)).requiresGrad, false, name);
  }
  // tensor_split's pieces are SliceBackward0 views, which PyTorch replays: [[30, 36]], x.grad [[0, 0], [0, 0], [6, 6]].
  const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
  const y = x.mul(1);
  const ps = y.tensorSplit(2);
  y.mul_(2);
  const z = ps[1]!.mul(3);
  assert.deepEqual(z.tolist(), [[30, 36]]);
  z.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[0, 0], [0, 0], [6, 6]]);
});

test('a piece whose storage changed in place where autograd does not follow (noGrad, detach, an optimizer) is refused too, as PyTorch\'s', () => {
  // PyTorch 1.13: with torch.no_grad(): ps[0].mul_(2), then ps[0] * 1 (or ps[1] * 1) raises "Output 0 of
  // UnbindBackward0 is a view and its base or another view of its base has been modified inplace. …"; so does a change
  // of the base under no_grad, of ps[0].detach(), and of a leaf's pieces' base; y itself stays usable, and a write
  // through .data (its own version counter) refuses nothing.
  const CHANGES: [string, (y: Tensor, ps: Tensor[]) => void][] = [
    ['piece in noGrad', (_, ps) => noGrad(() => ps[0]!.mul_(2))],
    ['base in noGrad', (y) => noGrad(() => y.mul_(2))],
    ['detached piece', (_, ps) => ps[0]!.detach().mul_(2)],
  ];
  for (const [name, pieces, node] of PIECES) {
    for (const [how, change] of CHANGES) {
      const { y, ps } = make(pieces);
      change(y, ps);
      for (const i of [0, 1]) {
        const words = new RegExp(`mul: Output ${i} of ${node} is a view and its base or another view of its base has been modified inplace\\. ${escape(TAIL)}`);
        assert.throws(() => ps[i]!.mul(1), words, `${name}, ${how}, piece ${i}`);
      }
      assert.equal(y.mul(1).gradFn!.torchName, 'MulBackward0', `${name}, ${how}: the base stays usable`);
    }
    const { ps } = make(pieces);
    ps[0]!.data.fill(7);
    assert.equal(ps[0]!.mul(1).gradFn!.torchName, 'MulBackward0', `${name}: a write through .data`);
  }
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const ps = x.split(1);
  noGrad(() => x.mul_(2));
  assert.throws(() => ps[1]!.mul(1), /mul: Output 1 of SplitBackward0 is a view and its base or another view of its base has been modified inplace/);
});

test('a piece used before a change under noGrad keeps its gradient (PyTorch: backward runs)', () => {
  const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const ps = x.mul(1).unbind();
  const s = ps[0]!.sum();
  noGrad(() => ps[0]!.mul_(2));
  s.backward();
  assert.deepEqual(x.grad!.toArray(), Float32Array.from([1, 1, 0, 0]));
});

test('a view made of a piece is refused as the piece, naming its own node, as PyTorch\'s', () => {
  // PyTorch 1.13 (w a leaf that requires grad, [a] = w.chunk(2), v = a.view(-1)): after `with no_grad: w.add_(1)`,
  // after w.detach().add_(1) or `with no_grad: v.add_(1)`, v * 2 raises "Output 0 of ViewBackward0 is a view and its
  // base or another view of its base has been modified inplace. …" (v[1:] made before: SliceBackward0); for a piece
  // of y = w * 1, y.add_(1) then v * 2 raises the same, and v.add_(1) "… is a view and is being modified inplace. …".
  // Allowed: v used inside no_grad, and a view of a piece of a tensor that requires no grad.
  const stale = (node: string, op = 'mul'): RegExp =>
    new RegExp(`${op}: ${escape(`Output 0 of ${node} is a view and its base or another view of its base has been modified inplace. ${TAIL}`)}`);
  const leafPiece = (): { w: Tensor; v: Tensor } => {
    const w = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]], { requiresGrad: true });
    return { w, v: w.chunk(2)[0]!.view(-1) };
  };
  let p = leafPiece();
  noGrad(() => p.w.add_(1));
  assert.throws(() => p.v.mul(2), stale('ViewBackward0'));
  assert.deepEqual(noGrad(() => p.v.mul(2)).tolist(), [4, 6, 8, 10, 12, 14]);
  p = leafPiece();
  const vv = p.v.narrow(0, 1, 5);
  noGrad(() => p.w.add_(1));
  assert.throws(() => vv.mul(2), stale('SliceBackward0'));
  p = leafPiece();
  p.w.detach().add_(1);
  assert.throws(() => p.v.sum(), stale('ViewBackward0', 'sum'));
  p = leafPiece();
  noGrad(() => p.v.add_(1));
  assert.throws(() => p.v.mul(2), stale('ViewBackward0'));
  const w = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  let y = w.mul(1);
  let v = y.chunk(2)[0]!.view(-1);
  y.add_(1);
  assert.throws(() => v.mul(2), stale('ViewBackward0'));
  y = w.mul(1);
  v = y.chunk(2)[0]!.view(-1);
  assert.throws(() => v.add_(1), new RegExp(`add_: ${escape(`Output 0 of ViewBackward0 is a view and is being modified inplace. ${TAIL}`)}`));
  assert.deepEqual(y.tolist(), [[1, 2, 3], [4, 5, 6]]);
  const plain = tensor([[1, 2, 3], [4, 5, 6]]);
  const pv = plain.chunk(2)[0]!.view(-1);
  plain.add_(1);
  assert.deepEqual(pv.mul(1).tolist(), [2, 3, 4]);
});
