import { defaultTorchName } from '../autograd/torch-name.js';
import { isMask } from './mask-mark.js';
import type { Tensor } from './tensor.js';

import { getPrintoptions } from './print-options.js';

/**
 * The exact decimal expansion of a finite x: integer digits and fraction digits (no trailing zeros). A double is
 * m·2^e exactly, so m·5^−e is its digits with −e of them after the point: BigInt gives every digit, where
 * `toFixed` stops at 100 (a float32 subnormal has up to 149) and `toExponential` at 100 digits, and neither rounds
 * half to even on the exact value as Python's `'%.{p}f'` / `'%.{p}e'` do.
 */
function exactDigits(x: number): [string, string] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  if (e >= 0) return [(m << BigInt(e)).toString(), ''];
  const digits = (m * 5n ** BigInt(-e)).toString().padStart(-e + 1, '0');
  return [digits.slice(0, digits.length + e), digits.slice(digits.length + e).replace(/0+$/, '')];
}

/** Keeps the first `keep` digits of `digits`, rounding half to even as Python's formatting does. */
function roundHalfEven(digits: string, keep: number): string {
  const head = digits.slice(0, keep).padEnd(keep, '0');
  const rest = digits.slice(keep);
  const first = rest[0] ?? '0';
  const odd = keep > 0 && Number(head[keep - 1]) % 2 === 1;
  const up = first > '5' || (first === '5' && (/[1-9]/.test(rest.slice(1)) || odd));
  if (!up) return head;
  const out = head.split('');
  let k = out.length - 1;
  for (; k >= 0; k--) {
    if (out[k] === '9') out[k] = '0';
    else {
      out[k] = String(Number(out[k]) + 1);
      break;
    }
  }
  return k < 0 ? `1${out.join('')}` : out.join('');
}

const sign = (v: number): string => (v < 0 || Object.is(v, -0) ? '-' : '');

function nonFinite(v: number): string | null {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return null;
}

/** Python's `'{:.{p}f}'.format(v)`. */
export function pyFixed(v: number, p: number): string {
  const nf = nonFinite(v);
  if (nf !== null) return nf;
  const [i, f] = exactDigits(v);
  const r = roundHalfEven(i + f, i.length + p);
  const int = r.slice(0, r.length - p).replace(/^0+(?=\d)/, '');
  return sign(v) + int + (p > 0 ? `.${r.slice(r.length - p)}` : '');
}

