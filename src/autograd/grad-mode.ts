import { describeValue } from '../options.js';
import { makingInferenceTensors } from '../tensor/version.js';

/** Whether operations record the graph. Scoped by `noGrad`/`enableGrad`, never a global switch users flip. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Whether ops record the graph now: grad mode on and inference mode off. Inside `inferenceMode`, as in PyTorch, nothing
 * is recorded even where `enableGrad` turns grad mode back on (`isGradEnabled()` is then true, as torch's). @internal
 */
export function isGradRecording(): boolean {
  return enabled && !makingInferenceTensors();
}

/**
 * Runs `fn` without recording operations for autograd (like `with torch.no_grad():`). The scope is synchronous, as
 * PyTorch's is per thread: an async `fn` runs without gradients only up to its first `await`, and the code after it
 * runs with gradients enabled (the previous mode) — so a `fn` that returns a promise gets a warning, once per process.
 * Put `noGrad` around the synchronous work instead, inside the async function.
 *
 * @example
 * const prediction = noGrad(() => model.forward(x)); // no graph kept
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`noGrad: expected a function to run without gradients, as in noGrad(() => model.forward(x)); got ${describeValue(fn)}`);
  const saved = enabled;
  enabled = false;
  try {
    return warnIfAsync(fn(), 'noGrad', 'without gradients', 'gradients enabled, recording the graph');
  } finally {
    enabled = saved;
  }
}

/** Runs `fn` with graph recording on, even inside `noGrad` (synchronously, as `noGrad`: see there). */
export function enableGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`enableGrad: expected a function to run with gradients, as in enableGrad(() => model.forward(x)); got ${describeValue(fn)}`);
  const saved = enabled;
  enabled = true;
  try {
    return warnIfAsync(fn(), 'enableGrad', 'with gradients', 'the mode around the call (inside noGrad: without gradients)');
  } finally {
    enabled = saved;
  }
}

/**
 * Runs `fn` with graph recording on or off as `mode` says (`with torch.set_grad_enabled(mode):`, as in
 * `setGradEnabled(phase === 'train', () => model.forward(x))`). Scoped like `noGrad`: PyTorch's global form
 * (`torch.set_grad_enabled(False)` as a plain call) is not offered.
 */
export function setGradEnabled<T>(mode: boolean, fn: () => T): T {
  if (typeof mode !== 'boolean') throw new TypeError(`setGradEnabled: mode must be true or false, got ${describeValue(mode)}`);
  if (typeof fn !== 'function') {
    throw new TypeError(`setGradEnabled: expected a function to run, as in setGradEnabled(training, () => model.forward(x)) (Kindling scopes grad modes; there is no global switch); got ${describeValue(fn)}`);
  }
  return mode ? enableGrad(fn) : noGrad(fn);
}

const warned = new Set<string>();

/** Warns, once per process and function, when `result` is a promise (or other thenable): `fn` was async. */
function warnIfAsync<T>(result: T, name: string, within: string, after: string): T {
  if (typeof result !== 'object' || result === null || typeof (result as { then?: unknown }).then !== 'function' || warned.has(name)) return result;
  if (typeof process === 'undefined' || typeof process.emitWarning !== 'function') return result;
  warned.add(name);
  process.emitWarning(
    `${name}: the function returned a promise (an async function?): only its code before the first await ran ${within}; ` +
      `the code after each await runs with ${after}, as ${name} only covers synchronous code (PyTorch's mode is per thread, not per async task). ` +
      `Use ${name} around synchronous code only, inside the async function: const out = ${name}(() => model.forward(x))`,
  );
  return result;
}
