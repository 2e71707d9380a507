// The grad_fn names Kindling prints (`grad_fn=<…>`) and gives as `gradFn.torchName`, against PyTorch 1.13's class
// names for the same calls (fixtures/torch/grad-fn-names.json, written by make_grad_fn_names.py): one case per op and
// per form PyTorch names apart (sum() and sum(dim), reshape as a view or a copy, matmul by rank, F.linear by input
// rank and bias, the losses by reduction and rank), where PyTorch decomposes an op the name of its last node. Where
// PyTorch returns the input itself (flatten of a 1-D tensor, dropout in evaluation) Kindling does too: no grad_fn.
// In-place ops on a tensor of the graph are recorded too, named as PyTorch names them (below).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acosh, erfc, isfinite, log10, logit, nanToNum, rad2deg } from '../../src/index.js';
import { autograd, addbmm, addmm, addmv, atan2, baddbmm, bmm, broadcastTo, cat, diag, diagEmbed, diagonal, dot, F, flip, flipud, ger, inner, kron, mm, moveaxis, mv, nn, norm, normal, outer, pow, repeatInterleave, roll, rot90, stack, swapdims, tensor, tile, tril, xlogy, type Tensor } from '../../src/index.js';
import { loadFixture } from './golden-helpers.js';

interface Case {
  name: string;
  expr: string;
  gradFn: string | null;
}
const fx = loadFixture<{ cases: Case[]; inplace: Case[] }>('grad-fn-names.json');

/** Values 0.01, 0.02, … in the given shape, requiring grad (the fixture's `grid`). */
function grid(...shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => (i + 1) / 100)).reshape(shape).requiresGrad_();
}

const leaf = (v: number[] | number[][] | number): Tensor => tensor(v, { requiresGrad: true });

// The fixture's inputs.
const x = leaf([[0.2, 0.7, 0.1], [0.4, 0.3, 0.9]]);
const v = leaf([0.2, 0.7, 0.1]);
const s = leaf(0.5);
const b = grid(2, 3, 4);
const q = grid(2, 1, 3, 4);
const img = grid(1, 1, 4, 4);
const chw = grid(1, 4, 4);
const W = grid(4, 3);
const bias = grid(4);
const w = grid(3);
const k = grid(2, 1, 3, 3);
const kt = grid(1, 2, 3, 3);
const kb = grid(2);
const k1 = grid(2, 3, 2);
const p4 = grid(2, 3, 2, 2);
const y = tensor([[0, 1, 0], [1, 0, 0]]);
const cls = tensor([0, 2]);
const cls4 = tensor([[[0, 2], [1, 1]], [[2, 0], [1, 0]]]);
const mask = tensor([[1, 0, 1], [0, 0, 1]]);
const classWeight = tensor([1, 2, 3]);
/** x.flip(0) (Kindling has no flip): its rows swapped, a tensor computed from x. */
const flipped = (): Tensor => cat([x.select(0, 1).unsqueeze(0), x.select(0, 0).unsqueeze(0)]);

