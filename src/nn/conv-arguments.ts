import type { IntPair } from '../ops/window.js';
import { checkOptions, describeValue } from '../options.js';
import type { PaddingMode } from './conv-padding-mode.js';

/** What both convolution layers take besides their geometry. */
interface LayerOptions {
  readonly stride?: IntPair;
  readonly bias?: boolean;
  readonly paddingMode?: PaddingMode;
}

/**
 * A convolution layer's arguments after the kernel size, PyTorch's way (`Conv2d(1, 32, 3, 1)`): the stride by
 * position and the rest as options, or all of them as options; then the channel counts and `bias` checked (the
 * layer checks `paddingMode`: conv-padding-mode.ts). Returns the options with the stride among them.
 */
export function convLayerArguments<O extends LayerOptions>(
  where: string, names: readonly string[], inChannels: number, outChannels: number, kernelSize: IntPair,
  strideOrOptions: IntPair | O | undefined, options: Omit<O, 'stride'> | undefined,
): O {
  const positional = typeof strideOrOptions === 'number' || Array.isArray(strideOrOptions);
  const example = `new ${where}(${inChannels}, ${outChannels}, ${JSON.stringify(kernelSize)}, 1, { padding: 1 })`;
  if (positional && (typeof options === 'number' || Array.isArray(options))) {
    throw new TypeError(`${where}: only the stride comes by position after the kernel size; give the padding and the rest as options, as in new ${where}(${inChannels}, ${outChannels}, ${JSON.stringify(kernelSize)}, ${JSON.stringify(strideOrOptions)}, { padding: ${JSON.stringify(options)} }) (PyTorch's ${where}(…, stride, padding))`);
  }
  if (!positional && options !== undefined) {
    throw new TypeError(`${where}: more named options only follow a stride given by position, as in ${example}; got ${describeValue(options)} after ${describeValue(strideOrOptions)}`);
  }
  const given = checkOptions<O>(where, (positional ? options : strideOrOptions) as O | undefined, names as readonly (keyof O & string)[]) as O;
  if (positional && given.stride !== undefined) throw new TypeError(`${where}: stride given twice: by position and in the options`);
  const o: O = positional ? { ...given, stride: strideOrOptions as IntPair } : given;
  for (const [v, what] of [[inChannels, 'inChannels'], [outChannels, 'outChannels']] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${where}: ${what} must be a positive integer, got ${describeValue(v)}`);
  }
  if (o.bias !== undefined && typeof o.bias !== 'boolean') throw new TypeError(`${where}: bias must be true or false, got ${describeValue(o.bias)}`);
  return o;
}