/** Python's `'{:.{p}e}'.format(v)`. */
export function pyExp(v: number, p: number): string {
  const nf = nonFinite(v);
  if (nf !== null) return nf;
  let mant: string;
  let e: number;
  if (v === 0) {
    mant = '0'.repeat(p + 1);
    e = 0;
  } else {
    const [i, f] = exactDigits(v);
    const all = i + f;
    const z = all.search(/[1-9]/);
    e = i.length - 1 - z;
    mant = roundHalfEven(all.slice(z), p + 1);
    if (mant.length > p + 1) {
      mant = mant.slice(0, p + 1);
      e += 1;
    }
  }
  const m = p > 0 ? `${mant[0]}.${mant.slice(1)}` : mant;
  return `${sign(v)}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16 (`1e-05`, `0.02`, `1.0`). */
export function formatPyFloat(v: number): string {
  const nf = nonFinite(v);
  if (nf !== null) return nf;
  if (v === 0) return `${sign(v)}0.0`;
  const [mant, exp] = v.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const s = String(v);
  return s.includes('.') ? s : `${s}.0`;
}

/**
 * A number given to a layer as Python prints the value the user most likely wrote: whole numbers as ints (`2`),
 * others as `repr(float)` (`0.5`, `1e-05`). JavaScript cannot tell 2 from 2.0; for parameters PyTorch's docs pass
 * as ints (`nn.Threshold(0.1, 20)`, `nn.LPPool2d(2, 3)`) or types as int (Softplus's beta).
 */
export function formatPyNumber(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e16 ? String(v) : formatPyFloat(v);
}

/** PyTorch's `_Formatter`: one width and one mode (integer, fixed or scientific) for all printed values. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  readonly width: number = 1;

  private readonly precision: number;

  constructor(values: readonly number[], precision: number, sciMode: boolean | null) {
    this.precision = precision;
    const nz = values.filter((v) => Number.isFinite(v) && v !== 0);
    // With no non-zero finite value PyTorch returns before its sci_mode option is read: zeros print as 0., never 0.0000e+00.
    if (nz.length === 0) return;
    // Loops, not Math.min(...abs): a spread of more than ~125k arguments overflows the stack (profile 'full').
    let min = Infinity;
    let max = 0;
    for (const v of nz) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    this.intMode = nz.every((v) => v === Math.ceil(v));
    this.sciMode = max / min > 1000 || max > 1e8 || (!this.intMode && min < 1e-4);
    let width = 1;
    for (const v of nz) width = Math.max(width, this.sciMode ? pyExp(v, precision).length : this.intMode ? pyFixed(v, 0).length + 1 : pyFixed(v, precision).length);
    this.width = width;
    // PyTorch's sci_mode option overrides the choice, not the width it was measured with.
    if (sciMode !== null) this.sciMode = sciMode;
  }

  format(v: number): string {
    let s: string;
    if (this.sciMode) s = pyExp(v, this.precision);
    else if (this.intMode) s = pyFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
    else s = pyFixed(v, this.precision);
    return s.padStart(this.width);
  }
}

/** PyTorch's `_Formatter` for a bool tensor (a mask): `True`/`False` right-aligned to the widest printed. */
class BoolFormatter {
  readonly width: number;

  constructor(values: readonly number[]) {
    this.width = values.some((v) => v === 0) ? 5 : 4;
  }

  format(v: number): string {
    return (v !== 0 ? 'True' : 'False').padStart(this.width);
  }
}

/** Row-major positions printed along one dimension of size n ('...' as −1 when summarising). */
function shown(n: number, summarize: boolean, edge: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return summarize && n > 2 * edge ? [...all.slice(0, edge), -1, ...all.slice(n - edge)] : all;
}

/**
 * PyTorch's printing: `tensor([[0.1000, 0.2000]], requires_grad=True)`, summarising tensors above 1000 values; a mask
 * as PyTorch's bool tensor, `tensor([False,  True])` (`tensor([], dtype=torch.bool)` when empty).
 */
export function formatTensor(t: Tensor): string {
  const lineWidth = getPrintoptions().linewidth;
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  const mask = isMask(t);
  if (t.numel() === 0) {
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')})`);
    // PyTorch names a dtype other than the default float32 only where the values cannot show it: an empty bool tensor.
    if (mask) suffixes.push('dtype=torch.bool');
    body = '[]';
  } else {
    body = formatValues(t.values(), t.shape, indent, mask);
  }
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.torchName ?? defaultTorchName(t.gradFn.name)}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  let out = prefix + body;
  let lastLine = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > lineWidth) {
      out += `,\n${' '.repeat(indent)}${s}`;
      lastLine = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLine += s.length + 2;
    }
  }
  return `${out})`;
}

function formatValues(v: Float32Array, shape: readonly number[], indent: number, mask: boolean): string {
  const { precision, threshold, edgeitems, linewidth: lineWidth, sciMode } = getPrintoptions();
  const summarize = v.length > threshold;
  const inner = (dim: number): number => shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  // First pass: the values that will be printed decide the common width and mode.
  const printed: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      printed.push(v[offset]!);
      return;
    }
    for (const i of shown(shape[dim]!, summarize, edgeitems)) if (i >= 0) collect(dim + 1, offset + i * inner(dim));
  };
  collect(0, 0);
  const f = mask ? new BoolFormatter(printed) : new Formatter(printed, precision, sciMode);
  if (shape.length === 0) return f.format(v[0]!);
  const render = (dim: number, offset: number, ind: number): string => {
    const idx = shown(shape[dim]!, summarize, edgeitems);
    if (dim === shape.length - 1) {
      const items = idx.map((i) => (i < 0 ? ' ...' : f.format(v[offset + i]!)));
      const perLine = Math.max(1, Math.floor((lineWidth - ind) / (f.width + 2)));
      const lines: string[] = [];
      for (let k = 0; k < items.length; k += perLine) lines.push(items.slice(k, k + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
    }
    const parts = idx.map((i) => (i < 0 ? '...' : render(dim + 1, offset + i * inner(dim), ind + 1)));
    return `[${parts.join(`,${'\n'.repeat(shape.length - dim - 1)}${' '.repeat(ind + 1)}`)}]`;
  };
  return render(0, 0, indent);
}