/** Kindling's form of each fixture case (the fixture's `expr` is the PyTorch one). */
const CASES: Record<string, () => Tensor> = {
  add: () => x.add(x), 'add scalar': () => x.add(1), 'add alpha': () => x.add(x, 2), 'add broadcast': () => x.add(v),
  sub: () => x.sub(x), 'sub scalar': () => x.sub(1), 'sub alpha': () => x.sub(x, 2),
  mul: () => x.mul(x), 'mul scalar': () => x.mul(2), div: () => x.div(x), 'div scalar': () => x.div(2),
  'pow scalar': () => x.pow(2), 'pow 0.5': () => x.pow(0.5), 'pow 0': () => x.pow(0), 'pow tensor': () => x.pow(x),
  'pow number base': () => pow(2, x), 'pow 0-d base': () => pow(tensor(2), x), square: () => x.square(),
  maximum: () => x.maximum(flipped()), minimum: () => x.minimum(flipped()),
  where: () => x.where(x.gt(0.3), v), 'where scalar': () => x.where(x.gt(0.3), tensor(0)),
  masked_fill: () => x.maskedFill(mask, 0), 'masked_fill tensor': () => x.maskedFill(mask, s),
  gt: () => x.gt(0.3), eq: () => x.eq(x),
  neg: () => x.neg(), exp: () => x.exp(), log: () => x.log(), sqrt: () => x.sqrt(), abs: () => x.abs(),
  sigmoid: () => x.sigmoid(), tanh: () => x.tanh(), relu: () => x.relu(),
  floor: () => x.floor(), ceil: () => x.ceil(), round: () => x.round(), trunc: () => x.trunc(),
  clamp: () => x.clamp(0.2, 0.5), 'clamp min': () => x.clamp(0.2), 'clamp max': () => x.clamp(null, 0.5),
  leaky_relu: () => F.leakyRelu(x, 0.02), gelu: () => F.gelu(x), 'gelu tanh': () => F.gelu(x, 'tanh'),
  silu: () => F.silu(x), elu: () => F.elu(x), softplus: () => F.softplus(x),
  'nn.ReLU': () => new nn.ReLU().forward(x), 'nn.Sigmoid': () => new nn.Sigmoid().forward(x), 'nn.Tanh': () => new nn.Tanh().forward(x),
  'nn.LeakyReLU': () => new nn.LeakyReLU(0.02).forward(x), 'nn.GELU': () => new nn.GELU().forward(x), 'nn.SiLU': () => new nn.SiLU().forward(x),
  'nn.ELU': () => new nn.ELU().forward(x), 'nn.Softplus': () => new nn.Softplus().forward(x),
  clone: () => x.clone(), contiguous: () => x.t().contiguous(), 'to copy': () => x.to('float32', { copy: true }),
  sum: () => x.sum(), 'sum dim': () => x.sum(0), 'sum dims': () => x.sum([0, 1]), 'sum keepdim': () => x.sum(1, true),
  mean: () => x.mean(), 'mean dim': () => x.mean(1), 'mean dims': () => x.mean([0, 1]),
  max: () => x.max(), 'max dim': () => x.max(1).values, min: () => x.min(), 'min dim': () => x.min(1).values,
  var: () => x.var(), 'var dim': () => x.var(1), 'var biased': () => x.var(1, false),
  std: () => x.std(), 'std dim': () => x.std(1),
  norm: () => x.norm(), 'norm 1': () => x.norm(1), 'norm dim': () => x.norm(2, 1), 'norm inf': () => x.norm(Infinity),
  'norm 0': () => x.norm(0), 'norm fro 2 dims': () => x.norm('fro', [0, 1]), 'torch.norm': () => norm(x, 3),
  topk: () => x.topk(2).values, sort: () => x.sort().values, argmax: () => x.argmax(),
  softmax: () => x.softmax(1), log_softmax: () => x.logSoftmax(1), 'F.softmax': () => F.softmax(x, 0),
  'nn.Softmax': () => new nn.Softmax(1).forward(x), 'nn.LogSoftmax': () => new nn.LogSoftmax(1).forward(x),
  reshape: () => x.reshape(3, 2), 'reshape copy': () => x.t().reshape(6), 'reshape strided': () => b.narrow(2, 0, 2).reshape(6, 2),
  'reshape strided copy': () => b.narrow(2, 0, 2).reshape(12),
  view: () => x.view(3, 2), 'view strided': () => b.narrow(2, 0, 2).view(6, 2),
  flatten: () => x.flatten(), 'flatten copy': () => x.t().flatten(), 'flatten 1-d': () => v.flatten(), 'flatten 0-d': () => s.flatten(),
  'flatten part': () => b.flatten(1), 'flatten one dim': () => b.flatten(1, 1),
  unsqueeze: () => x.unsqueeze(0), 'unsqueeze strided': () => x.t().unsqueeze(1),
  squeeze: () => x.unsqueeze(0).squeeze(), 'squeeze dim': () => x.unsqueeze(0).squeeze(0),
  'squeeze strided': () => x.t().unsqueeze(0).squeeze(), 'squeeze dim strided': () => x.t().unsqueeze(0).squeeze(0),
  t: () => x.t(), 't 1-d': () => v.t(), T: () => x.T, 'T 1-d': () => v.T, transpose: () => b.transpose(0, 2), 'transpose same': () => x.transpose(1, 1),
  permute: () => b.permute(2, 0, 1), expand: () => v.expand(2, 3), select: () => x.select(1, 2), index: () => x.select(0, 1), iterate: () => [...x][1]!,
  narrow: () => x.narrow(1, 0, 2), repeat: () => x.repeat(2, 1),
  split: () => x.split(2, 1)[0]!, 'split sizes': () => x.split([1, 2], 1)[1]!, chunk: () => x.chunk(2, 1)[1]!, 'chunk even': () => x.chunk(2)[0]!,
  gather: () => x.gather(1, tensor([[0], [2]])), index_select: () => x.indexSelect(1, tensor([0, 2])),
  cat: () => cat([x, x]), stack: () => stack([x, x]),
  't 0-d': () => s.t(), 'T 0-d': () => s.T, 'transpose 0-d': () => s.transpose(0, -1), 'squeeze 0-d': () => s.squeeze(), 'squeeze 0-d dim': () => s.squeeze(0),
  'unsqueeze 0-d': () => s.unsqueeze(0), 'reshape 0-d': () => s.reshape(1), 'sum 0-d dim': () => s.sum(0), 'max 0-d dim': () => s.max(0).values,
  'topk 0-d': () => s.topk(1).values, 'sort 0-d': () => s.sort().values, 'split one part': () => x.split(3, 1)[0]!,
  'nn.Flatten': () => new nn.Flatten().forward(b), 'nn.Flatten strided': () => new nn.Flatten().forward(b.transpose(1, 2)),
  'nn.Unflatten': () => new nn.Unflatten(1, [3, 1]).forward(x), 'nn.Identity': () => new nn.Identity().forward(x.exp()),
  'matmul 1d 1d': () => v.matmul(v), 'matmul 2d 1d': () => x.matmul(v), 'matmul 1d 2d': () => v.matmul(x.t()), 'matmul 2d 2d': () => x.matmul(x.t()),
  'matmul 3d 3d': () => b.matmul(b.transpose(1, 2)), 'matmul 3d 2d': () => b.matmul(W), 'matmul 2d 3d': () => x.matmul(b),
  'matmul 3d 1d': () => b.matmul(bias), 'matmul 1d 3d': () => v.matmul(b),
  'matmul 4d 4d': () => q.matmul(q.transpose(2, 3)), 'matmul 4d 2d': () => q.matmul(W), 'matmul 2d 4d': () => x.matmul(q),
  'matmul 4d 1d': () => q.matmul(bias), 'matmul 1d 4d': () => v.matmul(q), 'matmul 4d 3d': () => q.matmul(b.transpose(1, 2)),
  linear: () => F.linear(x, W, bias), 'linear no bias': () => F.linear(x, W), 'linear 1d': () => F.linear(v, W, bias),
  'linear 1d no bias': () => F.linear(v, W), 'linear 3d': () => F.linear(b.transpose(1, 2).contiguous(), W, bias),
  'linear 3d strided': () => F.linear(b.transpose(1, 2), W, bias), 'linear 3d no bias': () => F.linear(b.transpose(1, 2).contiguous(), W),
  'linear 4d': () => F.linear(q.transpose(2, 3).contiguous(), W, bias), 'linear 1-d weight': () => F.linear(x, w),
  'linear one bias': () => F.linear(x, W, tensor([0.5])),
  'nn.Linear': () => new nn.Linear(3, 4).forward(x), 'nn.Linear 1d': () => new nn.Linear(3, 4).forward(v),
  'nn.Linear no bias': () => new nn.Linear(3, 4, { bias: false }).forward(x),
  layer_norm: () => F.layerNorm(x, [3], w, w), 'layer_norm plain': () => F.layerNorm(x, [3]), 'nn.LayerNorm': () => new nn.LayerNorm(3).forward(x),
  batch_norm: () => F.batchNorm(x, null, null, { training: true }),
  'batch_norm eval': () => F.batchNorm(x, tensor([0, 0, 0]), tensor([1, 1, 1]), { training: false }),
  'nn.BatchNorm1d': () => new nn.BatchNorm1d(3).forward(x), 'nn.BatchNorm2d': () => new nn.BatchNorm2d(1).forward(img),
  'nn.BatchNorm1d eval': () => new nn.BatchNorm1d(3).eval().forward(x),
  conv2d: () => F.conv2d(img, k, kb), 'conv2d no bias': () => F.conv2d(img, k), 'conv2d unbatched': () => F.conv2d(chw, k, kb),
  'nn.Conv2d': () => new nn.Conv2d(1, 2, 3).forward(img),
  conv1d: () => F.conv1d(b, k1, kb), 'conv1d no bias': () => F.conv1d(b, k1), 'conv1d unbatched': () => F.conv1d(b.select(0, 0), k1, kb),
  'nn.Conv1d': () => new nn.Conv1d(3, 2, 2).forward(b),
  conv_transpose2d: () => F.convTranspose2d(img, kt, kb), 'conv_transpose2d unbatched': () => F.convTranspose2d(chw, kt, kb),
  'nn.ConvTranspose2d': () => new nn.ConvTranspose2d(1, 2, 3).forward(img),
  max_pool2d: () => F.maxPool2d(img, 2), 'max_pool2d unbatched': () => F.maxPool2d(chw, 2), 'nn.MaxPool2d': () => new nn.MaxPool2d(2).forward(img),
  avg_pool2d: () => F.avgPool2d(img, 2), 'avg_pool2d unbatched': () => F.avgPool2d(chw, 2), 'nn.AvgPool2d': () => new nn.AvgPool2d(2).forward(img),
  adaptive_avg_pool2d: () => F.adaptiveAvgPool2d(img, 3), 'adaptive_avg_pool2d unbatched': () => F.adaptiveAvgPool2d(chw, [2, null]),
  'nn.AdaptiveAvgPool2d': () => new nn.AdaptiveAvgPool2d(1).forward(img),
  adaptive_max_pool2d: () => F.adaptiveMaxPool2d(img, 3), 'adaptive_max_pool2d unbatched': () => F.adaptiveMaxPool2d(chw, [2, null]),
  'nn.AdaptiveMaxPool2d': () => new nn.AdaptiveMaxPool2d(1).forward(img),
  max_pool1d: () => F.maxPool1d(b, 2), 'max_pool1d unbatched': () => F.maxPool1d(b.select(0, 0), 2),
  'max_pool1d indices': () => F.maxPool1d(b, 2, { returnIndices: true })[0], 'nn.MaxPool1d': () => new nn.MaxPool1d(3, 1).forward(b),
  avg_pool1d: () => F.avgPool1d(b, 2), 'avg_pool1d unbatched': () => F.avgPool1d(b.select(0, 0), 2), 'nn.AvgPool1d': () => new nn.AvgPool1d(2).forward(b),
  adaptive_avg_pool1d: () => F.adaptiveAvgPool1d(b, 3), 'adaptive_avg_pool1d unbatched': () => F.adaptiveAvgPool1d(b.select(0, 0), 3),
  'nn.AdaptiveAvgPool1d': () => new nn.AdaptiveAvgPool1d(1).forward(b),
  adaptive_max_pool1d: () => F.adaptiveMaxPool1d(b, 3), 'adaptive_max_pool1d unbatched': () => F.adaptiveMaxPool1d(b.select(0, 0), 3),
  'nn.AdaptiveMaxPool1d': () => new nn.AdaptiveMaxPool1d(1).forward(b),
  dropout: () => F.dropout(x, 0.5), 'dropout all': () => F.dropout(x, 1), 'dropout eval': () => F.dropout(x, 0.5, false),
  'nn.Dropout': () => new nn.Dropout(0.5).forward(x),
  mse_loss: () => F.mseLoss(x, y), 'mse_loss sum': () => F.mseLoss(x, y, { reduction: 'sum' }), 'mse_loss none': () => F.mseLoss(x, y, { reduction: 'none' }),
  binary_cross_entropy: () => F.bceLoss(x, y), 'binary_cross_entropy none': () => F.bceLoss(x, y, { reduction: 'none' }),
  'binary_cross_entropy weight': () => F.bceLoss(x, y, { weight: y.add(1) }),
  bce_with_logits: () => F.bceWithLogitsLoss(x, y), 'bce_with_logits none': () => F.bceWithLogitsLoss(x, y, { reduction: 'none' }),
  'bce_with_logits weight': () => F.bceWithLogitsLoss(x, y, { weight: y.add(1) }),
  'bce_with_logits pos_weight': () => F.bceWithLogitsLoss(x, y, { posWeight: tensor([1, 2, 3]) }),
  'bce_with_logits target grad': () => F.bceWithLogitsLoss(x, flipped()),
  nll_loss: () => F.nllLoss(x, cls), 'nll_loss none': () => F.nllLoss(x, cls, { reduction: 'none' }),
  'nll_loss weight': () => F.nllLoss(x, cls, { weight: classWeight }), 'nll_loss ignore': () => F.nllLoss(x, cls, { ignoreIndex: 2 }),
  'nll_loss 1d': () => F.nllLoss(v, tensor(1)), 'nll_loss 4d': () => F.nllLoss(p4, cls4),
  'nll_loss 4d none': () => F.nllLoss(p4, cls4, { reduction: 'none' }),
  'nll_loss 3d': () => F.nllLoss(b.transpose(1, 2).narrow(1, 0, 3), tensor([[0, 2, 1], [1, 1, 0]])),
  cross_entropy: () => F.crossEntropy(x, cls), 'cross_entropy sum': () => F.crossEntropy(x, cls, { reduction: 'sum' }),
  'cross_entropy none': () => F.crossEntropy(x, cls, { reduction: 'none' }), 'cross_entropy 1d': () => F.crossEntropy(v, tensor(1)),
  'cross_entropy weight': () => F.crossEntropy(x, cls, { weight: classWeight }),
  'cross_entropy smoothing': () => F.crossEntropy(x, cls, { labelSmoothing: 0.1 }), 'cross_entropy 4d': () => F.crossEntropy(p4, cls4),
  'cross_entropy probs': () => F.crossEntropy(x, y), 'cross_entropy probs sum': () => F.crossEntropy(x, y, { reduction: 'sum' }),
  'cross_entropy probs none': () => F.crossEntropy(x, y, { reduction: 'none' }), 'cross_entropy probs 1d': () => F.crossEntropy(v, y.select(0, 0)),
  'cross_entropy probs smoothing': () => F.crossEntropy(x, y, { labelSmoothing: 0.1 }),
  'cross_entropy probs weight': () => F.crossEntropy(x, y, { weight: classWeight }),
  'mse_loss broadcast': () => F.mseLoss(v.unsqueeze(0), y),
  'nll_loss 3d none': () => F.nllLoss(b, tensor([[0, 2, 1, 1], [1, 1, 0, 2]]), { reduction: 'none' }),
  'nll_loss 5d none': () => F.nllLoss(p4.unsqueeze(4), cls4.unsqueeze(3), { reduction: 'none' }),
  'cross_entropy 3d none': () => F.crossEntropy(b, tensor([[0, 2, 1, 1], [1, 1, 0, 2]]), { reduction: 'none' }),
  'cross_entropy 4d none': () => F.crossEntropy(p4, cls4, { reduction: 'none' }),
  'cross_entropy 4d smoothing none': () => F.crossEntropy(p4, cls4, { reduction: 'none', labelSmoothing: 0.1 }),
  'cross_entropy 4d probs': () => F.crossEntropy(p4, p4.detach()), 'cross_entropy 4d probs none': () => F.crossEntropy(p4, p4.detach(), { reduction: 'none' }),
  'nn.MSELoss': () => new nn.MSELoss().forward(x, y), 'nn.BCELoss': () => new nn.BCELoss().forward(x, y),
  'nn.BCEWithLogitsLoss': () => new nn.BCEWithLogitsLoss().forward(x, y),
  'nn.CrossEntropyLoss': () => new nn.CrossEntropyLoss().forward(x, cls), 'nn.NLLLoss': () => new nn.NLLLoss().forward(x, cls),
  sign: () => x.sign(), logsumexp: () => x.logsumexp(1), 'logsumexp dims': () => x.logsumexp([0, 1]),
  'logsumexp keepdim': () => x.logsumexp(0, true), 'logsumexp 0-d': () => s.logsumexp(0),
  cumsum: () => x.cumsum(1), 'cumsum 0-d': () => s.cumsum(0), cumprod: () => x.cumprod(0), 'cumprod 0-d': () => s.cumprod(-1),
  flip: () => x.flip(0), 'flip dims': () => flip(x, [0, -1]), 'flip 0-d': () => s.flip(0), fliplr: () => x.fliplr(),
  flipud: () => flipud(x), roll: () => x.roll(1), 'roll dims': () => roll(x, [1, -1], [0, 1]),
  tril: () => x.tril(), 'tril diagonal': () => tril(x, -1), triu: () => x.triu(1),
  diag: () => diag(v), 'diag matrix': () => x.diag(1), diagonal: () => x.diagonal(), 'diagonal dims': () => diagonal(x, 0, 1, 0),
  diag_embed: () => diagEmbed(x), trace: () => x.trace(), tile: () => x.tile([2]), 'tile ones': () => tile(x, [1, 1]),
  repeat_interleave: () => x.repeatInterleave(2), 'repeat_interleave dim': () => repeatInterleave(x, 2, 1),
  unflatten: () => x.unflatten(1, [3, 1]), rot90: () => x.rot90(), 'rot90 k': () => rot90(x, 2, [1, 0]),
  scatter: () => x.scatter(1, tensor([[2], [0]]), y), 'scatter value': () => x.scatter(0, tensor([[1, 0, 1]]), 2),
  'scatter reduce': () => x.scatter(1, tensor([[0], [2]]), 2, { reduce: 'add' }), scatter_add: () => x.scatterAdd(0, tensor([[1, 1, 0]]), y),
  index_add: () => x.indexAdd(1, tensor([0, 0]), y.narrow(1, 0, 2)), index_fill: () => x.indexFill(1, tensor([2]), 0.5),
  'index_fill tensor': () => x.indexFill(0, tensor([1]), s), index_copy: () => x.indexCopy(0, tensor([1]), v.unsqueeze(0)),
  take: () => x.take(tensor([5, 0])), masked_select: () => x.maskedSelect(y.gt(0)), 'masked_select 0-d': () => s.maskedSelect(tensor(1)),
  movedim: () => x.movedim(0, 1), 'movedim 0-d': () => s.movedim(0, 0), moveaxis: () => moveaxis(x, -1, 0),
  swapaxes: () => x.swapaxes(0, 1), swapdims: () => swapdims(x, 1, 0), unbind: () => x.unbind(1)[2]!,
  expand_as: () => v.expandAs(x), view_as: () => x.viewAs(y.t()), reshape_as: () => x.t().reshapeAs(y),
  broadcast_to: () => broadcastTo(v, [2, 3]), ravel: () => x.t().ravel(),
  sin: () => x.sin(), cos: () => x.cos(), 'sin 0-d': () => s.sin(),
  // unary math (session 56)
  tan: () => x.tan(), asin: () => x.asin(), acos: () => x.acos(), atan: () => x.atan(), sinh: () => x.sinh(), cosh: () => x.cosh(),
  asinh: () => x.asinh(), acosh: () => acosh(x), atanh: () => x.atanh(), log1p: () => x.log1p(), 'log1p 0-d': () => s.log1p(),
  expm1: () => x.expm1(), log2: () => x.log2(), log10: () => log10(x), exp2: () => x.exp2(), reciprocal: () => x.reciprocal(),
  rsqrt: () => x.rsqrt(), erf: () => x.erf(), erfc: () => erfc(x), erfinv: () => x.erfinv(), frac: () => x.frac(),
  sinc: () => x.sinc(), deg2rad: () => x.deg2rad(), rad2deg: () => rad2deg(x), logit: () => x.logit(),
  'logit eps': () => logit(x, { eps: 1e-6 }), nan_to_num: () => x.nanToNum(), 'nan_to_num args': () => nanToNum(x, 0, 1, -1),
  isnan: () => x.isnan(), isfinite: () => isfinite(x), signbit: () => x.signbit(),
  l1_loss: () => F.l1Loss(x, y), 'l1_loss sum': () => F.l1Loss(x, y, { reduction: 'sum' }), 'l1_loss none': () => F.l1Loss(x, y, { reduction: 'none' }),
  'l1_loss broadcast': () => F.l1Loss(v.unsqueeze(0), y), 'l1_loss target grad': () => F.l1Loss(x, flipped(), { reduction: 'none' }),
  smooth_l1_loss: () => F.smoothL1Loss(x, y), 'smooth_l1_loss sum': () => F.smoothL1Loss(x, y, { reduction: 'sum' }),
  'smooth_l1_loss none': () => F.smoothL1Loss(x, y, { reduction: 'none' }), 'smooth_l1_loss beta 0': () => F.smoothL1Loss(x, y, { beta: 0 }),
  huber_loss: () => F.huberLoss(x, y), 'huber_loss sum': () => F.huberLoss(x, y, { reduction: 'sum' }),
  'huber_loss none': () => F.huberLoss(x, y, { reduction: 'none', delta: 0.5 }),
  kl_div: () => F.klDiv(x, y), 'kl_div batchmean': () => F.klDiv(x, y, { reduction: 'batchmean' }), 'kl_div sum': () => F.klDiv(x, y, { reduction: 'sum' }),
  'kl_div none': () => F.klDiv(x, y, { reduction: 'none' }), 'kl_div log_target none': () => F.klDiv(x, y, { reduction: 'none', logTarget: true }),
  'kl_div log_target batchmean': () => F.klDiv(x, y, { reduction: 'batchmean', logTarget: true }),
  'kl_div batchmean 0-d': () => F.klDiv(s, s.detach(), { reduction: 'batchmean' }),
  'kl_div target grad none': () => F.klDiv(x, flipped(), { reduction: 'none' }),
  'nn.L1Loss': () => new nn.L1Loss().forward(x, y), 'nn.SmoothL1Loss': () => new nn.SmoothL1Loss({ beta: 0.5 }).forward(x, y),
  'nn.HuberLoss': () => new nn.HuberLoss({ delta: 2 }).forward(x, y), 'nn.KLDivLoss': () => new nn.KLDivLoss({ reduction: 'batchmean' }).forward(x, y),
  embedding: () => F.embedding(tensor([0, 2, 0]), W), 'embedding 2-d padding': () => F.embedding(tensor([[0, 3], [1, 0]]), W, { paddingIdx: 0 }),
  'embedding 0-d': () => F.embedding(tensor(1), W), 'embedding scale_grad_by_freq': () => F.embedding(tensor([1, 1]), W, { scaleGradByFreq: true }),
  'nn.Embedding': () => new nn.Embedding(4, 3).forward(tensor([1, 2])),
  'nn.Embedding from_pretrained frozen': () => nn.Embedding.fromPretrained(W.detach()).forward(tensor([1])),
  'nn.MultiheadAttention output': () => new nn.MultiheadAttention(4, 2).forward(b, b, b)[0],
  'nn.MultiheadAttention weights': () => new nn.MultiheadAttention(4, 2).forward(b, b, b)[1]!,
  'nn.MultiheadAttention batch_first output': () => new nn.MultiheadAttention(4, 2, { batchFirst: true }).forward(b, b, b)[0],
  'nn.MultiheadAttention per-head weights': () => new nn.MultiheadAttention(4, 2).forward(b, b, b, { averageAttnWeights: false })[1]!,
  'nn.MultiheadAttention unbatched output': () => new nn.MultiheadAttention(4, 2).forward(b.select(0, 0), b.select(0, 0), b.select(0, 0))[0],
  'nn.MultiheadAttention unbatched weights': () => new nn.MultiheadAttention(4, 2).forward(b.select(0, 0), b.select(0, 0), b.select(0, 0))[1]!,
  'nn.TransformerEncoderLayer': () => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 }).forward(b),
  'nn.TransformerEncoderLayer norm_first': () => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, normFirst: true }).forward(b),
  'nn.TransformerEncoder': () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0 }), 2).forward(b),
  'nn.TransformerEncoder norm': () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 }), 1, { norm: new nn.LayerNorm(4) }).forward(b),
  'nn.TransformerDecoderLayer': () => new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 }).forward(b, b),
  'nn.TransformerDecoderLayer norm_first': () => new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8, normFirst: true }).forward(b, b),
  'nn.TransformerDecoder': () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 }), 2).forward(b, b),
  'nn.Transformer': () => new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 }).forward(b, b),
  'nn.Transformer.generate_square_subsequent_mask': () => nn.Transformer.generateSquareSubsequentMask(3),
  // normalisation layers (session 55)
  group_norm: () => F.groupNorm(p4, 3), 'group_norm affine': () => F.groupNorm(p4, 1, w, w), 'nn.GroupNorm': () => new nn.GroupNorm(3, 3).forward(p4),
  instance_norm: () => F.instanceNorm(b), 'instance_norm affine': () => F.instanceNorm(p4, { weight: w, bias: w }),
  'nn.InstanceNorm1d unbatched': () => new nn.InstanceNorm1d(2).forward(x),
  'nn.InstanceNorm2d eval tracked': () => new nn.InstanceNorm2d(3, { trackRunningStats: true }).eval().forward(p4),
  normalize: () => F.normalize(x), 'normalize p1 dim0': () => F.normalize(x, 1, 0),
  local_response_norm: () => F.localResponseNorm(b, 2), 'nn.LocalResponseNorm': () => new nn.LocalResponseNorm(3).forward(p4),
  random_: () => x.clone().random_(), 'random_ to': () => x.clone().random_(10), 'random_ from to': () => x.clone().random_(-5, 5),
  log_normal_: () => x.clone().logNormal_(), cauchy_: () => x.clone().cauchy_(), geometric_: () => x.clone().geometric_(0.5),
  'normal tensor mean': () => normal(x, 1), 'normal tensor std': () => normal(0.5, x), 'normal tensor mean and std': () => normal(x, v),
  mm: () => mm(x, W.t()), bmm: () => bmm(b, b.transpose(1, 2)), mv: () => mv(W, v), dot: () => dot(v, w),
  outer: () => outer(v, bias), ger: () => ger(v, w), 'inner 1-d': () => inner(v, w), 'inner 2-d': () => inner(x, W),
  'inner 0-d': () => inner(s, x), kron: () => kron(x, W), addmm: () => addmm(bias, x, W.t()),
  'addmm beta alpha': () => addmm(bias, x, W.t(), { beta: 0.5, alpha: 2 }), addmv: () => addmv(bias, W, v),
  baddbmm: () => baddbmm(b.narrow(2, 0, 3), b, b.transpose(1, 2)), addbmm: () => addbmm(x, b.narrow(2, 0, 2).transpose(1, 2), b.narrow(2, 0, 3)),
  prod: () => x.prod(), 'prod dim': () => x.prod(1), 'prod dim keepdim': () => b.prod(-1, true), 'prod 0-d': () => s.prod(),
  amax: () => x.amax(), 'amax dims': () => b.amax([0, 2]), amin: () => x.amin(1), 'amin keepdim': () => b.amin(-1, true),
  nansum: () => x.nansum(), 'nansum dim': () => x.nansum(1), nanmean: () => x.nanmean(), 'nanmean dim': () => b.nanmean([0, 1]),
  count_nonzero: () => x.countNonzero(), diff: () => x.diff(), 'diff n 2 dim 0': () => b.diff(2, 0), 'diff n 0': () => x.diff(0),
  'diff prepend': () => x.diff(1, 0, { prepend: x }), isclose: () => x.isclose(x), cummax: () => x.cummax(1)[0], cummin: () => b.cummin(0)[0],
  median: () => x.median(), 'median dim': () => x.median(1)[0], nanmedian: () => x.nanmedian(), 'nanmedian dim': () => b.nanmedian(-1, true)[0],
  kthvalue: () => x.kthvalue(2)[0], mode: () => b.mode(0)[0], logcumsumexp: () => b.logcumsumexp(-2),
  prelu: () => F.prelu(x, tensor([0.25])), 'prelu channels': () => F.prelu(b, w), 'nn.PReLU': () => new nn.PReLU(3).forward(x),
  selu: () => F.selu(x), 'selu inplace': () => F.selu(x.clone(), true), celu: () => F.celu(x, 0.5),
  'celu inplace': () => F.celu(x.clone(), { inplace: true }), hardswish: () => F.hardswish(x),
  'hardswish inplace': () => new nn.Hardswish(true).forward(x.clone()), hardsigmoid: () => F.hardsigmoid(x), mish: () => F.mish(x),
  'mish inplace': () => new nn.Mish(true).forward(x.clone()), logsigmoid: () => F.logsigmoid(x), softsign: () => F.softsign(x),
  softmin: () => F.softmin(x, 1), 'nn.Softmin': () => new nn.Softmin(0).forward(x), tanhshrink: () => F.tanhshrink(x),
  threshold: () => F.threshold(x, 0.3, 2), 'threshold inplace': () => F.threshold(x.clone(), 0.3, 2, true),
  'nn.Threshold': () => new nn.Threshold(0.3, -1).forward(x),
  // binary and ternary elementwise math (session 56)
  atan2: () => atan2(x, v), fmod: () => x.fmod(v), 'fmod scalar': () => x.fmod(2), remainder: () => x.remainder(v),
  'remainder scalar': () => x.remainder(2), floor_divide: () => x.floorDivide(2), true_divide: () => x.trueDivide(v),
  hypot: () => x.hypot(v), logaddexp: () => x.logaddexp(v), logaddexp2: () => x.logaddexp2(v), fmax: () => x.fmax(v),
  fmin: () => x.fmin(v), xlogy: () => x.xlogy(v), 'xlogy scalar other': () => x.xlogy(2), 'xlogy scalar self': () => xlogy(2, x),
  copysign: () => x.copysign(v), 'copysign scalar': () => x.copysign(-1), lerp: () => x.lerp(v, 0.3),
  'lerp tensor weight': () => x.lerp(v, x), addcmul: () => x.addcmul(v, x, { value: 0.5 }), addcdiv: () => x.addcdiv(x, v),
  clamp_min: () => x.clampMin(0.2), 'clamp_min tensor': () => x.clampMin(v), clamp_max: () => x.clampMax(0.2),
  'clamp_max tensor': () => x.clampMax(v), clip: () => x.clip(0.2, 0.5), logical_and: () => x.logicalAnd(v),
  logical_not: () => x.logicalNot(),
  'nn.RNNCell': () => new nn.RNNCell(3, 4).forward(x), 'nn.RNNCell relu unbatched': () => new nn.RNNCell(3, 4, { nonlinearity: 'relu' }).forward(v),
  'nn.LSTMCell h': () => new nn.LSTMCell(3, 4).forward(x)[0], 'nn.LSTMCell c': () => new nn.LSTMCell(3, 4).forward(x)[1],
  'nn.GRUCell': () => new nn.GRUCell(3, 4).forward(x),
  'nn.RNN output': () => new nn.RNN(4, 2).forward(b)[0], 'nn.RNN h_n': () => new nn.RNN(4, 2, 2).forward(b)[1],
  'nn.LSTM bidirectional output': () => new nn.LSTM(4, 2, { bidirectional: true }).forward(b)[0],
  'nn.LSTM c_n': () => new nn.LSTM(4, 2).forward(b)[1][1],
  'nn.LSTM batch_first output': () => new nn.LSTM(4, 2, { batchFirst: true }).forward(b)[0],
  'nn.GRU batch_first output': () => new nn.GRU(4, 2, { batchFirst: true }).forward(b)[0],
  'nn.GRU unbatched h_n': () => new nn.GRU(3, 2).forward(x)[1],
  dropout1d: () => F.dropout1d(b, 0.5), 'dropout1d unbatched': () => F.dropout1d(x, 0.5), dropout2d: () => F.dropout2d(p4, 0.5),
  'dropout2d all': () => F.dropout2d(p4, 1), 'dropout3d unbatched': () => F.dropout3d(p4, 0.5), alpha_dropout: () => F.alphaDropout(x, 0.5, true),
  'alpha_dropout all': () => F.alphaDropout(x, 1, true), 'alpha_dropout eval': () => F.alphaDropout(x, 0.5),
  feature_alpha_dropout: () => F.featureAlphaDropout(b, 0.5, true), 'nn.Dropout2d': () => new nn.Dropout2d(0.3).forward(p4),
  'nn.AlphaDropout eval': () => new nn.AlphaDropout(0.3).eval().forward(x),
  bilinear: () => F.bilinear(x, x, b.narrow(1, 0, 3).narrow(2, 0, 3), bias.narrow(0, 0, 2)),
  'bilinear no bias': () => F.bilinear(x, x, b.narrow(1, 0, 3).narrow(2, 0, 3)),
  'bilinear 1-d': () => F.bilinear(v, w, b.narrow(1, 0, 3).narrow(2, 0, 3)), 'nn.Bilinear': () => new nn.Bilinear(3, 3, 2).forward(x, x),
  pad_sequence: () => nn.utils.rnn.padSequence([x, v.narrow(0, 0, 1).expand(1, 3)]),
  'pad_sequence batch_first': () => nn.utils.rnn.padSequence([v, w], { batchFirst: true }),
  // padding (session 56)
  'F.pad constant': () => F.pad(b, [1, 2]), 'F.pad constant crop': () => F.pad(q, [-1, 1, 0, 2], { value: 0.5 }),
  'F.pad reflect 1-d': () => F.pad(b, [2, 1], { mode: 'reflect' }), 'F.pad reflect 2-d': () => F.pad(q, [1, 1, 2, 0], { mode: 'reflect' }),
  'F.pad replicate 1-d': () => F.pad(x, [3, 1], { mode: 'replicate' }), 'F.pad replicate 2-d': () => F.pad(img, [1, 2, 1, 0], { mode: 'replicate' }),
  'nn.ZeroPad2d': () => new nn.ZeroPad2d(1).forward(img), 'nn.ReflectionPad1d unbatched': () => new nn.ReflectionPad1d(1).forward(x),
  'nn.ReplicationPad2d': () => new nn.ReplicationPad2d(1).forward(q), 'nn.ConstantPad1d': () => new nn.ConstantPad1d(2, 3.5).forward(b),
  // resampling (session 56)
  'F.interpolate nearest 1-d': () => F.interpolate(b, { scaleFactor: 2 }), 'F.interpolate nearest 2-d': () => F.interpolate(q, { size: [5, 7] }),
  'F.interpolate linear': () => F.interpolate(b, { size: 7, mode: 'linear' }),
  'F.interpolate bilinear align_corners': () => F.interpolate(img, { scaleFactor: 1.5, mode: 'bilinear', alignCorners: true }),
  'nn.Upsample bilinear': () => new nn.Upsample({ size: 3, mode: 'bilinear' }).forward(q), 'nn.Upsample nearest': () => new nn.Upsample({ scaleFactor: 2 }).forward(img),
  'F.pixel_shuffle': () => F.pixelShuffle(p4, 1), 'nn.PixelShuffle': () => new nn.PixelShuffle(2).forward(p4.reshape([3, 4, 1, 2])),
  'F.pixel_unshuffle': () => F.pixelUnshuffle(img, 2), 'nn.PixelUnshuffle unbatched': () => new nn.PixelUnshuffle(2).forward(img.select(0, 0)),
};

