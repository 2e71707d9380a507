// The functional forms take PyTorch 1.13's positional order, then optionally one object of options (its values:
// test/golden/functional-positional.test.ts): a name given both ways is refused, as are too many arguments; null is
// PyTorch's None where that is the default; the losses' legacy sizeAverage and reduce set the reduction as
// PyTorch's do; and the forms taken before (options after the leading arguments) still give the same values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arange, F, KindlingError, ones, tensor, zeros, type Tensor } from '../../src/index.js';
import { loose, throwsWith } from './throws.js';

const r = (...shape: number[]): Tensor => arange(shape.reduce((a, b) => a * b, 1)).div(7).sin().reshape(shape);
const same = (a: Tensor, b: Tensor, label: string): void => {
  assert.deepEqual(a.shape, b.shape, label);
  assert.deepEqual(a.toArray(), b.toArray(), label);
};

test('by position and by name give the same values (and what was taken before still is)', () => {
  const x = r(2, 2, 5, 5);
  const w = r(3, 2, 3, 3);
  const b = tensor([0.1, -0.2, 0.3]);
  same(F.conv2d(x, w, b, 2, 1, 1, 1), F.conv2d(x, w, b, { stride: 2, padding: 1, dilation: 1, groups: 1 }), 'conv2d');
  same(F.conv2d(x, w, b, 2, { padding: 1 }), F.conv2d(x, w, b, { stride: 2, padding: 1 }), 'conv2d, options after the stride');
  same(F.conv2d(x, w, { bias: b, stride: 2 }), F.conv2d(x, w, b, 2), 'conv2d, the bias by name');
  same(F.convTranspose2d(x, r(2, 3, 3, 3), null, 2, 1, 1, 1, 2), F.convTranspose2d(x, r(2, 3, 3, 3), null, { stride: 2, padding: 1, outputPadding: 1, dilation: 2 }), 'convTranspose2d');
  same(F.maxPool2d(x, 3, 2, 1), F.maxPool2d(x, 3, { stride: 2, padding: 1 }), 'maxPool2d');
  same(F.maxPool2d(x, 3, 2, 1), F.maxPool2d(x, 3, 2, { padding: 1 }), 'maxPool2d, stride then options (taken before)');
  same(F.maxPool2d(x, { kernelSize: 2 }), F.maxPool2d(x, 2), 'maxPool2d, the kernel size by name');
  same(F.maxPool2d(x, 2, null, { stride: 1 }), F.maxPool2d(x, 2, 1), 'a null stride (None) and a stride in the options');
  const [v, i] = F.maxPool2d(x, 2, 2, 0, 1, false, true);
  const [v2, i2] = F.maxPool2d(x, 2, { returnIndices: true });
  same(v, v2, 'maxPool2d values');
  same(i, i2, 'maxPool2d indices');
  same(F.avgPool2d(x, 3, 2, 1, false, true, 2), F.avgPool2d(x, 3, { stride: 2, padding: 1, divisorOverride: 2 }), 'avgPool2d');
  const x3 = r(2, 2, 4, 4, 4);
  same(F.maxPool3d(x3, 3, 2, 1), F.maxPool3d(x3, 3, { stride: 2, padding: 1 }), 'maxPool3d');
  same(F.avgPool3d(x3, 3, 2, 1, true, false, 3), F.avgPool3d(x3, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 3 }), 'avgPool3d');
  same(F.interpolate(x, null, 2, 'bilinear', true), F.interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: true }), 'interpolate');
  same(F.pad(x, [1, 1], 'constant', 2.5), F.pad(x, [1, 1], { value: 2.5 }), 'pad');
  same(F.unfold(x, 3, 1, 1, 2), F.unfold(x, 3, { padding: 1, stride: 2 }), 'unfold');
  const emb = r(4, 3);
  const idx = tensor([[3, 2], [1, 0]]);
  same(F.embedding(idx, emb, 0), F.embedding(idx, emb, { paddingIdx: 0 }), 'embedding');
  same(F.batchNorm(x, zeros(2), ones(2), tensor([2, 3]), null, true), F.batchNorm(x, zeros(2), ones(2), { weight: tensor([2, 3]), training: true }), 'batchNorm');
  same(F.instanceNorm(x, null, null, tensor([2, 3])), F.instanceNorm(x, { weight: tensor([2, 3]) }), 'instanceNorm');
  const s = r(4, 3);
  const y = tensor([0, 2, 1, 2]);
  same(F.crossEntropy(s, y, null, null, -100, null, 'sum'), F.crossEntropy(s, y, { reduction: 'sum' }), 'crossEntropy');
  same(F.crossEntropy(s, y, tensor([1, 2, 3]), { labelSmoothing: 0.1 }), F.crossEntropy(s, y, { weight: tensor([1, 2, 3]), labelSmoothing: 0.1 }), 'crossEntropy, weight then options');
  same(F.nllLoss(s, y, null, null, 2), F.nllLoss(s, y, { ignoreIndex: 2 }), 'nllLoss');
  same(F.mseLoss(s, r(4, 3).neg(), null, null, 'sum'), F.mseLoss(s, r(4, 3).neg(), { reduction: 'sum' }), 'mseLoss');
  same(F.huberLoss(s, s.neg(), 'sum', 0.5), F.huberLoss(s, s.neg(), { reduction: 'sum', delta: 0.5 }), 'huberLoss');
  const p = r(8).sigmoid();
  const t = tensor([0, 1, 1, 0, 1, 0, 0, 1]);
  same(F.binaryCrossEntropyWithLogits(r(8), t, null, null, null, 'sum', tensor([2])), F.bceWithLogitsLoss(r(8), t, { reduction: 'sum', posWeight: tensor([2]) }), 'bceWithLogits');
  same(F.binaryCrossEntropy(p, t, null, null, null, 'none'), F.bceLoss(p, t, { reduction: 'none' }), 'bce');
});

