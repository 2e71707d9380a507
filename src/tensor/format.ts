import type { Tensor } from './tensor.js';

function fmt(v: number, decimals: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v.toFixed(decimals);
}

/** PyTorch-like printing: `tensor([[0.1000, 0.2000]], requires_grad=True)`, summarising long dimensions. */
export function formatTensor(t: Tensor): string {
  const v = t.values();
  const integral = v.every((x) => Number.isInteger(x));
  const decimals = integral ? 0 : 4;
  const edge = 3;
  const render = (dim: number, offset: number, indent: string): string => {
    if (t.ndim === 0) return fmt(v[0]!, decimals) + (integral ? '.' : '');
    const n = t.shape[dim]!;
    let inner = 1;
    for (let i = dim + 1; i < t.ndim; i++) inner *= t.shape[i]!;
    const idx = n > 2 * edge + 1 && v.length > 1000 ? [...range(0, edge), -1, ...range(n - edge, n)] : range(0, n);
    const parts = idx.map((i) => (i === -1 ? '...' : dim === t.ndim - 1 ? fmt(v[offset + i]!, decimals) + (integral ? '.' : '') : render(dim + 1, offset + i * inner, indent + ' ')));
    const sep = dim === t.ndim - 1 ? ', ' : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const grad = t.gradFn ? `, grad_fn=<${t.gradFn.name}>` : t.requiresGrad ? ', requires_grad=True' : '';
  return `tensor(${render(0, 0, '       ')}${grad})`;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}
