// Anomaly detection, as PyTorch's torch.autograd.detect_anomaly / set_detect_anomaly: while it is on, each op recorded
// keeps the stack of the call that made it, and a backward walk checks every gradient a node returns for NaN, naming
// the node and the input ("Function 'DivBackward0' returned nan values in its 0th output.") and giving the forward
// call that made the node. Scoped like noGrad (synchronous code only), never a global switch.
import { describeValue } from '../options.js';
import type { Tensor } from '../tensor/tensor.js';

let enabled = false;
let checkNan = true;

/** Whether anomaly detection is on (PyTorch's `torch.is_anomaly_enabled()`). */
export function isAnomalyEnabled(): boolean {
  return enabled;
}

/** Whether its NaN check is on too (PyTorch's `torch.is_anomaly_check_nan_enabled()`). */
export function isAnomalyCheckNanEnabled(): boolean {
  return enabled && checkNan;
}

export interface AnomalyOptions {
  /** Check each gradient a node returns for NaN (default true), as PyTorch's `check_nan`. */
  checkNan?: boolean;
}

function options(where: string, o: AnomalyOptions | undefined): boolean {
  if (o === undefined) return true;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new TypeError(`${where}: options must be an object such as { checkNan: false }, got ${describeValue(o)}`);
  for (const key of Object.keys(o)) if (key !== 'checkNan') throw new TypeError(`${where}: unknown option "${key}" (expected checkNan)`);
  if (o.checkNan !== undefined && typeof o.checkNan !== 'boolean') throw new TypeError(`${where}: checkNan must be true or false, got ${describeValue(o.checkNan)}`);
  return o.checkNan ?? true;
}

function run<T>(where: string, mode: boolean, nan: boolean, fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`${where}: expected a function to run, as in ${where}(() => loss.backward()); got ${describeValue(fn)}`);
  const saved = [enabled, checkNan] as const;
  enabled = mode;
  checkNan = nan;
  try {
    return fn();
  } finally {
    [enabled, checkNan] = saved;
  }
}

/**
 * Runs `fn` with anomaly detection on (`with torch.autograd.detect_anomaly():`): the forward pass and the backward walk
 * must both run inside it for the error to give the forward call. It slows both down; use it to find where a NaN
 * comes from, not for training.
 *
 * @example
 * autograd.detectAnomaly(() => {
 *   const loss = model.forward(x).log().sum();
 *   loss.backward(); // Error: Function 'LogBackward0' returned nan values in its 0th output. …
 * });
 */
export function detectAnomaly<T>(fn: () => T, opts?: AnomalyOptions): T {
  return run('detectAnomaly', true, options('detectAnomaly', opts), fn);
}

/** Runs `fn` with anomaly detection on or off (`with torch.autograd.set_detect_anomaly(mode):`). */
export function setDetectAnomaly<T>(mode: boolean, fn: () => T, opts?: AnomalyOptions): T {
  if (typeof mode !== 'boolean') throw new TypeError(`setDetectAnomaly: mode must be true or false, got ${describeValue(mode)}`);
  return run('setDetectAnomaly', mode, options('setDetectAnomaly', opts), fn);
}

/** Where Kindling's own modules are (compiled or bundled): their frames are left out of a forward call's stack. */
const OWN = ((): string[] => {
  const url = import.meta.url;
  const at = url.lastIndexOf('/dist/');
  return at < 0 ? [] : [`${url.slice(0, at)}/dist/src/`, `${url.slice(0, at)}/dist/bundle/`];
})();

/**
 * The stack of the call recording an op, kept while anomaly detection is on (else null): the caller's frames, from
 * the first one outside Kindling's modules (the whole stack when every frame is Kindling's). @internal
 */
export function forwardStack(): string | null {
  if (!enabled) return null;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const frames = stack.split('\n').slice(1);
  const first = frames.findIndex((f) => !OWN.some((own) => f.includes(own)) && !f.includes('node:internal'));
  return (first < 0 ? frames : frames.slice(first, first + 12)).join('\n');
}

/** The error for a node whose gradient for input `index` holds a NaN, with the forward call that made it. @internal */
export function nanGradients(torchName: string, grads: readonly (Tensor | null | undefined)[], wanted: (i: number) => boolean, stack: string | null): Error | null {
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (g === null || g === undefined || !wanted(i)) continue;
    const v = g.values();
    for (let k = 0; k < v.length; k++) {
      if (v[k] !== v[k]) {
        const where = stack === null
          ? '\nNo forward pass information available: run the forward pass inside detectAnomaly too, to see the call that made this node.'
          : `\nTraceback of the forward call that caused the error:\n${stack}`;
        return new Error(`Function '${torchName}' returned nan values in its ${i}th output.${where}`);
      }
    }
  }
  return null;
}