test('the calls that read other arguments before now take PyTorch\'s (pools in 3-D ignored all but the kernel size)', () => {
  const x3 = r(1, 1, 4, 4, 4);
  assert.deepEqual(F.maxPool3d(x3, 3, 2, 1).shape, [1, 1, 2, 2, 2]);
  assert.deepEqual(F.avgPool3d(x3, 3, 2, 1, true, false, 3).shape, [1, 1, 3, 3, 3]);
});

test('a name given both ways, too many arguments and a wrong legacy flag are refused, naming the function and argument', () => {
  const x = r(1, 2, 5, 5);
  const w = r(3, 2, 3, 3);
  throwsWith(() => F.conv2d(x, w, null, 2, loose({ stride: 1 })), TypeError, 'conv2d: stride given twice: the number 2 by position and the number 1 in the options');
  throwsWith(() => F.conv2d(x, w, null, 1, 0, 1, 1, loose(7)), TypeError, 'conv2d: takes at most 7 arguments', 'got the number 7 as argument 8');
  throwsWith(() => F.maxPool2d(x, 3, 2, loose({ kernelSize: 2 })), TypeError, 'maxPool2d: kernelSize given twice');
  throwsWith(() => F.maxPool2d(x, 2, 2, 0, 1, false, false, loose(1)), TypeError, 'maxPool2d: takes at most 7 arguments');
  throwsWith(() => F.avgPool1d(r(1, 2, 6), 2, 2, 0, false, true, loose(2)), TypeError, 'avgPool1d: takes at most 6 arguments');
  throwsWith(() => F.interpolate(x, 4, loose({ size: 3 })), TypeError, 'interpolate: size given twice');
  // PyTorch 1.13's F.interpolate(x, None, 2, None) raises: mode's default is 'nearest', and None is not a mode.
  throwsWith(() => F.interpolate(x, null, 2, loose(null)), KindlingError, "interpolate: mode must be one of 'nearest'", 'got null');
  throwsWith(() => F.crossEntropy(r(4, 3), tensor([0, 2, 1, 2]), null, null, -100, null, 'sum', loose({ reduction: 'mean' })), TypeError, 'crossEntropyLoss: reduction given twice');
  throwsWith(() => F.crossEntropy(r(4, 3), tensor([0, 2, 1, 2]), loose({ size_average: false })), TypeError, 'crossEntropyLoss: unknown option "size_average" (did you mean sizeAverage?)');
  throwsWith(() => F.mseLoss(r(3), r(3), loose(1)), TypeError, "mseLoss: sizeAverage (PyTorch's legacy size_average) must be true, false or null, got the number 1");
  throwsWith(() => F.mseLoss(r(3), r(3), loose('sum')), TypeError, "mseLoss: sizeAverage (PyTorch's legacy size_average) must be true, false or null, got the string \"sum\"");
});

