import { formatBytes } from '../../format-bytes.js';

/**
 * Kindling's one WebAssembly memory and the allocator over it.
 *
 * The kernels' memory is not shared and has a fixed size (see memory-size.ts): growing it would detach every
 * Float32Array view that parameters, gradients and optimizer state keep into it, so this heap never grows a memory
 * that is not shared. A shared memory (the tests make some) grows up to MAX_PAGES: growing a shared memory detaches
 * nothing, though views made before and after hold different buffer objects. Long-lived storage comes from a
 * first-fit free list and is returned automatically when its view is garbage-collected; per-call scratch is one
 * block reused by every kernel call (kernels are synchronous, so it is never in use twice).
 */
export const PAGE = 65536;
/** Cache-line alignment: SIMD loads never straddle lines at the start of a buffer. */
const ALIGN = 64;
/** 1 GiB, the most the kernels' memory holds: beyond it, storage falls back to ordinary Float32Arrays (still correct, just copied per call). */
export const MAX_PAGES = 16384;

interface Block {
  offset: number;
  size: number;
}

export class Heap {
  readonly memory: WebAssembly.Memory;
  f32!: Float32Array;
  i32!: Int32Array;
  f64!: Float64Array;
  /** Every buffer object the memory has had: views made before a grow keep the older object. */
  private readonly buffers = new Set<ArrayBufferLike>();
  /** The memory's buffer object since the last growth (the usual answer of isResident). */
  private current!: ArrayBufferLike;
  /** The views allocFloat32 made (the common case of isResident, answered without touching `.buffer`). */
  private readonly views = new WeakSet<ArrayBufferView>();
  /** Free blocks, sorted by offset, coalesced. */
  private readonly free: Block[] = [];
  private end: number;
  private scratchOffset = 0;
  private scratchSize = 0;
  /** True while a fixed memory's scratch block is at its top (storage then stops below it); false in a free hole. */
  private scratchAtTop = false;
  private readonly registry = new FinalizationRegistry<Block>((b) => this.release(b));
  /** Bytes handed out for long-lived storage and not yet released (for tests and the bench). */
  liveBytes = 0;
  /** False for a memory that is not shared: its size is fixed (growing it would detach every view). */
  private readonly growable: boolean;

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.growable = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    this.end = align(base);
    this.refresh();
  }

  /** The most bytes this memory holds: its size when fixed, MAX_PAGES pages when it grows. */
  get capacity(): number {
    return this.growable ? MAX_PAGES * PAGE : this.memory.buffer.byteLength;
  }

  /** Bytes of the scratch block kernel calls share (it grows to the largest call's needs, and never shrinks). */
  get scratchBytes(): number {
    return this.scratchSize;
  }

  /** True when `a` is a view into this memory, so kernels can use it in place. */
  isResident(a: ArrayBufferView): boolean {
    // Reading `.buffer` of a small typed array moves it off V8's heap (an allocation): small arrays not made by
    // allocFloat32 count as foreign — copying 64 bytes is cheaper than finding out.
    if (a.byteLength <= 64) return this.views.has(a);
    const b = a.buffer;
    return b === this.current || (this.growable && b instanceof SharedArrayBuffer && this.buffers.has(b));
  }

  /**
   * A zero-filled Float32Array of `n` elements living in the memory, or null when the memory cannot grow further.
   * Its block is released when the returned view is garbage-collected.
   */
  allocFloat32(n: number): Float32Array | null {
    const offset = this.block(n);
    if (offset < 0) return null;
    return this.track(new Float32Array(this.memory.buffer, offset, n), offset);
  }

  /** The same for an Int32Array. */
  allocInt32(n: number): Int32Array | null {
    const offset = this.block(n);
    if (offset < 0) return null;
    return this.track(new Int32Array(this.memory.buffer, offset, n), offset);
  }

  /** A zeroed block for n 4-byte elements; its offset, or −1. */
  private block(n: number): number {
    const bytes = Math.max(ALIGN, align(n * 4));
    const offset = this.take(bytes);
    if (offset >= 0) new Uint8Array(this.memory.buffer, offset, bytes).fill(0);
    return offset;
  }

  private track<T extends Float32Array | Int32Array>(view: T, offset: number): T {
    const size = Math.max(ALIGN, align(view.length * 4));
    this.liveBytes += size;
    this.registry.register(view, { offset, size });
    this.views.add(view);
    return view;
  }

  /**
   * A byte offset of at least `bytes` of scratch space, valid until the next call. Callers ask once per kernel
   * call for everything they need (a second call may move the block).
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchSize) {
      // Twice the old size, so that a growing caller does not move the block at every call; just what is asked
      // when twice does not fit.
      let size = align(Math.max(bytes, this.scratchSize * 2, 1 << 16));
      let offset: number;
      if (this.growable) {
        if (this.scratchSize > 0) this.release({ offset: this.scratchOffset, size: this.scratchSize });
        offset = this.take(size);
        if (offset < 0 && size > align(bytes)) offset = this.take((size = align(bytes)));
      } else {
        // A fixed memory keeps the block at its top, below which long-lived storage grows up from the bottom: a block
        // taken among that storage left holes that a larger one could not use (at 4,096 hidden units a batch of
        // 12,000 could not reserve 590 MB while 13 MiB of storage was live). When storage reaches too high (a live
        // block near the top), a free hole below it that is large enough does.
        if (this.scratchSize > 0 && !this.scratchAtTop) this.release({ offset: this.scratchOffset, size: this.scratchSize });
        this.scratchAtTop = true;
        offset = this.topBlock(size);
        if (offset < 0 && size > align(bytes)) offset = this.topBlock((size = align(bytes)));
        if (offset < 0) {
          this.scratchAtTop = false;
          offset = this.takeFree(size);
        }
      }
      if (offset < 0) {
        // The old block is gone: nothing is left to hand out.
        this.scratchOffset = 0;
        this.scratchSize = 0;
        this.scratchAtTop = false;
        throw new RangeError(
          `kernels: cannot reserve ${formatBytes(size)} of WebAssembly memory for one kernel call's inputs and outputs ` +
            `(the kernels' memory stops at ${binaryBytes(this.capacity)}): use smaller batches or layers (in the lab: a lower --batch-size or --hidden)` +
            // A fixed memory is an eighth of V8's heap limit (memory-size.ts): a larger limit gives a larger one.
            (!this.growable && this.capacity < MAX_PAGES * PAGE ? `, or give Node a larger heap (the memory is an eighth of its limit: NODE_OPTIONS=--max-old-space-size=8192 gives the most, 1 GiB)` : ''),
        );
      }
      this.scratchOffset = offset;
      this.scratchSize = size;
    }
    return this.scratchOffset;
  }

  /** The offset of a scratch block of `size` bytes at the top of a fixed memory, or −1 when storage reaches too high. */
  private topBlock(size: number): number {
    const offset = this.memory.buffer.byteLength - size;
    return offset >= this.end ? offset : -1;
  }

  /** Copies `a` into the memory at byte offset `at`. */
  put(a: Float32Array, at: number): void {
    this.f32.set(a, at >>> 2);
  }

  /** Copies `n` floats from byte offset `at` into `a`. */
  get(a: Float32Array, at: number, n = a.length): void {
    a.set(this.f32.subarray(at >>> 2, (at >>> 2) + n));
  }

  /** The first free hole of at least `bytes` below the bump pointer, cut to size; its offset, or −1. */
  private takeFree(bytes: number): number {
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.size < bytes) continue;
      const offset = b.offset;
      if (b.size === bytes) this.free.splice(i, 1);
      else {
        b.offset += bytes;
        b.size -= bytes;
      }
      return offset;
    }
    return -1;
  }

  private take(bytes: number): number {
    const hole = this.takeFree(bytes);
    if (hole >= 0) return hole;
    const offset = this.end;
    const needed = offset + bytes;
    const have = this.memory.buffer.byteLength;
    // A fixed memory's scratch block at its top (see scratch): storage stops below it.
    if (!this.growable && needed > have - (this.scratchAtTop ? this.scratchSize : 0)) return -1;
    if (needed > have) {
      const current = have / PAGE;
      // Grow geometrically so that building a model does not grow page by page.
      const want = Math.min(MAX_PAGES, Math.max(Math.ceil(needed / PAGE), Math.ceil(current * 1.5)));
      if (want * PAGE < needed) return -1;
      try {
        this.memory.grow(want - current);
      } catch {
        return -1;
      }
      this.refresh();
    }
    this.end = needed;
    return offset;
  }

  private release(b: Block): void {
    if (b.offset !== this.scratchOffset) this.liveBytes -= b.size;
    // Insert sorted, then merge with the neighbours.
    let i = 0;
    while (i < this.free.length && this.free[i]!.offset < b.offset) i++;
    this.free.splice(i, 0, { offset: b.offset, size: b.size });
    const next = this.free[i + 1];
    if (next && b.offset + b.size === next.offset) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.offset + prev.size === this.free[i]!.offset) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
    }
    // Give the top of the heap back to the bump pointer.
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.size === this.end) {
      this.end = last.offset;
      this.free.pop();
    }
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    this.current = buf;
    this.buffers.add(buf);
    this.f32 = new Float32Array(buf);
    this.i32 = new Int32Array(buf);
    this.f64 = new Float64Array(buf);
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** A memory's size as it is made, in whole pages: "1 GiB", "518 MiB", "256 KiB". */
function binaryBytes(n: number): string {
  if (n % 2 ** 30 === 0) return `${n / 2 ** 30} GiB`;
  return n >= 2 ** 20 ? `${Math.round(n / 2 ** 20)} MiB` : `${n / 1024} KiB`;
}
