// An optimizer printed as PyTorch 1.13's Optimizer.__repr__: see optimizerRepr.
import { formatPyFloat } from '../tensor/format.js';

/**
 * One group's options under PyTorch's keys, each value as Python's `str()` prints it ('0.001', 'False', 'None',
 * '(0.9, 0.999)'): exactly the keys PyTorch 1.13's group holds for that optimizer, its own flags (foreach, …) too.
 */
export type TorchGroup = Record<string, string>;

/** A Python float: `1e-08`, `0.001`, `1.0`. */
export const pyFloat = formatPyFloat;

/** A Python bool. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/**
 * An option whose PyTorch default is an int (weight_decay 0, momentum 0, LBFGS's lr 1): a whole value printed as
 * Python prints that int, another as a float (what a PyTorch user passing 0.9 sees).
 */
export function pyIntOr(v: number): string {
  return Number.isInteger(v) ? BigInt(v).toString() : formatPyFloat(v);
}

/** A Python tuple of printed items, as PyTorch's betas `(0.9, 0.999)`. */
export function pyTuple(items: readonly string[]): string {
  return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

/**
 * PyTorch's `Optimizer.__repr__`: the class name, then each group's options sorted by key, one a line:
 *
 *     Adam (
 *     Parameter Group 0
 *         amsgrad: False
 *         betas: (0.9, 0.999)
 *         …
 *     )
 */
export function optimizerRepr(name: string, groups: readonly TorchGroup[]): string {
  let text = `${name} (`;
  groups.forEach((g, i) => {
    text += `\nParameter Group ${i}\n`;
    for (const key of Object.keys(g).sort()) text += `    ${key}: ${g[key]}\n`;
  });
  return `${text})`;
}
