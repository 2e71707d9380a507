// The gradient's graph (createGraph) op by op: for every op with a differentiable backward (autograd/twice.ts), its
// first derivative with createGraph equals the plain backward's (so a formula written with ops computes the same
// gradient as the fused kernel), and its second derivatives pass gradgradcheck (finite differences of that gradient).
// Then the refusals: an op without one, bad options, and the functional tools' argument checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addcdiv, addcmul, addmm, addmv, atan2, autograd, baddbmm, bernoulli, cat, cdist, clampMax, clampMin, copysign, F,
  fmax, fmin, fmod, Generator, hypot, lerp, linalg, logaddexp, logaddexp2, maximum, minimum, nn, noGrad, normal,
  pdist, poisson, pow, remainder, scatterReduce, special, stack, tensor, where, xlogy, type Tensor,
} from '../../src/index.js';
import { weightNorm } from '../../src/ops/weight-norm.js';
import { FAMILIES } from './second-order-families.js';

const X = [[0.3, -0.7, 1.1], [0.6, -0.2, 0.4]];
const POSITIVE = [[0.3, 0.7, 0.9], [0.6, 1.2, 0.4]];
const W = [[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]];
/** The gradient of the outputs, away from round numbers so that no term cancels by chance. */
const seedFor = (y: Tensor): Tensor => tensor(Float32Array.from({ length: y.numel() }, (_, i) => 0.7 - 0.37 * i + 0.05 * i * i), y.shape);

