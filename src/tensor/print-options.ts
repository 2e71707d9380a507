// PyTorch's torch.set_printoptions: how tensors print (precision, summarising threshold, edge items, line width,
// scientific notation), process-wide, as PyTorch's PRINT_OPTS.
import { boundArguments, describeValue, type PositionalThenOptions } from '../options.js';

/** Each option left out, undefined or null is left as it is, as PyTorch's None (sciMode excepted: null is automatic). */
export interface PrintOptions {
  /** Digits after the point (default 4). */
  readonly precision?: number | null | undefined;
  /** Above this many values a tensor prints summarised, its edges and '...' (default 1000; Infinity never). */
  readonly threshold?: number | null | undefined;
  /** Values printed at each end of a summarised dimension (default 3). */
  readonly edgeitems?: number | null | undefined;
  /** Characters per line before wrapping (default 80). */
  readonly linewidth?: number | null | undefined;
  /** 'default', 'short' (precision 2, edgeitems 2) or 'full' (never summarised), applied before the other options. */
  readonly profile?: 'default' | 'short' | 'full' | null;
  /** Scientific notation always (true), never (false) or when PyTorch's rule picks it (null, the default). */
  readonly sciMode?: boolean | null;
}

/** PyTorch's order of set_printoptions' parameters, each of which may also be given by position. */
const NAMES = ['precision', 'threshold', 'edgeitems', 'linewidth', 'profile', 'sciMode'] as const;
type PrintArguments = [precision: PrintOptions['precision'], threshold: PrintOptions['threshold'], edgeitems: PrintOptions['edgeitems'], linewidth: PrintOptions['linewidth'], profile: PrintOptions['profile'], sciMode: PrintOptions['sciMode']];

interface Settings { precision: number; threshold: number; edgeitems: number; linewidth: number; sciMode: boolean | null }

const PROFILES: Record<'default' | 'short' | 'full', Omit<Settings, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

const settings: Settings = { ...PROFILES.default, sciMode: null };

/** The print options in force (a copy). */
export function getPrintoptions(): Readonly<Settings> {
  return { ...settings };
}

/**
 * Sets how tensors print, as PyTorch's `torch.set_printoptions(precision, threshold, edgeitems, linewidth, profile,
 * sci_mode)`: a profile first, then each option given; `sciMode` is reset to automatic unless given, as PyTorch's.
 * The options by name, or by position in PyTorch's order (`setPrintoptions(2)`, `torch.set_printoptions(2)`).
 *
 * @example setPrintoptions({ precision: 2 }); // tensor([1.23, 2.50])
 */
export function setPrintoptions(...args: PositionalThenOptions<PrintArguments, PrintOptions>): void {
  const o = boundArguments('setPrintoptions', args, 0, NAMES, [], 'setPrintoptions(precision?, threshold?, edgeitems?, linewidth?, profile?, sciMode?) or setPrintoptions({ precision, … })') as PrintOptions;
  const next: Settings = { ...settings };
  if (o.profile !== undefined && o.profile !== null) {
    if (!(o.profile in PROFILES)) throw new RangeError(`setPrintoptions: profile must be 'default', 'short' or 'full', got ${describeValue(o.profile)}`);
    Object.assign(next, PROFILES[o.profile]);
  }
  for (const key of ['precision', 'edgeitems', 'linewidth'] as const) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < (key === 'precision' ? 0 : 1)) throw new RangeError(`setPrintoptions: ${key} must be a whole number${key === 'precision' ? ' ≥ 0' : ' ≥ 1'}, got ${describeValue(v)}`);
    next[key] = v;
  }
  if (o.threshold !== undefined && o.threshold !== null) {
    if (typeof o.threshold !== 'number' || !(o.threshold >= 0)) throw new RangeError(`setPrintoptions: threshold must be a number ≥ 0 (Infinity: never summarise), got ${describeValue(o.threshold)}`);
    next.threshold = o.threshold;
  }
  if (o.sciMode !== undefined && o.sciMode !== null && typeof o.sciMode !== 'boolean') throw new TypeError(`setPrintoptions: sciMode must be true, false or null, got ${describeValue(o.sciMode)}`);
  next.sciMode = o.sciMode ?? null;
  Object.assign(settings, next);
}
