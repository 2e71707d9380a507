// torch.linalg's functions Kindling has, under PyTorch's names camel-cased: `linalg.det(A)`, `linalg.solve(A, B)`, …
export { det, slogdet } from './det.js';
export { inv, invEx, solve, solveEx, type SolveOptions } from './inverse.js';
export { matrixNorm, norm, vectorNorm, type MatrixNormOptions, type VectorNormOptions } from './norms.js';
export { matrixPower } from './matrix-power.js';
export { cross } from './cross.js';
export { cholesky, choleskyEx, type CholeskyOptions } from './cholesky.js';
export { solveTriangular, type SolveTriangularOptions } from './solve-triangular.js';
export { eigh, eigvalsh, type EighOptions } from './eigh.js';
export { svd, svdvals, type SvdOptions } from './svd.js';
export { cond, matrixRank, type MatrixRankOptions } from './rank.js';
export { qr, type QrMode } from './qr.js';
export { matrixExp, pinv, type PinvOptions } from './pinv.js';
export { lstsq, type LstsqDriver, type LstsqOptions, type LstsqResult } from './lstsq.js';
export type { Tolerance } from './tolerance.js';
export { choleskyInverse, choleskySolve, multiDot, vander } from './chain.js';
export { householderProduct } from './householder.js';
export { lu, luFactor, luFactorEx, luSolve, type LuFactorExOptions, type LuFactorOptions, type LuSolveOptions } from './lu-factor.js';
export { diagonal, matmul, tensorinv, tensorsolve, vecdot } from './linalg-more.js';