type Case = { fn: (...xs: Tensor[]) => Tensor; inputs?: number[][][] };
/** A layer with a full backward hook (which changes nothing): its gradients pass through the hook's node. */
const HOOKED = (() => {
  const layer = new nn.Linear(3, 2);
  noGrad(() => {
    layer.weight.copy_(tensor([[0.4, -0.2, 0.7], [0.1, 0.5, -0.3]]));
    layer.bias!.copy_(tensor([0.2, -0.1]));
  });
  layer.registerFullBackwardHook(() => undefined);
  return layer;
})();
const CASES: Record<string, Case> = {
  'add, sub, mul, div with broadcasting': { fn: (a) => a.mul(a.add(2)).div(a.mul(a).add(1)).sub(a.sum(0)) },
  'neg, exp, log, sqrt, abs': { fn: (a) => a.neg().exp().add(a.abs().add(0.5).log()).add(a.mul(a).add(1).sqrt()) },
  'sigmoid, tanh, relu, leakyRelu': { fn: (a) => a.sigmoid().add(a.tanh()).add(a.relu().mul(a)).add(F.leakyRelu(a, 0.1).mul(a)) },
  'softplus, gelu, gelu tanh, silu, elu, mish, logsigmoid': {
    fn: (a) => F.softplus(a).add(F.gelu(a)).add(F.gelu(a, 'tanh')).add(F.silu(a)).add(F.elu(a, 0.8)).add(F.mish(a)).add(F.logsigmoid(a)).mul(a),
  },
  'softplus past its threshold': { fn: (a) => F.softplus(a.mul(30), 2, 20).mul(a) },
  'hardtanh, relu6, hardshrink, softshrink, threshold': {
    fn: (a) => F.hardtanh(a, -0.5, 0.5).add(F.relu6(a.mul(9))).add(F.hardshrink(a, 0.25)).add(F.softshrink(a, 0.25)).add(F.threshold(a, 0.1, 2)).mul(a),
  },
  'sin, cos, pow': { fn: (a) => a.sin().mul(a.cos()).add(a.pow(3)).add(a.pow(-1)) },
  'tan, atan, sinh, cosh, asinh, log1p, expm1, erf, erfc': {
    fn: (a) => a.tan().add(a.atan()).add(a.sinh()).add(a.cosh()).add(a.asinh()).add(a.log1p()).add(a.expm1()).add(a.erf()).add(a.erfc()).mul(a),
  },
  'log2, log10, exp2, reciprocal, rsqrt, deg2rad': { fn: (a) => a.log2().add(a.log10()).add(a.exp2()).add(a.reciprocal()).add(a.rsqrt()).add(a.deg2rad()).mul(a), inputs: [POSITIVE] },
  'sum, mean, var, std, logsumexp, norm': {
    fn: (a) => a.mul(a).sum(1).add(a.pow(2).mean()).add(a.var(1)).add(a.std()).add(a.logsumexp(1)).add(a.norm(2, 1)).add(a.norm(3)),
  },
  'views: transpose, reshape, view, expand, select, narrow, squeeze, unsqueeze, flip, roll, tril': {
    fn: (a) => a.t().reshape([3, 2]).mul(a.view([3, 2])).unsqueeze(0).expand(2, 3, 2).select(0, 1).narrow(0, 1, 2).squeeze()
      .mul(a.flip([1]).roll(1, 1).narrow(1, 0, 2)).add(a.narrow(1, 0, 2).tril()),
  },
  'cat, where, clamp, gather, indexSelect, cumsum': {
    fn: (a) => cat([a.mul(a), a.exp()], 1).sum(0).add(where(a.gt(0), a.mul(a), a.exp()).add(a.clamp(-0.5, 0.5).mul(a)).sum(0).repeat(2))
      .add(a.gather(1, tensor([[2, 0, 1], [1, 1, 0]])).cumsum(1).mul(a).sum(0).repeat(2)).add(a.indexSelect(1, tensor([2, 0])).mul(a.narrow(1, 0, 2)).sum(0).repeat(3)),
  },
  'max, min (all, along a dim), maximum, minimum': {
    fn: (a) => a.max().mul(a).add(a.min(0).values.mul(a.max(1, true).values)).add(maximum(a, tensor([0.1, 0.2, 0.3])).mul(a)).add(minimum(a, a.flip([0])).mul(a)),
  },
  'pow with a tensor exponent, sign, round, floor': {
    fn: (a) => a.abs().add(0.1).pow(tensor([2.5, 1.5, 0.5])).add(pow(1.7, a)).add(a.sign().mul(a)).add(a.round()).add(a.floor()),
  },
  'pad (constant, reflect, replicate)': {
    fn: (a) => F.pad(a, [1, 2], { value: 3 }).mul(F.pad(a.unsqueeze(0), [2, 1], { mode: 'reflect' }).squeeze(0))
      .add(F.pad(a.unsqueeze(0), [1, 2], { mode: 'replicate' }).squeeze(0).pow(2)),
  },
  'addmm, addmv, baddbmm': {
    fn: (a, w) => addmm(a.narrow(1, 0, 2), a, w, { beta: 0.5, alpha: 2 }).tanh().add(addmv(a.select(1, 0), a, w.select(1, 1)).unsqueeze(1))
      .add(baddbmm(a.matmul(w).unsqueeze(0), a.unsqueeze(0), w.unsqueeze(0), { alpha: 0.3 }).squeeze(0).pow(2)),
    inputs: [X, W],
  },
  'klDiv (probabilities and log-probabilities as targets, either differentiated)': {
    fn: (a, w) => F.klDiv(a.logSoftmax(1), w.t().softmax(1), { reduction: 'batchmean' })
      .add(F.klDiv(a.mul(0.5).logSoftmax(1), w.t().logSoftmax(1), { reduction: 'sum', logTarget: true })),
    inputs: [X, W],
  },
  'smoothL1Loss, huberLoss': {
    fn: (a) => F.smoothL1Loss(a, tensor([[0, 0, 0.5], [0, 0, 0]]), { beta: 0.5 }).add(F.huberLoss(a.mul(1.9), tensor([[0, 1, 0], [0, 0, 0]]), { delta: 0.8, reduction: 'sum' }))
      .add(F.smoothL1Loss(a, tensor([[0.1, 0, 0], [0, 0, 0]]), { reduction: 'none' }).mul(a).sum()),
  },
  'conv2d (padding, stride, dilation, \'same\', a bias), conv1d, unfold and fold': {
    fn: (a, w) => {
      const img = a.reshape([1, 1, 2, 3]).expand(2, 2, 2, 3).mul(tensor([1, -0.5]).reshape([1, 2, 1, 1])).add(tensor([0, 0.2]).reshape([2, 1, 1, 1]));
      const k = w.reshape([3, 2, 1, 1]).mul(w.narrow(0, 0, 2).reshape([1, 1, 2, 2]).sum([3], true).sum([2], true).add(1));
      const kernels = cat([k, k.flip([0]).mul(0.5)], 2);
      return F.conv2d(img, kernels, w.select(1, 0), { padding: 1 }).tanh().sum([2, 3])
        .add(F.conv2d(img, kernels, null, { stride: 2, padding: [1, 0] }).pow(2).sum([2, 3]))
        .add(F.conv2d(img.select(0, 1), kernels.narrow(2, 0, 1), null, { padding: 'same', dilation: 1 }).exp().sum([1, 2]).unsqueeze(0))
        .add(F.fold(F.unfold(img, [2, 2]).mul(0.5).sin(), [2, 3], [2, 2]).sum([2, 3]).narrow(1, 0, 1))
        .add(F.conv1d(a.unsqueeze(0), w.t().unsqueeze(0), null, { padding: 1 }).pow(2).sum())
        .add(F.conv1d(a, w.narrow(0, 0, 2).unsqueeze(0), w.select(1, 0).narrow(0, 0, 1), { dilation: 2 }).tanh().sum());
    },
    inputs: [X, W],
  },
  'grouped conv2d and depthwise conv1d': {
    fn: (a, w) => {
      const img = a.reshape([1, 1, 2, 3]).expand(1, 2, 2, 3).mul(tensor([1, -0.5]).reshape([1, 2, 1, 1]));
      return F.conv2d(img, w.narrow(0, 0, 2).reshape([2, 1, 1, 2]), w.select(1, 1).narrow(0, 1, 2), { groups: 2 }).tanh().sum()
        .add(F.conv1d(a.unsqueeze(0), w.narrow(0, 1, 2).reshape([2, 1, 2]), null, { groups: 2, padding: 1 }).pow(2).sum());
    },
    inputs: [X, W],
  },
  'convTranspose2d (stride, padding, outputPadding, groups, dilation) and convTranspose1d': {
    fn: (a, w) => {
      const img = a.reshape([1, 2, 3, 1]).expand(1, 2, 3, 2).mul(tensor([1, -0.5]));
      const k = w.reshape([2, 3, 1, 1]).mul(w.narrow(0, 0, 2).reshape([1, 1, 2, 2]).add(0.5));
      return F.convTranspose2d(img, k, w.select(1, 0), { stride: 2, padding: 1, outputPadding: 1 }).tanh().sum()
        .add(F.convTranspose2d(img, k.narrow(1, 0, 1), null, { groups: 2, dilation: 2 }).pow(2).sum())
        .add(F.convTranspose1d(a.unsqueeze(0), w.t().unsqueeze(1), null, { stride: 2 }).sin().sum());
    },
    inputs: [X, W],
  },
  'batchNorm in training and in evaluation, groupNorm': {
    fn: (a, w) => F.batchNorm(a.reshape([2, 3, 1]).expand(2, 3, 2).mul(tensor([1, 0.3])), null, null, { weight: w.select(1, 0), bias: w.select(1, 1), training: true }).pow(2)
      .add(F.batchNorm(a.reshape([2, 3, 1]), tensor([0.1, -0.2, 0.3]), tensor([0.5, 1.5, 0.8]), { weight: w.select(1, 1), training: false }).tanh())
      .add(F.groupNorm(a.reshape([1, 6, 1]).expand(1, 6, 2).mul(tensor([1, 0.4])), 3, w.reshape([6]), w.t().reshape([6])).reshape([2, 3, 2]).sin()),
    inputs: [X, W],
  },
  'dropout (one mask), maxPool2d, avgPool2d, adaptiveAvgPool2d, interpolate': {
    fn: (a) => {
      const img = a.reshape([1, 1, 2, 3]);
      const dropped = F.dropout(a, { p: 0.4, training: true, generator: new Generator().manualSeed(5) });
      return F.maxPool2d(img, [1, 2], { stride: 1 }).reshape([4]).add(F.avgPool2d(img.pow(2), [2, 2], { stride: 1 }).reshape([2]).repeat(2))
        .add(F.adaptiveAvgPool2d(img.exp(), [1, 2]).reshape([2]).repeat(2)).add(dropped.mul(a).reshape([6]).narrow(0, 0, 4))
        .add(F.interpolate(img.tanh(), { scaleFactor: 2, mode: 'bilinear' }).sum([0, 1, 2]).narrow(0, 0, 4));
    },
  },
  'embedding, advanced indexing': {
    fn: (a, w) => F.embedding(tensor([[0, 2], [1, 2]]), w).pow(2).sum(2).add(a.index([tensor([1, 0]), tensor([2, 2])]).mul(a.select(1, 0))),
    inputs: [X, W],
  },
  'matmul (2-D, 1-D, batched) and linear': {
    fn: (a, w) => a.matmul(w).tanh().matmul(w.t()).add(a.matmul(w.select(1, 0)).unsqueeze(1))
      .add(a.unsqueeze(0).expand(2, 2, 3).matmul(w).sum(2, true).sum(0)).add(F.linear(a, w.t(), w.select(0, 2)).sigmoid().sum(1, true)),
    inputs: [X, W],
  },
  'softmax, logSoftmax, crossEntropy, nllLoss': {
    fn: (a, w) => a.softmax(1).add(a.logSoftmax(0)).sum().add(F.crossEntropy(a.matmul(w), tensor([1, 0]))).add(F.nllLoss(a.logSoftmax(1), tensor([2, 0]))),
    inputs: [X, W],
  },
  'mseLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, layerNorm': {
    fn: (a, w) => F.mseLoss(a.matmul(w), tensor([[0.1, 0.2], [0.3, 0.4]])).add(F.binaryCrossEntropy(a.sigmoid(), tensor([[1, 0, 1], [0, 1, 0]])))
      .add(F.binaryCrossEntropyWithLogits(a.mul(2), tensor([[0, 1, 1], [1, 0, 0]]), { reduction: 'sum' }))
      .add(F.layerNorm(a, [3], w.select(1, 0), w.select(1, 1)).pow(2).sum()),
    inputs: [X, W],
  },
  'atan2, hypot, logaddexp, logaddexp2, fmod, remainder, xlogy, xlog1py': {
    fn: (a, w) => atan2(a, w.t().add(0.1)).add(hypot(a, w.t())).add(logaddexp(a, w.t())).add(logaddexp2(a, w.t().mul(2))).mul(a)
      .add(fmod(a.mul(3), w.t().add(2)).mul(a)).add(remainder(a.mul(3), 0.75).mul(a)).add(xlogy(a, w.t().abs().add(0.2)))
      .add(special.xlog1py(a.mul(w.t()), w.t().abs())),
    inputs: [X, W],
  },
  'fmax, fmin, clampMin, clampMax, copysign': {
    fn: (a, w) => fmax(a, w.t()).mul(a).add(fmin(a, w.t()).mul(w.t())).add(clampMin(a, 0).mul(a)).add(clampMax(a, w.t()).pow(2)).add(copysign(a, w.t()).mul(a)),
    inputs: [X, W],
  },
  'lerp, addcmul, addcdiv, clamp with tensor bounds': {
    fn: (a, w) => lerp(a, w.t(), 0.3).mul(a).add(lerp(a, w.t(), a.sigmoid()).pow(2)).add(addcmul(a, a, w.t(), 0.5).pow(2))
      .add(addcdiv(a, a.mul(w.t()), w.t().abs().add(1), { value: 2 }).pow(2)).add(a.clamp(w.t().sub(0.5), w.t().add(0.5)).mul(a)),
    inputs: [X, W],
  },
  'maxPool1d, avgPool1d, adaptive 1-D pools, adaptiveMaxPool2d, maxPool3d, avgPool3d, adaptiveAvgPool3d': {
    fn: (a) => {
      const seq = a.exp().unsqueeze(0);
      const vol = a.mul(a.exp()).reshape([1, 1, 1, 2, 3]);
      return F.maxPool1d(seq, 2, 1).pow(2).sum().add(F.avgPool1d(seq, 2, 1, { padding: 1 }).pow(2).sum())
        .add(F.adaptiveMaxPool1d(seq, 2).pow(2).sum()).add(F.adaptiveAvgPool1d(seq, 2).pow(2).sum())
        .add(F.adaptiveMaxPool2d(seq, [1, 2]).pow(2).sum()).add((F.maxPool3d(vol, [1, 2, 2], { stride: 1 }) as Tensor).pow(2).sum())
        .add(F.avgPool3d(vol, [1, 1, 2], { stride: 1 }).pow(2).sum()).add(F.adaptiveAvgPool3d(vol, [1, 1, 2]).pow(2).sum());
    },
  },
  'conv3d (padding, stride, dilation, groups, a bias, one unbatched sample), convTranspose3d': {
    fn: (a, w) => {
      const vol = a.reshape([1, 1, 1, 2, 3]);
      const k = w.t().reshape([1, 1, 1, 2, 3]);
      const two = cat([vol, vol.exp().mul(0.5)], 1);
      return F.conv3d(vol, k, null, { padding: 1 }).tanh().sum()
        .add(F.conv3d(two, cat([k, k.flip([4])], 0), w.select(1, 0).narrow(0, 0, 2), { groups: 2, stride: [1, 1, 2], padding: [0, 1, 1] }).pow(2).sum())
        .add(F.conv3d(two, k.narrow(4, 0, 2).expand(3, 2, 1, 2, 2), null, { dilation: [1, 1, 2], padding: 1 }).pow(2).sum())
        .add(F.conv3d(vol.squeeze(0), k, null, { padding: [0, 1, 1] }).exp().sum())
        .add(F.convTranspose3d(two, cat([k, k.flip([3])], 0).narrow(4, 0, 2), w.select(1, 1).narrow(0, 0, 1), { stride: [1, 2, 1], padding: [0, 1, 0] }).tanh().pow(2).sum())
        .add(F.convTranspose3d(two, cat([k, k.mul(0.5)], 0), null, { groups: 2, outputPadding: [0, 1, 0], stride: [1, 2, 1] }).pow(2).sum());
    },
    inputs: [X, W],
  },
  'glu, prelu, celu, selu, hardsigmoid, hardswish, rrelu': {
    fn: (a, w) => F.glu(cat([a, a.exp()], 1), 1).add(F.prelu(a, w.select(1, 0)).mul(a)).add(F.celu(a, 0.7).mul(a)).add(F.selu(a).mul(a))
      .add(F.hardsigmoid(a.mul(4)).mul(a)).add(F.hardswish(a.mul(4)).mul(a)).add(F.rrelu(a).mul(a)),
    inputs: [X, W],
  },
  'softMarginLoss, multiMarginLoss (p 1 and 2, a weight), multilabelMarginLoss, localResponseNorm': {
    fn: (a, w) => F.softMarginLoss(a.mul(w.t()), tensor([[1, -1, 1], [-1, 1, 1]]))
      .add(F.multiMarginLoss(a, tensor([0, 2]), { p: 2, margin: 0.8, weight: tensor([1, 0.5, 2]) }))
      .add(F.multiMarginLoss(a.mul(w.t()), tensor([1, 0]), { reduction: 'sum' })).add(F.multilabelMarginLoss(a.mul(a), tensor([[0, 2, -1], [1, -1, 0]])))
      .add(F.localResponseNorm(a.reshape([1, 2, 3]), 2, 0.5, 0.75, 1).pow(2).sum()),
    inputs: [X, W],
  },
  'prod, cumprod, logcumsumexp, cummax, median, kthvalue, renorm': {
    fn: (a) => a.prod().add(a.prod(1).sum()).add(a.cumprod(1).pow(2).sum()).add(a.logcumsumexp(1).pow(2).sum()).add(a.cummax(1).values.mul(a).sum())
      .add(a.median(1).values.pow(2).sum()).add(a.median().mul(a).sum()).add(a.kthvalue(2, 1).values.pow(2).sum()).add(a.renorm(2, 0, 1).pow(3).sum()),
  },
  'trace, diag, diagEmbed, scatter, scatterAdd, indexAdd, pixelShuffle': {
    fn: (a, w) => a.matmul(w).trace().mul(a).sum().add(a.narrow(1, 0, 2).diag().pow(2).sum()).add(a.select(0, 0).diagEmbed().matmul(w).pow(2).sum())
      .add(a.scatter(1, tensor([[1], [0]]), w.t().narrow(1, 0, 1).mul(2)).pow(2).sum()).add(a.scatterAdd(1, tensor([[1], [1]]), w.t().narrow(1, 0, 1)).pow(2).sum())
      .add(a.indexAdd(1, tensor([0, 2]), w.t().narrow(1, 0, 2)).pow(2).sum()).add(F.pixelShuffle(cat([a, a.exp()], 0).reshape([1, 4, 1, 3]), 2).pow(2).sum()),
    inputs: [X, W],
  },
  'linalg.inv, det, slogdet, solve, cross, cdist': {
    fn: (a, w) => {
      const m = a.matmul(w).add(tensor([[2, 0], [0, 2]]));
      return linalg.inv(m).pow(2).sum().add(linalg.det(m).pow(2)).add(linalg.slogdet(m)[1]!.mul(3)).add(linalg.solve(m, a.narrow(1, 0, 2)).pow(2).sum())
        .add(linalg.cross(a, w.t()).pow(2).sum()).add(cdist(a, w.t().add(0.3)).pow(2).sum()).add(cdist(a, w.t(), 1).mul(a.narrow(1, 0, 2)).sum());
    },
    inputs: [X, W],
  },
  'nansum, nanmean, pdist, linalg.solveTriangular (both sides), linalg.cholesky (lower and upper)': {
    fn: (a, w) => {
      const spd = a.matmul(a.t()).add(tensor([[1, 0], [0, 1]]));
      const lower = a.matmul(w).tril().add(tensor([[2, 0], [0, 2]]));
      return a.nansum().mul(a).sum().add(a.nanmean(1).pow(2).sum()).add(pdist(a.t()).pow(2).sum())
        .add(linalg.solveTriangular(lower, a.narrow(1, 0, 2), { upper: false }).pow(2).sum())
        .add(linalg.solveTriangular(lower.t(), a.narrow(1, 1, 2), { upper: true, left: false }).pow(2).sum())
        .add(linalg.cholesky(spd).pow(2).sum()).add(linalg.cholesky(spd, { upper: true }).mul(w.narrow(0, 0, 2)).sum());
    },
    inputs: [X, W],
  },
  // (scaleGradByFreq's gradient is not the forward's derivative, so it cannot pass gradgradcheck; it is checked against
  // PyTorch in test/golden/second-order-more.test.ts.)
  'embedding with paddingIdx, embeddingBag (sum with per-sample weights, mean, max), fractionalMaxPool2d': {
    fn: (a, w) => {
      const table = cat([a.t(), w.mul(a.narrow(0, 0, 1).t())], 1);
      const plane = a.matmul(w).reshape([1, 1, 2, 2]).expand(1, 2, 2, 2).mul(tensor([1, -0.7]).reshape([1, 2, 1, 1])).add(a.sum());
      return F.embedding(tensor([0, 2, 2, 1]), table, { paddingIdx: 1 }).pow(2).sum()
        .add(F.embeddingBag(tensor([0, 2, 1, 2]), table, { offsets: tensor([0, 1]), mode: 'sum', perSampleWeights: a.select(0, 0).add(a.select(0, 1)).narrow(0, 0, 1).expand(4).mul(tensor([1, 0.5, -1, 2])) }).pow(2).sum())
        .add(F.embeddingBag(tensor([[0, 2], [1, 1]]), table, { mode: 'mean' }).pow(2).sum()).add(F.embeddingBag(tensor([[0, 2], [1, 2]]), table, { mode: 'max' }).pow(2).sum())
        .add((F.fractionalMaxPool2d(plane.exp(), 1, { outputSize: [1, 2], randomSamples: tensor([[[0.3, 0.7], [0.1, 0.9]]]) }) as Tensor).pow(2).sum());
    },
    inputs: [X, W],
  },
  'linalg.eigh (eigenvalues, and eigenvectors up to sign), eigvalsh': {
    fn: (a, w) => {
      const sym = a.t().matmul(a).add(w.matmul(w.t()).mul(0.5)).add(tensor([[0, 0, 0], [0, 1, 0], [0, 0, 2.5]]));
      const [values, vectors] = linalg.eigh(sym);
      return values!.pow(2).sum().add(vectors!.pow(2).mul(tensor([[1, 2, 3], [0.5, -1, 2], [1.5, 0.3, -0.7]])).sum()).add(linalg.eigvalsh(sym).exp().sum());
    },
    inputs: [X, W],
  },
  'linalg.pinv (wide and tall), matrixExp': {
    fn: (a, w) => linalg.pinv(a).pow(2).sum().add(linalg.pinv(w).mul(a).sum()).add(linalg.matrixExp(a.matmul(w).mul(0.5)).pow(2).sum()),
    inputs: [X, W],
  },
  'linalg.qr (wide, tall, square)': {
    fn: (a, w) => {
      const [q1, r1] = linalg.qr(a);
      const [q2, r2] = linalg.qr(w);
      const [q3, r3] = linalg.qr(a.matmul(w), 'complete');
      return q1.sin().sum().add(r1.pow(2).mul(0.3).sum()).add(q2.mul(w).sum()).add(r2.pow(3).sum()).add(q3.pow(3).sum()).add(r3.exp().sum());
    },
    inputs: [X, W],
  },
  'linalg.svd (reduced and full; wide, tall, square), svdvals': {
    fn: (a, w) => {
      const [u1, s1, v1] = linalg.svd(a, { fullMatrices: false });
      const [u2, s2, v2] = linalg.svd(w);
      const [u3, s3, v3] = linalg.svd(a.matmul(w));
      const weights = (t: Tensor): Tensor => t.mul(tensor(Float32Array.from({ length: t.numel() }, (_, i) => 0.3 + 0.2 * i), t.shape));
      return weights(u1.pow(2)).sum().add(s1.pow(3).sum()).add(weights(v1.pow(2)).sum())
        .add(weights(u2.narrow(1, 0, 2).pow(2)).sum()).add(s2.exp().sum()).add(weights(v2.pow(2)).sum())
        .add(weights(u3.pow(2)).sum()).add(s3.sum()).add(weights(v3.pow(2)).sum())
        .add(linalg.svdvals(a).pow(2).sum()).add(linalg.svdvals(w.mul(w)).sum());
    },
    inputs: [X, W],
  },
  'linalg.det at singular matrices (the cofactors from an SVD; ranks 2 of 3 and 1 of 2)': {
    fn: (a) => linalg.det(a).mul(a.sum()).add(linalg.det(a.mul(a))).add(linalg.det(a.indexSelect(0, tensor([0, 2])).narrow(1, 1, 2)).pow(2)).add(linalg.det(a.indexSelect(0, tensor([0, 2])).narrow(1, 1, 2).exp())),
    inputs: [[[1, 2, 0.5], [0.3, -1, 2], [2, 4, 1]]],
  },
  'add and sub with alpha, addr, rot90, blockDiag, amax and amin (ties shared)': { fn: FAMILIES.alphaAddr!, inputs: [X, W] },
  'scatterReduce: sum, prod, mean, amax, amin, with and without the input taking part': { fn: FAMILIES.scatterReduce!, inputs: [X, W] },
  'binaryCrossEntropy with weight, binaryCrossEntropyWithLogits with weight and posWeight (targets with grad too)': { fn: FAMILIES.bceWeighted!, inputs: [X, POSITIVE] },
  'choleskySolve, choleskyInverse (lower and upper), luFactor, lu, luSolve (left, right, adjoint)': { fn: FAMILIES.choleskyLu!, inputs: [X, W] },
  'select/slice/diagonal/masked scatter, fillDiagonal_, indexPut, indexFill, indexCopy, copy_, fill_, changes through views': { fn: FAMILIES.scatters!, inputs: [X, W] },
  'asin, acos, acosh, atanh, frac, nanToNum, mvlgamma, frexp, floatPower, the weight-norm op, maxUnpool, padSequence, packPaddedSequence, convTbc, a backward hook': {
    // PyTorch's: the first family; its fused weight norm's double backward fails gradgradcheck, so that is checked here only.
    fn: (a, w) => FAMILIES.unaryMore!(a, w).add(weightNorm(a, w.narrow(1, 0, 1).narrow(0, 0, 2).exp(), 0).pow(3).sum())
      .add(weightNorm(a, w.narrow(0, 2, 1).narrow(1, 0, 1).exp().expand([1, 3]).contiguous(), 1).pow(3).sum())
      .add(F.convTbc(a.reshape([3, 1, 2]), w.reshape([1, 2, 3]), a.select(0, 0), 1).pow(2).sum()).add(HOOKED.forward(a).pow(2).sum()),
    inputs: [X, W],
  },
  'linalg.det of batches (two 2 × 2 matrices, three 3 × 3)': {
    fn: (a, w) => {
      const m = a.matmul(w).add(tensor([[2, 0], [0, 2]]));
      const big = w.matmul(a).add(tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]]));
      return linalg.det(stack([m, m.t().mul(m)], 0)).pow(2).sum().add(linalg.det(stack([big, big.mul(2), big.t().exp()], 0)).pow(2).sum());
    },
    inputs: [X, W],
  },
  'lgamma, digamma, polygamma, erfinv, logit (with and without eps)': {
    fn: (a) => a.lgamma().add(a.digamma()).add(a.polygamma(1)).mul(a).add(a.mul(0.5).erfinv().mul(a)).add(a.mul(0.5).logit().mul(a)).add(a.logit(0.35).mul(a)),
    inputs: [POSITIVE],
  },
};

