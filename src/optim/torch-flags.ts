// PyTorch 1.13's implementation switches of the optimizers: foreach, differentiable, capturable, fused.
import { describeValue } from '../options.js';
import { pyBool } from './optimizer-repr.js';

/**
 * The switches PyTorch 1.13's optimizers take besides their hyper-parameters (each takes some of them: SGD foreach
 * and differentiable, Adam all four, AdamW foreach and capturable, RMSprop foreach and differentiable, the others
 * foreach, LBFGS none). They choose how PyTorch computes a step, not what it computes, and are kept in the groups,
 * saved and printed as PyTorch's are.
 */
export interface TorchFlags {
  /**
   * PyTorch's choice between its per-tensor loop and its multi-tensor (`_foreach_*`) kernels; null (None) leaves it
   * to PyTorch, which takes the loop on the CPU. Kindling computes PyTorch's per-tensor results whatever it holds.
   */
  foreach?: boolean | null;
  /** A step that autograd records (for meta-learning): not supported; false is PyTorch's default. */
  differentiable?: boolean;
  /** A step that a CUDA graph can capture: CUDA only; false is PyTorch's default. */
  capturable?: boolean;
  /** Adam's fused CUDA kernel: CUDA only; false is PyTorch's default. */
  fused?: boolean;
}

export type TorchFlag = keyof TorchFlags;

/** PyTorch 1.13's defaults of the switches. */
export const FLAG_DEFAULTS: Required<TorchFlags> = { foreach: null, differentiable: false, capturable: false, fused: false };

/** The defaults of the switches one optimizer takes. */
export function flagDefaults<F extends TorchFlag>(flags: readonly F[]): Pick<Required<TorchFlags>, F> {
  return Object.fromEntries(flags.map((k) => [k, FLAG_DEFAULTS[k]])) as Pick<Required<TorchFlags>, F>;
}

/** Why a switch cannot be true here. */
const UNSUPPORTED: Record<Exclude<TorchFlag, 'foreach'>, string> = {
  differentiable: 'is not supported: Kindling\'s optimizers step outside autograd, as PyTorch\'s do by default (with it on, PyTorch 1.13\'s step fails on a leaf parameter: "a leaf Variable that requires grad is being used in an in-place operation")',
  capturable: 'is for CUDA graphs, and Kindling runs on the CPU (PyTorch 1.13 refuses it there too: "If capturable=True, params and state_steps must be CUDA tensors.")',
  fused: 'is PyTorch\'s fused CUDA kernel, and Kindling runs on the CPU (PyTorch 1.13 refuses it there too: "FusedAdam requires all the params to be CUDA, floating point")',
};

/**
 * Checks the switches `flags` of options `o` (defaults filled in): foreach null, true or false; the others false, as
 * true asks for what only CUDA (or a differentiable step) gives. `where` names the caller.
 */
export function checkFlags(where: string, o: object, flags: readonly TorchFlag[]): void {
  const values = o as Record<string, unknown>;
  for (const k of flags) {
    const v = values[k];
    if (k === 'foreach') {
      if (v !== null && typeof v !== 'boolean') throw new TypeError(`${where}: foreach must be null (PyTorch's None), true or false, got ${describeValue(v)}`);
      continue;
    }
    if (typeof v !== 'boolean') throw new TypeError(`${where}: ${k} must be true or false, got ${describeValue(v)}`);
    if (v) throw new RangeError(`${where}: ${k}: true ${UNSUPPORTED[k]}`);
  }
}

/** A switch's value as Python prints it: None, True, False. */
export function pyFlag(v: boolean | null): string {
  return v === null ? 'None' : pyBool(v);
}
