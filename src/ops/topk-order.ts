/**
 * The order PyTorch's CPU `topk` leaves equal values in. PyTorch 1.13 (aten/src/ATen/native/TopKImpl.h) fills a
 * vector of (value, index) pairs and, comparing values only, runs libstdc++'s `std::partial_sort` when k·64 ≤ n,
 * and otherwise `std::nth_element` at k − 1 followed, when `sorted`, by `std::sort` of the first k − 1. Those
 * algorithms are not stable, so ties come out in the order their swaps leave them: this file runs the same steps
 * (GCC's bits/stl_algo.h and bits/stl_heap.h: introselect, introsort with a 16-element insertion-sort threshold,
 * median-of-three pivots, heap select), so the indices are PyTorch's, ties included.
 */

/** (value, index) pairs as two parallel arrays, and the comparison ("comes first") on values. */
class Queue {
  constructor(
    readonly v: Float64Array,
    readonly i: Int32Array,
    private readonly first: (a: number, b: number) => boolean,
  ) {}

  /** comp(*a, *b) on positions. */
  less(a: number, b: number): boolean {
    return this.first(this.v[a]!, this.v[b]!);
  }

  swap(a: number, b: number): void {
    const v = this.v[a]!;
    const i = this.i[a]!;
    this.v[a] = this.v[b]!;
    this.i[a] = this.i[b]!;
    this.v[b] = v;
    this.i[b] = i;
  }

  move(to: number, from: number): void {
    this.v[to] = this.v[from]!;
    this.i[to] = this.i[from]!;
  }

  /** comp on a held pair and a position, either way round. */
  heldBefore(v: number, at: number): boolean {
    return this.first(v, this.v[at]!);
  }

  beforeHeld(at: number, v: number): boolean {
    return this.first(this.v[at]!, v);
  }
}

/** ⌊log2 n⌋ for n ≥ 1 (libstdc++'s `__lg`). */
function lg(n: number): number {
  return 31 - Math.clz32(n);
}

function moveMedianToFirst(q: Queue, result: number, a: number, b: number, c: number): void {
  if (q.less(a, b)) {
    if (q.less(b, c)) q.swap(result, b);
    else if (q.less(a, c)) q.swap(result, c);
    else q.swap(result, a);
  } else if (q.less(a, c)) q.swap(result, a);
  else if (q.less(b, c)) q.swap(result, c);
  else q.swap(result, b);
}

function unguardedPartition(q: Queue, first: number, last: number, pivot: number): number {
  for (;;) {
    while (q.less(first, pivot)) first++;
    last--;
    while (q.less(pivot, last)) last--;
    if (!(first < last)) return first;
    q.swap(first, last);
    first++;
  }
}

function unguardedPartitionPivot(q: Queue, first: number, last: number): number {
  const mid = first + Math.floor((last - first) / 2);
  moveMedianToFirst(q, first, first + 1, mid, last - 1);
  return unguardedPartition(q, first + 1, last, first);
}

function unguardedLinearInsert(q: Queue, last: number): void {
  const v = q.v[last]!;
  const i = q.i[last]!;
  let next = last - 1;
  while (q.heldBefore(v, next)) {
    q.move(last, next);
    last = next;
    next--;
  }
  q.v[last] = v;
  q.i[last] = i;
}

function insertionSort(q: Queue, first: number, last: number): void {
  if (first === last) return;
  for (let at = first + 1; at !== last; at++) {
    if (q.less(at, first)) {
      const v = q.v[at]!;
      const i = q.i[at]!;
      for (let j = at; j > first; j--) q.move(j, j - 1);
      q.v[first] = v;
      q.i[first] = i;
    } else unguardedLinearInsert(q, at);
  }
}

function pushHeap(q: Queue, first: number, hole: number, top: number, v: number, i: number): void {
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && q.beforeHeld(first + parent, v)) {
    q.move(first + hole, first + parent);
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  q.v[first + hole] = v;
  q.i[first + hole] = i;
}