for (const [name, c] of Object.entries(CASES)) {
  test(`createGraph: ${name}: the first derivative is the plain backward's, and the second passes gradgradcheck`, () => {
    const given = c.inputs ?? [X];
    const fresh = (): Tensor[] => given.map((v) => tensor(v, { requiresGrad: true }));
    const plainInputs = fresh();
    const yPlain = c.fn(...plainInputs);
    const seed = seedFor(yPlain);
    const plain = autograd.grad(yPlain, plainInputs, seed);
    const graphInputs = fresh();
    const withGraph = autograd.grad(c.fn(...graphInputs), graphInputs, seed, { createGraph: true });
    withGraph.forEach((g, i) => {
      assert.ok(g.requiresGrad, `input ${i}: the gradient has a graph`);
      const a = g.toArray();
      const b = plain[i]!.toArray();
      for (let k = 0; k < a.length; k++) {
        assert.ok(Math.abs(a[k]! - b[k]!) <= 1e-5 + 1e-5 * Math.abs(b[k]!), `input ${i}[${k}]: ${a[k]} with createGraph, ${b[k]} without`);
      }
    });
    assert.equal(autograd.gradgradcheck(c.fn, fresh(), [seed], { atol: 2e-3, rtol: 2e-2 }), true);
  });
}