test("null is PyTorch's None: false for the max poolings' returnIndices, refused as gridSample's and pad's mode", () => {
  // PyTorch 1.13: F.max_pool2d(x, 2, return_indices=None) gives the values alone; F.grid_sample(x, g, None) and
  // F.pad(x, [1, 1], None) raise (None is no mode).
  const x = r(1, 2, 4, 4);
  same(F.maxPool2d(x, 2, null, 0, 1, false, loose(null)) as unknown as Tensor, F.maxPool2d(x, 2), 'maxPool2d returnIndices null by position');
  same(F.maxPool2d(x, 2, loose({ returnIndices: null })), F.maxPool2d(x, 2), 'maxPool2d returnIndices null');
  same(F.maxPool1d(r(1, 2, 6), 2, loose({ returnIndices: null })), F.maxPool1d(r(1, 2, 6), 2), 'maxPool1d returnIndices null');
  same(F.maxPool3d(r(1, 1, 4, 4, 4), 2, loose({ returnIndices: null })), F.maxPool3d(r(1, 1, 4, 4, 4), 2), 'maxPool3d returnIndices null');
  throwsWith(() => F.gridSample(x, zeros([1, 2, 2, 2]), loose(null)), KindlingError, "expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: 'null'");
  throwsWith(() => F.gridSample(x, zeros([1, 2, 2, 2]), loose({ paddingMode: null })), KindlingError, "expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'null'");
  throwsWith(() => F.pad(x, [1, 1], loose(null)), KindlingError, 'pad: Unrecognised padding mode null');
});

test("the legacy sizeAverage and reduce set the reduction as PyTorch's _Reduction.legacy_get_string, whatever reduction says", () => {
  const a = r(6);
  const b = r(6).neg();
  same(F.l1Loss(a, b, false), F.l1Loss(a, b, { reduction: 'sum' }), 'sizeAverage false: sum');
  same(F.l1Loss(a, b, null, false), F.l1Loss(a, b, { reduction: 'none' }), 'reduce false: none');
  same(F.l1Loss(a, b, true, true, 'none'), F.l1Loss(a, b), 'both true: mean, the reduction given ignored');
  same(F.l1Loss(a, b, { sizeAverage: false, reduce: true }), F.l1Loss(a, b, { reduction: 'sum' }), 'by name');
  same(F.l1Loss(a, b, null, null, 'sum'), F.l1Loss(a, b, { reduction: 'sum' }), 'both null: the reduction');
});

