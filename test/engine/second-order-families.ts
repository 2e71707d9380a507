// Families of ops whose second derivatives are checked twice: by gradgradcheck and against the plain backward
// (test/engine/second-order.test.ts) and against PyTorch 1.13's Hessian-vector products (test/golden/
// second-order-more.test.ts, whose fixture script writes the same functions in PyTorch).
import {
  addr, blockDiag, choleskyInverse, choleskySolve, diagonalScatter, F, floatPower, frexp, linalg, maskedScatter, mvlgamma, nn,
  scatterReduce, selectScatter, sliceScatter, tensor, zeros, type Tensor,
} from '../../src/index.js';

export const FAMILIES: Record<string, (...xs: Tensor[]) => Tensor> = {
  alphaAddr: (a, w) => a.add(a.mul(a), 2).sub(a.exp(), 0.5).mul(a).sum()
    .add(addr(a.narrow(1, 0, 2), a.select(1, 2), w.select(1, 0).narrow(0, 0, 2), { beta: 0.5, alpha: 2 }).pow(2).sum())
    .add(a.mul(a).rot90(1, [0, 1]).matmul(w.t().narrow(1, 0, 2).t()).sum())
    .add(blockDiag(a.mul(a), w.exp()).pow(2).sum()).add(a.mul(a).amax(1).pow(2).sum()).add(a.round().mul(a).amin(0).pow(2).sum()),
  scatterReduce: (a, w) => {
    const index = tensor([[0, 0, 2], [1, 1, 1]]);
    const src = w.t().mul(w.t()).add(0.1);
    let total = a.sum().mul(0);
    for (const reduce of ['sum', 'prod', 'mean', 'amax', 'amin'] as const) {
      for (const includeSelf of [true, false]) total = total.add(scatterReduce(a.mul(a).add(0.2), 1, index, src, reduce, { includeSelf }).pow(2).sum());
    }
    return total;
  },
  bceWeighted: (a, p) => F.binaryCrossEntropy(a.sigmoid(), p, { weight: tensor([0.5, 1, 2]) }).mul(a.sum())
    .add(F.binaryCrossEntropy(a.sigmoid(), p, { weight: tensor([[2], [0.5]]), reduction: 'sum' }).pow(2))
    .add(F.binaryCrossEntropyWithLogits(a, p, { weight: tensor([0.5, 1, 2]), posWeight: tensor([1, 2, 3]) }).mul(a.sum()))
    .add(F.binaryCrossEntropyWithLogits(a.mul(2), p, { weight: tensor([1.5, 1, 0.5]), reduction: 'none' }).pow(2).sum()),
  choleskyLu: (a, w) => {
    const m = a.matmul(w).add(tensor([[2, 0], [0, 2]]));
    const spd = m.matmul(m.t()).add(tensor([[1, 0], [0, 1]]));
    const low = linalg.cholesky(spd);
    const [lu, pivots] = linalg.luFactor(m);
    const [, L, U] = linalg.lu(w.t().matmul(w).add(tensor([[1, 0], [0, 1]])));
    return choleskySolve(a.narrow(1, 0, 2).t(), low).pow(2).sum().add(choleskyInverse(low).pow(2).sum())
      .add(choleskyInverse(low.t(), true).sum()).add(lu.pow(2).sum()).add(L.mul(U).sum()).add(U.pow(2).sum())
      .add(linalg.luSolve(lu, pivots, a.narrow(1, 0, 2)).pow(2).sum()).add(linalg.luSolve(lu, pivots, w.narrow(0, 0, 2), { left: false }).pow(2).sum())
      .add(linalg.luSolve(lu, pivots, a.narrow(1, 1, 2), { adjoint: true }).pow(2).sum());
  },
  scatters: (a, w) => {
    const sq = a.mul(a);
    const viewed = a.mul(w.t());
    viewed.narrow(1, 1, 2).mul_(a.narrow(1, 0, 2));
    const filled = a.mul(2);
    filled.fillDiagonal_(3);
    const copied = zeros([2, 3]);
    copied.copy_(a.exp());
    const part = a.mul(a);
    part.select(0, 1).fill_(0.5);
    return selectScatter(sq, a.select(0, 0).exp(), 0, 1).pow(2).sum().add(sliceScatter(sq, a.narrow(1, 0, 1).sin(), 1, 2, 3).pow(2).sum())
      .add(diagonalScatter(sq, a.narrow(1, 0, 2).diagonal().exp()).pow(2).sum())
      .add(maskedScatter(sq, tensor([[1, 0, 1], [0, 1, 0]]).gt(0.5), w.t().exp()).pow(2).sum())
      .add(viewed.pow(2).sum()).add(filled.mul(a).sum()).add(copied.mul(a).sum()).add(part.mul(a).sum())
      .add(sq.indexPut([tensor([1, 0, 1])], a.select(0, 0).exp(), { accumulate: true }).pow(2).sum())
      .add(sq.indexPut([tensor([0]), tensor([2])], a.sum()).pow(2).sum())
      .add(sq.indexFill(1, tensor([0, 2]), a.sum()).pow(2).sum()).add(sq.indexCopy(1, tensor([2, 0]), a.narrow(1, 0, 2).exp()).pow(2).sum());
  },
  unaryMore: (a, w) => {
    const t = a.mul(0.5);
    const [pooled, at] = F.maxPool2d(a.reshape([1, 1, 2, 3]), [1, 2], { returnIndices: true }) as [Tensor, Tensor];
    const padded = nn.utils.rnn.padSequence([a.mul(a), w.t().narrow(0, 0, 1).exp()]);
    const packed = nn.utils.rnn.packPaddedSequence(a.exp().reshape([3, 2, 1]), [3, 2]).data;
    return t.asin().add(t.acos().mul(a)).add(t.atanh()).add(a.abs().add(1.2).acosh()).add(a.mul(3).frac().mul(a)).sum()
      .add(a.log().nanToNum().mul(a).sum()).add(mvlgamma(a.abs().add(2), 3).mul(a).sum()).add(frexp(a.mul(a).add(0.1))[0]!.mul(a).sum())
      .add(floatPower(a.abs().add(0.5), w.t()).sum())
      .add(F.maxUnpool2d(pooled.mul(pooled), at, [1, 2], { outputSize: [2, 3] }).mul(a.reshape([1, 1, 2, 3])).sum())
      .add(padded.pow(2).sum()).add(packed.pow(2).sum());
  },
};
