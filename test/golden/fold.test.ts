// F.unfold and F.fold against PyTorch (fixtures/torch/fold.json, from make_fold.py): values bit for bit (unfolding
// copies, folding adds overlapping blocks in PyTorch's order) and input gradients for kernel sizes, strides,
// padding, dilation and unbatched inputs; nn.Unfold and nn.Fold's printing; node names; PyTorch's refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, nn, zeros } from '../../src/index.js';
import { decode, loadFixture, values, type EncodedMap } from './golden-helpers.js';

type Size = number | [number, number];
interface Case {
  name: string; op: 'unfold' | 'fold';
  args: { kernelSize: Size; outputSize?: Size; dilation?: Size; padding?: Size; stride?: Size };
  inputs: EncodedMap; outputs: EncodedMap; upstream: EncodedMap; grads: EncodedMap;
}
interface Fixture { cases: Case[]; modules: string[]; nodes: Record<string, string>; errors: { op: 'unfold' | 'fold'; shape: number[]; args: number[][]; kwargs?: F.FoldOptions; message: string }[] }

const fx = loadFixture<Fixture>('fold.json');

test('fold.json covers both ops with stride, padding, dilation, overlaps and unbatched inputs', () => {
  for (const op of ['unfold', 'fold']) {
    const cs = fx.cases.filter((c) => c.op === op);
    for (const key of ['stride', 'padding', 'dilation']) assert.ok(cs.some((c) => key in c.args), `${op} ${key}`);
    assert.ok(cs.some((c) => c.inputs['input']!.shape.length === (op === 'unfold' ? 3 : 2)), `${op} unbatched`);
  }
});

for (const c of fx.cases) {
  for (const form of ['F', 'nn'] as const) {
    test(`${c.op} ${c.name} (${form}): PyTorch's values and gradient bit for bit`, () => {
      const x = decode(c.inputs['input']!, true);
      const { kernelSize: k, outputSize, ...o } = c.args;
      const out = c.op === 'unfold'
        ? (form === 'F' ? F.unfold(x, k, o) : new nn.Unfold(k, o).forward(x))
        : (form === 'F' ? F.fold(x, outputSize!, k, o) : new nn.Fold(outputSize!, k, o).forward(x));
      assert.deepEqual([...out.shape], c.outputs['out']!.shape);
      assert.deepEqual([...out.toArray()], values(c.outputs['out']!));
      out.backward(decode(c.upstream['out']!));
      assert.deepEqual([...x.grad!.toArray()], values(c.grads['input']!));
    });
  }
}

test("nn.Unfold and nn.Fold print as PyTorch's", () => {
  const made = [new nn.Unfold(2), new nn.Unfold([2, 3], { dilation: 2, padding: 1, stride: [1, 2] }), new nn.Fold(4, 2),
    new nn.Fold([5, 6], [2, 3], { dilation: 1, padding: [1, 0], stride: 2 })];
  assert.deepEqual(made.map(String), fx.modules);
});

test("the nodes have PyTorch's names, batched and unbatched", () => {
  const x = zeros([1, 2, 3, 3], { requiresGrad: true });
  const c = zeros([1, 8, 4], { requiresGrad: true });
  assert.deepEqual({
    unfold: F.unfold(x, 2).gradFn?.torchName, fold: F.fold(c, 3, 2).gradFn?.torchName,
    unfold_unbatched: F.unfold(zeros([2, 3, 3], { requiresGrad: true }), 2).gradFn?.torchName,
    fold_unbatched: F.fold(zeros([8, 4], { requiresGrad: true }), 3, 2).gradFn?.torchName,
  }, fx.nodes);
});

for (const e of fx.errors) {
  test(`${e.op} refuses ${JSON.stringify(e.shape)} ${JSON.stringify(e.args)} with PyTorch's words`, () => {
    const run = e.op === 'unfold' ? () => F.unfold(zeros(e.shape), e.args[0] as [number, number], e.kwargs) : () => F.fold(zeros(e.shape), e.args[0] as [number, number], e.args[1] as [number, number], e.kwargs);
    // A 2-D input fails in PyTorch's Python wrapper (a dimension out of range); Kindling names the ranks it takes.
    const expected = e.message.startsWith('Dimension out of range') ? 'Expected 3D or 4D (batch mode) tensor' : e.message;
    assert.throws(run, (err: Error) => err.message.includes(expected));
  });
}

test('the layers keep copies of the sizes given, and refuse PyTorch\'s snake_case option names with the camelCase ones', () => {
  const k: [number, number] = [2, 2];
  const layer = new nn.Unfold(k, { stride: [1, 1] });
  k[0] = 5;
  assert.equal(String(layer), 'Unfold(kernel_size=(2, 2), dilation=1, padding=0, stride=(1, 1))');
  assert.throws(() => new nn.Fold(4, 2, { kernel_size: 2 } as never), /unknown option/);
});

test('fold(unfold(x)) is x times the number of blocks covering each pixel', () => {
  const x = decode({ shape: [1, 1, 3, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
  const back = F.fold(F.unfold(x, 2), 3, 2);
  assert.deepEqual([...back.toArray()], [1, 4, 3, 8, 20, 12, 7, 16, 9]);
});