/** The name inside `grad_fn=<…>` of the printed tensor, or null when it prints none. */
function printedGradFn(t: Tensor): string | null {
  return /grad_fn=<(\w+)>/.exec(String(t))?.[1] ?? null;
}

test('the cases here are the fixture\'s, the same set of names', () => {
  const here = Object.keys(CASES).sort();
  const there = fx.cases.map((c) => c.name).sort();
  assert.deepEqual(here, there);
  assert.ok(fx.cases.length >= 200, `${fx.cases.length} cases`);
});

test('each op\'s grad_fn prints as PyTorch 1.13 names it, and gradFn.torchName is that name', () => {
  const wrong: string[] = [];
  for (const c of fx.cases) {
    const out = CASES[c.name]!();
    const printed = printedGradFn(out);
    const property = out.gradFn === null ? null : out.gradFn.torchName ?? null;
    if (printed !== c.gradFn || property !== c.gradFn) wrong.push(`${c.name} (${c.expr}): PyTorch ${c.gradFn}, printed ${printed}, torchName ${property}`);
  }
  assert.deepEqual(wrong, []);
});

// In-place ops on a tensor of the graph: PyTorch names the node as the out-of-place op (AddBackward0,
// ClampBackward1; copy_ is CopyBackwards, fill_ FillBackward2), and so does Kindling (ops/rebase.ts).
const INPLACE: Record<string, (t: Tensor) => Tensor> = {
  add_: (t) => t.add_(1), sub_: (t) => t.sub_(x), mul_: (t) => t.mul_(2), div_: (t) => t.div_(2),
  clamp_: (t) => t.clamp_(0.2, 0.5), copy_: (t) => t.copy_(y), fill_: (t) => t.fill_(1), zero_: (t) => t.zero_(),
};

