// The in-place forms of the binary and ternary math ops (addcmul_, addcdiv_, lerp_, clampMin_, clampMax_, clip_,
// atan2_, fmod_, remainder_, hypot_, xlogy_, copysign_) against PyTorch 1.13 (fixtures/torch/binary-math.json,
// `inplace`, written by make_binary_math.py): on a clone of a leaf, with other operands that require grad, the values,
// every leaf's gradient and the grad_fn name; outside the graph the same values written into the tensor's storage
// (a transposed one too); and the calls PyTorch refuses (`refusals`), refused by Kindling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { floorDivide, noGrad, tensor, xlogy, type Tensor } from '../../src/index.js';
import { loadFixture, values, type EncodedTensor } from './golden-helpers.js';

interface InplaceCase { name: string; expr: string; out: EncodedTensor; gradFn: string; grads: Record<string, (number | string)[]> }
interface NoGradCase { name: string; expr: string; out: EncodedTensor; graphGradFn: string }
interface Fixture {
  inplace: { inputs: Record<string, EncodedTensor>; cases: InplaceCase[]; plainInputs: Record<string, EncodedTensor>; noGrad: NoGradCase[] };
  refusals: Record<string, string | null> & { 'big numbers': Record<string, (number | string)[]> };
}
const fx = loadFixture<Fixture>('binary-math.json');
type Env = Record<string, Tensor>;

const CALLS: Record<string, (t: Tensor, e: Env) => Tensor> = {
  'addcmul_': (t, e) => t.addcmul_(e.p!, e.q!, { value: 0.5 }),
  'addcdiv_': (t, e) => t.addcdiv_(e.p!, e.q!, { value: -2 }),
  'lerp_': (t, e) => t.lerp_(e.p!, 0.3),
  'lerp_ tensor weight': (t, e) => t.lerp_(e.p!, e.w!),
  'clamp_min_': (t) => t.clampMin_(0.1),
  'clamp_max_ tensor': (t, e) => t.clampMax_(e.p!),
  'clip_': (t) => t.clip_(-0.5, 0.5),
  'atan2_': (t, e) => t.atan2_(e.p!),
  'fmod_': (t) => t.fmod_(2.5),
  'remainder_ tensor': (t, e) => t.remainder_(e.q!),
  'hypot_': (t, e) => t.hypot_(e.p!),
  'xlogy_': (t, e) => t.xlogy_(e.q!),
  'copysign_': (t, e) => t.copysign_(e.p!),
  'true_divide_': (t, e) => t.trueDivide_(e.q!),
};

const NO_GRAD: Record<string, (t: Tensor, e: Env) => Tensor> = {
  'floor_divide_': (t, e) => t.floorDivide_(e.q!),
  'floor_divide_ number': (t) => t.floorDivide_(-1.5),
  'logical_and_': (t, e) => t.logicalAnd_(e.p!),
  'logical_or_': (t, e) => t.logicalOr_(e.p!),
  'logical_xor_': (t, e) => t.logicalXor_(e.p!),
  'logical_not_': (t) => t.logicalNot_(),
};

const env = (requiresGrad: boolean, inputs = fx.inplace.inputs): Env =>
  Object.fromEntries(Object.entries(inputs).map(([k, e]) => [k, tensor(Float32Array.from(values(e)), e.shape, { requiresGrad })]));

const outputGrad = (n: number, shape: readonly number[]): Tensor =>
  tensor(Float32Array.from({ length: n }, (_, i) => ((i + 1) / 2) * (i % 2 === 0 ? 1 : -1)), shape);

/**
 * Values equal as float32 bits, NaN equal to NaN (a −0 gradient may come back +0: see binary-math.test.ts); atan2's
 * values within 1 ulp (float64 Math.atan2 rounded once, against PyTorch's float32 libm).
 */
function same(label: string, got: ArrayLike<number>, want: number[], zeros = true): void {
  assert.equal(got.length, want.length, label);
  const ulp = label.startsWith('atan2_ ') && label.includes('values') ? 1 : 0;
  for (let i = 0; i < want.length; i++) {
    const ok = Object.is(got[i], want[i]) || (!zeros && got[i] === 0 && want[i] === 0) ||
      (ulp > 0 && Math.abs(got[i]! - want[i]!) <= ulp * 2 ** -23 * 2 ** Math.floor(Math.log2(Math.abs(want[i]!))));
    assert.ok(ok, `${label}[${i}]: got ${got[i]}, PyTorch ${want[i]}`);
  }
}