function adjustHeap(q: Queue, first: number, hole: number, len: number, v: number, i: number): void {
  const top = hole;
  let child = hole;
  while (child < Math.floor((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (q.less(first + child, first + child - 1)) child--;
    q.move(first + hole, first + child);
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
    child = 2 * (child + 1);
    q.move(first + hole, first + child - 1);
    hole = child - 1;
  }
  pushHeap(q, first, hole, top, v, i);
}

function makeHeap(q: Queue, first: number, last: number): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = Math.floor((len - 2) / 2); ; parent--) {
    adjustHeap(q, first, parent, len, q.v[first + parent]!, q.i[first + parent]!);
    if (parent === 0) return;
  }
}

function popHeap(q: Queue, first: number, last: number, result: number): void {
  const v = q.v[result]!;
  const i = q.i[result]!;
  q.move(result, first);
  adjustHeap(q, first, 0, last - first, v, i);
}

function heapSelect(q: Queue, first: number, middle: number, last: number): void {
  makeHeap(q, first, middle);
  for (let at = middle; at < last; at++) if (q.less(at, first)) popHeap(q, first, middle, at);
}

function sortHeap(q: Queue, first: number, last: number): void {
  while (last - first > 1) {
    last--;
    popHeap(q, first, last, last);
  }
}

function partialSort(q: Queue, first: number, middle: number, last: number): void {
  heapSelect(q, first, middle, last);
  sortHeap(q, first, middle);
}

const THRESHOLD = 16;

function introsortLoop(q: Queue, first: number, last: number, depth: number): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      partialSort(q, first, last, last);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(q, first, last);
    introsortLoop(q, cut, last, depth);
    last = cut;
  }
}

function sortRange(q: Queue, first: number, last: number): void {
  if (first === last) return;
  introsortLoop(q, first, last, lg(last - first) * 2);
  if (last - first > THRESHOLD) {
    insertionSort(q, first, first + THRESHOLD);
    for (let at = first + THRESHOLD; at !== last; at++) unguardedLinearInsert(q, at);
  } else insertionSort(q, first, last);
}

function nthElement(q: Queue, first: number, nth: number, last: number): void {
  if (first === last || nth === last) return;
  let depth = lg(last - first) * 2;
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(q, first, nth + 1, last);
      q.swap(first, nth);
      return;
    }
    depth--;
    const cut = unguardedPartitionPivot(q, first, last);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(q, first, last);
}

const largestFirst = (x: number, y: number): boolean => (Number.isNaN(x) && !Number.isNaN(y)) || x > y;
const smallestFirst = (x: number, y: number): boolean => (!Number.isNaN(x) && Number.isNaN(y)) || x < y;

/**
 * The indices PyTorch's CPU `topk` picks from `values` (one slice along the dimension), in its order: the `k`
 * largest (or smallest), NaN counting as the largest.
 */
export function topkOrder(values: ArrayLike<number>, k: number, largest: boolean, sorted: boolean): Int32Array {
  const n = values.length;
  const q = new Queue(Float64Array.from(values), Int32Array.from({ length: n }, (_, j) => j), largest ? largestFirst : smallestFirst);
  if (k > 0) {
    if (k * 64 <= n) partialSort(q, 0, k, n);
    else {
      nthElement(q, 0, k - 1, n);
      if (sorted) sortRange(q, 0, k - 1);
    }
  }
  return q.i.slice(0, k);
}

/**
 * The positions of `values` in the order libstdc++'s `std::sort` leaves them with `first` as its comparison (unstable:
 * equal values in the order its swaps leave them), as PyTorch's CPU `mode` sorts its (value, index) pairs.
 */
export function stdSortOrder(values: ArrayLike<number>, first: (a: number, b: number) => boolean): Int32Array {
  const n = values.length;
  const q = new Queue(Float64Array.from(values), Int32Array.from({ length: n }, (_, j) => j), first);
  sortRange(q, 0, n);
  return q.i;
}

/**
 * The positions of `values` after libstdc++'s `std::nth_element` at `nth` with `first` as its comparison, as PyTorch's
 * CPU nanmedian partitions a slice (which decides the index it returns for a slice of NaNs only).
 */
export function stdNthElementOrder(values: ArrayLike<number>, nth: number, first: (a: number, b: number) => boolean): Int32Array {
  const n = values.length;
  const q = new Queue(Float64Array.from(values), Int32Array.from({ length: n }, (_, j) => j), first);
  nthElement(q, 0, nth, n);
  return q.i;
}
