// The flags of PyTorch's autograd calls may come by position as well as by name: `loss.backward(None, True)` keeps
// the graph, `torch.autograd.grad(y, x, None, True, True)` builds the gradient's graph. Kindling reads them in
// PyTorch's order, and one object of named options may stand after them or in their place.
import { boundArguments, checkOptions, isPlainObject } from '../options.js';

/**
 * The options of an autograd call from argument `from` on: values in the order of `names` (PyTorch's positional
 * order), then optionally one object of named options. `null` for `retainGraph` or `inputs` is PyTorch's None, their
 * default: left out. `hints` advise on names brought from elsewhere, as `checkOptions`'s.
 */
export function graphCallOptions<T extends object>(
  where: string, args: readonly unknown[], from: number, names: readonly string[], usage: string, hints?: Readonly<Record<string, string>>,
): Partial<T> {
  const last = args[args.length - 1];
  if (args.length > from && isPlainObject(last)) checkOptions(where, last, names, hints);
  const out = boundArguments(where, args, from, names, [], usage);
  if (out.retainGraph === null) delete out.retainGraph;
  if (out.inputs === null) delete out.inputs;
  return out as Partial<T>;
}
