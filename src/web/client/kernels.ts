/**
 * The WebAssembly kernels in a browser page or worker. Their memory is not shared, so any page can run them,
 * cross-origin isolated or not. If the file cannot be fetched or compiled, the reference TypeScript kernels stay:
 * same results, slower.
 */
import { getBackend, useWasmKernels } from '../../kernels/backend.js';
import { chooseSubnormals, moduleProbe } from '../../kernels/wasm/subnormals.js';

/** Where the build puts the kernels' two builds for the pages (scripts/bundle-web.mjs; see kernels/wasm/subnormals.ts). */
const KERNELS_URL = '/assets/kernels.wasm';
const NATIVE_URL = '/assets/kernels-native.wasm';

/**
 * Makes the WebAssembly kernels active here when they can run. Resolves to why not when they cannot (null when
 * they are active); never throws.
 */
export async function useFastKernels(): Promise<string | null> {
  if (getBackend() === 'wasm') return null;
  try {
    const res = await fetch(KERNELS_URL);
    if (!res.ok) return `${KERNELS_URL}: HTTP ${res.status}`;
    useWasmKernels(await pickBuild(new Uint8Array(await res.arrayBuffer())));
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * The build to run here: the native one (float32 takes subnormals itself) when this core computes them at full
 * speed, as the probe on the emulating build finds, and it can be fetched; else the emulating one. Same bits.
 */
async function pickBuild(emulated: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (chooseSubnormals(moduleProbe(new WebAssembly.Module(emulated))).mode !== 'native') return emulated;
  const res = await fetch(NATIVE_URL).catch(() => null);
  return res?.ok ? new Uint8Array(await res.arrayBuffer()) : emulated;
}

/** The active kernels, as the pages name them. */
export function kernelsName(): string {
  return getBackend() === 'wasm' ? 'WebAssembly SIMD kernels' : 'reference TypeScript kernels';
}
