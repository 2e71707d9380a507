// The torch.* function forms of Tensor methods and PyTorch's other names of methods, against PyTorch 1.13
// (fixtures/torch/function-forms.json, from make_function_forms.py): every output (tuples and lists element by
// element) with its grad_fn name; div with a rounding mode and round with decimals on edge values and a
// grid, rsub with alpha, with their gradients; and PyTorch's refusals with its messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { Tensor, tensor } from '../../src/index.js';
import { assertSame, assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

// The function forms and other names call the methods, which agree with PyTorch to float32 rounding (each method's
// own golden tests say how closely: exp, the inverse hyperbolic functions and sums of a row may differ in the last
// bit, as PyTorch's vectorized kernels round otherwise); the rest of this file is bit for bit.
const TOL = { rtol: 1e-6, atol: 1e-6 };

type Arg = { tensor: EncodedTensor } | number | number[] | boolean;
type Out = EncodedTensor | Out[] | number | boolean;
interface FormCase { fn: string; args: Arg[]; out: Out; gradFn: string | null }
interface MethodCase { fn: string; x: EncodedTensor; args: Arg[] | null; kwargs: Record<string, number> | null; out: Out; gradFn: string | null }
interface DivCase { a: EncodedTensor; b: Arg; mode: 'trunc' | 'floor'; out: EncodedTensor; gradFn: string; upstream: EncodedTensor; gradA: EncodedTensor; gradB: EncodedTensor | null }
interface RoundCase { decimals: number; x: EncodedTensor; out: EncodedTensor; gradFn: string; grad: EncodedTensor }
interface RsubCase { other: Arg; alpha: number; x: EncodedTensor; out: EncodedTensor; gradFn: string; upstream: EncodedTensor; gradX: EncodedTensor; gradOther: EncodedTensor | null }
const fx = loadFixture<{
  forms: FormCase[];
  methods: MethodCase[];
  predicates: { ndimension: number; nelement: number; is_floating_point: boolean; is_complex: boolean; is_same_size: boolean[]; is_nonzero: boolean[] };
  div: DivCase[];
  round: RoundCase[];
  rsub: RsubCase[];
  refusals: Record<string, { type: string; message: string }>;
}>('function-forms.json');

/** PyTorch's snake_case name in Kindling's camelCase. */
const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const argOf = (a: Arg): unknown => (typeof a === 'object' && !Array.isArray(a) ? decode(a.tensor) : a);
const isEncoded = (o: Out): o is EncodedTensor => typeof o === 'object' && !Array.isArray(o);

function assertOut(got: unknown, want: Out, label: string): void {
  if (isEncoded(want)) {
    assert.ok(got instanceof Tensor, `${label}: a tensor expected`);
    assertTensorClose(got, want, label, TOL);
  } else if (Array.isArray(want)) {
    const list = [...(got as Iterable<unknown>)];
    assert.equal(list.length, want.length, `${label}: ${list.length} outputs, PyTorch has ${want.length}`);
    want.forEach((w, i) => assertOut(list[i], w, `${label}[${i}]`));
  } else {
    assert.equal(got, want, label);
  }
}

const firstGradFn = (out: unknown): string | null => {
  const first = out instanceof Tensor ? out : [...(out as Iterable<Tensor>)][0]!;
  return first.gradFn?.torchName ?? null;
};

for (const c of fx.forms) {
  const label = `${camel(c.fn)}(${c.args.map((a) => (typeof a === 'object' && !Array.isArray(a) ? `[${a.tensor.shape}]` : JSON.stringify(a))).join(', ')})`;
  test(`torch.${c.fn} as ${label}: PyTorch's values bit for bit and grad_fn`, () => {
    const fn = (torch as unknown as Record<string, (...a: unknown[]) => unknown>)[camel(c.fn)];
    assert.equal(typeof fn, 'function', `kindling exports ${camel(c.fn)}`);
    const [x, ...rest] = c.args;
    const out = fn!(decode((x as { tensor: EncodedTensor }).tensor, true), ...rest.map(argOf));
    assertOut(out, c.out, label);
    assert.equal(firstGradFn(out), c.gradFn, `${label}: grad_fn`);
  });
}

for (const c of fx.methods) {
  const label = `x.${camel(c.fn)}${c.args === null ? '' : `(${c.args.length} args)`} on [${c.x.shape}]`;
  test(`PyTorch's Tensor.${c.fn} as ${label}: its values bit for bit and grad_fn`, () => {
    const x = decode(c.x, true) as unknown as Record<string, unknown>;
    const member = x[camel(c.fn)];
    const out = c.args === null ? member : (member as (...a: unknown[]) => unknown).call(x, ...c.args.map(argOf), ...(c.kwargs === null ? [] : [c.kwargs]));
    assertOut(out, c.out, label);
    assert.equal(firstGradFn(out), c.gradFn, `${label}: grad_fn`);
  });
}

test('ndimension, nelement, isFloatingPoint, isComplex, isSameSize and isNonzero answer as PyTorch', () => {
  const p = fx.predicates;
  const x = torch.zeros([3, 4]);
  assert.equal(x.ndimension(), p.ndimension);
  assert.equal(x.nelement(), p.nelement);
  assert.equal(x.isFloatingPoint(), p.is_floating_point);
  assert.equal(x.isComplex(), p.is_complex);
  assert.deepEqual([x.isSameSize(torch.ones([3, 4])), x.isSameSize(torch.ones([1, 3, 1]))], p.is_same_size);
  assert.deepEqual([tensor([0]).isNonzero(), tensor(-2).isNonzero()], p.is_nonzero);
});

for (const c of fx.div) {
  const scalar = typeof c.b === 'number';
  test(`div(a, ${scalar ? c.b : `[${(c.b as { tensor: EncodedTensor }).tensor.shape}]`}, { roundingMode: '${c.mode}' }) matches PyTorch bit for bit, with its zero gradients`, () => {
    const a = decode(c.a, true);
    const b = scalar ? (c.b as number) : decode((c.b as { tensor: EncodedTensor }).tensor, true);
    const out = torch.div(a, b, { roundingMode: c.mode });
    assertSame(out, c.out, 'out');
    assert.equal(out.gradFn?.torchName, c.gradFn);
    assertSame(a.divide(b, { roundingMode: c.mode }), c.out, 'divide');
    out.backward(decode(c.upstream));
    assertSame(a.grad!, c.gradA, 'grad a');
    if (c.gradB !== null) assertSame((b as Tensor).grad!, c.gradB, 'grad b');
  });
}

for (const c of fx.div) {
  const scalar = typeof c.b === 'number';
  test(`div_(${scalar ? c.b : 'tensor'}, { roundingMode: '${c.mode}' }) and divide_ in place: div's values and zero gradients`, () => {
    const a = decode(c.a, true);
    const b = scalar ? (c.b as number) : decode((c.b as { tensor: EncodedTensor }).tensor, true);
    const t = a.mul(1);
    assert.equal(t.div_(b, { roundingMode: c.mode }), t);
    assertSame(t, c.out, 'div_');
    t.backward(decode(c.upstream));
    assertSame(a.grad!, c.gradA, 'grad a');
    if (c.gradB !== null) assertSame((b as Tensor).grad!, c.gradB, 'grad b');
    const plain = scalar ? (c.b as number) : decode((c.b as { tensor: EncodedTensor }).tensor);
    assertSame(decode(c.a).divide_(plain, { roundingMode: c.mode }), c.out, 'divide_');
  });
}

for (const c of fx.round) {
  test(`round(x, ${c.decimals}) matches PyTorch bit for bit on ${c.x.shape[0]} values, RoundBackward1`, () => {
    const x = decode(c.x, true);
    const out = torch.round(x, { decimals: c.decimals });
    assertSame(out, c.out, 'out');
    assertSame(x.round(c.decimals), c.out, 'method');
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(torch.onesLike(out));
    assertSame(x.grad!, c.grad, 'grad');
  });
}

for (const c of fx.rsub) {
  const scalar = typeof c.other === 'number';
  test(`rsub(x, ${scalar ? c.other : 'tensor'}, alpha ${c.alpha}) is other − alpha·x as PyTorch's, with its gradients`, () => {
    const x = decode(c.x, true);
    const other = scalar ? (c.other as number) : decode((c.other as { tensor: EncodedTensor }).tensor, true);
    const out = torch.rsub(x, other, c.alpha);
    assertSame(out, c.out, 'out');
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(decode(c.upstream));
    assertSame(x.grad!, c.gradX, 'grad x');
    if (c.gradOther !== null) assertSame((other as Tensor).grad!, c.gradOther, 'grad other');
  });
}

test("PyTorch's refusals, with its messages", () => {
  const r = fx.refusals;
  const same = (fn: () => unknown, key: string): void => assert.throws(fn, (e: Error) => e.message === r[key]!.message, key);
  const v = torch.zeros([4]);
  same(() => torch.div(v, v, { roundingMode: 'x' as 'trunc' }), 'div_mode');
  same(() => v.clone().div_(v, { roundingMode: 'x' as 'trunc' }), 'div_mode');
  same(() => v.mT, 'mT_1d');
  same(() => v.mH, 'mH_1d');
  same(() => v.adjoint(), 'adjoint_1d');
  same(() => torch.zeros([1, 3, 1]).H, 'H_3d');
  same(() => tensor([]).isNonzero(), 'nonzero_empty');
  same(() => v.isNonzero(), 'nonzero_many');
  assert.throws(() => torch.exp(2 as unknown as Tensor), /exp\(\): argument 'input' \(position 1\) must be Tensor, not number/);
});

interface AlphaCase {
  fn: 'add' | 'sub'; inplace: boolean; x: string; other: string | number; alpha: number; out: EncodedTensor;
  gradFn?: string; upstream?: EncodedTensor; gradX?: EncodedTensor; gradOther?: EncodedTensor | null;
}
const alphaFx = fx as unknown as { alphaInputs: Record<string, EncodedTensor>; alpha: AlphaCase[] };
for (const c of alphaFx.alpha) {
  const input = (name: string, grad: boolean): Tensor => decode(alphaFx.alphaInputs[name]!, grad);
  const shapeOf = (name: string): string => `[${alphaFx.alphaInputs[name]!.shape}]`;
  const what = `${c.fn}${c.inplace ? '_' : ''}(${shapeOf(c.x)}, ${typeof c.other === 'number' ? c.other : shapeOf(c.other)}, alpha ${c.alpha})`;
  test(`${what} rounds x ± alpha·y once, as PyTorch's fused kernel: its bits${c.inplace ? '' : ', grad_fn and gradients'}`, () => {
    const other = (grad: boolean): Tensor | number => (typeof c.other === 'number' ? c.other : input(c.other, grad));
    if (c.inplace) {
      for (const form of [{ alpha: c.alpha }, c.alpha]) {
        const t = input(c.x, false);
        const o = other(false);
        torch.noGrad(() => (c.fn === 'add' ? t.add_(o, form) : t.sub_(o, form)));
        assertSame(t, c.out, 'in place');
      }
      return;
    }
    const x = input(c.x, true);
    const o = other(true);
    const out = c.fn === 'add' ? torch.add(x, o, { alpha: c.alpha }) : torch.sub(x, o, c.alpha);
    assertSame(out, c.out, 'out');
    assert.equal(out.gradFn?.torchName, c.gradFn);
    out.backward(decode(c.upstream!));
    assertSame(x.grad!, c.gradX!, 'grad x');
    if (!c.gradOther) return;
    const g = (o as Tensor).grad!;
    // Summed over the broadcast rows: Kindling's sum adds them otherwise than PyTorch's (see the sum cases above).
    if (g.numel() === x.numel()) assertSame(g, c.gradOther, 'grad other');
    else assertTensorClose(g, c.gradOther, 'grad other', TOL);
  });
}