test('createGraph: ops with a zero gradient (random draws, a random fill and a comparison in place) have a zero second derivative', () => {
  // Σ d·a², d the draws: the gradient 2·a·d takes d as a constant, as PyTorch's zero gradients do, and so does the
  // Hessian-vector product, 2·v·d. (gradgradcheck cannot apply: the draws' values do move with a.)
  const draws = (a: Tensor): Tensor[] => {
    const gen = new Generator().manualSeed(5);
    const filled = a.mul(a);
    filled.uniform_(0, 1, { generator: gen });
    const compared = a.mul(a);
    compared.gt_(0.2);
    return [normal(a, a.abs().add(0.1), { generator: gen }), bernoulli(a.abs().mul(0.5), { generator: gen }), poisson(a.abs().add(1), { generator: gen }), filled, compared];
  };
  const x = tensor(X, { requiresGrad: true });
  const d = draws(x).reduce((s, t) => s.add(t));
  const [g] = autograd.grad(d.mul(x.mul(x)).sum(), x, { createGraph: true });
  assert.ok(g!.requiresGrad, 'the gradient has a graph');
  const dv = d.detach().toArray();
  const xv = x.detach().toArray();
  g!.toArray().forEach((v, i) => assert.ok(Math.abs(v - 2 * xv[i]! * dv[i]!) <= 1e-5 * (1 + Math.abs(v)), `gradient ${i}: ${v}`));
  const v = seedFor(x);
  const [h] = autograd.grad(g!.mul(v).sum(), x);
  const vv = v.toArray();
  h!.toArray().forEach((hv, i) => assert.ok(Math.abs(hv - 2 * vv[i]! * dv[i]!) <= 1e-5 * (1 + Math.abs(hv)), `Hessian-vector product ${i}: ${hv} against ${2 * vv[i]! * dv[i]!}`));
});