test('in-place ops on a tensor of the graph are recorded under PyTorch\'s names (AddBackward0, CopyBackwards, …)', () => {
  assert.deepEqual(Object.keys(INPLACE).sort(), fx.inplace.map((c) => c.name).sort());
  const wrong: string[] = [];
  for (const c of fx.inplace) {
    const t = x.clone();
    const out = INPLACE[c.name]!(t);
    assert.equal(out, t, `${c.name} returns the tensor it changed`);
    if (out.gradFn?.torchName !== c.gradFn) wrong.push(`${c.name}: PyTorch ${c.gradFn}, Kindling ${out.gradFn?.torchName}`);
  }
  assert.deepEqual(wrong, []);
});

test('torchName is read-only and stays after backward; the internal name is unchanged; a GradFn of one\'s own prints its name', () => {
  const a = leaf([[1, 2], [3, 4]]);
  const out = a.view(4);
  assert.equal(out.gradFn?.name, 'reshape', 'errors still quote Kindling\'s name');
  assert.equal(out.gradFn?.torchName, 'ViewBackward0');
  assert.throws(() => { (out.gradFn as { torchName?: string }).torchName = 'X'; }, TypeError);
  const loss = a.clamp(0, 3).sum(0).sum();
  const node = loss.gradFn!;
  loss.backward();
  assert.equal(node.torchName, 'SumBackward0', 'a released node keeps its names');
  assert.equal(String(loss), 'tensor(9., grad_fn=<SumBackward0>)');
  // A GradFn without torchName (the interface leaves it optional) prints as before: its name capitalized.
  const own = tensor([1, 2]);
  own.requiresGrad = true;
  own.gradFn = { name: 'identityCalling', inputs: [a], backward: (g) => [g] };
  assert.equal(String(own), 'tensor([1., 2.], grad_fn=<IdentityCallingBackward0>)');
});

