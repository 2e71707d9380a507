import type { Heap } from './heap.js';

type Slot = Float32Array | Int32Array | null;

/** The most views `Frame.view` keeps (it starts again when full): a step's kernels copy out of a few dozen places. */
const MAX_VIEWS = 256;

/**
 * The memory layout of one kernel call: arrays already in the WebAssembly memory are used in place, the others
 * get a slot in the scratch block. Plan every slot first (`in`, `out`, `space`), then `open()` once, then read the
 * pointers — the scratch block may move when it grows, so no pointer is valid before `open()`.
 *
 * One frame is reused for every call (kernel calls are synchronous and never nested), so a call allocates
 * nothing on the JavaScript heap.
 */
export class Frame {
  private readonly heap: Heap;
  private readonly arrays: Slot[] = [];
  /** Offset in the scratch block, or −1 for an array used in place. */
  private readonly at: number[] = [];
  private readonly copyIn: boolean[] = [];
  private n = 0;
  private bytes = 0;
  private base = 0;
  /** Views of the memory's floats by first element (see `view`), all of `viewsOf`. */
  private readonly views = new Map<number, Float32Array>();
  private viewsOf: Float32Array | null = null;

  constructor(heap: Heap) {
    this.heap = heap;
  }

  /** Starts planning a new call. */
  begin(): this {
    for (let i = 0; i < this.n; i++) this.arrays[i] = null;
    this.n = 0;
    this.bytes = 0;
    return this;
  }

  /** Plans an input array (copied in unless resident); returns its slot number. */
  in(a: Float32Array | Int32Array): number {
    return this.plan(a, true);
  }

  /** Plans an output array (copied out by `finish` unless resident; copied in too when `readsOld`). */
  out(a: Float32Array | Int32Array, readsOld: boolean): number {
    return this.plan(a, readsOld);
  }

  /** Plans `bytes` of scratch space. */
  space(bytes: number): number {
    return this.push(null, this.reserve(bytes), false);
  }

  /** Reserves the scratch block and copies the inputs in. */
  open(): void {
    this.base = this.bytes > 0 ? this.heap.scratch(this.bytes) : 0;
    for (let i = 0; i < this.n; i++) {
      if (!this.copyIn[i]) continue;
      const a = this.arrays[i]!;
      const at = (this.base + this.at[i]!) >>> 2;
      if (a instanceof Float32Array) this.heap.f32.set(a, at);
      else this.heap.i32.set(a, at);
    }
  }

  /** Byte offset of a slot's first element. */
  ptr(slot: number): number {
    if (slot < 0 || slot >= this.n) throw new RangeError(`Frame.ptr: no slot ${slot} in this call's plan`);
    const at = this.at[slot]!;
    return at < 0 ? this.arrays[slot]!.byteOffset : this.base + at;
  }

  /** Copies a non-resident output back: `count` elements from element `off` of the array (all of it by default). */
  finish(slot: number, off = 0, count = -1): void {
    const a = this.arrays[slot];
    const at = this.at[slot]!;
    if (at < 0 || !a) return;
    const n = count < 0 ? a.length - off : count;
    const from = ((this.base + at) >>> 2) + off;
    if (a instanceof Float32Array) a.set(this.view(from, n), off);
    else a.set(this.heap.i32.subarray(from, from + n), off);
  }

  /**
   * The memory's floats [from, from + n) as a view, made once per place and length: calls repeat the same layout
   * (a training step's kernels copy the same outputs out of the same scratch places), and a view made per copy cost
   * more than copying a few hundred floats. Views of an older buffer (a shared memory that grew) are dropped.
   */
  private view(from: number, n: number): Float32Array {
    const f32 = this.heap.f32;
    if (this.viewsOf !== f32) {
      this.views.clear();
      this.viewsOf = f32;
    }
    let v = this.views.get(from);
    if (v === undefined || v.length !== n) {
      v = f32.subarray(from, from + n);
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      this.views.set(from, v);
    }
    return v;
  }

  private plan(a: Float32Array | Int32Array, copyIn: boolean): number {
    if (this.heap.isResident(a)) return this.push(a, -1, false);
    return this.push(a, this.reserve(a.byteLength), copyIn);
  }

  private reserve(bytes: number): number {
    const at = this.bytes;
    this.bytes += (bytes + 15) & ~15;
    return at;
  }

  private push(a: Slot, at: number, copyIn: boolean): number {
    const i = this.n++;
    this.arrays[i] = a;
    this.at[i] = at;
    this.copyIn[i] = copyIn;
    return i;
  }
}