test('createGraph: third derivatives through scatterReduce (its gradient spreads, and the spread picks back)', () => {
  // gs picks w at the index's places, gw spreads v back there, and the derivative of Σ gw·seed picks seed there.
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const s = tensor([[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]], { requiresGrad: true });
  const y = scatterReduce(x, 1, tensor([[0, 1], [2, 0]]), s, 'sum');
  const w = tensor([[0.3, -0.2, 0.7], [0.4, 0.1, -0.6]], { requiresGrad: true });
  const v = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const [gs] = autograd.grad(y, s, w, { createGraph: true });
  const [gw] = autograd.grad(gs!, w, v, { createGraph: true });
  assert.deepEqual(gw!.tolist(), [[1, 2, 0], [5, 0, 4]]);
  const [gv] = autograd.grad(gw!, v, tensor([[1, 10, 100], [1000, 10000, 100000]]));
  assert.deepEqual(gv!.tolist(), [[1, 10, 0], [100000, 1000, 0]]);
});

test('gradgradcheck: a second derivative cut from the graph (detach inside the gradient) is caught', () => {
  // x·detach(x): its gradient's graph misses the detached factor, which finite differences see.
  const fn = (a: Tensor): Tensor => a.mul(a).mul(a.detach());
  assert.equal(autograd.gradgradcheck(fn, [tensor(X, { requiresGrad: true })], [seedFor(tensor(X))], { raiseException: false }), false);
  assert.throws(() => autograd.gradgradcheck(fn, [tensor(X, { requiresGrad: true })], [seedFor(tensor(X))]), autograd.GradcheckError);
});