test("the norms' gradients taken with createGraph print PyTorch 1.13's grad_fn, not a second Backward0", () => {
  // PyTorch 1.13: torch.autograd.grad([m(x).pow(2).sum()], [x, *m.parameters()], create_graph=True), each grad_fn's class.
  const input = grid(2, 4, 3);
  const cases: [string, nn.Module, string][] = [
    ['BatchNorm1d(4)', new nn.BatchNorm1d(4), 'NativeBatchNormBackwardBackward0'],
    ['BatchNorm1d(4).eval()', new nn.BatchNorm1d(4).eval(), 'NativeBatchNormBackwardBackward0'],
    ['LayerNorm(3)', new nn.LayerNorm(3), 'NativeLayerNormBackwardBackward0'],
    ['GroupNorm(2, 4)', new nn.GroupNorm(2, 4), 'ReshapeAliasBackward0'],
  ];
  for (const [name, m, want] of cases) {
    const grads = autograd.grad([(m.forward(input) as Tensor).pow(2).sum()], [input, ...m.parameters()], { createGraph: true });
    assert.deepEqual(grads.map((g) => g!.gradFn?.torchName), [want, want, want], name);
    assert.match(String(grads[0]), new RegExp(`grad_fn=<${want}>\\)$`), name);
  }
});