test('the other losses, the distances, the unpoolings, ctcLoss and embeddingBag by position and by name alike', () => {
  const a = r(6);
  const b = r(6).neg();
  const s = tensor([1, -1, 1, 1, -1, -1]);
  same(F.marginRankingLoss(a, b, s, 0.5, null, null, 'sum'), F.marginRankingLoss(a, b, s, { margin: 0.5, reduction: 'sum' }), 'marginRankingLoss');
  same(F.hingeEmbeddingLoss(a, s, 0.5, false), F.hingeEmbeddingLoss(a, s, { margin: 0.5, reduction: 'sum' }), 'hingeEmbeddingLoss, legacy sizeAverage');
  same(F.poissonNllLoss(a, b.abs(), true, false, null, 1e-8, null, 'sum'), F.poissonNllLoss(a, b.abs(), { reduction: 'sum' }), 'poissonNllLoss');
  same(F.gaussianNllLoss(a, b, a.abs().add(0.1), true, 1e-6, 'sum'), F.gaussianNllLoss(a, b, a.abs().add(0.1), { full: true, reduction: 'sum' }), 'gaussianNllLoss');
  const X = r(4, 3);
  same(F.tripletMarginLoss(X, X.flip([0]), X.flip([1]), 0.5, 1), F.tripletMarginLoss(X, X.flip([0]), X.flip([1]), { margin: 0.5, p: 1 }), 'tripletMarginLoss');
  same(F.multiMarginLoss(X, tensor([0, 2, 1, 2]), 1, 0.5, null, null, false), F.multiMarginLoss(X, tensor([0, 2, 1, 2]), { margin: 0.5, reduction: 'none' }), 'multiMarginLoss, legacy reduce');
  same(F.cosineSimilarity(X, X.flip([0]), 0), F.cosineSimilarity(X, X.flip([0]), { dim: 0 }), 'cosineSimilarity');
  same(F.pairwiseDistance(X, X.flip([0]), 1, 1e-6, true), F.pairwiseDistance(X, X.flip([0]), { p: 1, keepdim: true }), 'pairwiseDistance');
  const [v, i] = F.maxPool2d(r(1, 2, 5, 5), 2, 2, 0, 1, false, true);
  same(F.maxUnpool2d(v, i, 2, 2, 0, [5, 5]), F.maxUnpool2d(v, i, 2, { stride: 2, outputSize: [5, 5] }), 'maxUnpool2d');
  const [v3, i3] = F.maxPool2dWithIndices(r(1, 2, 5, 5), 3, 2, 1);
  const [v4, i4] = F.maxPool2d(r(1, 2, 5, 5), 3, { stride: 2, padding: 1, returnIndices: true });
  same(v3, v4, 'maxPool2dWithIndices values');
  same(i3, i4, 'maxPool2dWithIndices indices');
  same(F.lpPool2d(r(1, 2, 5, 5), 2, 3, 2, true), F.lpPool2d(r(1, 2, 5, 5), 2, 3, { stride: 2, ceilMode: true }), 'lpPool2d');
  same(F.upsample(r(1, 2, 3, 3), null, 2), F.interpolate(r(1, 2, 3, 3), { scaleFactor: 2 }), 'upsample');
  const lp = r(5, 2, 3).logSoftmax(2);
  same(F.ctcLoss(lp, tensor([[1, 2], [2, 1]]), [5, 5], [2, 2], 0, 'sum'), F.ctcLoss(lp, tensor([[1, 2], [2, 1]]), [5, 5], [2, 2], { reduction: 'sum' }), 'ctcLoss');
  same(F.embeddingBag(tensor([0, 2, 1, 3]), r(4, 3), tensor([0, 2]), null, 2, false, 'max'), F.embeddingBag(tensor([0, 2, 1, 3]), r(4, 3), { offsets: tensor([0, 2]), mode: 'max' }), 'embeddingBag');
  throwsWith(() => F.maxPool2dWithIndices(r(1, 2, 5, 5), 3, 2, loose({ returnIndices: true })), TypeError, 'always return [values, indices]');
  throwsWith(() => F.lpPool2d(r(1, 2, 5, 5), 2, 3, 2, loose({ stride: 1 })), TypeError, 'lpPool2d: stride given twice');
  throwsWith(() => F.lpPool1d(r(1, 2, 6), 2, 3, loose({ strides: 1 })), TypeError, 'lpPool1d: unknown option "strides" (did you mean stride?)');
});

