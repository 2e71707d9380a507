// Finite-difference checks (float64 references written here from the definitions, independently of src/) of the s56
// indexing ops: diagonal, diag, diagEmbed, trace, tile, repeatInterleave, unflatten, rot90, scatter, scatterAdd,
// indexAdd, indexFill, indexCopy, take and maskedSelect, for the input and every src/source/value tensor, with
// negative dims, duplicate indices and transposed (strided) inputs.
import { test } from 'node:test';
import { diag, diagEmbed, diagonal, indexAdd, maskedSelect, rot90, scatter, tensor, tile, trace } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(56);
const idx = (values: number[], shape?: number[]) => tensor(values, shape ?? [values.length]);

const strides = (shape: readonly number[]): number[] => shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
const get = (r: R.Ref, at: readonly number[]): number => r.data[at.reduce((o, c, d) => o + c * strides(r.shape)[d]!, 0)]!;
const norm = (d: number, n: number): number => (d < 0 ? d + n : d);

/** A Ref of `shape` whose element at coordinates `at` is `f(at)`. */
function build(shape: readonly number[], f: (at: number[]) => number): R.Ref {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  const at = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    out[i] = f([...at]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++at[d]! < shape[d]!) break;
      at[d] = 0;
    }
  }
  return new R.Ref(out, shape);
}

/** Every coordinate of `shape`, row-major. */
function coords(shape: readonly number[]): number[][] {
  const all: number[][] = [];
  build(shape, (at) => { all.push(at); return 0; });
  return all;
}

function refDiagonal(r: R.Ref, off: number, dim1: number, dim2: number): R.Ref {
  const [d1, d2] = [norm(dim1, r.shape.length), norm(dim2, r.shape.length)];
  const n = Math.max(0, off >= 0 ? Math.min(r.shape[d1]!, r.shape[d2]! - off) : Math.min(r.shape[d1]! + off, r.shape[d2]!));
  const rest = r.shape.filter((_, k) => k !== d1 && k !== d2);
  return build([...rest, n], (at) => {
    const k = at[at.length - 1]!;
    const src: number[] = [];
    for (let d = 0, j = 0; d < r.shape.length; d++) src.push(d === d1 ? k + Math.max(0, -off) : d === d2 ? k + Math.max(0, off) : at[j++]!);
    return get(r, src);
  });
}

function refDiagEmbed(r: R.Ref, off: number, dim1: number, dim2: number): R.Ref {
  const rank = r.shape.length + 1;
  const [d1, d2] = [norm(dim1, rank), norm(dim2, rank)];
  const m = r.shape[r.shape.length - 1]! + Math.abs(off);
  const rest = r.shape.slice(0, -1);
  const shape: number[] = [];
  for (let k = 0, j = 0; k < rank; k++) shape.push(k === d1 || k === d2 ? m : rest[j++]!);
  return build(shape, (at) => {
    if (at[d2]! - at[d1]! !== off) return 0;
    const others = at.filter((_, k) => k !== d1 && k !== d2);
    return get(r, [...others, Math.min(at[d1]!, at[d2]!)]);
  });
}

/** k = 1 rotation in the plane (a, b): out[.., i (at a), .., j (at b), ..] = x[.., j, .., n_b − 1 − i, ..]. */
function refRot90(r: R.Ref, k: number, a: number, b: number): R.Ref {
  let cur = r;
  for (let t = 0; t < ((k % 4) + 4) % 4; t++) {
    const x = cur;
    const shape = x.shape.slice();
    [shape[a], shape[b]] = [x.shape[b]!, x.shape[a]!];
    cur = build(shape, (at) => {
      const src = at.slice();
      src[a] = at[b]!;
      src[b] = x.shape[b]! - 1 - at[a]!;
      return get(x, src);
    });
  }
  return cur;
}

