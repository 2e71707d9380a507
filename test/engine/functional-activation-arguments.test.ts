// The functional activations bind their arguments as PyTorch 1.13's Python signatures do: `inplace` for F.hardtanh
// and F.relu6 (which took none and silently returned a new tensor), keywords as one object for F.hardtanh, the
// shrinks, F.softmin, F.oneHot, F.glu and after positional ones for F.dropout, PyTorch's `_stacklevel` and `dtype` for
// the softmaxes, and a TypeError for an argument beyond the signature, where one was ignored. Values are PyTorch 1.13's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, manualSeed, tensor, type Tensor } from '../../src/index.js';

const rows = (): Tensor => tensor([[-7, -0.75, 0.25], [0.5, 3, 8]]);
const near = (got: number[][], want: number[][]): void => {
  got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - want[i]![j]!) <= 1e-6 * Math.max(1, Math.abs(want[i]![j]!)), `[${i}][${j}]: ${v}, PyTorch ${want[i]![j]}`)));
};

test('F.relu6 and F.hardtanh take PyTorch\'s inplace: the input changed and returned, node HardtanhBackward0', () => {
  const cases: Array<[string, (x: Tensor) => Tensor, number[][]]> = [
    // F.relu6(x, inplace=True) and F.hardtanh(x, min_val=-0.5, max_val=0.5, inplace=True) in PyTorch 1.13
    ['F.relu6(x, true)', (x) => F.relu6(x, true), [[0, 0, 0.25], [0.5, 3, 6]]],
    ['F.relu6(x, { inplace: true })', (x) => F.relu6(x, { inplace: true }), [[0, 0, 0.25], [0.5, 3, 6]]],
    ['F.hardtanh(x, -0.5, 0.5, true)', (x) => F.hardtanh(x, -0.5, 0.5, true), [[-0.5, -0.5, 0.25], [0.5, 0.5, 0.5]]],
    ['F.hardtanh(x, { minVal, maxVal, inplace })', (x) => F.hardtanh(x, { minVal: -0.5, maxVal: 0.5, inplace: true }), [[-0.5, -0.5, 0.25], [0.5, 0.5, 0.5]]],
  ];
  for (const [name, fn, want] of cases) {
    const x = rows();
    assert.equal(fn(x), x, `${name} returns its input`);
    assert.deepEqual(x.tolist(), want, name);
    const h = rows().requiresGrad_().mul(1);
    assert.equal(fn(h).gradFn?.torchName, 'HardtanhBackward0', name);
  }
  assert.deepEqual(F.hardtanh(rows(), { minVal: -0.5 }).tolist(), [[-0.5, -0.5, 0.25], [0.5, 1, 1]]);
  assert.throws(() => F.relu6(rows().requiresGrad_(), true), /leaf/);   // PyTorch: a leaf Variable that requires grad is being used in an in-place operation.
  assert.throws(() => F.relu6(rows(), 'yes' as never), /relu6: inplace must be true or false, got the string "yes"/);
});

test('keywords as one object: F.hardshrink, F.softshrink, F.softmin, F.oneHot, F.glu, F.dropout after positional ones', () => {
  assert.deepEqual(F.hardshrink(rows(), { lambd: 0.3 }).tolist(), [[-7, -0.75, 0], [0.5, 3, 8]]);
  near(F.softshrink(rows(), { lambd: 0.3 }).tolist() as number[][], [[-6.699999809265137, -0.44999998807907104, 0], [0.19999998807907104, 2.700000047683716, 7.699999809265137]]);
  near(F.softmin(rows(), { dim: 0 }).tolist() as number[][], [[0.9994471669197083, 0.977022647857666, 0.9995694756507874], [0.000552778597921133, 0.022977370768785477, 0.0004305570910219103]]);
  assert.deepEqual(F.oneHot(tensor([0, 2]), { numClasses: 4 }).tolist(), [[1, 0, 0, 0], [0, 0, 1, 0]]);
  near(F.glu(rows().reshape(3, 2), { dim: 1 }).tolist() as number[][], F.glu(rows().reshape(3, 2), 1).tolist() as number[][]);
  near(F.glu(rows(), { dim: 0 }).tolist() as number[][], [[-4.357215404510498, -0.714430570602417, 0.2499161660671234]]);
  manualSeed(3);
  const want = F.dropout(rows(), 0.5, true).tolist();
  const x = rows();
  manualSeed(3);
  assert.equal(F.dropout(x, 0.5, { inplace: true }), x);
  assert.deepEqual(x.tolist(), want);
});