test('createGraph: an op without a differentiable backward is refused by name, before any gradient is added', () => {
  // gridSample's gradient has no differentiable backward (nor has PyTorch 1.13's).
  const x = tensor([[[[1, 2], [3, 4]]]], { requiresGrad: true });
  const grid = tensor([[[[0, 0]]]]);
  const y = F.gridSample(x.mul(2), grid, { alignCorners: false }).sum();
  assert.throws(() => autograd.grad(y, x, { createGraph: true }), /createGraph: the gradient of gridSample \(GridSampler2DBackward0, output shape \[1, 1, 1, 1\]\) cannot be differentiated again/);
  assert.throws(() => y.backward({ createGraph: true }), /cannot be differentiated again/);
  assert.equal(x.grad, null, 'nothing was added');
  // The plain walk still works on the same graph (the refusal released nothing): the centre is the mean of the four
  // pixels, and the input was doubled.
  y.backward();
  assert.deepEqual(x.grad!.tolist(), [[[[0.5, 0.5], [0.5, 0.5]]]]);
});

test('createGraph: retainGraph defaults to it, .grad is replaced (not added in place), and options are checked', () => {
  const x = tensor([1.5, -2], { requiresGrad: true });
  const y = x.pow(3).sum();
  y.backward({ createGraph: true });
  const first = x.grad!;
  assert.deepEqual(Array.from(first.toArray()), [6.75, 12]);
  assert.equal(first.gradFn?.name, 'clone');
  // PyTorch 1.13's names: the first .grad of a dense leaf is copied into a buffer of its layout (CopyBackwards), a
  // non-dense leaf's is cloned (CloneBackward0), and later ones are sums (AddBackward0).
  assert.equal(first.gradFn?.torchName, 'CopyBackwards');
  const gappy = tensor([[1, 2, 3], [4, 5, 6]]).narrow(1, 0, 2).requiresGrad_();
  gappy.pow(3).sum().backward({ createGraph: true });
  assert.equal(gappy.grad?.gradFn?.torchName, 'CloneBackward0');
  y.backward({ createGraph: true }); // the graph was kept: a second walk is allowed
  assert.equal(x.grad?.gradFn?.torchName, 'AddBackward0');
  assert.deepEqual(Array.from(x.grad!.toArray()), [13.5, 24]);
  assert.deepEqual(Array.from(first.toArray()), [6.75, 12], 'the first .grad (a tensor of the graph) kept its values');
  assert.throws(() => x.pow(2).sum().backward({ createGraph: 1 as unknown as boolean }), /backward: createGraph must be true or false, got the number 1/);
  assert.throws(() => autograd.grad(x.sum(), x, { createGraph: 'yes' as unknown as boolean }), /grad: createGraph must be true or false/);
  // One gradient reaching two leaves gives each its own .grad (a copy), as PyTorch's AccumulateGrad clones it.
  const u = tensor([1, 2], { requiresGrad: true });
  const v = tensor([3, 4], { requiresGrad: true });
  u.add(v).sum().backward({ createGraph: true });
  assert.notEqual(u.grad, v.grad);
  u.grad!.zero_();
  assert.deepEqual(Array.from(v.grad!.toArray()), [1, 1]);
  const z = x.exp().sum();
  autograd.grad(z, x, { createGraph: true, retainGraph: false });
  assert.throws(() => autograd.grad(z, x), /a second time/);
});