test('gradcheck diagonal, diag, diagEmbed and trace over offsets, dims and a transposed view', () => {
  const x = leaf(rng, [3, 4]);
  for (const [off, d1, d2] of [[0, 0, 1], [1, 0, 1], [-2, 0, 1], [1, 1, 0], [0, -1, -2]] as const) {
    gradcheck(`diagonal(${off}, ${d1}, ${d2})`, { leaves: [x], forward: () => x.diagonal(off, d1, d2).mul(x.diagonal(off, d1, d2)), reference: ([r]) => R.mul(refDiagonal(r!, off, d1, d2), refDiagonal(r!, off, d1, d2)) });
  }
  const b = leaf(rng, [2, 3, 4]);
  gradcheck('diagonal of a 3-D tensor, dims (2, 0)', { leaves: [b], forward: () => diagonal(b, -1, 2, 0), reference: ([r]) => refDiagonal(r!, -1, 2, 0) });
  const t = leaf(rng, [4, 3]);
  gradcheck('diagonal of a transposed view', { leaves: [t], forward: () => t.T.diagonal(1), reference: ([r]) => refDiagonal(R.transpose(r!, 0, 1), 1, 0, 1) });
  const v = leaf(rng, [3]);
  for (const k of [0, 2, -1]) {
    gradcheck(`diag(${k}) of a vector`, { leaves: [v], forward: () => diag(v, k), reference: ([r]) => refDiagEmbed(r!, k, 0, 1) });
    gradcheck(`diag(${k}) of a matrix`, { leaves: [x], forward: () => x.diag(k), reference: ([r]) => refDiagonal(r!, k, 0, 1) });
  }
  const e = leaf(rng, [2, 3]);
  for (const [off, d1, d2] of [[0, -2, -1], [1, 0, 2], [-1, 2, 1]] as const) {
    gradcheck(`diagEmbed(${off}, ${d1}, ${d2})`, { leaves: [e], forward: () => diagEmbed(e, off, d1, d2), reference: ([r]) => refDiagEmbed(r!, off, d1, d2) });
  }
  gradcheck('trace', { leaves: [x], forward: () => trace(x), reference: ([r]) => R.sum(refDiagonal(r!, 0, 0, 1)) });
  gradcheck('trace of a transposed view', { leaves: [t], forward: () => t.T.trace(), reference: ([r]) => R.sum(refDiagonal(R.transpose(r!, 0, 1), 0, 0, 1)) });
});

test('gradcheck tile, repeatInterleave, unflatten and rot90', () => {
  const x = leaf(rng, [2, 3]);
  for (const dims of [[2], [2, 1], [1, 1], [3, 1, 2]]) {
    const full = [...new Array<number>(Math.max(0, 2 - dims.length)).fill(1), ...dims];
    const lead = full.length - 2;
    const shape = full.map((r, i) => r * (i < lead ? 1 : x.shape[i - lead]!));
    gradcheck(`tile(${JSON.stringify(dims)})`, { leaves: [x], forward: () => tile(x, dims), reference: ([r]) => build(shape, (at) => get(r!, at.slice(lead).map((c, d) => c % x.shape[d]!))) });
  }
  const counts = [2, 0, 3];
  const picks = counts.flatMap((c, i) => new Array<number>(c).fill(i));
  gradcheck('repeatInterleave(tensor, 1)', { leaves: [x], forward: () => x.repeatInterleave(tensor(counts), 1), reference: ([r]) => build([2, picks.length], (at) => get(r!, [at[0]!, picks[at[1]!]!])) });
  gradcheck('repeatInterleave(2, -2)', { leaves: [x], forward: () => x.repeatInterleave(2, -2), reference: ([r]) => build([4, 3], (at) => get(r!, [at[0]! >> 1, at[1]!])) });
  gradcheck('repeatInterleave(2) flattened', { leaves: [x], forward: () => x.repeatInterleave(2), reference: ([r]) => build([12], (at) => r!.data[at[0]! >> 1]!) });
  const t = leaf(rng, [3, 2]);
  gradcheck('repeatInterleave of a transposed view', { leaves: [t], forward: () => t.T.repeatInterleave(3, 0), reference: ([r]) => build([6, 3], (at) => get(R.transpose(r!, 0, 1), [Math.floor(at[0]! / 3), at[1]!])) });
  const u = leaf(rng, [2, 6]);
  gradcheck('unflatten(1, [3, -1])', { leaves: [u], forward: () => u.unflatten(1, [3, -1]).mul(2), reference: ([r]) => R.map(R.reshape(r!, [2, 3, 2]), (v) => 2 * v) });
  const ut = leaf(rng, [6, 2]);
  gradcheck('unflatten of a transposed view', { leaves: [ut], forward: () => ut.T.unflatten(-1, [2, 3]), reference: ([r]) => R.reshape(R.transpose(r!, 0, 1), [2, 2, 3]) });
  const y = leaf(rng, [3, 4]);
  for (const k of [1, 2, 3, -1, 0]) {
    gradcheck(`rot90(${k})`, { leaves: [y], forward: () => y.rot90(k), reference: ([r]) => refRot90(r!, k, 0, 1) });
  }
  const z = leaf(rng, [2, 3, 4]);
  gradcheck('rot90(1, [2, 0])', { leaves: [z], forward: () => rot90(z, 1, [2, 0]), reference: ([r]) => refRot90(r!, 1, 2, 0) });
  gradcheck('rot90 of a transposed view', { leaves: [y], forward: () => y.T.rot90(3, [1, 0]), reference: ([r]) => refRot90(R.transpose(r!, 0, 1), 3, 1, 0) });
});

