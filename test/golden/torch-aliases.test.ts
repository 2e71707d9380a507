// The torch.* forms of functional ops (torch.conv2d, torch.batch_norm, torch.embedding, the losses with the integer
// reduction enum, …) called with PyTorch's own positional arguments, against PyTorch 1.13
// (fixtures/torch/torch-aliases.json, from make_torch_aliases.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as K from '../../src/index.js';
import { assertTensorClose, decode, loadFixture, type EncodedTensor } from './golden-helpers.js';

const fx = loadFixture<{ inputs: Record<string, EncodedTensor>; outputs: Record<string, EncodedTensor> }>('torch-aliases.json');
const t = (name: string): K.Tensor => decode(fx.inputs[name]!);
const TOL = { rtol: 1e-5, atol: 1e-6 };

const cases: Record<string, () => K.Tensor> = {
  conv1d: () => K.conv1d(t('x1'), t('w1'), t('b4'), 2, 1, 1, 1),
  conv2d: () => K.conv2d(t('x2'), t('w2'), t('b4'), [1, 2], [1, 0], 1, 1),
  conv3d: () => K.conv3d(t('x3'), t('w3'), null, 1, 1, [1, 2, 1], 1),
  convTranspose2d: () => K.convTranspose2d(t('x2'), t('wt2'), null, 2, 1, 1, 1, 1),
  maxPool1d: () => K.maxPool1d(t('x1'), 3, 2, 1, 1, true),
  maxPool2d: () => K.maxPool2d(t('x2'), [2, 2]),
  maxPool3d: () => K.maxPool3d(t('x3'), 2, 1, 0, 1, false),
  avgPool1d: () => K.avgPool1d(t('x1'), 3, 2, 1, true, false),
  adaptiveAvgPool1d: () => K.adaptiveAvgPool1d(t('x1'), 4),
  adaptiveMaxPool1d: () => K.adaptiveMaxPool1d(t('x1'), 4)[0],
  adaptiveMaxPool1dIndices: () => K.adaptiveMaxPool1d(t('x1'), 4)[1],
  batchNorm: () => K.batchNorm(t('x2'), t('c3'), null, t('rm'), t('rv'), false, 0.1, 1e-5, false),
  batchNormTraining: () => K.batchNorm(t('x2'), null, t('c3'), null, null, true, 0.1, 1e-3, false),
  layerNorm: () => K.layerNorm(t('x2'), [6, 5], null, null, 1e-5, false),
  groupNorm: () => K.groupNorm(t('x1'), 3, t('c3'), t('c3'), 1e-5, false),
  instanceNorm: () => K.instanceNorm(t('x2'), t('c3'), null, null, null, true, 0.1, 1e-5, false),
  embedding: () => K.embedding(t('emb'), t('idx')),
  bilinear: () => K.bilinear(t('lin1'), t('lin2'), t('bw'), t('bb')),
  pixelShuffle: () => K.pixelShuffle(t('ps'), 2),
  pixelUnshuffle: () => K.pixelUnshuffle(t('ps').reshape(1, 1, 4, 6), 2),
  channelShuffle: () => K.channelShuffle(t('cs'), 2),
  pdist: () => K.pdist(t('a'), 3),
  cosineSimilarity: () => K.cosineSimilarity(t('a'), t('b'), 0, 1e-8),
  pairwiseDistance: () => K.pairwiseDistance(t('a'), t('b'), 1, 1e-6, true),
  hardshrink: () => K.hardshrink(t('a'), 0.3),
  rrelu: () => K.rrelu(t('a')),
  selu: () => K.selu(t('a')),
  celu: () => K.celu(t('a'), 0.7),
  prelu: () => K.prelu(t('x1'), t('prw')),
  threshold: () => K.threshold(t('a'), 0.1, -2),
  bceWithLogits: () => K.binaryCrossEntropyWithLogits(t('a'), t('probs'), null, t('b').select(0, 0).abs(), 2),
  klDiv: () => K.klDiv(t('logq'), t('probs'), 1, false),
  marginRankingLoss: () => K.marginRankingLoss(t('a').select(1, 0), t('b').select(1, 0), t('sign'), 0.2, 0),
  poissonNllLoss: () => K.poissonNllLoss(t('a'), t('counts'), true, true, 1e-8, 1),
  tripletMarginLoss: () => K.tripletMarginLoss(t('a'), t('b'), t('c'), 0.5, 1, 1e-6, true, 2),
  hingeEmbeddingLoss: () => K.hingeEmbeddingLoss(t('a').select(1, 0), t('sign'), 0.5, 1),
  cosineEmbeddingLoss: () => K.cosineEmbeddingLoss(t('a'), t('b'), t('sign'), 0.1, 0),
  ctcLoss: () => K.ctcLoss(t('lp'), t('targets'), [6, 5], [3, 2], 0, 1, false),
  // Left out, the reduction is 0 (none) in PyTorch 1.13's torch.* losses, not F's 'mean'.
  bceWithLogitsDefault: () => K.binaryCrossEntropyWithLogits(t('a'), t('probs')),
  klDivDefault: () => K.klDiv(t('logq'), t('probs')),
  marginRankingLossDefault: () => K.marginRankingLoss(t('a').select(1, 0), t('b').select(1, 0), t('sign')),
  tripletMarginLossDefault: () => K.tripletMarginLoss(t('a'), t('b'), t('c')),
  hingeEmbeddingLossDefault: () => K.hingeEmbeddingLoss(t('a').select(1, 0), t('sign')),
  cosineEmbeddingLossDefault: () => K.cosineEmbeddingLoss(t('a'), t('b'), t('sign')),
  ctcLossDefault: () => K.ctcLoss(t('lp'), t('targets'), [6, 5], [3, 2]),
};

for (const [name, run] of Object.entries(cases)) {
  test(`torch.${name} with PyTorch's positional arguments gives PyTorch's values`, () => {
    assertTensorClose(run(), fx.outputs[name]!, name, TOL);
  });
}

test('torch.dropout(input, p, train) and torch.alpha_dropout draw PyTorch\'s masks after the same seed; train false is the identity', () => {
  K.manualSeed(3);
  assertTensorClose(K.dropout(t('a'), 0.4, true), fx.outputs.dropout!, 'dropout', TOL);
  assertTensorClose(K.dropout(t('a'), 0.4, false), fx.outputs.dropoutEval!, 'dropout, train false', { rtol: 0, atol: 0 });
  K.manualSeed(3);
  assertTensorClose(K.alphaDropout(t('a'), 0.4, true), fx.outputs.alphaDropout!, 'alpha dropout', TOL);
});

test('the reduction enum: 0, 1, 2 or the name; anything else is refused', () => {
  const a = t('a').select(1, 0);
  const b = t('b').select(1, 0);
  const s = t('sign');
  assert.deepEqual([...K.marginRankingLoss(a, b, s, 0.2, 'none').toArray()], [...K.marginRankingLoss(a, b, s, 0.2, 0).toArray()]);
  assert.equal(K.marginRankingLoss(a, b, s, 0.2, 2).item(), K.marginRankingLoss(a, b, s, 0.2, 'sum').item());
  assert.throws(() => K.marginRankingLoss(a, b, s, 0.2, 3 as never), /margin_ranking_loss: reduction must be 0 \(none\), 1 \(mean\) or 2 \(sum\).*got the number 3/);
});
