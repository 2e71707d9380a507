import { EXPORT_NAMES, type WasmExports } from './exports.js';
import { Frame } from './frame.js';
import { Heap } from './heap.js';
import { kernelMemory } from './memory-size.js';
import { abort, chooseSubnormals, moduleProbe, probeMemory, subnormalsFromEnv, type SubnormalChoice } from './subnormals.js';

/** The instantiated kernels, the heap over their memory, and the frame every kernel call plans its memory with. */
export interface WasmKernels {
  readonly exports: WasmExports;
  readonly heap: Heap;
  readonly frame: Frame;
}

/** Why loading failed (shown once when the user asked for the wasm backend and got the reference one). */
export let loadFailure: string | null = null;
/** Which build of the kernels loaded, and why (see subnormals.ts); null until they load. */
export let subnormalChoice: SubnormalChoice | null = null;
let loaded: WasmKernels | null | undefined;

/**
 * Loads the kernels once, synchronously, on first use (importing Kindling has no side effects): dist/kernels.wasm,
 * then dist/kernels-native.wasm instead when this core computes float32 subnormals at full speed (or
 * KINDLING_SUBNORMALS says so; a bad value of it throws). Returns null when the files are missing, the runtime
 * lacks WebAssembly SIMD, or we are not running in Node (a browser passes the file's bytes to
 * `loadWasmBytes` instead).
 */
export function loadWasm(): WasmKernels | null {
  if (loaded !== undefined) return loaded;
  subnormalsFromEnv();
  loaded = null;
  try {
    const bytes = readKernelsFile('kernels.wasm');
    if (bytes !== null) loaded = instantiate(pickBuild(new WebAssembly.Module(bytes)));
  } catch (err) {
    loadFailure = err instanceof Error ? err.message : String(err);
  }
  return loaded;
}

/**
 * The emulating kernels, or the native ones in their place when chosen (see subnormals.ts). The probe runs on a
 * throwaway instance with a small memory of its own: only the build chosen gets the kernels' memory.
 */
function pickBuild(emulated: WebAssembly.Module): WebAssembly.Module {
  const choice = chooseSubnormals(moduleProbe(emulated));
  if (choice.mode === 'native') {
    const bytes = readKernelsFile('kernels-native.wasm');
    if (bytes !== null) {
      const native = new WebAssembly.Module(bytes);
      const check = new WebAssembly.Instance(native, { env: { memory: probeMemory(), abort } });
      if ((check.exports['nativeSubnormals'] as () => number)() !== 1) throw new Error('kernels-native.wasm is not the native build (rebuild with npm run build)');
      subnormalChoice = choice;
      return native;
    }
    loadFailure = null; // readKernelsFile's note: the emulating kernels loaded all the same
    subnormalChoice = { mode: 'emulated', why: 'dist/kernels-native.wasm is missing (run npm run build)' };
    return emulated;
  }
  subnormalChoice = choice;
  return emulated;
}

/**
 * Instantiates the kernels from the bytes of kernels.wasm (fetched by a browser page or worker), unless they are
 * loaded already. Throws when they cannot run here (no WebAssembly SIMD, or no memory to be had for them).
 */
export function loadWasmBytes(bytes: Uint8Array<ArrayBuffer>): WasmKernels {
  if (loaded) return loaded;
  try {
    loaded = instantiate(new WebAssembly.Module(bytes));
    loadFailure = null;
    subnormalChoice = {
      mode: loaded.exports.nativeSubnormals() === 1 ? 'native' : 'emulated',
      why: 'the build the page fetched',
    };
    return loaded;
  } catch (err) {
    loadFailure = err instanceof Error ? err.message : String(err);
    throw err;
  }
}

/** An instance of a kernels build over a new kernels' memory (see memory-size.ts), with its heap and frame. */
function instantiate(module: WebAssembly.Module): WasmKernels {
  const memory = kernelMemory();
  const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
  const exports = instance.exports as unknown as WasmExports;
  for (const name of EXPORT_NAMES) {
    if (typeof exports[name] !== 'function') throw new Error(`kernels.wasm has no export "${name}" (rebuild with npm run build)`);
  }
  const heap = new Heap(memory, exports.heapBase());
  return { exports, heap, frame: new Frame(heap) };
}

/** A build of the kernels next to the compiled sources (dist/src/kernels/wasm/load.js → dist/kernels.wasm). */
function readKernelsFile(name: string): Uint8Array<ArrayBuffer> | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  // getBuiltinModule keeps node:fs out of the static import graph, so bundling Kindling for a browser still works
  // (it then runs on the reference kernels).
  const fs = proc?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  const url = proc?.getBuiltinModule?.('node:url') as typeof import('node:url') | undefined;
  if (!fs || !url) {
    loadFailure = 'not running in Node.js';
    return null;
  }
  const path = url.fileURLToPath(new URL(`../../../${name}`, import.meta.url));
  if (!fs.existsSync(path)) {
    loadFailure = `${path} is missing (run npm run build)`;
    return null;
  }
  return new Uint8Array(fs.readFileSync(path));
}