test('F.softmax, F.logSoftmax and F.softmin take PyTorch\'s _stacklevel and dtype (float32 only)', () => {
  const want = [[0.0005189096555113792, 0.26880186796188354, 0.7306792140007019], [0.000549080956261605, 0.006689175497740507, 0.9927616715431213]];
  near(F.softmax(rows(), 1, 3, 'float32').tolist() as number[][], want);   // F.softmax(x, 1, 3, torch.float32)
  near(F.softmax(rows(), { dim: 1, dtype: 'float32' }).tolist() as number[][], want);
  near(F.logSoftmax(rows(), { dim: 1, dtype: 'float32' }).tolist() as number[][], [[-7.563780784606934, -1.3137807846069336, -0.3137807548046112], [-7.507264614105225, -5.007264614105225, -0.007264627143740654]]);
  assert.throws(() => F.softmax(rows(), { dim: 1, dtype: 'float64' }), /softmax: only float32 is supported, got 'float64'/);
  assert.throws(() => F.softmin(rows(), 1, 3, null, 4 as never), /softmin: takes at most 4 arguments/);
});

test('an argument beyond PyTorch\'s signature is refused, naming the function and the usage', () => {
  const x = rows();
  const loose = F as unknown as Record<string, (...a: unknown[]) => Tensor>;
  const cases: Array<[string, unknown[], RegExp]> = [
    ['sigmoid', [x, 1], /sigmoid: takes at most 1 argument \(F\.sigmoid\(x\)\), got the number 1 as argument 2/],   // PyTorch: sigmoid() takes 1 positional argument but 2 were given
    ['tanh', [x, 1], /tanh: takes at most 1 argument/],
    ['logsigmoid', [x, 1], /logsigmoid: takes at most 1 argument/],
    ['softsign', [x, 1], /softsign: takes at most 1 argument/],
    ['tanhshrink', [x, 1], /tanhshrink: takes at most 1 argument/],
    ['gelu', [x, 'none', 1], /gelu: takes at most 2 arguments/],
    ['softplus', [x, 1, 20, 1], /softplus: takes at most 3 arguments/],
    ['prelu', [x, tensor([0.25]), 1], /prelu: takes at most 2 arguments/],
    ['glu', [x.reshape(3, 2), -1, 1], /glu: takes at most 1 argument/],
    ['normalize', [x, 2, 1, 1e-12, null], /normalize: takes at most 4 arguments/],
    ['oneHot', [tensor([0, 1]), 3, 1], /oneHot: takes at most 1 argument/],
    ['relu6', [x, false, 1], /relu6: takes at most 1 argument/],
    ['hardtanh', [x, -1, 1, false, 3], /hardtanh: takes at most 3 arguments/],
    ['hardshrink', [x, 0.5, 1], /hardshrink: takes at most 1 argument/],
    ['softshrink', [x, 0.5, 1], /softshrink: takes at most 1 argument/],
    ['softmax', [x, 1, 3, 'float32', 1], /softmax: takes at most 4 arguments/],
    ['dropout', [x, 0.5, true, false, 1], /dropout: takes at most 3 arguments/],
  ];
  for (const [name, args, message] of cases) assert.throws(() => loose[name]!(...args), (e: unknown) => e instanceof TypeError && message.test(e.message), name);
});

test('null: inplace=None is "not in place" as in PyTorch; None for p, training or a bound is refused; an array method may call the one-argument functions', () => {
  const x = tensor([0.5, -2, 8]);
  const loose = F as unknown as Record<string, (...a: unknown[]) => Tensor>;
  // PyTorch 1.13: F.relu(x, None), F.relu6(x, None), F.hardtanh(x, -1., 1., None), F.dropout(x, 0.5, True, None) run, not in place.
  for (const [name, args] of [['relu', [x, null]], ['relu6', [x, null]], ['hardtanh', [x, -1, 1, null]], ['dropout', [x, 0.5, true, null]]] as const) {
    const y = loose[name]!(...args);
    assert.notEqual(y, x, name);
    assert.deepEqual([...x.toArray()], [0.5, -2, 8], name);
  }
  // PyTorch refuses None for p, training and min_val (TypeError / '<' not supported), as the positional forms did before.
  assert.throws(() => loose['dropout']!(x, null), /dropout probability has to be between 0 and 1, but got null/);
  assert.throws(() => loose['dropout']!(x, 0.5, null), /dropout: training must be true or false, got null/);
  assert.throws(() => loose['hardtanh']!(x, null, null), /hardtanh: minVal must be a number/);
  // xs.map(F.sigmoid): the callback's index and array are not arguments (Python's map(F.sigmoid, xs)).
  const ys = [x, x].map(F.sigmoid);
  assert.deepEqual([...ys[1]!.toArray()], [...F.sigmoid(x).toArray()]);
  assert.equal([x].map(F.tanh).length, 1);
  assert.throws(() => loose['sigmoid']!(x, 0, [tensor([1])]), /sigmoid: takes at most 1 argument/);
});
