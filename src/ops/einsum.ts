// Einstein summation, as PyTorch 1.13's `torch.einsum` (ATen's Linear.cpp): the equation is parsed into labels, each
// operand is brought to one aligned layout (output dimensions first, then the contracted ones; repeated labels taken
// as diagonals, missing ones unsqueezed), and the operands are contracted left to right, a pair at a time, by
// permuting to [batch, left, summed] × [batch, summed, right] and one `bmm`. The same ops in the same order as
// PyTorch's, so gradients come from autograd and the result's grad_fn is PyTorch's (ViewBackward0 after a contraction,
// MulBackward0 for a plain product, SumBackward1 or PermuteBackward0 for one operand); values agree within float32
// rounding (the matrix products sum in another order).
import { describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { bmm } from './products.js';
import { checkTensor } from './util.js';

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

const LETTERS = 26;
const LABELS = LETTERS * 2;
const ELLIPSIS = LABELS;

/** A–Z are 0–25 and a–z 26–51, so an implicit output lists upper-case labels first, as PyTorch's. */
const subscript = (c: string): number => (c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 65 : c.charCodeAt(0) - 97 + LETTERS);
const label = (s: number): string => String.fromCharCode(s < LETTERS ? s + 65 : s - LETTERS + 97);
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

function fail(message: string): never {
  throw new RangeError(`einsum(): ${message}`);
}

/** The labels of each operand (ELLIPSIS for `...`), spaces ignored, with PyTorch's messages for a malformed left side. */
function parseInputs(lhs: string, count: number): number[][] {
  const labels: number[][] = Array.from({ length: count }, () => []);
  let op = 0;
  let ellipsis = false;
  for (let i = 0; i < lhs.length; i++) {
    const c = lhs[i]!;
    if (c === ' ') continue;
    if (c === '.') {
      if (ellipsis) fail(`found '.' for operand ${op} for which an ellipsis was already found`);
      if (!(i + 2 < lhs.length && lhs[++i] === '.' && lhs[++i] === '.')) fail(`found '.' for operand ${op} that is not part of any ellipsis`);
      labels[op]!.push(ELLIPSIS);
      ellipsis = true;
    } else if (c === ',') {
      op++;
      if (op >= count) fail('fewer operands were provided than specified in the equation');
      ellipsis = false;
    } else {
      if (!isAlpha(c)) fail(`invalid subscript given at index ${i} in the equation string, subscripts must be in [a-zA-Z]`);
      labels[op]!.push(subscript(c));
    }
  }
  if (op !== count - 1) fail('more operands were provided than specified in the equation');
  return labels;
}

/** A subscript of einsum's sublist form: a label as a number, 0–25 for A–Z and 26–51 for a–z, or `'...'` (Python's `Ellipsis`). */
export type Subscript = number | '...';

/**
 * The equation and operands of einsum's sublist form, `einsum(a, [0, 1], b, [1, 2], [0, 2])`: each operand followed by
 * its subscripts, then optionally the output's, turned into the equation string as PyTorch's torch.einsum does.
 */
function fromSublists(args: readonly unknown[]): { equation: string; operands: Tensor[] } {
  const letters = (list: unknown, what: string): string => {
    if (!Array.isArray(list)) throw new TypeError(`einsum(): the subscripts of ${what} must be an array of numbers (0–51) and '...', got ${describeValue(list)}`);
    return list.map((s: unknown) => {
      if (s === '...') return '...';
      if (typeof s !== 'number' || !Number.isInteger(s)) throw new TypeError(`einsum(): a subscript of ${what} must be an integer or '...', got ${describeValue(s)}`);
      if (s < 0 || s >= LABELS) throw new RangeError('einsum(): subscript in subscript list is not within the valid range [0, 52)');
      return label(s);
    }).join('');
  };
  const operands: Tensor[] = [];
  const inputs: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    operands.push(args[i] as Tensor);
    inputs.push(letters(args[i + 1], `operand ${i / 2}`));
  }
  const output = args.length % 2 === 1 ? `->${letters(args[args.length - 1], 'the output')}` : '';
  return { equation: inputs.join(',') + output, operands };
}

/**
 * `einsum('ij,jk->ik', a, b)`: sums the products of the operands' elements over the labels the output (after `->`)
 * does not name. Labels are letters; `...` stands for the dimensions no label names (broadcast between operands); a
 * label repeated in one operand takes its diagonal (`'ii->i'`); without `->` the output is `...` then the labels
 * seen once, in alphabetical order (upper case first). Sizes of 1 broadcast. The operands may also come as one array,
 * or in PyTorch's sublist form, each followed by its subscripts and then optionally the output's: `einsum(a, [0, 1],
 * b, [1, 2], [0, 2])` is `einsum('AB,BC->AC', a, b)` (0–25 are A–Z, 26–51 a–z, `'...'` an ellipsis).
 * @throws RangeError with PyTorch's messages for a malformed equation or sizes that do not match.
 */