test('every in-place case of the fixture has a Kindling call', () => {
  assert.deepEqual(Object.keys(CALLS).sort(), fx.inplace.cases.map((c) => c.name).sort());
});

for (const c of fx.inplace.cases) {
  test(`${c.name} (PyTorch's ${c.expr}): values, gradients and grad_fn on a tensor of the graph`, () => {
    const e = env(true);
    const t = e.x!.clone();
    const version = t.version;
    const y = CALLS[c.name]!(t, e);
    assert.equal(y, t, 'returns the tensor it changed');
    assert.equal(t.version, version + 1, 'bumps the version');
    same(`${c.name} values`, t.values(), values(c.out));
    assert.equal(t.gradFn?.torchName, c.gradFn);
    t.backward(outputGrad(t.numel(), t.shape));
    for (const k of Object.keys(e)) {
      const want = c.grads[k];
      if (want === undefined) assert.equal(e[k]!.grad, null, `${c.name}: ${k} gets no gradient, as in PyTorch`);
      else {
        // Gradients summed over broadcast rows may differ in the last bit (PyTorch adds in float32 in its order).
        const g = e[k]!.grad!.values();
        const w = want.map(Number).map(Math.fround);
        if (e[k]!.numel() === t.numel()) same(`${c.name} grad ${k}`, g, w, false);
        else w.forEach((v, i) => assert.ok(Math.abs(g[i]! - v) <= 2 ** -20 * Math.max(1, Math.abs(v)) * 3, `${c.name} grad ${k}[${i}]: got ${g[i]}, PyTorch ${v}`));
      }
    }
  });

  test(`${c.name}: outside the graph, PyTorch's values written into the storage (a transposed tensor too)`, () => {
    const e = env(false);
    const t = e.x!.clone();
    const storage = t.data;
    noGrad(() => CALLS[c.name]!(t, e));
    assert.equal(t.data, storage, 'written into the same storage');
    same(`${c.name} values`, t.values(), values(c.out));
    // the same values through a transposed view: x stored as its transpose's transpose
    const tt = e.x!.t().contiguous().t();
    assert.ok(!tt.isContiguous());
    CALLS[c.name]!(tt, e);
    same(`${c.name} transposed values`, tt.values(), values(c.out));
  });
}

test('a leaf that requires grad is refused in place, as PyTorch refuses it', () => {
  const e = env(true);
  assert.throws(() => e.x!.addcmul_(e.p!, e.q!), /addcmul_: a leaf tensor that requires grad cannot be changed in place/);
  assert.throws(() => e.x!.lerp_(e.p!, 0.5), /lerp_: a leaf tensor/);
});

test('the calls PyTorch refuses are refused, naming the shapes (PyTorch\'s messages in the fixture)', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);
  const v = tensor([1, 2, 3, 4]);
  assert.match(fx.refusals['atan2 broadcast']!, /must match the size/);
  assert.throws(() => x.atan2(v), /atan2: shapes \[2, 3\] and \[4\] cannot be broadcast together/);
  assert.throws(() => x.addcmul(x, v), /addcmul: shapes \[2, 3\] and \[4\] cannot be broadcast together/);
  assert.throws(() => x.lerp(x, v), /lerp: shapes \[2, 3\] and \[4\] cannot be broadcast together/);
  assert.equal(fx.refusals['fmod_ output shape'], "output with shape [2, 3] doesn't match the broadcast shape [2, 2, 3]");
  assert.throws(() => x.clone().fmod_(tensor([[[1, 1, 1], [1, 1, 1]], [[1, 1, 1], [1, 1, 1]]])), (err: Error) =>
    err.message.includes(fx.refusals['fmod_ output shape']!));
  assert.throws(() => x.clone().addcmul_(tensor([[[1, 1, 1]], [[1, 1, 1]]]), x), (err: Error) => err.message.includes(fx.refusals['addcmul_ output shape']!));
  assert.equal(fx.refusals['floor_divide backward'], 'derivative for aten::floor_divide is not implemented');
  const y = floorDivide(tensor([1, 2], [2], { requiresGrad: true }), 2);
  assert.equal(y.gradFn?.torchName, 'NotImplemented');
  assert.throws(() => y.sum().backward(), /derivative for aten::floor_divide is not implemented/);
  // numbers only where PyTorch takes a Scalar (torch.atan2(x, 2) is a TypeError there)
  assert.throws(() => x.atan2(2 as unknown as Tensor), /atan2: argument 'other' must be a Tensor/);
  assert.throws(() => x.hypot(2 as unknown as Tensor), /hypot: argument 'other' must be a Tensor/);
  assert.throws(() => x.addcmul(x, 2 as unknown as Tensor), /addcmul: argument 'tensor2' must be a Tensor/);
  assert.throws(() => x.logicalAnd(1 as unknown as Tensor), /logicalAnd: argument 'other' must be a Tensor/);
  assert.throws(() => x.addcmul(x, x, { alpha: 2 } as never), /addcmul/);
});

