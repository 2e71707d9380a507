import { defaultTorchName } from '../autograd/torch-name.js';
import type { Tensor } from './tensor.js';

import { getPrintoptions } from './print-options.js';

/** The exact decimal expansion of a finite |x| < 1e21: integer digits and fraction digits (no trailing zeros). */
function exactDigits(x: number): [string, string] {
  const [i, f = ''] = Math.abs(x).toFixed(100).split('.');
  return [i!, f.replace(/0+$/, '')];
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
  if (Math.abs(v) >= 1e21) return sign(v) + BigInt(Math.abs(v)).toString() + (p > 0 ? `.${'0'.repeat(p)}` : '');
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
  } else if (Math.abs(v) >= 1e21) {
    const [m, x] = Math.abs(v).toExponential(p).split('e');
    mant = m!.replace('.', '');
    e = Number(x);
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

/** PyTorch's `_Formatter`: one width and one mode (integer, fixed or scientific) for all printed values. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  readonly width: number = 1;

  private readonly precision: number;

  constructor(values: readonly number[], precision: number, sciMode: boolean | null) {
    this.precision = precision;
    const nz = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (sciMode !== null) this.sciMode = sciMode;
    if (nz.length === 0) return;
    const abs = nz.map(Math.abs);
    const min = Math.min(...abs);
    const max = Math.max(...abs);
    this.intMode = nz.every((v) => v === Math.ceil(v));
    this.sciMode = max / min > 1000 || max > 1e8 || (!this.intMode && min < 1e-4);
    const widths = nz.map((v) => (this.sciMode ? pyExp(v, precision).length : this.intMode ? pyFixed(v, 0).length + 1 : pyFixed(v, precision).length));
    this.width = Math.max(...widths);
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

/** Row-major positions printed along one dimension of size n ('...' as −1 when summarising). */
function shown(n: number, summarize: boolean, edge: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return summarize && n > 2 * edge ? [...all.slice(0, edge), -1, ...all.slice(n - edge)] : all;
}

/** PyTorch's printing: `tensor([[0.1000, 0.2000]], requires_grad=True)`, summarising tensors above 1000 values. */
export function formatTensor(t: Tensor): string {
  const lineWidth = getPrintoptions().linewidth;
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (t.numel() === 0) {
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')})`);
    body = '[]';
  } else {
    body = formatValues(t.values(), t.shape, indent);
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

function formatValues(v: Float32Array, shape: readonly number[], indent: number): string {
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
  const f = new Formatter(printed, precision, sciMode);
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