export function einsum(equation: string, ...operands: Tensor[] | [readonly Tensor[]]): Tensor;
export function einsum(...sublists: (Tensor | readonly Subscript[])[]): Tensor;
export function einsum(first: unknown, ...rest: unknown[]): Tensor {
  let equation = first;
  let ops0: readonly Tensor[];
  if (isTensor(first) && rest.length > 0) ({ equation, operands: ops0 } = fromSublists([first, ...rest]));
  else ops0 = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as Tensor[]) : (rest as Tensor[]);
  if (typeof equation !== 'string' || ops0.length === 0) {
    throw new TypeError('einsum(): must specify the equation string and at least one operand, or at least one operand and its subscripts list');
  }
  ops0.forEach((t, i) => checkTensor(t, 'einsum', `operand ${i}`));
  const n = ops0.length;
  const arrow = equation.indexOf('->');
  const lhs = arrow < 0 ? equation : equation.slice(0, arrow);
  const opLabels = parseInputs(lhs, n);

  const labelCount = new Array<number>(LABELS).fill(0);
  let ellDims = 0;
  opLabels.forEach((labels, i) => {
    const ndim = ops0[i]!.ndim;
    let nlabels = labels.length;
    let hasEllipsis = false;
    for (const l of labels) {
      if (l === ELLIPSIS) {
        nlabels--;
        hasEllipsis = true;
        ellDims = Math.max(ellDims, ndim - nlabels);
      } else labelCount[l]!++;
    }
    if (hasEllipsis ? nlabels > ndim : nlabels !== ndim) {
      fail(`the number of subscripts in the equation (${nlabels}) ${hasEllipsis ? 'is more than' : 'does not match'} the number of dimensions (${ndim}) for operand ${i}${hasEllipsis ? '' : ' and no ellipsis was given'}`);
    }
  });

  // Every label's index in the aligned layout: the output's dimensions, then the contracted ones.
  const permIndex = new Array<number>(LABELS).fill(-1);
  let index = 0;
  let ellIndex = 0;
  let ellInOutput = false;
  if (arrow < 0) {
    index = ellDims;
    ellInOutput = true;
    for (let l = 0; l < LABELS; l++) if (labelCount[l] === 1) permIndex[l] = index++;
  } else {
    const rhs = equation.slice(arrow + 2);
    for (let i = 0; i < rhs.length; i++) {
      const c = rhs[i]!;
      if (c === ' ') continue;
      if (c === '.') {
        if (ellInOutput) fail("found '.' for output but an ellipsis (...) was already found");
        if (!(i + 2 < rhs.length && rhs[++i] === '.' && rhs[++i] === '.')) fail("found '.' for output that is not part of any ellipsis (...)");
        ellIndex = index;
        index += ellDims;
        ellInOutput = true;
      } else {
        if (!isAlpha(c)) fail(`invalid subscript given at index ${lhs.length + 2 + i} in the equation string, subscripts must be in [a-zA-Z]`);
        const s = subscript(c);
        if (!(labelCount[s]! > 0 && permIndex[s] === -1)) {
          fail(`output subscript ${c}${permIndex[s]! > -1 ? ' appears more than once in the output' : ' does not appear in the equation for any input operand'}`);
        }
        permIndex[s] = index++;
      }
    }
  }
  const outDims = index;
  if (!ellInOutput) {
    ellIndex = index;
    index += ellDims;
  }
  for (let l = 0; l < LABELS; l++) if (labelCount[l]! > 0 && permIndex[l] === -1) permIndex[l] = index++;
  const total = index;

  // Align every operand: sizes checked, diagonals taken, missing dimensions unsqueezed, then permuted.
  const labelSize = new Array<number>(LABELS).fill(1);
  const ellSizes = new Array<number>(ellDims).fill(1);
  const dimCounts = new Array<number>(total).fill(0);
  const ops: Tensor[] = [];
  opLabels.forEach((labels, i) => {
    let op = ops0[i]!;
    const permutation = new Array<number>(total).fill(-1);
    let dim = 0;
    for (const s of labels) {
      if (s === ELLIPSIS) {
        const ndim = ops0[i]!.ndim - (labels.length - 1);
        for (let j = ellDims - ndim; j < ellDims; j++) {
          const size = op.shape[dim]!;
          if (size !== 1) {
            if (!(ellSizes[j] === 1 || ellSizes[j] === size)) {
              fail(`dimension ${dim} covered by ellipsis in operand ${i}has size ${size} which does not broadcast with previously seen ellipsis with size ${ellSizes[j]} for the respective dimension`);
            }
            ellSizes[j] = size;
            dimCounts[ellIndex + j]!++;
          }
          permutation[ellIndex + j] = dim++;
        }
      } else if (permutation[permIndex[s]!] === -1) {
        const size = op.shape[dim]!;
        if (size !== 1) {
          if (!(labelSize[s] === 1 || labelSize[s] === size)) {
            fail(`subscript ${label(s)} has size ${size} for operand ${i} which does not broadcast with previously seen size ${labelSize[s]}`);
          }
          labelSize[s] = size;
          dimCounts[permIndex[s]!]!++;
        }
        permutation[permIndex[s]!] = dim++;
      } else {
        // A repeated label: its diagonal, kept where the label first appeared.
        const prev = permutation[permIndex[s]!]!;
        if (op.shape[dim] !== op.shape[prev]) {
          fail(`subscript ${label(s)} is repeated for operand ${i} but the sizes don't match, ${op.shape[dim]} != ${op.shape[prev]}`);
        }
        op = op.diagonal(0, prev, dim).movedim(-1, prev);
      }
    }
    for (let k = 0; k < total; k++) {
      if (permutation[k] === -1) {
        op = op.unsqueeze(dim);
        permutation[k] = dim++;
      }
    }
    ops.push(op.permute(permutation));
  });

  // Contract left to right: the result of each pair goes to the front.
  while (ops.length > 1) {
    let a = ops.shift()!;
    let b = ops.shift()!;
    const sumDims: number[] = [];
    const aSum: number[] = [];
    const bSum: number[] = [];
    for (let d = outDims; d < total; d++) {
      if (a.shape[d] !== 1 && b.shape[d] !== 1) {
        if (--dimCounts[d]! === 1) {
          sumDims.push(d);
          dimCounts[d] = 0;
        }
      } else if (dimCounts[d] === 1) {
        if (a.shape[d] !== 1) {
          aSum.push(d);
          dimCounts[d] = 0;
        } else if (b.shape[d] !== 1) {
          bSum.push(d);
          dimCounts[d] = 0;
        }
      }
    }
    if (aSum.length > 0) a = a.sum(aSum, true);
    if (bSum.length > 0) b = b.sum(bSum, true);
    ops.unshift(sumProductPair(a, b, sumDims));
  }

  const result = ops[0]!;
  if (total - outDims > 0) {
    if (n > 1) return result.view(result.shape.slice(0, outDims));
    return result.sum(Array.from({ length: total - outDims }, (_, k) => outDims + k));
  }
  return result;
}

