import { MAX_PAGES, PAGE } from './heap.js';

// The size of the kernels' WebAssembly memory, fixed when they load.
//
// The memory is not shared: V8 copies into and out of a shared memory word by word (as it must for memory other
// threads may write), about five times as long as into an ordinary one (200 floats: 148 ns against 28), and every
// kernel call on activations copies. A memory that is not shared cannot grow without detaching every view of it
// (parameters, gradients, optimizer state), so it is made at its full size at once: untouched pages cost address
// space, not resident memory.
//
// Its size is at most an eighth of V8's heap limit, and at most 1 GiB: V8 counts the memory as external memory, and
// with a memory of a quarter of its heap limit it shrinks its young generation and collects three times as often
// (measured: 198 scavenges instead of 60 over 21,000 one-image steps, with 1 GiB against Node's 4 GiB limit). The
// lab's worker threads raise their heap limit to get the whole 1 GiB (src/lab/pool.ts). Beyond the memory, long-lived
// storage falls back to ordinary arrays (the same results, copied per call).

/** The fewest pages the kernels' memory is made with (16 MiB). */
export const MIN_PAGES = 256;

/** A browser gives no heap limit to read: 256 MiB there, or less when that cannot be had. */
const BROWSER_PAGES = 4096;

/** Pages for this thread: an eighth of V8's heap limit, within [MIN_PAGES, MAX_PAGES]. */
export function memoryPages(heapLimit = v8HeapLimit()): number {
  if (heapLimit === null) return BROWSER_PAGES;
  return Math.max(MIN_PAGES, Math.min(MAX_PAGES, Math.floor(heapLimit / 8 / PAGE)));
}

/** V8's heap limit in bytes, read through node:v8; null outside Node. */
function v8HeapLimit(): number | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.('node:v8') as typeof import('node:v8') | undefined;
  return v8 === undefined ? null : v8.getHeapStatistics().heap_size_limit;
}

/** The kernels' memory: `memoryPages()` pages, or half as many again and again while the engine refuses them. */
export function kernelMemory(pages = memoryPages()): WebAssembly.Memory {
  for (let n = pages; ; n = Math.floor(n / 2)) {
    try {
      return new WebAssembly.Memory({ initial: n, maximum: n });
    } catch (err) {
      if (!(err instanceof RangeError) || n / 2 < MIN_PAGES) throw err;
    }
  }
}
