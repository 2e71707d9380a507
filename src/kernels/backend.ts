import { KindlingError } from '../errors.js';
import { loadFailure, loadWasm, loadWasmBytes, subnormalChoice, type WasmKernels } from './wasm/load.js';
import type { SubnormalChoice } from './wasm/subnormals.js';

/**
 * Which kernels run: `'wasm'` (WebAssembly SIMD, built from assembly/ into dist/kernels.wasm; the default when it
 * loads) or `'ref'` (the plain TypeScript reference kernels). Both compute bit-identical results.
 */
export type BackendName = 'ref' | 'wasm';

/** A backend was asked for that cannot be used (unknown name, or wasm when dist/kernels.wasm did not load). */
export class BackendError extends KindlingError {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

let active: WasmKernels | null | undefined;
/** True once setBackend chose a backend (the reference one is then no fallback). */
let chosen = false;

/** The wasm kernels when they are the active backend, else null. Resolves the default on first call. @internal */
export function activeWasm(): WasmKernels | null {
  if (active === undefined) active = defaultBackend();
  return active;
}

/** The active backend's name. */
export function getBackend(): BackendName {
  return activeWasm() === null ? 'ref' : 'wasm';
}

/**
 * Which build of the WebAssembly kernels is active and why ('native' or 'emulated' subnormals, the same bits: see
 * wasm/subnormals.ts); null under the reference kernels.
 */
export function wasmBuild(): SubnormalChoice | null {
  return activeWasm() === null ? null : subnormalChoice;
}

/**
 * The active kernels in a few words, as results record them: 'wasm (native subnormals)', 'wasm (emulated
 * subnormals)' or 'ref'. Every one gives the same bits.
 */
export function kernelsLabel(): string {
  const build = wasmBuild();
  return build === null ? getBackend() : `wasm (${build.mode} subnormals)`;
}

/** True when dist/kernels.wasm loaded (so `setBackend('wasm')` will work). */
export function wasmAvailable(): boolean {
  return loadWasm() !== null;
}

/**
 * Selects the kernels used from now on. Tensors made under one backend stay valid under the other.
 *
 * @example
 * setBackend('ref'); // plain TypeScript kernels, e.g. to compare against the default
 */
export function setBackend(name: BackendName): void {
  chosen = true;
  if (name === 'ref') {
    active = null;
    return;
  }
  if (name !== 'wasm') throw new BackendError(`setBackend: unknown backend ${JSON.stringify(name)}; expected 'ref' or 'wasm'`);
  const w = loadWasm();
  if (w === null) throw new BackendError(`setBackend('wasm'): the WebAssembly kernels are not available: ${loadFailure ?? 'unknown reason'}`);
  active = w;
}

/**
 * Where Kindling cannot read dist/kernels.wasm itself (a browser page or worker), hands it the file's bytes and
 * makes the wasm kernels active. Throws a BackendError saying why when they cannot run there (no WebAssembly SIMD, or
 * no memory to be had for them); the reference kernels then stay active.
 *
 * @example
 * useWasmKernels(new Uint8Array(await (await fetch('/kernels.wasm')).arrayBuffer()));
 */
export function useWasmKernels(bytes: Uint8Array<ArrayBuffer>): void {
  try {
    active = loadWasmBytes(bytes);
  } catch (err) {
    throw new BackendError(`useWasmKernels: the WebAssembly kernels cannot run here: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Why the reference kernels run though nobody asked for them (the WebAssembly kernels did not load), or null when
 * the WebAssembly kernels run or KINDLING_BACKEND=ref or setBackend('ref') chose the reference ones.
 */
export function kernelsFallback(): string | null {
  if (activeWasm() !== null || backendFromEnv() === 'ref' || chosen) return null;
  return loadFailure ?? 'unknown reason';
}

/** The KINDLING_BACKEND environment variable, checked: 'ref', 'wasm', or undefined when unset or empty. */
export function backendFromEnv(): BackendName | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['KINDLING_BACKEND'];
  if (env === undefined || env === '') return undefined;
  if (env !== 'ref' && env !== 'wasm') throw new BackendError(`KINDLING_BACKEND must be 'ref' or 'wasm', got ${JSON.stringify(env)}`);
  return env;
}

/** KINDLING_BACKEND=ref|wasm, else wasm when it loads. A wasm request that cannot load warns once and uses ref. */
function defaultBackend(): WasmKernels | null {
  const env = backendFromEnv();
  if (env === 'ref') return null;
  const w = loadWasm();
  if (w === null && env === 'wasm') {
    console.warn(`kindling: KINDLING_BACKEND=wasm but the WebAssembly kernels are not available (${loadFailure ?? 'unknown reason'}); using the reference kernels`);
  }
  return w;
}