test('functional: hessian, hvp, vhp and jvp check their arguments as PyTorch does', () => {
  const F2 = autograd.functional;
  const x = tensor([1, 2]);
  assert.throws(() => F2.hessian((a) => a.mul(a), x), /hessian: the Tensor returned by the function must contain a single element, got shape \[2\]/);
  assert.throws(() => F2.hvp((a) => a.pow(3).sum(), x), /hvp: v can only be left out when the input is a single Tensor with a single element/);
  assert.throws(() => F2.vhp((a) => a.pow(3).sum(), x, tensor([1, 2, 3])), /vhp: v has shape \[3\] but the input has shape \[2\]/);
  assert.throws(() => F2.jvp((a) => a.exp(), [x, x], [x]), /jvp: v has 1 tensor but there are 2 inputs/);
  assert.throws(() => F2.hessian((a) => a.sum(), x, { strict: true }), /hessian: the gradient of the function is independent of input 0/);
  assert.throws(() => F2.hessian((a) => a.sum(), x, { createGraph: 2 } as never), /hessian: createGraph must be true or false/);
  // A linear function: a zero Hessian, not an error.
  assert.deepEqual(Array.from(F2.hessian((a) => a.mul(3).sum(), x).toArray()), [0, 0, 0, 0]);
  // v left out for a single element; the output is cut from the graph without createGraph, kept with it.
  const [y, hv] = F2.hvp((a) => a.pow(3).sum(), tensor([2]));
  assert.deepEqual([y.item(), hv.item(), y.requiresGrad], [8, 12, false]);
  const w = tensor([0.5, -1], { requiresGrad: true });
  const [, jv] = F2.jvp((a) => a.mul(a), w, tensor([1, 1]), { createGraph: true });
  assert.ok(jv.requiresGrad, 'with createGraph the jvp is differentiable with respect to the inputs given');
  const [dw] = autograd.grad(jv.sum(), w);
  assert.deepEqual(Array.from(dw!.toArray()), [2, 2]);
});

