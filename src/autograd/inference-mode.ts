// Inference mode, as PyTorch's torch.inference_mode: no graph is recorded (as noGrad), and the tensors made inside are
// inference tensors (Tensor.isInference), which outside the mode can be read and used by ops that save nothing for
// their gradient, but not changed in place nor saved for a backward pass (tensor/version.ts, autograd/record.ts) —
// PyTorch's rules, with its messages. Scoped and synchronous, like noGrad.
import { describeValue } from '../options.js';
import { makingInferenceTensors, setInferenceTensors } from '../tensor/version.js';
import { noGrad, setGradEnabled } from './grad-mode.js';

/** Whether inference mode is on (PyTorch's `torch.is_inference_mode_enabled()`). */
export function isInferenceModeEnabled(): boolean {
  return makingInferenceTensors();
}

/**
 * Runs `fn` in inference mode (`with torch.inference_mode():`), or, given `false` first, with it off
 * (`torch.inference_mode(False)`: gradients on, as PyTorch's guard turns them on, and normal tensors).
 *
 * @example
 * const logits = inferenceMode(() => model.forward(x)); // an inference tensor: read it, clone() it to train on it
 */
export function inferenceMode<T>(fn: () => T): T;
export function inferenceMode<T>(mode: boolean, fn: () => T): T;
export function inferenceMode<T>(a: boolean | (() => T), b?: () => T): T {
  const mode = typeof a === 'function' ? true : a;
  const fn = typeof a === 'function' ? a : b;
  if (typeof mode !== 'boolean') throw new TypeError(`inferenceMode: mode must be true or false, got ${describeValue(mode)}`);
  if (typeof fn !== 'function') throw new TypeError(`inferenceMode: expected a function to run, as in inferenceMode(() => model.forward(x)); got ${describeValue(fn)}`);
  const was = setInferenceTensors(mode);
  try {
    return mode ? noGrad(fn) : setGradEnabled(true, fn);
  } finally {
    setInferenceTensors(was);
  }
}