/**
 * (left · right) summed over `sumDims`, keeping them as size 1, for operands of the same rank whose sizes match or are
 * 1: PyTorch's sumproduct_pair, by a permutation to [batch, left, summed] × [batch, summed, right] and one `bmm`.
 */
function sumProductPair(left0: Tensor, right0: Tensor, sumDims: readonly number[]): Tensor {
  if (sumDims.length === 0) return left0.mul(right0);
  let left = left0;
  let right = right0;
  const rank = left.ndim;
  const summed = new Set(sumDims);
  const lro: number[] = [];
  const lo: number[] = [];
  const ro: number[] = [];
  let lroSize = 1;
  let loSize = 1;
  let roSize = 1;
  let sumSize = 1;
  for (let i = 0; i < rank; i++) {
    const sl = left.shape[i] !== 1;
    const sr = right.shape[i] !== 1;
    if (summed.has(i)) {
      if (sl && sr) sumSize *= left.shape[i]!;
      else if (sl) left = left.sum(i, true);
      else if (sr) right = right.sum(i, true);
    } else if (sl && sr) {
      lro.push(i);
      lroSize *= left.shape[i]!;
    } else if (sl) {
      lo.push(i);
      loSize *= left.shape[i]!;
    } else {
      ro.push(i);
      roSize *= right.shape[i]!;
    }
  }
  const outSize = [...lro.map((d) => left.shape[d]!), ...lo.map((d) => left.shape[d]!), ...sumDims.map(() => 1), ...ro.map((d) => right.shape[d]!)];
  const lperm = [...lro, ...lo, ...sumDims, ...ro];
  const rperm = [...lro, ...sumDims, ...ro, ...lo];
  const operm = new Array<number>(rank).fill(-1);
  [...lro, ...lo, ...sumDims, ...ro].forEach((d, k) => { operm[d] = k; });
  const l = left.permute(lperm).reshape(lroSize, loSize, sumSize);
  const r = right.permute(rperm).reshape(lroSize, sumSize, roSize);
  return bmm(l, r).view(outSize).permute(operm);
}
