// Finite-difference checks (float64 reference) of matmul, reductions and view ops.
import { test } from 'node:test';
import { matmul, type Tensor } from '../../src/index.js';
import { distinctLeaf, gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(11);

test('gradcheck matmul in every rank combination, with batch broadcasting', () => {
  const cases: Array<[number[], number[]]> = [
    [[4], [4]],
    [[4], [4, 3]],
    [[2, 4], [4]],
    [[2, 4], [4, 3]],
    [[2, 3, 4], [2, 4, 5]],
    [[2, 3, 4], [4, 5]],
    [[3, 4], [2, 4, 5]],
    [[4], [2, 4, 5]],
    [[2, 3, 4], [4]],
    [[1, 3, 4], [2, 4, 5]],
    [[2, 3, 4], [1, 4, 5]],
  ];
  for (const [sa, sb] of cases) {
    const a = leaf(rng, sa);
    const b = leaf(rng, sb);
    gradcheck(`matmul ${JSON.stringify(sa)} @ ${JSON.stringify(sb)}`, {
      leaves: [a, b],
      forward: () => matmul(a, b),
      reference: ([x, y]) => R.matmul(x!, y!),
    });
  }
});

test('gradcheck matmul where only one operand requires grad', () => {
  const a = leaf(rng, [2, 3, 4]);
  const b = leaf(rng, [4, 5]).detach();
  const br = R.ref(b.toArray(), b.shape);
  gradcheck('a @ constant', { leaves: [a], forward: () => matmul(a, b), reference: ([x]) => R.matmul(x!, br) });
  const c = leaf(rng, [4, 3]);
  gradcheck('constant.T @ c', { leaves: [c], forward: () => matmul(b.T, c), reference: ([y]) => R.matmul(R.transpose(br, 0, 1), y!) });
});

test('gradcheck matmul with transposed, permuted and expanded operands', () => {
  const a = leaf(rng, [4, 2]);
  const b = leaf(rng, [3, 4]);
  const c = leaf(rng, [4, 3]);
  gradcheck('a.T @ c', { leaves: [a, c], forward: () => a.T.matmul(c), reference: ([x, y]) => R.matmul(R.transpose(x!, 0, 1), y!) });
  gradcheck('a.T @ b.T', {
    leaves: [a, b],
    forward: () => a.T.matmul(b.T),
    reference: ([x, y]) => R.matmul(R.transpose(x!, 0, 1), R.transpose(y!, 0, 1)),
  });
  gradcheck('b @ b.T (same tensor twice)', { leaves: [b], forward: () => b.matmul(b.T), reference: ([x]) => R.matmul(x!, R.transpose(x!, 0, 1)) });
  const p = leaf(rng, [2, 4, 3]);
  const q = leaf(rng, [3, 2, 4]);
  gradcheck('p.transpose(1, 2) @ p', {
    leaves: [p],
    forward: () => p.transpose(1, 2).matmul(p),
    reference: ([x]) => R.matmul(R.transpose(x!, 1, 2), x!),
  });
  gradcheck('q.permute(1, 0, 2) @ c', {
    leaves: [q, c],
    forward: () => q.permute(1, 0, 2).matmul(c),
    reference: ([x, y]) => R.matmul(R.permute(x!, [1, 0, 2]), y!),
  });
  const v = leaf(rng, [4]);
  gradcheck('v.expand(2, 3, 4) @ c', {
    leaves: [v, c],
    forward: () => v.expand(2, 3, 4).matmul(c),
    reference: ([x, y]) => R.matmul(R.expand(x!, [2, 3, 4]), y!),
  });
});

test('gradcheck sum and mean over all, one or several dims, keepdim, negative dims', () => {
  const x = leaf(rng, [2, 3, 4]);
  const specs: Array<[number | number[] | undefined, boolean]> = [
    [undefined, false], [0, false], [1, true], [-1, false], [-1, true], [[0, 2], false], [[-3, -2], true], [[0, 1, 2], true],
  ];
  for (const [dim, keep] of specs) {
    const dims = dim === undefined ? undefined : typeof dim === 'number' ? [dim] : dim;
    gradcheck(`sum ${JSON.stringify(dim)} keepdim=${keep}`, {
      leaves: [x],
      forward: () => x.sum(dim, keep),
      reference: ([r]) => R.sum(r!, dims, keep),
    });
    gradcheck(`mean ${JSON.stringify(dim)} keepdim=${keep}`, {
      leaves: [x],
      forward: () => x.mean(dim, keep),
      reference: ([r]) => R.mean(r!, dims, keep),
    });
  }
  gradcheck('sum(0) of a transposed view', { leaves: [x], forward: () => x.transpose(0, 2).sum(0), reference: ([r]) => R.sum(R.transpose(r!, 0, 2), [0]) });
  gradcheck('mean(1, keepdim) of a transposed view', {
    leaves: [x],
    forward: () => x.transpose(1, 2).mean(1, true),
    reference: ([r]) => R.mean(R.transpose(r!, 1, 2), [1], true),
  });
});

test('gradcheck max over all elements and along each dim (distinct values)', () => {
  const x = distinctLeaf(rng, [3, 4, 2]);
  gradcheck('max()', { leaves: [x], forward: () => x.max(), reference: ([r]) => R.max(r!) });
  for (const dim of [0, 1, 2, -1]) {
    for (const keep of [false, true]) {
      gradcheck(`max(${dim}, ${keep})`, { leaves: [x], forward: () => x.max(dim, keep).values, reference: ([r]) => R.max(r!, dim < 0 ? dim + 3 : dim, keep) });
    }
  }
  gradcheck('max(0) of x.T', {
    leaves: [x],
    forward: () => x.permute(2, 1, 0).max(0).values,
    reference: ([r]) => R.max(R.permute(r!, [2, 1, 0]), 0),
  });
});

test('gradcheck reshape, view, flatten, transpose, permute, T, unsqueeze, squeeze, expand', () => {
  const x = leaf(rng, [2, 3, 4]);
  const y = leaf(rng, [3, 1, 2]);
  // A nonlinear op after each view makes sure the gradient is routed to the right element.
  const sq = (t: Tensor): Tensor => t.mul(t.add(0.5));
  const rsq = (r: R.Ref): R.Ref => R.map(r, (v) => v * (v + 0.5));
  const cases: Array<[string, Tensor, (t: Tensor) => Tensor, (r: R.Ref) => R.Ref]> = [
    ['reshape [4, 6]', x, (t) => t.reshape(4, 6), (r) => R.reshape(r, [4, 6])],
    ['reshape [-1, 2]', x, (t) => t.reshape([-1, 2]), (r) => R.reshape(r, [12, 2])],
    ['view [6, 4]', x, (t) => t.view(6, 4), (r) => R.reshape(r, [6, 4])],
    ['flatten', x, (t) => t.flatten(), (r) => R.reshape(r, [24])],
    ['transpose(0, 2)', x, (t) => t.transpose(0, 2), (r) => R.transpose(r, 0, 2)],
    ['transpose(-1, -2)', x, (t) => t.transpose(-1, -2), (r) => R.transpose(r, 1, 2)],
    ['permute(2, 0, 1)', x, (t) => t.permute(2, 0, 1), (r) => R.permute(r, [2, 0, 1])],
    ['T', x, (t) => t.T, (r) => R.permute(r, [2, 1, 0])],
    ['reshape of a transposed view (copies)', x, (t) => t.transpose(0, 1).reshape(3, 8), (r) => R.reshape(R.transpose(r, 0, 1), [3, 8])],
    ['unsqueeze(0)', x, (t) => t.unsqueeze(0), (r) => R.reshape(r, [1, 2, 3, 4])],
    ['unsqueeze(-1)', x, (t) => t.unsqueeze(-1), (r) => R.reshape(r, [2, 3, 4, 1])],
    ['unsqueeze(1) of a permuted view', x, (t) => t.permute(2, 0, 1).unsqueeze(1), (r) => R.reshape(R.permute(r, [2, 0, 1]), [4, 1, 2, 3])],
    ['squeeze()', y, (t) => t.squeeze(), (r) => R.reshape(r, [3, 2])],
    ['squeeze(1)', y, (t) => t.squeeze(1), (r) => R.reshape(r, [3, 2])],
    ['squeeze(0) (no-op)', y, (t) => t.squeeze(0), (r) => r],
    ['expand(4, 3, 5, 2)', y, (t) => t.expand(4, 3, 5, 2), (r) => R.expand(r, [4, 3, 5, 2])],
    ['expand(-1, 3, 2)', y, (t) => t.expand(-1, 3, 2), (r) => R.expand(r, [3, 3, 2])],
    ['expand then add', y, (t) => t.expand(3, 4, 2).add(t), (r) => R.add(R.expand(r, [3, 4, 2]), r)],
    ['clone of a transposed view', x, (t) => t.transpose(0, 1).clone(), (r) => R.transpose(r, 0, 1)],
    ['contiguous of a permuted view', x, (t) => t.permute(1, 2, 0).contiguous(), (r) => R.permute(r, [1, 2, 0])],
  ];
  for (const [name, t, run, rf] of cases) {
    gradcheck(name, { leaves: [t], forward: () => sq(run(t)), reference: ([r]) => rsq(rf(r!)) });
  }
});