/** x with each index element's place along `dim` written (`add`: added) from src's element at the index's coordinates. */
function refScatter(x: R.Ref, dim: number, index: number[][], src: R.Ref | number, add: boolean): R.Ref {
  const d = norm(dim, x.shape.length);
  const out = new Float64Array(x.data);
  const ishape = [index.length, index[0]!.length];
  const st = strides(x.shape);
  for (const at of coords(ishape)) {
    const to = at.slice();
    to[d] = index[at[0]!]![at[1]!]!;
    const p = to.reduce((o, c, k) => o + c * st[k]!, 0);
    const v = typeof src === 'number' ? src : get(src, at);
    out[p] = add ? out[p]! + v : v;
  }
  return new R.Ref(out, x.shape);
}

test('gradcheck scatter (src and value) and scatterAdd with duplicate indices', () => {
  const x = leaf(rng, [3, 4]);
  const src = leaf(rng, [2, 4]);
  const index = [[1, 2, 0, 1], [0, 1, 2, 2]];
  gradcheck('scatter(0, index, src)', { leaves: [x, src], forward: () => x.scatter(0, idx(index.flat(), [2, 4]), src), reference: ([r, s]) => refScatter(r!, 0, index, s!, false) });
  gradcheck('scatter(0, index, 2.5)', { leaves: [x], forward: () => scatter(x, 0, idx(index.flat(), [2, 4]), 2.5), reference: ([r]) => refScatter(r!, 0, index, 2.5, false) });
  const s3 = leaf(rng, [3, 2]);
  const rows = [[3, 0], [1, 2], [2, 2]];
  gradcheck('scatterAdd(-1, duplicates)', { leaves: [x, s3], forward: () => x.scatterAdd(-1, idx(rows.flat(), [3, 2]), s3), reference: ([r, s]) => refScatter(r!, 1, rows, s!, true) });
  const dup = [[0, 0, 0, 0], [0, 2, 0, 2]];
  gradcheck('scatterAdd(0) all into one row', { leaves: [x, src], forward: () => x.scatterAdd(0, idx(dup.flat(), [2, 4]), src), reference: ([r, s]) => refScatter(r!, 0, dup, s!, true) });
  const t = leaf(rng, [4, 3]);
  gradcheck('scatterAdd into a transposed view', { leaves: [t, src], forward: () => t.T.scatterAdd(0, idx(dup.flat(), [2, 4]), src), reference: ([r, s]) => refScatter(R.transpose(r!, 0, 1), 0, dup, s!, true) });
});

/** x with source's slices along `dim` (times alpha) added into / copied to the slices `index` gives. */
function refIndexPut(x: R.Ref, dim: number, index: number[], source: R.Ref, mode: 'add' | 'copy', alpha = 1): R.Ref {
  const d = norm(dim, x.shape.length);
  const out = new Float64Array(x.data);
  const st = strides(x.shape);
  for (const at of coords(source.shape)) {
    const to = at.slice();
    to[d] = index[at[d]!]!;
    const p = to.reduce((o, c, k) => o + c * st[k]!, 0);
    out[p] = mode === 'add' ? out[p]! + alpha * get(source, at) : get(source, at);
  }
  return new R.Ref(out, x.shape);
}

