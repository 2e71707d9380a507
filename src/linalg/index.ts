// torch.linalg's functions Kindling has, under PyTorch's names camel-cased: `linalg.det(A)`, `linalg.solve(A, B)`, …
export { det, slogdet } from './det.js';
export { inv, solve, type SolveOptions } from './inverse.js';
export { matrixNorm, norm, vectorNorm, type MatrixNormOptions, type VectorNormOptions } from './norms.js';
export { matrixPower } from './matrix-power.js';
export { cross } from './cross.js';