test('functional: jacobian\'s strategy and hessian\'s outerJacobianStrategy take \'forward-mode\' with vectorize, and refuse what PyTorch 1.13 refuses', () => {
  const F2 = autograd.functional;
  const x = tensor([1, 2]);
  const cube = (a: Tensor): Tensor => a.pow(3).sum();
  // PyTorch 1.13: hessian(cube, x, vectorize=True, outer_jacobian_strategy='forward-mode') is [[6, 0], [0, 12]];
  // jacobian(exp, x, vectorize=True, strategy='forward-mode') is diag(e^x).
  assert.deepEqual(F2.hessian(cube, x, { vectorize: true, outerJacobianStrategy: 'forward-mode' }).tolist(), [[6, 0], [0, 12]]);
  assert.deepEqual(F2.jacobian((a) => a.exp(), x, { vectorize: true, strategy: 'forward-mode' }).tolist(), F2.jacobian((a) => a.exp(), x).tolist());
  // PyTorch's refusals: forward mode without vectorize, or with createGraph or strict; strict with vectorize.
  assert.throws(() => F2.jacobian((a) => a.exp(), x, { strategy: 'forward-mode' }), /jacobian: strategy 'forward-mode' needs vectorize: true/);
  assert.throws(() => F2.hessian(cube, x, { outerJacobianStrategy: 'forward-mode' }), /hessian: outerJacobianStrategy 'forward-mode' needs vectorize: true/);
  assert.throws(() => F2.jacobian((a) => a.exp(), x, { vectorize: true, strategy: 'forward-mode', createGraph: true }), /createGraph and strategy 'forward-mode' do not go together/);
  assert.throws(() => F2.hessian(cube, x, { vectorize: true, outerJacobianStrategy: 'forward-mode', strict: true }), /strict and outerJacobianStrategy 'forward-mode' do not go together/);
  assert.throws(() => F2.jacobian((a) => a.exp(), x, { vectorize: true, strict: true }), /jacobian: strict and vectorize do not go together.*`vectorized=True` are not supported together/);
  assert.throws(() => F2.hessian(cube, x, { vectorize: true, strict: true }), /hessian: strict and vectorize do not go together/);
  assert.throws(() => F2.jacobian((a) => a.exp(), x, { strategy: 'sideways' } as never), /jacobian: strategy must be 'forward-mode' or 'reverse-mode', got the string "sideways"/);
});

test('autograd.functional holds PyTorch 1.13\'s six tools and nothing of its own', () => {
  // The functions PyTorch 1.13 documents for torch.autograd.functional: vjp, jvp, jacobian, hessian, hvp, vhp.
  assert.deepEqual(Object.keys(autograd.functional).sort(), ['hessian', 'hvp', 'jacobian', 'jvp', 'vhp', 'vjp']);
});

test('jacobian and vjp with createGraph keep the graph back to the inputs', () => {
  const w = tensor([0.5, -1], { requiresGrad: true });
  const J = autograd.functional.jacobian((a) => a.pow(3), w, { createGraph: true });
  assert.ok(J.requiresGrad);
  // PyTorch 1.13 views the stacked rows in the Jacobian's shape (torch.stack(rows).view(...)), a hessian's too.
  assert.equal(J.gradFn?.torchName, 'ViewBackward0');
  assert.equal(autograd.functional.hessian((a) => a.pow(3).sum(), w, { createGraph: true }).gradFn?.torchName, 'ViewBackward0');
  assert.deepEqual(Array.from(J.toArray()), [0.75, 0, 0, 3]);
  const [dw] = autograd.grad(J.sum(), w);
  assert.deepEqual(Array.from(dw!.toArray()), [3, -6]);
  const [, vj] = autograd.functional.vjp((a) => a.pow(2).sum(), w, undefined, { createGraph: true });
  assert.deepEqual(Array.from(autograd.grad(vj.sum(), w)[0]!.toArray()), [2, 2]);
});

test('a custom autograd.Function whose backward is written with ops can be differentiated twice', () => {
  class Cube extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor {
      ctx.saveForBackward(x);
      return x.pow(3);
    }
    static override backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor {
      const [x] = ctx.savedTensors;
      return g.mul(x!.pow(2).mul(3));
    }
  }
  const x = tensor([1, -2], { requiresGrad: true });
  const [g] = autograd.grad(Cube.apply(x).sum(), x, { createGraph: true });
  assert.deepEqual(Array.from(g!.toArray()), [3, 12]);
  assert.deepEqual(Array.from(autograd.grad(g!.sum(), x)[0]!.toArray()), [6, -12]);
});