test('gradcheck indexAdd (duplicates, alpha), indexFill (a tensor value), indexCopy, take and maskedSelect', () => {
  const x = leaf(rng, [3, 4]);
  const s = leaf(rng, [3, 3]);
  gradcheck('indexAdd(1, duplicates, alpha 2.5)', { leaves: [x, s], forward: () => x.indexAdd(1, idx([3, 3, 0]), s, { alpha: 2.5 }), reference: ([r, q]) => refIndexPut(r!, 1, [3, 3, 0], q!, 'add', 2.5) });
  const s0 = leaf(rng, [2, 4]);
  gradcheck('indexAdd(0)', { leaves: [x, s0], forward: () => indexAdd(x, 0, idx([2, 0]), s0), reference: ([r, q]) => refIndexPut(r!, 0, [2, 0], q!, 'add') });
  gradcheck('indexCopy(-2)', { leaves: [x, s0], forward: () => x.indexCopy(-2, idx([2, 0]), s0), reference: ([r, q]) => refIndexPut(r!, 0, [2, 0], q!, 'copy') });
  const t = leaf(rng, [4, 3]);
  gradcheck('indexCopy into a transposed view', { leaves: [t, s], forward: () => t.T.indexCopy(1, idx([1, 3, 0]), s), reference: ([r, q]) => refIndexPut(R.transpose(r!, 0, 1), 1, [1, 3, 0], q!, 'copy') });
  const v = tensor(0.75, { requiresGrad: true });
  gradcheck('indexFill(1, [-1, 1, 1], tensor)', { leaves: [x, v], forward: () => x.indexFill(1, idx([-1, 1, 1]), v), reference: ([r, w]) => build([3, 4], (at) => (at[1] === 3 || at[1] === 1 ? w!.data[0]! : get(r!, at))) });
  gradcheck('indexFill(0, [2], 1.5)', { leaves: [x], forward: () => x.indexFill(0, idx([2]), 1.5), reference: ([r]) => build([3, 4], (at) => (at[0] === 2 ? 1.5 : get(r!, at))) });
  const places = [0, 11, 5, 5, -1, -12];
  gradcheck('take with duplicates and negative indices', { leaves: [x], forward: () => x.take(idx(places, [2, 3])), reference: ([r]) => build([2, 3], (at) => r!.data[(places[at[0]! * 3 + at[1]!]! + 12) % 12]!) });
  gradcheck('take of a transposed view', { leaves: [t], forward: () => t.T.take(idx([1, 4, 4])), reference: ([r]) => build([3], (at) => R.transpose(r!, 0, 1).data[[1, 4, 4][at[0]!]!]!) });
  const mask = [[1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 0, 1]];
  const chosen = coords([3, 4]).filter((at) => mask[at[0]!]![at[1]!] === 1);
  gradcheck('maskedSelect', { leaves: [x], forward: () => x.maskedSelect(tensor(mask)), reference: ([r]) => build([chosen.length], (at) => get(r!, chosen[at[0]!]!)) });
  gradcheck('maskedSelect of a transposed view', { leaves: [t], forward: () => maskedSelect(t.T, tensor(mask)), reference: ([r]) => build([chosen.length], (at) => get(R.transpose(r!, 0, 1), chosen[at[0]!]!)) });
  const row = leaf(rng, [4]);
  const cells = coords([3, 4]).filter((at) => mask[at[0]!]![at[1]!] === 1);
  gradcheck('maskedSelect broadcasting x over the mask', { leaves: [row], forward: () => row.maskedSelect(tensor(mask)), reference: ([r]) => build([cells.length], (at) => r!.data[cells[at[0]!]![1]!]!) });
});

test('gradcheck the in-place forms on a clone (scatter_, scatterAdd_, indexAdd_, indexFill_, indexCopy_)', () => {
  const x = leaf(rng, [3, 4]);
  const src = leaf(rng, [2, 4]);
  const index = [[1, 2, 0, 1], [0, 1, 2, 2]];
  gradcheck('scatter_', { leaves: [x, src], forward: () => x.clone().scatter_(0, idx(index.flat(), [2, 4]), src), reference: ([r, s]) => refScatter(r!, 0, index, s!, false) });
  const dup = [[0, 0, 0, 0], [0, 2, 0, 2]];
  gradcheck('scatterAdd_', { leaves: [x, src], forward: () => x.clone().scatterAdd_(0, idx(dup.flat(), [2, 4]), src), reference: ([r, s]) => refScatter(r!, 0, dup, s!, true) });
  const s3 = leaf(rng, [3, 3]);
  gradcheck('indexAdd_ through a transposed view', {
    leaves: [x, s3],
    forward: () => { const y = x.clone(); y.t().indexAdd_(0, idx([3, 3, 0]), s3.t(), { alpha: -0.5 }); return y; },
    reference: ([r, q]) => R.transpose(refIndexPut(R.transpose(r!, 0, 1), 0, [3, 3, 0], R.transpose(q!, 0, 1), 'add', -0.5), 0, 1),
  });
  const v = tensor(-0.25, { requiresGrad: true });
  gradcheck('indexFill_ with a tensor value', { leaves: [x, v], forward: () => x.clone().indexFill_(0, idx([1]), v), reference: ([r, w]) => build([3, 4], (at) => (at[0] === 1 ? w!.data[0]! : get(r!, at))) });
  const s0 = leaf(rng, [2, 4]);
  gradcheck('indexCopy_', { leaves: [x, s0], forward: () => x.clone().indexCopy_(0, idx([2, 0]), s0), reference: ([r, q]) => refIndexPut(r!, 0, [2, 0], q!, 'copy') });
});