test('F.maxPool*dWithIndices and F.lpPool1d/2d read what follows the kernel size as PyTorch does (they dropped it before)', () => {
  assert.deepEqual(F.maxPool2dWithIndices(r(1, 1, 5, 5), 3, 2, 1)[0].shape, [1, 1, 3, 3]);
  assert.deepEqual(F.lpPool2d(r(1, 1, 5, 5).abs(), 2, 3, 2, true).shape, [1, 1, 2, 2]);
  assert.deepEqual(F.lpPool1d(r(1, 1, 6).abs(), 2, 3, 1).shape, [1, 1, 4]);
});

test("F.softmax and F.logSoftmax take the dim as PyTorch's keyword too, F.softmax(x, { dim: 1 }); null is None", () => {
  const X = r(4, 3);
  same(F.softmax(X, { dim: 0 }), F.softmax(X, 0), 'softmax');
  same(F.logSoftmax(X, { dim: 0 }), F.logSoftmax(X, 0), 'logSoftmax');
  same(F.softmax(X, { dim: null }), F.softmax(X, 1), 'dim null: the implicit dim, 1 for 2-D');
  throwsWith(() => F.softmax(X, loose({ axis: 1 })), TypeError, 'softmax: unknown option "axis"; the options are dim');
});

test("F.layerNorm and F.localResponseNorm take PyTorch's keywords as options, after the shape or size or after any positional argument", () => {
  const close = (t: Tensor, want: number[], label: string): void => want.forEach((w, i) => assert.ok(Math.abs(t.toArray()[i]! - w) < 2e-6, `${label}: ${t.toArray()[i]} against ${w}`));
  const x = r(2, 3);
  // PyTorch 1.13: F.layer_norm(x, [3], weight=torch.tensor([2., 3, 4]), eps=0.5), x = arange(6).div(7).sin().reshape(2, 3).
  const ln = [-0.39476099610328674, 0.004048793576657772, 0.7841235399246216, -0.34066322445869446, 0.015435773879289627, 0.6607453227043152];
  close(F.layerNorm(x, [3], { weight: tensor([2, 3, 4]), eps: 0.5 }), ln, 'layerNorm options');
  same(F.layerNorm(x, [3], tensor([2, 3, 4]), { eps: 0.5 }), F.layerNorm(x, [3], tensor([2, 3, 4]), null, 0.5), 'layerNorm weight, then options');
  // F.layer_norm(x, [3], None, torch.tensor([1., 0, -1]), eps=0.5).
  close(F.layerNorm(x, [3], null, tensor([1, 0, -1]), { eps: 0.5 }), [0.8026195168495178, 0.0013495979364961386, -0.803969144821167, 0.829668402671814, 0.00514525780454278, -0.83481365442276], 'layerNorm bias');
  // F.local_response_norm(x3, 3, alpha=0.5, k=2.0) and (x3, 3, beta=2.0), x3 = arange(8).div(7).sin().reshape(1, 4, 2).
  const x3 = r(1, 4, 2);
  close(F.localResponseNorm(x3, 3, { alpha: 0.5, k: 2 }), [0, 0.08364790678024292, 0.16379180550575256, 0.23790903389453888, 0.303836852312088, 0.36039212346076965, 0.4266670048236847, 0.46749335527420044], 'localResponseNorm alpha, k');
  close(F.localResponseNorm(x3, 3, { beta: 2 }), [0, 0.14236989617347717, 0.2818358838558197, 0.41555464267730713, 0.5408002138137817, 0.6550207734107971, 0.7559317350387573, 0.8414071798324585], 'localResponseNorm beta');
  same(F.localResponseNorm(x3, 3, 0.5, { k: 2 }), F.localResponseNorm(x3, 3, 0.5, 0.75, 2), 'localResponseNorm alpha, then options');
  assert.throws(() => F.layerNorm(x, [3], null, null, 0.5, { eps: 0.1 }), /layerNorm: eps given twice/);
  assert.throws(() => F.localResponseNorm(x3, 3, { size: 2 } as never), /localResponseNorm: unknown option "size"/);
});
