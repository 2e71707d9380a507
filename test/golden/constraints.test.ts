// distributions.constraints and the constraint registry against PyTorch 1.13 (fixtures/torch/constraints.json, from
// make_constraints.py): each constraint's repr, event dimensions, discreteness and check() on values inside, outside
// and on the edge (NaN, ±∞); transformTo and bijectTo: the transform each gives (its repr, or PyTorch's refusal), its
// image of a few reals, that the image satisfies the constraint, and log |det J|.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distributions, tensor } from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

type E = EncodedTensor;
type Part = { repr: string; y: E; inside: boolean; lad: E | null } | { refused: string };
const fx = loadFixture<{
  constraints: Record<string, { repr: string; eventDim: number; isDiscrete: boolean; values: E; check: boolean[]; checkShape: number[] }>;
  registry: Record<string, { x: E; transformTo: Part; bijectTo: Part }>;
}>('constraints.json');

const C = distributions.constraints;
const MAKE: Record<string, InstanceType<typeof distributions.Constraint>> = {
  real: C.real, boolean: C.boolean, positive: C.positive, nonnegative: C.nonnegative, unitInterval: C.unitInterval,
  nonnegativeInteger: C.nonnegativeInteger, positiveInteger: C.positiveInteger, greaterThan: C.greaterThan(1.5), greaterThanEq: C.greaterThanEq(-1),
  lessThan: C.lessThan(2), interval: C.interval(-1, 3), halfOpenInterval: C.halfOpenInterval(0, 1), integerInterval: C.integerInterval(0, 5),
  simplex: C.simplex, oneHot: C.oneHot, independent: C.independent(C.positive, 1), realVector: C.realVector, lowerTriangular: C.lowerTriangular,
  lowerCholesky: C.lowerCholesky, corrCholesky: C.corrCholesky, symmetric: C.symmetric, positiveDefinite: C.positiveDefinite,
};

for (const [name, c] of Object.entries(fx.constraints)) {
  test(`constraints.${name}: ${c.repr}, its event dimensions and its check as PyTorch's`, () => {
    const k = MAKE[name]!;
    assert.equal(String(k), c.repr);
    assert.equal(k.eventDim, c.eventDim);
    assert.equal(k.isDiscrete, c.isDiscrete);
    const got = k.check(decode(c.values));
    assert.deepEqual(got.shape, c.checkShape);
    assert.deepEqual(Array.from(got.toArray()).map((v) => v !== 0), c.check);
  });
}

for (const [name, r] of Object.entries(fx.registry)) {
  test(`transformTo and bijectTo of ${name}: PyTorch's transform, onto the constraint`, () => {
    const c = MAKE[name]!;
    const x = decode(r.x);
    for (const [kind, part] of [['transformTo', r.transformTo], ['bijectTo', r.bijectTo]] as const) {
      const make = (): InstanceType<typeof distributions.Transform> => (kind === 'transformTo' ? distributions.transformTo(c) : distributions.bijectTo(c));
      if ('refused' in part) {
        assert.throws(make, (e: Error) => e.message.startsWith(part.refused), `${kind}: ${part.refused}`);
        continue;
      }
      const t = make();
      assert.equal(String(t), part.repr, kind);
      const y = t.forward(x);
      assertTensorClose(y, part.y, `${kind} image`, { rtol: 2e-6, atol: 2e-7 });
      assert.equal(c.check(y).toArray().every((v) => v !== 0), part.inside, `${kind}: the image satisfies the constraint`);
      if (part.lad === null) assert.throws(() => t.logAbsDetJacobian(x, y));
      else assertTensorClose(t.logAbsDetJacobian(x, y), part.lad, `${kind} log |det J|`, { rtol: 1e-5, atol: 1e-6 });
    }
  });
}

test('a constraint refuses what is not a tensor; dependent cannot be checked', () => {
  assert.throws(() => C.positive.check([1, 2] as never), /must be a Tensor/);
  assert.throws(() => C.dependent.check(tensor([1])), /Cannot determine validity of dependent constraint/);
});