test('PyTorch\'s snake_case names are refused with Kindling\'s', () => {
  const x = tensor([1, 2]) as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const [py, js] of [['floor_divide', 'floorDivide'], ['true_divide', 'trueDivide'], ['clamp_min', 'clampMin'], ['clamp_max', 'clampMax'],
    ['clamp_min_', 'clampMin_'], ['clamp_max_', 'clampMax_'], ['logical_and', 'logicalAnd'], ['logical_or', 'logicalOr'],
    ['logical_xor', 'logicalXor'], ['logical_not', 'logicalNot']] as const) {
    assert.throws(() => x[py]!(x), (err: Error) => err instanceof TypeError && err.message.includes(`Kindling's is x.${js}()`), py);
  }
});

test('floorDivide_ and the logical in-place forms outside the graph: PyTorch\'s values (NaN, ±∞, 0 included)', () => {
  assert.deepEqual(Object.keys(NO_GRAD).sort(), fx.inplace.noGrad.map((c) => c.name).sort());
  for (const c of fx.inplace.noGrad) {
    const e = env(false, fx.inplace.plainInputs);
    const t = e.x!;
    const storage = t.data;
    assert.equal(NO_GRAD[c.name]!(t, e), t);
    assert.equal(t.data, storage);
    same(`${c.name} values`, t.values(), values(c.out));
  }
});

test('on a tensor of the graph, floorDivide_ records NotImplemented (backward refuses) and the logical forms are refused', () => {
  for (const c of fx.inplace.noGrad) {
    const e = env(true, fx.inplace.plainInputs);
    const t = e.x!.clone();
    if (c.graphGradFn === 'NotImplemented') {
      NO_GRAD[c.name]!(t, e);
      assert.equal(t.gradFn?.torchName, 'NotImplemented');
      assert.throws(() => t.sum().backward(), /derivative for aten::floor_divide is not implemented/);
    } else {
      // PyTorch keeps the clone's node (CloneBackward0) under the new 1/0 values: a gradient that ignores the change.
      assert.equal(c.graphGradFn, 'CloneBackward0');
      const kindling = { logical_and_: 'logicalAnd_', logical_or_: 'logicalOr_', logical_xor_: 'logicalXor_', logical_not_: 'logicalNot_' }[c.name];
      assert.throws(() => NO_GRAD[c.name]!(t, e), (err: Error) => err.message.startsWith(`${kindling}: this tensor is part of the graph`), c.name);
    }
  }
});

test('a number beyond float32\'s range: ±∞ in arithmetic, as PyTorch\'s; refused as a bound, a weight or a value, as PyTorch refuses it', () => {
  const big = fx.refusals['big numbers'];
  const x = tensor(big.input!.map(Number));
  const calls: Record<string, () => Tensor> = {
    fmod: () => x.fmod(1e39), remainder: () => x.remainder(1e39), copysign: () => x.copysign(-1e39), xlogy: () => x.xlogy(1e39),
    floor_divide: () => x.floorDivide(1e39), true_divide: () => x.trueDivide(-1e39),
  };
  for (const [name, call] of Object.entries(calls)) same(`${name} by 1e39`, call().values(), big[name]!.map(Number));
  same('xlogy(1e39, x)', xlogy(1e39, x).values(), big.xlogy_self!.map(Number));
  assert.equal(fx.refusals['clamp_min beyond float32'], 'value cannot be converted to type float without overflow');
  assert.throws(() => x.clampMin(1e39), /clampMin: min 1e\+39 cannot be converted to float32 without overflow/);
  assert.throws(() => x.clampMax(-1e39), /clampMax: max -1e\+39 cannot be converted to float32 without overflow/);
  assert.throws(() => x.lerp(x, 1e39), /lerp: weight 1e\+39 cannot be converted to float32 without overflow/);
  assert.throws(() => x.addcmul(x, x, { value: 1e39 }), /addcmul: value 1e\+39 cannot be converted to float32 without overflow/);
  assert.throws(() => x.addcdiv(x, x, 1e39), /addcdiv: value 1e\+39 cannot be converted to float32 without overflow/);
});
